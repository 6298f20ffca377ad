//! A burst of submissions from many users against the services as separate
//! processes. Not part of the normal suite (it takes minutes): run it with
//! `scripts/load-test.sh` (env LOAD_SUBMISSIONS, LOAD_USERS, LOAD_WORKERS).
//! It asserts that every submission ends with exactly one final verdict and
//! the queue drains, and prints the time taken and each service's peak memory.

use std::time::{Duration, Instant};

use judge_store::keys;
use judge_tests::bundled_problems;
use judge_tests::process::Service;
use submission::Verdict;
use testkit::client::{example, pending_jobs, submit};
use testkit::redis_server::{free_port, RedisServer};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Peak resident memory of a process, from /proc (VmHWM), in MiB.
fn peak_mib(pid: i32) -> f64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0)
        .unwrap_or(f64::NAN)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "load test: run with scripts/load-test.sh"]
async fn a_burst_of_submissions_is_fully_judged() {
    let total = env_or("LOAD_SUBMISSIONS", 1000);
    let users = env_or("LOAD_USERS", 100);
    let worker_count = env_or("LOAD_WORKERS", 2);
    let redis = RedisServer::start_with_aof();
    let api_port = free_port();
    let gateway_port = free_port();
    let api_url = format!("http://127.0.0.1:{api_port}");
    let problems = bundled_problems();
    let gateway = Service::spawn(
        "ws-gateway",
        &[
            "--redis-url",
            &redis.url(),
            "--addr",
            &format!("127.0.0.1:{gateway_port}"),
            "--auth",
            "open",
        ],
    );
    let api = Service::spawn(
        "api",
        &[
            "--redis-url",
            &redis.url(),
            "--addr",
            &format!("127.0.0.1:{api_port}"),
            "--problems-dir",
            problems.to_str().unwrap(),
            "--auth",
            "open",
            "--admin-token",
            "load-test-admin-token",
        ],
    );
    let workers: Vec<Service> = (0..worker_count)
        .map(|n| Service::worker(&redis.url(), &format!("load-{n}"), &["--concurrency", "1"]))
        .collect();
    let client = reqwest::Client::new();
    for _ in 0..200 {
        if client
            .get(format!("{api_url}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let code = example("hello", "accepted", "hello.py");
    let started = Instant::now();
    let mut ids = Vec::with_capacity(total);
    let mut refused = 0;
    for n in 0..total {
        let (status, body) = submit(
            &api_url,
            &format!("load-user-{}", n % users),
            "hello",
            "python3",
            &code,
        )
        .await;
        match status {
            202 => ids.push(body["id"].as_str().unwrap().to_string()),
            // Back-pressure and rate limits are correct answers to a burst; count them.
            429 | 503 => refused += 1,
            other => panic!("unexpected {other}: {body}"),
        }
    }
    let accepted_in = started.elapsed();

    let mut conn = judge_store::store::dedicated(&redis.url()).await.unwrap();
    let deadline = Instant::now() + Duration::from_secs(3600);
    let mut finished = 0;
    while Instant::now() < deadline {
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(keys::submission(id), keys::FIELD_STATE);
        }
        let states: Vec<Option<String>> = pipe.query_async(&mut conn).await.unwrap();
        finished = states
            .iter()
            .flatten()
            .filter(|json| {
                serde_json::from_str::<submission::SubmissionState>(json)
                    .unwrap()
                    .is_final()
            })
            .count();
        if finished == ids.len() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    let judged_in = started.elapsed();
    assert_eq!(finished, ids.len(), "submissions left unjudged");

    let mut verdicts = std::collections::BTreeMap::new();
    for id in &ids {
        let state = judge_store::store::load_state(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        *verdicts
            .entry(state.verdict.unwrap().to_string())
            .or_insert(0) += 1;
        assert_eq!(
            state.verdict,
            Some(Verdict::AC),
            "submission {id}: {:?}",
            state.message
        );
    }
    assert_eq!(
        pending_jobs(&redis.url()).await,
        0,
        "jobs left unacknowledged"
    );

    println!("\nload test: {total} submissions from {users} users, {worker_count} workers (concurrency 1 each)");
    println!(
        "  accepted (202)      {:>8}   refused (429/503) {refused}",
        ids.len()
    );
    println!(
        "  all accepted in     {:>8.1} s  ({:.0} submissions/s)",
        accepted_in.as_secs_f64(),
        ids.len() as f64 / accepted_in.as_secs_f64()
    );
    println!(
        "  all judged in       {:>8.1} s  ({:.1} verdicts/min)",
        judged_in.as_secs_f64(),
        ids.len() as f64 * 60.0 / judged_in.as_secs_f64()
    );
    println!("  verdicts            {verdicts:?}");
    println!(
        "  peak memory (VmHWM) api {:.1} MiB, gateway {:.1} MiB",
        peak_mib(api.pid()),
        peak_mib(gateway.pid())
    );
    for (n, worker) in workers.iter().enumerate() {
        println!(
            "                      worker {n} {:.1} MiB",
            peak_mib(worker.pid())
        );
    }
}
