//! Several judge hosts: two workers on two Docker engines of this machine
//! (the main one through its Unix socket, and a second `dockerd` the test
//! starts with its own roots, reached over TCP as a remote engine would be,
//! see `judge_tests::engine`) share one Redis.
//!
//! - A burst is judged by both (each engine's containers show up, each
//!   worker judges some).
//! - The second engine is killed (SIGKILL) mid-burst: its worker reports
//!   itself unhealthy in `/metrics`, its jobs go back to the queue and the
//!   other worker judges them; every submission gets exactly one verdict,
//!   the expected one, never IE.
//! - With the other worker gone, submissions wait while the engine is down
//!   (a worker restarted meanwhile waits for its engine too); the engine
//!   comes back and the worker resumes by itself. Then the engine
//!   is restarted (SIGTERM, which stops every container, warm pool included)
//!   under the working worker: again no IE, every verdict right.
//!
//! The machine's main engine is never stopped: other tests run on it.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use judge_store::keys;
use judge_tests::engine::Engine;
use judge_tests::process::Service;
use judge_tests::{aplusb_with_time_limit, Stack};
use redis::AsyncCommands;
use submission::Verdict;
use testkit::client::{example, pending_jobs, submit, wait_for};

/// CPython (by id): its image is the smallest to copy to the second engine.
const LANGUAGE: &str = "cpython3";
const IMAGE: &str = "judge-lang-python3";
/// Longer than the 5 s in which a worker re-claims its jobs in flight, so
/// that a long judging is never taken over while its worker is alive.
const CLAIM_IDLE_MS: &str = "10000";

/// What one burst submitted: id -> expected verdict.
type Burst = HashMap<String, Verdict>;

fn worker_args() -> Vec<&'static str> {
    vec![
        "--claim-idle-ms",
        CLAIM_IDLE_MS,
        "--concurrency",
        "2",
        "--pool-languages",
        LANGUAGE,
        "--pool-size",
        "1",
    ]
}

/// Submits `n` submissions: mostly accepted, every fourth one a TLE that
/// keeps its sandbox busy for a while (so a killed engine has work in flight).
async fn burst(api_url: &str, user: &str, n: usize) -> Burst {
    let ok = example("aplusb", "accepted", "plain_input.py");
    let slow = example("aplusb", "time_limit_exceeded", "counting.py");
    let mut out = Burst::new();
    for i in 0..n {
        let (code, verdict) = if i % 4 == 3 {
            (&slow, Verdict::TLE)
        } else {
            (&ok, Verdict::AC)
        };
        let (status, body) = submit(api_url, user, "aplusb", LANGUAGE, code).await;
        assert_eq!(status, 202, "{body}");
        out.insert(body["id"].as_str().unwrap().to_string(), verdict);
    }
    out
}

/// Waits for every submission's final state and checks each verdict; a
/// submission whose verdict is IE (or any unexpected one) fails the test.
async fn all_judged(api_url: &str, burst: &Burst, within: Duration) {
    for (id, expected) in burst {
        let state = wait_for(api_url, id, within, |s| s.is_final()).await;
        assert_eq!(
            state.verdict,
            Some(*expected),
            "{id}: {:?} {:?}, last test {:?}",
            state.verdict,
            state.message,
            state
                .results
                .last()
                .map(|r| (&r.name, r.time_ms, r.wall_ms, r.exit_code, r.signal))
        );
    }
}

/// Lines of a worker's log with `needle` (colours taken out).
fn count(service: &Service, needle: &str) -> usize {
    service
        .log_text()
        .lines()
        .map(strip_ansi)
        .filter(|l| l.contains(needle))
        .count()
}

