//! Runs the built `judge` binary: offline behaviour, and the submit flow
//! against a small fake API and WebSocket gateway started in the test.

use std::path::Path;
use std::process::Output;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use api_types::Verdict;
use futures_util::SinkExt;
use serde_json::{json, Value};
use testkit::answers::{best, group, language, problem_detail, problem_entry};
use testkit::cli::{text, Judge};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio_tungstenite::tungstenite::Message;

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");

async fn judge(args: &[&str]) -> Output {
    Judge::at(JUDGE).args(args).output().await
}

/// A URL on which nothing listens.
fn closed_url() -> String {
    format!("http://127.0.0.1:{}", testkit::free_port())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path.display().to_string()
}

#[tokio::test]
async fn help_lists_the_exit_codes() {
    let out = judge(&["--help"]).await;
    assert_eq!(out.status.code(), Some(0));
    let help = text(&out.stdout);
    assert!(
        help.contains("Exit codes:") && help.contains("5  judge or connection error"),
        "{help}"
    );
}

#[tokio::test]
async fn bad_arguments_exit_2() {
    let out = judge(&["submit"]).await;
    assert_eq!(out.status.code(), Some(2));
}

#[tokio::test]
async fn unknown_extension_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "solution.txt", b"print(1)\n");
    let url = closed_url();
    let out = judge(&["--url", &url, "submit", &file, "--problem", "hello"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let err = text(&out.stderr);
    assert!(
        err.contains("solution.txt") && err.contains("--lang"),
        "{err}"
    );
    assert_eq!(err.trim().lines().count(), 1, "one line: {err}");
}

#[tokio::test]
async fn missing_file_is_named() {
    let url = closed_url();
    let out = judge(&[
        "--url",
        &url,
        "submit",
        "/nonexistent/dir/sol.py",
        "-p",
        "hello",
    ])
    .await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(
        err.contains("/nonexistent/dir/sol.py") && err.contains("no such file"),
        "{err}"
    );
}

#[tokio::test]
async fn non_utf8_source_is_refused_locally() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "latin1.py", b"print('caf\xe9')\n");
    let out = judge(&["--url", &closed_url(), "submit", &file, "-p", "hello"]).await;
    assert_eq!(out.status.code(), Some(2));
    let err = text(&out.stderr);
    assert!(err.contains("latin1.py") && err.contains("UTF-8"), "{err}");
}

#[tokio::test]
async fn unreachable_api_exits_5_naming_the_url() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "hello.py", b"print('Hello, World!')\n");
    let url = closed_url();
    for args in [
        vec![
            "--url",
            url.as_str(),
            "submit",
            file.as_str(),
            "--problem",
            "hello",
        ],
        vec!["--url", url.as_str(), "problems"],
        vec!["--url", url.as_str(), "--json", "languages"],
        vec!["--url", url.as_str(), "status", "abc"],
    ] {
        let out = judge(&args).await;
        let err = text(&out.stderr);
        assert_eq!(out.status.code(), Some(5), "{args:?}: {err}");
        assert!(err.contains(&url), "{args:?}: {err}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert_eq!(err.trim().lines().count(), 1, "{args:?}: {err}");
    }
}

#[tokio::test]
async fn bad_url_is_a_usage_error() {
    let out = judge(&["--url", "not a url", "problems"]).await;
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("not a url"));
}

// ---------------------------------------------------------------- fake API

type Handler = Arc<dyn Fn(&str, &str, &str) -> (u16, Value) + Send + Sync>;

