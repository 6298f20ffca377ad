//! What every job of this worker shares: the settings, the Redis pool, the
//! Docker engine and its health, the caches and the sandbox pool. Built once
//! at start ([`crate::lifecycle`]) and handed to every part that judges.

use std::sync::Arc;

use bollard::Docker;

use crate::config::Config;
use crate::engine_health::EngineHealth;
use crate::packages::PackageCache;
use crate::pool::state::SandboxPool;
use crate::validator::cache::ValidatorCache;

/// What every job of this worker shares.
pub struct Worker {
    pub config: Config,
    /// This worker's consumer name in the group, also its containers' label.
    pub consumer: String,
    /// Short commands only: pooled connections time out replies after 500 ms.
    pub pool: judge_store::store::Pool,
    pub docker: Docker,
    pub packages: PackageCache,
    pub validators: ValidatorCache,
    /// Where sandboxes come from (the warm pool) and go (background removal).
    pub sandboxes: Arc<SandboxPool>,
    /// Validators' sandboxes (and their compilation), reused after their
    /// reset like submissions' but never shared with them.
    pub validator_sandboxes: Arc<SandboxPool>,
    /// Whether the Docker engine answers; the queue takes no job while it does not.
    pub health: Arc<EngineHealth>,
}
