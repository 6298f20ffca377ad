//! The clock's state changes (started, frozen, ended) written into each
//! contest's log when they happen, not when someone next reads: a `state`
//! entry (and, at the start, the problems again, which feeds hid before)
//! appended with a compare-and-set on the stored state. Every API process
//! runs [`run`], and readers call [`log_due_state`] too; the compare-and-set
//! lets exactly one of them write each change, so any number of replicas is
//! safe and no single "leader" process has to exist.

use std::time::Duration;

use contest::api::State;
use contest::AbsTime;
use judge_store::contest::log::{self, Append};
use judge_store::contest::{registry, snapshot};
use tokio_util::sync::CancellationToken;

use crate::error::ApiError;
use crate::state::{conn, timed};

/// How often every contest's clock is checked: a state change reaches the
/// log (and the event feed) at most this late.
pub const TICK: Duration = Duration::from_millis(250);

/// Appends the `state` entry the clock calls for at `now`, if any; true when
/// this call wrote it (false: nothing due, or another process was first).
pub async fn log_due_state(
    pool: &judge_store::store::Pool,
    contest_id: &str,
    now: AbsTime,
) -> Result<bool, ApiError> {
    let mut c = conn(pool).await?;
    let Some(contest) = timed(snapshot::contest(&mut c, contest_id)).await? else {
        return Ok(false);
    };
    let old = timed(snapshot::object(&mut c, contest_id, "state", contest_id)).await?;
    let logged: State = old
        .as_deref()
        .and_then(|j| serde_json::from_str(j).ok())
        .unwrap_or_default();
    let Some(next) = contest::replay::due_state(Some(&contest), &logged, now) else {
        return Ok(false);
    };
    let mut entries = vec![Append::new("state", contest_id, &next)];
    // At the start the problems are shown: a feed that hid them before
    // gets them again now.
    if logged.started.is_none() && next.started.is_some() {
        let mut problems = timed(snapshot::objects(&mut c, contest_id, "problems")).await?;
        problems.sort();
        entries.extend(problems.into_iter().map(|(id, data)| Append {
            kind: "problems".into(),
            id,
            data: Some(data),
        }));
    }
    let written = timed(log::append_if(
        &mut c,
        contest_id,
        ("state", contest_id),
        old.as_deref(),
        &entries,
    ))
    .await?;
    Ok(written.is_some())
}

/// Checks every contest each [`TICK`] until `shutdown`; a failure (Redis
/// down) is retried on the next tick, and logged once until it recovers.
pub async fn run(pool: judge_store::store::Pool, shutdown: CancellationToken) {
    crate::periodic::every("contest clock", TICK, shutdown, || check_all(&pool)).await;
}

async fn check_all(pool: &judge_store::store::Pool) -> Result<(), ApiError> {
    let ids = {
        let mut c = conn(pool).await?;
        timed(registry::contest_ids(&mut c)).await?
    };
    let now = AbsTime::now();
    for id in ids {
        match log_due_state(pool, &id, now).await {
            Ok(true) => tracing::info!(contest = %id, "contest state changed by the clock"),
            Ok(false) => {}
            Err(e) => tracing::warn!(contest = %id, error = %e, "contest clock"),
        }
    }
    Ok(())
}
