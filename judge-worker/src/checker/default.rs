//! The default output validator, run on the worker: the expected answer
//! never leaves it, and only a sample keeps the comparison's message (it
//! quotes the answer).

use problem_package::compare::{self, DefaultValidatorFlags, Outcome};
use problem_package::problem::Problem;
use submission::Verdict;

use super::outcome::{Checked, Ran};
use crate::verdict::test_result;

/// Compares test `position`'s output with its answer; `Err` is a judge
/// fault (unreadable answer, bad flags).
pub async fn check(problem: &Problem, position: usize, ran: Ran) -> Result<Checked, String> {
    let test = &problem.tests[position];
    let flags = DefaultValidatorFlags::parse(&test.validator_flags)
        .map_err(|e| format!("test {}: validator flags: {e}", test.name))?;
    let answer_path = problem.root.join(&test.answer);
    let name = test.name.clone();
    let output = ran.stdout;
    let outcome = tokio::task::spawn_blocking(move || {
        let answer = std::fs::read(&answer_path)
            .map_err(|e| format!("test {name}: cannot read the answer: {e}"))?;
        Ok::<_, String>(compare::compare(&answer, &output, &flags))
    })
    .await
    .map_err(|e| format!("comparison failed: {e}"))??;
    let (verdict, message) = match outcome {
        Outcome::Accepted => (Verdict::AC, None),
        Outcome::WrongAnswer(why) => (Verdict::WA, Some(why)),
    };
    Ok(Checked::new(test_result(
        position + 1,
        test,
        &ran.report,
        verdict,
        message,
    )))
}
