//! The whole judge for the end-to-end tests: a private Redis, the services
//! in-process ([`stack`]), one such stack shared by the tests of a binary
//! ([`shared`]), or as processes ([`process`]), and a second Docker
//! engine for tests of several judge hosts ([`engine`]). The client, the
//! Redis server, the CLI runner and the rest are the workspace's
//! `testkit`, which every suite shares.

pub mod engine;
pub mod languages;
pub mod process;
pub mod shared;
pub mod stack;

pub use shared::{shared_stack, SharedStack};
pub use stack::{aplusb_with_time_limit, Stack};
pub use testkit::bundled_problems;
