//! The judge's WebSocket gateway.
//!
//! One Redis pub/sub connection per process (`PSUBSCRIBE judge:events:*`),
//! fanned out in-process to the sockets that asked for a submission
//! (`/ws/submissions/{id}`) or a user (`/ws/users/{user_id}`). Each socket
//! first gets the stored state (pub/sub is at-most-once), then live events
//! newer than what it has. After a Redis blip, a lagging receiver or a
//! reconnect, the stored state is re-sent if it is newer.
//!
//! Access: with `JUDGE_AUTH=required` (the default) the handshake must carry
//! a token (`?token=<t>` or `Authorization: Bearer <t>`), checked against the
//! same `judge:token:<sha256>` entries as the API, or a browser's session
//! cookie (`judge_session`, as the API sets it at sign-in; `SameSite=Strict`
//! keeps other sites' pages from sending it). Without either the handshake
//! is refused with HTTP 401; an unknown token or ended session, or a
//! submission / user that is not the caller's own (and the caller is not an
//! admin), gets close code 1008 (policy violation) after an `{"error": ...}`
//! text frame. `JUDGE_AUTH=open` (INSECURE, local development and tests)
//! skips the checks for connections without credentials. The rules are
//! [`judge_store::auth`]'s, shared with the API.

pub mod hub;
pub mod position;

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use clap::Parser;
use futures_util::{SinkExt, StreamExt};
use judge_store::auth::{self, Caller};
use judge_store::{accounts, keys, store};
use serde::Deserialize;
use submission::{EventKind, SubmissionState};
use tokio::net::TcpStream;
use tokio::sync::broadcast::error::RecvError;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::WebSocketStream;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

pub use hub::{Hub, Topic, Update};
pub use judge_store::auth::AuthMode;

/// How many of a user's latest submissions a user stream starts with.
pub const USER_SNAPSHOT_LIMIT: isize = 20;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);
const SEND_TIMEOUT: Duration = Duration::from_secs(10);
const STORE_TIMEOUT: Duration = Duration::from_secs(3);
const PUBSUB_PING_INTERVAL: Duration = Duration::from_secs(15);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

#[derive(Parser, Clone, Debug)]
#[command(
    name = "judge-gateway",
    about = "WebSocket gateway of the online judge"
)]
pub struct Config {
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    #[arg(long, env = "JUDGE_GATEWAY_ADDR", default_value = "127.0.0.1:8081")]
    pub addr: String,
    /// Seconds between pings to each client; a client silent for three intervals is dropped.
    #[arg(long, env = "JUDGE_GATEWAY_PING_SECS", default_value_t = 20)]
    pub ping_secs: u64,
    /// `required`: a token is needed to watch anything. `open`: INSECURE, for
    /// local development and tests — connections without a token may watch anything.
    #[arg(long, env = "JUDGE_AUTH", value_enum, default_value_t = AuthMode::Required)]
    pub auth: AuthMode,
}

/// What a handshake presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// A bearer token (the CLI, scripts).
    Token(String),
    /// A browser's session id (its cookie).
    Session(String),
}

/// The credentials of a handshake: `?token=` in the query, else
/// `Authorization: Bearer`, else the session cookie.
pub fn handshake_credentials(req: &Request) -> Option<Credentials> {
    let token = req
        .uri()
        .query()
        .and_then(auth::token_from_query)
        .or_else(|| {
            req.headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(auth::bearer_from_header)
        });
    if let Some(token) = token {
        return Some(Credentials::Token(token));
    }
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| auth::cookie_value(v, auth::SESSION_COOKIE))
        .map(Credentials::Session)
}

struct Ctx {
    hub: Arc<Hub>,
    pool: judge_store::store::Pool,
    shutdown: CancellationToken,
    ping_interval: Duration,
    auth: AuthMode,
}

pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let pool = store::pool(&config.redis_url, 16).map_err(anyhow::Error::msg)?;
    let hub = Hub::new();
    let tracker = TaskTracker::new();

    // Wait (briefly) for the first subscription so that events published
    // right after a client's snapshot are not lost; if Redis is down, the
    // subscriber keeps retrying and sockets resync once it is up.
    let mut generations = hub.generations();
    tracker.spawn(pubsub_loop(
        config.redis_url.clone(),
        hub.clone(),
        shutdown.clone(),
    ));
    if tokio::time::timeout(Duration::from_secs(3), generations.changed())
        .await
        .is_err()
    {
        tracing::warn!("redis pub/sub not subscribed yet; accepting connections anyway");
    }

    tracker.spawn(position::run(hub.clone(), pool.clone(), shutdown.clone()));
    let ctx = Arc::new(Ctx {
        hub,
        pool,
        shutdown: shutdown.clone(),
        ping_interval: Duration::from_secs(config.ping_secs.max(1)),
        auth: config.auth,
    });
    tracing::info!(addr = %listener.local_addr()?, "gateway listening");
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let ctx = ctx.clone();
                    tracker.spawn(async move {
                        handle_connection(stream, ctx).await;
                        tracing::debug!(%peer, "connection closed");
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
    drop(listener);
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(10), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not close within 10 s");
    }
    tracing::info!("gateway stopped");
    Ok(())
}

// ---- the one pub/sub connection ----

/// The fields of a published event the gateway routes by.
#[derive(Deserialize)]
struct RoutingEvent {
    state: RoutingState,
}
#[derive(Deserialize)]
struct RoutingState {
    id: String,
    user_id: String,
    seq: u64,
}

async fn pubsub_loop(url: String, hub: Arc<Hub>, shutdown: CancellationToken) {
    if let Err(e) = judge_store::connect::Target::parse(&url) {
        tracing::error!(error = %e, "invalid REDIS_URL; no live events");
        return;
    }
    let mut delay = Duration::from_millis(100);
    loop {
        let connect = async {
            // Resolved at every reconnection: behind Sentinel, the primary
            // the lost connection went to may have been replaced.
            let client = judge_store::connect::client(&url).await?;
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(keys::EVENTS_PATTERN).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let result = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = tokio::time::timeout(Duration::from_secs(5), connect) => r,
        };
        match result {
            Ok(Ok(pubsub)) => {
                tracing::info!(pattern = keys::EVENTS_PATTERN, "subscribed to events");
                delay = Duration::from_millis(100);
                hub.resubscribed();
                let (mut sink, mut stream) = pubsub.split();
                let mut ping = tokio::time::interval(PUBSUB_PING_INTERVAL);
                ping.tick().await;
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        msg = stream.next() => match msg {
                            Some(msg) => dispatch(&hub, msg),
                            None => {
                                tracing::warn!("redis pub/sub connection lost; reconnecting");
                                break;
                            }
                        },
                        _ = ping.tick() => {
                            let pong = tokio::time::timeout(Duration::from_secs(5), sink.ping::<String>()).await;
                            if !matches!(pong, Ok(Ok(_))) {
                                tracing::warn!("redis pub/sub connection stopped answering; reconnecting");
                                break;
                            }
                        }
                    }
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, ?delay, "redis pub/sub connect failed"),
            Err(_) => tracing::warn!(?delay, "redis pub/sub connect timed out"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(MAX_BACKOFF);
    }
}

fn dispatch(hub: &Hub, msg: redis::Msg) {
    let payload: String = match msg.get_payload() {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, channel = msg.get_channel_name(), "non-text event payload");
            return;
        }
    };
    let routing: RoutingEvent = match serde_json::from_str(&payload) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, channel = msg.get_channel_name(), "unparsable event");
            return;
        }
    };
    if msg.get_channel_name() != keys::events(&routing.state.id) {
        tracing::warn!(channel = msg.get_channel_name(), id = %routing.state.id,
            "event published on another submission's channel; dropped");
        return;
    }
    hub.dispatch(Update {
        submission_id: routing.state.id,
        user_id: routing.state.user_id,
        seq: routing.state.seq,
        json: payload.into(),
        refresh: None,
    });
}

// ---- sockets ----

/// What a socket asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Submission(String),
    User(String),
}

/// Parses a request path; `None` means 404.
pub fn parse_route(path: &str) -> Option<Route> {
    let path = path.strip_suffix('/').unwrap_or(path);
    if let Some(id) = path.strip_prefix("/ws/submissions/") {
        return auth::is_plausible_submission_id(id).then(|| Route::Submission(id.to_string()));
    }
    if let Some(user) = path.strip_prefix("/ws/users/") {
        return auth::is_valid_user_id(user).then(|| Route::User(user.to_string()));
    }
    None
}

