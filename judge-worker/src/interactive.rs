//! Interactive problems (`validation: custom interactive`, or `type:
//! [interactive]` in 2025-09).
//!
//! Each test runs two processes at once, each in its own sandbox: the
//! submission in its sandbox, the validator (`validator input answer
//! feedback_dir/ [flags]`) in the validator's sandbox, both started with
//! `RunInteractive`, the validator's stdout being the submission's stdin and
//! the other way round. Two ways to connect them ([`Transport`]): through a
//! pair of named pipes both sandboxes see ([`fifo`]), the kernel carrying
//! the bytes; or, where the engine does not share the worker's file system
//! (or `JUDGE_INTERACTIVE_RELAY` asks for it), relayed by the worker: every
//! `Output` chunk of one side becomes an `Input` of the other. Either way the
//! same loop ([`relay`]) times the pair and collects the two reports, and the
//! verdict is the same. The submission never sees the input file (it is
//! uploaded to the validator's sandbox only). The validator's feedback
//! directory is the runner's, as for a custom validator ([`crate::feedback`]).
//!
//! Time. The submission has its CPU time limit (the runner's rlimit and
//! its own accounting, as for any run) and the validator its own; time the
//! validator spends waiting for the submission costs it nothing. The pair
//! also has a wall clock, twice the submission's time limit ([`pair_wall`]):
//! when it runs out the submission is killed (`Kill`, reported as a wall
//! limit, hence TLE), and the validator, whose stdin is then closed, gets
//! [`VALIDATOR_GRACE`] to finish before it is killed too. A submission that
//! blocks (say, waiting for a reply to a question it never flushed) while
//! the validator waits for it is judged TLE by that clock, as problemtools,
//! Kattis and DOMjudge do: the usual cause is the submission's.
//!
//! The verdict follows problemtools, in this order ([`decide_pass`]):
//! 1. the validator crashed, hit a limit or exited other than 42/43: IE,
//!    unless the submission had already run out of a limit (TLE, MLE, OLE)
//!    before the validator ended: then that verdict, whatever the validator
//!    did once its stdin was closed on it;
//! 2. the validator exited first, with 43: WA, whatever the submission did next;
//! 3. the submission ran out of time: TLE (likewise MLE, OLE);
//! 4. the submission exited non-zero or died by a signal: RE;
//! 5. otherwise the validator's 42 (AC) or 43 (WA), or, in a multi-pass
//!    problem, 42 with `nextpass.in`: another pass, whose input file for the
//!    validator is that `nextpass.in`, with the feedback directory kept.

use std::time::Duration;

use judge_protocol::{Limits, Report, Request, Response, Termination};
use problem_package::problem::{Problem, TestCase, ValidationLimits};
use submission::{TestResult, Verdict};
use tokio::time::Instant;

use crate::feedback::{self, Feedback, PassOutcome, FEEDBACK_DIR};
use crate::grader::ScoreFile;
use crate::sandbox::error::SandboxError;
use crate::sandbox::pipes::{self, RunPipes};
use crate::sandbox::runner_session::RunnerSession;
use crate::validator::compiled::CompiledValidator;
use crate::validator::run::{data_entry, read_test_data, tar_of, validator_argv, ValidatorSandbox};
use crate::verdict::{describe, slowest_of, test_result, verdict_from_report};

/// How the two processes of an interactive run are connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transport {
    /// Every chunk through the worker.
    Relay,
    /// Named pipes between the two sandboxes.
    Fifo,
}

impl Transport {
    /// Named pipes where the sandboxes share them, unless the worker is
    /// told to relay (`JUDGE_INTERACTIVE_RELAY`).
    pub fn for_worker(config: &crate::config::Config) -> Transport {
        if !config.interactive_relay && pipes::usable() {
            Transport::Fifo
        } else {
            Transport::Relay
        }
    }
}

/// How long the validator may still run once the submission has ended.
pub const VALIDATOR_GRACE: Duration = Duration::from_secs(10);
const MIB: u64 = 1 << 20;

/// Both ends of one interactive run, as the relay saw them.
#[derive(Clone, Debug, PartialEq)]
pub struct Interaction {
    pub submission: Report,
    pub validator: Report,
    /// The validator's report arrived before the submission's.
    pub validator_first: bool,
    /// The validator was killed for running on after the submission ended.
    pub validator_killed: bool,
    /// What the validator left in its feedback directory.
    pub feedback: Feedback,
}

