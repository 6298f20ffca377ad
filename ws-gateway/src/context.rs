//! What every connection of one gateway shares.

use std::sync::Arc;
use std::time::Duration;

use judge_store::auth::AuthMode;
use tokio_util::sync::CancellationToken;

use crate::hub::Hub;

/// The longest one store request (a connection, a look-up) may take.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(3);

pub(crate) struct Ctx {
    pub(crate) hub: Arc<Hub>,
    pub(crate) pool: judge_store::store::Pool,
    pub(crate) shutdown: CancellationToken,
    pub(crate) ping_interval: Duration,
    pub(crate) auth: AuthMode,
}
