//! Cancelling judgings through the whole stack (real Redis, API, worker,
//! Docker sandboxes):
//! - an admin cancels a queued submission and two running ones (infinite
//!   loops under a long time limit): each ends `cancelled` with no verdict,
//!   the running ones' sandboxes go, the worker judges the next submission,
//!   and nothing writes over the cancel;
//! - `judge problem verify` interrupted with SIGINT cancels the package
//!   checks it still waits for: they end cancelled and the queue is empty.

use std::time::Duration;

use judge_store::{keys, queue, store};
use judge_tests::stack::ADMIN_TOKEN;
use judge_tests::{aplusb_with_time_limit, Stack};
use redis::AsyncCommands;
use serde_json::Value;
use submission::{Status, SubmissionState, Verdict};
use testkit::client::{example, pending_jobs, submit, wait_for};
use testkit::docker::containers_of;

const LOOP: &str = "while True:\n    pass\n";

async fn admin_cancel(api: &str, id: &str) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{api}/api/admin/submissions/{id}/cancel"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    (status, response.json().await.unwrap())
}

async fn submit_loop(api: &str) -> String {
    let (status, body) = submit(api, "looper", "aplusb", "python3", LOOP).await;
    assert_eq!(status, 202, "{body}");
    body["id"].as_str().unwrap().to_string()
}

fn assert_cancelled(state: &SubmissionState) {
    assert_eq!(state.status, Status::Cancelled, "{state:?}");
    assert_eq!(state.verdict, None, "{state:?}");
    assert!(state.is_final());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_admin_cancels_a_queued_and_running_submissions_and_the_worker_moves_on() {
    // One worker of 2 slots; a minute's limit, so a loop runs until stopped.
    let problems = aplusb_with_time_limit(60);
    let stack = Stack::start(problems.path(), 1).await;
    let api = stack.api_url.as_str();

    let running = [submit_loop(api).await, submit_loop(api).await];
    let queued = submit_loop(api).await;
    for id in &running {
        wait_for(api, id, Duration::from_secs(60), |s| {
            s.status == Status::Running
        })
        .await;
    }
    let waiting = wait_for(api, &queued, Duration::from_secs(5), |_| true).await;
    assert_eq!(waiting.status, Status::Queued, "both slots are busy");

    // The queued one leaves the queue; it is never taken.
    let (status, body) = admin_cancel(api, &queued).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["was_waiting"], true, "{body}");
    assert_eq!(body["state"]["status"], "cancelled", "{body}");
    let mut conn = store::dedicated(&stack.redis.url()).await.unwrap();
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live, 0, "{waiting:?}");

    // The running ones: their worker stops them.
    for id in &running {
        let (status, body) = admin_cancel(api, id).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["was_waiting"], false, "{body}");
    }
    // A second cancel, and an unknown id, are refused with a reason.
    let (status, body) = admin_cancel(api, &queued).await;
    assert_eq!(status, 409, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already cancelled"),
        "{body}"
    );
    let (status, body) = admin_cancel(api, "0190f2a4-0000-7000-8000-000000000000").await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "unknown_submission", "{body}");

    // The worker is free again: a correct submission is judged (both
    // slots were held by loops of a minute's limit).
    let code = example("aplusb", "accepted", "plain_input.py");
    let (status, body) = submit(api, "other", "aplusb", "python3", &code).await;
    assert_eq!(status, 202, "{body}");
    let ok = body["id"].as_str().unwrap();
    let judged = wait_for(api, ok, Duration::from_secs(50), |s| s.is_final()).await;
    assert_eq!(judged.verdict, Some(Verdict::AC), "{judged:?}");

    // Nothing wrote over the cancels, no sandbox is left, no job pending.
    for id in running.iter().chain([&queued]) {
        let state = store::load_state(&mut conn, id).await.unwrap().unwrap();
        assert_cancelled(&state);
        assert!(
            state.message.as_deref().unwrap_or("").contains("admin"),
            "{state:?}"
        );
        assert!(containers_of(id).is_empty(), "{id} left a sandbox");
    }
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}

