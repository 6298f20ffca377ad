//! Giving a used sandbox back to the pool: a container's life (create,
//! start, exec, rename, remove) costs dockerd, containerd and runc far more
//! CPU than a short submission's own work, so a pooled container serves up
//! to [`Reuse::max_uses`] submissions, reset between two.
//!
//! The reset is the runner's ([`crate::sandbox::runner_session::RunnerSession::reset`]; what
//! it clears and checks is in `judge-runner/src/reset.rs`). A container is
//! given back only when all of these hold, and destroyed otherwise:
//! - the judging gave its runner back ([`crate::sandbox::Sandbox::park_runner`]):
//!   a judge fault (runner protocol error, a runner that died or was OOM
//!   killed, a timeout) drops the runner, and with it any reuse;
//! - it came from the pool, has served fewer than `max_uses` submissions
//!   and is not close to its maximum age; the worker is not stopping;
//! - its rename after the submission succeeded (so that a takeover could
//!   have found it);
//! - the runner answered `Reset` within [`RESET_TIMEOUT`] (an `Error`, a
//!   protocol error or silence destroys it; so does a run still pending
//!   from the judging that does not end in time).
//!
//! A reset container goes back to the pool still named after the
//! submission it served: the next take renames it anyway, and a rename
//! back on the way would cost dockerd CPU and keep the slot waiting. Only
//! one left idle for [`NAME_GRACE`] is renamed to a pool name ([`tidy`]),
//! so that a finished submission's name soon names nothing.

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::query_parameters::RenameContainerOptionsBuilder;
use tokio::task::JoinHandle;

use super::cpuset::CpuLease;
use super::kind::Kind;
use super::state::{Idle, Out, SandboxPool, TAKE_MARGIN};
use crate::sandbox::runner_session::RunnerSession;
use crate::sandbox::{sanitize, short, unique_suffix, Sandbox};

/// Longest wait for a runner's reset. The reset itself takes milliseconds,
/// but the runner first finishes a run still pending (requested ahead of a
/// failed test): one that takes longer is not waited for, the container is
/// destroyed (killing it at once) instead.
pub(super) const RESET_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest a take waits for a container being reset rather than create a
/// new one: a reset takes milliseconds, a creation hundreds of them of CPU.
pub(super) const RESET_WAIT: Duration = Duration::from_secs(2);

/// How long a reset container left idle may keep the name of the
/// submission it served.
pub(super) const NAME_GRACE: Duration = Duration::from_secs(1);

/// How pooled containers are shared out and reused.
#[derive(Clone, Debug)]
pub struct Reuse {
    /// Submissions one container may serve (defence in depth: a bound on
    /// what a flaw in the reset could carry over); 1 never reuses.
    pub max_uses: u32,
    /// The CPUs sandboxes are pinned to, one per sandbox while there are
    /// enough; `None`: not pinned.
    pub cpus: Option<Vec<usize>>,
}

impl Default for Reuse {
    /// No reuse, no pinning: a container per submission.
    fn default() -> Reuse {
        Reuse {
            max_uses: 1,
            cpus: None,
        }
    }
}

/// What the pool attaches to a sandbox it hands out (see
/// [`crate::sandbox::Sandbox::set_tag`]).
pub(super) struct Taken {
    /// For a pooled container, what it needs to go back.
    pub pooled: Option<Pooled>,
    /// The sandbox's CPU, given back once the container is reset or removed.
    pub lease: Option<CpuLease>,
}

/// A taken pooled container's facts, kept for its return.
#[derive(Debug)]
pub(super) struct Pooled {
    pub image: String,
    pub created: Instant,
    /// Its memory limit now (bytes).
    pub memory: i64,
    pub cpu: Option<usize>,
    /// Submissions served before this one.
    pub uses: u32,
    /// Its rename after the submission, under way.
    pub renamed: Option<JoinHandle<Result<(), String>>>,
    /// Its place in the pool, freed when this is dropped (never read).
    pub _out: Out,
}

impl SandboxPool {
    /// Whether a used pooled container may be reset for another submission.
    pub(super) fn may_reuse(&self, taken: &Pooled) -> bool {
        taken.uses + 1 < self.max_uses
            && !self.stop.is_cancelled()
            && taken.created.elapsed() + 2 * TAKE_MARGIN < self.max_age
    }

