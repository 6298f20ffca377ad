//! The worker in-process against a real redis-server (started here, on a free
//! port) and the real Docker daemon.
//!
//! Tests that judge code need the sandbox images; they fail (never skip) when
//! the images are missing. The queue tests use paths that need no sandbox.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::worker::{start_worker_with, Cleanup};
use common::{require_images, start_redis};
use judge_store::{keys, store};
use problem_package::problem;
use redis::AsyncCommands;
use submission::now_ms;
use submission::{Status, SubmissionRecord, SubmissionState, Verdict};
use testkit::state::{self, submit, unique, wait_final};
use testkit::{containers_now, containers_of, write_file, RedisServer};
use tokio_util::sync::CancellationToken;

/// A+B with one sample and two secret tests; returns (problem id, version).
async fn store_sum_problem(
    conn: &mut redis::aio::MultiplexedConnection,
    extra: &[(&str, &str)],
) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("sum");
    write_file(&root, "problem.yaml", "name: Sum\nlimits:\n  memory: 256\n");
    write_file(&root, ".timelimit", "1\n");
    write_file(&root, "data/sample/1.in", "1 2\n");
    write_file(&root, "data/sample/1.ans", "3\n");
    write_file(&root, "data/secret/1.in", "40 2\n");
    write_file(&root, "data/secret/1.ans", "42\n");
    write_file(&root, "data/secret/2.in", "2000000000 2000000000\n");
    write_file(&root, "data/secret/2.ans", "4000000000\n");
    for (path, text) in extra {
        write_file(&root, path, text);
    }
    state::store_package(conn, &root).await
}

fn start_worker(
    redis: &RedisServer,
    cache: &Path,
    concurrency: usize,
    claim_idle_ms: u64,
) -> (
    CancellationToken,
    tokio::task::JoinHandle<anyhow::Result<()>>,
    Cleanup,
) {
    start_worker_with(redis, cache, concurrency, |config| {
        config.claim_idle_ms = claim_idle_ms;
    })
}

async fn pending(conn: &mut redis::aio::MultiplexedConnection) -> usize {
    let reply: redis::streams::StreamPendingReply = conn
        .xpending(keys::JOB_STREAM, keys::WORKER_GROUP)
        .await
        .unwrap();
    reply.count()
}

