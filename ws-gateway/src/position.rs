//! Live queue positions for sockets that watch a waiting submission.
//!
//! A position is never stored: it changes with every job any worker takes.
//! The snapshot a socket starts with has it (`store::load_state` fills it);
//! after that, this task keeps it current. Every gateway hears every event,
//! so it knows which submissions are queued; once a second it computes the
//! positions of those that some socket watches (the submission itself or
//! its user), in one script, and for each that changed dispatches the
//! stored state with the new position as a [`Update::refresh`]: same `seq`,
//! so a socket forwards it although it has sent that `seq` already, unless
//! it has sent that position too (its snapshot had it).

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use judge_store::{queue, store};
use serde::Deserialize;
use submission::SubmissionState;
use submission::{EventKind, Status};
use tokio::sync::broadcast::error::RecvError;
use tokio_util::sync::CancellationToken;

use crate::hub::{Hub, Update};

/// How often the positions of watched waiting submissions are recomputed.
pub const REFRESH_EVERY: Duration = Duration::from_secs(1);
/// The longest one refresh may take before it is abandoned until the next.
const REFRESH_TIMEOUT: Duration = Duration::from_secs(3);
/// How many of a newly watched user's submissions are looked at.
const USER_LOOKBACK: isize = crate::session::USER_SNAPSHOT_LIMIT;

/// The fields of an event this task reads.
#[derive(Deserialize)]
struct StatusEvent {
    state: StatusState,
}
#[derive(Deserialize)]
struct StatusState {
    id: String,
    user_id: String,
    status: Status,
}

/// What the task knows of the queued submissions.
#[derive(Default)]
pub struct Positions {
    /// Queued submission id -> (user id, last position dispatched).
    queued: HashMap<String, (String, Option<u64>)>,
    /// Watched submissions already looked up and found not queued: events
    /// say when one is queued again (a rejudge).
    settled: HashSet<String>,
    /// Watched users whose latest submissions were already looked up.
    users_seen: HashSet<String>,
}

impl Positions {
    /// Follows one published event: queued submissions are tracked until
    /// any other status comes.
    pub fn observe(&mut self, json: &str) {
        let Ok(event) = serde_json::from_str::<StatusEvent>(json) else {
            return;
        };
        let state = event.state;
        if state.status == Status::Queued {
            self.settled.remove(&state.id);
            self.queued.entry(state.id).or_insert((state.user_id, None));
        } else {
            self.queued.remove(&state.id);
            self.settled.insert(state.id);
        }
    }

    /// Forgets everything after missed events (some submissions it tracks
    /// may have moved on): the watched ones are looked up again.
    pub fn forget(&mut self) {
        self.queued.clear();
        self.settled.clear();
        self.users_seen.clear();
    }

    /// Takes note of stored states read by a look-up.
    fn learn(&mut self, states: Vec<SubmissionState>) {
        for state in states {
            if state.status == Status::Queued {
                self.queued.entry(state.id).or_insert((state.user_id, None));
            } else {
                self.settled.insert(state.id);
            }
        }
    }

    /// The tracked submissions some socket watches, as (user, id).
    fn watched(
        &self,
        submissions: &HashSet<String>,
        users: &HashSet<String>,
    ) -> Vec<(String, String)> {
        self.queued
            .iter()
            .filter(|(id, (user, _))| submissions.contains(*id) || users.contains(user))
            .map(|(id, (user, _))| (user.clone(), id.clone()))
            .collect()
    }

    /// Records `position` for `id`; true if it differs from the last one
    /// dispatched. A submission no longer waiting is dropped.
    fn changed(&mut self, id: &str, position: Option<u64>) -> bool {
        match position {
            None => {
                self.queued.remove(id);
                false
            }
            Some(p) => match self.queued.get_mut(id) {
                Some((_, last)) if *last != Some(p) => {
                    *last = Some(p);
                    true
                }
                _ => false,
            },
        }
    }
}

