//! State builders: problems and submissions stored in Redis as the API and
//! a worker leave them, for tests that need no API or no worker; and the
//! wait for a submission's final state there.

use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use judge_store::store;
use problem_package::problem::{self, Problem};
use submission::{now_ms, SubmissionRecord, SubmissionState};

pub type Conn = redis::aio::MultiplexedConnection;

/// `prefix-<pid>-<ms>-<n>`: an id no other test of this machine uses.
pub fn unique(prefix: &str) -> String {
    static N: AtomicU64 = AtomicU64::new(0);
    format!(
        "{prefix}-{}-{}-{}",
        std::process::id(),
        now_ms(),
        N.fetch_add(1, Ordering::Relaxed)
    )
}

/// Loads, packs and stores the package at `root` as the current version of
/// its problem; returns (problem id, version).
pub async fn store_package(conn: &mut Conn, root: &Path) -> (String, String) {
    let loaded = Problem::load(root).unwrap_or_else(|e| panic!("{}: {e}", root.display()));
    let (tar, version) = problem::pack(root).unwrap();
    store::store_problem(conn, &loaded.summary(&version), &tar)
        .await
        .unwrap();
    (loaded.id, version)
}

/// A submission's record, created now, of `code` in `language`, with no
/// named files and in no contest.
pub fn record(
    id: &str,
    user: &str,
    problem: (&str, &str),
    language: &str,
    code: &str,
) -> SubmissionRecord {
    SubmissionRecord {
        id: id.into(),
        user_id: user.into(),
        problem_id: problem.0.into(),
        problem_version: problem.1.into(),
        language: language.into(),
        code: code.into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: now_ms(),
        contest_id: None,
        team_id: None,
    }
}

/// Stores `record` queued with `tests_total` tests, and its job in the live
/// queue, as the API does; returns the stored state.
pub async fn create_queued(
    conn: &mut Conn,
    record: &SubmissionRecord,
    tests_total: usize,
) -> SubmissionState {
    let state = SubmissionState::queued(record, tests_total);
    store::create_submission(conn, record, &state)
        .await
        .unwrap();
    state
}

/// Queues a submission of the user `tester` to `problem` (id, version)
/// with a fresh id, as the API does (the worker counts its tests when it
/// starts); returns its id.
pub async fn submit(
    conn: &mut Conn,
    problem: &(String, String),
    language: &str,
    code: &str,
) -> String {
    let id = unique("sub");
    let record = record(&id, "tester", (&problem.0, &problem.1), language, code);
    create_queued(conn, &record, 0).await;
    id
}

/// Polls the stored state until it is final; fails after `within`.
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
