//! Part 4: throughput against the CPU limit.
//!
//! A burst of `n` short submissions (the benchsum solution, 20 tests) is
//! queued at once and judged by one worker with 1 and with 2 slots
//! (`--concurrency`), with a new container per submission
//! (`--sandbox-reuse 1`, as before containers were reused) and with the
//! default reuse, in Python (PyPy, the judge's `python3`, and CPython) and
//! C++. For each burst:
//! - verdicts per minute, first `created_at` to last `finished_at`;
//! - the CPU limit: the submissions' own CPU work (Σ of their tests' CPU
//!   time from the states, plus their compile's CPU measured in the image)
//!   divided by the slots, as verdicts per minute, and the ratio to it;
//! - for 2 slots, the CPU-time spread of 20 of the submissions judged while
//!   both slots were busy (the same program each time): median ± half the
//!   range, in per cent of the median, beside the machine's own spread for
//!   the same tests run without the judge ([`crate::cpu_noise`]);
//! - the per-process CPU breakdown ([`crate::cpu_profile`]) per submission.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use judge_store::keys;
use submission::{SubmissionState, Verdict};

use crate::common::*;
use crate::cpu_noise;
use crate::cpu_profile::{Known, Profile, Sampler};

/// One burst's figures.
struct Burst {
    per_min: f64,
    secs: f64,
    /// Own CPU seconds of all submissions (tests + compile).
    own_cpu: f64,
    not_ac: usize,
    /// Σ test CPU (ms) of each submission judged under full load.
    loaded_cpu_ms: Vec<f64>,
    profile: Profile,
}

/// The compile's CPU time (ms) inside the language's image, from the
/// container's cgroup around the compiler (nanoseconds): median of 3.
fn compile_cpu_ms(lang: &Lang) -> Result<f64> {
    crate::judging::compile_in_image(lang, crate::judging::CONTAINER_CPU_NS, "compile CPU")
}

async fn burst(lang: Lang, n: usize, slots: usize, reuse: &str, compile_ms: f64) -> Result<Burst> {
    let slots_arg = slots.to_string();
    let s = Services::start_with(
        true,
        false,
        1,
        &[
            "--concurrency",
            &slots_arg,
            "--sandbox-reuse",
            reuse,
            "--pool-languages",
            lang.id,
        ],
    )
    .await?;
    settle_containers().await;
    let known = Known {
        workers: s.workers.iter().map(|w| w.pid()).collect(),
        api: s.api.as_ref().map(|a| a.pid()),
        redis: Some(s.redis.pid()),
        worker_names: s
            .workers
            .iter()
            .filter_map(|w| w.worker_name.clone())
            .collect(),
    };
    let client = reqwest::Client::new();
    let code = lang.code();
    let sampler = Sampler::start(known);
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
    let mut conn = judge_store::store::dedicated(&s.redis.url()).await?;
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
            bail!("{done}/{n} judged before the deadline with {slots} slot(s)");
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    };
    let profile = sampler.stop();
    let not_ac: Vec<&SubmissionState> = states
        .iter()
        .filter(|s| s.verdict != Some(Verdict::AC))
        .collect();
    if let Some(first) = not_ac.first() {
        eprintln!(
            "  {} of {n} not accepted; e.g. {}: {:?} {:?}",
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
    let secs = last.saturating_sub(first) as f64 / 1000.0;
    let test_cpu_ms = |s: &SubmissionState| s.results.iter().map(|r| r.time_ms as f64).sum::<f64>();
    let own_cpu = states
        .iter()
        .map(|s| (test_cpu_ms(s) + compile_ms) / 1000.0)
        .sum();
    // Judged while the judge was saturated: the middle of the burst, in
    // the order they finished (the first and last ones may have had a slot
    // to themselves).
    let mut by_finish: Vec<&SubmissionState> = states.iter().collect();
    by_finish.sort_by_key(|s| s.finished_at_ms);
    let middle = by_finish.len().saturating_sub(20) / 2;
    let loaded_cpu_ms = by_finish
        .iter()
        .skip(middle)
        .take(20)
        .map(|s| test_cpu_ms(s))
        .collect();
    Ok(Burst {
        per_min: n as f64 * 60.0 / secs,
        secs,
        own_cpu,
        not_ac: not_ac.len(),
        loaded_cpu_ms,
        profile,
    })
}

/// A sample's centre and spread: the median, and half the range and half
/// the 10th-to-90th percentile range, both in per cent of the median (the
/// first is what "± x %" promises; the second shows whether one or two
/// outliers make it).
struct Spread {
    median: f64,
    range_pct: f64,
    p10_90_pct: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        let median = median(values);
        let pct = |lo: f64, hi: f64| {
            if median > 0.0 {
                (hi - lo) / 2.0 / median * 100.0
            } else {
                0.0
            }
        };
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        Spread {
            median,
            range_pct: pct(min, max),
            p10_90_pct: pct(percentile(values, 10.0), percentile(values, 90.0)),
        }
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0} ms ± {:.1} % (p10-p90 ± {:.1} %)",
            self.median, self.range_pct, self.p10_90_pct
        )
    }
}

