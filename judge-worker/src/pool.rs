//! The warm pool: per sandbox image, a few containers created and STARTED
//! ahead of time, each with its `judge-runner serve` already running (one
//! `docker exec`, its `Ready` received), so that a submission's sandbox costs
//! at most a memory update (and a rename it does not wait for) instead of a
//! create, a start and an exec. The idle runner only waits on its stdin: it
//! receives nothing before the submission's upload, and it ends with its
//! container.
//!
//! A pooled container that judged a submission is reset by its runner
//! ([`judge_protocol::Request::Reset`]) and given back to the pool,
//! up to [`Reuse::max_uses`] submissions; one whose runner was not given
//! back (a judge fault), whose reset failed or that served its share is
//! destroyed ([`reuse`]). Each sandbox is pinned to a CPU of its own while
//! it judges ([`cpuset`]).
//!
//! Orphan safety:
//! - Every pooled container carries the worker's label ([`LABEL_WORKER`]), so
//!   a worker restarted under the same name removes its idle pool and its
//!   leftovers with [`sandbox::remove_orphans`].
//! - Labels cannot change after creation, so a container taken for a
//!   submission is renamed `judge-sub-<submission>.<unique>` (beside the
//!   upload and the compile); another worker taking the job over finds it by
//!   that name ([`remove_submission_sandboxes`]), as it finds freshly created
//!   sandboxes by their [`LABEL_SUBMISSION`]. A reset container keeps that
//!   name until the next take or [`reuse::NAME_GRACE`] later.
//! - A pooled container's main process is `sleep <max age>`, then waits while
//!   `/work` is not empty (it only fills once taken). An idle container of a
//!   worker that died and never came back under its name therefore stops
//!   after `max age` and, created with auto-remove, disappears; a taken
//!   one lives until it is removed.
//!
//! Removal is off the hot path: [`SandboxPool::dispose`] removes a used
//! sandbox in a tracked background task; [`SandboxPool::shutdown`] removes the
//! idle pool and waits for every pending removal.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bollard::query_parameters::{CreateContainerOptionsBuilder, ListContainersOptionsBuilder};
use bollard::Docker;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::sandbox::error::SandboxError;
use crate::sandbox::{
    self, sanitize, short, unique_suffix, Sandbox, SandboxSpec, LABEL_SUBMISSION, LABEL_WORKER,
};

#[cfg(test)]
mod accounting_tests;
pub mod cpuset;
pub mod names;
pub mod reuse;
pub mod state;
mod take;

use cpuset::{CpuLease, CpuSet};
use reuse::Taken;
use state::{Idle, TAKE_MARGIN};

pub use names::{submission_container_name, SUBMISSION_NAME_PREFIX};
pub use reuse::Reuse;
pub use state::{PoolStats, SandboxPool};

/// Label naming the image a pooled container was created for.
pub const LABEL_POOL: &str = "judge.pool";
/// Memory a pooled container is created with (the default problem limit)
/// until a problem was judged in its image; the limit is set for the problem
/// when the container is taken, if it differs.
const POOL_MEMORY_MB: u64 = 2048;
/// How often the pool is looked over without being woken.
const IDLE_CHECK: Duration = Duration::from_secs(30);

/// Where a sandbox came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Pool,
    Fresh,
}

impl SandboxPool {
    /// A pool of `size` started containers for each of `images`. Call
    /// [`SandboxPool::start`] to fill it.
    pub fn new(
        docker: Docker,
        worker: String,
        size: usize,
        images: Vec<String>,
        max_age: Duration,
        reuse: Reuse,
    ) -> Arc<SandboxPool> {
        let cpus = reuse
            .cpus
            .clone()
            .filter(|c| !c.is_empty())
            .map(CpuSet::new);
        Arc::new(SandboxPool {
            max_uses: reuse.max_uses,
            cpus,
            out: Mutex::new(HashMap::new()),
            resetting: Mutex::new(HashMap::new()),
            returned: Notify::new(),
            created_seq: AtomicU64::new(0),
            docker,
            worker,
            size,
            images,
            // Below two minutes, a container could expire while being taken.
            max_age: max_age.max(Duration::from_secs(120)),
            idle: Mutex::new(HashMap::new()),
            last_memory_mb: Mutex::new(HashMap::new()),
            wake: Notify::new(),
            stop: CancellationToken::new(),
            tasks: TaskTracker::new(),
            stats: PoolStats::default(),
            retry_failed: AtomicBool::new(false),
        })
    }

