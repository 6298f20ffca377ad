//! In-process fan-out of the one Redis pub/sub subscription.
//!
//! A socket that watches a submission (or a user) holds a [`Watch`]: a
//! broadcast receiver from a map entry created on demand and removed when
//! the last receiver leaves. Events are only ever sent to the entry of their
//! own submission id and of their own user id.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Utf8Bytes;

/// Capacity of each per-submission / per-user channel. A receiver that falls
/// further behind gets `Lagged` and reloads the stored state.
pub const CHANNEL_CAPACITY: usize = 64;
/// Capacity of the channel of every update ([`Hub::all_updates`]).
pub const ALL_CAPACITY: usize = 1024;

/// One published event, as received from Redis.
#[derive(Clone, Debug)]
pub struct Update {
    pub submission_id: String,
    pub user_id: String,
    pub seq: u64,
    /// The event JSON exactly as published.
    pub json: Utf8Bytes,
    /// `Some(position)`: a re-send of the stored state with a new queue
    /// position (from [`crate::position`]), with the `seq` a socket may have
    /// sent already: forwarded if that socket's last position differs.
    pub refresh: Option<u64>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    Submission,
    User,
}

type Channels = Mutex<HashMap<(Topic, String), broadcast::Sender<Update>>>;

pub struct Hub {
    channels: Channels,
    /// Bumped every time the pub/sub connection is (re)established; sockets
    /// then compare their last sent seq with the stored state.
    generation: watch::Sender<u64>,
    /// Every update published, for in-process followers of all of them
    /// (the queue positions); sent to only while one listens.
    all: broadcast::Sender<Update>,
}

impl Default for Hub {
    fn default() -> Self {
        Hub {
            channels: Mutex::new(HashMap::new()),
            generation: watch::channel(0).0,
            all: broadcast::channel(ALL_CAPACITY).0,
        }
    }
}

impl Hub {
    pub fn new() -> Arc<Hub> {
        Arc::new(Hub::default())
    }

    /// Registers interest in `key` (a submission id or a user id).
    pub fn watch(self: &Arc<Self>, topic: Topic, key: &str) -> Watch {
        let mut channels = self.channels.lock().unwrap();
        let rx = channels
            .entry((topic, key.to_string()))
            .or_insert_with(|| broadcast::channel(CHANNEL_CAPACITY).0)
            .subscribe();
        Watch {
            hub: self.clone(),
            topic,
            key: key.to_string(),
            rx: Some(rx),
        }
    }

    /// Sends `update` to the sockets watching its submission and its user.
    pub fn dispatch(&self, update: Update) {
        if self.all.receiver_count() > 0 && update.refresh.is_none() {
            let _ = self.all.send(update.clone());
        }
        let channels = self.channels.lock().unwrap();
        if let Some(tx) = channels.get(&(Topic::User, update.user_id.clone())) {
            let _ = tx.send(update.clone());
        }
        if let Some(tx) = channels.get(&(Topic::Submission, update.submission_id.clone())) {
            let _ = tx.send(update);
        }
    }

    /// Every update published from now on (refreshes excepted).
    pub fn all_updates(&self) -> broadcast::Receiver<Update> {
        self.all.subscribe()
    }

    /// The submission ids and the user ids some socket watches now.
    pub fn watched(&self) -> (HashSet<String>, HashSet<String>) {
        let channels = self.channels.lock().unwrap();
        let mut submissions = HashSet::new();
        let mut users = HashSet::new();
        for (topic, key) in channels.keys() {
            match topic {
                Topic::Submission => submissions.insert(key.clone()),
                Topic::User => users.insert(key.clone()),
            };
        }
        (submissions, users)
    }

    /// Number of live channel entries (for tests and metrics).
    pub fn channel_count(&self) -> usize {
        self.channels.lock().unwrap().len()
    }

    pub fn resubscribed(&self) {
        self.generation.send_modify(|g| *g += 1);
    }

    pub fn generations(&self) -> watch::Receiver<u64> {
        self.generation.subscribe()
    }
}

/// A socket's registration; dropping it unregisters.
pub struct Watch {
    hub: Arc<Hub>,
    topic: Topic,
    key: String,
    rx: Option<broadcast::Receiver<Update>>,
}

impl Watch {
    pub fn rx(&mut self) -> &mut broadcast::Receiver<Update> {
        self.rx.as_mut().expect("receiver present until drop")
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let mut channels = self.hub.channels.lock().unwrap();
        // Drop the receiver under the lock so no one subscribes in between.
        drop(self.rx.take());
        let k = (self.topic, std::mem::take(&mut self.key));
        if channels.get(&k).is_some_and(|tx| tx.receiver_count() == 0) {
            channels.remove(&k);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(id: &str, user: &str, seq: u64) -> Update {
        Update {
            submission_id: id.into(),
            user_id: user.into(),
            seq,
            json: format!("{id}:{seq}").into(),
            refresh: None,
        }
    }

    #[test]
    fn routes_only_to_watchers_and_cleans_up() {
        let hub = Hub::new();
        let mut a = hub.watch(Topic::Submission, "a");
        let mut b = hub.watch(Topic::Submission, "b");
        let mut u = hub.watch(Topic::User, "alice");
        hub.dispatch(update("a", "alice", 1));
        hub.dispatch(update("b", "bob", 1));
        assert_eq!(a.rx().try_recv().unwrap().submission_id, "a");
        assert!(a.rx().try_recv().is_err());
        assert_eq!(b.rx().try_recv().unwrap().submission_id, "b");
        assert_eq!(u.rx().try_recv().unwrap().submission_id, "a");
        assert!(u.rx().try_recv().is_err());
        let (submissions, users) = hub.watched();
        assert_eq!(submissions.len(), 2);
        assert!(users.contains("alice") && users.len() == 1);
        let a2 = hub.watch(Topic::Submission, "a");
        drop(a);
        assert_eq!(hub.channel_count(), 3);
        drop(a2);
        drop(b);
        drop(u);
        assert_eq!(hub.channel_count(), 0);
    }
}
