//! The worker's Docker engine: is it up, and did it cause a failure?
//!
//! A worker may run against any engine (`DOCKER_HOST`, a Unix or TCP
//! socket), and engines restart or die independently of the worker. Three
//! rules follow:
//!
//! - A monitor pings the engine every second. While it does not answer, the
//!   worker takes no job ([`EngineHealth::is_up`] gates the queue, see
//!   [`crate::engine_health`]), says so
//!   in its logs and in Redis (a heartbeat the API renders in `/metrics`),
//!   and resumes by itself once the engine answers again.
//! - A judging that ends as IE while the engine failed under it (it went
//!   down, stopped answering, or the sandbox container vanished or stopped:
//!   a dockerd restart kills every container, warm pool included) is no
//!   verdict: [`retry_cause`] says so, and [`requeue`] puts the job back in
//!   the stream, where any worker with a working engine takes it. Such a
//!   retry does not count as one of the submission's attempts, but there are
//!   at most [`MAX_ENGINE_RETRIES`] of them, so an engine that fails on one
//!   submission every time cannot keep it circulating forever.
//! - A restarted engine's warm pool is dead; it is dropped when the engine
//!   comes back ([`crate::pool::SandboxPool::discard_idle`]).

use std::sync::Arc;
use std::time::Duration;

use bollard::Docker;
use judge_store::{keys, store};
use submission::{EventKind, Status, Verdict};
use tokio_util::sync::CancellationToken;

use crate::engine_health::EngineHealth;
use crate::retry::redis_retry;
use crate::sandbox::Sandbox;
use crate::worker::Worker;

/// How often the engine is pinged (and the heartbeat written).
const PING_EVERY: Duration = Duration::from_secs(1);
/// A ping not answered within this is a down engine.
const PING_TIMEOUT: Duration = Duration::from_secs(2);
/// Engine-caused retries of one submission before it is given up as IE.
pub const MAX_ENGINE_RETRIES: u64 = 10;
/// Hash field counting a submission's engine-caused retries.
const FIELD_ENGINE_RETRIES: &str = "engine_retries";

/// Whether the engine answers a ping now.
pub async fn ping(docker: &Docker) -> Result<(), String> {
    match tokio::time::timeout(PING_TIMEOUT, docker.ping()).await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err(format!("no answer within {PING_TIMEOUT:?}")),
    }
}

/// Pings the engine and writes the heartbeat until `shutdown`, then removes
/// the heartbeat (a stopped worker is neither healthy nor unhealthy).
pub async fn monitor(worker: Arc<Worker>, shutdown: CancellationToken) {
    let health = &worker.health;
    let mut languages: Option<Vec<String>> = None;
    let mut beat: u64 = 0;
    loop {
        match ping(&worker.docker).await {
            Ok(()) => {
                if health.mark_up() {
                    // Its containers died with it: the idle pool is useless,
                    // and the sandboxes whose removal failed while it was
                    // down are left stopped.
                    worker.sandboxes.discard_idle();
                    worker.validator_sandboxes.discard_idle();
                    match remove_stopped(&worker.docker, &worker.consumer).await {
                        Ok(0) => {}
                        Ok(n) => tracing::warn!(
                            removed = n,
                            "removed sandboxes stopped by the engine's outage"
                        ),
                        Err(e) => {
                            tracing::warn!(error = %e, "could not look for stopped sandboxes")
                        }
                    }
                }
            }
            Err(e) => {
                health.mark_down(&e);
            }
        }
        if !health.is_up() {
            languages = None;
        } else if languages.is_none() || beat.is_multiple_of(crate::images::REFRESH_EVERY) {
            match crate::images::ready_languages(&worker.docker, &worker.config).await {
                Ok(ready) => {
                    worker.health.set_languages(&ready);
                    languages = Some(ready);
                }
                Err(e) => tracing::debug!(error = %e, "could not list the sandbox images"),
            }
        }
        beat += 1;
        let mut pools = worker.sandboxes.health();
        pools.extend(worker.validator_sandboxes.health());
        write_heartbeat(
            &worker.pool,
            &worker.consumer,
            health,
            pools,
            languages.clone(),
        )
        .await;
        tokio::select! {
            _ = shutdown.cancelled() => break,
            _ = tokio::time::sleep(PING_EVERY) => {}
        }
    }
    if let Ok(mut conn) = worker.pool.get().await {
        let _: redis::RedisResult<()> = redis::cmd("HDEL")
            .arg(keys::WORKER_HEALTH)
            .arg(&worker.consumer)
            .query_async(&mut conn)
            .await;
    }
}

/// Removes this worker's containers that are no longer running (a running
/// one may be a judging that started since the engine came back).
async fn remove_stopped(docker: &Docker, worker: &str) -> Result<usize, bollard::errors::Error> {
    let filters = std::collections::HashMap::from([
        (
            "label".to_string(),
            vec![format!("{}={worker}", crate::sandbox::LABEL_WORKER)],
        ),
        (
            "status".to_string(),
            vec!["exited".to_string(), "dead".to_string()],
        ),
    ]);
    let options = bollard::query_parameters::ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let stopped = docker.list_containers(Some(options)).await?;
    let mut removed = 0;
    for id in stopped.into_iter().filter_map(|c| c.id) {
        crate::sandbox::remove_container(docker, &id).await;
        removed += 1;
    }
    Ok(removed)
}

