//! An open socket: authenticates its caller, sends the stored state it may
//! see, then forwards newer live events (and queue positions), resyncing
//! after missed events, pinging the client, closing on shutdown.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use judge_store::auth::Caller;
use judge_store::store;
use submission::{EventKind, SubmissionState};
use tokio::net::TcpStream;
use tokio::sync::broadcast::error::RecvError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;

use crate::auth::{self, Credentials};
use crate::context::{Ctx, STORE_TIMEOUT};
use crate::hub::{Topic, Update};
use crate::route::Route;

/// How many of a user's latest submissions a user stream starts with.
pub const USER_SNAPSHOT_LIMIT: isize = 20;
const SEND_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) type Ws = WebSocketStream<TcpStream>;

pub(crate) struct Session {
    ws: Ws,
    route: Route,
    ctx: Arc<Ctx>,
    /// Highest seq sent per submission id.
    sent: HashMap<String, u64>,
    /// Queue position last sent per waiting submission id (see [`crate::position`]).
    positions: HashMap<String, u64>,
}

enum Flow {
    Continue,
    Stop,
}

impl Session {
    pub(crate) fn new(ws: Ws, route: Route, ctx: Arc<Ctx>) -> Self {
        Session {
            ws,
            route,
            ctx,
            sent: HashMap::new(),
            positions: HashMap::new(),
        }
    }