/// The submission ran out of a limit: TLE, MLE or OLE (not a crash).
fn out_of_limits(report: &Report) -> bool {
    matches!(
        report.termination,
        Termination::CpuLimit
            | Termination::WallLimit
            | Termination::MemoryLimit
            | Termination::OutputLimit
    )
}

/// The verdict of a single-pass interactive test; `Err` is a judge error
/// (IE) with a message for admins.
pub fn decide(i: &Interaction) -> Result<Verdict, String> {
    match decide_pass(i, None, 1)? {
        PassOutcome::Final(verdict) => Ok(verdict),
        PassOutcome::Next(_) => unreachable!("no next pass without multi-pass"),
    }
}

/// What pass `pass` of an interactive test decided (`passes`: the
/// problem's `validation_passes`, `None` when it is not multi-pass).
pub fn decide_pass(i: &Interaction, passes: Option<u32>, pass: u32) -> Result<PassOutcome, String> {
    let v = &i.validator;
    let code = match feedback::validator_exit(v) {
        Ok(code) => code,
        Err(failure) => {
            // The submission's own limit came first: its verdict stands,
            // however the validator took the end of its input.
            if out_of_limits(&i.submission) && !i.validator_first {
                let verdict = verdict_from_report(&i.submission).expect("a limit is a verdict");
                tracing::warn!(%verdict, "the interactive validator failed after the submission ran out of a limit ({}); judged {verdict}", describe(v));
                return Ok(PassOutcome::Final(verdict));
            }
            let message = if i.validator_killed {
                format!(
                    "the interactive validator did not finish within {} s after the submission ended",
                    VALIDATOR_GRACE.as_secs()
                )
            } else {
                failure.replace("the output validator", "the interactive validator")
            };
            return Err(feedback::explain(message, v, &i.feedback));
        }
    };
    if i.validator_first && code == 43 {
        return feedback::pass_from_exit(code, &i.feedback, passes, pass)
            .map_err(|m| feedback::explain(m, v, &i.feedback));
    }
    if let Some(verdict) = verdict_from_report(&i.submission) {
        return Ok(PassOutcome::Final(verdict));
    }
    feedback::pass_from_exit(code, &i.feedback, passes, pass)
        .map_err(|m| feedback::explain(m, v, &i.feedback))
}

/// Relays between a started pair until both have reported. `pair_wall` runs
/// from now; at its end the submission is killed. The validator is killed
/// `grace` after the submission's end. Connected by pipes, the pair sends no
/// `Output`: this only waits for the reports, and its `CloseInput` lets the
/// other side read EOF.
pub async fn relay(
    submission: &mut RunnerSession,
    validator: &mut RunnerSession,
    pair_wall: Duration,
    grace: Duration,
) -> Result<Interaction, SandboxError> {
    let far = Instant::now() + Duration::from_secs(365 * 24 * 3600);
    let sub_deadline = Instant::now() + pair_wall;
    let mut val_deadline = far;
    let mut sub_report: Option<Report> = None;
    let mut val_report: Option<Report> = None;
    let mut validator_first = false;
    let mut sub_killed = false;
    let mut val_killed = false;
    let mut feedback = Feedback::default();
    loop {
        // Everything that has arrived, in order, each side's own.
        loop {
            let mut progressed = false;
            if sub_report.is_none() {
                if let Some((response, payload)) = submission.try_receive()? {
                    progressed = true;
                    match response {
                        Response::Output { len } => {
                            if val_report.is_none() {
                                validator.send(&Request::Input { len }, &payload).await?;
                            }
                        }
                        Response::Report(report) => {
                            sub_report = Some(report);
                            if val_report.is_none() {
                                validator.send(&Request::CloseInput, &[]).await?;
                                val_deadline = Instant::now() + grace;
                            }
                        }
                        other => return Err(unexpected("submission", other)),
                    }
                }
            }
            if val_report.is_none() {
                if let Some((response, payload)) = validator.try_receive()? {
                    progressed = true;
                    match response {
                        Response::Output { len } => {
                            if sub_report.is_none() {
                                submission.send(&Request::Input { len }, &payload).await?;
                            }
                        }
                        response @ Response::Feedback { .. } => {
                            feedback = Feedback::from_response(response, payload)
                                .expect("a feedback response");
                        }
                        Response::Report(report) => {
                            validator_first = sub_report.is_none();
                            val_report = Some(report);
                            if sub_report.is_none() {
                                submission.send(&Request::CloseInput, &[]).await?;
                            }
                        }
                        other => return Err(unexpected("validator", other)),
                    }
                }
            }
            if !progressed {
                break;
            }
        }
        if let (Some(submission), Some(validator)) = (&sub_report, &val_report) {
            return Ok(Interaction {
                submission: submission.clone(),
                validator: validator.clone(),
                validator_first,
                validator_killed: val_killed,
                feedback,
            });
        }
        tokio::select! {
            r = submission.fill(), if sub_report.is_none() => r?,
            r = validator.fill(), if val_report.is_none() => r?,
            _ = tokio::time::sleep_until(sub_deadline), if sub_report.is_none() && !sub_killed => {
                submission.send(&Request::Kill, &[]).await?;
                sub_killed = true;
            }
            _ = tokio::time::sleep_until(val_deadline), if val_report.is_none() && !val_killed => {
                validator.send(&Request::Kill, &[]).await?;
                val_killed = true;
            }
        }
    }
}