/// Writes this worker's heartbeat (what `/metrics` shows of it); a failure
/// is only logged, the next beat comes a second later.
pub async fn write_heartbeat(
    pool: &store::Pool,
    consumer: &str,
    health: &EngineHealth,
    pools: Vec<judge_store::stats::PoolHealth>,
    languages: Option<Vec<String>>,
) {
    let beat =
        serde_json::to_string(&health.heartbeat(pools, languages)).expect("heartbeat serializes");
    if let Ok(mut conn) = pool.get().await {
        let written: redis::RedisResult<()> = redis::cmd("HSET")
            .arg(keys::WORKER_HEALTH)
            .arg(consumer)
            .arg(&beat)
            .query_async(&mut conn)
            .await;
        if let Err(e) = written {
            tracing::debug!(error = %e, "could not write the worker heartbeat");
        }
    }
}

/// Why an IE judging must be judged again instead: the engine failed under
/// it. `None` for any other verdict, for an IE the engine did not cause, and
/// once the submission had [`MAX_ENGINE_RETRIES`] (then the IE stands).
pub async fn retry_cause(
    worker: &Worker,
    id: &str,
    outages_before: u64,
    used: &[Sandbox],
    verdict: Verdict,
) -> Option<String> {
    if verdict != Verdict::IE {
        return None;
    }
    let cause = engine_fault(worker, outages_before, used).await?;
    let retries = redis_retry(worker, "count engine retry", |mut c| async move {
        redis::cmd("HINCRBY")
            .arg(keys::submission(id))
            .arg(FIELD_ENGINE_RETRIES)
            .arg(1)
            .query_async::<u64>(&mut c)
            .await
    })
    .await
    .ok()?;
    if retries > MAX_ENGINE_RETRIES {
        tracing::error!(
            submission = id,
            retries,
            cause,
            "the engine failed every retry; giving up as IE"
        );
        return None;
    }
    tracing::warn!(
        submission = id,
        retries,
        cause,
        "the Docker engine failed under the judging; the job goes back to the queue"
    );
    Some(cause)
}

/// The engine's part in a failed judging, if any.
async fn engine_fault(worker: &Worker, outages_before: u64, used: &[Sandbox]) -> Option<String> {
    if worker.health.outages() != outages_before {
        return Some("the Docker engine went down during the judging".into());
    }
    if let Err(e) = ping(&worker.docker).await {
        worker.health.mark_down(&e);
        return Some(format!("the Docker engine does not answer: {e}"));
    }
    // An engine that restarted between two pings answers now, but the
    // containers it had are gone or stopped (a judging's sandbox runs until
    // it is removed, after the verdict).
    for sandbox in used {
        match worker.docker.inspect_container(sandbox.id(), None).await {
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return Some("the sandbox container vanished".into()),
            Ok(info) => {
                let state = info.state.unwrap_or_default();
                if state.running != Some(true) && state.oom_killed != Some(true) {
                    worker.sandboxes.discard_idle();
                    worker.validator_sandboxes.discard_idle();
                    return Some("the sandbox container stopped under the judging".into());
                }
            }
            Err(_) => {}
        }
    }
    None
}

/// Puts a job whose judging the engine broke back in the queue: one script
/// stores the submission as queued again (unless it is final or changed
/// meanwhile), puts the job at the end of its language's put-back list
/// (served first, see `judge_store::queue`), removes the old entry and
/// gives back the attempt it had counted. Any worker with a working engine
/// that serves the language takes it.
pub async fn requeue(worker: &Worker, entry_id: &str, id: &str, cause: &str) -> anyhow::Result<()> {
    const SCRIPT: &str = r#"
        local current = redis.call('HGET', KEYS[1], 'state')
        if current then
            local state = cjson.decode(current)
            -- A final state stays (another worker finished it): only ack.
            if state.status ~= 'finished' then
                if tostring(state.seq) ~= ARGV[1] then return 0 end
                redis.call('HSET', KEYS[1], 'state', ARGV[2])
                redis.call('HINCRBY', KEYS[1], 'attempts', -1)
                local record = redis.call('HGET', KEYS[1], 'record')
                local lang = record and cjson.decode(record).language
                put_back_job(ARGV[3], lang)
                redis.call('PUBLISH', KEYS[3], ARGV[4])
            end
        end
        redis.call('XACK', KEYS[2], ARGV[5], ARGV[6])
        redis.call('XDEL', KEYS[2], ARGV[6])
        return 1
    "#;
    static REQUEUE: std::sync::LazyLock<redis::Script> =
        std::sync::LazyLock::new(|| redis::Script::new(&judge_store::queue::with_enqueue(SCRIPT)));
    for _ in 0..5 {
        let stored = redis_retry(worker, "load state", |mut c| async move {
            store::load_state(&mut c, id).await
        })
        .await?;
        let Some(old) = stored else {
            return Ok(());
        };
        let mut state = old.clone();
        state.status = Status::Queued;
        state.verdict = None;
        state.results.clear();
        state.compile_output = None;
        state.time_ms = 0;
        state.memory_kb = 0;
        state.run_output = None;
        state.message = Some(format!("judged again: {cause}"));
        state.seq = old.seq + 1;
        let event = store::event_json(EventKind::Queued, &state);
        let state_json = serde_json::to_string(&state)?;
        let (state_json, event) = (&state_json, &event);
        let applied: i32 = redis_retry(worker, "requeue job", |mut c| async move {
            REQUEUE
                .key(keys::submission(id))
                .key(keys::JOB_STREAM)
                .key(keys::events(id))
                .arg(old.seq.to_string())
                .arg(state_json)
                .arg(id)
                .arg(event)
                .arg(keys::WORKER_GROUP)
                .arg(entry_id)
                .invoke_async(&mut c)
                .await
        })
        .await?;
        if applied == 1 {
            return Ok(());
        }
    }
    anyhow::bail!("submission {id} kept changing while being requeued")
}
