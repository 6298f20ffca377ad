//! The one state every handler shares, and the helpers that reach Redis
//! through it with a deadline (a request never hangs on a stalled store).

use std::sync::Arc;
use std::time::Duration;

use crate::config::Config;
use crate::error::ApiError;

/// How long a request waits for a pooled Redis connection or a reply.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(3);

#[derive(Clone)]
pub struct AppState {
    pub(crate) pool: judge_store::store::Pool,
    pub(crate) config: Arc<Config>,
    /// SHA-256 (hex) of the admin token.
    pub(crate) admin_hash: Arc<String>,
    /// Password hashing is slow on purpose: at most one per CPU at a time,
    /// so a flood of sign-ins queues instead of taking every thread.
    pub(crate) hashing: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    /// Runs password hashing work off the async threads, one per CPU at most.
    pub(crate) async fn hash_work<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, ApiError> {
        let _permit = self
            .hashing
            .acquire()
            .await
            .map_err(|e| ApiError::Internal(format!("hashing closed: {e}")))?;
        tokio::task::spawn_blocking(work)
            .await
            .map_err(|e| ApiError::Internal(format!("password hashing panicked: {e}")))
    }

    /// Whether sign-up is open when no admin has said otherwise (`JUDGE_SIGNUP`).
    pub(crate) fn signup_default(&self) -> bool {
        self.config.signup != Some(crate::config::SignupMode::Closed)
    }

    /// A pooled connection, or 503 when none comes in time.
    pub(crate) async fn conn(&self) -> Result<judge_store::connect::Connection, ApiError> {
        conn(&self.pool).await
    }
}

pub(crate) async fn conn(
    pool: &judge_store::store::Pool,
) -> Result<judge_store::connect::Connection, ApiError> {
    tokio::time::timeout(STORE_TIMEOUT, pool.get())
        .await
        .map_err(|_| ApiError::StoreUnavailable("timed out waiting for a redis connection".into()))?
        .map_err(ApiError::from)
}

/// A connection of its own, without the pool's 500 ms reply timeout: for
/// large values (problem packages).
pub(crate) async fn dedicated(url: &str) -> Result<redis::aio::MultiplexedConnection, ApiError> {
    tokio::time::timeout(STORE_TIMEOUT, judge_store::store::dedicated(url))
        .await
        .map_err(|_| ApiError::StoreUnavailable("timed out connecting to redis".into()))?
        .map_err(ApiError::from)
}

/// Runs a store operation with a deadline, mapping every failure to an ApiError.
pub(crate) async fn timed<T>(
    fut: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> Result<T, ApiError> {
    tokio::time::timeout(STORE_TIMEOUT, fut)
        .await
        .map_err(|_| ApiError::StoreUnavailable("redis did not answer in time".into()))?
        .map_err(ApiError::from)
}

/// How long a submission waits for a replica to confirm it before the API
/// refuses to acknowledge it.
const REPLICA_WAIT_MS: u64 = 1000;

/// Returns once what `conn` just wrote is safe enough to acknowledge: on a
/// replica too (`WAIT 1`) whenever the primary has one connected (`INFO
/// replication`), on the primary alone when it has none (a lone Redis, or a
/// Sentinel deployment that already lost its replica to a failover). A write
/// no replica confirmed in time is refused (503): a failover could lose it,
/// and the client must not be told it is safe. It may still be judged.
pub(crate) async fn replicated(
    conn: &mut judge_store::connect::Connection,
) -> Result<(), ApiError> {
    if timed(judge_store::connect::connected_replicas(conn)).await? == 0 {
        return Ok(());
    }
    // WAIT blocks longer than a pooled connection's 500 ms reply timeout;
    // lengthen it for this one command and put it back.
    conn.multiplexed()
        .set_response_timeout(Duration::from_millis(REPLICA_WAIT_MS + 1000));
    let acked: redis::RedisResult<u64> = redis::cmd("WAIT")
        .arg(1)
        .arg(REPLICA_WAIT_MS)
        .query_async(conn)
        .await;
    conn.multiplexed()
        .set_response_timeout(Duration::from_millis(500));
    match acked.map_err(ApiError::from)? {
        0 => Err(ApiError::StoreUnavailable(
            "no replica confirmed the submission in time; it is not acknowledged (it may still be judged)".into(),
        )),
        _ => Ok(()),
    }
}
