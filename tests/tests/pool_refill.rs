//! Issue 20: importing a package with a C++ output validator and no time
//! limit (like problemtools' `different`) must not starve the C++ warm pool.
//! Its time-limit derivation judges the package's submissions, each checked
//! by the validator in a sandbox of its own; before the fix, every such
//! sandbox taken from the C++ pool counted as taken for ever, and once
//! pool-size of them had been, the pool was never refilled.
//!
//! The worker has 2 slots and a pool of one container per image (C++ and
//! Python). After `judge problem add`, each pooled image must be back at its
//! size within 30 s, and a C++ and a Python submission must each be judged
//! in a pooled container: Docker creates no container for the worker between
//! their submission and their verdicts. The validator's container is kept
//! too (the validators' pool, apart from submissions'): a submission to the
//! imported problem is checked in it, again with no container created.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use judge_tests::stack::{aplusb_with_time_limit, ADMIN_TOKEN};
use judge_tests::{bundled_problems, Stack};
use submission::{SubmissionState, Verdict};
use testkit::cli::judge_with_token;
use testkit::client::{final_state, follow, submit};
use testkit::{worker_containers, Creations};
use tokio_util::sync::CancellationToken;

const CPP_IMAGE: &str = "judge-lang-cpp:latest";
const PYTHON_IMAGE: &str = "judge-lang-pypy3:latest";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/problems")
}

/// The worker's running containers created for `image`'s pool (idle or
/// taken: a taken one keeps its pool label).
fn pooled(worker: &str, image: &str) -> usize {
    let pool = format!("label=judge.pool={image}");
    worker_containers(worker, &["status=running", &pool]).len()
}

/// Runs `judge --url API --token ADMIN args`; returns (exit code, stdout, stderr).
async fn judge_cli(api_url: &str, args: &[&str]) -> (i32, String, String) {
    judge_with_token(api_url, ADMIN_TOKEN, args).await
}

/// A package like `different`: a C++ output validator, no time limit (so
/// `judge problem add` derives one by judging its submissions), accepted
/// submissions in C++ and Python, a wrong answer, and a C++ one that must
/// time out. Made from the `nested-validator` fixture.
fn validated_package_without_time_limit() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = Command::new("cp")
        .arg("-r")
        .arg(fixtures().join("nested-validator"))
        .arg(dir.path().join("splitsum"))
        .status()
        .unwrap();
    assert!(status.success());
    let root = dir.path().join("splitsum");
    let yaml = root.join("problem.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("  time_limit: 1\n"), "{text}");
    std::fs::write(
        &yaml,
        text.replace("  time_limit: 1\n", "").replace(
            "uuid: 9a1e6f3c-1b2d-4e5f-8a9b-0c1d2e3f4a5b",
            "uuid: 9a1e6f3c-1b2d-4e5f-8a9b-0c1d2e3f4a20",
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("submissions/accepted/split.cpp"),
        "#include <iostream>\nint main() { long long a, b; std::cin >> a >> b; std::cout << b << ' ' << a << '\\n'; }\n",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("submissions/time_limit_exceeded")).unwrap();
    std::fs::write(
        root.join("submissions/time_limit_exceeded/spin.cpp"),
        "int main() { volatile unsigned long n = 0; for (;;) n = n + 1; }\n",
    )
    .unwrap();
    dir
}

async fn judge_one(stack: &Stack, problem: &str, language: &str, code: &str) -> SubmissionState {
    let (status, body) = submit(&stack.api_url, "pool-user", problem, language, code).await;
    assert_eq!(status, 202, "{body}");
    let url = body["watch_url"].as_str().expect("watch_url").to_string();
    final_state(&follow(&url, Duration::from_secs(120)).await).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_import_with_a_cpp_validator_leaves_every_pool_at_its_size() {
    let problems = aplusb_with_time_limit(10);
    let stack = Stack::start(problems.path(), 0).await;
    let worker = format!("refill-{}", std::process::id());
    let cache = tempfile::tempdir().unwrap();
    let config = <judge_worker::Config as clap::Parser>::parse_from([
        "judge-worker",
        "--redis-url",
        &stack.redis.url(),
        "--worker-name",
        &worker,
        "--cache-dir",
        cache.path().to_str().unwrap(),
        "--concurrency",
        "2",
        "--pool-size",
        "1",
        "--pool-languages",
        "cpp,python3",
    ]);
    let stop = CancellationToken::new();
    let handle = tokio::spawn(judge_worker::run(config, stop.clone()));
    let full = || pooled(&worker, CPP_IMAGE) == 1 && pooled(&worker, PYTHON_IMAGE) == 1;
    let deadline = Instant::now() + Duration::from_secs(60);
    while !full() {
        assert!(
            Instant::now() < deadline,
            "the pools never filled: C++ {}, Python {}",
            pooled(&worker, CPP_IMAGE),
            pooled(&worker, PYTHON_IMAGE)
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }

    // The import: the validator is built, then the time limit derived by
    // judging the package's submissions, each checked by the C++ validator.
    let package = validated_package_without_time_limit();
    let dir = package.path().join("splitsum");
    let (code, out, err) =
        judge_cli(&stack.api_url, &["problem", "add", dir.to_str().unwrap()]).await;
    assert_eq!(code, 0, "judge problem add failed:\n{out}\n{err}");
    assert!(
        out.contains("derived") || err.contains("derived"),
        "the time limit was not derived:\n{out}\n{err}"
    );

    // Every pooled image is back at its size within 30 s.
    let deadline = Instant::now() + Duration::from_secs(30);
    while !full() {
        if Instant::now() >= deadline {
            let (cpp, python) = (pooled(&worker, CPP_IMAGE), pooled(&worker, PYTHON_IMAGE));
            stop.cancel();
            let _ = handle.await;
            stack.stop().await;
            panic!(
                "30 s after the import the pools were not back at their size (1 each): \
                 C++ {cpp}, Python {python}"
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // The replacement's runner starts right after its container.
    tokio::time::sleep(Duration::from_secs(2)).await;

    // A C++ and a Python submission each take a pooled container.
    let creations = Creations::since_now(&worker);
    let aplusb = bundled_problems().join("aplusb/submissions/accepted");
    let cpp = std::fs::read_to_string(aplusb.join("long_long.cpp")).unwrap();
    let python = std::fs::read_to_string(aplusb.join("fast_io.py")).unwrap();
    let cpp_state = judge_one(&stack, "aplusb", "cpp", &cpp).await;
    let python_state = judge_one(&stack, "aplusb", "python3", &python).await;
    let split = std::fs::read_to_string(dir.join("submissions/accepted/split.cpp")).unwrap();
    let validated_state = judge_one(&stack, "splitsum", "cpp", &split).await;
    let created = creations.list();

    stop.cancel();
    handle.await.unwrap().unwrap();
    stack.stop().await;
    assert_eq!(cpp_state.verdict, Some(Verdict::AC), "{cpp_state:?}");
    assert_eq!(python_state.verdict, Some(Verdict::AC), "{python_state:?}");
    assert_eq!(
        validated_state.verdict,
        Some(Verdict::AC),
        "{validated_state:?}"
    );
    assert!(
        created.is_empty(),
        "containers were created for the submissions or their validator (no pooled one taken): {created}"
    );
}
