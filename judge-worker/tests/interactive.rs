//! `RunInteractive` in a real sandbox: the runner's relay, its limits, and
//! the worker's relay between two sessions.

mod common;

use std::time::{Duration, Instant};

use common::{docker, limits, require_image, IMAGE};
use judge_protocol::{Limits, Report, Request, Response, Termination};
use judge_worker::interactive::{decide, relay};
use judge_worker::sandbox::{RunnerSession, Sandbox, SandboxSpec};
use submission::Verdict;

async fn sandbox(name: &str) -> (Sandbox, RunnerSession) {
    let docker = docker().await;
    let spec = SandboxSpec {
        image: IMAGE.into(),
        submission_id: format!("interactive-{name}-{}", std::process::id()),
        worker: format!("interactive-worker-{}", std::process::id()),
        memory_mb: 128,
    };
    let sandbox = Sandbox::create(&docker, &spec).await.unwrap();
    let mut runner = sandbox.start_runner().await.unwrap();
    let mut tar = tar::Builder::new(Vec::new());
    for path in ["build/empty", "tests/empty"] {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(0);
        tar.append_data(&mut h, path, &b""[..]).unwrap();
    }
    runner.upload(&tar.into_inner().unwrap()).await.unwrap();
    (sandbox, runner)
}

fn sh(script: &str) -> Vec<String> {
    vec!["/bin/sh".into(), "-c".into(), script.into()]
}

async fn start(
    runner: &mut RunnerSession,
    argv: Vec<String>,
    limits: Limits,
    feedback: Option<&str>,
) {
    runner
        .send(
            &Request::RunInteractive {
                argv,
                env: vec![],
                limits,
                feedback_dir: feedback.map(String::from),
                keep_feedback: false,
                fifos: None,
            },
            &[],
        )
        .await
        .unwrap();
    assert_eq!(runner.receive().await.unwrap().0, Response::Started);
}

/// Collects Output until the Report (and any Feedback before it).
async fn finish(runner: &mut RunnerSession) -> (Vec<u8>, Vec<(String, String)>, Report) {
    let mut out = Vec::new();
    let mut feedback = Vec::new();
    loop {
        match runner.receive().await.unwrap() {
            (Response::Output { len }, payload) => {
                assert_eq!(len as usize, payload.len());
                assert!(len <= 64 * 1024);
                out.extend(payload);
            }
            (Response::Feedback { files, .. }, _) => feedback = files,
            (Response::Report(report), _) => return (out, feedback, report),
            other => panic!("{other:?}"),
        }
    }
}

