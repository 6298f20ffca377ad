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
//! sandbox only).
//!
//! When one side reports, the other's stdin is closed (`CloseInput`). The
//! pair's wall clock is twice the submission's time limit: when it runs out
//! the submission is killed (`Kill`, reported as a wall limit, hence TLE),
//! and the validator, whose stdin is then closed, gets [`VALIDATOR_GRACE`]
//! to finish before it is killed too (a judge error).
//!
//! The verdict follows problemtools, in this order ([`decide`]):
//! 1. the validator crashed, hit a limit or exited other than 42/43: IE;
//! 2. the validator exited first, with 43: WA, whatever the submission did next;
//! 3. the submission ran out of time: TLE (likewise MLE, OLE);
//! 4. the submission exited non-zero or died by a signal: RE;
//! 5. otherwise the validator's 42 (AC) or 43 (WA).

use std::time::Duration;

use judge_core::problem::{Problem, TestCase};
use judge_core::protocol::{Limits, Report, Request, Response, Termination, BUILD_DIR};
use judge_core::{TestResult, Verdict};
use tokio::time::Instant;

use crate::judge::{test_result, verdict_from_report};
use crate::sandbox::{RunnerSession, SandboxError};
use crate::validator::{describe, tar_of, CompiledValidator, ValidatorSandbox, DATA_DIR};

/// How long the validator may still run once the submission has ended.
pub const VALIDATOR_GRACE: Duration = Duration::from_secs(10);
/// The validator's feedback directory (created by the runner, below /tmp).
const FEEDBACK_DIR: &str = "/tmp/feedback/";
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
    /// Files the validator left in its feedback directory.
    pub feedback: Vec<(String, String)>,
}

impl Interaction {
    fn feedback(&self, name: &str) -> Option<String> {
        self.feedback
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.trim_end().to_string())
            .filter(|t| !t.is_empty())
    }
}

