//! The failing case shown to the submitter ([`TestDetail`]): the input,
//! the expected answer, what the program printed and where it first
//! differs, its stderr. Only for tests whose answer the submitter may see:
//! samples, and every test of a function problem whose spec says
//! `show_all_cases`. For a function problem, `received` is the returned
//! value and `stdout` what the user's code printed. A secret test's answer never leaves the worker.
//!
//! The session keeps what the detail needs of a run ([`Seen`]) before the
//! checker takes the run, and asks for the detail once the test failed, so
//! that every checker (default, custom, function) gets it the same way.

use problem_package::compare::{self, DefaultValidatorFlags, TextPosition};
use problem_package::function::{self, FunctionSpec};
use problem_package::problem::Problem;
use submission::TestDetail;
use submission::Verdict;

use crate::checker::outcome::Ran;
use crate::custom_run;

/// Whether test `position` of `problem` may show its detail when it fails.
pub fn shown(problem: &Problem, position: usize) -> bool {
    let all = problem.function.as_ref().is_some_and(|f| f.show_all_cases);
    !custom_run::is_run(problem) && (all || problem.tests[position].is_sample)
}

/// What the detail needs of a run: its whole stdout (the first difference
/// may lie past what is shown) and the start of its stderr.
pub struct Seen {
    stdout: Vec<u8>,
    stderr: String,
}

impl Seen {
    pub fn of(ran: &Ran) -> Seen {
        Seen {
            stdout: ran.stdout.clone(),
            stderr: ran.report.stderr.clone(),
        }
    }
}

/// The detail of failing test `position`; `None` (logged) when its files
/// cannot be read, since the detail is a courtesy, not a verdict.
pub async fn detail(
    problem: &Problem,
    position: usize,
    seen: Seen,
    verdict: Verdict,
) -> Option<TestDetail> {
    let test = &problem.tests[position];
    let input_path = problem.root.join(&test.input);
    let answer_path = problem.root.join(&test.answer);
    let flags = DefaultValidatorFlags::parse(&test.validator_flags).unwrap_or_default();
    let name = test.name.clone();
    let function = problem.function.clone();
    let made = tokio::task::spawn_blocking(move || {
        let input = read_start(&input_path)?;
        let answer = std::fs::read(&answer_path)?;
        Ok::<_, std::io::Error>(match function {
            Some(spec) => assemble_function(&spec, &input, &answer, seen, verdict),
            None => assemble(&input, &answer, seen, verdict, &flags),
        })
    })
    .await;
    match made {
        Ok(Ok(detail)) => Some(detail),
        Ok(Err(e)) => {
            tracing::warn!(test = %name, "no case detail: {e}");
            None
        }
        Err(e) => {
            tracing::warn!(test = %name, "no case detail: {e}");
            None
        }
    }
}

/// The detail from the texts. The first difference is the default
/// validator's, given only for a wrong answer (a crash or a limit cut the
/// output short, so where it stops says nothing).
fn assemble(
    input: &[u8],
    answer: &[u8],
    seen: Seen,
    verdict: Verdict,
    flags: &DefaultValidatorFlags,
) -> TestDetail {
    let first_difference = if verdict == Verdict::WA {
        compare::first_difference(answer, &seen.stdout, flags)
    } else {
        None
    };
    let (input, input_cut) = TestDetail::excerpt(input);
    let (expected, expected_cut) = TestDetail::excerpt(answer);
    let (received, received_cut) = TestDetail::excerpt(&seen.stdout);
    let (stderr, stderr_cut) = TestDetail::excerpt(seen.stderr.as_bytes());
    TestDetail {
        input,
        expected,
        received,
        stderr,
        stdout: None,
        truncated: input_cut || expected_cut || received_cut || stderr_cut,
        first_difference,
    }
}

/// The detail of a function problem's test: `received` is the value the
/// function returned (the harness prints it after a separator), `stdout`
/// what the user's code printed before it, and `expected` the answer in
/// the same compact notation, so that their first difference is where
/// the values differ.
fn assemble_function(
    spec: &FunctionSpec,
    input: &[u8],
    answer: &[u8],
    seen: Seen,
    verdict: Verdict,
) -> TestDetail {
    let split = function::output::split(&seen.stdout);
    let answer_text = String::from_utf8_lossy(answer);
    let expected = function::value::parse(&spec.returns, &answer_text)
        .map(|v| v.canonical())
        .unwrap_or_else(|_| answer_text.trim_end().to_string());
    let returned = split.result.unwrap_or_default();
    let first_difference = (verdict == Verdict::WA)
        .then(|| first_text_difference(expected.as_bytes(), returned.as_bytes()))
        .flatten();
    let (input, input_cut) = TestDetail::excerpt(input);
    let (expected, expected_cut) = TestDetail::excerpt(expected.as_bytes());
    let (received, received_cut) = TestDetail::excerpt(returned.as_bytes());
    let (stdout, stdout_cut) = TestDetail::excerpt(split.stdout.as_bytes());
    let (stderr, stderr_cut) = TestDetail::excerpt(seen.stderr.as_bytes());
    TestDetail {
        input,
        expected,
        received,
        stderr,
        stdout: Some(stdout),
        truncated: input_cut || expected_cut || received_cut || stdout_cut || stderr_cut,
        first_difference,
    }
}

