//! The judge worker: takes submissions from the Redis job stream, judges
//! each in a fresh Docker sandbox and stores every state change.
//!
//! - [`config`]: settings from flags and environment.
//! - [`lifecycle`]: the worker's start, run and stop ([`run`]).
//! - [`worker`]: what every job of this worker shares ([`Worker`]).
//! - [`queue`]: the consumer-group loop (at-least-once, takeover of dead workers' jobs).
//! - [`packages`]: the cache of problem packages by version.
//! - [`sandbox`]: the container and the session with `judge-runner` inside it.
//! - [`pool`]: the warm pool of started sandboxes, and their background removal.
//! - [`engine`]: the engine monitor, and jobs an engine failure broke put back in the queue.
//! - [`engine_health`]: whether the Docker engine is up, and the heartbeat that says so.
//! - [`job`]: one attempt at a job: attempts, the state, store-then-publish, the final state.
//! - [`judge`]: the problem, the sandbox, compiling; then the judging loop.
//! - [`inputs`]: test inputs in the sandbox: all in one upload, or one per run for large packages.
//! - [`session`]: the judging loop (pipelined runs, results, groups, score) behind a sandbox trait.
//! - [`grader`]: which test runs next, and verdicts and scores per group and for the submission.
//! - [`case_detail`]: the failing case shown to the submitter (samples only).
//! - [`checker`]: how one test is checked: default comparison, custom validator, interactive.
//! - [`retry`]: short Redis operations retried with back-off.
//! - [`validator`]: custom output validators, compiled once per problem version.
//! - [`interactive`]: interactive problems: the submission and the validator relayed.

pub mod case_detail;
pub mod checker;
pub mod config;
pub mod custom_run;
pub mod engine;
pub mod engine_health;
pub mod feedback;
pub mod grader;
pub mod images;
pub mod inputs;
pub mod interactive;
pub mod job;
pub mod judge;
pub mod lifecycle;
pub mod packages;
pub mod pool;
pub mod queue;
pub mod retry;
pub mod sandbox;
pub mod session;
pub mod validator;
pub mod verdict;
pub mod worker;

pub use config::Config;
pub use lifecycle::run;
pub use worker::Worker;
