//! What a checker works on and decides: a test's run as the runner reported
//! it ([`Ran`]) and the check's outcome ([`Checked`]), shared by every way of
//! checking and by the session that runs the tests.

use judge_protocol::Report;
use submission::{RunOutput, TestResult, Verdict};

use crate::grader::ScoreFile;

/// A test's run as the runner reported it: how it ended and its stdout.
#[derive(Clone, Debug)]
pub struct Ran {
    pub report: Report,
    pub stdout: Vec<u8>,
}

/// What checking one test decided.
#[derive(Clone, Debug)]
pub struct Checked {
    pub verdict: Verdict,
    /// The stored result (measurements, the message the submitter may see).
    pub result: TestResult,
    /// What the validator left about the score, for the grader.
    pub score: ScoreFile,
    /// A custom run's output, shown instead of compared.
    pub run_output: Option<RunOutput>,
    /// Runs beyond the first (multi-pass), and their wall time.
    pub extra_runs: u64,
    pub extra_wall_ms: u64,
}

impl Checked {
    pub(crate) fn new(result: TestResult) -> Checked {
        Checked {
            verdict: result.verdict,
            result,
            score: ScoreFile::None,
            run_output: None,
            extra_runs: 0,
            extra_wall_ms: 0,
        }
    }
}
