//! Giving a used sandbox back to the pool: a container's life (create,
//! start, exec, rename, remove) costs dockerd, containerd and runc far more
//! CPU than a short submission's own work, so a pooled container serves up
//! to [`Reuse::max_uses`] submissions, reset between two.
//!
//! The reset is the runner's ([`crate::sandbox::RunnerSession::reset`]; what
//! it clears and checks is in `judge-runner/src/reset.rs`). A container is
//! given back only when all of these hold, and destroyed otherwise:
//! - the judging gave its runner back ([`crate::sandbox::Sandbox::park_runner`]):
//!   a judge fault (runner protocol error, a runner that died or was OOM
//!   killed, a timeout) drops the runner, and with it any reuse;
//! - it came from the pool, has served fewer than `max_uses` submissions
//!   and is not close to its maximum age; the worker is not stopping;
//! - the runner answered `Reset` within [`RESET_TIMEOUT`] (an `Error`, a
//!   protocol error or silence destroys it; so does a run still pending
//!   from the judging that does not end in time);
//! - it could be renamed back to a pool name (so nothing names the
//!   submission any more).

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::query_parameters::RenameContainerOptionsBuilder;

use super::cpuset::CpuLease;
use super::{Idle, SandboxPool, TAKE_MARGIN};
use crate::sandbox::{sanitize, short, unique_suffix, RunnerSession, Sandbox};

/// Longest wait for a runner's reset. The reset itself takes milliseconds,
/// but the runner first finishes a run still pending (requested ahead of a
/// failed test): one that takes longer is not waited for, the container is
/// destroyed (killing it at once) instead.
pub(super) const RESET_TIMEOUT: Duration = Duration::from_secs(2);
/// Longest a take waits for a container being reset rather than create a
/// new one: a reset takes milliseconds, a creation hundreds of them of CPU.
pub(super) const RESET_WAIT: Duration = Duration::from_secs(2);

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
#[derive(Clone, Debug)]
pub(super) struct Pooled {
    pub image: String,
    pub created: Instant,
    /// Its memory limit now (bytes).
    pub memory: i64,
    pub cpu: Option<usize>,
    /// Submissions served before this one.
    pub uses: u32,
}

impl SandboxPool {
    /// Whether a used pooled container may be reset for another submission.
    pub(super) fn may_reuse(&self, taken: &Pooled) -> bool {
        taken.uses + 1 < self.reuse.max_uses
            && !self.stop.is_cancelled()
            && taken.created.elapsed() + 2 * TAKE_MARGIN < self.max_age
    }

    /// Resets a used container and gives it back to the pool, or removes it.
    pub(super) async fn recycle(
        self: Arc<Self>,
        sandbox: Sandbox,
        mut runner: RunnerSession,
        taken: Pooled,
    ) {
        let started = Instant::now();
        let container = short(sandbox.id());
        let outcome = match tokio::time::timeout(RESET_TIMEOUT, runner.reset()).await {
            Ok(Ok(generation)) => self.rename_to_pool(sandbox.id()).await.map(|()| generation),
            Ok(Err(e)) => Err(e.to_string()),
            Err(_) => Err(format!("no answer to reset within {RESET_TIMEOUT:?}")),
        };
        match outcome {
            Ok(generation) if !self.stop.is_cancelled() => {
                tracing::debug!(
                    container,
                    generation,
                    reset_ms = started.elapsed().as_millis() as u64,
                    "sandbox reset; back in the pool"
                );
                self.stats.reused.fetch_add(1, Ordering::Relaxed);
                let idle = Idle {
                    id: sandbox.release(),
                    created: taken.created,
                    memory: taken.memory,
                    runner: Some(runner),
                    cpu: taken.cpu,
                    uses: taken.uses + 1,
                };
                self.idle
                    .lock()
                    .unwrap()
                    .entry(taken.image.clone())
                    .or_default()
                    .push_back(idle);
            }
            outcome => {
                if let Err(e) = outcome {
                    self.stats.reset_failed.fetch_add(1, Ordering::Relaxed);
                    tracing::warn!(container, error = %e, "sandbox reset failed; removing it");
                }
                drop(runner);
                sandbox.remove().await;
                self.wake.notify_one();
            }
        }
        self.count(&self.out, &taken.image, -1);
        self.count(&self.resetting, &taken.image, -1);
        self.returned.notify_waiters();
    }

    /// A pool name again, so that nothing names the last submission.
    async fn rename_to_pool(&self, id: &str) -> Result<(), String> {
        let name = format!("judge-pool-{}.{}", sanitize(&self.worker), unique_suffix());
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
