//! The contests this gateway's viewers watch. Each contest with viewers has
//! one follower task: it catches a [`Replay`] up with the contest's log,
//! then waits for new entries with `XREAD BLOCK` on a Redis connection of
//! its own (no reply timeout, so the block is not cut short), applies them
//! (a verdict costs one team's row of the board) and sends each view what
//! changed through one broadcast channel per view. Each message is
//! serialized once and its bytes shared by every socket that gets it: the
//! public's `rows` message also goes to every team's view that is the
//! public view (no results of its own hidden by the freeze), found without
//! rendering that view. The follower stops when its last viewer leaves.
//!
//! A viewer joins under the same lock the follower applies entries under:
//! the board it gets first and the channel it then reads meet exactly, so
//! nothing is lost or sent twice in between. After a Redis outage the
//! follower reads on from its token: the log keeps what was appended.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use contest::api::{Clarification, ScoreboardRow, State};
use contest::replay::{LogEntry, Replay, SETTINGS_TYPE};
use contest::AbsTime;
use judge_store::contest::log;
use tokio::sync::{broadcast, watch};
use tokio_tungstenite::tungstenite::Utf8Bytes;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::contest_view::{self as view, Changes, Rendered, ViewKey};

/// Messages a viewer may fall behind by before it is sent the board again.
pub const VIEW_CHANNEL_CAPACITY: usize = 256;
/// The longest `XREAD BLOCK` wait; the clock's state changes (start,
/// freeze, end) are noticed at the latest this long after they happen.
const BLOCK_MS: u64 = 1000;
/// Entries read at once.
const BATCH: usize = 1000;
/// A board message is re-rendered at least this often (its `time`).
const BOARD_CACHE: Duration = Duration::from_secs(1);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// Every followed contest of one gateway.
pub(crate) struct ContestHub {
    redis_url: String,
    followers: Mutex<HashMap<String, Arc<Follower>>>,
    tracker: TaskTracker,
    shutdown: CancellationToken,
}

pub(crate) struct Follower {
    contest_id: String,
    /// Viewers holding a [`Viewer`]; changed under the hub's map lock.
    viewers: AtomicUsize,
    inner: Mutex<Inner>,
    /// True once the log has been read to its end the first time.
    ready: watch::Sender<bool>,
}

#[derive(Default)]
struct Inner {
    replay: Replay,
    views: HashMap<ViewKey, ViewChannel>,
    /// The public rows as last sent (while any view is open): what the
    /// public and every team view without rows of its own have.
    public: Option<Vec<ScoreboardRow>>,
    /// The state last sent (the clock's and the log's).
    state: State,
    /// Board entries applied since the rows were last sent.
    dirty: bool,
}

struct ViewChannel {
    tx: broadcast::Sender<Utf8Bytes>,
    /// The rows this view's sockets have (after the last message), when
    /// they are not the public rows (`Inner::public`): the admin's, and a
    /// team's whose own results the freeze hides from the others.
    rows: Option<Vec<ScoreboardRow>>,
    /// The board message, while fresh.
    board: Option<(Instant, Utf8Bytes)>,
}

/// A viewer's hold on a follower; the follower stops once none is left.
pub(crate) struct Viewer {
    follower: Arc<Follower>,
}

impl Drop for Viewer {
    fn drop(&mut self) {
        self.follower.viewers.fetch_sub(1, Ordering::SeqCst);
    }
}

/// What a viewer that joined starts with.
pub(crate) struct Joined {
    pub(crate) board: Utf8Bytes,
    pub(crate) rx: broadcast::Receiver<Utf8Bytes>,
}

impl ContestHub {
    pub(crate) fn new(
        redis_url: String,
        tracker: TaskTracker,
        shutdown: CancellationToken,
    ) -> Arc<ContestHub> {
        Arc::new(ContestHub {
            redis_url,
            followers: Mutex::new(HashMap::new()),
            tracker,
            shutdown,
        })
    }

    /// Holds the contest's follower, started if none runs.
    pub(crate) fn follow(self: &Arc<Self>, contest_id: &str) -> Viewer {
        let mut map = self.followers.lock().expect("followers lock");
        let follower = map
            .entry(contest_id.to_string())
            .or_insert_with(|| {
                let f = Arc::new(Follower {
                    contest_id: contest_id.to_string(),
                    viewers: AtomicUsize::new(0),
                    inner: Mutex::new(Inner {
                        replay: Replay::new(),
                        ..Inner::default()
                    }),
                    ready: watch::channel(false).0,
                });
                self.tracker.spawn(run(self.clone(), f.clone()));
                f
            })
            .clone();
        follower.viewers.fetch_add(1, Ordering::SeqCst);
        Viewer { follower }
    }

    /// Removes `f` if no viewer holds it; true if removed.
    fn retire(&self, f: &Arc<Follower>) -> bool {
        let mut map = self.followers.lock().expect("followers lock");
        if f.viewers.load(Ordering::SeqCst) != 0 {
            return false;
        }
        if map.get(&f.contest_id).is_some_and(|g| Arc::ptr_eq(f, g)) {
            map.remove(&f.contest_id);
        }
        true
    }
}

