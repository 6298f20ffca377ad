//! A private `redis-server` per test: the workspace's one harness, in `testkit`.

pub use testkit::redis_server::{free_port, RedisServer};
