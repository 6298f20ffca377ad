//! Judging fixture packages with an in-process worker: store a package,
//! submit to it, start a worker on a private Redis, wait for the verdict.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use judge_store::store;
use problem_package::problem::{self, Problem};
use submission::now_ms;
use submission::{SubmissionRecord, SubmissionState};
use testkit::{remove_worker_containers, RedisServer};
use tokio_util::sync::CancellationToken;

pub type Conn = redis::aio::MultiplexedConnection;

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/problems")
}

pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{prefix}-{}-{}-{}",
        std::process::id(),
        now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Loads, packs and stores a package; returns (problem id, version).
pub async fn store_package(conn: &mut Conn, root: &Path) -> (String, String) {
    let loaded = Problem::load(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let (tar, version) = problem::pack(root).unwrap();
    store::store_problem(conn, &loaded.summary(&version), &tar)
        .await
        .unwrap();
    (loaded.id, version)
}

pub async fn submit(
    conn: &mut Conn,
    problem: &(String, String),
    language: &str,
    code: &str,
) -> String {
    let id = unique("sub");
    let record = SubmissionRecord {
        id: id.clone(),
        user_id: "tester".into(),
        problem_id: problem.0.clone(),
        problem_version: problem.1.clone(),
        language: language.into(),
        code: code.into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: now_ms(),
        contest_id: None,
        team_id: None,
    };
    let state = SubmissionState::queued(&record, 0);
    store::create_submission(conn, &record, &state)
        .await
        .unwrap();
    id
}

/// Removes a test worker's sandboxes if the test fails while it judges.
pub struct Cleanup(pub String);

impl Drop for Cleanup {
    fn drop(&mut self) {
        remove_worker_containers(&self.0);
    }
}

pub fn start_worker(
    redis: &RedisServer,
    cache: &Path,
    concurrency: usize,
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
    config.pool_languages = Some(vec!["python3".into(), "cpp".into()]);
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(judge_worker::run(config, shutdown.clone()));
    (shutdown, handle, Cleanup(name))
}

pub async fn wait_final(conn: &mut Conn, id: &str, within: Duration) -> SubmissionState {
    let deadline = Instant::now() + within;
    loop {
        let state = store::load_state(conn, id).await.unwrap().unwrap();
        if state.is_final() {
            return state;
        }
        assert!(
            Instant::now() < deadline,
            "{id} not judged in {within:?}: {state:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
