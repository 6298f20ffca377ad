use std::path::Path;

use serde_json::{json, Value};
use testkit::http::{call_json, Req};
use testkit::{write_file, write_problem};
use testkit::{ApiServer, RedisServer};

const SECRET_INPUT: &str = "SECRET-INPUT-9d1c4e77";
const SECRET_ANSWER: &str = "SECRET-ANSWER-5b2f80aa";
const ADMIN: &str = "test-admin-token";

/// One good problem (with a secret case) and one broken one, into `dir`.
fn write_problems(dir: &Path) {
    let hello = dir.join("hello");
    write_file(
        &hello,
        "problem.yaml",
        "name: Hello\nlimits:\n  memory: 256\n  code: 1\n",
    );
    write_file(
        &hello,
        "problem_statement/problem.en.md",
        "# Hello\nPrint the sum.\n",
    );
    write_file(&hello, "data/sample/1.in", "1 2\n");
    write_file(&hello, "data/sample/1.ans", "3\n");
    write_file(&hello, "data/secret/1.in", &format!("{SECRET_INPUT}\n"));
    write_file(&hello, "data/secret/1.ans", &format!("{SECRET_ANSWER}\n"));
    write_problem(&dir.join("broken"), "name: x\nlimits:\n  memory: lots\n");
}

struct App {
    api: ApiServer,
    base: String,
    http: reqwest::Client,
}

impl App {
    async fn start(redis_url: &str) -> App {
        Self::start_with(redis_url, |_| {}).await
    }

    /// Starts the API with the test defaults, changed by `adjust`.
    async fn start_with(redis_url: &str, adjust: impl FnOnce(&mut api::Config)) -> App {
        let flags = [
            // These tests post user_id without a token.
            "--auth",
            "open",
            "--max-code-bytes",
            "1000",
            "--gateway-url",
            "ws://gw.example:9000",
        ];
        let api = ApiServer::builder(api::serve, redis_url, ADMIN)
            .flags(&flags)
            .problems(write_problems)
            .web(|web| write_file(web, "index.html", "<html>judge page</html>"))
            .configure(adjust)
            .start()
            .await;
        App {
            base: api.base.clone(),
            api,
            http: reqwest::Client::new(),
        }
    }

    async fn get(&self, path: &str) -> (u16, String) {
        let r = self
            .http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .unwrap();
        (r.status().as_u16(), r.text().await.unwrap())
    }

    async fn post_raw(&self, body: impl Into<String>) -> (u16, Value) {
        let req = Req::default().text(body);
        let a = call_json(&self.base, "POST", "/api/submissions", req).await;
        (a.status, a.body)
    }

    async fn post(&self, body: Value) -> (u16, Value) {
        self.post_raw(body.to_string()).await
    }

    async fn stop(self) {
        self.api.stop_cleanly().await;
    }
}

fn submission(code: &str) -> Value {
    json!({"user_id": "alice", "problem_id": "hello", "language": "python3", "code": code})
}

#[test]
fn malformed_problem_is_reported_with_its_file() {
    let dir = tempfile::tempdir().unwrap();
    write_problems(dir.path());
    let (loaded, errors) = api::load_problems_dir(dir.path());
    assert_eq!(loaded.len(), 1);
    assert_eq!(loaded[0].0.id, "hello");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0].file.ends_with("broken/problem.yaml"),
        "{}",
        errors[0]
    );
    assert_eq!(errors[0].line, Some(3));
    assert!(
        errors[0].to_string().contains("problem.yaml:3:"),
        "{}",
        errors[0]
    );
}