    /// Whether any image has a pool.
    pub fn enabled(&self) -> bool {
        self.size > 0 && !self.images.is_empty()
    }

    /// Starts the background loop that fills the pool and refills it after
    /// every take.
    pub fn start(self: &Arc<Self>) {
        if self.enabled() {
            let pool = self.clone();
            self.tasks.spawn(async move { pool.refill_loop().await });
        }
    }

    /// Idle containers ready for `image` now.
    pub fn idle_count(&self, image: &str) -> usize {
        self.idle
            .lock()
            .unwrap()
            .get(image)
            .map_or(0, VecDeque::len)
    }

    /// A started sandbox for `spec`, pinned to a CPU of its own: a pooled
    /// one (renamed after the submission, its memory and CPU set for it) or,
    /// failing that, a new one.
    pub async fn acquire(
        self: &Arc<Self>,
        spec: &SandboxSpec,
    ) -> Result<(Sandbox, Origin), SandboxError> {
        let started = Instant::now();
        let lease = self.cpus.as_ref().map(|cpus| {
            let idle_on = self.idle_cpus(&spec.image);
            cpus.lease(|cpu| idle_on.contains(&cpu))
        });
        let cpu = lease.as_ref().map(CpuLease::cpu);
        if let Some((mut sandbox, taken)) = self.take(spec, cpu).await {
            self.stats.taken.fetch_add(1, Ordering::Relaxed);
            tracing::debug!(
                submission = %spec.submission_id,
                image = %spec.image,
                container = %short(sandbox.id()),
                cpu,
                uses = taken.uses,
                take_ms = started.elapsed().as_millis() as u64,
                "took a pooled sandbox"
            );
            sandbox.set_tag(Box::new(Taken {
                pooled: Some(taken),
                lease,
            }));
            return Ok((sandbox, Origin::Pool));
        }
        let mut sandbox =
            Sandbox::create_on(&self.docker, spec, cpu.map(|c| c.to_string())).await?;
        sandbox.set_tag(Box::new(Taken {
            pooled: None,
            lease,
        }));
        self.stats.fresh.fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            submission = %spec.submission_id,
            image = %spec.image,
            cpu,
            create_ms = started.elapsed().as_millis() as u64,
            "created a sandbox"
        );
        Ok((sandbox, Origin::Fresh))
    }

    /// Done with a sandbox: in the background, it is reset and given back to
    /// the pool when it may be ([`reuse`]), else removed. Either is tracked so
    /// that [`SandboxPool::shutdown`] waits for it.
    ///
    /// The pool is refilled only once a removal is done, not when the
    /// sandbox is taken: creating a container costs the daemon a few hundred
    /// milliseconds of CPU, which would slow down the judging in progress.
    pub fn dispose(self: &Arc<Self>, mut sandbox: Sandbox) {
        let (taken, mut lease) = match sandbox
            .take_tag()
            .and_then(|tag| tag.downcast::<Taken>().ok())
        {
            Some(tag) => (tag.pooled, tag.lease),
            None => (None, None),
        };
        let taken = match (taken, sandbox.take_runner()) {
            (Some(taken), Some(runner)) if self.may_reuse(&taken) => {
                self.count(&self.resetting, &taken.image, 1);
                let pool = self.clone();
                // The CPU stays leased until the reset is over, as settling:
                // a new sandbox goes to a free CPU first, then here (where
                // at most a pending run of this submission is left), and
                // only then beside another submission being judged.
                if let Some(lease) = lease.as_mut() {
                    lease.settle();
                }
                self.tasks.spawn(async move {
                    pool.recycle(sandbox, runner, taken).await;
                    drop(lease);
                });
                return;
            }
            // The runner, if any, ends here.
            (taken, _) => taken,
        };
        // Removed with force (its processes killed at once): the CPU is free.
        drop(lease);
        let pool = self.clone();
        self.tasks.spawn(async move {
            let started = Instant::now();
            let id = short(sandbox.id());
            sandbox.remove().await;
            tracing::debug!(
                container = id,
                removal_ms = started.elapsed().as_millis() as u64,
                "used sandbox removed"
            );
            // Its place in the pool (`taken._out`) is freed only now.
            drop(taken);
            pool.wake.notify_one();
        });
    }

    /// Stops refilling, removes the idle pool and waits for every pending
    /// removal. Call it once no job uses the pool any more.
    pub async fn shutdown(&self) {
        self.stop.cancel();
        self.tasks.close();
        self.tasks.wait().await;
        // The refill loop drained the pool when it stopped; this catches a
        // pool that was never started.
        self.remove_idle().await;
    }

    /// Drops the idle pool (in the background) and wakes the refill: after
    /// a restart of the engine its containers are dead, and taking one would
    /// fail a judging. See [`crate::engine`].
    pub fn discard_idle(self: &Arc<Self>) {
        let idle: Vec<Idle> = self
            .idle
            .lock()
            .unwrap()
            .drain()
            .flat_map(|(_, q)| q)
            .collect();
        if !idle.is_empty() {
            tracing::warn!(
                containers = idle.len(),
                "dropping the warm pool: the engine lost its containers"
            );
        }
        for c in idle {
            self.dispose(Sandbox::adopt(&self.docker, c.id));
        }
        self.retry_failed.store(true, Ordering::Relaxed);
        self.wake.notify_one();
    }

    /// Removes every idle container and returns how many there were.
    async fn remove_idle(&self) -> usize {
        let left: Vec<Idle> = self
            .idle
            .lock()
            .unwrap()
            .drain()
            .flat_map(|(_, q)| q)
            .collect();
        let removed = left.len();
        remove_all(&self.docker, left).await;
        removed
    }

    async fn refill_loop(self: Arc<Self>) {
        let mut failing: HashMap<String, Instant> = HashMap::new();
        while !self.stop.is_cancelled() {
            if self.retry_failed.swap(false, Ordering::Relaxed) {
                failing.clear();
            }
            self.prune();
            // Round-robin, so every image gets a first container quickly.
            'fill: for round in 0..self.size {
                for image in &self.images {
                    if self.stop.is_cancelled() {
                        break 'fill;
                    }
                    if failing
                        .get(image)
                        .is_some_and(|at| at.elapsed() < IDLE_CHECK)
                    {
                        continue;
                    }
                    if self.idle_count(image) + self.out_count(image) > round {
                        continue;
                    }
                    let started = Instant::now();
                    match self.create_idle(image).await {
                        Ok(idle) => {
                            failing.remove(image);
                            self.stats.created.fetch_add(1, Ordering::Relaxed);
                            tracing::debug!(
                                image,
                                container = %short(&idle.id),
                                create_ms = started.elapsed().as_millis() as u64,
                                "pooled sandbox ready"
                            );
                            self.idle
                                .lock()
                                .unwrap()
                                .entry(image.clone())
                                .or_default()
                                .push_back(idle);
                        }
                        Err(e) => {
                            tracing::warn!(image, error = %e, "could not create a pooled sandbox");
                            failing.insert(image.clone(), Instant::now());
                        }
                    }
                }
            }
            tokio::select! {
                _ = self.stop.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(IDLE_CHECK) => {}
            }
        }
        let removed = self.remove_idle().await;
        tracing::debug!(removed, "idle sandbox pool removed");
    }

    /// Removes idle containers too close to the end of their life.
    fn prune(self: &Arc<Self>) {
        let expired: Vec<Idle> = {
            let mut idle = self.idle.lock().unwrap();
            let mut expired = Vec::new();
            for queue in idle.values_mut() {
                let (keep, old): (VecDeque<Idle>, VecDeque<Idle>) = queue
                    .drain(..)
                    .partition(|c| c.created.elapsed() + 2 * TAKE_MARGIN < self.max_age);
                *queue = keep;
                expired.extend(old);
            }
            expired
        };
        for c in expired {
            self.dispose(Sandbox::adopt(&self.docker, c.id));
        }
    }

    /// Creates and starts one pooled container.
    async fn create_idle(&self, image: &str) -> Result<Idle, SandboxError> {
        let spec = SandboxSpec {
            image: image.to_string(),
            submission_id: String::new(),
            worker: self.worker.clone(),
            memory_mb: self
                .last_memory_mb
                .lock()
                .unwrap()
                .get(image)
                .copied()
                .unwrap_or(POOL_MEMORY_MB),
        };
        let mut body = pool_container_body(&spec, self.max_age);
        let seq = self.created_seq.fetch_add(1, Ordering::Relaxed) as usize;
        let cpu = self.cpus.as_ref().map(|cpus| cpus.nth(seq));
        if let Some(host) = body.host_config.as_mut() {
            host.cpuset_cpus = cpu.map(|c| c.to_string());
        }
        let options = CreateContainerOptionsBuilder::default()
            .name(&format!(
                "judge-pool-{}.{}",
                sanitize(&self.worker),
                unique_suffix()
            ))
            .build();
        let created = match self.docker.create_container(Some(options), body).await {
            Ok(created) => created,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return Err(SandboxError::MissingImage(image.to_string())),
            Err(e) => return Err(e.into()),
        };
        let created_at = Instant::now();
        if let Err(e) = self.docker.start_container(&created.id, None).await {
            Sandbox::adopt(&self.docker, created.id).remove().await;
            return Err(e.into());
        }
        // The runner is started now, off the submission's path; it only
        // waits for requests (nothing reaches /work before the upload).
        let runner = match sandbox::exec_runner(&self.docker, &created.id).await {
            Ok(runner) => runner,
            Err(e) => {
                Sandbox::adopt(&self.docker, created.id).remove().await;
                return Err(e);
            }
        };
        Ok(Idle {
            id: created.id,
            created: created_at,
            memory: spec.container_memory_bytes(),
            runner: Some(runner),
            cpu,
            uses: 0,
            named_since: None,
        })
    }
}

