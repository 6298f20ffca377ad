//! A package whose inputs are too large for one upload is judged with each
//! input staged before its run (judge_worker::inputs): every test must see
//! its own input, whole, and a wrong answer on a later test is still found
//! there. The worker runs in-process against a private Redis and the real
//! Docker daemon; needs the python3 sandbox image.

mod common;

use std::time::Duration;

use common::worker::start_worker;
use common::{require_images, start_redis};
use judge_store::store;
use judge_worker::inputs::{Staging, EAGER_INPUT_BYTES};
use problem_package::problem::Problem;
use submission::Verdict;
use testkit::state::{store_package, submit, unique, wait_final};
use testkit::write_file;

/// Bytes after the first line of each secret input.
const BODY: usize = 25 << 20;

/// Prints the first line (the test's number) and how many bytes follow it.
const COUNTS: &str = "import sys\nd = sys.stdin.buffer.read()\nfirst, rest = d.split(b'\\n', 1)\nprint(first.decode(), len(rest))\n";

/// Right but for test 2, which it gets one byte short.
const WRONG_ON_2: &str = "import sys\nd = sys.stdin.buffer.read()\nfirst, rest = d.split(b'\\n', 1)\nn = len(rest) - (first == b'2')\nprint(first.decode(), n)\n";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inputs_too_large_for_one_upload_are_staged_test_by_test() {
    require_images(&["python3"]);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(unique("large").replace('-', "_"));
    write_file(
        &root,
        "problem.yaml",
        "name: Large\nlimits:\n  memory: 512\n  time_limit: 5\n",
    );
    write_file(&root, "data/sample/1.in", "0\nab\n");
    write_file(&root, "data/sample/1.ans", "0 3\n");
    let body = "x".repeat(BODY - 1) + "\n";
    for k in 1..=3 {
        write_file(
            &root,
            &format!("data/secret/{k}.in"),
            &format!("{k}\n{body}"),
        );
        write_file(
            &root,
            &format!("data/secret/{k}.ans"),
            &format!("{k} {BODY}\n"),
        );
    }
    let loaded = Problem::load(&root).unwrap();
    assert!(
        !Staging::for_problem(&loaded).is_eager(),
        "the package must be above {EAGER_INPUT_BYTES} bytes of input to test staging"
    );

    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_package(&mut conn, &root).await;
    let right = submit(&mut conn, &problem, "python3", COUNTS).await;
    let wrong = submit(&mut conn, &problem, "python3", WRONG_ON_2).await;
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1);

    let state = wait_final(&mut conn, &right, Duration::from_secs(240)).await;
    assert_eq!(state.verdict, Some(Verdict::AC), "{state:?}");
    assert_eq!(state.results.len(), 4, "{state:?}");
    let state = wait_final(&mut conn, &wrong, Duration::from_secs(240)).await;
    assert_eq!(state.verdict, Some(Verdict::WA), "{state:?}");
    let verdicts: Vec<_> = state.results.iter().map(|t| t.verdict).collect();
    assert_eq!(
        verdicts,
        [Verdict::AC, Verdict::AC, Verdict::WA],
        "test 2 (the third run) is the wrong one: {state:?}"
    );

    shutdown.cancel();
    handle.await.unwrap().unwrap();
}
