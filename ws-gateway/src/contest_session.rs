//! A socket on `/ws/contests/{id}`: the caller's view (admin, the team it
//! is on, or public), the board first, then what changes, pinging the
//! client and closing with 1001 on shutdown. A viewer that falls behind
//! its channel gets the board again.

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use judge_store::auth::Caller;
use judge_store::contest::registry;
use tokio::sync::broadcast::error::RecvError;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::protocol::frame::coding::{Data, OpCode};
use tokio_tungstenite::tungstenite::protocol::frame::Frame;
use tokio_tungstenite::tungstenite::protocol::CloseFrame;
use tokio_tungstenite::tungstenite::{Bytes, Message, Utf8Bytes};

use crate::auth::{self, Credentials};
use crate::contest_view::ViewKey;
use crate::context::{Ctx, STORE_TIMEOUT};
use crate::session::Ws;

const SEND_TIMEOUT: Duration = Duration::from_secs(10);
/// A message longer than this (a board of many teams is about 1 KiB per
/// team) goes out as a fragmented message of frames this long: tungstenite
/// formats a frame into a write buffer whose capacity stays with the
/// socket, so one whole board per socket would stay allocated per socket.
const FRAGMENT: usize = 16 << 10;
/// How long a first viewer waits for its contest's log to be read.
const READY_TIMEOUT: Duration = Duration::from_secs(15);

pub(crate) async fn run(
    mut ws: Ws,
    contest_id: String,
    ctx: Arc<Ctx>,
    credentials: Option<Credentials>,
) {
    let key = match view_of(&ctx, &contest_id, credentials).await {
        Ok(Some(key)) => key,
        Ok(None) => {
            let _ = send(&mut ws, r#"{"error":"unknown contest"}"#.into()).await;
            close(&mut ws, CloseCode::Policy, "unknown contest").await;
            return;
        }
        Err((code, why)) => {
            let _ = send(&mut ws, format!(r#"{{"error":"{why}"}}"#).into()).await;
            close(&mut ws, code, why).await;
            return;
        }
    };
    let viewer = ctx.contests.follow(&contest_id);
    if !viewer.ready(READY_TIMEOUT).await {
        let _ = send(&mut ws, r#"{"error":"store unavailable"}"#.into()).await;
        close(&mut ws, CloseCode::Error, "store unavailable").await;
        return;
    }
    let Some(joined) = viewer.join(key.clone()) else {
        let _ = send(&mut ws, r#"{"error":"unknown contest"}"#.into()).await;
        close(&mut ws, CloseCode::Policy, "unknown contest").await;
        return;
    };
    let mut rx = joined.rx;
    if !send_text(&mut ws, joined.board).await {
        return;
    }
    let mut ping = tokio::time::interval(ctx.ping_interval);
    ping.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ping.tick().await;
    let mut last_heard = Instant::now();
    let shutdown = ctx.shutdown.clone();
    loop {
        let open = tokio::select! {
            biased;
            _ = shutdown.cancelled() => {
                close(&mut ws, CloseCode::Away, "server shutting down").await;
                return;
            }
            incoming = ws.next() => match incoming {
                None | Some(Err(_)) => false,
                Some(Ok(_)) => { last_heard = Instant::now(); true }
            },
            msg = rx.recv() => match msg {
                Ok(text) => send_text(&mut ws, text).await,
                Err(RecvError::Lagged(missed)) => {
                    tracing::debug!(missed, "contest viewer lagged; sending the board again");
                    match viewer.join(key.clone()) {
                        Some(j) => {
                            rx = j.rx;
                            send_text(&mut ws, j.board).await
                        }
                        None => false,
                    }
                }
                Err(RecvError::Closed) => false,
            },
            _ = ping.tick() => {
                if last_heard.elapsed() > ctx.ping_interval * 3 {
                    close(&mut ws, CloseCode::Away, "ping timeout").await;
                    false
                } else {
                    send(&mut ws, Message::Ping(Default::default())).await
                }
            }
        };
        if !open {
            return;
        }
    }
}

/// The caller's view of the contest: `Ok(None)` for an unknown contest,
/// `Err` (close code, reason) for bad credentials or a store failure.
async fn view_of(
    ctx: &Ctx,
    contest_id: &str,
    credentials: Option<Credentials>,
) -> Result<Option<ViewKey>, (CloseCode, &'static str)> {
    let unavailable = (CloseCode::Error, "store unavailable");
    let caller = match &credentials {
        None => Caller::Anonymous,
        Some(c) => match auth::lookup(&ctx.pool, c).await {
            Ok(Some(caller)) => caller,
            Ok(None) => {
                return Err((
                    CloseCode::Policy,
                    match c {
                        Credentials::Token(_) => "invalid token",
                        Credentials::Session(_) => "session ended",
                    },
                ))
            }
            Err(e) => {
                tracing::warn!(error = %e, "cannot check a token");
                return Err(unavailable);
            }
        },
    };
    let look = async {
        let mut conn = ctx.pool.get().await.map_err(|e| e.to_string())?;
        if !registry::exists(&mut conn, contest_id)
            .await
            .map_err(|e| e.to_string())?
        {
            return Ok(None);
        }
        if caller.is_admin() {
            return Ok(Some(ViewKey::Admin));
        }
        let team = match caller.user_id() {
            Some(user) => registry::team_of(&mut conn, contest_id, user)
                .await
                .map_err(|e| e.to_string())?,
            None => None,
        };
        Ok::<_, String>(Some(team.map_or(ViewKey::Public, ViewKey::Team)))
    };
    match tokio::time::timeout(STORE_TIMEOUT, look).await {
        Ok(Ok(v)) => Ok(v),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "cannot look up a contest viewer");
            Err(unavailable)
        }
        Err(_) => Err(unavailable),
    }
}

/// Sends a text message, in fragments of [`FRAGMENT`] bytes when longer.
async fn send_text(ws: &mut Ws, text: Utf8Bytes) -> bool {
    if text.len() <= FRAGMENT {
        return send(ws, Message::Text(text)).await;
    }
    let bytes = Bytes::from(text);
    let mut at = 0;
    while at < bytes.len() {
        let end = (at + FRAGMENT).min(bytes.len());
        let opcode = if at == 0 { Data::Text } else { Data::Continue };
        let frame = Frame::message(
            bytes.slice(at..end),
            OpCode::Data(opcode),
            end == bytes.len(),
        );
        if !send(ws, Message::Frame(frame)).await {
            return false;
        }
        at = end;
    }
    true
}

/// Sends one message; false when the socket is gone or too slow.
async fn send(ws: &mut Ws, msg: Message) -> bool {
    match tokio::time::timeout(SEND_TIMEOUT, ws.send(msg)).await {
        Ok(Ok(())) => true,
        Ok(Err(e)) => {
            tracing::debug!(error = %e, "send failed");
            false
        }
        Err(_) => {
            tracing::debug!("send timed out; dropping slow client");
            false
        }
    }
}

async fn close(ws: &mut Ws, code: CloseCode, reason: &str) {
    let frame = CloseFrame {
        code,
        reason: reason.into(),
    };
    let _ = tokio::time::timeout(Duration::from_secs(2), ws.close(Some(frame))).await;
    let _ = tokio::time::timeout(Duration::from_secs(1), async {
        while let Some(Ok(_)) = ws.next().await {}
    })
    .await;
}