/// The position in `received` of its first byte that differs from
/// `expected` (or where one of them ends); `None` when they are equal.
fn first_text_difference(expected: &[u8], received: &[u8]) -> Option<TextPosition> {
    if expected == received {
        return None;
    }
    let at = expected
        .iter()
        .zip(received)
        .position(|(a, b)| a != b)
        .unwrap_or(expected.len().min(received.len()));
    // Back to the start of a character cut in half.
    let at = (0..=at)
        .rev()
        .find(|&i| i >= received.len() || (received[i] & 0xC0) != 0x80)
        .unwrap_or(0);
    Some(TextPosition::of_offset(received, at))
}

/// The start of a file: enough to show, and to know it was cut.
fn read_start(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::new();
    std::fs::File::open(path)?
        .take(submission::DETAIL_SHOWN_BYTES as u64 + 1)
        .read_to_end(&mut start)?;
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use submission::DETAIL_SHOWN_BYTES;

    fn seen(stdout: &str, stderr: &str) -> Seen {
        Seen {
            stdout: stdout.as_bytes().to_vec(),
            stderr: stderr.into(),
        }
    }

    #[test]
    fn a_wrong_answer_shows_the_texts_and_where_they_differ() {
        let flags = DefaultValidatorFlags::default();
        let d = assemble(b"1 2\n", b"3\n", seen("4\n", "debug"), Verdict::WA, &flags);
        assert_eq!(
            (
                d.input.as_str(),
                d.expected.as_str(),
                d.received.as_str(),
                d.stderr.as_str()
            ),
            ("1 2\n", "3\n", "4\n", "debug")
        );
        assert!(!d.truncated);
        let at = d.first_difference.unwrap();
        assert_eq!((at.line, at.column), (1, 1));
    }

    #[test]
    fn a_crash_has_no_first_difference_and_long_texts_are_cut() {
        let flags = DefaultValidatorFlags::default();
        let long = "x".repeat(DETAIL_SHOWN_BYTES * 2);
        let d = assemble(long.as_bytes(), b"3\n", seen("", ""), Verdict::RE, &flags);
        assert_eq!(d.first_difference, None);
        assert!(d.truncated);
        assert_eq!(d.input.len(), DETAIL_SHOWN_BYTES);
    }

    fn spec(json: serde_json::Value) -> FunctionSpec {
        serde_json::from_value(json).unwrap()
    }

    #[test]
    fn a_function_problem_shows_the_returned_value_apart_from_what_was_printed() {
        let spec = spec(serde_json::json!({
            "name": "twoSum",
            "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
            "returns": "int[]",
        }));
        let stdout = format!("looking\n\n{}\n[0,2]\n", function::output::SEPARATOR);
        let d = assemble_function(
            &spec,
            b"[2, 7, 11]\n9\n",
            b"[0, 1]\n",
            seen(&stdout, ""),
            Verdict::WA,
        );
        assert_eq!(
            d.expected, "[0,1]",
            "the answer in the returned value's notation"
        );
        assert_eq!(d.received, "[0,2]");
        assert_eq!(d.stdout.as_deref(), Some("looking\n"));
        assert_eq!(d.input, "[2, 7, 11]\n9\n");
        let at = d.first_difference.unwrap();
        assert_eq!((at.line, at.column), (1, 4));
    }

    #[test]
    fn text_differences() {
        let at = |a: &str, b: &str| {
            first_text_difference(a.as_bytes(), b.as_bytes()).map(|p| (p.line, p.column))
        };
        assert_eq!(at("[1]", "[1]"), None);
        assert_eq!(at("[1,2]", "[1]"), Some((1, 3)));
        assert_eq!(at("[1]", "[1,2]"), Some((1, 3)));
        assert_eq!(at("\"é\"", "\"è\""), Some((1, 2)));
    }
}