/// A one-request-per-connection HTTP/1.1 server answering JSON.
async fn fake_api(handler: Handler) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        loop {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let handler = handler.clone();
            tokio::spawn(async move {
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                let header_end = loop {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        return;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        break i + 4;
                    }
                };
                let head = String::from_utf8_lossy(&buf[..header_end]).to_string();
                let length = head
                    .lines()
                    .find_map(|l| {
                        let (k, v) = l.split_once(':')?;
                        k.eq_ignore_ascii_case("content-length")
                            .then(|| v.trim().parse::<usize>().ok())?
                    })
                    .unwrap_or(0);
                while buf.len() < header_end + length {
                    let n = stream.read(&mut chunk).await.unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let body = String::from_utf8_lossy(&buf[header_end..]).to_string();
                let mut words = head.split_whitespace();
                let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
                let (status, value) = handler(method, path, &body);
                let text = value.to_string();
                let response = format!(
                    "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{text}",
                    text.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    url
}

/// A gateway that sends `messages` to each connection, then closes it.
async fn fake_gateway(messages: Vec<Value>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("ws://{}/ws/submissions/s1", listener.local_addr().unwrap());
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let messages = messages.clone();
            tokio::spawn(async move {
                let mut ws = tokio_tungstenite::accept_async(stream).await.unwrap();
                for m in messages {
                    ws.send(Message::text(m.to_string())).await.unwrap();
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
                let _ = ws.close(None).await;
            });
        }
    });
    url
}

fn result(index: usize, name: &str, verdict: &str) -> Value {
    json!({"index": index, "name": name, "verdict": verdict, "time_ms": 12, "wall_ms": 15, "memory_kb": 3174})
}

fn state(seq: u64, status: &str, verdict: Option<&str>, results: Vec<Value>) -> Value {
    let mut s = json!({
        "id": "s1", "user_id": "tester", "problem_id": "hello", "language": "python3",
        "status": status, "tests_total": 3, "results": results,
        "time_ms": 12, "memory_kb": 3174, "created_at_ms": 1, "seq": seq
    });
    if let Some(v) = verdict {
        s["verdict"] = json!(v);
    }
    s
}

fn event(kind: &str, state: Value) -> Value {
    json!({"kind": kind, "state": state})
}

#[tokio::test]
async fn submit_follows_the_websocket_and_ignores_stale_events() {
    let r1 = result(1, "sample/1", "AC");
    let r2 = result(2, "sample/2", "AC");
    let r3 = result(3, "secret/01", "AC");
    let gateway = fake_gateway(vec![
        event("snapshot", state(1, "running", None, vec![r1.clone()])),
        event("test_finished", state(1, "running", None, vec![r1.clone()])), // stale: same seq
        event(
            "test_finished",
            state(3, "running", None, vec![r1.clone(), r2.clone()]),
        ),
        event("running", state(2, "running", None, vec![r1.clone()])), // older: ignored
        event(
            "test_finished",
            state(4, "running", None, vec![r1.clone(), r2.clone(), r3.clone()]),
        ),
        event(
            "finished",
            state(5, "finished", Some("AC"), vec![r1, r2, r3]),
        ),
    ])
    .await;
    let seen = Arc::new(std::sync::Mutex::new(None::<Value>));
    let seen_in = seen.clone();
    let api = fake_api(Arc::new(move |method, path, body| match (method, path) {
        ("POST", "/api/submissions") => {
            *seen_in.lock().unwrap() = serde_json::from_str(body).ok();
            (
                202,
                json!({"id": "s1", "status_url": "/api/submissions/s1", "watch_url": gateway,
                             "state": state(0, "queued", None, vec![])}),
            )
        }
        _ => (
            404,
            json!({"error": {"code": "not_found", "message": "no such thing"}}),
        ),
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "hello.py", b"print('Hello, World!')\n");
    let out = judge(&[
        "--url",
        &api,
        "--user",
        "tester",
        "submit",
        &file,
        "--problem",
        "hello",
    ])
    .await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    for name in ["sample/1", "sample/2", "secret/01"] {
        assert_eq!(
            stdout.matches(&format!("✓ {name}")).count(),
            1,
            "{name} once:\n{stdout}"
        );
    }
    assert!(
        stdout.contains("Accepted (AC)   3 / 3 test cases passed   max 12 ms   3.1 MB"),
        "{stdout}"
    );
    assert!(!stdout.contains('\x1b'), "no colour when not a terminal");
    let sent = seen.lock().unwrap().clone().unwrap();
    assert_eq!(sent["language"], "python3");
    assert_eq!(sent["problem_id"], "hello");
    assert_eq!(sent["user_id"], "tester");
    // Files keep their names (d8a1f54): the source goes as `files`.
    assert_eq!(sent["files"][0]["name"], "hello.py");
    assert_eq!(sent["files"][0]["content"], "print('Hello, World!')\n");
}

#[tokio::test]
async fn submit_falls_back_to_polling_when_the_websocket_is_down() {
    let polls = Arc::new(AtomicUsize::new(0));
    let polls_in = polls.clone();
    let closed = closed_url().replace("http://", "ws://") + "/ws/submissions/s1";
    let api = fake_api(Arc::new(move |method, path, _| match (method, path) {
        ("POST", "/api/submissions") => (
            202,
            json!({"id": "s1", "status_url": "/api/submissions/s1", "watch_url": closed, "state": state(0, "queued", None, vec![])}),
        ),
        ("GET", "/api/submissions/s1") => {
            let n = polls_in.fetch_add(1, Ordering::SeqCst);
            let r1 = result(1, "sample/1", "AC");
            let mut r2 = result(2, "sample/2", "WA");
            r2["message"] = json!("token 1: expected \"3\", got \"4\"");
            if n < 2 {
                (200, state(1 + n as u64, "running", None, vec![r1]))
            } else {
                (200, state(9, "finished", Some("WA"), vec![r1, r2]))
            }
        }
        _ => (
            404,
            json!({"error": {"code": "not_found", "message": "no such thing"}}),
        ),
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "wa.cpp", b"int main(){}\n");
    let out = judge(&["--url", &api, "submit", &file, "--problem", "hello"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    assert_eq!(stdout.matches("✓ sample/1").count(), 1, "{stdout}");
    assert!(stdout.contains("✗ sample/2"), "{stdout}");
    assert!(stdout.contains("token 1: expected"), "{stdout}");
    assert!(stdout.contains("Wrong Answer (WA) on sample/2"), "{stdout}");
}

#[tokio::test]
async fn json_output_is_the_final_state_only() {
    // The gateway is down: the CLI polls.
    let closed = closed_url().replace("http://", "ws://") + "/ws/submissions/s1";
    let api = fake_api(Arc::new(move |method, path, _| match (method, path) {
        ("POST", "/api/submissions") => (
            202,
            json!({"id": "s1", "status_url": "/api/submissions/s1", "watch_url": closed, "state": state(0, "queued", None, vec![])}),
        ),
        ("GET", "/api/submissions/s1") => {
            let mut s = state(3, "finished", Some("CE"), vec![]);
            s["compile_output"] = json!("main.cpp:1:1: error: expected unqualified-id");
            (200, s)
        }
        _ => (404, json!({})),
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "ce.cpp", b"int main( {}\n");
    let out = judge(&["--url", &api, "--json", "submit", &file, "-p", "hello"]).await;
    assert_eq!(out.status.code(), Some(3), "{}", text(&out.stderr));
    let value: Value = serde_json::from_slice(&out.stdout).expect("stdout is one JSON document");
    let state: submission::SubmissionState = serde_json::from_value(value).unwrap();
    assert_eq!(state.verdict, Some(submission::Verdict::CE));

    let out = judge(&["--url", &api, "submit", &file, "-p", "hello"]).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stdout).contains("expected unqualified-id"),
        "{}",
        text(&out.stdout)
    );
}

#[tokio::test]
async fn refusals_exit_4_with_the_api_message() {
    let api = fake_api(Arc::new(|method, path, _| match (method, path) {
        ("POST", "/api/submissions") => (
            404,
            json!({"error": {"code": "unknown_problem", "message": "there is no problem \"nope\"", "field": "problem_id"}}),
        ),
        ("GET", "/api/problems") => (200, json!([problem_entry("hello", "Hello, World!", 8)])),
        ("GET", "/api/languages") => (200, json!([language("cpp", "C++17", &["cc", "cpp"])])),
        ("GET", "/api/submissions/s9") => (500, json!({"error": {"code": "internal", "message": "redis is down"}})),
        _ => (404, json!({"error": {"code": "not_found", "message": "no such submission"}})),
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "a.py", b"print(1)\n");
    let out = judge(&["--url", &api, "submit", &file, "-p", "nope"]).await;
    assert_eq!(out.status.code(), Some(4));
    let err = text(&out.stderr);
    assert!(
        err.contains("there is no problem \"nope\" (field problem_id)"),
        "{err}"
    );

    let out = judge(&["--url", &api, "status", "missing"]).await;
    assert_eq!(out.status.code(), Some(4));
    assert!(text(&out.stderr).contains("no such submission"));

    let out = judge(&["--url", &api, "status", "s9"]).await;
    assert_eq!(out.status.code(), Some(5));
    assert!(text(&out.stderr).contains("redis is down"));

    let out = judge(&["--url", &api, "problems"]).await;
    assert_eq!(out.status.code(), Some(0));
    assert!(
        text(&out.stdout).contains("hello  Hello, World!  1.0 s  256 MB  8"),
        "{}",
        text(&out.stdout)
    );

    let out = judge(&["--url", &api, "--json", "languages"]).await;
    assert_eq!(out.status.code(), Some(0));
    let value: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(value[0]["id"], "cpp");
}

/// A state of a scoring problem: `sample` (scores nothing), `secret/easy`
/// (30 points, tests 2-3) and `secret/hard` (70, test 4); `graded` lists
/// (group, verdict, score, passed) of the groups graded so far.
fn scoring_state(
    seq: u64,
    verdict: Option<&str>,
    results: Vec<Value>,
    graded: &[(&str, &str, Option<f64>, usize)],
) -> Value {
    let status = if verdict.is_some() {
        "finished"
    } else {
        "running"
    };
    let mut s = state(seq, status, verdict, results);
    s["problem_id"] = json!("subtasks");
    s["tests_total"] = json!(4);
    s["max_score"] = json!(100.0);
    let groups: Vec<Value> = [
        ("sample", vec![1], None),
        ("secret/easy", vec![2, 3], Some(30.0)),
        ("secret/hard", vec![4], Some(70.0)),
    ]
    .into_iter()
    .map(|(name, tests, max): (&str, Vec<usize>, Option<f64>)| {
        let mut g = json!({"name": name, "total": tests.len(), "tests": tests, "passed": 0});
        if let Some(max) = max {
            g["max_score"] = json!(max);
        }
        if let Some((_, v, score, passed)) = graded.iter().find(|(n, ..)| *n == name) {
            g["verdict"] = json!(v);
            g["passed"] = json!(passed);
            if let Some(score) = score {
                g["score"] = json!(score);
            }
        }
        g
    })
    .collect();
    s["groups"] = json!(groups);
    if verdict.is_some() {
        let total: f64 = graded.iter().filter_map(|(_, _, s, _)| *s).sum();
        s["score"] = json!(total);
    }
    s
}

#[tokio::test]
async fn a_scoring_submission_shows_each_group_live_then_a_group_table_and_json_has_it_all() {
    let r1 = result(1, "sample/1", "AC");
    let r2 = result(2, "secret/easy/1", "AC");
    let r3 = result(3, "secret/easy/2", "AC");
    let r4 = result(4, "secret/hard/1", "TLE");
    let sample = ("sample", "AC", None, 1);
    let easy = ("secret/easy", "AC", Some(30.0), 2);
    let hard = ("secret/hard", "TLE", Some(0.0), 0);
    let all = vec![r1.clone(), r2.clone(), r3.clone(), r4.clone()];
    let last = scoring_state(9, Some("TLE"), all.clone(), &[sample, easy, hard]);
    let gateway = fake_gateway(vec![
        event("snapshot", scoring_state(1, None, vec![], &[])),
        event(
            "test_finished",
            scoring_state(2, None, vec![r1.clone()], &[sample]),
        ),
        event(
            "test_finished",
            scoring_state(3, None, vec![r1.clone(), r2.clone()], &[sample]),
        ),
        // Two groups' news in one jump: each is still shown once.
        event(
            "test_finished",
            scoring_state(5, None, vec![r1.clone(), r2, r3], &[sample, easy]),
        ),
        event("finished", last.clone()),
    ])
    .await;
    let final_state = last.clone();
    let api = fake_api(Arc::new(move |method, path, _| match (method, path) {
        ("POST", "/api/submissions") => (
            202,
            json!({"id": "s1", "status_url": "/api/submissions/s1", "watch_url": gateway, "state": scoring_state(0, None, vec![], &[])}),
        ),
        ("GET", "/api/submissions/s1") => (200, final_state.clone()),
        _ => (
            404,
            json!({"error": {"code": "not_found", "message": "no"}}),
        ),
    }))
    .await;
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "sub.py", b"print(1)\n");
    let out = judge(&["--url", &api, "submit", &file, "--problem", "subtasks"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{stdout}\n{}",
        text(&out.stderr)
    );
    // Live: each group once, right after the test that completed it.
    assert_eq!(stdout.matches("group secret/easy").count(), 1, "{stdout}");
    let easy_done = stdout.find("✓ secret/easy/2").unwrap();
    let easy_line = stdout
        .find("AC group secret/easy: 30 / 30 (2/2 passed)")
        .unwrap();
    let hard_line = stdout
        .find("TLE group secret/hard: 0 / 70 (0/1 passed)")
        .unwrap();
    assert!(easy_done < easy_line && easy_line < hard_line, "{stdout}");
    // The verdict line with the score and the LeetCode count, then the table.
    assert!(
        stdout.contains(
            "✗ Time Limit Exceeded (TLE) on secret/hard/1   score 30 / 100   3 / 4 test cases passed"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "GROUP        VERDICT  SCORE    PASSED\n\
             sample       AC       -        1/1\n\
             secret/easy  AC       30 / 30  2/2\n\
             secret/hard  TLE      0 / 70   0/1"
        ),
        "{stdout}"
    );

    // `judge status` prints the same table; --json carries scores and groups.
    let out = judge(&["--url", &api, "status", "s1"]).await;
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("score 30 / 100") && stdout.contains("secret/easy  AC       30 / 30  2/2"),
        "{stdout}"
    );
    let out = judge(&["--url", &api, "--json", "status", "s1"]).await;
    let value: Value = serde_json::from_slice(&out.stdout).expect("one JSON document");
    assert_eq!(value["score"], 30.0);
    assert_eq!(value["max_score"], 100.0);
    assert_eq!(value["groups"][1]["name"], "secret/easy");
    assert_eq!(value["groups"][1]["score"], 30.0);
    assert_eq!(value["groups"][1]["tests"], json!([2, 3]));
    assert_eq!(value["groups"][2]["verdict"], "TLE");
}

#[tokio::test]
async fn problem_pages_show_groups_and_points_and_the_list_the_best() {
    let mut hello = problem_entry("hello", "Hello", 2);
    hello.best = Some(Some(best("a", Verdict::AC, None)));
    let mut listed = problem_entry("subtasks", "Subtasks", 4);
    (listed.scoring, listed.max_score) = (true, Some(100.0));
    listed.best = Some(Some(best("b", Verdict::WA, Some(30.0))));
    let mut page = problem_detail("subtasks", "Subtasks", 4);
    (page.summary.scoring, page.summary.max_score) = (true, Some(100.0));
    page.summary.groups = vec![
        group("sample", &[1], None, "pass-fail", &[]),
        group("secret/easy", &[2, 3], Some(30.0), "min", &[]),
        group("secret/hard", &[4], Some(70.0), "min", &["secret/easy"]),
    ];
    let (list, page) = (json!([hello, listed]), json!(page));
    let api = fake_api(Arc::new(move |method, path, _| match (method, path) {
        ("GET", "/api/problems") => (200, list.clone()),
        ("GET", "/api/problems/subtasks") => (200, page.clone()),
        _ => (
            404,
            json!({"error": {"code": "not_found", "message": "no"}}),
        ),
    }))
    .await;
    let out = judge(&["--url", &api, "problems"]).await;
    let stdout = text(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(stdout.contains("POINTS  BEST"), "{stdout}");
    assert!(
        stdout.contains("✓ solved") && stdout.contains("100     ✗ 30 / 100"),
        "{stdout}"
    );
    let out = judge(&["--url", &api, "problem", "subtasks"]).await;
    let stdout = text(&out.stdout);
    assert!(stdout.contains("scoring       100 points"), "{stdout}");
    assert!(
        stdout.contains("secret/hard  70      1      min          secret/easy"),
        "{stdout}"
    );
}