#[tokio::test]
async fn validation_errors() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;

    let (status, body) = app
        .post(json!({"user_id": "alice", "problem_id": "nope", "language": "cpp", "code": "x"}))
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "unknown_problem");
    assert_eq!(body["error"]["field"], "problem_id");

    let (status, body) = app
        .post(json!({"user_id": "alice", "problem_id": "hello", "language": "cobra", "code": "x"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "unknown_language");
    assert_eq!(body["error"]["field"], "language");

    // hello's limits.code is 1 KiB.
    let (status, body) = app.post(submission(&"x".repeat(1025))).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "code");
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("limits.code: 1 KiB"));

    // Past what the largest code limit (the 128 KiB default) could need.
    let (status, body) = app.post_raw("y".repeat(6 * 128 * 1024 + 17 * 1024)).await;
    assert_eq!(status, 413, "{body}");
    assert_eq!(body["error"]["code"], "body_too_large");

    let (status, body) = app.post_raw("{\"user_id\": \"alice\",\n \"code\": }").await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"]["code"], "malformed_json");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(message.contains("line 2 column"), "{message}");

    let (status, body) = app
        .post(json!({"user_id": "alice", "problem_id": "hello", "language": "cpp"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "code");
    assert!(body["error"]["message"].as_str().unwrap().contains("code"));

    let (status, body) = app
        .post(json!({"user_id": "alice", "problem_id": 7, "language": "cpp", "code": "x"}))
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "problem_id");

    let (status, body) = app
        .post(
            json!({"user_id": "bad user!", "problem_id": "hello", "language": "cpp", "code": "x"}),
        )
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "user_id");

    let (status, body) = app.post(submission("   ")).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "code");

    // Nothing was stored by any rejected request.
    let mut conn = judge_store::store::dedicated(&redis.url()).await.unwrap();
    let len = judge_store::store::queued_jobs(&mut conn).await.unwrap();
    assert_eq!(len, 0);

    let (status, body) = app.get("/api/nope").await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        "not_found"
    );
    let (status, body) = app.get("/no/such/file").await;
    assert_eq!(status, 404);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["error"]["code"],
        "not_found"
    );
    let (status, body) = app.get("/api/submissions/0000-unknown").await;
    assert_eq!(status, 404, "{body}");
    assert!(body.contains("unknown_submission"));

    app.stop().await;
}

