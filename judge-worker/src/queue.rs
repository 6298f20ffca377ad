//! The consumer-group loop: at-least-once delivery of judging jobs.
//!
//! A worker with a free slot takes the next job of the fair queue in the
//! languages it can judge (the engine's images it serves, see
//! [`crate::images`]) with `judge_store::queue::take`, which moves it into
//! `judge:jobs` and delivers it through the group `judge:workers` in one
//! script (live before rejudge, round-robin over users; see that module).
//! With nothing to take, it blocks on its languages' wake-up lists for a
//! moment and tries again. An entry stays pending (in the group's PEL)
//! until its submission's final state is stored, so a worker that dies
//! mid-judging leaves the job for another of its language, which takes it
//! over with `judge_store::queue::claim` once it has been idle for
//! `claim_idle_ms`. The job is then judged again from scratch; the stored
//! attempt count stops a submission that kills every worker from circulating
//! forever, and `store::publish_state` never overwrites a final state, so a
//! job judged twice still ends with one verdict.

use std::collections::HashSet;
use std::panic::AssertUnwindSafe;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use judge_store::{keys, queue, store};
use redis::aio::MultiplexedConnection;
use submission::Job;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::job::{self, JobDone};
use crate::retry::redis_retry;
use crate::worker::Worker;

/// How long an idle worker blocks for a wake-up before it looks again; also
/// the longest shutdown waits for it, and the longest a job waits when its
/// wake-up token went to a worker that had no free slot.
const IDLE_WAIT_SECS: f64 = 1.0;
/// How often pending jobs of dead workers are looked for.
const CLAIM_EVERY: Duration = Duration::from_secs(5);
const MAX_BACKOFF: Duration = Duration::from_secs(10);

/// One stream entry taken by this worker.
#[derive(Debug)]
struct Entry {
    id: String,
    job: Option<String>,
}

/// Entry ids being judged here. They are re-claimed (which resets their idle
/// time) on every claim round, so a long judging is not taken over by
/// another worker, and they are skipped if `XAUTOCLAIM` hands them back.
#[derive(Default)]
struct InFlight(Mutex<HashSet<String>>);

impl InFlight {
    fn insert(&self, id: &str) -> bool {
        self.0.lock().unwrap().insert(id.to_string())
    }
    fn remove(&self, id: &str) {
        self.0.lock().unwrap().remove(id);
    }
    fn ids(&self) -> Vec<String> {
        self.0.lock().unwrap().iter().cloned().collect()
    }
}

/// Takes and judges jobs until `shutdown` is cancelled, then waits for the
/// jobs in progress. Redis failures are logged and retried, never returned.
pub async fn consume(worker: Arc<Worker>, shutdown: CancellationToken) {
    let tracker = TaskTracker::new();
    let semaphore = Arc::new(Semaphore::new(worker.config.concurrency.max(1)));
    let in_flight = Arc::new(InFlight::default());
    let mut conn: Option<MultiplexedConnection> = None;
    let mut backoff = Duration::from_millis(100);
    let mut next_claim = Instant::now();
    let mut claim_cursor = "0-0".to_string();

    loop {
        let permit = tokio::select! {
            biased;
            _ = shutdown.cancelled() => break,
            permit = semaphore.clone().acquire_owned() => permit.expect("the semaphore is never closed"),
        };
        if shutdown.is_cancelled() {
            break;
        }
        if !worker.health.is_up() {
            // No job while the engine is down: it would only fail here, and
            // a worker on another engine can judge it meanwhile.
            drop(permit);
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = worker.health.wait_up() => {}
            }
            continue;
        }
        let result = async {
            let c = match conn.as_mut() {
                Some(c) => c,
                None => {
                    let mut c = store::dedicated(&worker.config.redis_url).await?;
                    store::ensure_group(&mut c).await?;
                    let adopted = queue::adopt_legacy(&mut c).await?;
                    if adopted > 0 {
                        tracing::info!(
                            jobs = adopted,
                            "moved waiting jobs into the language lanes"
                        );
                    }
                    tracing::info!(consumer = %worker.consumer, "connected to the job stream");
                    conn.insert(c)
                }
            };
            // The languages it can judge (none known yet: only jobs of no
            // language).
            let languages = worker.health.languages().unwrap_or_default();
            let mut entries = Vec::new();
            if Instant::now() >= next_claim {
                next_claim = Instant::now() + CLAIM_EVERY;
                heartbeat(c, &worker.consumer, &in_flight.ids()).await?;
                let count = (1 + semaphore.available_permits()).min(10);
                entries = claim(c, &worker, &mut claim_cursor, count, &languages).await?;
                entries.retain(|e| !in_flight.0.lock().unwrap().contains(&e.id));
            }
            if entries.is_empty() {
                entries = take(c, &worker.consumer, &languages).await?;
            }
            redis::RedisResult::Ok(entries)
        }
        .await;
        let entries = match result {
            Ok(entries) => {
                backoff = Duration::from_millis(100);
                entries
            }
            Err(e) => {
                tracing::error!(error = %e, "redis: reading jobs failed; retrying in {backoff:?}");
                conn = None;
                drop(permit);
                tokio::select! {
                    _ = shutdown.cancelled() => break,
                    _ = tokio::time::sleep(backoff) => {}
                }
                backoff = (backoff * 2).min(MAX_BACKOFF);
                continue;
            }
        };
        let mut permit = Some(permit);
        for entry in entries {
            // Entries already taken are judged even during shutdown: that is
            // faster than leaving them for another worker to claim.
            let permit = match permit.take() {
                Some(p) => p,
                None => semaphore
                    .clone()
                    .acquire_owned()
                    .await
                    .expect("the semaphore is never closed"),
            };
            if !in_flight.insert(&entry.id) {
                continue;
            }
            tracker.spawn(handle(worker.clone(), in_flight.clone(), entry, permit));
        }
    }
    tracing::info!(
        jobs = tracker.len(),
        "stopping: waiting for the jobs in progress"
    );
    tracker.close();
    tracker.wait().await;
}

