//! Sandbox lifecycle against the real Docker daemon and images.

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{docker, limits, require_image, IMAGE};
use judge_protocol::Termination;
use judge_worker::sandbox::{self, Sandbox, SandboxSpec};

fn spec(name: &str) -> SandboxSpec {
    SandboxSpec {
        image: IMAGE.into(),
        submission_id: format!("{name}-{}", std::process::id()),
        worker: format!("{name}-worker-{}", std::process::id()),
        memory_mb: 128,
    }
}

fn containers(label: &str, value: &str) -> usize {
    let out = Command::new("docker")
        .args(["ps", "-aq", "--filter", &format!("label={label}={value}")])
        .output()
        .unwrap();
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .count()
}

async fn wait_gone(label: &str, value: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while containers(label, value) > 0 {
        assert!(
            Instant::now() < deadline,
            "container {label}={value} was not removed"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test]
async fn a_session_runs_code_and_a_dropped_sandbox_is_removed() {
    require_image();
    let docker = docker().await;
    let spec = spec("drop");
    let started = Instant::now();
    let sandbox = Sandbox::create(&docker, &spec).await.unwrap();
    let mut runner = sandbox.start_runner().await.unwrap();
    let ready = started.elapsed();
    let mut tar = tar::Builder::new(Vec::new());
    for (path, data) in [
        ("build/main.py", &b"print(input()[::-1])\n"[..]),
        ("tests/1.in", b"abc\n"),
    ] {
        let mut h = tar::Header::new_gnu();
        h.set_mode(0o644);
        h.set_size(data.len() as u64);
        tar.append_data(&mut h, path, data).unwrap();
    }
    assert_eq!(runner.upload(&tar.into_inner().unwrap()).await.unwrap(), 2);
    let (report, out) = runner
        .run(
            vec!["python3".into(), "main.py".into()],
            vec![],
            "1.in".into(),
            limits(5000),
        )
        .await
        .unwrap();
    assert_eq!(report.termination, Termination::Exited, "{report:?}");
    assert_eq!(out, b"cba\n");
    eprintln!(
        "container + runner ready in {ready:?}, first run done in {:?}",
        started.elapsed()
    );
    assert_eq!(
        containers(sandbox::LABEL_SUBMISSION, &spec.submission_id),
        1
    );
    // Dropped without remove(), as on a timeout or panic: the guard removes it.
    drop(sandbox);
    wait_gone(sandbox::LABEL_SUBMISSION, &spec.submission_id).await;
}

#[tokio::test]
async fn a_restarted_worker_removes_its_orphans() {
    require_image();
    let docker = docker().await;
    let spec = spec("orphan");
    let sandbox = Sandbox::create(&docker, &spec).await.unwrap();
    // A crash: the guard never runs.
    std::mem::forget(sandbox);
    assert_eq!(containers(sandbox::LABEL_WORKER, &spec.worker), 1);
    assert_eq!(
        sandbox::remove_orphans(&docker, &spec.worker)
            .await
            .unwrap(),
        1
    );
    wait_gone(sandbox::LABEL_WORKER, &spec.worker).await;
}

#[tokio::test]
async fn a_missing_image_is_named() {
    let docker = docker().await;
    let mut spec = spec("missing");
    spec.image = "judge-lang-does-not-exist:latest".into();
    let err = Sandbox::create(&docker, &spec).await.err().unwrap();
    assert!(
        err.to_string()
            .contains("judge-lang-does-not-exist:latest is missing"),
        "{err}"
    );
}

#[tokio::test]
async fn a_submissions_renamed_pool_containers_are_found_and_no_others() {
    require_image();
    let docker = docker().await;
    let id = format!("renamed-{}", std::process::id());
    let run = |name: &str| {
        let out = Command::new("docker")
            .args(["run", "-d", "--network", "none", "--name", name, IMAGE])
            .args(["sleep", "60"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    let ours = judge_worker::pool::submission_container_name(&id);
    // Another submission whose id starts with ours.
    let theirs = judge_worker::pool::submission_container_name(&format!("{id}-x"));
    run(&ours);
    run(&theirs);
    let exists = |name: &str| {
        Command::new("docker")
            .args(["inspect", name])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success()
    };
    let removed = judge_worker::pool::remove_submission_sandboxes(&docker, &id)
        .await
        .unwrap();
    let (ours_left, theirs_left) = (exists(&ours), exists(&theirs));
    let _ = Command::new("docker").args(["rm", "-f", &theirs]).output();
    assert_eq!(removed, 1);
    assert!(!ours_left, "the submission's renamed container remains");
    assert!(theirs_left, "another submission's container was removed");
}
