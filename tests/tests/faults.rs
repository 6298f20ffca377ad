//! Faults that real deployments see, injected into real processes: a worker
//! killed mid-job, a job that kills every worker, Redis crashing, SIGTERM, and
//! several workers and gateways at once. Each asserts that every submission
//! ends with exactly one final verdict and nothing is left behind.

use std::time::Duration;

use judge_store::keys;
use judge_tests::process::Service;
use judge_tests::{bundled_problems, Stack};
use redis::AsyncCommands;
use submission::{EventKind, Status, Verdict};
use testkit::client::{example, final_state, follow, pending_jobs, submit, wait_for};
use testkit::containers_of;
use testkit::redis_server::RedisServer;

const CLAIM_IDLE_MS: &str = "1500";

async fn attempts(redis_url: &str, id: &str) -> u32 {
    let mut conn = judge_store::store::dedicated(redis_url).await.unwrap();
    conn.hget(keys::submission(id), keys::FIELD_ATTEMPTS)
        .await
        .unwrap()
}

/// A slow submission: the C++ TLE example spins through several cases.
fn slow_code() -> String {
    example("aplusb", "time_limit_exceeded", "counting.cpp")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_job_is_replaced_and_the_submission_gets_one_verdict() {
    let stack = Stack::start(&bundled_problems(), 0).await;
    let first = Service::worker(
        &stack.redis.url(),
        "doomed-worker",
        &["--claim-idle-ms", CLAIM_IDLE_MS],
    );
    let (status, body) = submit(&stack.api_url, "alice", "aplusb", "cpp", &slow_code()).await;
    assert_eq!(status, 202, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let watch = tokio::spawn(follow_owned(
        body["watch_url"].as_str().unwrap().to_string(),
    ));

    wait_for(&stack.api_url, &id, Duration::from_secs(60), |s| {
        s.status == Status::Running
    })
    .await;
    first.signal("KILL");
    // `first` stays in scope: dropping it removes its containers, orphan included.
    assert!(
        !containers_of(&id).is_empty(),
        "the killed worker's sandbox should still exist before recovery"
    );

    let _second = Service::worker(
        &stack.redis.url(),
        "rescuer",
        &["--claim-idle-ms", CLAIM_IDLE_MS],
    );
    let events = watch.await.unwrap();
    let state = final_state(&events);
    assert_eq!(state.verdict, Some(Verdict::TLE));
    assert_eq!(
        events
            .iter()
            .filter(|e| e.kind == EventKind::Finished)
            .count(),
        1,
        "exactly one final event"
    );
    assert_eq!(attempts(&stack.redis.url(), &id).await, 2);
    assert_eq!(
        pending_jobs(&stack.redis.url()).await,
        0,
        "the job is acknowledged"
    );
    assert!(
        containers_of(&id).is_empty(),
        "the orphaned sandbox was removed: {:?}",
        containers_of(&id)
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_job_that_keeps_killing_workers_ends_as_internal_error_with_the_reason() {
    let stack = Stack::start(&bundled_problems(), 0).await;
    let limits = ["--claim-idle-ms", CLAIM_IDLE_MS, "--max-attempts", "1"];
    let first = Service::worker(&stack.redis.url(), "victim", &limits);
    let (_, body) = submit(&stack.api_url, "bob", "aplusb", "cpp", &slow_code()).await;
    let id = body["id"].as_str().unwrap().to_string();
    wait_for(&stack.api_url, &id, Duration::from_secs(60), |s| {
        s.status == Status::Running
    })
    .await;
    first.signal("KILL");

    let _second = Service::worker(&stack.redis.url(), "survivor", &limits);
    let state = wait_for(&stack.api_url, &id, Duration::from_secs(60), |s| {
        s.is_final()
    })
    .await;
    assert_eq!(state.verdict, Some(Verdict::IE));
    let message = state.message.unwrap_or_default();
    assert!(message.contains("gave up after 1 attempt"), "{message}");
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    assert!(containers_of(&id).is_empty());
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn redis_crash_keeps_queued_and_finished_submissions_and_services_reconnect() {
    let redis = RedisServer::start_with_aof();
    let mut stack = Stack::start_on(redis, &bundled_problems(), 0).await;
    let mut worker = Service::worker(&stack.redis.url(), "before-crash", &[]);
    let (_, done) = submit(
        &stack.api_url,
        "carol",
        "hello",
        "python3",
        &example("hello", "accepted", "hello.py"),
    )
    .await;
    let done_id = done["id"].as_str().unwrap().to_string();
    let finished = wait_for(&stack.api_url, &done_id, Duration::from_secs(60), |s| {
        s.is_final()
    })
    .await;
    assert_eq!(finished.verdict, Some(Verdict::AC));
    worker.signal("TERM");
    assert!(
        worker.wait_exit(Duration::from_secs(30)).is_some(),
        "worker did not stop on SIGTERM"
    );

    let (_, queued) = submit(
        &stack.api_url,
        "carol",
        "hello",
        "cpp",
        &example("hello", "accepted", "hello.cpp"),
    )
    .await;
    let queued_id = queued["id"].as_str().unwrap().to_string();
    // appendfsync everysec: give the AOF its second, then crash Redis hard.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stack.redis.crash_and_restart();

    // The API reconnects by itself and still has both submissions.
    let after = wait_for(&stack.api_url, &done_id, Duration::from_secs(30), |_| true).await;
    assert_eq!(
        after, finished,
        "a finished submission survives the crash unchanged"
    );
    let still_queued = wait_for(&stack.api_url, &queued_id, Duration::from_secs(30), |_| {
        true
    })
    .await;
    assert_eq!(still_queued.status, Status::Queued);

    // The gateway resubscribes; a new worker picks the queued job up.
    let watch = tokio::spawn(follow_owned(format!(
        "{}/ws/submissions/{queued_id}",
        stack.gateway_url
    )));
    let _worker = Service::worker(&stack.redis.url(), "after-crash", &[]);
    let events = watch.await.unwrap();
    assert_eq!(final_state(&events).verdict, Some(Verdict::AC));
    let _ = stack.add_gateway().await;
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_lets_a_worker_finish_its_job_then_exit() {
    let stack = Stack::start(&bundled_problems(), 0).await;
    let mut worker = Service::worker(&stack.redis.url(), "terminated", &[]);
    let (_, body) = submit(&stack.api_url, "dave", "aplusb", "cpp", &slow_code()).await;
    let id = body["id"].as_str().unwrap().to_string();
    wait_for(&stack.api_url, &id, Duration::from_secs(60), |s| {
        s.status == Status::Running
    })
    .await;
    worker.signal("TERM");
    let status = worker
        .wait_exit(Duration::from_secs(60))
        .expect("the worker exits after its job");
    assert!(
        status.success(),
        "exit status {status:?}\n{}",
        worker.log_text()
    );
    let state = wait_for(&stack.api_url, &id, Duration::from_secs(5), |_| true).await;
    assert_eq!(
        state.verdict,
        Some(Verdict::TLE),
        "the job was finished, not dropped"
    );
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_workers_and_two_gateways_share_the_load() {
    let mut stack = Stack::start(&bundled_problems(), 0).await;
    let second_gateway = stack.add_gateway().await;
    let workers = [
        Service::worker(&stack.redis.url(), "left", &[]),
        Service::worker(&stack.redis.url(), "right", &[]),
    ];
    let code = example("aplusb", "accepted", "long_long.cpp");
    let mut follows = Vec::new();
    for n in 0..8 {
        let (status, body) =
            submit(&stack.api_url, &format!("user{n}"), "aplusb", "cpp", &code).await;
        assert_eq!(status, 202);
        let gateway = if n % 2 == 0 {
            &stack.gateway_url
        } else {
            &second_gateway
        };
        let url = format!("{gateway}/ws/submissions/{}", body["id"].as_str().unwrap());
        follows.push(tokio::spawn(follow_owned(url)));
    }
    for handle in follows {
        assert_eq!(
            final_state(&handle.await.unwrap()).verdict,
            Some(Verdict::AC)
        );
    }
    for worker in &workers {
        let judged = worker.log_text().matches("judged").count();
        assert!(
            judged >= 1,
            "every worker takes a share; this one judged none:\n{}",
            worker.log_text()
        );
    }
    assert_eq!(pending_jobs(&stack.redis.url()).await, 0);
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_client_of_a_killed_gateway_reconnects_to_its_restart_and_gets_the_verdict() {
    use futures_util::StreamExt;
    let stack = Stack::start(&bundled_problems(), 1).await;
    let port = testkit::redis_server::free_port();
    let address = format!("127.0.0.1:{port}");
    let gateway_args = [
        "--redis-url",
        &stack.redis.url(),
        "--addr",
        &address,
        "--auth",
        "open",
    ];
    let gateway = Service::spawn("ws-gateway", &gateway_args);
    let (_, body) = submit(&stack.api_url, "erin", "aplusb", "cpp", &slow_code()).await;
    let id = body["id"].as_str().unwrap().to_string();
    let url = format!("ws://{address}/ws/submissions/{id}");

    // Connected and receiving, then the gateway dies mid-judging.
    let mut socket = loop {
        if let Ok((socket, _)) = tokio_tungstenite::connect_async(&url).await {
            break socket;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let first = socket.next().await.expect("a snapshot").expect("a message");
    assert!(first.is_text());
    wait_for(&stack.api_url, &id, Duration::from_secs(60), |s| {
        s.status == Status::Running
    })
    .await;
    gateway.signal("KILL");
    drop(gateway);
    let ended = tokio::time::timeout(Duration::from_secs(10), async {
        while let Some(Ok(_)) = socket.next().await {}
    })
    .await;
    assert!(ended.is_ok(), "the socket ends when its gateway dies");

    // The gateway comes back on the same address; the client reconnects and
    // learns the verdict without any of the events it missed.
    let _restarted = Service::spawn("ws-gateway", &gateway_args);
    let events = loop {
        match tokio::time::timeout(Duration::from_secs(120), follow_owned_checked(url.clone()))
            .await
        {
            Ok(Some(events)) => break events,
            Ok(None) => tokio::time::sleep(Duration::from_millis(100)).await,
            Err(_) => panic!("no verdict after the gateway restarted"),
        }
    };
    assert_eq!(
        events[0].kind,
        EventKind::Snapshot,
        "the stored state comes first"
    );
    let state = final_state(&events);
    assert_eq!(state.verdict, Some(Verdict::TLE));
    assert_eq!(state.results.last().map(|r| r.verdict), Some(Verdict::TLE));
    stack.stop().await;
}

/// Like [`follow`], but `None` while the gateway does not accept connections yet.
async fn follow_owned_checked(url: String) -> Option<Vec<submission::Event>> {
    tokio_tungstenite::connect_async(&url).await.ok()?;
    Some(follow(&url, Duration::from_secs(120)).await)
}

async fn follow_owned(url: String) -> Vec<submission::Event> {
    follow(&url, Duration::from_secs(180)).await
}