/// The next job of the fair queue in `languages`, delivered to this
/// consumer; with none, waits up to [`IDLE_WAIT_SECS`] for one to be
/// enqueued and returns nothing.
async fn take(
    conn: &mut MultiplexedConnection,
    consumer: &str,
    languages: &[String],
) -> redis::RedisResult<Vec<Entry>> {
    match queue::take(conn, consumer, languages).await? {
        Some(taken) => {
            tracing::debug!(entry = %taken.entry_id, source = %taken.source, "took a job");
            Ok(vec![Entry {
                id: taken.entry_id,
                job: taken.job,
            }])
        }
        None => {
            queue::wait_for_work(conn, languages, IDLE_WAIT_SECS).await?;
            Ok(Vec::new())
        }
    }
}

/// Pending entries idle for `claim_idle_ms` (their worker is presumed
/// dead) in `languages`: a job is taken over only by a worker that can
/// judge it.
async fn claim(
    conn: &mut MultiplexedConnection,
    worker: &Worker,
    cursor: &mut String,
    count: usize,
    languages: &[String],
) -> redis::RedisResult<Vec<Entry>> {
    let claimed = queue::claim(
        conn,
        &worker.consumer,
        worker.config.claim_idle_ms,
        cursor,
        count,
        languages,
    )
    .await?;
    *cursor = claimed.cursor;
    if !claimed.deleted.is_empty() {
        tracing::warn!(ids = ?claimed.deleted, "pending jobs were deleted from the stream");
    }
    let entries: Vec<Entry> = claimed
        .taken
        .into_iter()
        .map(|taken| Entry {
            id: taken.entry_id,
            job: taken.job,
        })
        .collect();
    for entry in &entries {
        tracing::warn!(entry = %entry.id, "took over a job of a worker that stopped answering");
    }
    Ok(entries)
}

/// Resets the idle time of the entries being judged here.
async fn heartbeat(
    conn: &mut MultiplexedConnection,
    consumer: &str,
    ids: &[String],
) -> redis::RedisResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    redis::cmd("XCLAIM")
        .arg(keys::JOB_STREAM)
        .arg(keys::WORKER_GROUP)
        .arg(consumer)
        .arg(0)
        .arg(ids)
        .arg("JUSTID")
        .query_async::<redis::Value>(conn)
        .await
        .map(|_| ())
}

/// Judges one entry and acknowledges it once its final state is stored.
async fn handle(
    worker: Arc<Worker>,
    in_flight: Arc<InFlight>,
    entry: Entry,
    _permit: OwnedSemaphorePermit,
) {
    let job = entry
        .job
        .as_deref()
        .and_then(|j| serde_json::from_str::<Job>(j).ok());
    let ack = match job {
        None => {
            tracing::error!(entry = %entry.id, job = ?entry.job, "malformed job; dropped");
            true
        }
        Some(job) => match AssertUnwindSafe(job::process_job(&worker, &job.submission_id))
            .catch_unwind()
            .await
        {
            Ok(Ok(JobDone::Final(_))) | Ok(Ok(JobDone::Unknown)) => true,
            // The engine broke the judging: back in the stream for any worker.
            Ok(Ok(JobDone::Retry(cause))) => {
                if let Err(e) =
                    crate::engine::requeue(&worker, &entry.id, &job.submission_id, &cause).await
                {
                    // Still pending: taken over once idle, like a dead worker's job.
                    tracing::error!(entry = %entry.id, submission = %job.submission_id,
                        error = format!("{e:#}"), "could not requeue; the job stays pending");
                }
                false
            }
            // Judging itself catches its panics; this is a bug around it. The
            // job stays pending and is claimed again (and counted) later.
            Err(_) => {
                tracing::error!(entry = %entry.id, submission = %job.submission_id, "panicked; the job stays pending");
                false
            }
            Ok(Err(e)) => {
                tracing::error!(
                    entry = %entry.id,
                    submission = %job.submission_id,
                    error = format!("{e:#}"),
                    "the final state could not be stored; the job stays pending"
                );
                false
            }
        },
    };
    if ack {
        let id = entry.id.as_str();
        // Deleted as well as acknowledged, so the stream holds only work not
        // yet done: its length is the queue depth the API's back-pressure reads.
        let acked = redis_retry(&worker, "acknowledge job", |mut c| async move {
            redis::pipe()
                .atomic()
                .xack(keys::JOB_STREAM, keys::WORKER_GROUP, &[id])
                .ignore()
                .xdel(keys::JOB_STREAM, &[id])
                .ignore()
                .query_async::<()>(&mut c)
                .await
        })
        .await;
        if let Err(e) = acked {
            // Harmless: a redelivery finds the state final and acknowledges it then.
            tracing::error!(entry = %entry.id, error = format!("{e:#}"), "could not acknowledge");
        }
    }
    in_flight.remove(&entry.id);
}
