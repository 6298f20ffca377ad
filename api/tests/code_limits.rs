//! Source size (issue 21) on a real Redis: a submission is checked against
//! its problem's `limits.code` (KiB) before it is queued, 422 naming the
//! field and the limit; the body limit follows the largest code limit of the
//! problems in use, so a package that allows 200 KiB accepts 200 KiB
//! however the JSON escapes it.

use serde_json::{json, Value};
use testkit::http::{call_json, Req};
use testkit::{write_problem, ApiServer, RedisServer};

struct App {
    api: ApiServer,
    http: reqwest::Client,
}

/// A problem whose `limits.code` is `code_kib`, or the default when `None`.
fn problem(dir: &std::path::Path, id: &str, code_kib: Option<u64>) {
    let root = dir.join(id);
    let limits = code_kib.map_or(String::new(), |k| format!("limits:\n  code: {k}\n"));
    write_problem(&root, &format!("name: {id}\n{limits}"));
}

impl App {
    async fn start(redis_url: &str) -> App {
        // user_id from the body (--auth open): these tests are about sizes,
        // not accounts.
        let flags = [
            "--auth",
            "open",
            "--max-code-bytes",
            "1000",
            "--max-queue",
            "1000",
            "--rate-limit-per-minute",
            "0",
        ];
        let api = ApiServer::builder(api::serve, redis_url, "code-limits-admin")
            .flags(&flags)
            .problems(|dir| {
                problem(dir, "small", Some(2));
                problem(dir, "big", Some(200));
                problem(dir, "plain", None);
            })
            .start()
            .await;
        App {
            api,
            http: reqwest::Client::new(),
        }
    }

    async fn submit_raw(&self, body: String) -> (u16, Value) {
        let req = Req::default().text(body);
        let a = call_json(&self.api.base, "POST", "/api/submissions", req).await;
        (a.status, a.body)
    }

    async fn submit(&self, problem: &str, code: &str) -> (u16, Value) {
        let body = json!({"user_id": "alice", "problem_id": problem,
            "language": "python3", "code": code});
        self.submit_raw(body.to_string()).await
    }

    async fn history_len(&self) -> usize {
        let r = self
            .http
            .get(format!("{}/api/users/alice/submissions", self.api.base))
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

    app.api.stop().await;
}
