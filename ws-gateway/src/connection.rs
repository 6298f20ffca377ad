//! One socket's WebSocket handshake: its route and credentials, HTTP 401,
//! 403 (a cookie from another site's page) or 404 refusals, and the
//! socket's limits.

use std::sync::Arc;
use std::time::Duration;

use judge_store::auth::AuthMode;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::handshake::server::{ErrorResponse, Request, Response};
use tokio_tungstenite::tungstenite::http::StatusCode;

use crate::auth::{cookie_origin_allowed, handshake_credentials, Credentials};
use crate::context::Ctx;
use crate::route::{parse_route, Route};
use crate::session::Session;

const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

pub(crate) async fn handle_connection(stream: TcpStream, ctx: Arc<Ctx>) {
    let mut route = None;
    let mut credentials = None;
    let mode = ctx.auth;
    let allowed_origins = ctx.allowed_origins.clone();
    // The error type is fixed by tungstenite's Callback trait.
    #[allow(clippy::result_large_err)]
    let callback = |req: &Request, resp: Response| -> Result<Response, ErrorResponse> {
        match parse_route(req.uri().path()) {
            Some(r) => {
                credentials = handshake_credentials(req);
                // A contest's board is public: no credentials, the public view.
                let public = matches!(r, Route::Contest(_));
                if credentials.is_none() && mode == AuthMode::Required && !public {
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
                let by_cookie = matches!(credentials, Some(Credentials::Session(_)));
                if by_cookie && !cookie_origin_allowed(req, &allowed_origins) {
                    let mut err = ErrorResponse::new(Some(
                        "forbidden: a signed-in (cookie) connection must come from the judge's own pages (Origin)\n"
                            .to_string(),
                    ));
                    *err.status_mut() = StatusCode::FORBIDDEN;
                    return Err(err);
                }
                route = Some(r);
                Ok(resp)
            }
            None => {
                let mut err = ErrorResponse::new(Some(
                    "not found: use /ws/submissions/{id}, /ws/users/{user_id} or /ws/contests/{id}\n".to_string(),
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
    if let Route::Contest(id) = route {
        crate::contest_session::run(ws, id, ctx, credentials).await;
        return;
    }
    Session::new(ws, route, ctx).run(credentials).await;
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