    /// Resets a used container and gives it back to the pool, or removes it.
    pub(super) async fn recycle(
        self: Arc<Self>,
        sandbox: Sandbox,
        mut runner: RunnerSession,
        mut taken: Pooled,
    ) {
        let started = Instant::now();
        let container = short(sandbox.id());
        let renamed = match taken.renamed.take() {
            Some(handle) => handle.await.unwrap_or_else(|e| Err(e.to_string())),
            None => Ok(()),
        };
        let outcome = match renamed {
            Err(e) => Err(e),
            Ok(()) => match tokio::time::timeout(RESET_TIMEOUT, runner.reset()).await {
                Ok(Ok(generation)) => Ok(generation),
                Ok(Err(e)) => Err(e.to_string()),
                Err(_) => Err(format!("no answer to reset within {RESET_TIMEOUT:?}")),
            },
        };
        // Validators' containers are created on demand: beyond the number
        // kept idle per image, a used one goes.
        let room = self.kind == Kind::Submission || self.idle_count(&taken.image) < self.size;
        match outcome {
            Ok(generation) if !self.stop.is_cancelled() && room => {
                tracing::debug!(
                    container,
                    generation,
                    reset_ms = started.elapsed().as_millis() as u64,
                    "sandbox reset; back in the pool"
                );
                self.stats.reused.fetch_add(1, Ordering::Relaxed);
                self.stats.bump(&taken.image, |c| c.reused += 1);
                let idle = Idle {
                    id: sandbox.release(),
                    created: taken.created,
                    memory: taken.memory,
                    runner: Some(runner),
                    cpu: taken.cpu,
                    uses: taken.uses + 1,
                    named_since: Some(Instant::now()),
                };
                self.idle
                    .lock()
                    .unwrap()
                    .entry(taken.image.clone())
                    .or_default()
                    .push_back(idle);
                self.tidy_later();
            }
            outcome => {
                if let Err(e) = outcome {
                    self.stats.reset_failed.fetch_add(1, Ordering::Relaxed);
                    self.stats.bump(&taken.image, |c| c.reset_failed += 1);
                    tracing::warn!(container, error = %e, "sandbox reset failed; removing it");
                }
                drop(runner);
                sandbox.remove().await;
                self.wake.notify_one();
            }
        }
        let image = std::mem::take(&mut taken.image);
        // Back in the pool or removed: its place is free (`taken._out`).
        drop(taken);
        self.count(&self.resetting, &image, -1);
        self.returned.notify_waiters();
    }

    /// In [`NAME_GRACE`], renames the idle containers that still carry
    /// a submission's name by then ([`tidy`]).
    fn tidy_later(self: &Arc<Self>) {
        let pool = self.clone();
        self.tasks.spawn(async move {
            tokio::select! {
                _ = pool.stop.cancelled() => {}
                _ = tokio::time::sleep(NAME_GRACE) => pool.tidy().await,
            }
        });
    }

    /// Renames idle containers named after a submission for [`NAME_GRACE`]
    /// to pool names; one that cannot be renamed is removed. While renamed
    /// they count as out (so the refill does not replace them) and as being
    /// reset (so a take waits for them rather than create a container).
    async fn tidy(self: &Arc<Self>) {
        let stale: Vec<(String, Idle)> = {
            let mut idle = self.idle.lock().unwrap();
            let mut stale = Vec::new();
            for (image, queue) in idle.iter_mut() {
                let (old, keep): (VecDeque<Idle>, VecDeque<Idle>) = queue
                    .drain(..)
                    .partition(|c| c.named_since.is_some_and(|t| t.elapsed() >= NAME_GRACE));
                *queue = keep;
                for c in old {
                    self.count(&self.out, image, 1);
                    self.count(&self.resetting, image, 1);
                    stale.push((image.clone(), c));
                }
            }
            stale
        };
        if stale.is_empty() {
            return;
        }
        let renamed = futures_util::future::join_all(stale.into_iter().map(|(image, c)| async {
            let renamed = self.rename_to_pool(&c.id).await;
            (image, c, renamed)
        }))
        .await;
        for (image, mut c, renamed) in renamed {
            match renamed {
                Ok(()) => {
                    c.named_since = None;
                    self.idle
                        .lock()
                        .unwrap()
                        .entry(image.clone())
                        .or_default()
                        .push_back(c);
                }
                Err(e) => {
                    tracing::warn!(container = %short(&c.id), error = %e, "idle sandbox could not be renamed; removing it");
                    self.dispose(Sandbox::adopt(&self.docker, c.id));
                }
            }
            self.count(&self.out, &image, -1);
            self.count(&self.resetting, &image, -1);
        }
        self.returned.notify_waiters();
    }

    /// A pool name again, so that nothing names the last submission.
    async fn rename_to_pool(&self, id: &str) -> Result<(), String> {
        let name = format!(
            "{}{}.{}",
            self.kind.name_prefix(),
            sanitize(&self.worker),
            unique_suffix()
        );
        self.docker
            .rename_container(
                id,
                RenameContainerOptionsBuilder::default().name(&name).build(),
            )
            .await
            .map_err(|e| format!("rename: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_never_reuses() {
        let r = Reuse::default();
        assert_eq!(r.max_uses, 1);
        assert!(r.cpus.is_none());
    }
}
