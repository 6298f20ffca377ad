//! Part 5a: accepted submissions per second at 64 concurrent clients,
//! against `redis-benchmark ... XADD` on the same Redis.

use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Instant;

use anyhow::{Context, Result};
use serde_json::json;

use crate::common::*;

const CLIENTS: usize = 64;

pub async fn api(total: usize, redis_requests: usize) -> Result<Vec<Row>> {
    let s = Services::start(true, false, 0).await?;
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()?;
    let code = LANGS[0].code();
    let body = move |n: usize| json!({"user_id": format!("api-{}", n % 1000), "problem_id": PROBLEM, "language": "python3", "code": code});
    // Warm-up: connections, the API's pool.
    for n in 0..CLIENTS {
        client
            .post(format!("{}/api/submissions", s.api_url))
            .json(&body(n))
            .send()
            .await?;
    }
    let next = Arc::new(AtomicUsize::new(0));
    let accepted = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..CLIENTS {
        let (client, next, accepted, refused) = (
            client.clone(),
            next.clone(),
            accepted.clone(),
            refused.clone(),
        );
        let url = format!("{}/api/submissions", s.api_url);
        let body = body.clone();
        tasks.push(tokio::spawn(async move {
            loop {
                let n = next.fetch_add(1, Ordering::Relaxed);
                if n >= total {
                    break;
                }
                match client.post(&url).json(&body(n)).send().await {
                    Ok(r) if r.status().as_u16() == 202 => accepted.fetch_add(1, Ordering::Relaxed),
                    _ => refused.fetch_add(1, Ordering::Relaxed),
                };
            }
        }));
    }
    for t in tasks {
        t.await?;
    }
    let secs = started.elapsed().as_secs_f64();
    let ok = accepted.load(Ordering::Relaxed);
    let per_sec = ok as f64 / secs;
    let api_rss = s.api.as_ref().map(|p| p.rss_kb()).unwrap_or(0);
    // Cross-check against Redis: every accepted submission is a job waiting
    // in the fair queue (no worker runs).
    let mut conn = judge_store::store::dedicated(&s.redis.url()).await?;
    let (waiting, _) = judge_store::queue::waiting(&mut conn).await?;
    let jobs = waiting.live;

    let out = Command::new("redis-benchmark")
        .args([
            "-p",
            &s.redis.port.to_string(),
            "-c",
            &CLIENTS.to_string(),
            "-n",
        ])
        .arg(redis_requests.to_string())
        .args(["-q", "XADD", "bench:stream", "*", "f", "v"])
        .output()
        .context("redis-benchmark (apt-get install redis-tools)")?;
    let text = String::from_utf8_lossy(&out.stdout).to_string();
    let redis_per_sec: f64 = text
        .split('\r')
        .flat_map(|l| l.lines())
        .filter_map(|l| l.split(": ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .filter_map(|n| n.parse().ok())
        .next_back()
        .with_context(|| format!("cannot read redis-benchmark output: {text}"))?;
    Ok(vec![row(
        "5 API",
        &format!("accepted submissions/s, {CLIENTS} concurrent clients"),
        format!("{per_sec:.0}/s"),
        format!("{redis_per_sec:.0}/s XADD"),
        format!("{:.2}× of raw XADD", per_sec / redis_per_sec),
        &format!(
            "{ok} accepted ({jobs} jobs queued incl. {CLIENTS} warm-up), {} refused, in {secs:.2} s; API RSS {} MiB; one submission = HSET×2+ZADD×2+the fair queue's enqueue script+HINCRBY+PUBLISH in MULTI; client on the same 2 cores",
            refused.load(Ordering::Relaxed),
            api_rss / 1024
        ),
    )])
}
