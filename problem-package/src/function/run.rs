//! A custom run (`POST /api/run`) that calls a function problem's function
//! on arguments the user typed, in the notation of a `.in` file. A run has
//! no problem of its own (`problem_id` is `(run)`), so its record names the
//! function problem in `problem_version` (see [`run_version`]); the worker
//! loads that version's signature and builds the harness as for a
//! submission. [`check_run`] is what the API checks before queueing one.

use super::support::{supports, FunctionError};
use crate::problem::summary::ProblemSummary;

const RUN_PREFIX: &str = "function:";

/// What a custom run's record carries in `problem_version` when it calls
/// `problem_id`'s function at `version`. Plain runs leave it empty.
pub fn run_version(problem_id: &str, version: &str) -> String {
    format!("{RUN_PREFIX}{problem_id}@{version}")
}

/// The problem id and version named by [`run_version`]; `None` for a
/// plain run.
pub fn run_target(problem_version: &str) -> Option<(&str, &str)> {
    problem_version.strip_prefix(RUN_PREFIX)?.split_once('@')
}

/// A run naming `problem` (its current summary): `Ok(None)` when it is not
/// a function problem (the run reads stdin as any run), `Ok(Some(v))` with
/// the record's `problem_version` when it is, or the field at fault
/// (`language` without a harness, `input` that does not fit the
/// signature) and why, for a 422.
pub fn check_run(
    problem: &ProblemSummary,
    language: &str,
    input: &str,
) -> Result<Option<String>, (&'static str, String)> {
    let Some(spec) = &problem.function else {
        return Ok(None);
    };
    if !supports(language) {
        let e = FunctionError::UnsupportedLanguage {
            language: language.to_string(),
        };
        return Err(("language", e.to_string()));
    }
    spec.parse_input(input).map_err(|e| {
        (
            "input",
            format!("the arguments of {}: {e}", spec.signature()),
        )
    })?;
    Ok(Some(run_version(&problem.id, &problem.version)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_run_names_its_function_problem() {
        let v = run_version("two-sum", "ab12");
        assert_eq!(run_target(&v), Some(("two-sum", "ab12")));
        assert_eq!(run_target(""), None);
    }

    #[test]
    fn runs_are_checked_against_the_signature() {
        let mut summary: ProblemSummary = serde_json::from_value(serde_json::json!({
            "id": "two-sum", "name": "Two Sum", "version": "ab12", "time_limit_ms": 1000,
            "memory_mb": 256, "output_mb": 8, "validation": "default", "tests": 1,
            "statement": null, "samples": [],
            "function": {"name": "twoSum", "params": [{"name": "nums", "type": "int[]"},
                {"name": "target", "type": "int"}], "returns": "int[]"}
        }))
        .unwrap();
        assert_eq!(
            check_run(&summary, "cpp", "[1,2]\n3\n").unwrap().as_deref(),
            Some("function:two-sum@ab12")
        );
        let (field, why) = check_run(&summary, "cpp", "[1,2]\nx\n").unwrap_err();
        assert_eq!(field, "input");
        assert!(why.contains("line 2: target"), "{why}");
        assert_eq!(check_run(&summary, "bash", "").unwrap_err().0, "language");
        summary.function = None;
        assert_eq!(check_run(&summary, "go", "anything").unwrap(), None);
    }
}
