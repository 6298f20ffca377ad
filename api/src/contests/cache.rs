//! The in-memory contests of one API process: a [`Replay`] per contest and
//! the log token it has applied. Every read catches up first: one `XRANGE`
//! from that token (nothing new: one round trip, no work), then each new
//! entry costs one team's row of the board. The gateway can do the same with
//! `XREAD BLOCK` on the log (see `judge_store::contest::log`).

use std::collections::HashMap;
use std::sync::Arc;

use contest::replay::Replay;
use contest::AbsTime;
use judge_store::contest::log;
use tokio::sync::{Mutex, OwnedMutexGuard};

use crate::contests::clock;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Every contest's replay, shared by the handlers of one router.
#[derive(Clone, Default)]
pub struct Contests {
    replays: Arc<std::sync::Mutex<HashMap<String, Arc<Mutex<Replay>>>>>,
}

impl Contests {
    fn slot(&self, contest_id: &str) -> Arc<Mutex<Replay>> {
        let mut map = self.replays.lock().expect("contest map lock");
        map.entry(contest_id.to_string())
            .or_insert_with(|| Arc::new(Mutex::new(Replay::new())))
            .clone()
    }

    /// The contest's replay, caught up with its log; 404 for an unknown contest.
    pub async fn current(
        &self,
        app: &AppState,
        contest_id: &str,
    ) -> Result<OwnedMutexGuard<Replay>, ApiError> {
        let mut replay = self.slot(contest_id).lock_owned().await;
        catch_up(app, contest_id, &mut replay).await?;
        if replay.contest().is_none() {
            return Err(ApiError::NotFound(format!("contest {contest_id:?}")));
        }
        // Started, frozen and ended follow the clock: normally the clock
        // task ([`crate::contests::clock`]) has logged the change already;
        // a reader that comes first logs it itself (once: compare-and-set).
        let now = AbsTime::now();
        if replay.due_state(now).is_some() {
            clock::log_due_state(&app.pool, contest_id, now).await?;
            catch_up(app, contest_id, &mut replay).await?;
        }
        Ok(replay)
    }
}

/// Applies every entry appended after the replay's token.
pub async fn catch_up(
    app: &AppState,
    contest_id: &str,
    replay: &mut Replay,
) -> Result<(), ApiError> {
    let mut conn = app.conn().await?;
    let token = replay.token().to_string();
    let entries = timed(log::read_all_after(&mut conn, contest_id, &token)).await?;
    for e in &entries {
        replay.apply(e);
    }
    Ok(())
}
