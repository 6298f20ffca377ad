//! A job from the queue: one attempt at judging a submission, and its state.
//!
//! [`process_job`] loads the state, counts the attempt (a job that killed
//! its worker too often ends as IE), starts a redelivered job over, has
//! `Judging::judge` (in `judge.rs`) judge it, and stores the final state;
//! every change on the way is stored, then published (`Judging::publish`).
//! A final state is never overwritten, so a re-delivered job cannot produce
//! a second verdict, and the job is acknowledged only once it is stored.

use std::time::Instant;

use judge_store::store;
use submission::{now_ms, EventKind, SubmissionState, Verdict};

use crate::pool::{self, Origin};
use crate::retry::redis_retry;
use crate::sandbox::Sandbox;
use crate::session::{LoopTimings, Progress};
use crate::worker::Worker;

/// What the queue should do with the job once [`process_job`] returns `Ok`.
#[derive(Debug, PartialEq, Eq)]
pub enum JobDone {
    /// The final state is stored (by us or earlier): acknowledge.
    Final(Option<Verdict>),
    /// Nothing to judge (unknown submission): acknowledge and forget.
    Unknown,
    /// The Docker engine failed under the judging (the reason): no verdict;
    /// the queue puts the job back ([`crate::engine`]).
    Retry(String),
}

/// Judges submission `id` unless it is already final. `Err` means the final
/// state could not be stored (Redis down); the job must stay unacknowledged so
/// that it is delivered again.
pub async fn process_job(worker: &Worker, id: &str) -> anyhow::Result<JobDone> {
    let Some(state) = redis_retry(worker, "load state", |mut c| async move {
        store::load_stored_state(&mut c, id).await
    })
    .await?
    else {
        tracing::warn!(submission = id, "job for an unknown submission; dropped");
        return Ok(JobDone::Unknown);
    };
    if state.is_final() {
        tracing::info!(
            submission = id,
            "already judged; acknowledging the redelivered job"
        );
        return Ok(JobDone::Final(state.verdict));
    }
    let attempts = redis_retry(worker, "count attempt", |mut c| async move {
        store::add_attempt(&mut c, id).await
    })
    .await?;
    let record = redis_retry(worker, "load record", |mut c| async move {
        store::load_record(&mut c, id).await
    })
    .await?;

    // A redelivered job may have left the dead attempt's sandbox running on
    // this host; it is labelled with the submission, so remove it first.
    if attempts > 1 {
        if let Err(e) = pool::remove_submission_sandboxes(&worker.docker, id).await {
            tracing::warn!(submission = id, error = %e, "could not remove an earlier attempt's sandbox");
        }
    }

    // A redelivered job starts over: drop what a dead attempt had stored,
    // keeping only `seq` so that every new event is newer than the old ones.
    let mut state = state;
    state.results.clear();
    state.groups.clear();
    state.score = None;
    state.max_score = None;
    state.compile_output = None;
    state.time_ms = 0;
    state.memory_kb = 0;
    state.message = None;
    let outages = worker.health.outages();
    let mut judging = Judging {
        worker,
        state,
        used: Vec::new(),
        timings: Timings::default(),
    };
    let (verdict, message) = if attempts > worker.config.max_attempts {
        let message = format!(
            "gave up after {} attempts: a worker died judging it each time",
            attempts - 1
        );
        tracing::error!(submission = id, attempts, "{message}");
        (Verdict::IE, Some(message))
    } else if let Some(record) = record {
        tracing::info!(submission = id, attempt = attempts, language = %record.language, problem = %record.problem_id, "judging");
        let started = Instant::now();
        // A cancel (`judge_store::cancel`) stops the judging where it is:
        // the future is dropped (its sandbox guard removes the container),
        // and the cancelled state stays the final one.
        let judged = tokio::select! {
            outcome = judging.judge(&record) => Some(outcome),
            () = cancelled(worker, id) => None,
        };
        if record.problem_id == submission::RUN_PROBLEM_ID {
            let _ = tokio::fs::remove_dir_all(worker.config.cache_dir.join("runs").join(id)).await;
        }
        let Some(outcome) = judged else {
            tracing::info!(
                submission = id,
                elapsed_ms = started.elapsed().as_millis() as u64,
                "cancelled while judged; stopped"
            );
            if let Err(e) = pool::remove_submission_sandboxes(&worker.docker, id).await {
                tracing::error!(submission = id, error = %e, "could not remove a cancelled judging's sandbox");
            }
            for sandbox in std::mem::take(&mut judging.used) {
                worker.sandboxes.dispose(sandbox);
            }
            return Ok(JobDone::Final(None));
        };
        tracing::info!(submission = id, verdict = %outcome.0, elapsed_ms = started.elapsed().as_millis() as u64, "judged");
        outcome
    } else {
        (
            Verdict::IE,
            Some("the submission's record is missing".to_string()),
        )
    };
    // The used sandboxes go once the final state is stored, in the
    // background: neither the verdict nor the acknowledgement waits for
    // their removal (each is labelled or named after the submission and the
    // worker, so a takeover or a restart still finds it if this process dies).
    let used = std::mem::take(&mut judging.used);
    if let Some(cause) = crate::engine::retry_cause(worker, id, outages, &used, verdict).await {
        for sandbox in used {
            worker.sandboxes.dispose(sandbox);
        }
        return Ok(JobDone::Retry(cause));
    }
    let done = judging.finish(verdict, message).await;
    for sandbox in used {
        worker.sandboxes.dispose(sandbox);
    }
    done
}