/// The ids of the package checks (`judge problem verify`) made so far.
async fn verify_submissions(conn: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    conn.zrange(keys::user_submissions(keys::VERIFY_USER_ID), 0, -1)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_interrupted_verify_cancels_its_pending_checks() {
    // aplusb with a limit of 30 s: its too-slow submissions run for long.
    let problems = aplusb_with_time_limit(30);
    let stack = Stack::start(problems.path(), 1).await;
    let api = stack.api_url.as_str();
    let mut conn = store::dedicated(&stack.redis.url()).await.unwrap();

    let dir = problems.path().join("aplusb");
    let child = tokio::process::Command::new(testkit::cli::bin_dir().join("judge"))
        .args(["--url", api, "--token", ADMIN_TOKEN, "problem", "verify"])
        .arg(&dir)
        .env_remove("JUDGE_URL")
        .env_remove("JUDGE_TOKEN")
        .env("HOME", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run judge");

    // Wait until one of its checks is being judged and others wait.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let ids = verify_submissions(&mut conn).await;
        let mut running = false;
        for id in &ids {
            let state = store::load_stored_state(&mut conn, id).await.unwrap();
            running |= state.is_some_and(|s| s.status == Status::Running);
        }
        if running {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no check started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let pid = child.id().unwrap().to_string();
    let killed = std::process::Command::new("kill")
        .args(["-INT", &pid])
        .status()
        .unwrap();
    assert!(killed.success());
    let output = tokio::time::timeout(Duration::from_secs(30), child.wait_with_output())
        .await
        .expect("judge exits after SIGINT")
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("interrupted: cancelled"), "{stderr}");

    // Every check it made is final: judged before the interrupt, or
    // cancelled; and it said how many it cancelled.
    let ids = verify_submissions(&mut conn).await;
    let mut cancelled = 0;
    for id in &ids {
        let state = store::load_stored_state(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        assert!(state.is_final(), "{id} left pending: {state:?}");
        if state.status == Status::Cancelled {
            assert_cancelled(&state);
            assert!(containers_of(id).is_empty(), "{id} left a sandbox");
            cancelled += 1;
        } else {
            assert!(state.verdict.is_some(), "{state:?}");
        }
    }
    assert!(cancelled >= 1, "{ids:?}");
    assert!(
        stderr.contains(&format!("cancelled {cancelled} of {cancelled} pending")),
        "{stderr}"
    );

    // The queue is empty: nothing waits, nothing stays pending.
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live + waiting.requeued, 0, "{waiting:?}");
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_derivation_stops_once_a_lower_bound_fails_and_reports_each_submission() {
    // notl-legacy (no time limit) with two more accepted/ submissions: one
    // wrong (the derivation fails whatever the others get) and one that
    // spins until the 10 s probe limit.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("earlystop");
    let copied = std::process::Command::new("cp")
        .arg("-r")
        .arg(testkit::fixture_problems().join("notl-legacy"))
        .arg(&root)
        .status()
        .unwrap();
    assert!(copied.success());
    let accepted = root.join("submissions/accepted");
    std::fs::write(accepted.join("a_wrong.py"), "print(-1)\n").unwrap();
    std::fs::write(accepted.join("b_spin.py"), LOOP).unwrap();
    let problems = aplusb_with_time_limit(1);
    let stack = Stack::start(problems.path(), 1).await;
    let api = stack.api_url.as_str();
    let home = tempfile::tempdir().unwrap();

    let output = tokio::process::Command::new(testkit::cli::bin_dir().join("judge"))
        .args(["--url", api, "--token", ADMIN_TOKEN, "problem", "add"])
        .arg(&root)
        .env_remove("JUDGE_URL")
        .env_remove("JUDGE_TOKEN")
        .env("HOME", home.path())
        .env("NO_COLOR", "1")
        .output()
        .await
        .unwrap();
    let (out, err) = (
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr),
    );
    assert_eq!(output.status.code(), Some(1), "{out}\n{err}");
    // Each judged submission has its line; the wrong one decided.
    assert!(
        err.contains("] accepted/a_wrong.py: WA") && err.contains("(limit 10 s)"),
        "{err}"
    );
    assert!(err.contains("decided: accepted/a_wrong.py fails"), "{err}");
    assert!(out.contains("accepted/a_wrong.py"), "{out}");

    // The spinning one was cancelled, not judged to its TLE; nothing waits.
    let mut conn = store::dedicated(&stack.redis.url()).await.unwrap();
    let mut states = Vec::new();
    for id in verify_submissions(&mut conn).await {
        let record = store::load_record(&mut conn, &id).await.unwrap().unwrap();
        let state = store::load_stored_state(&mut conn, &id)
            .await
            .unwrap()
            .unwrap();
        if record.problem_id == "earlystop" {
            states.push((record, state));
        }
    }
    assert_eq!(states.len(), 4, "{states:?}");
    let spin = states
        .iter()
        .find(|(r, _)| {
            r.code.contains("while True")
                || r.files.iter().any(|f| f.content.contains("while True"))
        })
        .map(|(_, s)| s)
        .expect("the spinning submission was made");
    assert_cancelled(spin);
    assert!(states.iter().all(|(_, s)| s.is_final()), "{states:?}");
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live, 0, "{waiting:?}");
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    // The measurement is kept for the next run's order.
    let cache = home.path().join(".cache/judge/timings/earlystop.json");
    let kept = std::fs::read_to_string(&cache).unwrap();
    assert!(kept.contains("accepted/a_wrong.py"), "{kept}");
    stack.stop().await;
}
