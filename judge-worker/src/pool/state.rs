//! The warm pool's state, shared by its parts: filling it and removing
//! used sandboxes ([`super`]), taking a container ([`super::take`]) and
//! giving one back ([`super::reuse`]). The pool's methods live with the part
//! they serve; the struct they share lives here, so that no part imports
//! another's.

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use bollard::Docker;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::cpuset::CpuSet;
use super::kind::Kind;
use crate::sandbox::runner_session::RunnerSession;

/// A pooled container is not taken in its last minute of life.
pub(super) const TAKE_MARGIN: Duration = Duration::from_secs(60);

/// Counters of this process's pools, for tests and logs.
#[derive(Debug, Default)]
pub struct PoolStats {
    /// Containers created (and started) for the pool.
    pub created: AtomicU64,
    /// Sandboxes taken from the pool.
    pub taken: AtomicU64,
    /// Sandboxes created on demand (pool empty, disabled or take failed).
    pub fresh: AtomicU64,
    /// Used sandboxes reset and given back to the pool.
    pub reused: AtomicU64,
    /// Used sandboxes destroyed because their reset failed.
    pub reset_failed: AtomicU64,
    /// The same, per image, for `/metrics` ([`super::health`]).
    pub(super) per_image: Mutex<HashMap<String, ImageCounts>>,
}

/// One image's counters since the worker started.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct ImageCounts {
    pub(super) created: u64,
    pub(super) taken: u64,
    /// Created on demand, outside the pool (the pool had none to give).
    pub(super) fresh: u64,
    pub(super) reused: u64,
    pub(super) reset_failed: u64,
}

impl PoolStats {
    /// Counts one event of `image` in its per-image counters.
    pub(super) fn bump(&self, image: &str, event: impl FnOnce(&mut ImageCounts)) {
        event(
            self.per_image
                .lock()
                .unwrap()
                .entry(image.to_string())
                .or_default(),
        );
    }
}

/// A started container waiting in the pool, with its runner.
pub(super) struct Idle {
    pub(super) id: String,
    pub(super) created: Instant,
    pub(super) memory: i64,
    /// `judge-runner serve`, started with the container (its `Ready`
    /// received), so that taking the container costs no `docker exec`.
    pub(super) runner: Option<RunnerSession>,
    /// The CPU the container is pinned to, if any.
    pub(super) cpu: Option<usize>,
    /// Submissions it has served.
    pub(super) uses: u32,
    /// Since when it is idle still named after the submission it served
    /// (see [`super::reuse`]); `None` once it has a pool name.
    pub(super) named_since: Option<Instant>,
}

/// The warm pool of one worker, and the background removal of used sandboxes.
pub struct SandboxPool {
    /// Submissions' warm pool, or validators' containers.
    pub(super) kind: Kind,
    pub(super) docker: Docker,
    pub(super) worker: String,
    /// Containers kept ready per image; 0 disables the pool. For
    /// validators' containers, which are created on demand, the most kept
    /// idle per image.
    pub(super) size: usize,
    pub(super) images: Vec<String>,
    pub(super) max_age: Duration,
    pub(super) idle: Mutex<HashMap<String, VecDeque<Idle>>>,
    /// Per image, the memory limit (MB) of the last problem taken for: new
    /// pooled containers get it, so that taking the next one for the same
    /// problem needs no memory update.
    pub(super) last_memory_mb: Mutex<HashMap<String, u64>>,
    pub(super) wake: Notify,
    pub(super) stop: CancellationToken,
    /// The refill loop and every background removal.
    pub(super) tasks: TaskTracker,
    /// Submissions one container may serve ([`Reuse::max_uses`](super::reuse::Reuse::max_uses)).
    pub(super) max_uses: u32,
    /// The CPUs sandboxes are pinned to; `None`: not pinned.
    pub(super) cpus: Option<Arc<CpuSet>>,
    /// Per image, pooled containers taken and not yet removed or back in
    /// the pool: they count towards its size, so the refill does not
    /// replace a container that is coming back. A take counts one with an
    /// [`Out`], which its sandbox carries until it is gone, whichever way
    /// it goes (and a rename in [`super::reuse`] counts its own).
    pub(super) out: Mutex<HashMap<String, usize>>,
    /// Per image, taken containers being reset: a take with none idle waits
    /// for them rather than create a container.
    pub(super) resetting: Mutex<HashMap<String, usize>>,
    /// Woken when a reset container is back (or destroyed).
    pub(super) returned: Notify,
    /// Pooled containers created so far (round robin over the CPUs).
    pub(super) created_seq: AtomicU64,
    pub stats: PoolStats,
    /// Set by [`SandboxPool::discard_idle`]: the engine is back, so images
    /// whose containers failed to be created during its outage are tried
    /// again at once rather than after `IDLE_CHECK`.
    pub(super) retry_failed: AtomicBool,
}

impl SandboxPool {
    /// Adds `delta` to `image`'s counter in `map`.
    pub(super) fn count(&self, map: &Mutex<HashMap<String, usize>>, image: &str, delta: isize) {
        let mut map = map.lock().unwrap();
        let n = map.entry(image.to_string()).or_default();
        *n = n.saturating_add_signed(delta);
    }

    pub(super) fn out_count(&self, image: &str) -> usize {
        self.out.lock().unwrap().get(image).copied().unwrap_or(0)
    }
}

/// A taken pooled container's place in its image's pool: counted in
/// [`SandboxPool::out`] from the take until this is dropped, which wakes the
/// refill. It travels with the sandbox (in its [`Taken`](super::reuse::Taken) tag), so the place
/// is freed however the sandbox ends: back in the pool after its reset, removed
/// by [`SandboxPool::dispose`], removed directly with [`Sandbox::remove`](crate::sandbox::Sandbox::remove) (as
/// a validator's sandbox is) or dropped by a judging that timed out or
/// panicked (its guard then frees it once the removal it spawned is done).
/// Without it, a container that never came through `dispose` counted
/// against the pool forever, and once the taken count of an image reached the
/// pool size its pool was never refilled.
pub(crate) struct Out {
    pool: Weak<SandboxPool>,
    image: String,
}

impl Out {
    /// Counts one container of `image` as taken.
    pub(super) fn take(pool: &Arc<SandboxPool>, image: &str) -> Out {
        pool.count(&pool.out, image, 1);
        Out {
            pool: Arc::downgrade(pool),
            image: image.to_string(),
        }
    }
}

impl Drop for Out {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.upgrade() {
            pool.count(&pool.out, &self.image, -1);
            pool.wake.notify_one();
        }
    }
}

impl std::fmt::Debug for Out {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Out").field("image", &self.image).finish()
    }
}
