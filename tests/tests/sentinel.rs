//! Redis that survives its machine: a primary, a replica and three
//! sentinels on this machine, the API, a gateway and a worker pointed at the
//! sentinels (a `redis+sentinel://` URL), a burst of submissions each
//! followed over WebSocket, and the primary killed (SIGKILL) mid-burst.
//!
//! Every submission that got a 202 must end with exactly one verdict (the
//! expected one, never IE), in the store and on its socket (the gateway
//! resubscribes on the new primary and re-sends stored states); submissions
//! refused during the failover (503) were never promised. Before the kill, a
//! 202 means the replica has the submission (checked on the replica), and
//! with the replica paused the API refuses (503) rather than acknowledge a
//! write no replica confirmed. The figures are
//! printed: submitted, acknowledged, judged, lost, duplicated, failover time.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use clap::Parser;
use judge_tests::aplusb_with_time_limit;
use judge_tests::process::Service;
use judge_tests::stack::ADMIN_TOKEN;
use submission::{EventKind, Verdict};
use testkit::client::{example, follow, submit, wait_for};
use testkit::sentinel::SentinelSet;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

const LANGUAGE: &str = "cpython3";
const SUBMISSIONS: usize = 24;
/// The primary is killed once this many submissions were acknowledged.
const KILL_AFTER: usize = 8;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_primary_killed_mid_burst_loses_no_acknowledged_submission() {
    testkit::require_images(&[LANGUAGE]);
    let problems = aplusb_with_time_limit(5);
    let set = SentinelSet::start("judge");
    let url = set.url();
    let first_primary = set.primary.port;
    let mut set = set;

    // The API and the gateway in this process, the worker as a process:
    // all three find the primary through the sentinels.
    let shutdown = CancellationToken::new();
    let gateway_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let gateway_url = format!("ws://{}", gateway_listener.local_addr().unwrap());
    let api_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api_url = format!("http://{}", api_listener.local_addr().unwrap());
    let gateway = tokio::spawn(ws_gateway::serve(
        ws_gateway::Config::parse_from(["ws-gateway", "--redis-url", &url, "--auth", "open"]),
        gateway_listener,
        shutdown.clone(),
    ));
    let api = tokio::spawn(api::serve(
        api::Config::parse_from([
            "api",
            "--redis-url",
            &url,
            "--problems-dir",
            problems.path().to_str().unwrap(),
            "--gateway-url",
            &gateway_url,
            "--web-dir",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist"),
            "--auth",
            "open",
            "--admin-token",
            ADMIN_TOKEN,
            "--validator-check-secs",
            "0",
        ]),
        api_listener,
        shutdown.clone(),
    ));
    // A job whose final state died with the primary is taken over after
    // 6 s idle: longer than the 5 s in which a live worker re-claims its own.
    let worker = Service::worker(
        &url,
        "sentinel-worker",
        &["--claim-idle-ms", "6000", "--concurrency", "2"],
    );
    // The API is up once it stored the problems on the primary.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let ok = reqwest::get(format!("{api_url}/api/problems/aplusb"))
            .await
            .is_ok_and(|r| r.status().is_success());
        if ok {
            break;
        }
        assert!(Instant::now() < deadline, "the API never served aplusb");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    let code = example("aplusb", "accepted", "plain_input.py");

    // The promise of a 202 with a replica connected: the replica has it.
    // Paused (SIGSTOP), the replica confirms nothing, so the API answers
    // 503 after its one-second WAIT instead of acknowledging.
    signal(set.replica.pid(), "STOP");
    let (status, body) = submit(&api_url, "eve", "aplusb", LANGUAGE, &code).await;
    signal(set.replica.pid(), "CONT");
    assert_eq!(
        status, 503,
        "not acknowledged without a replica's WAIT: {body}"
    );
    let mut replica = judge_store::store::dedicated(&set.replica.url())
        .await
        .unwrap();
    let mut acknowledged: Vec<String> = Vec::new();
    let mut followers = HashMap::new();
    let mut refused = 0;
    let mut killed_at = None;
    let mut failover = None;
    let mut first_ack_after_kill = None;
    for i in 0..SUBMISSIONS {
        if i == KILL_AFTER {
            // SIGKILL, as the loss of the primary's machine.
            set.primary.stop();
            killed_at = Some(Instant::now());
            failover = Some(set.watch_failover(first_primary, Duration::from_secs(30)));
        }
        let (status, body) = submit(&api_url, "eve", "aplusb", LANGUAGE, &code).await;
        if status == 202 {
            let id = body["id"].as_str().unwrap().to_string();
            if killed_at.is_none() {
                let stored: bool =
                    redis::AsyncCommands::exists(&mut replica, judge_store::keys::submission(&id))
                        .await
                        .unwrap();
                assert!(stored, "{id} acknowledged before the replica had it");
            }
            let watch = body["watch_url"].as_str().unwrap().to_string();
            followers.insert(
                id.clone(),
                tokio::spawn(async move { follow(&watch, Duration::from_secs(150)).await }),
            );
            acknowledged.push(id);
            if killed_at.is_some() && first_ack_after_kill.is_none() {
                first_ack_after_kill = killed_at.map(|k| k.elapsed());
            }
        } else {
            assert_eq!(status, 503, "only 'store unavailable' is expected: {body}");
            refused += 1;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    // The failover as the sentinels reported it: kill to a promoted replica.
    let (failover, promoted) = failover
        .unwrap()
        .join()
        .unwrap()
        .unwrap_or_else(|| panic!("no failover within 30 s:\n{}", set.sentinels[0].log()));
    assert_eq!(promoted, set.replica.port, "the replica was promoted");

    // Every acknowledged submission: one final state in the store (read
    // through the API, on the new primary), the expected verdict, and the
    // same verdict on its socket.
    let mut judged = 0;
    let mut duplicated = 0;
    for id in &acknowledged {
        let state = wait_for(&api_url, id, Duration::from_secs(150), |s| s.is_final()).await;
        assert_eq!(
            state.verdict,
            Some(Verdict::AC),
            "{id}: {:?} {:?}",
            state.verdict,
            state.message
        );
        judged += 1;
        let events = followers.remove(id).unwrap().await.unwrap();
        let finals: Vec<Option<Verdict>> = events
            .iter()
            .filter(|e| e.kind == EventKind::Finished || e.state.is_final())
            .map(|e| e.state.verdict)
            .collect();
        assert!(!finals.is_empty(), "{id}: no verdict on the socket");
        if finals.iter().any(|v| *v != state.verdict) {
            duplicated += 1;
        }
    }
    let lost = acknowledged.len() - judged;
    println!(
        "sentinel failover: submitted {SUBMISSIONS}, acknowledged {}, refused during the failover {refused}, judged {judged}, lost {lost}, duplicated {duplicated}; failover (kill to promoted replica named by the sentinels) {:.1} s, first 202 after the kill {:.1} s",
        acknowledged.len(),
        failover.as_secs_f64(),
        first_ack_after_kill.map_or(f64::NAN, |d| d.as_secs_f64())
    );
    assert_eq!(lost, 0);
    assert_eq!(duplicated, 0);
    assert!(
        acknowledged.len() > KILL_AFTER,
        "submissions were acknowledged again after the failover"
    );
    assert_eq!(
        testkit::client::pending_jobs(&set.replica.url()).await,
        0,
        "every job acknowledged on the new primary"
    );

    drop(worker);
    shutdown.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(10), api).await;
    let _ = tokio::time::timeout(Duration::from_secs(10), gateway).await;
}

fn signal(pid: u32, signal: &str) {
    let status = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .unwrap();
    assert!(status.success(), "kill -{signal} {pid}");
}
