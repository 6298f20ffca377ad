//! A task of the API process that runs every so often until shutdown (the
//! contest clock, the sweep of abandoned package checks). A round that
//! fails (Redis down) is retried on the next tick; the failure is logged
//! once, and once more when a round succeeds again, rather than every tick.

use std::future::Future;
use std::time::Duration;

use tokio_util::sync::CancellationToken;

use crate::error::ApiError;

/// Runs `round` every `period` (after the previous round ends, never two at
/// once) until `shutdown`; `what` names the task in the log.
pub async fn every<F, Fut>(what: &str, period: Duration, shutdown: CancellationToken, mut round: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<(), ApiError>>,
{
    let mut tick = tokio::time::interval(period);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    let mut failing = false;
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tick.tick() => {}
        }
        match round().await {
            Ok(()) if failing => {
                failing = false;
                tracing::info!("{what}: working again");
            }
            Ok(()) => {}
            Err(e) if !failing => {
                failing = true;
                tracing::warn!(error = %e, "{what}: failed; retrying every {period:?}");
            }
            Err(_) => {}
        }
    }
}