fn unexpected(side: &str, response: Response) -> SandboxError {
    match response {
        Response::Error { message } => SandboxError::Runner(message),
        other => SandboxError::Protocol(format!(
            "unexpected response from the {side}'s runner during an interactive run: {other:?}"
        )),
    }
}

/// Sends `RunInteractive` and waits for `Started`.
async fn start(session: &mut RunnerSession, request: Request) -> Result<(), SandboxError> {
    session.send(&request, &[]).await?;
    match session.receive().await? {
        (Response::Started, _) => Ok(()),
        (Response::Error { message }, _) => Err(SandboxError::Runner(message)),
        (other, _) => Err(SandboxError::Protocol(format!(
            "expected started, got {other:?}"
        ))),
    }
}

/// The wall clock of the pair: twice the submission's time limit.
pub fn pair_wall(submission: &Limits) -> Duration {
    Duration::from_millis(2 * submission.cpu_ms)
}

/// The validator's limits: its usual CPU time, and a wall clock that outlasts
/// the pair and the grace (the relay ends it first), so that waiting for the
/// submission never counts against it.
pub fn validator_limits(submission: &Limits, validation: &ValidationLimits) -> Limits {
    let mut limits = crate::validator::run::validator_limits(validation);
    limits.wall_ms =
        pair_wall(submission).as_millis() as u64 + VALIDATOR_GRACE.as_millis() as u64 + 5_000;
    // A stream, not a buffer: what the validator may say in all.
    limits.output_bytes = 256 * MIB;
    limits
}

/// The submission's limits in an interactive run: its wall limit is the
/// pair's clock plus a margin, so that the relay's `Kill` (TLE) comes first
/// and the runner's own wall limit only backs it up.
pub fn submission_limits(limits: Limits) -> Limits {
    let wall_ms = pair_wall(&limits).as_millis() as u64 + 1_000;
    Limits {
        wall_ms: limits.wall_ms.max(wall_ms),
        ..limits
    }
}

/// Runs one interactive test, every pass of it. `Ok` holds the verdict,
/// the test's result (the slowest pass's measurements, the last
/// teammessage) and the validator's score file; `Err` is a judge error (IE).
#[allow(clippy::too_many_arguments)]
pub async fn run_test(
    submission: &mut RunnerSession,
    checker: &mut ValidatorSandbox,
    problem: &Problem,
    test: &TestCase,
    index: usize,
    argv: Vec<String>,
    env: Vec<(String, String)>,
    limits: Limits,
    transport: Transport,
) -> Result<(Verdict, TestResult, ScoreFile), String> {
    let (input, answer) = read_test_data(problem, test).await?;
    let mut pass_input = input;
    let mut slowest: Option<Report> = None;
    let mut pass = 1;
    loop {
        let tar = if pass == 1 {
            tar_of(&[
                (data_entry("input"), pass_input.as_slice(), false),
                (data_entry("answer"), answer.as_slice(), false),
            ])
        } else {
            tar_of(&[(data_entry("input"), pass_input.as_slice(), false)])
        }
        .map_err(|e| e.to_string())?;
        let interaction = run_pass(
            submission,
            checker,
            test,
            &tar,
            argv.clone(),
            env.clone(),
            limits.clone(),
            pass > 1,
            transport,
        )
        .await?;
        let outcome = decide_pass(&interaction, problem.validation_passes, pass)
            .map_err(|e| format!("test {} (pass {pass}): {e}", test.name))?;
        if let Some(message) = interaction.feedback.judge_message() {
            tracing::info!(test = %test.name, pass, ?outcome, "validator judgemessage: {message}");
        }
        let report = slowest_of(slowest.take(), interaction.submission.clone());
        match outcome {
            PassOutcome::Next(next) => {
                slowest = Some(report);
                pass_input = next;
                pass += 1;
            }
            PassOutcome::Final(verdict) => {
                let mut result = test_result(index, test, &report, verdict, None);
                if let Some(team) = interaction.feedback.team_message() {
                    result.message = Some(team);
                }
                let score = (interaction.feedback.score())
                    .map_err(|e| format!("test {}: {e}", test.name))?;
                return Ok((verdict, result, score));
            }
        }
    }
}

