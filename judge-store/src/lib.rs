//! The judge's Redis store.
//!
//! Every service meets the others through Redis: the API stores a
//! submission and queues its job, a worker takes and judges it, the gateway
//! fans out its events. This crate holds the names of those keys
//! ([`keys`]), the Lua scripts that keep them consistent, and one module per
//! area, so that a change to a key's shape is a compile error in every
//! service that reads it.

pub mod accounts;
pub mod auth;
pub mod best;
pub mod cancel;
pub mod connect;
pub mod contest;
pub mod history;
pub mod keys;
pub mod languages;
pub mod lease;
pub mod queue;
pub mod stats;
pub mod store;
pub mod tokens;