impl Viewer {
    /// Waits until the follower has read the log once; false on timeout.
    pub(crate) async fn ready(&self, within: Duration) -> bool {
        let mut rx = self.follower.ready.subscribe();
        let ready = tokio::time::timeout(within, rx.wait_for(|r| *r))
            .await
            .is_ok_and(|r| r.is_ok());
        ready
    }

    /// The board of `key`'s view now, and the channel of what follows it;
    /// `None` when the log holds no contest.
    pub(crate) fn join(&self, key: ViewKey) -> Option<Joined> {
        let mut inner = self.follower.inner.lock().expect("contest lock");
        let inner = &mut *inner;
        inner.replay.contest()?;
        let now = AbsTime::now();
        let fresh = !inner.views.contains_key(&key);
        let channel = inner
            .views
            .entry(key.clone())
            .or_insert_with(|| ViewChannel {
                tx: broadcast::channel(VIEW_CHANNEL_CAPACITY).0,
                rows: None,
                board: None,
            });
        let board = match &channel.board {
            Some((at, b)) if at.elapsed() < BOARD_CACHE => b.clone(),
            _ => {
                let rendered = Rendered::new(&mut inner.replay, now);
                let own = rendered.own_rows(&key);
                let rows = own.clone().unwrap_or_else(|| rendered.public().to_vec());
                let scoreboard = view::scoreboard_of(&inner.replay, rows, now);
                let b: Utf8Bytes =
                    view::board_message(inner.replay.token(), &scoreboard.state, &scoreboard)
                        .into();
                // The channel's rows stay those its sockets have: the next
                // change is found against them (a newer board only makes
                // this socket get a row it has again).
                if fresh {
                    channel.rows = own;
                    if channel.rows.is_none() && inner.public.is_none() {
                        inner.public = Some(rendered.public().to_vec());
                    }
                }
                channel.board = Some((Instant::now(), b.clone()));
                b
            }
        };
        Some(Joined {
            board,
            rx: channel.tx.subscribe(),
        })
    }
}

impl Inner {
    /// Applies entries in log order, sending each view what it may see.
    fn apply(&mut self, entries: &[LogEntry], now: AbsTime) {
        self.views.retain(|_, v| v.tx.receiver_count() > 0);
        if self.views.is_empty() {
            // No one has the public rows: the next view starts them again.
            self.public = None;
        }
        let mut configured = false;
        for e in entries {
            match e.kind.as_str() {
                "submissions" | "judgements" => {
                    self.replay.apply(e);
                    self.dirty = true;
                }
                "state" => {
                    self.flush_rows(now);
                    self.replay.apply(e);
                    self.check_state(now);
                    self.dirty = true;
                }
                "clarifications" => {
                    self.flush_rows(now);
                    self.replay.apply(e);
                    let clar = e
                        .data
                        .clone()
                        .and_then(|d| serde_json::from_value::<Clarification>(d).ok());
                    if let Some(c) = clar {
                        let msg: Utf8Bytes = view::clarification_message(&c).into();
                        for (key, v) in &self.views {
                            if view::may_read(&c, key) {
                                let _ = v.tx.send(msg.clone());
                            }
                        }
                    }
                }
                "contest" | "problems" | "teams" | "judgement-types" | SETTINGS_TYPE => {
                    self.replay.apply(e);
                    configured = true;
                }
                _ => self.replay.apply(e),
            }
        }
        if configured {
            // Teams or problems may have come or gone: every view starts over.
            self.check_state(now);
            self.send_boards(now);
            self.dirty = false;
        }
        self.check_state(now);
        self.flush_rows(now);
    }

    /// Sends a `state` message when the state (by the clock or the log)
    /// differs from the last one sent.
    fn check_state(&mut self, now: AbsTime) {
        if self.replay.contest().is_none() {
            return;
        }
        let state = self.replay.state_at(now);
        if state == self.state {
            return;
        }
        // Started or frozen by the clock: the rows may change too.
        self.dirty = true;
        let msg: Utf8Bytes = view::state_message(self.replay.token(), &state).into();
        self.state = state;
        for v in self.views.values() {
            let _ = v.tx.send(msg.clone());
            // A joiner must not get a board older than this state.
        }
        for v in self.views.values_mut() {
            v.board = None;
        }
    }

    /// Sends every view its board: rendered once, serialized once for the
    /// public and the team views that are the public's.
    fn send_boards(&mut self, now: AbsTime) {
        let rendered = Rendered::new(&mut self.replay, now);
        let token = self.replay.token();
        let mut public_msg: Option<Utf8Bytes> = None;
        for (key, v) in self.views.iter_mut() {
            let own = rendered.own_rows(key);
            let msg = match &own {
                None => public_msg
                    .get_or_insert_with(|| {
                        let scoreboard =
                            view::scoreboard_of(&self.replay, rendered.public().to_vec(), now);
                        view::board_message(token, &scoreboard.state, &scoreboard).into()
                    })
                    .clone(),
                Some(rows) => {
                    let scoreboard = view::scoreboard_of(&self.replay, rows.clone(), now);
                    view::board_message(token, &scoreboard.state, &scoreboard).into()
                }
            };
            let _ = v.tx.send(msg.clone());
            v.rows = own;
            v.board = Some((Instant::now(), msg));
        }
        self.public = Some(rendered.public().to_vec());
    }

