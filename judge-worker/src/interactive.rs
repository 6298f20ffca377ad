//! Interactive problems (`validation: custom interactive`, or `type:
//! [interactive]` in 2025-09).
//!
//! Each test runs two processes at once, each in its own sandbox: the
//! submission in its sandbox, the validator (`validator input answer
//! feedback_dir/ [flags]`) in the validator's sandbox, both started with
//! `RunInteractive`. The worker relays between the two runner sessions: every
//! `Output` chunk of one side becomes an `Input` of the other, so the
//! validator's stdout is the submission's stdin and the other way round. The
//! submission never sees the input file (it is uploaded to the validator's
//! sandbox only). The validator's feedback directory is the runner's, as for
//! a custom validator ([`crate::feedback`]).
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

use judge_core::problem::{Problem, TestCase};
use judge_core::protocol::{Limits, Report, Request, Response, Termination};
use judge_core::{TestResult, Verdict};
use tokio::time::Instant;

use crate::feedback::{self, Feedback, PassOutcome, FEEDBACK_DIR};
use crate::grader::ScoreFile;
use crate::sandbox::{RunnerSession, SandboxError};
use crate::validator::{tar_of, validator_argv, CompiledValidator, ValidatorSandbox, DATA_DIR};
use crate::verdict::{describe, slowest_of, test_result, verdict_from_report};

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
/// `grace` after the submission's end.
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
pub fn validator_limits(submission: &Limits) -> Limits {
    let mut limits = crate::validator::validator_limits();
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
) -> Result<(Verdict, TestResult, ScoreFile), String> {
    let (input, answer) = crate::validator::read_test_data(problem, test).await?;
    let mut pass_input = input;
    let mut slowest: Option<Report> = None;
    let mut pass = 1;
    loop {
        let tar = if pass == 1 {
            tar_of(&[
                (
                    format!("build/{DATA_DIR}/input"),
                    pass_input.as_slice(),
                    false,
                ),
                (format!("build/{DATA_DIR}/answer"), answer.as_slice(), false),
            ])
        } else {
            tar_of(&[(
                format!("build/{DATA_DIR}/input"),
                pass_input.as_slice(),
                false,
            )])
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
) -> Result<Interaction, String> {
    let (validator, compiled) = checker.parts();
    let fault = |e: SandboxError| format!("test {}: interactive run: {e}", test.name);
    validator.upload(tar).await.map_err(fault)?;
    let wall = pair_wall(&limits);
    start(
        validator,
        Request::RunInteractive {
            argv: validator_argv(compiled, &test.validator_flags),
            env: vec![],
            limits: validator_limits(&limits),
            feedback_dir: Some(FEEDBACK_DIR.to_string()),
            keep_feedback,
        },
    )
    .await
    .map_err(|e| format!("test {}: the interactive validator: {e}", test.name))?;
    if let Err(e) = start(
        submission,
        Request::RunInteractive {
            argv,
            env,
            limits: submission_limits(limits),
            feedback_dir: None,
            keep_feedback: false,
        },
    )
    .await
    {
        let _ = validator.send(&Request::Kill, &[]).await;
        return Err(fault(e));
    }
    relay(submission, validator, wall, VALIDATOR_GRACE)
        .await
        .map_err(fault)
}

/// One test of an interactive problem, from the judging loop: creates the
/// validator's sandbox at the first test, then runs [`run_test`].
#[allow(clippy::too_many_arguments)]
pub async fn judge_test(
    worker: &crate::Worker,
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
    run_test(submission, checker, problem, test, index, argv, env, limits).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use bollard::container::LogOutput;
    use bytes::Bytes;
    use std::pin::Pin;
    use std::sync::{Arc, Mutex};
    use std::task::{Context, Poll};
    use tokio::io::AsyncWrite;

    fn report(termination: Termination, exit_code: Option<i32>, signal: Option<i32>) -> Report {
        Report {
            termination,
            exit_code,
            signal,
            cpu_ms: 1,
            wall_ms: 1,
            memory_kb: 1,
            stdout_len: 0,
            stderr: String::new(),
        }
    }
    fn exited(code: i32) -> Report {
        report(Termination::Exited, Some(code), None)
    }
    fn interaction(submission: Report, validator: Report, validator_first: bool) -> Interaction {
        Interaction {
            submission,
            validator,
            validator_first,
            validator_killed: false,
            feedback: Feedback::default(),
        }
    }

    #[test]
    fn the_verdict_order_follows_problemtools() {
        let crash = report(Termination::Signaled, None, Some(6));
        let tle = report(Termination::WallLimit, None, Some(9));
        // 1. A validator that crashes or exits with another code: IE,
        // unless the submission had run out of time before it ended.
        for v in [
            exited(0),
            exited(1),
            crash.clone(),
            report(Termination::CpuLimit, None, None),
        ] {
            for first in [true, false] {
                assert!(decide(&interaction(exited(0), v.clone(), first)).is_err());
                assert!(decide(&interaction(crash.clone(), v.clone(), first)).is_err());
            }
            assert!(decide(&interaction(tle.clone(), v.clone(), true)).is_err());
            assert_eq!(
                decide(&interaction(tle.clone(), v.clone(), false)),
                Ok(Verdict::TLE)
            );
        }
        // 2. The validator first with 43: WA even if the submission then crashed or ran out of time.
        assert_eq!(
            decide(&interaction(crash.clone(), exited(43), true)),
            Ok(Verdict::WA)
        );
        assert_eq!(
            decide(&interaction(tle.clone(), exited(43), true)),
            Ok(Verdict::WA)
        );
        assert_eq!(
            decide(&interaction(exited(1), exited(43), true)),
            Ok(Verdict::WA)
        );
        // 3. Out of time (the validator ended later, or accepted first): TLE.
        assert_eq!(
            decide(&interaction(tle.clone(), exited(43), false)),
            Ok(Verdict::TLE)
        );
        assert_eq!(
            decide(&interaction(tle.clone(), exited(42), true)),
            Ok(Verdict::TLE)
        );
        let cpu = report(Termination::CpuLimit, None, Some(24));
        assert_eq!(
            decide(&interaction(cpu, exited(43), false)),
            Ok(Verdict::TLE)
        );
        // 4. A crash or a non-zero exit: RE.
        assert_eq!(
            decide(&interaction(crash.clone(), exited(43), false)),
            Ok(Verdict::RE)
        );
        assert_eq!(
            decide(&interaction(exited(3), exited(42), true)),
            Ok(Verdict::RE)
        );
        // 5. Otherwise the validator decides.
        assert_eq!(
            decide(&interaction(exited(0), exited(42), false)),
            Ok(Verdict::AC)
        );
        assert_eq!(
            decide(&interaction(exited(0), exited(42), true)),
            Ok(Verdict::AC)
        );
        assert_eq!(
            decide(&interaction(exited(0), exited(43), false)),
            Ok(Verdict::WA)
        );
    }

    #[test]
    fn a_validator_killed_after_the_submission_is_a_judge_error() {
        let mut i = interaction(
            exited(0),
            report(Termination::WallLimit, None, Some(9)),
            false,
        );
        i.validator_killed = true;
        i.feedback.files = vec![("judgemessage.txt".into(), "stuck\n".into())];
        let err = decide(&i).unwrap_err();
        assert!(
            err.contains("did not finish") && err.contains("stuck"),
            "{err}"
        );
    }

    #[test]
    fn a_submission_out_of_time_is_tle_whatever_the_validator_did_then() {
        // The submission spun until its CPU limit (or the pair's clock)
        // while the validator waited; the validator then crashed on the end
        // of its input, ran into its own wall clock, or was killed.
        for sub in [
            report(Termination::CpuLimit, None, Some(24)),
            report(Termination::WallLimit, None, Some(9)),
        ] {
            for (validator, killed) in [
                (exited(1), false),
                (report(Termination::Signaled, None, Some(6)), false),
                (report(Termination::WallLimit, None, Some(9)), false),
                (report(Termination::WallLimit, None, Some(9)), true),
            ] {
                let mut i = interaction(sub.clone(), validator, false);
                i.validator_killed = killed;
                assert_eq!(decide(&i), Ok(Verdict::TLE), "{i:?}");
            }
        }
        let mle = report(Termination::MemoryLimit, None, Some(9));
        assert_eq!(
            decide(&interaction(mle, exited(1), false)),
            Ok(Verdict::MLE)
        );
        // A validator that failed while the submission still ran: IE.
        let cpu = report(Termination::CpuLimit, None, Some(24));
        assert!(decide(&interaction(cpu, exited(1), true)).is_err());
        // A crash is not a limit: the validator's failure stays IE.
        let crash = report(Termination::Signaled, None, Some(11));
        assert!(decide(&interaction(crash, exited(1), false)).is_err());
    }

    #[test]
    fn multi_pass_goes_on_with_nextpass_and_ends_on_a_verdict() {
        let mut i = interaction(exited(0), exited(42), true);
        i.feedback.nextpass = Some(b"round 2\n".to_vec());
        assert_eq!(
            decide_pass(&i, Some(2), 1),
            Ok(PassOutcome::Next(b"round 2\n".to_vec()))
        );
        // More passes than allowed, or nextpass.in with 43: judge errors.
        assert!(decide_pass(&i, Some(2), 2)
            .unwrap_err()
            .contains("validation_passes"));
        let mut wa = interaction(exited(0), exited(43), true);
        wa.feedback.nextpass = Some(vec![]);
        assert!(decide_pass(&wa, Some(2), 1).is_err());
        // A wrong answer in the second pass is WA.
        assert_eq!(
            decide_pass(&interaction(exited(0), exited(43), false), Some(2), 2),
            Ok(PassOutcome::Final(Verdict::WA))
        );
        // The submission's own failure ends the test, even if the validator asked for more.
        assert_eq!(
            decide_pass(
                &Interaction {
                    submission: exited(1),
                    ..i.clone()
                },
                Some(2),
                1
            ),
            Ok(PassOutcome::Final(Verdict::RE))
        );
    }

    #[test]
    fn limits() {
        let sub = Limits {
            cpu_ms: 2000,
            wall_ms: 5000,
            memory_kb: 1,
            output_bytes: 1,
            file_size_bytes: 1,
            open_files: 1,
        };
        assert_eq!(pair_wall(&sub), Duration::from_secs(4));
        assert!(validator_limits(&sub).wall_ms > 4000 + VALIDATOR_GRACE.as_millis() as u64);
        // The relay's kill at the pair's clock comes before the runner's own.
        assert!(submission_limits(sub.clone()).wall_ms > 4000);
        assert_eq!(submission_limits(sub.clone()).cpu_ms, 2000);
    }

    // A scripted runner: responses arrive through a channel, requests are recorded.

    #[derive(Clone, Default)]
    struct Sent(Arc<Mutex<Vec<u8>>>);
    impl AsyncWrite for Sent {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            buf: &[u8],
        ) -> Poll<std::io::Result<usize>> {
            self.0.lock().unwrap().extend_from_slice(buf);
            Poll::Ready(Ok(buf.len()))
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<std::io::Result<()>> {
            Poll::Ready(Ok(()))
        }
    }
    impl Sent {
        fn requests(&self) -> Vec<Request> {
            let data = self.0.lock().unwrap().clone();
            let mut out = Vec::new();
            let mut rest = data.as_slice();
            while let Some(end) = rest.iter().position(|&b| b == b'\n') {
                let req: Request = serde_json::from_slice(&rest[..end]).unwrap();
                rest = &rest[end + 1..];
                if let Request::Input { len } = req {
                    rest = &rest[len as usize..];
                }
                out.push(req);
            }
            out
        }
    }

    type Tx = tokio::sync::mpsc::UnboundedSender<Result<LogOutput, bollard::errors::Error>>;

    fn scripted() -> (RunnerSession, Tx, Sent) {
        let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
        let sent = Sent::default();
        let stream = tokio_stream_from(rx);
        let session = RunnerSession::new(stream, Box::pin(sent.clone()), "test".into());
        (session, tx, sent)
    }

    fn tokio_stream_from(
        mut rx: tokio::sync::mpsc::UnboundedReceiver<Result<LogOutput, bollard::errors::Error>>,
    ) -> Pin<Box<dyn futures_util::Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>
    {
        Box::pin(futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx)))
    }

    fn say(tx: &Tx, response: &Response, payload: &[u8]) {
        let mut bytes = serde_json::to_vec(response).unwrap();
        bytes.push(b'\n');
        bytes.extend_from_slice(payload);
        tx.send(Ok(LogOutput::StdOut {
            message: Bytes::from(bytes),
        }))
        .unwrap();
    }

    #[tokio::test]
    async fn outputs_are_relayed_and_a_report_closes_the_other_side() {
        let (mut sub, sub_tx, sub_sent) = scripted();
        let (mut val, val_tx, val_sent) = scripted();
        say(&val_tx, &Response::Output { len: 6 }, b"hello\n");
        say(&sub_tx, &Response::Output { len: 3 }, b"42\n");
        say(
            &val_tx,
            &Response::Feedback {
                files: vec![("teammessage.txt".into(), "hi".into())],
                nextpass_len: None,
            },
            b"",
        );
        say(&val_tx, &Response::Report(exited(43)), b"");
        let task = tokio::spawn(async move {
            let i = relay(&mut sub, &mut val, Duration::from_secs(30), GRACE).await;
            (i, sub, val)
        });
        // The submission, its stdin closed, crashes later: still WA (validator first with 43).
        tokio::time::sleep(Duration::from_millis(50)).await;
        say(
            &sub_tx,
            &Response::Report(report(Termination::Signaled, None, Some(11))),
            b"",
        );
        let (i, _sub, _val) = task.await.unwrap();
        let i = i.unwrap();
        assert!(i.validator_first);
        assert_eq!(i.feedback.team_message().as_deref(), Some("hi"));
        assert_eq!(decide(&i), Ok(Verdict::WA));
        assert_eq!(
            sub_sent.requests(),
            [Request::Input { len: 6 }, Request::CloseInput]
        );
        assert_eq!(val_sent.requests(), [Request::Input { len: 3 }]);
    }

    const GRACE: Duration = Duration::from_millis(300);

    #[tokio::test]
    async fn the_pair_wall_clock_kills_the_submission_then_the_validator() {
        let (mut sub, sub_tx, sub_sent) = scripted();
        let (mut val, val_tx, val_sent) = scripted();
        let task = tokio::spawn(async move {
            let i = relay(&mut sub, &mut val, Duration::from_millis(200), GRACE).await;
            (i, sub, val)
        });
        // Both wait for each other; at 200 ms the submission is killed.
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(sub_sent.requests(), [Request::Kill]);
        say(
            &sub_tx,
            &Response::Report(report(Termination::WallLimit, None, Some(9))),
            b"",
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
        assert_eq!(val_sent.requests(), [Request::CloseInput]);
        // A validator that exits on EOF with 43: TLE.
        say(&val_tx, &Response::Report(exited(43)), b"");
        let (i, _, _) = task.await.unwrap();
        let i = i.unwrap();
        assert!(!i.validator_first && !i.validator_killed);
        assert_eq!(decide(&i), Ok(Verdict::TLE));

        // A validator that ignores EOF is killed after the grace: IE.
        let (mut sub, sub_tx, _) = scripted();
        let (mut val, val_tx, val_sent) = scripted();
        let task = tokio::spawn(async move {
            let i = relay(&mut sub, &mut val, Duration::from_secs(20), GRACE).await;
            (i, sub, val)
        });
        say(&sub_tx, &Response::Report(exited(0)), b"");
        tokio::time::sleep(GRACE + Duration::from_millis(200)).await;
        assert_eq!(val_sent.requests(), [Request::CloseInput, Request::Kill]);
        say(
            &val_tx,
            &Response::Report(report(Termination::WallLimit, None, Some(9))),
            b"",
        );
        let (i, _, _) = task.await.unwrap();
        let i = i.unwrap();
        assert!(i.validator_killed);
        assert!(decide(&i).is_err());
    }

    #[tokio::test]
    async fn a_spinning_submission_is_tle_though_the_validator_then_crashes() {
        // The validator asks and waits; the submission spins until the
        // runner stops it at its CPU limit; the validator, its input closed,
        // dies on the end of input (a Python validator's EOFError).
        let (mut sub, sub_tx, _) = scripted();
        let (mut val, val_tx, val_sent) = scripted();
        say(&val_tx, &Response::Output { len: 3 }, b"21\n");
        let task = tokio::spawn(async move {
            let i = relay(&mut sub, &mut val, Duration::from_secs(20), GRACE).await;
            (i, sub, val)
        });
        tokio::time::sleep(Duration::from_millis(50)).await;
        say(
            &sub_tx,
            &Response::Report(report(Termination::CpuLimit, None, Some(24))),
            b"",
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert_eq!(val_sent.requests(), [Request::CloseInput]);
        say(
            &val_tx,
            &Response::Feedback {
                files: vec![],
                nextpass_len: None,
            },
            b"",
        );
        say(&val_tx, &Response::Report(exited(1)), b"");
        let (i, _, _) = task.await.unwrap();
        let i = i.unwrap();
        assert!(!i.validator_first);
        assert_eq!(decide(&i), Ok(Verdict::TLE));
    }

    #[tokio::test]
    async fn runner_errors_end_the_relay() {
        let (mut sub, _sub_tx, _) = scripted();
        let (mut val, val_tx, _) = scripted();
        say(
            &val_tx,
            &Response::Error {
                message: "boom".into(),
            },
            b"",
        );
        let err = relay(&mut sub, &mut val, Duration::from_secs(5), GRACE)
            .await
            .unwrap_err();
        assert!(
            matches!(err, SandboxError::Runner(ref m) if m == "boom"),
            "{err}"
        );
    }
}
