//! The relay and the verdict rules of interactive runs, on scripted streams.

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
    assert!(
        validator_limits(&sub, &ValidationLimits::default()).wall_ms
            > 4000 + VALIDATOR_GRACE.as_millis() as u64
    );
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
) -> Pin<Box<dyn futures_util::Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>> {
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
