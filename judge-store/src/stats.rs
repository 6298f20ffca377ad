//! Judge-wide statistics for `/metrics`.
//!
//! Counters live in one Redis hash ([`crate::keys::STATS`]) so that every worker adds
//! to the same numbers and any API instance can serve them. A final state
//! bumps them inside the same script that stores it, and a final state is
//! stored once, so each submission is counted exactly once however often its
//! job is delivered. The latency histogram is kept as per-bucket counts; the
//! Prometheus text format wants cumulative buckets, so [`render`] adds them up.

use std::collections::HashMap;
use std::fmt::Write;

use submission::{SubmissionState, Verdict};

/// Upper bounds of the queue-to-verdict latency buckets, in milliseconds.
pub const LATENCY_BUCKETS_MS: &[u64] = &[
    100, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000, 300_000,
];
pub const FIELD_SUBMISSIONS: &str = "submissions";
pub const FIELD_LATENCY_SUM_MS: &str = "latency_sum_ms";
pub const FIELD_LATENCY_COUNT: &str = "latency_count";
const ALL_VERDICTS: [Verdict; 8] = [
    Verdict::AC,
    Verdict::WA,
    Verdict::TLE,
    Verdict::MLE,
    Verdict::OLE,
    Verdict::RE,
    Verdict::CE,
    Verdict::IE,
];

pub fn verdict_field(verdict: Verdict) -> String {
    format!("verdict:{verdict}")
}

/// The field of the smallest bucket that holds `ms` (`le:inf` past the last).
pub fn latency_field(ms: u64) -> String {
    match LATENCY_BUCKETS_MS.iter().find(|bound| ms <= **bound) {
        Some(bound) => format!("le:{bound}"),
        None => "le:inf".to_string(),
    }
}

/// What a final state adds to the counters: (verdict field, bucket field,
/// latency ms); `None` for a state that is not final or is a custom run.
pub fn final_counts(state: &SubmissionState) -> Option<(String, String, u64)> {
    let verdict = state.verdict.filter(|_| state.is_final())?;
    if state.problem_id == submission::RUN_PROBLEM_ID {
        return None;
    }
    let latency = state.finished_at_ms?.saturating_sub(state.created_at_ms);
    Some((verdict_field(verdict), latency_field(latency), latency))
}

/// The queue as Redis sees it when `/metrics` is scraped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QueueSnapshot {
    /// Jobs not taken by a worker yet, by where they wait (see `crate::queue`).
    pub waiting: Waiting,
    /// Jobs delivered to a worker and not yet acknowledged.
    pub in_flight: u64,
    /// Consumers in the worker group.
    pub workers: u64,
    /// Each worker's last heartbeat (from [`crate::keys::WORKER_HEALTH`]).
    pub health: Vec<WorkerHealth>,
}

/// Jobs not yet taken, by where they wait in the fair queue (`crate::queue`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Waiting {
    /// Put-back stream entries not delivered yet (served before both tiers).
    pub requeued: u64,
    pub live: u64,
    pub rejudge: u64,
}

impl Waiting {
    pub fn total(&self) -> u64 {
        self.requeued + self.live + self.rejudge
    }
}