pub async fn throughput(n: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for lang in [LANGS[0], CPYTHON, LANGS[1]] {
        let compile_ms = compile_cpu_ms(&lang)?;
        eprintln!("  {}: compile CPU {compile_ms:.0} ms", lang.label);
        for (mode, reuse) in [("new container each", "1"), ("reused containers", "100")] {
            let mut one_slot = None;
            for slots in [1usize, 2] {
                let b = burst(lang, n, slots, reuse, compile_ms).await?;
                let limit_secs = b.own_cpu / slots as f64;
                let limit_per_min = n as f64 * 60.0 / limit_secs;
                let ratio = b.per_min / limit_per_min;
                eprintln!(
                    "  {} {mode}, {slots} slot(s): {:.1} verdicts/min, limit {limit_per_min:.1}, ratio {ratio:.2} ({:.1} s)",
                    lang.label, b.per_min, b.secs
                );
                let base = *one_slot.get_or_insert(b.per_min);
                let not_ac = if b.not_ac > 0 {
                    format!("; {} NOT accepted (see stderr)", b.not_ac)
                } else {
                    String::new()
                };
                rows.push(row(
                    "4 throughput",
                    &format!("{} {mode}, {slots} slot(s)", lang.label),
                    format!("{:.1} verdicts/min", b.per_min),
                    format!("{limit_per_min:.1} verdicts/min (CPU limit)"),
                    format!("{ratio:.2} of the CPU limit"),
                    &format!(
                        "{n} submissions × 20 tests queued at once, one worker; own CPU {:.0} ms per submission (compile {compile_ms:.0} ms); {:.2}× the 1-slot rate{not_ac}",
                        b.own_cpu * 1000.0 / n as f64,
                        b.per_min / base
                    ),
                ));
                let judged = Spread::of(&b.loaded_cpu_ms);
                // Tests' CPU comes in whole milliseconds: a spread of a few is noise.
                if slots == 2 && judged.median >= 50.0 {
                    // The machine's own noise, measured right after the burst.
                    let direct = Spread::of(&cpu_noise::loaded_pass_cpu_ms(&lang, &[0, 1], 10)?);
                    rows.push(row(
                        "4 throughput",
                        &format!("{} {mode}, CPU time under full load", lang.label),
                        judged.to_string(),
                        format!("direct run {direct}"),
                        format!(
                            "{:.2}× the direct spread",
                            judged.range_pct / direct.range_pct.max(0.1)
                        ),
                        &format!(
                            "Σ test CPU of {} identical submissions judged mid-burst with 2 slots busy: median ± half the range; direct run: the same 20 tests run 10 times in the image on each of CPUs 0 and 1 at once, no judge",
                            b.loaded_cpu_ms.len()
                        ),
                    ));
                }
                let p = &b.profile;
                let per = |v: f64| format!("{:.0}", v * 1000.0 / n as f64);
                rows.push(row(
                    "4 throughput",
                    &format!("{} {mode}, {slots} slot(s): CPU ms per submission", lang.label),
                    format!(
                        "dockerd {} · containerd {} · shims+runc {} · sandboxes {} · worker {} · api {} · redis {}",
                        per(p.dockerd),
                        per(p.containerd),
                        per(p.shims),
                        per(p.sandboxes),
                        per(p.worker),
                        per(p.api),
                        per(p.redis)
                    ),
                    format!("own {}", per(b.own_cpu)),
                    "-".into(),
                    &format!(
                        "sandboxes = runner + compiler + submission + reset; machine busy {} per submission, of which bench {} and other (other work on the machine, kernel) {}; {:.0} s sampled",
                        per(p.machine),
                        per(p.bench),
                        per(p.other()),
                        p.seconds
                    ),
                ));
            }
        }
    }
    Ok(rows)
}