/// The verdict of one interactive test; `Err` is a judge error (IE) with a
/// message for admins.
pub fn decide(i: &Interaction) -> Result<Verdict, String> {
    let v = &i.validator;
    let code = match (v.termination, v.exit_code) {
        (Termination::Exited, Some(code @ (42 | 43))) => code,
        _ => {
            let mut message = if i.validator_killed {
                format!(
                    "the interactive validator did not finish within {} s after the submission ended",
                    VALIDATOR_GRACE.as_secs()
                )
            } else {
                format!(
                    "the interactive validator failed ({}; 42 = accepted, 43 = wrong answer)",
                    describe(v)
                )
            };
            if let Some(judge) = i.feedback("judgemessage.txt") {
                message.push_str(&format!("; judgemessage: {judge}"));
            }
            let stderr = v.stderr.trim();
            if !stderr.is_empty() {
                message.push_str(&format!("; stderr: {stderr}"));
            }
            return Err(message);
        }
    };
    if i.validator_first && code == 43 {
        return Ok(Verdict::WA);
    }
    if let Some(verdict) = verdict_from_report(&i.submission) {
        return Ok(verdict);
    }
    Ok(if code == 42 { Verdict::AC } else { Verdict::WA })
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
    let mut feedback = Vec::new();
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
                        Response::Feedback { files } => feedback = files,
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

/// The validator's argument vector: `validator input answer feedback_dir/ [flags]`.
pub fn validator_argv(compiled: &CompiledValidator, flags: &[String]) -> Vec<String> {
    let mut argv = compiled.run.clone();
    argv.push(format!("{BUILD_DIR}/{DATA_DIR}/input"));
    argv.push(format!("{BUILD_DIR}/{DATA_DIR}/answer"));
    argv.push(FEEDBACK_DIR.to_string());
    argv.extend(flags.iter().cloned());
    argv
}

/// The wall clock of the pair: twice the submission's time limit.
pub fn pair_wall(submission: &Limits) -> Duration {
    Duration::from_millis(2 * submission.cpu_ms)
}

/// The validator's limits: its usual CPU time, and a wall clock that outlasts
/// the pair and the grace (the relay ends it first).
pub fn validator_limits(submission: &Limits) -> Limits {
    let mut limits = crate::validator::validator_limits();
    limits.wall_ms =
        pair_wall(submission).as_millis() as u64 + VALIDATOR_GRACE.as_millis() as u64 + 5_000;
    // A stream, not a buffer: what the validator may say in all.
    limits.output_bytes = 256 * MIB;
    limits
}

/// Runs one interactive test. `Ok` holds the verdict, the test's result and
/// the validator's team message; `Err` is a judge error (IE).
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
) -> Result<(Verdict, TestResult), String> {
    let (input, answer) = crate::validator::read_test_data(problem, test).await?;
    let tar = tar_of(&[
        (format!("build/{DATA_DIR}/input"), input.as_slice(), false),
        (format!("build/{DATA_DIR}/answer"), answer.as_slice(), false),
    ])
    .map_err(|e| e.to_string())?;
    let (validator, compiled) = checker.parts();
    let fault = |e: SandboxError| format!("test {}: interactive run: {e}", test.name);
    validator.upload(&tar).await.map_err(fault)?;
    let wall = pair_wall(&limits);
    start(
        validator,
        Request::RunInteractive {
            argv: validator_argv(compiled, &test.validator_flags),
            env: vec![],
            limits: validator_limits(&limits),
            feedback_dir: Some(FEEDBACK_DIR.to_string()),
        },
    )
    .await
    .map_err(|e| format!("test {}: the interactive validator: {e}", test.name))?;
    if let Err(e) = start(
        submission,
        Request::RunInteractive {
            argv,
            env,
            limits,
            feedback_dir: None,
        },
    )
    .await
    {
        let _ = validator.send(&Request::Kill, &[]).await;
        return Err(fault(e));
    }
    let interaction = relay(submission, validator, wall, VALIDATOR_GRACE)
        .await
        .map_err(fault)?;
    let verdict = decide(&interaction).map_err(|e| format!("test {}: {e}", test.name))?;
    if let Some(message) = interaction.feedback("judgemessage.txt") {
        tracing::info!(test = %test.name, %verdict, "validator judgemessage: {message}");
    }
    let mut result = test_result(index, test, &interaction.submission, verdict, None);
    if let Some(team) = interaction.feedback("teammessage.txt") {
        result.message = Some(team);
    }
    Ok((verdict, result))
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
) -> Result<(Verdict, TestResult), String> {
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
            feedback: vec![],
        }
    }

    #[test]
    fn the_verdict_order_follows_problemtools() {
        let crash = report(Termination::Signaled, None, Some(6));
        let tle = report(Termination::WallLimit, None, Some(9));
        // 1. A validator that crashes or exits with another code: IE, whatever else.
        for v in [
            exited(0),
            exited(1),
            crash.clone(),
            report(Termination::CpuLimit, None, None),
        ] {
            for first in [true, false] {
                assert!(decide(&interaction(exited(0), v.clone(), first)).is_err());
                assert!(decide(&interaction(tle.clone(), v.clone(), first)).is_err());
            }
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
            report(Termination::WallLimit, None, Some(9)),
            report(Termination::WallLimit, None, Some(9)),
            false,
        );
        i.validator_killed = true;
        i.feedback = vec![("judgemessage.txt".into(), "stuck\n".into())];
        let err = decide(&i).unwrap_err();
        assert!(
            err.contains("did not finish") && err.contains("stuck"),
            "{err}"
        );
    }

    #[test]
    fn argv_and_limits() {
        let compiled = CompiledValidator {
            image: "x".into(),
            run: vec!["./main".into()],
            files: vec![],
        };
        assert_eq!(
            validator_argv(&compiled, &["a".into()]),
            [
                "./main",
                "/work/build/judge-data/input",
                "/work/build/judge-data/answer",
                "/tmp/feedback/",
                "a"
            ]
        );
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
        assert_eq!(i.feedback("teammessage.txt").as_deref(), Some("hi"));
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
