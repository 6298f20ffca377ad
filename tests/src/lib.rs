//! Shared harness of the end-to-end tests: a private Redis per test, the
//! services in-process, and a client that submits and follows; a second
//! Docker engine for tests of several judge hosts.

pub mod client;
pub mod engine;
pub mod process;
pub mod redis_server;
pub mod stack;

pub use stack::{aplusb_with_time_limit, bundled_problems, Stack};
