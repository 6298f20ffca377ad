//! The in-memory contests of one API process: a [`Replay`] per contest and
//! the log token it has applied. Every read catches up first: one `XRANGE`
//! from that token (nothing new: one round trip, no work), then each new
//! entry costs one team's row of the board. The gateway can do the same with
//! `XREAD BLOCK` on the log (see `judge_store::contest::log`).

use std::collections::HashMap;
use std::sync::Arc;

use contest::replay::Replay;
use contest::AbsTime;
use judge_store::contest::log::{self, Append};
use tokio::sync::{Mutex, OwnedMutexGuard};

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
        // Started, frozen and ended follow the clock: the first reader to
        // see one change logs it as a `state` entry (once: compare-and-set).
        let now = AbsTime::now();
        let state = replay.state_at(now);
        let logged = replay.logged_state().clone();
        let clocked = contest::api::State {
            thawed: logged.thawed,
            finalized: logged.finalized,
            end_of_updates: logged.end_of_updates,
            ..state
        };
        if clocked != logged {
            let mut conn = app.conn().await?;
            let old =
                judge_store::contest::snapshot::object(&mut conn, contest_id, "state", contest_id);
            let old = timed(old).await?;
            let expected: Option<contest::api::State> =
                old.as_deref().and_then(|j| serde_json::from_str(j).ok());
            if expected.as_ref() == Some(&logged) || (old.is_none() && logged == Default::default())
            {
                let mut entries = vec![Append::new("state", contest_id, &clocked)];
                // At the start the problems are shown: a feed that hid them
                // before gets them again now.
                if logged.started.is_none() && clocked.started.is_some() {
                    entries.extend(
                        replay
                            .problems()
                            .iter()
                            .map(|p| Append::new("problems", p.id.as_str(), p)),
                    );
                }
                timed(log::append_if(
                    &mut conn,
                    contest_id,
                    ("state", contest_id),
                    old.as_deref(),
                    &entries,
                ))
                .await?;
            }
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