/// One pass: uploads the validator's data, starts both sides and relays.
#[allow(clippy::too_many_arguments)]
async fn run_pass(
    submission: &mut RunnerSession,
    checker: &mut ValidatorSandbox,
    test: &TestCase,
    tar: &[u8],
    argv: Vec<String>,
    env: Vec<(String, String)>,
    limits: Limits,
    keep_feedback: bool,
    transport: Transport,
) -> Result<Interaction, String> {
    let (validator, compiled) = checker.parts();
    let fault = |e: SandboxError| format!("test {}: interactive run: {e}", test.name);
    let validator_fault =
        |e: SandboxError| format!("test {}: the interactive validator: {e}", test.name);
    validator.upload(tar).await.map_err(fault)?;
    let wall = pair_wall(&limits);
    let validator_request = |fifos| Request::RunInteractive {
        argv: validator_argv(compiled, &test.validator_flags),
        env: vec![],
        limits: validator_limits(&limits, &compiled.limits),
        feedback_dir: Some(FEEDBACK_DIR.to_string()),
        keep_feedback,
        fifos,
    };
    let submission_request = |fifos| Request::RunInteractive {
        argv: argv.clone(),
        env: env.clone(),
        limits: submission_limits(limits.clone()),
        feedback_dir: None,
        keep_feedback: false,
        fifos,
    };
    // Held until both sides have reported; its directory goes with it.
    let mut run_pipes = None;
    if transport == Transport::Fifo {
        let made = RunPipes::create()
            .map_err(|e| format!("test {}: the pipes of an interactive run: {e}", test.name))?;
        let started = fifo::start_pair(
            submission,
            validator,
            submission_request(Some(made.submission_side())),
            validator_request(Some(made.validator_side())),
        )
        .await;
        match started {
            Ok(()) => run_pipes = Some(made),
            Err(fifo::StartError::Unshared(why)) => pipes::mark_unshared(&why),
            Err(fifo::StartError::Validator(e)) => return Err(validator_fault(e)),
            Err(fifo::StartError::Submission(e)) => return Err(fault(e)),
        }
    }
    if run_pipes.is_none() {
        start(validator, validator_request(None))
            .await
            .map_err(validator_fault)?;
        if let Err(e) = start(submission, submission_request(None)).await {
            let _ = validator.send(&Request::Kill, &[]).await;
            return Err(fault(e));
        }
    }
    let interaction = relay(submission, validator, wall, VALIDATOR_GRACE)
        .await
        .map_err(fault);
    drop(run_pipes);
    interaction
}

/// One test of an interactive problem, from the judging loop: creates the
/// validator's sandbox at the first test, then runs [`run_test`].
#[allow(clippy::too_many_arguments)]
pub async fn judge_test(
    worker: &crate::worker::Worker,
    submission: &mut RunnerSession,
    checker: &mut Option<ValidatorSandbox>,
    compiled: &std::sync::Arc<CompiledValidator>,
    problem: &Problem,
    test: &TestCase,
    index: usize,
    argv: Vec<String>,
    env: Vec<(String, String)>,
    limits: Limits,
    submission_id: &str,
) -> Result<(Verdict, TestResult, ScoreFile), String> {
    if checker.is_none() {
        let created = ValidatorSandbox::create(worker, compiled.clone(), submission_id)
            .await
            .map_err(|e| format!("could not start the interactive validator's sandbox: {e}"))?;
        *checker = Some(created);
    }
    let checker = checker.as_mut().expect("created above");
    let transport = Transport::for_worker(&worker.config);
    let judged = run_test(
        submission, checker, problem, test, index, argv, env, limits, transport,
    )
    .await;
    if judged.is_err() {
        // Its runner may be mid-run: not reused.
        checker.fault();
    }
    judged
}

mod fifo;
#[cfg(test)]
mod tests;