/// The line without its terminal colour sequences (`ESC [ ... m`).
fn strip_ansi(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Containers labelled for `worker` on the machine's main engine.
fn main_engine_containers_of(worker: &str) -> Vec<String> {
    let out = std::process::Command::new("docker")
        .args([
            "ps",
            "-aq",
            "--filter",
            &format!("label=judge.worker={worker}"),
        ])
        .output()
        .expect("docker ps");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .map(String::from)
        .collect()
}

async fn metrics(api_url: &str) -> String {
    reqwest::get(format!("{api_url}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap()
}

/// Polls `/metrics` until it contains `line`.
async fn wait_metric(api_url: &str, line: &str, within: Duration) -> Duration {
    let started = Instant::now();
    loop {
        let text = metrics(api_url).await;
        if text.contains(line) {
            return started.elapsed();
        }
        assert!(
            started.elapsed() < within,
            "/metrics never showed {line:?} within {within:?}:\n{text}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Every submission ended with one final state (the store never takes a
/// second one) and its job is gone; IE counted judge-wide stays 0.
async fn nothing_lost_or_failed(redis_url: &str, api_url: &str) {
    assert_eq!(pending_jobs(redis_url).await, 0, "every job acknowledged");
    let mut conn = judge_store::store::dedicated(redis_url).await.unwrap();
    let ie: Option<u64> = conn
        .hget(keys::STATS, judge_store::stats::verdict_field(Verdict::IE))
        .await
        .unwrap();
    assert_eq!(ie.unwrap_or(0), 0, "no IE verdict at all");
    let text = metrics(api_url).await;
    assert!(
        text.contains("judge_verdicts_total{verdict=\"IE\"} 0\n"),
        "{text}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_engines_share_a_burst_and_losing_or_restarting_one_loses_nothing() {
    testkit::require_images(&[LANGUAGE]);
    let started = Instant::now();
    let mut engine = Engine::start();
    engine.load_images(&[IMAGE]);
    // 3 s: the TLE submissions keep a sandbox busy that long, and an
    // accepted one stays accepted on this shared 2-core machine under load.
    let problems = aplusb_with_time_limit(3);
    let stack = Stack::start(problems.path(), 0).await;
    let redis = stack.redis.url();
    let api = stack.api_url.clone();
    let mut host_a = Service::worker(&redis, "host-a", &worker_args());
    let mut host_b = Service::worker_on(&engine.tcp_host(), &redis, "host-b", &worker_args());
    wait_metric(
        &api,
        "judge_worker_engine_up{worker=\"host-b\"} 1\n",
        Duration::from_secs(30),
    )
    .await;

    // 1. Both hosts judge a burst.
    let first = burst(&api, "alice", 12).await;
    all_judged(&api, &first, Duration::from_secs(120)).await;
    let (judged_a, judged_b) = (count(&host_a, ": judged "), count(&host_b, ": judged "));
    let b_containers = engine.containers_of_worker("host-b").len();
    println!(
        "burst 1: {} submissions; host-a judged {judged_a}, host-b judged {judged_b}; host-b's engine holds {b_containers} of its containers",
        first.len()
    );
    assert!(judged_a > 0 && judged_b > 0, "both hosts judged some");
    assert!(
        b_containers > 0,
        "host-b's sandboxes live on the second engine"
    );
    assert!(
        main_engine_containers_of("host-b").is_empty(),
        "and none of them on the main engine"
    );

    // 2. The second engine dies (SIGKILL) while its worker is judging.
    let judging_before = count(&host_b, ": judging ");
    let second = burst(&api, "bob", 16).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&host_b, ": judging ") == judging_before {
        assert!(Instant::now() < deadline, "host-b took none of burst 2");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let killed_at = Instant::now();
    engine.kill();
    let unhealthy_after = wait_metric(
        &api,
        "judge_worker_engine_up{worker=\"host-b\"} 0\n",
        Duration::from_secs(15),
    )
    .await;
    assert!(metrics(&api).await.contains("judge_workers_unhealthy 1\n"));
    all_judged(&api, &second, Duration::from_secs(120)).await;
    let requeued = count(&host_b, "the job goes back to the queue");
    println!(
        "burst 2: {} submissions, engine of host-b killed mid-burst: reported unhealthy after {:.1} s, {requeued} of its jobs requeued, all {} judged by host-a in {:.1} s with the expected verdicts",
        second.len(),
        unhealthy_after.as_secs_f64(),
        second.len(),
        killed_at.elapsed().as_secs_f64()
    );
    assert!(
        requeued > 0,
        "host-b had jobs in flight when its engine died"
    );
    nothing_lost_or_failed(&redis, &api).await;

    // 3. Only host-b is left, its engine down: submissions wait, then the
    //    engine comes back and the worker resumes by itself.
    host_a.signal("TERM");
    assert!(host_a.wait_exit(Duration::from_secs(60)).is_some());
    // A worker that starts while its engine is down waits for it (and says
    // so) instead of failing.
    drop(host_b);
    host_b = Service::worker_on(&engine.tcp_host(), &redis, "host-b", &worker_args());
    let deadline = Instant::now() + Duration::from_secs(15);
    while count(&host_b, "Docker engine unreachable; waiting for it") == 0 {
        assert!(Instant::now() < deadline, "{}", host_b.log_text());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(host_b.wait_exit(Duration::from_millis(100)).is_none());
    wait_metric(
        &api,
        "judge_worker_engine_up{worker=\"host-b\"} 0\n",
        Duration::from_secs(15),
    )
    .await;
    let third = burst(&api, "carol", 4).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    for id in third.keys() {
        let state = wait_for(&api, id, Duration::from_secs(5), |_| true).await;
        assert!(!state.is_final(), "{id} judged while no engine was up");
    }
    let restarted_at = Instant::now();
    engine.start_again();
    wait_metric(
        &api,
        "judge_worker_engine_up{worker=\"host-b\"} 1\n",
        Duration::from_secs(15),
    )
    .await;
    all_judged(&api, &third, Duration::from_secs(120)).await;
    println!(
        "burst 3: {} submissions waited while the engine was down; judged {:.1} s after it was started again",
        third.len(),
        restarted_at.elapsed().as_secs_f64()
    );

    // 4. dockerd restarted (SIGTERM stops every container) under the
    //    working worker: its warm pool and sandboxes die, no IE.
    let judging_before = count(&host_b, ": judging ");
    let requeued_before = count(&host_b, "the job goes back to the queue");
    let fourth = burst(&api, "dave", 8).await;
    let deadline = Instant::now() + Duration::from_secs(60);
    while count(&host_b, ": judging ") == judging_before {
        assert!(Instant::now() < deadline, "host-b took none of burst 4");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    engine.stop();
    engine.start_again();
    all_judged(&api, &fourth, Duration::from_secs(120)).await;
    println!(
        "burst 4: {} submissions, dockerd restarted under host-b: {} jobs requeued, all judged with the expected verdicts",
        fourth.len(),
        count(&host_b, "the job goes back to the queue") - requeued_before
    );
    nothing_lost_or_failed(&redis, &api).await;
    // Nothing the restart stopped is left behind on the engine.
    let deadline = Instant::now() + Duration::from_secs(15);
    loop {
        let out = engine.docker(&[
            "ps",
            "-aq",
            "--filter",
            "label=judge.worker=host-b",
            "--filter",
            "status=exited",
        ]);
        let left = String::from_utf8_lossy(&out.stdout).trim().to_string();
        if left.is_empty() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "stopped sandboxes left on the second engine: {left}"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    println!(
        "two engines: {} submissions, 0 lost, 0 IE, in {:.1} s",
        first.len() + second.len() + third.len() + fourth.len(),
        started.elapsed().as_secs_f64()
    );
    drop(host_b);
    stack.stop().await;
}
