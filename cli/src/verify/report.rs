//! What the command prints: the table of submissions, the summary lines
//! below it, and the same as JSON with `--json`.

use api_types::ImportAnswer;
use serde_json::json;

use super::check::{count, passed, Outcome, Row};
use super::limit::{Limit, PROBE_TIME_LIMIT_MS};
use super::mode::Mode;
use crate::commands::{self, Context};
use crate::error::CliError;
use crate::output;
use problem_package::timelimit;

/// The first 12 characters of a version hash, as shown.
pub(super) fn short(version: &str) -> &str {
    &version[..version.len().min(12)]
}

/// The table as printed: one line per submission, reasons below.
pub fn render(rows: &[Row], color: bool) -> String {
    let cells: Vec<Vec<String>> = rows.iter().map(cells).collect();
    let table = output::table::table(
        &[
            "submission",
            "language",
            "expected",
            "got",
            "max time",
            "test case",
            "result",
        ],
        &cells,
    );
    let mut out = String::new();
    for (i, line) in table.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&paint(line, rows[i - 1].outcome, color));
        } else {
            out.push_str(line);
        }
    }
    let notes: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.reason
                .as_ref()
                .map(|why| format!("  {}: {why}", r.submission))
        })
        .collect();
    if !notes.is_empty() {
        out.push_str("\n\n");
        out.push_str(&notes.join("\n"));
    }
    out
}

/// A row's cells, `-` for what it lacks.
fn cells(r: &Row) -> Vec<String> {
    let or_dash = |text: &str| {
        if text.is_empty() {
            "-".to_string()
        } else {
            text.to_string()
        }
    };
    vec![
        r.submission.clone(),
        or_dash(&r.language),
        r.expected.clone(),
        or_dash(&r.got),
        r.max_time_ms
            .map(output::style::format_time)
            .unwrap_or_else(|| "-".into()),
        r.test_case.clone().unwrap_or_else(|| "-".into()),
        match r.outcome {
            Outcome::Ok => "ok",
            Outcome::Warning => "WARNING",
            Outcome::Mismatch => "MISMATCH",
            Outcome::Skipped => "skipped",
        }
        .to_string(),
    ]
}

/// A table line in its outcome's colour, with `color`.
fn paint(text: &str, outcome: Outcome, color: bool) -> String {
    if !color {
        return text.to_string();
    }
    let style = match outcome {
        Outcome::Ok => console::Style::new().green(),
        Outcome::Warning => console::Style::new().yellow(),
        Outcome::Mismatch => console::Style::new().red().bold(),
        Outcome::Skipped => console::Style::new().dim(),
    };
    style.apply_to(text).to_string()
}

/// Lower-bound submissions that already fail at the probe limit: the
/// limit cannot be derived from them.
pub(super) fn print_failed_derivation(
    ctx: &Context,
    id: &str,
    failures: &[Row],
) -> Result<u8, CliError> {
    if ctx.json {
        commands::print_json(&json!({
            "id": id,
            "passed": false,
            "error": "the time limit cannot be derived: submissions that bound it fail with the probe limit",
            "rows": failures,
        }))?;
    } else {
        println!("{}", render(failures, ctx.color));
        println!();
        println!(
            "problem {id}: the time limit cannot be derived: these submissions fail even with the {} probe limit; nothing was published",
            timelimit::seconds(PROBE_TIME_LIMIT_MS as f64 / 1000.0)
        );
    }
    Ok(crate::error::code::REJECTED)
}

/// `judge problem add DIR` without `--verify`: the version published with
/// its (derived) limit; `answer` is the API's.
pub(super) fn print_published(
    ctx: &Context,
    id: &str,
    limit: &Limit,
    answer: &ImportAnswer,
) -> Result<(), CliError> {
    let version = &answer.version;
    let source = &limit.source;
    if ctx.json {
        commands::print_json(&json!({
            "id": id,
            "version": version,
            "published": true,
            "time_limit_ms": limit.time_limit_ms,
            "time_limit_source": source,
            "import": answer,
        }))?;
    } else {
        println!(
            "problem {id}: version {version} published ({} tests), time limit {} ({source})",
            answer.tests,
            limit.shown(),
        );
    }
    commands::print_warnings(&answer.warnings, &answer.validator.notes);
    Ok(())
}

