//! What the CLI prints: test lines, verdict lines, tables, and the progress
//! bar shown while a submission is judged.
//!
//! Formatting functions are pure (they take `color`) so they can be tested;
//! [`Reporter`] decides where the text goes.

use console::Style;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use judge_core::{Status, SubmissionState, TestResult, Verdict};

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
        return format!("{} is still {}", state.id, status_word(state.status));
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
        out.push_str(&format!(
            "   {passed}/{} tests   max {}   {}",
            state.tests_total,
            format_time(time_ms),
            format_memory(memory_kb)
        ));
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

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Queued => "queued",
        Status::Compiling => "compiling",
        Status::Running => "running",
        Status::Finished => "finished",
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
        status_word(state.status)
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
            vec![
                text_field(p, "id"),
                text_field(p, "name"),
                time,
                memory,
                tests,
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No problems.".into();
    }
    table(&["ID", "NAME", "TIME", "MEMORY", "TESTS"], &rows)
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
        Reporter { bar, color, quiet }
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

    /// Shows the newly finished tests and moves the bar.
    pub fn update(&self, state: &SubmissionState, new_results: &[TestResult]) {
        for result in new_results {
            self.line(&test_line(result, self.color));
        }
        if let Some(bar) = &self.bar {
            bar.set_length(state.tests_total as u64);
            bar.set_position(state.results.len() as u64);
            let message = match state.status {
                Status::Queued => "queued".to_string(),
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
            "✗ Wrong Answer (WA) on secret/02   1/3 tests   max 12 ms   3.1 MB"
        );
        let s = state(Some(Verdict::AC), vec![result(1, "sample/1", Verdict::AC)]);
        assert!(final_report(&s, false).starts_with("✓ Accepted (AC)   1/3 tests"));
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
