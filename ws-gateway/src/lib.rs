//! The judge's WebSocket gateway.
//!
//! One Redis pub/sub connection per process (`PSUBSCRIBE judge:events:*`),
//! fanned out in-process to the sockets that asked for a submission
//! (`/ws/submissions/{id}`) or a user (`/ws/users/{user_id}`). Each socket
//! first gets the stored state (pub/sub is at-most-once), then live events
//! newer than what it has. After a Redis blip, a lagging receiver or a
//! reconnect, the stored state is re-sent if it is newer.
//!
//! `/ws/contests/{id}` is a contest's live scoreboard ([`contest_view`]):
//! each contest with viewers is followed with `XREAD BLOCK` on its log and
//! one [`contest::replay::Replay`]; viewers get the board, then the rows
//! that changed, state changes and the clarifications they may read. It is
//! public: without credentials the socket gets the public view.
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

mod auth;
mod config;
mod connection;
mod contest_follow;
mod contest_session;
pub mod contest_view;
mod context;
pub mod hub;
pub mod position;
mod pubsub;
mod route;
mod server;
mod session;

pub use auth::{handshake_credentials, Credentials};
pub use config::Config;
pub use hub::{Hub, Topic, Update};
pub use judge_store::auth::AuthMode;
pub use route::{parse_route, Route};
pub use server::serve;
pub use session::USER_SNAPSHOT_LIMIT;
