//! Test support shared by the workspace's test suites: a private
//! `redis-server` per test (or a Sentinel deployment), free ports, fixture files, and the Docker
//! queries and clean-up that tests of the worker need.
//!
//! It depends on no service crate, so each of them can use it as a
//! dev-dependency.

pub mod docker;
pub mod files;
pub mod redis_server;
pub mod sentinel;

pub use docker::{
    containers_now, containers_of, remove_worker_containers, require_images, REMOVAL_GRACE,
};
pub use files::write_file;
pub use redis_server::{free_port, RedisServer};