/// Waits until the job is acknowledged (it is, just after the final state).
async fn wait_no_pending(conn: &mut redis::aio::MultiplexedConnection) {
    let deadline = Instant::now() + Duration::from_secs(10);
    while pending(conn).await > 0 {
        assert!(Instant::now() < deadline, "jobs stay pending");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gives_up_after_max_attempts_and_takes_over_dead_workers_jobs() {
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let id = submit(&mut conn, &problem, "cpp", "int main(){}").await;
    // A "dead" worker took the job and never acknowledged it...
    let taken = judge_store::queue::take(&mut conn, "ghost", &judge_store::queue::every_language())
        .await
        .unwrap();
    assert!(taken.is_some());
    // ...after three workers died judging it.
    let _: () = conn
        .hset(keys::submission(&id), keys::FIELD_ATTEMPTS, 3)
        .await
        .unwrap();

    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 300);
    let state = wait_final(&mut conn, &id, Duration::from_secs(20)).await;
    assert_eq!(state.verdict, Some(Verdict::IE));
    assert_eq!(
        state.message.as_deref(),
        Some("gave up after 3 attempts: a worker died judging it each time")
    );
    wait_no_pending(&mut conn).await;
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn final_states_are_never_judged_again_and_interactive_problems_are_ie() {
    require_images(&["cpp", "python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;

    // A redelivered job whose submission is already final: acknowledged, untouched.
    let id = unique("done");
    let record = SubmissionRecord {
        id: id.clone(),
        user_id: "tester".into(),
        problem_id: problem.0.clone(),
        problem_version: problem.1.clone(),
        language: "cpp".into(),
        code: "int main(){}".into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: now_ms(),
        contest_id: None,
        team_id: None,
    };
    let mut done = SubmissionState::queued(&record, 3);
    done.finish(Verdict::AC, now_ms());
    done.seq = 7;
    store::create_submission(&mut conn, &record, &done)
        .await
        .unwrap();

    // An interactive problem whose validator exits 0 (not 42/43): IE.
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("custom");
    write_file(&root, "problem.yaml", "validation: custom interactive\n");
    write_file(&root, "output_validators/check/check.py", "print(1)\n");
    write_file(&root, "data/secret/1.in", "1\n");
    write_file(&root, "data/secret/1.ans", "1\n");
    let loaded = problem::Problem::load(&root).unwrap();
    let (tar, version) = problem::pack(&root).unwrap();
    store::store_problem(&mut conn, &loaded.summary(&version), &tar)
        .await
        .unwrap();
    let custom = submit(
        &mut conn,
        &(loaded.id.clone(), version),
        "cpp",
        "int main(){}",
    )
    .await;

    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    let state = wait_final(&mut conn, &custom, Duration::from_secs(60)).await;
    assert_eq!(state.verdict, Some(Verdict::IE));
    let message = state.message.as_deref().unwrap_or_default();
    assert!(
        message.contains("interactive validator exited with code 0"),
        "{message}"
    );
    wait_no_pending(&mut conn).await;
    assert_eq!(
        store::load_state(&mut conn, &id).await.unwrap().unwrap(),
        done
    );
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn judges_cpp_and_python_in_sandboxes() {
    require_images(&["cpp", "python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;

    let cpp_ac = "#include <cstdio>\nint main(){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",a+b);}\n";
    let cpp_wa =
        "#include <cstdio>\nint main(){int a,b;scanf(\"%d %d\",&a,&b);printf(\"%d\\n\",a+b);}\n"; // overflows on secret/2
    let cpp_ce = "int main( { return 0; }\n";
    let cpp_tle = "int main(){volatile unsigned long x=0; for(;;) x++;}\n";
    let cpp_re = "#include <cstdlib>\nint main(){abort();}\n";
    let py_ac = "a, b = map(int, input().split())\nprint(a + b)\n";
    let py_wa = "print(3)\n";
    let cases = [
        ("cpp", cpp_ac, Verdict::AC),
        ("cpp", cpp_wa, Verdict::WA),
        ("cpp", cpp_ce, Verdict::CE),
        ("cpp", cpp_tle, Verdict::TLE),
        ("cpp", cpp_re, Verdict::RE),
        ("python3", py_ac, Verdict::AC),
        ("python3", py_wa, Verdict::WA),
    ];
    let mut ids = Vec::new();
    for (lang, code, expected) in cases {
        ids.push((
            submit(&mut conn, &problem, lang, code).await,
            lang,
            expected,
        ));
    }
    let cache = tempfile::tempdir().unwrap();
    let started = Instant::now();
    let (shutdown, handle, worker) = start_worker(&redis, cache.path(), 2, 60_000);
    for (id, lang, expected) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(240)).await;
        assert_eq!(
            state.verdict,
            Some(*expected),
            "{lang} {expected}: {state:#?}"
        );
        eprintln!(
            "{lang} {expected}: results {:?} compile_output {:?}",
            state
                .results
                .iter()
                .map(|r| (r.verdict, r.time_ms, r.wall_ms, r.memory_kb))
                .collect::<Vec<_>>(),
            state
                .compile_output
                .as_deref()
                // 120 characters, not bytes: compilers quote with ‘’.
                .map(|o| o.char_indices().nth(120).map_or(o, |(i, _)| &o[..i]))
        );
        assert_eq!(state.status, Status::Finished);
        match expected {
            Verdict::AC => {
                assert_eq!(state.results.len(), 3);
                assert!(state.results.iter().all(|r| r.verdict == Verdict::AC));
            }
            Verdict::CE => {
                assert!(state.results.is_empty());
                assert!(
                    state
                        .compile_output
                        .as_deref()
                        .unwrap_or("")
                        .contains("error"),
                    "{state:#?}"
                );
            }
            Verdict::WA if *lang == "cpp" => {
                // Failed on a secret test: no message may quote its answer.
                let last = state.results.last().unwrap();
                assert_eq!(last.name, "secret/2");
                assert_eq!(last.message, None);
            }
            Verdict::WA => {
                // Failed on... the sample passes (3), secret/1 fails silently.
                assert_eq!(state.results[0].verdict, Verdict::AC);
                assert_eq!(state.results.last().unwrap().message, None);
            }
            Verdict::TLE => {
                let last = state.results.last().unwrap();
                assert_eq!(last.verdict, Verdict::TLE);
                assert!(last.time_ms >= 900 || last.wall_ms >= 900, "{last:?}");
            }
            _ => {}
        }
        assert!(containers_of(id).is_empty(), "a sandbox of {id} remains");
    }
    eprintln!(
        "judged {} submissions in {:?}",
        ids.len(),
        started.elapsed()
    );
    wait_no_pending(&mut conn).await;
    assert!(cache
        .path()
        .join(&problem.1)
        .join(&problem.0)
        .join("problem.yaml")
        .is_file());
    shutdown.cancel();
    handle.await.unwrap().unwrap();
    let out = Command::new("docker")
        .args([
            "ps",
            "-aq",
            "--filter",
            &format!("label=judge.worker={}", worker.0),
        ])
        .output()
        .unwrap();
    assert!(out.stdout.is_empty(), "sandboxes of the worker remain");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_answer_on_a_sample_explains_itself() {
    require_images(&["python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let id = submit(&mut conn, &problem, "python3", "print(4)\n").await;
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    let state = wait_final(&mut conn, &id, Duration::from_secs(120)).await;
    assert_eq!(state.verdict, Some(Verdict::WA));
    assert_eq!(state.results.len(), 1);
    assert!(
        state.results[0]
            .message
            .as_deref()
            .unwrap_or("")
            .contains("expected"),
        "{state:#?}"
    );
    assert!(containers_of(&id).is_empty());
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

/// The next test starts before the current one is judged (pipelining); when
/// the current one fails, the verdict does not wait for the next one, and
/// the abandoned run goes with its sandbox.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_test_does_not_wait_for_the_test_started_after_it() {
    require_images(&["python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    // A long time limit: the secret tests sleep until their 11 s wall limit.
    let problem = store_sum_problem(&mut conn, &[(".timelimit", "5\n")]).await;
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    // A first submission, so that the worker is up and its pool filling.
    let warm_up = submit(
        &mut conn,
        &problem,
        "python3",
        "print(sum(map(int, input().split())))\n",
    )
    .await;
    let state = wait_final(&mut conn, &warm_up, Duration::from_secs(120)).await;
    assert_eq!(state.verdict, Some(Verdict::AC), "{state:#?}");

    let code = "a, b = map(int, input().split())\nif a == 1:\n    print(0)\nelse:\n    import time\n    time.sleep(1000)\n";
    let id = submit(&mut conn, &problem, "python3", code).await;
    let state = wait_final(&mut conn, &id, Duration::from_secs(60)).await;
    assert_eq!(state.verdict, Some(Verdict::WA), "{state:#?}");
    assert_eq!(state.results.len(), 1, "only the failed sample is reported");
    let took_ms = state.finished_at_ms.unwrap() - state.created_at_ms;
    assert!(
        took_ms < 5_000,
        "the verdict waited {took_ms} ms: for the sleeping test's 11 s limit?"
    );
    assert!(
        containers_of(&id).is_empty(),
        "the sandbox with the abandoned run is removed"
    );
    wait_no_pending(&mut conn).await;
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_finishes_the_current_job_first() {
    require_images(&["cpp"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let id = submit(
        &mut conn,
        &problem,
        "cpp",
        "int main(){volatile unsigned long x=0; for(;;) x++;}\n",
    )
    .await;
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    let deadline = Instant::now() + Duration::from_secs(60);
    while store::load_state(&mut conn, &id)
        .await
        .unwrap()
        .unwrap()
        .status
        != Status::Running
    {
        assert!(Instant::now() < deadline, "never started running");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    shutdown.cancel();
    tokio::time::timeout(Duration::from_secs(60), handle)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
    let state = store::load_state(&mut conn, &id).await.unwrap().unwrap();
    assert_eq!(state.verdict, Some(Verdict::TLE), "{state:#?}");
    assert_eq!(pending(&mut conn).await, 0);
    assert!(containers_of(&id).is_empty());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_worker_survives_a_redis_restart() {
    require_images(&["python3"]);
    let mut redis = start_redis();
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    tokio::time::sleep(Duration::from_millis(500)).await;
    redis.stop();
    tokio::time::sleep(Duration::from_secs(2)).await;
    redis.restart();
    // The new server is empty: the worker must recreate the group itself.
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    tokio::time::sleep(Duration::from_secs(3)).await;
    let id = submit(
        &mut conn,
        &problem,
        "python3",
        "a, b = map(int, input().split())\nprint(a + b)\n",
    )
    .await;
    let state = wait_final(&mut conn, &id, Duration::from_secs(60)).await;
    assert_eq!(state.verdict, Some(Verdict::AC), "{state:#?}");
    assert!(!handle.is_finished());
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_redelivered_job_starts_over() {
    require_images(&["python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let id = submit(
        &mut conn,
        &problem,
        "python3",
        "a, b = map(int, input().split())\nprint(a + b)\n",
    )
    .await;
    // A worker died after judging the first test.
    let mut stale = store::load_state(&mut conn, &id).await.unwrap().unwrap();
    stale.status = Status::Running;
    stale.seq = 5;
    stale.push_result(submission::TestResult {
        index: 1,
        name: "sample/1".into(),
        verdict: Verdict::AC,
        time_ms: 999,
        wall_ms: 999,
        memory_kb: 1,
        exit_code: Some(0),
        signal: None,
        message: None,
        score: None,
        detail: None,
    });
    assert!(
        store::publish_state(&mut conn, submission::EventKind::Running, &stale)
            .await
            .unwrap()
    );
    let _: () = conn
        .hset(keys::submission(&id), keys::FIELD_ATTEMPTS, 1)
        .await
        .unwrap();
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 1, 60_000);
    let state = wait_final(&mut conn, &id, Duration::from_secs(60)).await;
    assert_eq!(state.verdict, Some(Verdict::AC));
    assert_eq!(state.results.len(), 3, "{state:#?}");
    assert!(state.time_ms < 999 && state.seq > 5);
    let attempts: u32 = conn
        .hget(keys::submission(&id), keys::FIELD_ATTEMPTS)
        .await
        .unwrap();
    assert_eq!(attempts, 2);
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

/// Stores a package made of `files` under the problem id `name`.
async fn store_package(
    conn: &mut redis::aio::MultiplexedConnection,
    name: &str,
    files: &[(&str, &str)],
) -> (String, String) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join(name);
    for (path, text) in files {
        write_file(&root, path, text);
    }
    let loaded = problem::Problem::load(&root).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let (tar, version) = problem::pack(&root).unwrap();
    store::store_problem(conn, &loaded.summary(&version), &tar)
        .await
        .unwrap();
    (loaded.id, version)
}

/// A validator whose verdict the team output chooses. It checks that the
/// input and answer are readable, that the feedback dir ends in `/` and
/// that the flags (`alpha beta` from problem.yaml, `gamma` for the secret
/// group) arrive after it.
const SCRIPTED_VALIDATOR: &str = r#"
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>
int main(int argc, char **argv) {
    if (argc < 4) return 2;
    std::ifstream in(argv[1]), ans(argv[2]);
    std::string input, answer, out, args;
    if (!(in >> input) || !(ans >> answer)) return 3;
    std::string dir = argv[3];
    if (dir.empty() || dir.back() != '/') return 4;
    for (int i = 4; i < argc; i++) args += std::string(i > 4 ? " " : "") + argv[i];
    std::cin >> out;
    std::ofstream team(dir + "teammessage.txt"), judge(dir + "judgemessage.txt");
    judge << "input " << input << " answer " << answer << " args " << args << "\n";
    judge.flush();
    if (out == "ok") return 42;
    if (out == "wrong") { team << "nope: " << args << "\n"; return 43; }
    if (out == "zero") return 0;
    if (out == "crash") abort();
    if (out == "flags") {
        bool secret = input == "secret";
        const char *want = secret ? "gamma" : "alpha beta";
        if (args == want) return 42;
        team << "flags were [" << args << "]\n";
        return 43;
    }
    return 43;
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn custom_validators_decide_and_are_compiled_once_per_version() {
    require_images(&["cpp", "python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_package(
        &mut conn,
        &unique("scripted").replace('-', "_").to_lowercase(),
        &[
            (
                "problem.yaml",
                "name: Scripted\nvalidation: custom\nvalidator_flags: alpha beta\nlimits:\n  memory: 256\n  time_limit: 1\n",
            ),
            ("output_validators/scripted/validator.cpp", SCRIPTED_VALIDATOR),
            ("data/sample/1.in", "sample\n"),
            ("data/sample/1.ans", "s\n"),
            ("data/secret/1.in", "secret\n"),
            ("data/secret/1.ans", "t\n"),
            ("data/secret/testdata.yaml", "output_validator_flags: gamma\n"),
        ],
    )
    .await;
    // A validator that does not compile, and one in Python.
    let broken = store_package(
        &mut conn,
        &unique("broken").replace('-', "_").to_lowercase(),
        &[
            (
                "problem.yaml",
                "validation: custom\nlimits:\n  time_limit: 1\n",
            ),
            ("output_validators/v/v.cpp", "int main( {"),
            ("data/secret/1.in", "1\n"),
            ("data/secret/1.ans", "1\n"),
        ],
    )
    .await;
    let python = store_package(
        &mut conn,
        &unique("py").replace('-', "_").to_lowercase(),
        &[
            ("problem.yaml", "validation: custom\nlimits:\n  time_limit: 1\n"),
            (
                "output_validator/check.py",
                "import sys\nopen(sys.argv[3] + 'teammessage.txt', 'w').write('from python')\nsys.exit(42 if sys.stdin.read().strip() == 'yes' else 43)\n",
            ),
            ("data/secret/1.in", "1\n"),
            ("data/secret/1.ans", "1\n"),
        ],
    )
    .await;

    let cases = [
        (&problem, "print('ok')\n", Verdict::AC),
        (&problem, "print('wrong')\n", Verdict::WA),
        (&problem, "print('zero')\n", Verdict::IE),
        (&problem, "print('crash')\n", Verdict::IE),
        (&problem, "print('flags')\n", Verdict::AC),
        (&problem, "import sys\nsys.exit(3)\n", Verdict::RE),
        (&broken, "print(1)\n", Verdict::IE),
        (&broken, "print(1)\n", Verdict::IE),
        (&python, "print('yes')\n", Verdict::AC),
        (&python, "print('no')\n", Verdict::WA),
    ];
    let mut ids = Vec::new();
    for (problem, code, expected) in cases {
        ids.push((
            submit(&mut conn, problem, "python3", code).await,
            code,
            expected,
        ));
    }
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 3, 60_000);
    let mut states = Vec::new();
    for (id, code, expected) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(180)).await;
        assert_eq!(state.verdict, Some(*expected), "{code}: {state:#?}");
        assert!(containers_of(id).is_empty(), "{code}: containers remain");
        states.push(state);
    }
    // wrong: the teammessage is shown, with the flags the validator got.
    assert_eq!(
        states[1].results[0].message.as_deref(),
        Some("nope: alpha beta")
    );
    // zero and crash: judge errors for the admin, never WA.
    let zero = states[2].message.as_deref().unwrap();
    assert!(zero.contains("exited with code 0"), "{zero}");
    assert!(
        zero.contains("judgemessage: input sample answer s args alpha beta"),
        "{zero}"
    );
    let crash = states[3].message.as_deref().unwrap();
    assert!(
        crash.contains("code 134") || crash.contains("signal"),
        "{crash}"
    );
    // flags: the secret group's flags replace the problem's.
    assert_eq!(states[4].results.len(), 2, "{:#?}", states[4]);
    // A crashed submission never reaches the validator.
    assert_eq!(states[5].results[0].verdict, Verdict::RE);
    assert!(
        states[6]
            .message
            .as_deref()
            .unwrap()
            .contains("does not compile"),
        "{:#?}",
        states[6]
    );
    assert_eq!(states[8].results[0].message.as_deref(), Some("from python"));
    assert_eq!(states[9].results[0].message.as_deref(), Some("from python"));

    // Compiled once per version, whatever the number of submissions.
    assert_eq!(judge_worker::validator::compilations(&problem.1), 1);
    assert_eq!(judge_worker::validator::compilations(&broken.1), 1);
    assert_eq!(judge_worker::validator::compilations(&python.1), 1);

    // A restarted worker reads the compiled validator from the disk cache.
    shutdown.cancel();
    handle.await.unwrap().unwrap();
    let again = submit(&mut conn, &problem, "python3", "print('ok')\n").await;
    let (shutdown, handle, _cleanup2) = start_worker(&redis, cache.path(), 1, 60_000);
    let state = wait_final(&mut conn, &again, Duration::from_secs(120)).await;
    assert_eq!(state.verdict, Some(Verdict::AC));
    assert_eq!(judge_worker::validator::compilations(&problem.1), 1);
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

/// Every example submission of the bundled `addup` problem (custom C++
/// validator) gets its folder's verdict, judged by the worker alone.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bundled_addup_examples_get_their_folders_verdicts() {
    require_images(&["cpp", "python3"]);
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../problems/addup");
    let loaded = problem::Problem::load(&root).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let (tar, version) = problem::pack(&root).unwrap();
    store::store_problem(&mut conn, &loaded.summary(&version), &tar)
        .await
        .unwrap();
    let problem = (loaded.id.clone(), version.clone());
    let mut ids = Vec::new();
    for folder in std::fs::read_dir(root.join("submissions"))
        .unwrap()
        .flatten()
    {
        let expected =
            Verdict::from_submission_folder(&folder.file_name().to_string_lossy()).unwrap();
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            let name = file.file_name().to_string_lossy().into_owned();
            let lang = problem_package::language::by_file_name(&name).unwrap();
            let code = std::fs::read_to_string(file.path()).unwrap();
            let id = submit(&mut conn, &problem, lang.id, &code).await;
            ids.push((id, file.path(), expected));
        }
    }
    assert!(ids.len() >= 8);
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 3, 60_000);
    for (id, path, expected) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(240)).await;
        assert_eq!(
            state.verdict,
            Some(*expected),
            "{}: {state:#?}",
            path.display()
        );
        if *expected == Verdict::WA {
            let last = state.results.last().unwrap();
            assert!(
                last.message.is_some(),
                "the teammessage is shown: {state:#?}"
            );
        }
    }
    assert_eq!(judge_worker::validator::compilations(&version), 1);
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

/// The worker's pooled containers: (id, name), idle ones named `judge-pool-...`.
fn pooled_containers(worker: &str) -> Vec<(String, String)> {
    let out = Command::new("docker")
        .args([
            "ps",
            "-a",
            "--no-trunc",
            "--filter",
            &format!("label=judge.worker={worker}"),
            "--filter",
            "label=judge.pool",
            "--format",
            "{{.ID}} {{.Names}}",
        ])
        .output()
        .expect("docker CLI");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(id, name)| (id.to_string(), name.to_string()))
        .collect()
}

fn idle_pool(worker: &str) -> Vec<String> {
    pooled_containers(worker)
        .into_iter()
        .filter(|(_, name)| name.starts_with("judge-pool-"))
        .map(|(id, _)| id)
        .collect()
}

async fn wait_idle_pool(worker: &str, size: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let idle = idle_pool(worker);
        if idle.len() == size {
            return idle;
        }
        assert!(
            Instant::now() < deadline,
            "the pool of {worker} never reached {size}: {idle:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The container judging `id`, once it appears.
async fn wait_sandbox_of(id: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let found = containers_now(id);
        if let [one] = found.as_slice() {
            return one.clone();
        }
        assert!(found.len() < 2, "several sandboxes for {id}: {found:?}");
        assert!(Instant::now() < deadline, "no sandbox for {id} appeared");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn exists(container: &str) -> bool {
    Command::new("docker")
        .args(["inspect", "--format", "{{.Id}}", container])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .map(|s| s.success())
        .unwrap_or(false)
}

async fn wait_removed(container: &str) {
    let deadline = Instant::now() + Duration::from_secs(15);
    while exists(container) {
        assert!(
            Instant::now() < deadline,
            "container {container} was not removed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn submissions_take_pooled_sandboxes_which_are_refilled_and_never_reused() {
    require_images(&["python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let cache = tempfile::tempdir().unwrap();
    let name = unique("pool-worker");
    let mut config = judge_worker::Config::new(redis.url());
    config.worker_name = Some(name.clone());
    config.cache_dir = cache.path().to_path_buf();
    config.concurrency = 1;
    config.pool_size = 2;
    config.pool_languages = Some(vec!["python3".into()]);
    // A container per submission; their reuse is tests/tests/hostile_pairs.rs.
    config.sandbox_reuse = 1;
    let _cleanup = Cleanup(name.clone());
    let shutdown = CancellationToken::new();
    let handle = tokio::spawn(judge_worker::run(config, shutdown.clone()));

    // Slow enough (three tests) to see the sandbox while it judges.
    let code = "import time\ntime.sleep(0.3)\na, b = map(int, input().split())\nprint(a + b)\n";
    let mut taken = Vec::new();
    for round in 0..3 {
        let idle = wait_idle_pool(&name, 2).await;
        let id = submit(&mut conn, &problem, "python3", code).await;
        let sandbox = wait_sandbox_of(&id).await;
        assert!(
            idle.contains(&sandbox),
            "round {round}: {sandbox} is not one of the idle pool {idle:?}"
        );
        assert!(
            !taken.contains(&sandbox),
            "round {round}: {sandbox} was used by an earlier submission"
        );
        let state = wait_final(&mut conn, &id, Duration::from_secs(60)).await;
        assert_eq!(state.verdict, Some(Verdict::AC), "{state:#?}");
        // Destroyed after its one submission, and the pool is refilled without it.
        wait_removed(&sandbox).await;
        assert!(containers_of(&id).is_empty());
        let refilled = wait_idle_pool(&name, 2).await;
        assert!(!refilled.contains(&sandbox));
        taken.push(sandbox);
    }
    shutdown.cancel();
    handle.await.unwrap().unwrap();
    // The idle pool is removed on shutdown.
    assert_eq!(
        pooled_containers(&name),
        vec![],
        "the pool outlived its worker"
    );
}

/// Not a test but a measurement (`cargo test -p judge-worker --test worker
/// -- --ignored --nocapture measure`): the time from submitting to the final
/// state of small Python and C++ submissions judged one at a time, without
/// and with the warm pool. `RUST_LOG=judge_worker=info` shows the per-step
/// "sandbox timings".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore]
async fn measure_the_judge_overhead_with_and_without_the_pool() {
    require_images(&["python3", "cpp"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let problem = store_sum_problem(&mut conn, &[]).await;
    let python = "a, b = map(int, input().split())\nprint(a + b)\n";
    let cpp = "#include <cstdio>\nint main(){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",a+b);}\n";
    let rounds = 6;
    for pool_size in [0, 2] {
        let cache = tempfile::tempdir().unwrap();
        let name = unique("measure");
        let mut config = judge_worker::Config::new(redis.url());
        config.worker_name = Some(name.clone());
        config.cache_dir = cache.path().to_path_buf();
        config.concurrency = 1;
        config.pool_size = pool_size;
        config.pool_languages = Some(vec!["python3".into(), "cpp".into()]);
        let _cleanup = Cleanup(name.clone());
        let shutdown = CancellationToken::new();
        let handle = tokio::spawn(judge_worker::run(config, shutdown.clone()));
        if pool_size > 0 {
            wait_idle_pool(&name, 2 * pool_size).await;
        }
        // Warm the package cache and the page cache first.
        let id = submit(&mut conn, &problem, "python3", python).await;
        wait_final(&mut conn, &id, Duration::from_secs(60)).await;
        for (lang, code) in [("python3", python), ("cpp", cpp)] {
            let mut total = Duration::ZERO;
            let mut samples = Vec::new();
            for _ in 0..rounds {
                if pool_size > 0 {
                    wait_idle_pool(&name, 2 * pool_size).await;
                } else {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                }
                let started = Instant::now();
                let id = submit(&mut conn, &problem, lang, code).await;
                loop {
                    let state = store::load_state(&mut conn, &id).await.unwrap().unwrap();
                    if state.is_final() {
                        assert_eq!(state.verdict, Some(Verdict::AC));
                        break;
                    }
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
                let took = started.elapsed();
                total += took;
                samples.push(took.as_millis());
            }
            eprintln!(
                "MEASURE pool_size={pool_size} {lang}: mean {} ms over {rounds}, samples {samples:?}",
                (total / rounds).as_millis()
            );
        }
        shutdown.cancel();
        handle.await.unwrap().unwrap();
    }
}