    /// Who is watching: anonymous only in open mode without credentials.
    /// Closes the socket (1008) on an unknown token or an ended session.
    async fn authenticate(&mut self, credentials: Option<Credentials>) -> Result<Caller, ()> {
        let Some(credentials) = credentials else {
            return Ok(Caller::Anonymous);
        };
        let looked_up = auth::lookup(&self.ctx.pool, &credentials).await;
        match looked_up {
            Ok(Some(caller)) => Ok(caller),
            Ok(None) => {
                let why = match credentials {
                    Credentials::Token(_) => "invalid token",
                    Credentials::Session(_) => "session ended",
                };
                let _ = self.send_text(format!(r#"{{"error":"{why}"}}"#)).await;
                self.close(CloseCode::Policy, why).await;
                Err(())
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a token");
                let _ = self
                    .send_text(r#"{"error":"store unavailable"}"#.into())
                    .await;
                self.close(CloseCode::Error, "store unavailable").await;
                Err(())
            }
        }
    }

    async fn forbid(&mut self) {
        let _ = self.send_text(r#"{"error":"forbidden"}"#.into()).await;
        self.close(CloseCode::Policy, "forbidden").await;
    }

    pub(crate) async fn run(mut self, credentials: Option<Credentials>) {
        let Ok(caller) = self.authenticate(credentials).await else {
            return;
        };
        let may = |owner: &str| caller.may_access(owner);
        if let Route::User(user) = &self.route {
            if !may(user) {
                self.forbid().await;
                return;
            }
        }
        let (topic, key) = match &self.route {
            Route::Submission(id) => (Topic::Submission, id.clone()),
            Route::User(user) => (Topic::User, user.clone()),
            // Served by `contest_session`.
            Route::Contest(_) => return,
        };
        // Register for live events first, then read the stored state: an
        // event published in between is then either in the snapshot or queued.
        let mut watch = self.ctx.hub.watch(topic, &key);
        let mut generations = self.ctx.hub.generations();
        generations.borrow_and_update();

        match self.load().await {
            Ok(states) => {
                if states.is_empty() && topic == Topic::Submission {
                    let _ = self
                        .send_text(r#"{"error":"unknown submission"}"#.into())
                        .await;
                    self.close(CloseCode::Policy, "unknown submission").await;
                    return;
                }
                if topic == Topic::Submission && !states.iter().all(|s| may(&s.user_id)) {
                    self.forbid().await;
                    return;
                }
                if let Flow::Stop = self.send_newer(states).await {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot load stored state");
                let _ = self
                    .send_text(r#"{"error":"store unavailable"}"#.into())
                    .await;
                self.close(CloseCode::Error, "store unavailable").await;
                return;
            }
        }

        let mut ping = tokio::time::interval(self.ctx.ping_interval);
        ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        ping.tick().await;
        let mut last_heard = Instant::now();
        let shutdown = self.ctx.shutdown.clone();
        loop {
            let flow = tokio::select! {
                biased;
                _ = shutdown.cancelled() => {
                    self.close(CloseCode::Away, "server shutting down").await;
                    return;
                }
                incoming = self.ws.next() => match incoming {
                    None | Some(Err(_)) => Flow::Stop,
                    // tungstenite answers pings and close frames itself.
                    Some(Ok(_)) => { last_heard = Instant::now(); Flow::Continue }
                },
                update = watch.rx().recv() => match update {
                    Ok(update) => self.forward(update).await,
                    Err(RecvError::Lagged(missed)) => {
                        tracing::debug!(missed, "socket lagged; resending stored state");
                        self.resync().await
                    }
                    Err(RecvError::Closed) => Flow::Stop,
                },
                changed = generations.changed() => match changed {
                    Ok(()) => self.resync().await,
                    Err(_) => Flow::Stop,
                },
                _ = ping.tick() => {
                    if last_heard.elapsed() > self.ctx.ping_interval * 3 {
                        tracing::debug!("client stopped answering pings");
                        self.close(CloseCode::Away, "ping timeout").await;
                        Flow::Stop
                    } else {
                        self.send(Message::Ping(Default::default())).await
                    }
                }
            };
            if let Flow::Stop = flow {
                return;
            }
        }
    }

    /// The stored states this socket covers.
    async fn load(&self) -> anyhow::Result<Vec<SubmissionState>> {
        let mut conn = tokio::time::timeout(STORE_TIMEOUT, self.ctx.pool.get())
            .await
            .map_err(|_| anyhow::anyhow!("timed out waiting for a redis connection"))??;
        let load = async {
            match &self.route {
                Route::Submission(id) => Ok(store::load_state(&mut conn, id)
                    .await?
                    .into_iter()
                    .collect()),
                Route::User(user) => store::user_states(&mut conn, user, USER_SNAPSHOT_LIMIT).await,
                Route::Contest(_) => Ok(Vec::new()),
            }
        };
        Ok(tokio::time::timeout(STORE_TIMEOUT, load)
            .await
            .map_err(|_| anyhow::anyhow!("redis did not answer in time"))??)
    }

    fn is_newer(&self, id: &str, seq: u64) -> bool {
        self.sent.get(id).is_none_or(|&sent| seq > sent)
    }

    /// Sends each state newer than what this socket has, as a Snapshot.
    async fn send_newer(&mut self, states: Vec<SubmissionState>) -> Flow {
        for state in states {
            if !self.is_newer(&state.id, state.seq) {
                continue;
            }
            let json = store::event_json(EventKind::Snapshot, &state);
            self.sent.insert(state.id.clone(), state.seq);
            self.note_position(&state.id, state.queue_position);
            if let Flow::Stop = self.send_text(json).await {
                return Flow::Stop;
            }
        }
        Flow::Continue
    }

    async fn resync(&mut self) -> Flow {
        match self.load().await {
            Ok(states) => self.send_newer(states).await,
            Err(e) => {
                // The next reconnect or event brings it; keep the socket.
                tracing::warn!(error = %e, "resync failed");
                Flow::Continue
            }
        }
    }

    async fn forward(&mut self, update: Update) -> Flow {
        let wanted = match &self.route {
            Route::Submission(id) => &update.submission_id == id,
            Route::User(user) => &update.user_id == user,
            Route::Contest(_) => false,
        };
        // A queue-position refresh re-sends the seq this socket has.
        let id = &update.submission_id;
        let moved = update.refresh.is_some_and(|p| {
            self.sent.get(id) == Some(&update.seq) && self.positions.get(id) != Some(&p)
        });
        if !wanted || !(moved || self.is_newer(id, update.seq)) {
            return Flow::Continue;
        }
        self.note_position(id, update.refresh);
        self.sent.insert(update.submission_id, update.seq);
        self.send(Message::Text(update.json)).await
    }

    fn note_position(&mut self, id: &str, position: Option<u64>) {
        match position {
            Some(p) => self.positions.insert(id.to_string(), p),
            None => self.positions.remove(id),
        };
    }

    async fn send_text(&mut self, text: String) -> Flow {
        self.send(Message::Text(text.into())).await
    }

    async fn send(&mut self, msg: Message) -> Flow {
        match tokio::time::timeout(SEND_TIMEOUT, self.ws.send(msg)).await {
            Ok(Ok(())) => Flow::Continue,
            Ok(Err(e)) => {
                tracing::debug!(error = %e, "send failed");
                Flow::Stop
            }
            Err(_) => {
                tracing::debug!("send timed out; dropping slow client");
                Flow::Stop
            }
        }
    }

    async fn close(&mut self, code: CloseCode, reason: &str) {
        let frame = CloseFrame {
            code,
            reason: reason.into(),
        };
        let _ = tokio::time::timeout(Duration::from_secs(2), self.ws.close(Some(frame))).await;
        // Give the peer a moment to answer the close frame.
        let _ = tokio::time::timeout(Duration::from_secs(1), async {
            while let Some(Ok(_)) = self.ws.next().await {}
        })
        .await;
    }
}
