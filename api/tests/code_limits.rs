//! Source size (issue 21) on a real Redis: a submission is checked against
//! its problem's `limits.code` (KiB) before it is queued, 422 naming the
//! field and the limit; the body limit follows the largest code limit of the
//! problems in use, so a package that allows 200 KiB accepts 200 KiB
//! however the JSON escapes it.

use std::time::Duration;

use serde_json::{json, Value};
use testkit::{write_file, RedisServer};
use tokio_util::sync::CancellationToken;

struct App {
    base: String,
    http: reqwest::Client,
    shutdown: CancellationToken,
    task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dirs: (tempfile::TempDir, tempfile::TempDir),
}

/// A problem whose `limits.code` is `code_kib`, or the default when `None`.
fn problem(dir: &std::path::Path, id: &str, code_kib: Option<u64>) {
    let root = dir.join(id);
    let limits = code_kib.map_or(String::new(), |k| format!("limits:\n  code: {k}\n"));
    write_file(&root, "problem.yaml", &format!("name: {id}\n{limits}"));
    write_file(&root, "data/secret/1.in", "1\n");
    write_file(&root, "data/secret/1.ans", "1\n");
}

impl App {
    async fn start(redis_url: &str) -> App {
        let problems = tempfile::tempdir().unwrap();
        problem(problems.path(), "small", Some(2));
        problem(problems.path(), "big", Some(200));
        problem(problems.path(), "plain", None);
        let web = tempfile::tempdir().unwrap();
        let config = api::Config {
            redis_url: redis_url.to_string(),
            addr: "127.0.0.1:0".into(),
            problems_dir: problems.path().to_path_buf(),
            max_code_bytes: 1000,
            gateway_url: "ws://127.0.0.1:1".into(),
            web_dir: web.path().to_path_buf(),
            // user_id from the body: these tests are about sizes, not accounts.
            auth: api::AuthMode::Open,
            admin_token: Some("code-limits-admin".into()),
            admin_token_file: web.path().join("unused"),
            max_package_bytes: api::DEFAULT_MAX_PACKAGE_BYTES,
            max_queue: 1000,
            rate_limit_per_minute: 0,
            validator_check_secs: 0,
            signup: None,
            cookie_secure: false,
            trusted_proxies: Vec::new(),
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(api::serve(config, listener, shutdown.clone()));
        let http = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(r) = http.get(format!("{base}/api/problems/plain")).send().await {
                if r.status() == 200 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        App {
            base,
            http,
            shutdown,
            task,
            _dirs: (problems, web),
        }
    }

    async fn submit_raw(&self, body: String) -> (u16, Value) {
        let r = self
            .http
            .post(format!("{}/api/submissions", self.base))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let text = r.text().await.unwrap();
        let value = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
        (status, value)
    }

    async fn submit(&self, problem: &str, code: &str) -> (u16, Value) {
        let body = json!({"user_id": "alice", "problem_id": problem,
            "language": "python3", "code": code});
        self.submit_raw(body.to_string()).await
    }

    async fn history_len(&self) -> usize {
        let r = self
            .http
            .get(format!("{}/api/users/alice/submissions", self.base))
            .send()
            .await
            .unwrap();
        r.json::<Vec<Value>>().await.unwrap().len()
    }
}

/// `n` bytes of Python source.
fn code(n: usize) -> String {
    format!("#{}", "x".repeat(n - 1))
}

#[tokio::test]
async fn submissions_follow_their_problems_code_limit() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;

    // Just under and at the limit: queued.
    let (status, body) = app.submit("small", &code(2047)).await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = app.submit("small", &code(2048)).await;
    assert_eq!(status, 202, "{body}");
    // One byte over: 422 naming the field and the limit, and nothing queued.
    let (status, body) = app.submit("small", &code(2049)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "code", "{body}");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("2049 bytes")
            && message.contains("2048 bytes")
            && message.contains("limits.code: 2 KiB"),
        "{message}"
    );
    assert_eq!(app.history_len().await, 2, "the refused one was not stored");

    // Named files count together, and the error names `files`.
    let files = json!({"user_id": "alice", "problem_id": "small", "language": "python3",
        "files": [{"name": "a.py", "content": code(1100)},
                  {"name": "b.py", "content": code(1100)}]});
    let (status, body) = app.submit_raw(files.to_string()).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "files", "{body}");

    // A package that allows 200 KiB accepts 200 KiB (far over the old
    // 64 KiB body limit), and refuses a byte more.
    let (status, body) = app.submit("big", &code(200 * 1024 - 1)).await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = app.submit("big", &code(200 * 1024)).await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = app.submit("big", &code(200 * 1024 + 1)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limits.code: 200 KiB"),
        "{body}"
    );
    // ... however the JSON escapes it: 200 KiB of control characters is a
    // body six times as large (\u0001 each).
    let escaped = format!("#{}", "\u{1}".repeat(200 * 1024 - 1));
    let body = json!({"user_id": "alice", "problem_id": "big", "language": "python3",
        "code": escaped})
    .to_string();
    assert!(body.len() > 6 * 200 * 1024 - 16, "{}", body.len());
    let (status, answer) = app.submit_raw(body).await;
    assert_eq!(status, 202, "{answer}");

    // Without limits.code, the format's default: 128 KiB.
    let (status, body) = app.submit("plain", &code(128 * 1024)).await;
    assert_eq!(status, 202, "{body}");
    let (status, body) = app.submit("plain", &code(128 * 1024 + 1)).await;
    assert_eq!(status, 422, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("limits.code: 128 KiB"),
        "{body}"
    );

    // A body past what the largest limit could need is refused unread: 413.
    let (status, body) = app.submit_raw("y".repeat(6 * 200 * 1024 + 17 * 1024)).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "body_too_large");

    app.shutdown.cancel();
    let _ = tokio::time::timeout(Duration::from_secs(10), app.task).await;
}