/// A worker's heartbeat, as `/metrics` reads it.
#[derive(Clone, Debug, Default, PartialEq, serde::Deserialize)]
pub struct WorkerHealth {
    #[serde(skip)]
    pub worker: String,
    pub engine_up: bool,
    pub at_ms: u64,
    /// Its sandbox pools, one entry per pool and image (absent from the
    /// heartbeats of workers older than issue 20).
    #[serde(default)]
    pub pools: Vec<PoolHealth>,
    /// Ids of the languages whose sandbox image its Docker engine holds;
    /// `None` while it does not know (engine down, or a worker older than
    /// issue 22). See [`crate::languages`].
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

/// One image's containers in one of a worker's sandbox pools, as its
/// heartbeat carries them: gauges now, and counters since the worker started
/// (the `/metrics` consumer computes rates, e.g. per minute).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(default)]
pub struct PoolHealth {
    /// `submission` (the warm pool) or `validator` (output and interactive
    /// validators' containers, never shared with submissions).
    pub pool: String,
    /// The image reference, `judge-lang-cpp:latest`.
    pub image: String,
    /// Containers the pool keeps for the image (idle and taken together).
    pub size: u64,
    /// Started and waiting to be taken.
    pub idle: u64,
    /// Taken and in use (a judging, a compilation, a validator).
    pub taken: u64,
    /// Used and being reset by their runner before going back.
    pub resetting: u64,
    /// Containers created for the pool (counter).
    pub created: u64,
    /// Sandboxes taken from the pool (counter).
    pub taken_total: u64,
    /// Sandboxes created on demand because the pool had none to give
    /// (counter): each cost a container's creation on the judging's path.
    pub bypassed: u64,
    /// Used containers reset and given back, i.e. reused (counter).
    pub reused: u64,
    /// Used containers destroyed because their reset failed (counter).
    pub reset_failed: u64,
}

/// A heartbeat older than this is a worker that stopped without saying so
/// (killed): it is neither counted healthy nor unhealthy.
pub const HEARTBEAT_STALE_MS: u64 = 15_000;

impl WorkerHealth {
    /// Parses a heartbeat field of [`crate::keys::WORKER_HEALTH`].
    pub fn parse(worker: &str, json: &str) -> Option<WorkerHealth> {
        let mut health: WorkerHealth = serde_json::from_str(json).ok()?;
        health.worker = worker.to_string();
        Some(health)
    }
}

/// The sandbox pools' series, from the live heartbeats: per worker, pool
/// (`submission` or `validator`) and image.
fn render_pools(
    metric: &mut impl FnMut(&str, &str, &str, &[(String, u64)]),
    live: &[&WorkerHealth],
) {
    let escape = |s: &str| s.replace(['"', '\\', '\n'], "_");
    let rows: Vec<(String, &PoolHealth)> = live
        .iter()
        .flat_map(|h| {
            h.pools.iter().map(|p| {
                let labels = format!(
                    "worker=\"{}\",pool=\"{}\",image=\"{}\"",
                    escape(&h.worker),
                    escape(&p.pool),
                    escape(&p.image)
                );
                (labels, p)
            })
        })
        .collect();
    let series = |value: fn(&PoolHealth) -> u64| -> Vec<(String, u64)> {
        rows.iter()
            .map(|(labels, p)| (format!("{{{labels}}}"), value(p)))
            .collect()
    };
    metric(
        "judge_pool_size",
        "gauge",
        "Containers a worker's pool keeps per image (idle and taken together; for validators, the most kept idle).",
        &series(|p| p.size),
    );
    let states: Vec<(String, u64)> = rows
        .iter()
        .flat_map(|(labels, p)| {
            [
                ("idle", p.idle),
                ("taken", p.taken),
                ("resetting", p.resetting),
            ]
            .map(|(state, n)| (format!("{{{labels},state=\"{state}\"}}"), n))
        })
        .collect();
    metric(
        "judge_pool_containers",
        "gauge",
        "A worker's pooled containers per image, by state: idle, taken (in use), resetting.",
        &states,
    );
    metric(
        "judge_pool_created_total",
        "counter",
        "Containers created for a worker's pool, per image.",
        &series(|p| p.created),
    );
    metric(
        "judge_pool_taken_total",
        "counter",
        "Sandboxes taken from a worker's pool, per image.",
        &series(|p| p.taken_total),
    );
    metric(
        "judge_pool_bypassed_total",
        "counter",
        "Sandboxes created on demand because the pool had no container to give, per image.",
        &series(|p| p.bypassed),
    );
    metric(
        "judge_pool_reused_total",
        "counter",
        "Used containers reset and given back to the pool, per image.",
        &series(|p| p.reused),
    );
    metric(
        "judge_pool_reset_failed_total",
        "counter",
        "Used containers destroyed because their reset failed, per image.",
        &series(|p| p.reset_failed),
    );
}

/// Renders the Prometheus text exposition format.
pub fn render(queue: &QueueSnapshot, stats: &HashMap<String, u64>) -> String {
    let get = |field: &str| stats.get(field).copied().unwrap_or(0);
    let mut out = String::new();
    let mut metric = |name: &str, kind: &str, help: &str, lines: &[(String, u64)]| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
        for (labels, value) in lines {
            let _ = writeln!(out, "{name}{labels} {value}");
        }
    };
    metric(
        "judge_queue_depth",
        "gauge",
        "Jobs waiting for a worker.",
        &[(String::new(), queue.waiting.total())],
    );
    metric(
        "judge_queue_waiting",
        "gauge",
        "Jobs waiting for a worker, by tier (requeued: put back after an engine failure, served first).",
        &[
            ("{tier=\"requeued\"}".to_string(), queue.waiting.requeued),
            ("{tier=\"live\"}".to_string(), queue.waiting.live),
            ("{tier=\"rejudge\"}".to_string(), queue.waiting.rejudge),
        ],
    );
    metric(
        "judge_jobs_in_flight",
        "gauge",
        "Jobs a worker has taken and not finished.",
        &[(String::new(), queue.in_flight)],
    );
    metric(
        "judge_workers",
        "gauge",
        "Consumers in the worker group.",
        &[(String::new(), queue.workers)],
    );
    let now = submission::now_ms();
    let live: Vec<&WorkerHealth> = queue
        .health
        .iter()
        .filter(|h| now.saturating_sub(h.at_ms) <= HEARTBEAT_STALE_MS)
        .collect();
    metric(
        "judge_workers_unhealthy",
        "gauge",
        "Workers whose Docker engine does not answer (they take no jobs).",
        &[(
            String::new(),
            live.iter().filter(|h| !h.engine_up).count() as u64,
        )],
    );
    let engines: Vec<(String, u64)> = live
        .iter()
        .map(|h| {
            (
                format!(
                    "{{worker=\"{}\"}}",
                    h.worker.replace(['"', '\\', '\n'], "_")
                ),
                u64::from(h.engine_up),
            )
        })
        .collect();
    metric(
        "judge_worker_engine_up",
        "gauge",
        "1 if the worker's Docker engine answers, by worker (heartbeats of the last 15 s).",
        &engines,
    );
    render_pools(&mut metric, &live);
    metric(
        "judge_submissions_total",
        "counter",
        "Submissions accepted.",
        &[(String::new(), get(FIELD_SUBMISSIONS))],
    );
    let verdicts: Vec<(String, u64)> = ALL_VERDICTS
        .iter()
        .map(|v| (format!("{{verdict=\"{v}\"}}"), get(&verdict_field(*v))))
        .collect();
    metric(
        "judge_verdicts_total",
        "counter",
        "Final verdicts, by verdict.",
        &verdicts,
    );

