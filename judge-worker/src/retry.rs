//! Short Redis operations retried with back-off, for the job's state and
//! the engine monitor's heartbeat: a Redis restart delays judging instead of
//! failing it. Its own module so that neither user imports the other.

use std::future::Future;
use std::time::Duration;

use crate::worker::Worker;

/// Runs a short Redis operation on a pooled connection, retrying with
/// back-off, so that a Redis restart delays judging instead of failing it.
pub async fn redis_retry<T, F, Fut>(worker: &Worker, what: &str, mut op: F) -> anyhow::Result<T>
where
    F: FnMut(judge_store::connect::Connection) -> Fut,
    Fut: Future<Output = redis::RedisResult<T>>,
{
    let mut delay = Duration::from_millis(100);
    let mut tries = 0;
    loop {
        tries += 1;
        let error = match worker.pool.get().await {
            Ok(conn) => match op(conn).await {
                Ok(value) => return Ok(value),
                Err(e) => anyhow::Error::from(e),
            },
            Err(e) => anyhow::Error::from(e),
        };
        if tries >= 6 {
            return Err(error.context(format!("redis: {what}")));
        }
        tracing::warn!(error = %error, tries, "redis: {what} failed; retrying");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
}
