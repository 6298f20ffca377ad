//! Cancelling the package checks whose client went away
//! (`judge_store::lease`): a check is leased when it is submitted and the
//! lease is renewed each time its client reads its state (the CLI polls
//! every pending check a few times a second); one not read for
//! `JUDGE_CHECK_LEASE_SECS` is cancelled, so a client killed without
//! cancelling its checks (SIGKILL, a lost network) does not leave them to
//! the workers. Every API process sweeps; the claim takes each id out of
//! the set once, and the cancel is a compare-and-set, so replicas are safe.
//! Only checks hold leases: a user's submission is never swept.

use std::time::Duration;

use judge_store::cancel::{self, Cancel};
use judge_store::lease;
use submission::now_ms;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::error::ApiError;
use crate::state::{conn, timed};

/// The state message of a check cancelled by the sweep.
pub const MESSAGE: &str = "cancelled: its client went away";

/// How many expired checks one claim takes; the sweep claims until none
/// is left.
const CLAIM_BATCH: usize = 64;

/// The configured lease, or `None` when it is turned off (0).
pub fn lease(config: &Config) -> Option<Duration> {
    (config.check_lease_secs > 0).then(|| Duration::from_secs(config.check_lease_secs))
}

/// How often the sweep runs: a quarter of the lease, within 250 ms..10 s,
/// so a check outlives its client by at most a quarter more.
fn tick(lease: Duration) -> Duration {
    (lease / 4).clamp(Duration::from_millis(250), Duration::from_secs(10))
}

/// Starts a lease for check `id` (just submitted) if leases are on.
pub async fn grant(
    config: &Config,
    conn: &mut judge_store::connect::Connection,
    id: &str,
) -> Result<(), ApiError> {
    if lease(config).is_some() {
        timed(lease::grant(conn, id, now_ms())).await?;
    }
    Ok(())
}

/// Its client read the state of check `id`: the lease runs from now. A
/// failure only costs a lease renewal (the next read renews it), so the
/// read itself does not fail for it.
pub async fn renew(conn: &mut judge_store::connect::Connection, id: &str) {
    if let Err(e) = timed(lease::renew(conn, id, now_ms())).await {
        tracing::warn!(submission = %id, error = %e, "renewing a check's lease failed");
    }
}

/// Sweeps every [`tick`] until `shutdown`; a failure (Redis down) is
/// retried on the next tick, and logged once until it recovers.
pub async fn run(pool: judge_store::store::Pool, lease: Duration, shutdown: CancellationToken) {
    tracing::info!(
        lease_secs = lease.as_secs(),
        "package checks whose client went away are cancelled"
    );
    crate::periodic::every("check lease sweep", tick(lease), shutdown, || {
        sweep(&pool, lease)
    })
    .await;
}

/// Cancels every check whose lease ran out.
async fn sweep(pool: &judge_store::store::Pool, lease: Duration) -> Result<(), ApiError> {
    let mut c = conn(pool).await?;
    let seen_before = now_ms().saturating_sub(lease.as_millis() as u64);
    loop {
        let ids = timed(lease::claim_expired(&mut c, seen_before, CLAIM_BATCH)).await?;
        for id in &ids {
            match timed(cancel::cancel_because(&mut c, id, MESSAGE)).await {
                Ok(Cancel::Cancelled { was_waiting, .. }) => {
                    tracing::info!(submission = %id, was_waiting, "package check cancelled: its client went away");
                }
                Ok(Cancel::Final(_) | Cancel::Unknown) => {}
                // Claimed but not cancelled: back in the set for the next sweep.
                Ok(Cancel::Busy(_)) | Err(_) => timed(lease::put_back(&mut c, id)).await?,
            }
        }
        if ids.len() < CLAIM_BATCH {
            return Ok(());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sweep_runs_a_few_times_per_lease_within_bounds() {
        assert_eq!(tick(Duration::from_secs(2)), Duration::from_millis(500));
        assert_eq!(tick(Duration::from_secs(120)), Duration::from_secs(10));
        assert_eq!(tick(Duration::from_secs(1)), Duration::from_millis(250));
    }
}
