//! Part 5b: N WebSocket clients on one gateway process, each following its
//! own submission; one final state published per submission. No worker: the
//! states are stored and published directly with `store::publish_state`.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use futures_util::{stream, StreamExt};
use judge_store::store;
use submission::{EventKind, SubmissionRecord, SubmissionState, Verdict};
use tokio::sync::Semaphore;
use tokio_tungstenite::tungstenite::Message;

use crate::common::*;

fn state(n: usize) -> SubmissionState {
    let record = SubmissionRecord {
        id: format!("bench-gw-{n:06}"),
        user_id: format!("gw-{}", n % 1000),
        problem_id: PROBLEM.into(),
        problem_version: "bench".into(),
        language: "python3".into(),
        code: String::new(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: submission::now_ms(),
        contest_id: None,
        team_id: None,
    };
    SubmissionState::queued(&record, 20)
}

pub async fn gateway(clients: usize) -> Result<Vec<Row>> {
    let s = Services::start(false, true, 0).await?;
    let gw = s.gateway.as_ref().unwrap();
    let mut conn = store::dedicated(&s.redis.url()).await?;
    // Every submission needs a stored state first, or the gateway refuses it.
    stream::iter(0..clients)
        .map(|n| {
            let mut conn = conn.clone();
            async move { store::publish_state(&mut conn, EventKind::Queued, &state(n)).await }
        })
        .buffer_unordered(64)
        .collect::<Vec<_>>()
        .await
        .into_iter()
        .collect::<Result<Vec<_>, _>>()?;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let rss_before = gw.rss_kb();

    let base = Instant::now();
    let received: Arc<Vec<AtomicU64>> = Arc::new((0..clients).map(|_| AtomicU64::new(0)).collect());
    let ready = Arc::new(AtomicUsize::new(0));
    let failed = Arc::new(AtomicUsize::new(0));
    let connecting = Arc::new(Semaphore::new(128));
    let mut tasks = Vec::with_capacity(clients);
    let connect_started = Instant::now();
    for n in 0..clients {
        let url = format!("{}/ws/submissions/bench-gw-{n:06}", s.gateway_url);
        let (received, ready, failed, connecting) = (
            received.clone(),
            ready.clone(),
            failed.clone(),
            connecting.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let permit = connecting.acquire_owned().await.unwrap();
            let connected = connect_viewer(&url, Duration::from_secs(20)).await;
            drop(permit);
            let Some((mut ws, _)) = connected else {
                failed.fetch_add(1, Ordering::Relaxed);
                return;
            };
            ready.fetch_add(1, Ordering::Relaxed);
            let wait = tokio::time::timeout(Duration::from_secs(120), async {
                while let Some(Ok(message)) = ws.next().await {
                    if let Message::Text(text) = message {
                        if text.contains("\"finished\"") {
                            received[n].store(base.elapsed().as_nanos() as u64, Ordering::Relaxed);
                            break;
                        }
                    }
                }
            });
            let _ = wait.await;
            let _ = ws.close(None).await;
        }));
    }
    // Wait (bounded) until every client is connected or failed.
    let deadline = Instant::now() + Duration::from_secs(300);
    while ready.load(Ordering::Relaxed) + failed.load(Ordering::Relaxed) < clients {
        if Instant::now() > deadline {
            bail!("clients neither connected nor failed within 300 s");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let connect_secs = connect_started.elapsed().as_secs_f64();
    let connected = ready.load(Ordering::Relaxed);
    tokio::time::sleep(Duration::from_millis(500)).await;
    let rss_after = gw.rss_kb();

    // Publish one final state per submission. First a paced sample (one at a
    // time, 2 ms apart: the latency of a lone event with N sockets open), then
    // the rest as a burst, 16 in flight (the latency under a storm of verdicts).
    let sent: Arc<Vec<AtomicU64>> = Arc::new((0..clients).map(|_| AtomicU64::new(0)).collect());
    let paced = (clients / 10).clamp(1.min(clients), 500);
    let publish = |n: usize| {
        let mut conn = conn.clone();
        let sent = sent.clone();
        async move {
            let mut st = state(n);
            st.seq = 1;
            st.finish(Verdict::AC, submission::now_ms());
            sent[n].store(base.elapsed().as_nanos() as u64, Ordering::Relaxed);
            store::publish_state(&mut conn, EventKind::Finished, &st).await
        }
    };
    for n in 0..paced {
        publish(n).await?;
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let publish_started = Instant::now();
    stream::iter(paced..clients)
        .map(publish)
        .buffer_unordered(16)
        .collect::<Vec<_>>()
        .await;
    let publish_secs = publish_started.elapsed().as_secs_f64();
    for t in tasks {
        let _ = t.await;
    }
    let latency = |range: std::ops::Range<usize>| {
        range
            .filter_map(|n| {
                let (r, t) = (
                    received[n].load(Ordering::Relaxed),
                    sent[n].load(Ordering::Relaxed),
                );
                (r > 0 && t > 0).then(|| r.saturating_sub(t) as f64 / 1e6)
            })
            .collect::<Vec<f64>>()
    };
    let lone = latency(0..paced);
    let burst = latency(paced..clients);
    let _ = redis::cmd("PING").query_async::<String>(&mut conn).await;
    let per_conn = (rss_after.saturating_sub(rss_before)) as f64 / connected.max(1) as f64;
    let part = "5 gateway";
    Ok(vec![
        row(
            part,
            &format!("{clients} WS clients requested, each its own submission"),
            format!("{connected} connected"),
            format!("{} failed", failed.load(Ordering::Relaxed)),
            "-".into(),
            &format!("connected + snapshot in {connect_secs:.1} s (128 handshakes at a time); loopback"),
        ),
        row(
            part,
            &format!("delivery latency p50 / p99, lone events ({paced} paced 2 ms apart)"),
            format!("{:.1} / {:.1} ms", median(&lone), percentile(&lone, 99.0)),
            format!("{} of {paced} delivered", lone.len()),
            "-".into(),
            "publish_state (store + PUBLISH) called → final event read by the client",
        ),
        row(
            part,
            &format!("delivery latency p50 / p99, burst of {}", clients - paced),
            format!("{:.1} / {:.1} ms", median(&burst), percentile(&burst, 99.0)),
            format!("{} of {} delivered", burst.len(), clients - paced),
            "-".into(),
            &format!(
                "published in {publish_secs:.2} s ({:.0}/s), 16 in flight; clients share the 2 cores",
                (clients - paced) as f64 / publish_secs.max(1e-9)
            ),
        ),
        row(
            part,
            "gateway memory per connection (VmRSS delta / N)",
            format!("{:.1} KiB", per_conn),
            format!("RSS {} → {} MiB", rss_before / 1024, rss_after / 1024),
            "-".into(),
            "gateway as its own release process",
        ),
    ])
}
