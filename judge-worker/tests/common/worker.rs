//! An in-process worker on a private Redis, its sandboxes removed if the
//! test fails while it judges. Packages, submissions and the wait for a
//! verdict in Redis are `testkit::state`'s.

use std::path::Path;

use testkit::state::unique;
use testkit::{remove_worker_containers, RedisServer};
use tokio_util::sync::CancellationToken;

/// Removes a test worker's sandboxes if the test fails while it judges: the
/// runtime then ends before the sandboxes' own removal tasks run.
pub struct Cleanup(pub String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        remove_worker_containers(&self.0);
    }
}

/// A worker with a fresh name, `concurrency` slots and a warm pool only for
/// the languages these tests judge.
pub fn start_worker(
    redis: &RedisServer,
    cache: &Path,
    concurrency: usize,
) -> (
    CancellationToken,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    Cleanup,
) {
    start_worker_with(redis, cache, concurrency, |_| {})
}

/// As [`start_worker`], its configuration changed by `adjust` first.
pub fn start_worker_with(
    redis: &RedisServer,
    cache: &Path,
    concurrency: usize,
    adjust: impl FnOnce(&mut judge_worker::Config),
) -> (
    CancellationToken,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    Cleanup,
) {
    let name = unique("worker");
    let mut config = judge_worker::Config::new(redis.url());
    config.worker_name = Some(name.clone());
    config.cache_dir = cache.to_path_buf();
    config.concurrency = concurrency;
    // A warm pool only for the languages these tests judge.
    config.pool_languages = Some(vec!["python3".into(), "cpp".into()]);
    adjust(&mut config);
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(judge_worker::run(config, shutdown.clone()));
    (shutdown, handle, Cleanup(name))
}