/// A pooled container: the sandbox's configuration, labelled with the worker
/// and the pool (not a submission), auto-removed once its main process ends.
/// That process sleeps `max_age`, then waits while `/work` holds anything
/// (a taken container's files), so only an idle container ever expires.
pub fn pool_container_body(
    spec: &SandboxSpec,
    max_age: Duration,
) -> bollard::models::ContainerCreateBody {
    let mut body = sandbox::container_body(spec);
    if let Some(labels) = body.labels.as_mut() {
        labels.remove(LABEL_SUBMISSION);
        labels.insert(LABEL_POOL.to_string(), spec.image.clone());
        labels.insert(LABEL_WORKER.to_string(), spec.worker.clone());
    }
    body.cmd = Some(vec![
        "/bin/sh".into(),
        "-c".into(),
        r#"sleep "$0"; while [ -n "$(ls -A /work)" ]; do sleep 10; done"#.into(),
        max_age.as_secs().to_string(),
    ]);
    if let Some(host) = body.host_config.as_mut() {
        host.auto_remove = Some(true);
    }
    body
}

/// Removes every sandbox of a submission on this Docker host: created for it
/// (labelled) or taken from any worker's pool for it (renamed). Returns how many.
pub async fn remove_submission_sandboxes(
    docker: &Docker,
    submission_id: &str,
) -> Result<usize, SandboxError> {
    let mut removed = sandbox::remove_labelled(docker, LABEL_SUBMISSION, submission_id).await?;
    let prefix = format!("/{SUBMISSION_NAME_PREFIX}{}.", sanitize(submission_id));
    let filters = HashMap::from([(
        "name".to_string(),
        vec![format!("^{}", prefix.replace('.', "\\."))],
    )]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    for container in docker.list_containers(Some(options)).await? {
        let ours = container
            .names
            .iter()
            .flatten()
            .any(|n| n.starts_with(&prefix));
        if let (true, Some(id)) = (ours, container.id) {
            sandbox::remove_container(docker, &id).await;
            removed += 1;
        }
    }
    Ok(removed)
}

async fn remove_all(docker: &Docker, containers: Vec<Idle>) {
    let removals = containers.into_iter().map(|c| {
        let docker = docker.clone();
        async move { Sandbox::adopt(&docker, c.id).remove().await }
    });
    futures_util::future::join_all(removals).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pooled_containers_carry_the_worker_not_a_submission() {
        let spec = SandboxSpec {
            image: "judge-lang-cpp:latest".into(),
            submission_id: String::new(),
            worker: "w1".into(),
            memory_mb: POOL_MEMORY_MB,
        };
        let body = pool_container_body(&spec, Duration::from_secs(3600));
        let labels = body.labels.unwrap();
        assert_eq!(labels[LABEL_WORKER], "w1");
        assert_eq!(labels[LABEL_POOL], "judge-lang-cpp:latest");
        assert!(!labels.contains_key(LABEL_SUBMISSION));
        let host = body.host_config.unwrap();
        assert_eq!(host.auto_remove, Some(true));
        // Locked down like any sandbox.
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.readonly_rootfs, Some(true));
        assert_eq!(host.memory, host.memory_swap);
        assert_eq!(body.cmd.unwrap().last().unwrap(), "3600");
    }

    #[test]
    fn taken_names_identify_one_submission() {
        let a = submission_container_name("abc");
        let b = submission_container_name("abc-def");
        assert!(a.starts_with("judge-sub-abc."));
        assert!(!b.starts_with("judge-sub-abc."));
        assert_ne!(a, submission_container_name("abc"));
        assert!(submission_container_name("a/b.c").starts_with("judge-sub-abc."));
    }
}
