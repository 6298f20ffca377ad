//! Hostile pairs: a submission that plants what could outlive it in a
//! reused sandbox container, then one judged in the same container that
//! looks for it. The worker has one slot and a pool of one C container, so
//! both land in that container: the test checks that Docker created no
//! other container for the worker while the pairs were judged, that the
//! one container it had at the start is still the only one, and that soon
//! after, no container is named after any of the submissions (a reset
//! container keeps its last submission's name only until it is renamed).
//!
//! The programs are in `tests/fixtures/hostile_pairs/`: `plant.c` (AC, or
//! WA on its first test with `#define WRONG`, which leaves a pipelined run
//! for the reset to finish) and `seek.c`, which answers right only when it
//! finds nothing of the planter (files in any writable place, processes,
//! System V and POSIX IPC, tmpfs memory, environment, working directory,
//! descriptors): AC means clean, WA means something carried over.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use judge_tests::Stack;
use submission::{SubmissionState, Verdict};
use testkit::client::{final_state, follow, submit};
use testkit::{worker_containers, Creations};
use tokio_util::sync::CancellationToken;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

fn pair_source(file: &str) -> String {
    std::fs::read_to_string(fixtures().join("hostile_pairs").join(file)).unwrap()
}

/// Submits `code` in C to `echo` and follows it to its final state.
async fn judge(stack: &Stack, user: &str, code: &str) -> SubmissionState {
    let (status, body) = submit(&stack.api_url, user, "echo", "c", code).await;
    assert_eq!(status, 202, "{body}");
    let url = body["watch_url"].as_str().expect("watch_url").to_string();
    final_state(&follow(&url, Duration::from_secs(120)).await).clone()
}

fn describe(state: &SubmissionState) -> String {
    let last = state.results.last();
    format!(
        "{:?} message={:?} last test: {:?}",
        state.verdict,
        state.message,
        last.map(|r| (&r.name, r.verdict, &r.message))
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reused_sandbox_keeps_nothing_of_the_submission_before() {
    if std::env::var_os("JUDGE_AUTH").is_none() {
        std::env::set_var("JUDGE_AUTH", "open");
    }
    let stack = Stack::start(&fixtures().join("problems"), 0).await;
    // One slot, one pooled C container, reused (the default bound).
    let worker = format!("pairs-{}", std::process::id());
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
        "1",
        "--pool-size",
        "1",
        "--pool-languages",
        "c",
    ]);
    let stop = CancellationToken::new();
    let handle = tokio::spawn(judge_worker::run(config, stop.clone()));

    // The pool's container, created and started before anything is judged.
    let deadline = Instant::now() + Duration::from_secs(60);
    let first = loop {
        let ids = worker_containers(&worker, &[]);
        if ids.len() == 1 {
            break ids;
        }
        assert!(
            Instant::now() < deadline,
            "the worker's pool never had its one container: {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Its runner is started right after the container; give it a moment.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let creations = Creations::since_now(&worker);

    let plant = pair_source("plant.c");
    let plant_wrong = format!("#define WRONG\n{plant}");
    let seek = pair_source("seek.c");
    let mut failures = Vec::new();
    let mut report = Vec::new();
    let mut judged = Vec::new();
    let steps: [(&str, &str, Verdict); 5] = [
        ("seek in a new container", &seek, Verdict::AC),
        ("plant (accepted)", &plant, Verdict::AC),
        ("seek after it", &seek, Verdict::AC),
        (
            "plant (wrong answer, a run pending)",
            &plant_wrong,
            Verdict::WA,
        ),
        ("seek after it", &seek, Verdict::AC),
    ];
    for (n, (name, code, expected)) in steps.iter().enumerate() {
        let state = judge(&stack, &format!("pair{n}"), code).await;
        report.push(format!("{name:<40} {}", describe(&state)));
        judged.push(state.id.clone());
        if state.verdict != Some(*expected) {
            failures.push(format!(
                "{name}: expected {expected}, got {}",
                describe(&state)
            ));
        }
    }

    // Both halves of every pair were judged in the one container: Docker
    // created none for the worker meanwhile, and the first is still there.
    let created = creations.list();
    if !created.is_empty() {
        failures.push(format!(
            "containers were created while the pairs were judged (not reused): {created}"
        ));
    }
    let now = worker_containers(&worker, &[]);
    if now != first {
        failures.push(format!(
            "the worker's containers were {first:?}, now {now:?}"
        ));
    }

    // Within the grace, nothing names a judged submission any more.
    for id in &judged {
        let named = testkit::containers_of(id);
        if !named.is_empty() {
            failures.push(format!("{id} still names containers {named:?}"));
        }
    }

    stop.cancel();
    handle.await.unwrap().unwrap();
    stack.stop().await;
    eprintln!("hostile pairs:\n  {}", report.join("\n  "));
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