/// Runs until `shutdown`: follows every event and refreshes positions.
pub async fn run(hub: Arc<Hub>, pool: store::Pool, shutdown: CancellationToken) {
    let mut updates = hub.all_updates();
    let mut positions = Positions::default();
    let mut tick = tokio::time::interval(REFRESH_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => return,
            update = updates.recv() => match update {
                Ok(update) => positions.observe(&update.json),
                Err(RecvError::Lagged(_)) => positions.forget(),
                Err(RecvError::Closed) => return,
            },
            _ = tick.tick() => {
                let refreshed = tokio::time::timeout(REFRESH_TIMEOUT, refresh(&hub, &pool, &mut positions)).await;
                match refreshed {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => tracing::debug!(error = %e, "queue positions not refreshed"),
                    Err(_) => tracing::debug!("queue positions not refreshed in time"),
                }
            }
        }
    }
}

/// One round: looks up what new watchers watch, computes the positions of
/// the watched waiting submissions and dispatches those that changed.
async fn refresh(hub: &Hub, pool: &store::Pool, positions: &mut Positions) -> anyhow::Result<()> {
    let (submissions, users) = hub.watched();
    positions.settled.retain(|id| submissions.contains(id));
    positions.users_seen.retain(|user| users.contains(user));
    let unknown: Vec<&String> = submissions
        .iter()
        .filter(|id| !positions.settled.contains(*id) && !positions.queued.contains_key(*id))
        .collect();
    let new_users: Vec<&String> = users
        .iter()
        .filter(|u| !positions.users_seen.contains(*u))
        .collect();
    if positions.queued.is_empty() && unknown.is_empty() && new_users.is_empty() {
        return Ok(());
    }
    let mut conn = pool.get().await?;
    // Submissions queued before this gateway heard of them (it started
    // later, or missed events) are found by looking them up once.
    for id in unknown {
        match store::load_stored_state(&mut conn, id).await? {
            Some(state) => positions.learn(vec![state]),
            None => {
                positions.settled.insert(id.clone());
            }
        }
    }
    for user in new_users {
        let states = store::user_states(&mut conn, user, USER_LOOKBACK).await?;
        positions.learn(states);
        positions.users_seen.insert(user.clone());
    }
    let watched = positions.watched(&submissions, &users);
    if watched.is_empty() {
        return Ok(());
    }
    let pairs: Vec<(&str, &str)> = watched
        .iter()
        .map(|(user, id)| (user.as_str(), id.as_str()))
        .collect();
    let found = queue::positions(&mut conn, &pairs).await?;
    for ((_, id), position) in watched.iter().zip(found) {
        if !positions.changed(id, position) {
            continue;
        }
        let Some(mut state) = store::load_stored_state(&mut conn, id).await? else {
            continue;
        };
        if state.status != Status::Queued {
            continue;
        }
        state.queue_position = position;
        hub.dispatch(Update {
            submission_id: state.id.clone(),
            user_id: state.user_id.clone(),
            seq: state.seq,
            json: store::event_json(EventKind::Snapshot, &state).into(),
            refresh: position,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: &str, user: &str, status: &str) -> String {
        format!(
            r#"{{"kind":"queued","state":{{"id":"{id}","user_id":"{user}","status":"{status}"}}}}"#
        )
    }

    #[test]
    fn tracks_queued_submissions_until_they_move_on() {
        let mut p = Positions::default();
        p.observe(&event("s1", "ann", "queued"));
        p.observe(&event("s2", "bob", "queued"));
        p.observe(&event("s2", "bob", "compiling"));
        let subs = HashSet::from(["s1".to_string(), "s2".to_string()]);
        let watched = p.watched(&subs, &HashSet::new());
        assert_eq!(watched, vec![("ann".to_string(), "s1".to_string())]);
        assert!(p.settled.contains("s2"));
        // Watched through its user only.
        let users = HashSet::from(["ann".to_string()]);
        assert_eq!(p.watched(&HashSet::new(), &users).len(), 1);
        assert!(p.watched(&HashSet::new(), &HashSet::new()).is_empty());
    }

    #[test]
    fn a_position_is_dispatched_only_when_it_changes() {
        let mut p = Positions::default();
        p.observe(&event("s1", "ann", "queued"));
        assert!(p.changed("s1", Some(3)));
        assert!(!p.changed("s1", Some(3)));
        assert!(p.changed("s1", Some(2)));
        // Taken: no longer tracked, nothing to send.
        assert!(!p.changed("s1", None));
        assert!(p.queued.is_empty());
        // A rejudge queues it again.
        p.observe(&event("s1", "ann", "queued"));
        assert!(p.changed("s1", Some(0)));
    }
}