    let mut buckets = Vec::new();
    let mut cumulative = 0;
    for bound in LATENCY_BUCKETS_MS {
        cumulative += get(&format!("le:{bound}"));
        buckets.push((
            format!("_bucket{{le=\"{}\"}}", *bound as f64 / 1000.0),
            cumulative,
        ));
    }
    cumulative += get("le:inf");
    buckets.push(("_bucket{le=\"+Inf\"}".to_string(), cumulative));
    buckets.push(("_sum".to_string(), 0));
    buckets.push(("_count".to_string(), get(FIELD_LATENCY_COUNT)));
    let mut histogram = String::new();
    let _ = writeln!(
        histogram,
        "# HELP judge_latency_seconds Time from submission to final verdict.\n# TYPE judge_latency_seconds histogram"
    );
    for (suffix, value) in &buckets {
        if suffix == "_sum" {
            let _ = writeln!(
                histogram,
                "judge_latency_seconds_sum {}",
                get(FIELD_LATENCY_SUM_MS) as f64 / 1000.0
            );
        } else {
            let _ = writeln!(histogram, "judge_latency_seconds{suffix} {value}");
        }
    }
    out + &histogram
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latency_lands_in_the_smallest_bucket_that_holds_it() {
        assert_eq!(latency_field(0), "le:100");
        assert_eq!(latency_field(100), "le:100");
        assert_eq!(latency_field(101), "le:250");
        assert_eq!(latency_field(300_001), "le:inf");
    }

