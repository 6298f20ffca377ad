//! Jobs routed by language, end to end: two workers on one Redis, one
//! serving only `python3` and one only `cpp` (`JUDGE_WORKER_LANGUAGES`,
//! here its flag `--languages`). Their heartbeats list only those; a
//! language neither serves is refused with 422 even when its image is there
//! (`cpp17` shares the C++ image); and submissions of both languages, from
//! two users, all end with the right verdict, each judged once by the worker
//! of its language (the submission's `worker` field, written when a worker
//! takes the job).

use std::time::Duration;

use judge_store::keys;
use judge_store::stats::WorkerHealth;
use judge_tests::languages::{ready, wait_until_ready};
use judge_tests::{aplusb_with_time_limit, Stack};
use redis::AsyncCommands;
use submission::Verdict;
use testkit::client::{example, submit, wait_for};

/// `(language, example folder, file, verdict)` of the bundled `aplusb`.
const PROGRAMS: &[(&str, &str, &str, Verdict)] = &[
    ("python3", "accepted", "plain_input.py", Verdict::AC),
    ("cpp", "accepted", "long_long.cpp", Verdict::AC),
    ("python3", "wrong_answer", "floats.py", Verdict::WA),
    ("cpp", "wrong_answer", "int_sum.cpp", Verdict::WA),
    ("python3", "run_time_error", "one_too_many.py", Verdict::RE),
    ("cpp", "accepted", "long_long.cpp", Verdict::AC),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_language_is_judged_by_a_worker_that_serves_it() {
    testkit::require_images(&["python3", "cpp"]);
    let problems = aplusb_with_time_limit(5);
    let mut stack = Stack::start(problems.path(), 0).await;
    let python_worker = stack.add_worker_with(&["--languages", "python3"]);
    let cpp_worker = stack.add_worker_with(&["--languages", "cpp"]);
    let mut conn = redis::Client::open(stack.redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();

    // Both heartbeats in, each listing only what its worker serves.
    let languages =
        wait_until_ready(&stack.api_url, &["python3", "cpp"], Duration::from_secs(60)).await;
    assert_eq!(
        ready(&languages, "cpp17"),
        serde_json::Value::Bool(false),
        "no worker serves cpp17"
    );
    let beats: Vec<(String, String)> = conn.hgetall(keys::WORKER_HEALTH).await.unwrap();
    for (worker, json) in &beats {
        let beat = WorkerHealth::parse(worker, json).unwrap();
        let expected = if *worker == python_worker {
            "python3"
        } else {
            "cpp"
        };
        assert_eq!(beat.languages, Some(vec![expected.to_string()]), "{worker}");
    }
    assert_eq!(beats.len(), 2);

    // The image is there, but no worker serves it: refused, not queued.
    let code = example("aplusb", "accepted", "long_long.cpp");
    let (status, body) = submit(&stack.api_url, "ann", "aplusb", "cpp17", &code).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "language_not_ready");

    let mut submitted = Vec::new();
    for (n, (language, folder, file, verdict)) in PROGRAMS.iter().enumerate() {
        let user = ["ann", "bob"][n % 2];
        let code = example("aplusb", folder, file);
        let (status, body) = submit(&stack.api_url, user, "aplusb", language, &code).await;
        assert_eq!(status, 202, "{language} {file}: {body}");
        submitted.push((
            body["id"].as_str().unwrap().to_string(),
            *language,
            *verdict,
        ));
    }
    for (id, language, verdict) in &submitted {
        let state = wait_for(&stack.api_url, id, Duration::from_secs(180), |s| {
            s.is_final()
        })
        .await;
        assert_eq!(state.verdict, Some(*verdict), "{language} {id}: {state:?}");
        let (worker, attempts): (Option<String>, Option<u32>) = redis::pipe()
            .hget(keys::submission(id), keys::FIELD_WORKER)
            .hget(keys::submission(id), keys::FIELD_ATTEMPTS)
            .query_async(&mut conn)
            .await
            .unwrap();
        let expected = if *language == "python3" {
            &python_worker
        } else {
            &cpp_worker
        };
        assert_eq!(worker.as_ref(), Some(expected), "{language} {id}");
        assert_eq!(attempts, Some(1), "judged once: {language} {id}");
    }
    stack.stop().await;
}
