//! How one test is checked, each way in its own module behind one
//! interface ([`Checker::judge`]): the default comparison on the worker
//! ([`default`]), the package's output validator in a sandbox of its own,
//! pass after pass for multi-pass problems ([`custom`]), and an interactive
//! run of the submission against the validator ([`interactive`]). Which
//! test comes next, and what its verdict means for the submission, is the
//! grader's ([`crate::grader`]); running tests in order is the session's
//! (`session.rs`).

pub mod custom;
pub mod default;
pub mod function;
pub mod interactive;

use std::sync::Arc;

use judge_protocol::{Limits, Report};
use problem_package::problem::{Problem, ValidationKind};
use submission::RunOutput;
use submission::{TestResult, Verdict};

use crate::custom_run;
use crate::grader::ScoreFile;
use crate::sandbox::runner_session::RunnerSession;
use crate::validator::compiled::CompiledValidator;
use crate::verdict::{test_result, verdict_from_report};
use crate::worker::Worker;

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
    fn new(result: TestResult) -> Checked {
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

/// Everything a checker may need about the submission's sandbox and the
/// problem, for one judging.
pub struct TestRun<'a> {
    pub worker: &'a Worker,
    pub runner: &'a mut RunnerSession,
    pub problem: &'a Problem,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub limits: Limits,
    pub submission_id: &'a str,
}

/// How a problem's outputs are checked.
pub enum Checker {
    Default,
    Custom(custom::Custom),
    Interactive(interactive::Interactive),
    /// A function problem's returned value ([`function`]).
    Function(problem_package::function::FunctionSpec),
}

impl Checker {
    /// The checker of `problem`; `compiled` is its validator, built once
    /// per problem version ([`crate::validator`]).
    pub fn new(
        problem: &Problem,
        compiled: Option<Arc<CompiledValidator>>,
    ) -> Result<Checker, String> {
        match (&problem.validation, compiled) {
            (ValidationKind::Default, _) => Ok(match &problem.function {
                Some(spec) => Checker::Function(spec.clone()),
                None => Checker::Default,
            }),
            (ValidationKind::Custom, Some(c)) => Ok(Checker::Custom(custom::Custom::new(c))),
            (ValidationKind::Interactive, Some(c)) => {
                Ok(Checker::Interactive(interactive::Interactive::new(c)))
            }
            (_, None) => Err("the problem's output validator is not built".into()),
        }
    }

    /// Whether the next test's run may be sent before this one's output is
    /// checked: not when the checker runs the submission itself
    /// (interactive) or may run it again (multi-pass).
    pub fn pipelined(&self, problem: &Problem) -> bool {
        !matches!(self, Checker::Interactive(_)) && problem.validation_passes.is_none()
    }

    /// Whether the checker runs the submission itself (interactive).
    pub fn runs_itself(&self) -> bool {
        matches!(self, Checker::Interactive(_))
    }

    /// Judges test `position` (0-based); `ran` is its run unless the
    /// checker runs it itself. `Err` is a judge error, never a verdict.
    pub async fn judge(
        &mut self,
        run: &mut TestRun<'_>,
        position: usize,
        ran: Option<Ran>,
    ) -> Result<Checked, String> {
        let test = &run.problem.tests[position];
        let index = position + 1;
        let ran = match (&mut *self, ran) {
            (Checker::Interactive(c), _) => return c.judge(run, position).await,
            (_, None) => return Err(format!("test {}: no run to check", test.name)),
            (_, Some(ran)) => ran,
        };
        // A custom run is shown, not compared.
        if custom_run::is_run(run.problem) {
            let verdict = verdict_from_report(&ran.report).unwrap_or(Verdict::AC);
            let mut checked = Checked::new(test_result(index, test, &ran.report, verdict, None));
            checked.run_output = Some(custom_run::output(run.problem, &ran.report, &ran.stdout));
            return Ok(checked);
        }
        // A report that is a verdict by itself (TLE, RE, ...) needs no check.
        if let Some(verdict) = verdict_from_report(&ran.report) {
            return Ok(Checked::new(test_result(
                index,
                test,
                &ran.report,
                verdict,
                None,
            )));
        }
        match self {
            Checker::Default => default::check(run.problem, position, ran).await,
            Checker::Custom(c) => c.check(run, position, ran).await,
            Checker::Function(spec) => function::check(run.problem, spec, position, ran).await,
            Checker::Interactive(_) => unreachable!("handled above"),
        }
    }

    /// Removes the validator's sandbox, if one was made.
    pub async fn close(self) {
        match self {
            Checker::Default | Checker::Function(_) => {}
            Checker::Custom(c) => c.close().await,
            Checker::Interactive(c) => c.close().await,
        }
    }
}

/// The name of the `index`-th test's input (1-based) in the sandbox's tests
/// directory: what the upload writes and a `Run` asks for. No package name
/// reaches the sandbox's paths.
pub fn test_input(index: usize) -> String {
    format!("{index}.in")
}