#[tokio::test]
async fn accepted_submission_is_stored_and_queued() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;

    let (status, body) = app
        .post(submission("print(sum(map(int, input().split())))"))
        .await;
    assert_eq!(status, 202, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    assert_eq!(body["status_url"], format!("/api/submissions/{id}"));
    assert_eq!(
        body["watch_url"],
        format!("ws://gw.example:9000/ws/submissions/{id}")
    );
    assert_eq!(body["state"]["status"], "queued");
    assert_eq!(body["state"]["tests_total"], 2);
    assert_eq!(body["state"]["seq"], 0);

    let mut conn = judge_store::store::dedicated(&redis.url()).await.unwrap();
    let state = judge_store::store::load_state(&mut conn, &id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(state.user_id, "alice");
    assert_eq!(state.problem_id, "hello");
    let record = judge_store::store::load_record(&mut conn, &id)
        .await
        .unwrap()
        .unwrap();
    let problem = judge_store::store::current_problem(&mut conn, "hello")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(record.problem_version, problem.version);
    assert_eq!(record.language, "python3");
    let len = judge_store::store::queued_jobs(&mut conn).await.unwrap();
    assert_eq!(len, 1);
    let package: Option<Vec<u8>> = judge_store::store::load_package(&mut conn, &problem.version)
        .await
        .unwrap();
    assert!(package.is_some());

    let (status, text) = app.get(&format!("/api/submissions/{id}")).await;
    assert_eq!(status, 200);
    let got: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(got["id"], id.as_str());
    assert_eq!(got["status"], "queued");

    // A second one: the user list is newest first.
    let (status, second) = app.post(submission("print(3)")).await;
    assert_eq!(status, 202);
    let (status, text) = app.get("/api/users/alice/submissions").await;
    assert_eq!(status, 200);
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(list[0]["id"], second["id"]);
    assert_eq!(list[1]["id"], id.as_str());
    let (_, text) = app.get("/api/users/bob/submissions").await;
    assert_eq!(text, "[]");

    app.stop().await;
}

#[tokio::test]
async fn problems_languages_config_and_static_never_leak_secret_data() {
    let redis = RedisServer::start();
    let app = App::start(&redis.url()).await;
    let mut bodies = Vec::new();

    let (status, text) = app.get("/api/problems").await;
    assert_eq!(status, 200);
    let list: Vec<Value> = serde_json::from_str(&text).unwrap();
    assert_eq!(list.len(), 1, "the broken problem is skipped: {text}");
    assert_eq!(list[0]["id"], "hello");
    assert_eq!(list[0]["name"], "Hello");
    assert_eq!(list[0]["tests"], 2);
    assert_eq!(list[0]["memory_mb"], 256);
    assert_eq!(list[0]["validation"], "default");
    assert!(list[0]["version"].as_str().unwrap().len() == 64);
    bodies.push(text);

    let (status, text) = app.get("/api/problems/hello").await;
    assert_eq!(status, 200);
    let p: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(p["samples"][0]["input"], "1 2\n");
    assert!(p["statement"]["text"]
        .as_str()
        .unwrap()
        .contains("Print the sum"));
    bodies.push(text);

    let (status, text) = app.get("/api/problems/broken").await;
    assert_eq!(status, 404);
    bodies.push(text);

    let (status, text) = app.get("/api/languages").await;
    assert_eq!(status, 200);
    let langs: Vec<Value> = serde_json::from_str(&text).unwrap();
    let cpp = langs.iter().find(|l| l["id"] == "cpp").unwrap();
    assert_eq!(cpp["editor_mode"], "cpp");
    assert!(cpp["extensions"]
        .as_array()
        .unwrap()
        .contains(&json!("cpp")));
    // Kattis and DOMjudge use no per-language time multiplier.
    assert!(langs
        .iter()
        .any(|l| l["id"] == "python3" && l["time_multiplier"] == 1.0));
    bodies.push(text);

    let (status, text) = app.get("/api/config").await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["gateway_url"],
        "ws://gw.example:9000"
    );
    bodies.push(text);

    let (status, text) = app.get("/healthz").await;
    assert_eq!((status, text.as_str()), (200, r#"{"status":"ok"}"#));

    let (status, text) = app.get("/").await;
    assert_eq!(status, 200);
    assert!(text.contains("judge page"));

    let (status, body) = app.post(submission("print(3)")).await;
    assert_eq!(status, 202);
    bodies.push(body.to_string());
    let (_, text) = app
        .get(&format!(
            "/api/submissions/{}",
            body["id"].as_str().unwrap()
        ))
        .await;
    bodies.push(text);

    for body in &bodies {
        assert!(
            !body.contains(SECRET_ANSWER),
            "secret answer leaked: {body}"
        );
        assert!(!body.contains(SECRET_INPUT), "secret input leaked: {body}");
    }
    app.stop().await;
}

#[tokio::test]
async fn redis_down_gives_503_json() {
    let mut redis = RedisServer::start();
    let app = App::start(&redis.url()).await;
    let (status, _) = app.get("/healthz").await;
    assert_eq!(status, 200);
    redis.stop();

    let (status, text) = app.get("/healthz").await;
    assert_eq!(status, 503, "{text}");
    let (status, body) = app.post(submission("print(1)")).await;
    assert_eq!(status, 503, "{body}");
    assert_eq!(body["error"]["code"], "store_unavailable");
    let (status, text) = app.get("/api/problems").await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains("store_unavailable"));
    app.stop().await;
}

#[tokio::test]
async fn a_user_over_the_rate_limit_gets_429_with_retry_after() {
    let redis = RedisServer::start();
    let app = App::start_with(&redis.url(), |c| c.rate_limit_per_minute = 2).await;
    assert_eq!(app.post(submission("print(1)")).await.0, 202);
    assert_eq!(app.post(submission("print(2)")).await.0, 202);
    let response = app
        .http
        .post(format!("{}/api/submissions", app.base))
        .json(&submission("print(3)"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 429);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "Retry-After {retry}");
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "rate_limited");
    // Another user is not affected.
    let mut bob = submission("print(4)");
    bob["user_id"] = json!("bob");
    assert_eq!(app.post(bob).await.0, 202);
    app.stop().await;
}

#[tokio::test]
async fn a_full_queue_gets_503_with_retry_after_and_stores_nothing() {
    let redis = RedisServer::start();
    let app = App::start_with(&redis.url(), |c| c.max_queue = 2).await;
    for n in 0..2 {
        let mut body = submission("print(1)");
        body["user_id"] = json!(format!("user{n}"));
        assert_eq!(app.post(body).await.0, 202);
    }
    let response = app
        .http
        .post(format!("{}/api/submissions", app.base))
        .json(&submission("print(2)"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 503);
    assert!(response.headers().contains_key("retry-after"));
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["code"], "queue_full");
    let (_, listed) = app.get("/api/users/alice/submissions").await;
    assert_eq!(listed, "[]", "a refused submission is not stored");

    let (status, metrics) = app.get("/metrics").await;
    assert_eq!(status, 200);
    assert!(metrics.contains("judge_queue_depth 2\n"), "{metrics}");
    assert!(metrics.contains("judge_submissions_total 2\n"), "{metrics}");
    assert!(
        metrics.contains("judge_latency_seconds_count 0\n"),
        "{metrics}"
    );
    app.stop().await;
}