    #[test]
    fn rendering_makes_buckets_cumulative() {
        let stats = HashMap::from([
            ("le:100".to_string(), 2),
            ("le:1000".to_string(), 3),
            ("le:inf".to_string(), 1),
            (FIELD_LATENCY_COUNT.to_string(), 6),
            (FIELD_LATENCY_SUM_MS.to_string(), 1500),
            (verdict_field(Verdict::AC), 5),
            (FIELD_SUBMISSIONS.to_string(), 7),
        ]);
        let text = render(
            &QueueSnapshot {
                waiting: Waiting {
                    requeued: 1,
                    live: 2,
                    rejudge: 5,
                },
                in_flight: 1,
                workers: 2,
                health: vec![
                    WorkerHealth {
                        worker: "w1".into(),
                        engine_up: true,
                        at_ms: submission::now_ms(),
                        pools: vec![PoolHealth {
                            pool: "submission".into(),
                            image: "judge-lang-cpp:latest".into(),
                            size: 2,
                            idle: 1,
                            taken: 1,
                            created: 3,
                            taken_total: 40,
                            bypassed: 1,
                            reused: 38,
                            reset_failed: 1,
                            ..Default::default()
                        }],
                        languages: None,
                    },
                    WorkerHealth {
                        worker: "w2".into(),
                        engine_up: false,
                        at_ms: submission::now_ms(),
                        pools: vec![],
                        languages: None,
                    },
                    // Stale: a worker killed without removing its heartbeat.
                    WorkerHealth {
                        worker: "w3".into(),
                        engine_up: false,
                        at_ms: 1,
                        pools: vec![],
                        languages: None,
                    },
                ],
            },
            &stats,
        );
        assert!(text.contains("judge_queue_depth 8\n"), "{text}");
        assert!(text.contains("judge_queue_waiting{tier=\"live\"} 2\n"));
        assert!(text.contains("judge_queue_waiting{tier=\"rejudge\"} 5\n"));
        assert!(text.contains("judge_queue_waiting{tier=\"requeued\"} 1\n"));
        assert!(text.contains("judge_jobs_in_flight 1\n"));
        assert!(text.contains("judge_workers_unhealthy 1\n"), "{text}");
        assert!(text.contains("judge_worker_engine_up{worker=\"w1\"} 1\n"));
        assert!(text.contains("judge_worker_engine_up{worker=\"w2\"} 0\n"));
        assert!(!text.contains("w3"));
        assert!(text.contains("judge_verdicts_total{verdict=\"AC\"} 5\n"));
        assert!(text.contains("judge_verdicts_total{verdict=\"WA\"} 0\n"));
        assert!(text.contains("judge_latency_seconds_bucket{le=\"0.1\"} 2\n"));
        assert!(text.contains("judge_latency_seconds_bucket{le=\"1\"} 5\n"));
        assert!(text.contains("judge_latency_seconds_bucket{le=\"+Inf\"} 6\n"));
        assert!(text.contains("judge_latency_seconds_count 6\n"));
        assert!(text.contains("judge_latency_seconds_sum 1.5\n"));
        assert!(text.contains("judge_submissions_total 7\n"));
        let cpp = r#"worker="w1",pool="submission",image="judge-lang-cpp:latest""#;
        for line in [
            format!("judge_pool_size{{{cpp}}} 2\n"),
            format!("judge_pool_containers{{{cpp},state=\"idle\"}} 1\n"),
            format!("judge_pool_containers{{{cpp},state=\"taken\"}} 1\n"),
            format!("judge_pool_containers{{{cpp},state=\"resetting\"}} 0\n"),
            format!("judge_pool_created_total{{{cpp}}} 3\n"),
            format!("judge_pool_taken_total{{{cpp}}} 40\n"),
            format!("judge_pool_bypassed_total{{{cpp}}} 1\n"),
            format!("judge_pool_reused_total{{{cpp}}} 38\n"),
            format!("judge_pool_reset_failed_total{{{cpp}}} 1\n"),
        ] {
            assert!(text.contains(&line), "no {line} in {text}");
        }
        assert!(text.contains("# TYPE judge_pool_reused_total counter\n"));
    }

    #[test]
    fn heartbeats_without_pools_still_parse() {
        let old = r#"{"engine_up":true,"docker_host":"unix:///var/run/docker.sock","outages":0,"at_ms":5}"#;
        let read = WorkerHealth::parse("w1", old).unwrap();
        assert!(read.engine_up && read.pools.is_empty() && read.at_ms == 5);
        let new =
            r#"{"engine_up":true,"at_ms":5,"pools":[{"pool":"validator","image":"i","idle":1}]}"#;
        let read = WorkerHealth::parse("w1", new).unwrap();
        assert_eq!(read.pools[0].idle, 1);
        assert_eq!(read.pools[0].pool, "validator");
    }
}
