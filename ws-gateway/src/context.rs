//! What every connection of one gateway shares.

use std::sync::Arc;
use std::time::Duration;

use judge_store::auth::AuthMode;
use tokio_util::sync::CancellationToken;

use crate::contest_follow::ContestHub;
use crate::hub::Hub;

/// The longest one store request (a connection, a look-up) may take.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(3);

pub(crate) struct Ctx {
    pub(crate) hub: Arc<Hub>,
    pub(crate) contests: Arc<ContestHub>,
    pub(crate) pool: judge_store::store::Pool,
    pub(crate) shutdown: CancellationToken,
    pub(crate) ping_interval: Duration,
    pub(crate) auth: AuthMode,
    /// `JUDGE_ALLOWED_ORIGINS` (see [`crate::auth::cookie_origin_allowed`]).
    pub(crate) allowed_origins: Vec<String>,
}
