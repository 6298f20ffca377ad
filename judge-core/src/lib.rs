//! Everything the judge's services agree on.
//!
//! The API, the worker, the gateway, the CLI and the in-container runner are
//! separate binaries that only meet through Redis, HTTP, WebSocket frames and
//! the runner's stdin/stdout. This crate holds the shapes of those messages
//! and the names of those Redis keys, so that a change to one is a compile
//! error in all of them.

#[cfg(feature = "store")]
pub mod accounts;
pub mod auth;
pub mod best;
pub mod compare;
#[cfg(feature = "store")]
pub mod connect;
pub mod function;
pub mod groups;
#[cfg(feature = "store")]
pub mod history;
pub mod include;
pub mod keys;
pub mod language;
pub mod model;
pub mod problem;
pub mod protocol;
#[cfg(feature = "store")]
pub mod queue;
#[cfg(feature = "service")]
pub mod service;
pub mod source;
pub mod statement;
pub mod stats;
#[cfg(feature = "store")]
pub mod store;
pub mod timelimit;

pub use language::Language;
pub use model::{
    Event, EventKind, Job, Status, SubmissionRecord, SubmissionState, TestResult, Verdict,
};
pub use problem::Problem;