/// What a verification found.
pub(super) struct Verification<'a> {
    pub mode: Mode,
    pub id: &'a str,
    /// The version verified, and `draft` or `current version` (when the
    /// package was that already).
    pub version: &'a str,
    pub what: &'a str,
    /// The package format's version (`legacy`, `2025-09`).
    pub format: &'a str,
    pub limit: &'a Limit,
    /// The limit the must-be-too-slow submissions were judged with.
    pub check_ms: u64,
    pub rows: &'a [Row],
    pub published: bool,
}

/// The table and the verdict on the package, or the same as JSON.
pub(super) fn print_verification(ctx: &Context, v: &Verification) -> Result<(), CliError> {
    if ctx.json {
        print_verification_json(v)
    } else {
        print_verification_text(ctx, v);
        Ok(())
    }
}

fn print_verification_json(v: &Verification) -> Result<(), CliError> {
    commands::print_json(&json!({
        "id": v.id,
        "version": v.version,
        "format": v.format,
        "time_limit_ms": v.limit.time_limit_ms,
        "time_limit_source": v.limit.source,
        "tle_check_limit_ms": v.check_ms,
        "passed": passed(v.rows),
        "mismatches": count(v.rows, Outcome::Mismatch),
        "warnings": count(v.rows, Outcome::Warning),
        "skipped": count(v.rows, Outcome::Skipped),
        "published": v.published,
        "rows": v.rows,
    }))
}

fn print_verification_text(ctx: &Context, v: &Verification) {
    let (id, version) = (v.id, v.version);
    println!("{}", render(v.rows, ctx.color));
    println!();
    println!(
        "problem {id} ({} format), {} {}: time limit {} ({}); must-be-too-slow submissions judged with {}",
        v.format,
        v.what,
        short(version),
        v.limit.shown(),
        v.limit.source,
        timelimit::seconds(v.check_ms as f64 / 1000.0),
    );
    let passed = passed(v.rows);
    let verdict = if passed {
        "verification passed"
    } else {
        "verification FAILED"
    };
    println!(
        "{verdict}: {} ok, {} mismatch(es), {} warning(s), {} skipped (not judged, not counted as failures)",
        count(v.rows, Outcome::Ok),
        count(v.rows, Outcome::Mismatch),
        count(v.rows, Outcome::Warning),
        count(v.rows, Outcome::Skipped),
    );
    match (v.mode, passed) {
        (Mode::Add { .. }, true) => println!("problem {id}: version {version} published"),
        (Mode::Add { .. }, false) => {
            println!(
                "problem {id}: not published; the draft {} stays unseen by users",
                short(version)
            )
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_names_the_mismatch() {
        let rows = vec![Row {
            submission: "accepted/wrong.py".into(),
            language: "python3".into(),
            expected: "AC".into(),
            got: "WA".into(),
            max_time_ms: Some(20),
            test_case: Some("sample/1".into()),
            time_limit_ms: Some(1000),
            outcome: Outcome::Mismatch,
            reason: Some("WA is not permitted by accepted/".into()),
            submission_id: None,
        }];
        let text = render(&rows, false);
        assert!(text.starts_with("submission"), "{text}");
        assert!(
            text.contains("accepted/wrong.py  python3   AC        WA"),
            "{text}"
        );
        assert!(text.contains("MISMATCH"), "{text}");
        assert!(text.contains("sample/1"), "{text}");
        assert!(
            text.contains("accepted/wrong.py: WA is not permitted"),
            "{text}"
        );
    }
}
