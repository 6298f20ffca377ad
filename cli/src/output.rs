//! What the CLI prints: test lines, verdict lines, tables, and the progress
//! bar shown while a submission is judged.
//!
//! Formatting functions are pure (they take `color`) so they can be tested;
//! [`Reporter`] decides where the text goes.

use console::Style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use submission::GroupResult;
use submission::{Status, SubmissionState, TestResult, Verdict};

/// Width the test names are padded to.
const NAME_WIDTH: usize = 24;

fn paint(color: bool, style: Style, text: &str) -> String {
    style.force_styling(color).apply_to(text).to_string()
}

fn verdict_style(verdict: Verdict) -> Style {
    match verdict {
        Verdict::AC => Style::new().green(),
        Verdict::CE | Verdict::IE => Style::new().yellow(),
        _ => Style::new().red(),
    }
}

pub fn format_memory(memory_kb: u64) -> String {
    format!("{:.1} MB", memory_kb as f64 / 1024.0)
}

pub fn format_time(time_ms: u64) -> String {
    format!("{time_ms} ms")
}

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
fn status_text(state: &SubmissionState) -> String {
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
    }
}

/// A score without a needless `.0`, and at most three decimals.
pub fn format_score(score: f64) -> String {
    let rounded = (score * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// `30 / 70`; `- / 70` before it is graded; `30` when unbounded; `-` for a
/// group that scores nothing.
fn score_of(score: Option<f64>, max: Option<f64>) -> String {
    let shown = score.map(format_score).unwrap_or_else(|| "-".into());
    match max {
        Some(max) => format!("{shown} / {}", format_score(max)),
        None => shown,
    }
}

/// The group table of a scoring submission: each group's verdict, score
/// out of its points and cases passed, with why a group was cut short.
pub fn groups_table(groups: &[GroupResult], color: bool) -> String {
    let notes = groups.iter().any(|g| g.message.is_some());
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![
                g.name.clone(),
                g.verdict
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "…".into()),
                score_of(g.score, g.max_score),
                format!("{}/{}", g.passed, g.total),
            ];
            if notes {
                row.push(g.message.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    let headers = ["GROUP", "VERDICT", "SCORE", "PASSED", "NOTE"];
    let text = table(&headers[..if notes { 5 } else { 4 }], &rows);
    if !color {
        return text;
    }
    // Colour the verdict cells only; the table is laid out uncoloured so the
    // escape codes do not count towards column widths.
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for (line, group) in lines.zip(groups) {
        out.push('\n');
        match group.verdict {
            Some(v) => {
                let cell = v.to_string();
                let at = line[group.name.len()..]
                    .find(&cell)
                    .map(|i| i + group.name.len());
                match at {
                    Some(i) => {
                        out.push_str(&line[..i]);
                        out.push_str(&paint(true, verdict_style(v), &cell));
                        out.push_str(&line[i + cell.len()..]);
                    }
                    None => out.push_str(line),
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A line for a group that has just been graded, shown live under its tests.
pub fn group_line(group: &GroupResult, color: bool) -> String {
    let verdict = group.verdict.unwrap_or(Verdict::IE);
    let mut line = format!(
        "  {} group {}: {} ({}/{} passed)",
        paint(color, verdict_style(verdict), &verdict.to_string()),
        group.name,
        score_of(group.score, group.max_score),
        group.passed,
        group.total,
    );
    if let Some(message) = group.message.as_deref().filter(|m| !m.trim().is_empty()) {
        line.push_str(&format!(" — {}", message.trim()));
    }
    line
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

/// A plain text table: a header row, then the rows, columns padded to fit.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if i < widths.len() {
                widths[i] = widths[i].max(cell.chars().count());
            }
        }
    }
    let render = |cells: Vec<&str>| {
        let mut line = String::new();
        for (i, cell) in cells.iter().enumerate() {
            if i + 1 == cells.len() {
                line.push_str(cell);
            } else {
                let pad = widths[i] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        line.trim_end().to_string()
    };
    let mut out = render(headers.to_vec());
    for row in rows {
        out.push('\n');
        out.push_str(&render(row.iter().map(String::as_str).collect()));
    }
    out
}

fn text_field(value: &serde_json::Value, key: &str) -> String {
    match value.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The list under `key` when the API wraps it in an object, or the array itself.
fn list<'a>(value: &'a serde_json::Value, key: &str) -> &'a [serde_json::Value] {
    value
        .as_array()
        .or_else(|| value.get(key).and_then(|v| v.as_array()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `judge problems`: from the JSON of `GET /api/problems`.
pub fn problems_table(value: &serde_json::Value) -> String {
    // `best` is there only when the API knows the caller (a token).
    let with_best = list(value, "problems")
        .iter()
        .any(|p| p.get("best").is_some());
    let with_points = list(value, "problems")
        .iter()
        .any(|p| p.get("scoring").and_then(|v| v.as_bool()) == Some(true));
    let rows: Vec<Vec<String>> = list(value, "problems")
        .iter()
        .map(|p| {
            let time = p
                .get("time_limit_ms")
                .and_then(|v| v.as_u64())
                .map(|ms| format!("{:.1} s", ms as f64 / 1000.0))
                .unwrap_or_default();
            let memory = p
                .get("memory_mb")
                .and_then(|v| v.as_u64())
                .map(|mb| format!("{mb} MB"))
                .unwrap_or_default();
            let tests = match p.get("tests") {
                Some(serde_json::Value::Array(a)) => a.len().to_string(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let mut row = vec![
                text_field(p, "id"),
                text_field(p, "name"),
                time,
                memory,
                tests,
            ];
            if with_points {
                row.push(points(p));
            }
            if with_best {
                row.push(best_cell(p));
            }
            row
        })
        .collect();
    if rows.is_empty() {
        return "No problems.".into();
    }
    let mut headers = vec!["ID", "NAME", "TIME", "MEMORY", "TESTS"];
    if with_points {
        headers.push("POINTS");
    }
    if with_best {
        headers.push("BEST");
    }
    table(&headers, &rows)
}

/// A scoring problem's points (`100`, or `scoring` when unbounded); empty
/// for pass-fail.
fn points(problem: &serde_json::Value) -> String {
    if problem.get("scoring").and_then(|v| v.as_bool()) != Some(true) {
        return String::new();
    }
    match problem.get("max_score").and_then(|v| v.as_f64()) {
        Some(max) => format_score(max),
        None => "scoring".into(),
    }
}

/// The caller's best on a problem: `✓ solved`, `✗ tried`, or the score.
fn best_cell(problem: &serde_json::Value) -> String {
    let Some(best) = problem.get("best").filter(|b| b.is_object()) else {
        return String::new();
    };
    let solved = best.get("solved").and_then(|v| v.as_bool()) == Some(true);
    let mark = if solved { "✓" } else { "✗" };
    match best.get("score").and_then(|v| v.as_f64()) {
        Some(score) => format!(
            "{mark} {}",
            score_of(Some(score), best.get("max_score").and_then(|v| v.as_f64()))
        ),
        None if solved => format!("{mark} solved"),
        None => format!(
            "{mark} {}",
            best.get("verdict")
                .and_then(|v| v.as_str())
                .unwrap_or("tried")
        ),
    }
}

/// `judge languages`: from the JSON of `GET /api/languages`.
pub fn languages_table(value: &serde_json::Value) -> String {
    let rows: Vec<Vec<String>> = list(value, "languages")
        .iter()
        .map(|l| {
            let extensions = l
                .get("extensions")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e.as_str())
                        .map(|e| format!(".{}", e.trim_start_matches('.')))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            vec![text_field(l, "id"), text_field(l, "name"), extensions]
        })
        .collect();
    if rows.is_empty() {
        return "No languages.".into();
    }
    table(&["ID", "NAME", "EXTENSIONS"], &rows)
}

/// `judge problem ID`: the limits, the statement and the samples.
pub fn problem_details(value: &serde_json::Value) -> String {
    let mut out = format!(
        "{} ({})\n",
        text_field(value, "name"),
        text_field(value, "id")
    );
    if let Some(ms) = value.get("time_limit_ms").and_then(|v| v.as_u64()) {
        out.push_str(&format!("  time limit    {:.1} s\n", ms as f64 / 1000.0));
    }
    if let Some(mb) = value.get("memory_mb").and_then(|v| v.as_u64()) {
        out.push_str(&format!("  memory limit  {mb} MB\n"));
    }
    if value.get("scoring").and_then(|v| v.as_bool()) == Some(true) {
        let max = value.get("max_score").and_then(|v| v.as_f64());
        out.push_str(&format!(
            "  scoring       {}\n",
            max.map(|m| format!("{} points", format_score(m)))
                .unwrap_or_else(|| "unbounded".into())
        ));
        if let Some(groups) = value.get("groups").and_then(|g| g.as_array()) {
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|g| {
                    let tests = g
                        .get("tests")
                        .and_then(|t| t.as_array())
                        .map_or(0, Vec::len);
                    let requires = g
                        .get("require_pass")
                        .and_then(|r| r.as_array())
                        .map(|r| {
                            r.iter()
                                .filter_map(|n| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    vec![
                        text_field(g, "name"),
                        g.get("max_score")
                            .and_then(|m| m.as_f64())
                            .map(format_score)
                            .unwrap_or_else(|| "-".into()),
                        tests.to_string(),
                        text_field(g, "aggregation"),
                        requires,
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&table(
                &["GROUP", "POINTS", "TESTS", "AGGREGATION", "REQUIRES"],
                &rows,
            ));
            out.push('\n');
        }
    }
    if let Some(text) = value
        .get("statement")
        .and_then(|s| s.get("text"))
        .and_then(|t| t.as_str())
    {
        out.push('\n');
        out.push_str(text.trim_end());
        out.push('\n');
    }
    if let Some(samples) = value.get("samples").and_then(|s| s.as_array()) {
        for sample in samples {
            out.push_str(&format!(
                "\nSample {}\n-- input --\n{}-- output --\n{}",
                text_field(sample, "name"),
                text_field(sample, "input"),
                text_field(sample, "output")
            ));
        }
    }
    out.trim_end().to_string()
}

/// Prints the progress of a followed submission: finished tests as lines,
/// and (on a terminal) a bar or spinner below them.
pub struct Reporter {
    bar: Option<ProgressBar>,
    color: bool,
    quiet: bool,
    /// Without a bar, the wait in the queue is told once (on stderr), not
    /// at every step of a long queue.
    queued_told: std::cell::Cell<bool>,
}

impl Reporter {
    /// `interactive`: stdout is a terminal and output is not JSON.
    /// `quiet`: print nothing at all (JSON mode).
    pub fn new(interactive: bool, color: bool, quiet: bool) -> Self {
        let bar = (interactive && !quiet).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner:.cyan} {msg} {wide_bar:.cyan/blue} {pos}/{len} {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar.set_message("submitted");
            bar
        });
        Reporter {
            bar,
            color,
            quiet,
            queued_told: std::cell::Cell::new(false),
        }
    }

    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(text),
            None => println!("{text}"),
        }
    }

    /// A note for the user that is not part of the result (reconnecting, ...): stderr.
    pub fn note(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Shows the newly finished tests, then the groups they completed, and
    /// moves the bar.
    pub fn update(
        &self,
        state: &SubmissionState,
        new_results: &[TestResult],
        new_groups: &[GroupResult],
    ) {
        for result in new_results {
            self.line(&test_line(result, self.color));
        }
        for group in new_groups {
            self.line(&group_line(group, self.color));
        }
        if self.bar.is_none() && !self.queued_told.get() {
            if let Some(line) = queued_line(state).filter(|_| state.queue_position > Some(0)) {
                self.queued_told.set(true);
                self.note(&line);
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_length(state.tests_total as u64);
            bar.set_position(state.results.len() as u64);
            let message = match state.status {
                Status::Queued => status_text(state),
                Status::Compiling => "compiling".to_string(),
                Status::Running => format!(
                    "running test {}",
                    (state.results.len() + 1).min(state.tests_total.max(1))
                ),
                Status::Finished => "finished".to_string(),
            };
            bar.set_message(message);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn scores_are_shown_without_needless_decimals() {
        assert_eq!(format_score(30.0), "30");
        assert_eq!(format_score(12.5), "12.5");
        assert_eq!(format_score(1.0 / 3.0), "0.333");
    }

    #[test]
    fn problem_pages_and_lists_show_points_and_the_best() {
        let page = serde_json::json!({
            "id": "subtasks", "name": "Subtasks", "time_limit_ms": 1000, "memory_mb": 256,
            "scoring": true, "max_score": 100.0,
            "groups": [
                {"name": "sample", "tests": [1], "aggregation": "pass-fail"},
                {"name": "secret/small", "tests": [2, 3], "max_score": 40.0, "aggregation": "min"},
                {"name": "secret/large", "tests": [4], "max_score": 60.0, "aggregation": "min",
                 "require_pass": ["secret/small"]},
            ],
        });
        let text = problem_details(&page);
        assert!(text.contains("  scoring       100 points\n"), "{text}");
        assert!(
            text.contains(
                "GROUP         POINTS  TESTS  AGGREGATION  REQUIRES\n\
                           sample        -       1      pass-fail\n\
                           secret/small  40      2      min\n\
                           secret/large  60      1      min          secret/small"
            ),
            "{text}"
        );
        let list = serde_json::json!([
            {"id": "aplusb", "name": "A plus B", "time_limit_ms": 1000, "memory_mb": 256, "tests": 8,
             "best": {"verdict": "AC", "solved": true}},
            {"id": "hello", "name": "Hello", "time_limit_ms": 1000, "memory_mb": 256, "tests": 1,
             "best": {"verdict": "WA", "solved": false}},
            {"id": "subtasks", "name": "Subtasks", "time_limit_ms": 1000, "memory_mb": 256, "tests": 4,
             "scoring": true, "max_score": 100.0,
             "best": {"verdict": "WA", "solved": false, "score": 40.0, "max_score": 100.0}},
            {"id": "zzz", "name": "Untried", "time_limit_ms": 1000, "memory_mb": 256, "tests": 1, "best": null},
        ]);
        let t = problems_table(&list);
        assert_eq!(
            t,
            "ID        NAME      TIME   MEMORY  TESTS  POINTS  BEST\n\
             aplusb    A plus B  1.0 s  256 MB  8              ✓ solved\n\
             hello     Hello     1.0 s  256 MB  1              ✗ WA\n\
             subtasks  Subtasks  1.0 s  256 MB  4      100     ✗ 40 / 100\n\
             zzz       Untried   1.0 s  256 MB  1"
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
    fn tables_align_columns() {
        let t = table(
            &["ID", "NAME"],
            &[
                vec!["hello".into(), "Hello".into()],
                vec!["a".into(), "A plus B".into()],
            ],
        );
        assert_eq!(t, "ID     NAME\nhello  Hello\na      A plus B");
    }

    #[test]
    fn problem_and_language_listings() {
        let problems = serde_json::json!([
            {"id": "aplusb", "name": "A plus B", "time_limit_ms": 1000, "memory_mb": 256, "tests": 8},
        ]);
        let t = problems_table(&problems);
        assert!(t.contains("aplusb  A plus B  1.0 s  256 MB  8"), "{t}");
        let languages =
            serde_json::json!([{"id": "cpp", "name": "C++17", "extensions": ["cc", "cpp"]}]);
        assert!(languages_table(&languages).contains("cpp  C++17  .cc .cpp"));
        assert_eq!(problems_table(&serde_json::json!([])), "No problems.");
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