    /// Sends each view what changed in its rows since the last message.
    fn flush_rows(&mut self, now: AbsTime) {
        if !self.dirty || self.views.is_empty() {
            return;
        }
        self.dirty = false;
        let rendered = Rendered::new(&mut self.replay, now);
        let token = self.replay.token();
        let contest_time = view::contest_time(&self.replay, now);
        let message = |changes: &Changes| -> Option<Utf8Bytes> {
            (!changes.is_empty()).then(|| view::rows_message(token, contest_time, changes).into())
        };
        let old_public = self.public.take().unwrap_or_default();
        // The public's message, serialized once for the public and every
        // team view that was and still is the public view.
        let public_msg = message(&view::changed(&old_public, rendered.public()));
        for (key, v) in self.views.iter_mut() {
            let own = rendered.own_rows(key);
            let msg = match (&v.rows, &own) {
                (None, None) => public_msg.clone(),
                (old, new) => {
                    let old = old.as_deref().unwrap_or(&old_public);
                    let new = new.as_deref().unwrap_or(rendered.public());
                    message(&view::changed(old, new))
                }
            };
            v.rows = own;
            v.board = None;
            if let Some(m) = msg {
                let _ = v.tx.send(m);
            }
        }
        self.public = Some(rendered.public().to_vec());
    }
}

/// The contest's follower: the first catch-up, then `XREAD BLOCK` rounds,
/// until no viewer is left or the gateway stops.
async fn run(hub: Arc<ContestHub>, f: Arc<Follower>) {
    let id = f.contest_id.clone();
    let mut conn: Option<redis::aio::MultiplexedConnection> = None;
    let mut delay = Duration::from_millis(100);
    loop {
        if hub.shutdown.is_cancelled() {
            break;
        }
        let ready = *f.ready.borrow();
        if ready && f.viewers.load(Ordering::SeqCst) == 0 && hub.retire(&f) {
            tracing::debug!(contest = %id, "no viewer left; contest no longer followed");
            return;
        }
        let c = match &mut conn {
            Some(c) => c,
            None => {
                let connect = tokio::time::timeout(
                    Duration::from_secs(5),
                    judge_store::connect::dedicated(&hub.redis_url),
                );
                match connect.await {
                    Ok(Ok(c)) => conn.insert(c),
                    Ok(Err(e)) => {
                        tracing::warn!(contest = %id, error = %e, "cannot connect to redis");
                        if !backoff(&hub, &mut delay).await {
                            break;
                        }
                        continue;
                    }
                    Err(_) => {
                        tracing::warn!(contest = %id, "redis connect timed out");
                        if !backoff(&hub, &mut delay).await {
                            break;
                        }
                        continue;
                    }
                }
            }
        };
        let token = f
            .inner
            .lock()
            .expect("contest lock")
            .replay
            .token()
            .to_string();
        let read = async {
            if ready {
                log::read_blocking(c, &id, &token, BATCH, BLOCK_MS).await
            } else {
                log::read_all_after(c, &id, &token).await
            }
        };
        let limit = Duration::from_millis(BLOCK_MS) + Duration::from_secs(10);
        let result = tokio::select! {
            _ = hub.shutdown.cancelled() => break,
            r = tokio::time::timeout(limit, read) => r,
        };
        match result {
            Ok(Ok(entries)) => {
                delay = Duration::from_millis(100);
                let mut inner = f.inner.lock().expect("contest lock");
                inner.apply(&entries, AbsTime::now());
                drop(inner);
                if !ready {
                    f.ready.send_replace(true);
                }
            }
            Ok(Err(e)) => {
                tracing::warn!(contest = %id, error = %e, "reading the contest log failed");
                conn = None;
                if !backoff(&hub, &mut delay).await {
                    break;
                }
            }
            Err(_) => {
                tracing::warn!(contest = %id, "redis did not answer; reconnecting");
                conn = None;
            }
        }
    }
    // Shutdown: sockets close themselves; forget the follower.
    hub.followers
        .lock()
        .expect("followers lock")
        .retain(|_, g| !Arc::ptr_eq(g, &f));
}

/// Sleeps `delay` (doubled for next time); false if the gateway stops.
async fn backoff(hub: &ContestHub, delay: &mut Duration) -> bool {
    let d = *delay;
    *delay = (d * 2).min(MAX_BACKOFF);
    tokio::select! {
        _ = hub.shutdown.cancelled() => false,
        _ = tokio::time::sleep(d) => true,
    }
}
