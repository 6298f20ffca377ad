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
//!
//! The parts: [`state`] (what they share), [`refill`] (filling the pool),
//! [`acquire`] and [`take`] (handing a sandbox out), [`reuse`] (resetting a
//! used one for the next), [`removal`] (removing used and idle ones),
//! [`cpuset`], [`names`], [`kind`] (submissions' pool or validators') and
//! [`health`] (what `/metrics` and the log show of it).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::{AtomicBool, AtomicU64};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bollard::Docker;
use tokio::sync::Notify;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

#[cfg(test)]
mod accounting_tests;
pub mod acquire;
pub mod cpuset;
pub mod health;
pub mod kind;
pub mod names;
pub mod refill;
pub mod removal;
pub mod reuse;
pub mod state;
mod take;

use cpuset::CpuSet;

pub use acquire::Origin;
pub use kind::{Kind, LABEL_POOL, LABEL_VALIDATOR_POOL};
pub use names::{submission_container_name, SUBMISSION_NAME_PREFIX};
pub use refill::pool_container_body;
pub use removal::remove_submission_sandboxes;
pub use reuse::Reuse;
pub use state::{PoolStats, SandboxPool};

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
        SandboxPool::of_kind(
            Kind::Submission,
            docker,
            worker,
            size,
            images,
            max_age,
            reuse,
        )
    }

    /// The validators' pool: no container made ahead of time; one created
    /// when a validator needs one and none is idle, reset after its use and
    /// kept, up to `keep` idle per image, under the same checks, uses and
    /// age as submissions' ([`reuse`]). Never pinned to a CPU.
    pub fn for_validators(
        docker: Docker,
        worker: String,
        keep: usize,
        max_age: Duration,
        max_uses: u32,
    ) -> Arc<SandboxPool> {
        let reuse = Reuse {
            max_uses,
            cpus: None,
        };
        SandboxPool::of_kind(
            Kind::Validator,
            docker,
            worker,
            keep,
            Vec::new(),
            max_age,
            reuse,
        )
    }

    fn of_kind(
        kind: Kind,
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
            kind,
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
    /// every take (for validators, that only removes the idle containers
    /// close to their end), and the watch of its sizes ([`health`]).
    pub fn start(self: &Arc<Self>) {
        if self.size > 0 {
            let pool = self.clone();
            self.tasks.spawn(async move { pool.refill_loop().await });
        }
        if self.enabled() {
            let pool = self.clone();
            self.tasks.spawn(async move { pool.watch_sizes().await });
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
}
