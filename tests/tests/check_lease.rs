//! The lease of package checks through the whole stack (real Redis, API,
//! worker, Docker sandboxes), with a lease of 2 s: checks submitted as
//! `judge problem verify` submits them, whose client then never reads them
//! again (it died without cancelling: SIGKILL, a lost network), are
//! cancelled by the server, the running one's sandbox goes and the queue
//! empties; a check whose client keeps polling is judged; a user's
//! submission nobody reads is never swept. And with the real CLI: a
//! `judge problem verify` that lives keeps its checks past the lease; once
//! it is SIGKILLed (no chance to cancel), the server cancels them.

use std::time::Duration;

use judge_store::{keys, queue, store};
use judge_tests::stack::ADMIN_TOKEN;
use judge_tests::{aplusb_with_time_limit, Stack};
use redis::AsyncCommands;
use serde_json::{json, Value};
use submission::{Status, Verdict};
use testkit::client::{example, pending_jobs, submit, wait_for};
use testkit::docker::containers_of;
use testkit::RedisServer;

const LOOP: &str = "while True:\n    pass\n";

/// A package check as the CLI makes it: an admin's submission against a
/// chosen problem version.
async fn submit_check(api: &str, version: &str, code: &str) -> String {
    let response = reqwest::Client::new()
        .post(format!("{api}/api/submissions"))
        .bearer_auth(ADMIN_TOKEN)
        .json(
            &json!({"problem_id": "aplusb", "language": "python3", "code": code,
            "problem_version": version}),
        )
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["state"]["user_id"], keys::VERIFY_USER_ID, "{body}");
    body["id"].as_str().unwrap().to_string()
}

/// The stored state, read from Redis: reading it over the API would renew
/// a check's lease.
async fn stored(
    conn: &mut redis::aio::MultiplexedConnection,
    id: &str,
) -> submission::SubmissionState {
    store::load_stored_state(conn, id).await.unwrap().unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn checks_whose_client_went_away_are_cancelled_and_no_other_submission_is() {
    // One worker of 2 slots; a limit of 30 s, so a loop runs until stopped.
    let problems = aplusb_with_time_limit(30);
    let stack = Stack::start_with_api(
        RedisServer::start(),
        problems.path(),
        1,
        &["--check-lease-secs", "2"],
    )
    .await;
    let api = stack.api_url.as_str();
    let mut conn = store::dedicated(&stack.redis.url()).await.unwrap();
    let problem: Value = reqwest::get(format!("{api}/api/problems/aplusb"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let version = problem["version"].as_str().unwrap().to_string();

    // A user's loop holds one slot; no one reads it.
    let (status, body) = submit(api, "looper", "aplusb", "python3", LOOP).await;
    assert_eq!(status, 202, "{body}");
    let users = body["id"].as_str().unwrap().to_string();
    // Two checks whose client is gone at once (one runs, one waits), and
    // one whose client polls, queued behind them.
    let gone = [
        submit_check(api, &version, LOOP).await,
        submit_check(api, &version, LOOP).await,
    ];
    let code = example("aplusb", "accepted", "plain_input.py");
    let polled = submit_check(api, &version, &code).await;

    // Without the lease the gone checks would hold the free slot for a
    // minute (two loops under a 30 s limit); with it, the polled check is
    // judged once they are swept.
    let judged = wait_for(api, &polled, Duration::from_secs(45), |s| s.is_final()).await;
    assert_eq!(judged.status, Status::Finished, "{judged:?}");
    assert_eq!(judged.verdict, Some(Verdict::AC), "{judged:?}");

    for id in &gone {
        let state = stored(&mut conn, id).await;
        assert_eq!(state.status, Status::Cancelled, "{state:?}");
        assert_eq!(state.verdict, None, "{state:?}");
        assert_eq!(
            state.message.as_deref(),
            Some("cancelled: its client went away"),
            "{state:?}"
        );
        assert!(containers_of(id).is_empty(), "{id} left a sandbox");
    }

    // The user's loop, unread for longer than the lease, still runs: it
    // never held a lease.
    let state = stored(&mut conn, &users).await;
    assert_eq!(state.status, Status::Running, "{state:?}");
    let score: Option<f64> = conn.zscore(keys::CHECK_LEASES, &users).await.unwrap();
    assert_eq!(score, None);
    let response = reqwest::Client::new()
        .post(format!("{api}/api/admin/submissions/{users}/cancel"))
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);

    // Nothing waits, nothing stays pending.
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live + waiting.requeued, 0, "{waiting:?}");
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}

/// The ids of the package checks made so far.
async fn checks(conn: &mut redis::aio::MultiplexedConnection) -> Vec<String> {
    conn.zrange(keys::user_submissions(keys::VERIFY_USER_ID), 0, -1)
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_live_verify_keeps_its_checks_and_a_killed_one_loses_them() {
    // aplusb with a limit of 30 s: its too-slow submissions run for long.
    let problems = aplusb_with_time_limit(30);
    let stack = Stack::start_with_api(
        RedisServer::start(),
        problems.path(),
        1,
        &["--check-lease-secs", "2"],
    )
    .await;
    let api = stack.api_url.as_str();
    let mut conn = store::dedicated(&stack.redis.url()).await.unwrap();
    let mut child = tokio::process::Command::new(testkit::cli::bin_dir().join("judge"))
        .args(["--url", api, "--token", ADMIN_TOKEN, "problem", "verify"])
        .arg(problems.path().join("aplusb"))
        .env_remove("JUDGE_URL")
        .env_remove("JUDGE_TOKEN")
        .env("HOME", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("run judge");

    // Wait until one of its checks is being judged.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
    loop {
        let mut running = false;
        for id in checks(&mut conn).await {
            running |= stored(&mut conn, &id).await.status == Status::Running;
        }
        if running {
            break;
        }
        assert!(tokio::time::Instant::now() < deadline, "no check started");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    // Twice the lease later, the live CLI still waits and none of its
    // checks was cancelled.
    tokio::time::sleep(Duration::from_secs(4)).await;
    assert!(child.try_wait().unwrap().is_none(), "judge ended early");
    let made = checks(&mut conn).await;
    let mut pending = 0;
    for id in &made {
        let state = stored(&mut conn, id).await;
        assert_ne!(state.status, Status::Cancelled, "{state:?}");
        pending += usize::from(!state.is_final());
    }
    assert!(pending >= 1, "{made:?}");

    // SIGKILL: the CLI cancels nothing; the server does, within the lease
    // and a sweep.
    child.kill().await.unwrap();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    let mut cancelled = 0;
    for id in &made {
        let state = loop {
            let state = stored(&mut conn, id).await;
            if state.is_final() {
                break state;
            }
            assert!(
                tokio::time::Instant::now() < deadline,
                "{id} left pending: {state:?}"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        };
        if state.status == Status::Cancelled {
            assert_eq!(
                state.message.as_deref(),
                Some("cancelled: its client went away"),
                "{state:?}"
            );
            assert!(containers_of(id).is_empty(), "{id} left a sandbox");
            cancelled += 1;
        } else {
            assert!(state.verdict.is_some(), "{state:?}");
        }
    }
    assert!(cancelled >= 1, "{made:?}");
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live + waiting.requeued, 0, "{waiting:?}");
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}