/// How often a judging looks whether its submission was cancelled.
const CANCEL_POLL: std::time::Duration = std::time::Duration::from_millis(500);

/// Returns once submission `id` is cancelled (polled; a Redis error counts
/// as not cancelled, the next poll tries again).
async fn cancelled(worker: &Worker, id: &str) {
    loop {
        tokio::time::sleep(CANCEL_POLL).await;
        let Ok(mut conn) = worker.pool.get().await else {
            continue;
        };
        if judge_store::cancel::is_cancelled(&mut conn, id)
            .await
            .unwrap_or(false)
        {
            return;
        }
    }
}

/// Where the judge's own time goes, per submission (logged as "sandbox timings").
#[derive(Debug, Default)]
pub(crate) struct Timings {
    pub origin: Option<Origin>,
    /// Taking a pooled sandbox, or creating and starting one.
    pub acquire_ms: u64,
    /// `docker exec` of the runner until its `Ready` (0 for a pooled
    /// sandbox: its runner was started with it).
    pub runner_ms: u64,
    /// Building the tar and uploading it.
    pub upload_ms: u64,
    pub compile_ms: u64,
    /// Running (and checking) the tests.
    pub tests_ms: u64,
    /// Of `tests_ms`: the judging loop's runs, report waits and checks.
    pub tests: LoopTimings,
    /// Events stored and published while in the sandbox, and their time (µs).
    pub events: u64,
    pub publish_us: u64,
}

/// The state of one submission being judged, and how it is published.
pub(crate) struct Judging<'a> {
    pub worker: &'a Worker,
    pub state: SubmissionState,
    /// Sandboxes done with, removed after the final state is stored.
    pub used: Vec<Sandbox>,
    pub timings: Timings,
}

impl Judging<'_> {
    /// Stores and publishes the next state. A failure here is logged, not
    /// fatal: the next event carries the whole state anyway.
    pub(crate) async fn publish(&mut self, kind: EventKind) {
        let started = Instant::now();
        self.publish_untimed(kind).await;
        self.timings.events += 1;
        self.timings.publish_us += started.elapsed().as_micros() as u64;
    }

    async fn publish_untimed(&mut self, kind: EventKind) {
        self.state.seq += 1;
        let state = &self.state;
        match redis_retry(self.worker, "publish state", |mut c| async move {
            store::publish_state(&mut c, kind, state).await
        })
        .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                submission = %self.state.id,
                seq = self.state.seq,
                ?kind,
                "stored state is newer or final; event not applied"
            ),
            Err(e) => tracing::warn!(submission = %self.state.id, ?kind, error = %e, "event lost"),
        }
    }

    /// Stores the final state. Returns `Err` only if Redis stayed unreachable.
    async fn finish(
        mut self,
        verdict: Verdict,
        message: Option<String>,
    ) -> anyhow::Result<JobDone> {
        self.state.finish(verdict, now_ms());
        if message.is_some() {
            self.state.message = message;
        }
        let id = self.state.id.clone();
        for _ in 0..5 {
            self.state.seq += 1;
            let state = &self.state;
            let applied = redis_retry(self.worker, "store final state", |mut c| async move {
                store::publish_state(&mut c, EventKind::Finished, state).await
            })
            .await?;
            if applied {
                return Ok(JobDone::Final(Some(verdict)));
            }
            // Someone else wrote meanwhile (a worker that took the job over).
            let stored = redis_retry(self.worker, "reload state", |mut c| {
                let id = id.clone();
                async move { store::load_stored_state(&mut c, &id).await }
            })
            .await?;
            match stored {
                Some(stored) if stored.is_final() => {
                    tracing::warn!(submission = %id, "another worker finished it first");
                    return Ok(JobDone::Final(stored.verdict));
                }
                Some(stored) => self.state.seq = self.state.seq.max(stored.seq),
                None => anyhow::bail!("submission {id} vanished while being judged"),
            }
        }
        anyhow::bail!("could not store the final state of {id}: its seq kept moving")
    }
}

impl Progress for Judging<'_> {
    fn state(&mut self) -> &mut SubmissionState {
        &mut self.state
    }

    async fn publish(&mut self, kind: EventKind) {
        Judging::publish(self, kind).await
    }
}

pub(crate) fn ie(message: impl Into<String>) -> (Verdict, Option<String>) {
    (Verdict::IE, Some(message.into()))
}
