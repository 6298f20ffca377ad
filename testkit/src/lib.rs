//! Test support shared by every test suite of the workspace, one concern a
//! module: a private `redis-server` per test ([`redis_server`]) or a
//! Sentinel group ([`sentinel`]), the worker's Docker containers
//! ([`docker`]), fixture files and tars ([`files`]), the API in-process
//! ([`api_server`]), requests as the accounts tests make them ([`http`]),
//! a client that submits, follows and waits ([`client`]), problems and
//! submissions stored in Redis ([`state`]), the `judge` binary ([`cli`]),
//! the Contest API's JSON schemas ([`ccs_schema`]), and API answers of the
//! real shape for fake APIs ([`answers`]).
//!
//! It depends on no service crate, so each of them can use it as a
//! dev-dependency; the whole stack (every service in one process) is the
//! `tests` crate's lib, `judge_tests`.

pub mod answers;
pub mod api_server;
pub mod ccs_schema;
pub mod cli;
pub mod client;
pub mod docker;
pub mod files;
pub mod http;
pub mod redis_server;
pub mod sentinel;
pub mod state;

pub use api_server::{ApiBuilder, ApiServer};
pub use docker::{
    containers_now, containers_of, docker, remove_worker_containers, require_images,
    worker_containers, Creations, REMOVAL_GRACE,
};
pub use files::{bundled_problems, fixture_problems, tar_of, write_file, write_problem};
pub use redis_server::{free_port, RedisServer};
