//! The failing case shown to the submitter ([`TestDetail`]): the input,
//! the expected answer, what the program printed and where it first
//! differs, its stderr. Only for tests whose answer the submitter may see:
//! samples, and every test of a function problem whose spec says
//! `show_all_cases`. A secret test's answer never leaves the worker.
//!
//! The session keeps what the detail needs of a run ([`Seen`]) before the
//! checker takes the run, and asks for the detail once the test failed, so
//! that every checker (default, custom, function) gets it the same way.

use judge_core::compare::{self, DefaultValidatorFlags};
use judge_core::model::TestDetail;
use judge_core::problem::Problem;
use judge_core::Verdict;

use crate::checker::Ran;
use crate::custom_run;

/// Whether test `position` of `problem` may show its detail when it fails.
pub fn shown(problem: &Problem, position: usize) -> bool {
    !custom_run::is_run(problem) && problem.tests[position].is_sample
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
    let made = tokio::task::spawn_blocking(move || {
        let input = read_start(&input_path)?;
        let answer = std::fs::read(&answer_path)?;
        Ok::<_, std::io::Error>(assemble(&input, &answer, seen, verdict, &flags))
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

/// The start of a file: enough to show, and to know it was cut.
fn read_start(path: &std::path::Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut start = Vec::new();
    std::fs::File::open(path)?
        .take(judge_core::model::DETAIL_SHOWN_BYTES as u64 + 1)
        .read_to_end(&mut start)?;
    Ok(start)
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_core::model::DETAIL_SHOWN_BYTES;

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
}
