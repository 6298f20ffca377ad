//! One throughput burst: `n` identical submissions queued at once and
//! judged by one worker, measured against the CPU limit (their own CPU
//! work), with a per-process CPU profile. Shared by the benchsum bursts
//! ([`crate::throughput`]) and the real-like packages
//! ([`crate::real_throughput`]).

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};
use judge_store::keys;
use submission::{SubmissionState, Verdict};

use crate::common::*;
use crate::cpu_profile::{Known, Profile, Sampler};

/// What a burst submits.
pub struct Workload<'a> {
    /// The problems directory the API serves.
    pub problems: &'a Path,
    pub problem: &'a str,
    pub lang: &'a str,
    pub code: &'a str,
    /// Judge one submission first, outside the measure: the worker fetches
    /// the package and builds the problem's validator once per problem
    /// version, not per submission.
    pub warm_up: bool,
    /// Longest a submission may take in the burst, in seconds (the deadline
    /// is a minute plus this per submission): a 100-test PyPy submission
    /// on a loaded machine needs far more than benchsum's.
    pub secs_each: u64,
}

/// One burst's figures.
pub struct Burst {
    pub per_min: f64,
    pub secs: f64,
    /// Own CPU seconds of all submissions (tests + compile).
    pub own_cpu: f64,
    pub not_ac: usize,
    /// Σ test CPU (ms) of each submission judged under full load.
    pub loaded_cpu_ms: Vec<f64>,
    pub profile: Profile,
}

impl Burst {
    /// The CPU limit in verdicts per minute for `slots` slots, and the ratio to it.
    pub fn limit_and_ratio(&self, n: usize, slots: usize) -> (f64, f64) {
        let limit_secs = self.own_cpu / slots as f64;
        let limit_per_min = n as f64 * 60.0 / limit_secs;
        (limit_per_min, self.per_min / limit_per_min)
    }
}

/// The compile's CPU time (ms) of `code` inside the language's image, from
/// the container's cgroup around the compiler (nanoseconds): median of 3.
pub fn compile_cpu_ms(lang: &str, code: &str) -> Result<f64> {
    let spec = problem_package::language::by_id(lang)
        .ok_or_else(|| anyhow::anyhow!("unknown language {lang}"))?;
    crate::judging::compile_code_in_image(
        spec,
        code,
        crate::judging::CONTAINER_CPU_NS,
        "compile CPU",
    )
}

/// Polls the states of `ids` until all are final (or `deadline`).
async fn wait_final(
    conn: &mut redis::aio::MultiplexedConnection,
    ids: &[String],
    deadline: Instant,
    slots: usize,
) -> Result<Vec<SubmissionState>> {
    loop {
        let mut pipe = redis::pipe();
        for id in ids {
            pipe.hget(keys::submission(id), keys::FIELD_STATE);
        }
        let raw: Vec<Option<String>> = pipe.query_async(conn).await?;
        let states: Vec<SubmissionState> = raw
            .iter()
            .flatten()
            .filter_map(|j| serde_json::from_str(j).ok())
            .collect();
        let done = states.iter().filter(|s| s.is_final()).count();
        if done == ids.len() {
            return Ok(states);
        }
        if Instant::now() > deadline {
            bail!(
                "{done}/{} judged before the deadline with {slots} slot(s)",
                ids.len()
            );
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

pub async fn burst(
    work: &Workload<'_>,
    n: usize,
    slots: usize,
    reuse: &str,
    compile_ms: f64,
) -> Result<Burst> {
    let slots_arg = slots.to_string();
    let s = Services::start_serving(
        work.problems,
        true,
        false,
        1,
        &[
            "--concurrency",
            &slots_arg,
            "--sandbox-reuse",
            reuse,
            "--pool-languages",
            work.lang,
        ],
    )
    .await?;
    settle_containers().await;
    let client = reqwest::Client::new();
    let mut conn = judge_store::store::dedicated(&s.redis.url()).await?;
    if work.warm_up {
        let id = submit_to(
            &client,
            &s.api_url,
            "tp-warm",
            work.problem,
            work.lang,
            work.code,
        )
        .await?;
        let deadline = Instant::now() + Duration::from_secs(300);
        let state = wait_final(&mut conn, &[id], deadline, slots).await?;
        if state[0].verdict != Some(Verdict::AC) {
            bail!(
                "the warm-up submission to {} ended {:?}: {:?}",
                work.problem,
                state[0].verdict,
                state[0].message
            );
        }
        // The validator's sandbox that judging left goes back to its pool.
        settle_containers().await;
    }
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
    let sampler = Sampler::start(known);
    let mut ids = Vec::with_capacity(n);
    for i in 0..n {
        let user = format!("tp-{}", i % 50);
        ids.push(
            submit_to(
                &client,
                &s.api_url,
                &user,
                work.problem,
                work.lang,
                work.code,
            )
            .await?,
        );
    }
    let deadline = Instant::now() + Duration::from_secs(60 + work.secs_each * n as u64);
    let states = wait_final(&mut conn, &ids, deadline, slots).await?;
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

/// The burst's CPU per submission by process, as a table row.
pub fn profile_row(part: &str, metric: &str, b: &Burst, n: usize) -> Row {
    let p = &b.profile;
    let per = |v: f64| format!("{:.0}", v * 1000.0 / n as f64);
    row(
        part,
        metric,
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
            "sandboxes = runner + compiler + submission + reset (+ validator sandboxes); machine busy {} per submission, of which bench {} and other (other work on the machine, kernel) {}; {:.0} s sampled",
            per(p.machine),
            per(p.bench),
            per(p.other()),
            p.seconds
        ),
    )
}