#[tokio::test]
async fn the_runner_relays_input_and_output_and_honours_kill_and_limits() {
    require_image();
    let (sandbox, mut runner) = sandbox("runner").await;

    // Input in, output out, stderr captured, feedback returned, EOF on close.
    start(
        &mut runner,
        sh("read x; echo \"got $x\"; echo note >&2; echo fine > /tmp/fb/teammessage.txt; cat; exit 3"),
        limits(5000),
        Some("/tmp/fb/"),
    )
    .await;
    runner
        .send(&Request::Input { len: 3 }, b"hi\n")
        .await
        .unwrap();
    let (first, payload) = runner.receive().await.unwrap();
    assert_eq!(
        (first, payload),
        (Response::Output { len: 7 }, b"got hi\n".to_vec())
    );
    runner
        .send(&Request::Input { len: 5 }, b"more\n")
        .await
        .unwrap();
    runner.send(&Request::CloseInput, &[]).await.unwrap();
    let (out, feedback, report) = finish(&mut runner).await;
    assert_eq!(out, b"more\n");
    assert_eq!(
        feedback,
        [("teammessage.txt".to_string(), "fine\n".to_string())]
    );
    assert_eq!(
        (report.termination, report.exit_code),
        (Termination::Exited, Some(3)),
        "{report:?}"
    );
    assert_eq!(report.stdout_len, 0);
    assert!(report.stderr.contains("note"));

    // Late requests for a process that has ended are ignored.
    runner.send(&Request::Input { len: 1 }, b"x").await.unwrap();
    runner.send(&Request::Kill, &[]).await.unwrap();

    // Kill: a wall limit, even for a child that waits on its stdin forever.
    start(&mut runner, sh("read x"), limits(30_000), None).await;
    let t = Instant::now();
    runner.send(&Request::Kill, &[]).await.unwrap();
    let (_, _, report) = finish(&mut runner).await;
    assert_eq!(report.termination, Termination::WallLimit, "{report:?}");
    assert!(t.elapsed() < Duration::from_secs(5));

    // The runner's own wall limit.
    start(&mut runner, sh("read x"), limits(500), None).await;
    let (_, _, report) = finish(&mut runner).await;
    assert_eq!(report.termination, Termination::WallLimit, "{report:?}");

    // Output over the limit: what was passed on stops at the limit.
    let mut small = limits(5000);
    small.output_bytes = 100_000;
    start(&mut runner, sh("head -c 1000000 /dev/zero"), small, None).await;
    let (out, _, report) = finish(&mut runner).await;
    assert_eq!(report.termination, Termination::OutputLimit, "{report:?}");
    assert_eq!(out.len(), 100_000);

    // A child that never reads its stdin does not block the runner.
    start(&mut runner, sh("sleep 1; echo done"), limits(5000), None).await;
    let big = vec![b'x'; 1 << 20];
    for _ in 0..4 {
        runner
            .send(
                &Request::Input {
                    len: big.len() as u64,
                },
                &big,
            )
            .await
            .unwrap();
    }
    let (out, _, report) = finish(&mut runner).await;
    assert_eq!(out, b"done\n");
    assert!(report.success(), "{report:?}");

    // A normal run still works afterwards.
    let (report, out) = runner
        .run(sh("echo ok"), vec![], "empty".into(), limits(5000))
        .await
        .unwrap();
    assert!(report.success());
    assert_eq!(out, b"ok\n");
    runner.exit().await;
    sandbox.remove().await;
}

#[tokio::test]
async fn two_sandboxes_talk_through_the_worker() {
    require_image();
    let (sub_box, mut sub) = sandbox("sub").await;
    let (val_box, mut val) = sandbox("val").await;
    // The validator asks for 200 numbers and checks their sum (lots of round trips).
    let validator = "s=0; i=0; while [ $i -lt 200 ]; do echo $i; read x || exit 43; s=$((s+x)); i=$((i+1)); done; [ $s -eq 39800 ] && exit 42; exit 43";
    let submission = "while read x; do echo $((x*2)); done";
    start(
        &mut val,
        sh(validator),
        limits(20_000),
        Some("/tmp/feedback/"),
    )
    .await;
    start(&mut sub, sh(submission), limits(20_000), None).await;
    let i = relay(
        &mut sub,
        &mut val,
        Duration::from_secs(10),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert!(i.validator_first);
    assert_eq!(decide(&i), Ok(Verdict::AC), "{i:?}");

    // A submission that waits for the validator, which waits for it: TLE by the pair's clock.
    start(
        &mut val,
        sh("read x || exit 43; exit 42"),
        limits(20_000),
        Some("/tmp/feedback/"),
    )
    .await;
    start(&mut sub, sh("read x"), limits(20_000), None).await;
    let t = Instant::now();
    let i = relay(
        &mut sub,
        &mut val,
        Duration::from_secs(1),
        Duration::from_secs(5),
    )
    .await
    .unwrap();
    assert!(t.elapsed() < Duration::from_secs(4));
    assert!(!i.validator_first);
    assert_eq!(decide(&i), Ok(Verdict::TLE), "{i:?}");
    sub.exit().await;
    val.exit().await;
    sub_box.remove().await;
    val_box.remove().await;
}
