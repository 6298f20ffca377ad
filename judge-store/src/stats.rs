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
                    },
                    WorkerHealth {
                        worker: "w2".into(),
                        engine_up: false,
                        at_ms: submission::now_ms(),
                    },
                    // Stale: a worker killed without removing its heartbeat.
                    WorkerHealth {
                        worker: "w3".into(),
                        engine_up: false,
                        at_ms: 1,
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
    }
}
