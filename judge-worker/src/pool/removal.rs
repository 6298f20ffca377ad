//! Where used and idle sandboxes go when they are not reused: removed in
//! tracked background tasks (off the judging's path), the idle pool dropped
//! when the engine lost its containers or the worker stops, and a
//! submission's sandboxes found and removed by another worker taking its
//! job over.

use std::collections::HashMap;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use bollard::query_parameters::ListContainersOptionsBuilder;
use bollard::Docker;

use super::names::SUBMISSION_NAME_PREFIX;
use super::reuse::Taken;
use super::state::{Idle, SandboxPool};
use crate::sandbox::error::SandboxError;
use crate::sandbox::{self, sanitize, short, Sandbox, LABEL_SUBMISSION};

impl SandboxPool {
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
    pub(super) async fn remove_idle(&self) -> usize {
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
