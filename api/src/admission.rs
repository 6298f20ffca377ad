//! Whether new work (a submission or a run) is taken now: the per-user rate
//! limit (429) and the queue's bound (503), both with Retry-After.

use judge_store::store;
use submission::now_ms;

use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Seconds a client is told to wait when the queue is full.
const QUEUE_FULL_RETRY_SECS: u64 = 10;

/// Refuses new work from a user over the rate limit (429) or when the queue
/// is over its bound (503), both with Retry-After. Checked before anything
/// is stored, so a refused request leaves no trace but the rate counter.
pub(crate) async fn admit(
    app: &AppState,
    conn: &mut judge_store::connect::Connection,
    user_id: &str,
) -> Result<(), ApiError> {
    if app.config.rate_limit_per_minute > 0 {
        let (count, seconds_left) =
            timed(store::count_for_rate_limit(conn, user_id, now_ms())).await?;
        if count > app.config.rate_limit_per_minute {
            return Err(ApiError::RateLimited {
                limit: app.config.rate_limit_per_minute,
                retry_after: seconds_left,
            });
        }
    }
    queue_has_room(app, conn).await
}

/// The queue's bound alone: a package check submits all its submissions at
/// once, so the per-user rate limit does not apply to it, but this does.
pub(crate) async fn queue_has_room(
    app: &AppState,
    conn: &mut judge_store::connect::Connection,
) -> Result<(), ApiError> {
    let jobs = timed(store::queued_jobs(conn)).await?;
    if jobs >= app.config.max_queue {
        return Err(ApiError::QueueFull {
            jobs,
            retry_after: QUEUE_FULL_RETRY_SECS,
        });
    }
    Ok(())
}
