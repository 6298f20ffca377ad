//! A submission's results: one line per judged case, the verdict line
//! with its maxima (and score), and `judge status`.

use console::Style;
use submission::{Status, SubmissionState, TestResult, Verdict};

use super::groups::groups_table;
use super::style::{format_memory, format_time, paint, score_of, verdict_style};

/// Width the test names are padded to.
const NAME_WIDTH: usize = 24;

/// `  ✓ sample/1       AC     12 ms    3.1 MB`, then the case's message, if any, indented.
pub fn test_line(result: &TestResult, color: bool) -> String {
    let passed = result.verdict == Verdict::AC;
    let mark = if passed { "✓" } else { "✗" };
    let style = verdict_style(result.verdict);
    let mut line = format!(
        "  {} {:<width$} {} {:>8} {:>9}",
        paint(color, style.clone(), mark),
        result.name,
        paint(color, style, &format!("{:<3}", result.verdict.to_string())),
        format_time(result.time_ms),
        format_memory(result.memory_kb),
        width = NAME_WIDTH,
    );
    if let Some(message) = result.message.as_deref().filter(|m| !m.trim().is_empty()) {
        for text in message.trim_end().lines().take(5) {
            line.push('\n');
            line.push_str(&paint(color, Style::new().dim(), &format!("      {text}")));
        }
    }
    line
}

/// The verdict line with the maxima, plus the compiler output on CE and the message on IE.
pub fn final_report(state: &SubmissionState, color: bool) -> String {
    if state.status == Status::Cancelled {
        let why = state.message.as_deref().unwrap_or("cancelled");
        return paint(
            color,
            Style::new().yellow().bold(),
            &format!("- Cancelled ({why})"),
        );
    }
    let Some(verdict) = state.verdict else {
        return format!("{} is still {}", state.id, status_text(state));
    };
    let mark = match verdict {
        Verdict::AC => "✓",
        Verdict::CE | Verdict::IE => "!",
        _ => "✗",
    };
    let style = verdict_style(verdict);
    let mut out = paint(
        color,
        style.clone().bold(),
        &format!("{mark} {} ({verdict})", verdict.long_name()),
    );
    if !matches!(verdict, Verdict::AC | Verdict::CE | Verdict::IE) {
        if let Some(failed) = state.results.iter().find(|r| r.verdict != Verdict::AC) {
            out.push_str(&format!(" on {}", failed.name));
        }
    }
    if !matches!(verdict, Verdict::CE | Verdict::IE) {
        let passed = state
            .results
            .iter()
            .filter(|r| r.verdict == Verdict::AC)
            .count();
        // The state keeps the maxima; the results are a fallback if it did not.
        let time_ms = state
            .results
            .iter()
            .map(|r| r.time_ms)
            .fold(state.time_ms, u64::max);
        let memory_kb = state
            .results
            .iter()
            .map(|r| r.memory_kb)
            .fold(state.memory_kb, u64::max);
        if state.is_scoring() {
            out.push_str(&format!(
                "   score {}",
                score_of(state.score.or(Some(0.0)), state.max_score)
            ));
        }
        // LeetCode's "37 / 40 test cases passed": judging may stop at the
        // first failure, so the cases not judged count as not passed.
        out.push_str(&format!(
            "   {passed} / {} test cases passed   max {}   {}",
            state.tests_total,
            format_time(time_ms),
            format_memory(memory_kb)
        ));
    }
    if state.is_scoring() && !matches!(verdict, Verdict::CE) {
        out.push('\n');
        out.push_str(&groups_table(&state.groups, color));
    }
    match verdict {
        Verdict::CE => {
            let text = state.compile_output.as_deref().unwrap_or("").trim_end();
            if text.is_empty() {
                out.push_str("\n(no compiler output)");
            } else {
                out.push_str("\nCompiler output:\n");
                out.push_str(text);
            }
        }
        Verdict::IE => {
            let text = state
                .message
                .as_deref()
                .unwrap_or("no details given")
                .trim_end();
            out.push_str(&format!("\nThe judge failed: {text}"));
        }
        _ => {
            if let Some(message) = state.message.as_deref().filter(|m| !m.trim().is_empty()) {
                out.push('\n');
                out.push_str(message.trim_end());
            }
        }
    }
    out
}

/// The status word, or for a waiting submission whose position is known,
/// "queued: 3 ahead of you".
pub(super) fn status_text(state: &SubmissionState) -> String {
    queued_line(state).unwrap_or_else(|| status_word(state.status).to_string())
}

