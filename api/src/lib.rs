//! The judge's HTTP API: accepts submissions, serves their stored state,
//! lists problems and languages, imports problems and rejudges (admin), and
//! serves the web page.
//!
//! Layout (as axum's examples and zero2prod): [`config`] (flags and
//! environment), [`startup`] (the router and `serve`), one [`state::AppState`],
//! one error type ([`error::ApiError`]), authentication as extractors
//! ([`auth::Caller`], [`auth::Admin`]), the typed request of the routes that
//! take code ([`request`]), and the handlers in [`routes`], one module per
//! resource.
//!
//! Access (see [`auth`]): with `JUDGE_AUTH=required` (the default) a
//! submission needs a bearer token or a browser session (accounts:
//! [`routes::auth`], `judge_store::accounts`), and its user id is the
//! caller's (a `user_id` in the body is ignored); a submission, its code and
//! a user's list are readable by their owner and admins only (401 without
//! credentials, 403 for someone else's). Problems, statements, languages and
//! the client configuration are public. `JUDGE_AUTH=open` is INSECURE and meant for
//! local development and tests: requests without a token are accepted and
//! the body's `user_id` is used. Admin endpoints need the admin token in
//! both modes. `GET /api/openapi.json` describes every route.

mod admission;
pub mod auth;
mod body;
mod check_lease;
pub mod client_address;
pub mod config;
pub mod contests;
pub mod error;
pub mod openapi;
pub mod package;
mod periodic;
mod problems_dir;
pub mod request;
pub mod routes;
pub mod startup;
mod state;

pub use auth::Caller;
pub use body::BODY_OVERHEAD_BYTES;
pub use config::{Config, DEFAULT_MAX_PACKAGE_BYTES};
pub use error::ApiError;
pub use judge_store::auth::AuthMode;
pub use problems_dir::{load_problems_dir, LoadedProblem};
pub use routes::statement;
pub use routes::submissions::USER_LIST_LIMIT;
pub use startup::{router, serve};
pub use state::AppState;
