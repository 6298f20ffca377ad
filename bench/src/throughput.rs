//! Part 4: verdicts per minute with 1, 2 and 4 worker processes.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use judge_core::{keys, SubmissionState, Verdict};

use crate::common::*;

/// Judges `n` Python submissions (20 tests each) with `workers` workers;
/// returns verdicts per minute from the first `created_at` to the last `finished_at`.
async fn run(n: usize, workers: usize) -> Result<(f64, f64, usize)> {
    let s = Services::start(true, false, workers).await?;
    settle_containers().await;
    let client = reqwest::Client::new();
    let lang = LANGS[0];
    let code = lang.code();
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        ids.push(
            submit(
                &client,
                &s.api_url,
                &format!("tp-{}", i % 50),
                lang.id,
                &code,
            )
            .await?,
        );
    }
    let mut conn = judge_core::store::dedicated(&s.redis.url()).await?;
    let deadline = Instant::now() + Duration::from_secs(60 + 15 * n as u64);
    let states = loop {
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(keys::submission(id), keys::FIELD_STATE);
        }
        let raw: Vec<Option<String>> = pipe.query_async(&mut conn).await?;
        let states: Vec<SubmissionState> = raw
            .iter()
            .flatten()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect();
        let done = states.iter().filter(|s| s.is_final()).count();
        if done == n {
            break states;
        }
        if Instant::now() > deadline {
            bail!("{done}/{n} judged before the deadline with {workers} workers");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    // Not an assertion: a benchmark reports what happened. Non-AC verdicts
    // are counted in the table and the first one's message is printed.
    let not_ac: Vec<&SubmissionState> = states
        .iter()
        .filter(|s| s.verdict != Some(Verdict::AC))
        .collect();
    if let Some(first) = not_ac.first() {
        eprintln!(
            "  {} of {n} not accepted with {workers} workers; e.g. {}: {:?} {:?}",
            not_ac.len(),
            first.id,
            first.verdict,
            first.message
        );
    }
    let first = states.iter().map(|s| s.created_at_ms).min().unwrap_or(0);
    let last = states
        .iter()
        .filter_map(|s| s.finished_at_ms)
        .max()
        .unwrap_or(0);
    let secs = (last.saturating_sub(first)) as f64 / 1000.0;
    Ok((n as f64 * 60.0 / secs, secs, not_ac.len()))
}

pub async fn throughput(n: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    let mut base = None;
    for workers in [1, 2, 4] {
        let (per_min, secs, not_ac) = run(n, workers).await?;
        eprintln!("  throughput {workers} worker(s): {per_min:.1} verdicts/min ({secs:.1} s)");
        let b = *base.get_or_insert(per_min);
        rows.push(row(
            "4 throughput",
            &format!("{workers} worker process(es), concurrency 1"),
            format!("{per_min:.1} verdicts/min"),
            if workers == 1 { "-".into() } else { format!("{b:.1} (1 worker)") },
            format!("{:.2}×", per_min / b),
            &format!(
                "{n} Python submissions × 20 tests, all queued first; {secs:.1} s first queued→last verdict{}",
                if not_ac > 0 { format!("; {not_ac} NOT accepted (see stderr)") } else { String::new() }
            ),
        ));
    }
    Ok(rows)
}