/// "queued: N ahead of you" while the state is queued with a known position.
pub fn queued_line(state: &SubmissionState) -> Option<String> {
    let ahead = state
        .queue_position
        .filter(|_| state.status == Status::Queued)?;
    Some(format!("queued: {ahead} ahead of you"))
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Queued => "queued",
        Status::Compiling => "compiling",
        Status::Running => "running",
        Status::Finished => "finished",
        Status::Cancelled => "cancelled",
    }
}

/// `judge status`: the header fields, every judged case, then the verdict.
pub fn status_report(state: &SubmissionState, color: bool) -> String {
    let mut out = format!(
        "Submission {}\n  problem   {}\n  language  {}\n  user      {}\n  status    {}\n",
        state.id,
        state.problem_id,
        state.language,
        state.user_id,
        status_text(state)
    );
    if !state.results.is_empty() {
        out.push_str(&format!(
            "Tests ({}/{}):\n",
            state.results.len(),
            state.tests_total
        ));
        for result in &state.results {
            out.push_str(&test_line(result, color));
            out.push('\n');
        }
    }
    // A finished one gets the table with its verdict line.
    if state.is_scoring() && !state.is_final() {
        out.push_str(&groups_table(&state.groups, color));
        out.push('\n');
    }
    out.push_str(&final_report(state, color));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::groups::group_line;
    use submission::GroupResult;

    fn result(index: usize, name: &str, verdict: Verdict) -> TestResult {
        TestResult {
            index,
            name: name.into(),
            verdict,
            time_ms: 12,
            wall_ms: 20,
            memory_kb: 3174,
            exit_code: Some(0),
            signal: None,
            message: None,
            score: None,
            detail: None,
        }
    }

    fn state(verdict: Option<Verdict>, results: Vec<TestResult>) -> SubmissionState {
        SubmissionState {
            id: "s1".into(),
            user_id: "ann".into(),
            problem_id: "hello".into(),
            language: "python3".into(),
            status: if verdict.is_some() {
                Status::Finished
            } else {
                Status::Running
            },
            verdict,
            tests_total: 3,
            time_ms: results.iter().map(|r| r.time_ms).max().unwrap_or(0),
            memory_kb: results.iter().map(|r| r.memory_kb).max().unwrap_or(0),
            results,
            compile_output: None,
            message: None,
            created_at_ms: 0,
            finished_at_ms: None,
            seq: 4,
            previous_verdict: None,
            run_output: None,
            score: None,
            max_score: None,
            groups: Vec::new(),
            queue_position: None,
            contest_id: None,
            team_id: None,
        }
    }

    #[test]
    fn test_lines_show_mark_verdict_time_and_memory() {
        let line = test_line(&result(1, "sample/1", Verdict::AC), false);
        assert_eq!(line, "  ✓ sample/1                 AC     12 ms    3.1 MB");
        let mut wa = result(2, "secret/02", Verdict::WA);
        wa.message = Some("token 1: expected \"3\", got \"4\"".into());
        let line = test_line(&wa, false);
        assert!(
            line.starts_with("  ✗ secret/02                WA "),
            "{line}"
        );
        assert!(
            line.ends_with("\n      token 1: expected \"3\", got \"4\""),
            "{line}"
        );
    }

    #[test]
    fn a_waiting_submission_shows_how_many_are_ahead() {
        let mut s = state(None, Vec::new());
        s.status = Status::Queued;
        assert_eq!(queued_line(&s), None, "position unknown");
        assert!(status_report(&s, false).contains("  status    queued\n"));
        s.queue_position = Some(3);
        assert_eq!(queued_line(&s).as_deref(), Some("queued: 3 ahead of you"));
        assert!(status_report(&s, false).contains("  status    queued: 3 ahead of you\n"));
        assert_eq!(
            final_report(&s, false),
            "s1 is still queued: 3 ahead of you"
        );
        s.status = Status::Compiling;
        assert_eq!(queued_line(&s), None, "only while queued");
    }

    #[test]
    fn colour_only_when_asked() {
        let plain = test_line(&result(1, "sample/1", Verdict::AC), false);
        assert!(!plain.contains('\x1b'));
        let coloured = test_line(&result(1, "sample/1", Verdict::AC), true);
        assert!(coloured.contains("\x1b[32m"), "{coloured:?}");
    }

    #[test]
    fn final_line_names_the_failing_test() {
        let s = state(
            Some(Verdict::WA),
            vec![
                result(1, "sample/1", Verdict::AC),
                result(2, "secret/02", Verdict::WA),
            ],
        );
        let text = final_report(&s, false);
        assert_eq!(
            text,
            "✗ Wrong Answer (WA) on secret/02   1 / 3 test cases passed   max 12 ms   3.1 MB"
        );
        let s = state(Some(Verdict::AC), vec![result(1, "sample/1", Verdict::AC)]);
        assert!(final_report(&s, false).starts_with("✓ Accepted (AC)   1 / 3 test cases passed"));
    }

    fn group(name: &str, tests: Vec<usize>, max: Option<f64>) -> GroupResult {
        GroupResult {
            name: name.into(),
            total: tests.len(),
            tests,
            max_score: max,
            score: None,
            verdict: None,
            passed: 0,
            message: None,
        }
    }

    /// A scoring submission: the easy group passed (30), the hard one failed
    /// on its first case, and the one requiring it was not judged.
    fn scoring_state() -> SubmissionState {
        let mut s = state(
            Some(Verdict::WA),
            vec![
                result(1, "sample/1", Verdict::AC),
                result(2, "secret/easy/1", Verdict::AC),
                result(3, "secret/hard/1", Verdict::WA),
            ],
        );
        s.tests_total = 4;
        s.score = Some(30.0);
        s.max_score = Some(100.0);
        let mut sample = group("sample", vec![1], None);
        sample.verdict = Some(Verdict::AC);
        sample.passed = 1;
        let mut easy = group("secret/easy", vec![2], Some(30.0));
        (easy.verdict, easy.score, easy.passed) = (Some(Verdict::AC), Some(30.0), 1);
        let mut hard = group("secret/hard", vec![3], Some(50.5));
        (hard.verdict, hard.score) = (Some(Verdict::WA), Some(0.0));
        let mut all = group("secret/all", vec![4], Some(19.5));
        (all.verdict, all.score) = (Some(Verdict::WA), Some(0.0));
        all.message = Some("requires secret/hard".into());
        s.groups = vec![sample, easy, hard, all];
        s
    }

    #[test]
    fn scoring_submissions_show_the_score_and_a_group_table() {
        let text = final_report(&scoring_state(), false);
        assert_eq!(
            text,
            "✗ Wrong Answer (WA) on secret/hard/1   score 30 / 100   2 / 4 test cases passed   max 12 ms   3.1 MB\n\
             GROUP        VERDICT  SCORE     PASSED  NOTE\n\
             sample       AC       -         1/1\n\
             secret/easy  AC       30 / 30   1/1\n\
             secret/hard  WA       0 / 50.5  0/1\n\
             secret/all   WA       0 / 19.5  0/1     requires secret/hard"
        );
        // Colour goes on the verdict cells without moving the columns.
        let coloured = final_report(&scoring_state(), true);
        assert!(
            coloured.contains("secret/easy  \x1b[32mAC\x1b[0m       30 / 30"),
            "{coloured:?}"
        );
        // While judging, the groups not graded yet show no verdict or score.
        let mut running = scoring_state();
        running.status = Status::Running;
        running.verdict = None;
        running.groups[2] = group("secret/hard", vec![3], Some(50.5));
        let text = status_report(&running, false);
        assert!(
            text.contains("secret/hard  …        - / 50.5  0/1"),
            "{text}"
        );
        assert_eq!(
            group_line(&scoring_state().groups[3], false),
            "  WA group secret/all: 0 / 19.5 (0/1 passed) — requires secret/hard"
        );
    }

    #[test]
    fn compile_errors_show_the_compiler_output_and_ie_the_message() {
        let mut s = state(Some(Verdict::CE), vec![]);
        s.compile_output = Some("main.cpp:1: error: expected ';'\n".into());
        let text = final_report(&s, false);
        assert_eq!(
            text,
            "! Compilation Error (CE)\nCompiler output:\nmain.cpp:1: error: expected ';'"
        );
        let mut s = state(Some(Verdict::IE), vec![]);
        s.message = Some("docker unavailable".into());
        assert!(final_report(&s, false).ends_with("The judge failed: docker unavailable"));
    }

    #[test]
    fn status_report_lists_results() {
        let s = state(None, vec![result(1, "sample/1", Verdict::AC)]);
        let text = status_report(&s, false);
        assert!(text.contains("status    running"), "{text}");
        assert!(text.contains("Tests (1/3):\n  ✓ sample/1"), "{text}");
        assert!(text.ends_with("s1 is still running"), "{text}");
    }
}