type Ws = WebSocketStream<TcpStream>;

async fn handle_connection(stream: TcpStream, ctx: Arc<Ctx>) {
    let mut route = None;
    let mut credentials = None;
    let mode = ctx.auth;
    // The error type is fixed by tungstenite's Callback trait.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        match parse_route(req.uri().path()) {
            Some(r) => {
                credentials = handshake_credentials(req);
                if credentials.is_none() && mode == AuthMode::Required {
                    let mut err = ErrorResponse::new(Some(
                        "unauthorized: sign in, or pass a token as ?token= or Authorization: Bearer\n"
                            .to_string(),
                    ));
                    *err.status_mut() = StatusCode::UNAUTHORIZED;
                    err.headers_mut().insert(
                        "www-authenticate",
                        "Bearer realm=\"judge\"".parse().expect("valid header"),
                    );
                    return Err(err);
                }
                route = Some(r);
                Ok(resp)
            }
            None => {
                let mut err = ErrorResponse::new(Some(
                    "not found: use /ws/submissions/{id} or /ws/users/{user_id}\n".to_string(),
                ));
                *err.status_mut() = StatusCode::NOT_FOUND;
                Err(err)
            }
        }
    };
    let ws = match tokio::time::timeout(
        HANDSHAKE_TIMEOUT,
        tokio_tungstenite::accept_hdr_async_with_config(stream, callback, Some(socket_config())),
    )
    .await
    {
        Ok(Ok(ws)) => ws,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "handshake failed");
            return;
        }
        Err(_) => {
            tracing::debug!("handshake timed out");
            return;
        }
    };
    let Some(route) = route else { return };
    tracing::debug!(?route, "socket opened");
    Session::new(ws, route, ctx).run(credentials).await;
}

struct Session {
    ws: Ws,
    route: Route,
    ctx: Arc<Ctx>,
    /// Highest seq sent per submission id.
    sent: HashMap<String, u64>,
    /// Queue position last sent per waiting submission id (see [`position`]).
    positions: HashMap<String, u64>,
}

enum Flow {
    Continue,
    Stop,
}

impl Session {
    fn new(ws: Ws, route: Route, ctx: Arc<Ctx>) -> Self {
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
        let looked_up = async {
            let mut conn = tokio::time::timeout(STORE_TIMEOUT, self.ctx.pool.get())
                .await
                .map_err(|_| anyhow::anyhow!("timed out waiting for a redis connection"))??;
            let lookup = async {
                Ok::<_, redis::RedisError>(match &credentials {
                    Credentials::Token(token) => store::lookup_token(&mut conn, token)
                        .await?
                        .map(Caller::Token),
                    Credentials::Session(id) => accounts::lookup_session(&mut conn, id)
                        .await?
                        .map(|s| Caller::Session(s.info)),
                })
            };
            Ok::<_, anyhow::Error>(
                tokio::time::timeout(STORE_TIMEOUT, lookup)
                    .await
                    .map_err(|_| anyhow::anyhow!("redis did not answer in time"))??,
            )
        }
        .await;
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

    async fn run(mut self, credentials: Option<Credentials>) {
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

/// Clients only send pings and a close: a small read buffer and message cap
/// keep a connection at a few KiB instead of tungstenite's default 128 KiB
/// read buffer, which is what decides how many sockets one gateway holds.
fn socket_config() -> tokio_tungstenite::tungstenite::protocol::WebSocketConfig {
    tokio_tungstenite::tungstenite::protocol::WebSocketConfig::default()
        .read_buffer_size(4 << 10)
        .max_message_size(Some(64 << 10))
        .max_frame_size(Some(64 << 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            parse_route("/ws/submissions/0192-ab"),
            Some(Route::Submission("0192-ab".into()))
        );
        assert_eq!(
            parse_route("/ws/users/al.ice_1"),
            Some(Route::User("al.ice_1".into()))
        );
        assert_eq!(parse_route("/ws/submissions/"), None);
        assert_eq!(parse_route("/ws/submissions/a/b"), None);
        assert_eq!(parse_route("/ws/other/x"), None);
        assert_eq!(parse_route("/"), None);
    }
}
