//! The API keeps its contract: every route's real answers, a success and
//! a representative error each, validate against the response schema that
//! `GET /api/openapi.json` documents for their status (JSON Schema 2020-12,
//! as OpenAPI 3.1 writes it), on a real Redis. Answers that need a worker
//! (a run, a finished submission) get their states written to Redis the
//! way a worker writes them.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Mutex;
use std::time::Duration;

use judge_store::{queue, store};
use problem_package::problem;
use serde_json::{json, Value};
use submission::{now_ms, EventKind, Job, RunOutput, Verdict, RUN_PROBLEM_ID};
use testkit::state::store_package;
use testkit::{bundled_problems, ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

/// One request: credentials and a JSON or raw body.
#[derive(Default)]
struct Req<'a> {
    bearer: Option<&'a str>,
    cookie: Option<&'a str>,
    csrf: Option<&'a str>,
    json: Option<Value>,
    raw: Option<(&'static str, Vec<u8>)>,
}

fn bearer(token: &str) -> Req<'_> {
    Req {
        bearer: Some(token),
        ..Req::default()
    }
}

fn anonymous() -> Req<'static> {
    Req::default()
}

impl<'a> Req<'a> {
    fn json(mut self, body: Value) -> Self {
        self.json = Some(body);
        self
    }

    /// A body that is no JSON, sent as JSON.
    fn text(mut self, text: &str) -> Self {
        self.raw = Some(("application/json", text.as_bytes().to_vec()));
        self
    }

    fn tar(mut self, tar: Vec<u8>) -> Self {
        self.raw = Some(("application/x-tar", tar));
        self
    }
}

struct Answer {
    headers: reqwest::header::HeaderMap,
    /// The body as JSON (`Value::Null` when it is not JSON).
    body: Value,
}

/// The API, its document, and the (method, route, status) answers checked so far.
struct Contract {
    base: String,
    http: reqwest::Client,
    doc: Value,
    checked: Mutex<BTreeSet<(String, String, u16)>>,
}

impl Contract {
    fn new(base: &str) -> Contract {
        Contract {
            base: base.to_string(),
            http: reqwest::Client::new(),
            doc: api::openapi::document(),
            checked: Mutex::new(BTreeSet::new()),
        }
    }

    /// Calls `path` (an instance of the documented `route`), checks the
    /// answer against the document, and asserts its status.
    async fn call(&self, method: &str, route: &str, path: &str, req: Req<'_>, want: u16) -> Answer {
        let mut r = self
            .http
            .request(method.parse().unwrap(), format!("{}{path}", self.base));
        if let Some(t) = req.bearer {
            r = r.bearer_auth(t);
        }
        if let Some(c) = req.cookie {
            r = r.header("cookie", c);
        }
        if let Some(c) = req.csrf {
            r = r.header("x-csrf-token", c);
        }
        if let Some(body) = req.json {
            r = r
                .header("content-type", "application/json")
                .body(body.to_string());
        }
        if let Some((kind, bytes)) = req.raw {
            r = r.header("content-type", kind).body(bytes);
        }
        let response = r.send().await.unwrap();
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let bytes = response.bytes().await.unwrap();
        let body = self.check(method, route, status, &headers, &bytes);
        assert_eq!(
            status,
            want,
            "{method} {path}: {}",
            String::from_utf8_lossy(&bytes)
        );
        Answer { headers, body }
    }

    /// Checks one answer against the documented response of its status;
    /// returns its JSON.
    fn check(
        &self,
        method: &str,
        route: &str,
        status: u16,
        headers: &reqwest::header::HeaderMap,
        bytes: &[u8],
    ) -> Value {
        let what = format!("{method} {route} {status}");
        let operation = &self.doc["paths"][route][method.to_lowercase()];
        assert!(operation.is_object(), "{what}: route not documented");
        let response = &operation["responses"][status.to_string()];
        assert!(
            response.is_object(),
            "{what}: status not documented: {}",
            String::from_utf8_lossy(bytes)
        );
        self.checked
            .lock()
            .unwrap()
            .insert((method.to_lowercase(), route.to_string(), status));
        let content = response["content"].as_object();
        let Some(content) = content.filter(|c| !c.is_empty()) else {
            assert!(bytes.is_empty(), "{what}: documented without a body");
            return Value::Null;
        };
        let kind = headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let essence = |t: &str| t.split(';').next().unwrap_or("").trim().to_string();
        let media = content
            .get(kind)
            .or_else(|| {
                content
                    .iter()
                    .find(|(k, _)| essence(k) == essence(kind))
                    .map(|(_, v)| v)
            })
            .unwrap_or_else(|| panic!("{what}: content type {kind:?} not documented"));
        if essence(kind) != "application/json" {
            if media["schema"]["type"] == "string" {
                assert!(std::str::from_utf8(bytes).is_ok(), "{what}: not text");
            }
            return Value::Null;
        }
        let body: Value = serde_json::from_slice(bytes).unwrap_or_else(|e| {
            panic!("{what}: not JSON ({e}): {}", String::from_utf8_lossy(bytes))
        });
        if let Some(schema) = media.get("schema") {
            let errors = schema_errors(&self.doc, schema, &body);
            assert!(
                errors.is_empty(),
                "{what}: the answer does not match its documented schema:\n{}\nanswer: {body:#}",
                errors.join("\n")
            );
        }
        body
    }
}

/// Why `instance` does not validate against `schema`, whose `$ref`s point
/// into the document's components: the schema is checked as part of a
/// schema that carries those components, so `#/components/schemas/X` resolves.
fn schema_errors(doc: &Value, schema: &Value, instance: &Value) -> Vec<String> {
    let root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": doc["components"],
        "allOf": [schema],
    });
    let validator = jsonschema::draft202012::new(&root)
        .unwrap_or_else(|e| panic!("the document's schema does not compile: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("  at {:?}: {e}", e.instance_path().as_str()))
        .collect()
}

/// A bundled package, stored as an import would store it.
async fn store_bundled(redis_url: &str, id: &str) {
    let mut conn = store::dedicated(redis_url).await.unwrap();
    store_package(&mut conn, &bundled(id)).await;
}

fn bundled(id: &str) -> std::path::PathBuf {
    bundled_problems().join(id)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// A tar with a `problem.yaml` that is no YAML.
fn broken_package() -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let text = b"name: [unclosed\n";
    let mut header = tar::Header::new_gnu();
    header.set_size(text.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    builder
        .append_data(&mut header, "problem.yaml", &text[..])
        .unwrap();
    builder.into_inner().unwrap()
}

/// Plays the worker for the first run in the queue: takes jobs until it
/// finds it (leaving the others alone), and finishes it with what the
/// program printed.
async fn finish_next_run(redis_url: String) {
    let mut conn = store::dedicated(&redis_url).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    let mut state = loop {
        let Some(taken) = queue::take(&mut conn, "contract-test").await.unwrap() else {
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        let job: Job = serde_json::from_str(taken.job.as_deref().unwrap()).unwrap();
        let state = store::load_state(&mut conn, &job.submission_id)
            .await
            .unwrap()
            .unwrap();
        if state.problem_id == RUN_PROBLEM_ID {
            break state;
        }
    };
    state.run_output = Some(RunOutput {
        stdout: "1\n".into(),
        stderr: String::new(),
        truncated: false,
    });
    state.compile_output = Some("warning: nothing".into());
    finish(&mut conn, state, Verdict::AC).await;
}

/// Stores `state` finished with `verdict`, as a worker does.
async fn finish(
    conn: &mut redis::aio::MultiplexedConnection,
    mut state: submission::SubmissionState,
    verdict: Verdict,
) {
    state.finish(verdict, now_ms());
    state.time_ms = 12;
    state.memory_kb = 3400;
    state.seq += 1;
    let stored = store::publish_state(conn, EventKind::Finished, &state)
        .await
        .unwrap();
    assert!(stored, "the finished state was stored");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_route_answers_as_documented() {
    let mut redis = RedisServer::start();
    let url = redis.url();
    let api = ApiServer::start(api::serve, &url, ADMIN).await;
    let c = Contract::new(&api.base);
    store_bundled(&url, "two-sum").await;
    store_bundled(&url, "figure").await;

    // Meta and the document itself.
    c.call("GET", "/healthz", "/healthz", anonymous(), 200)
        .await;
    c.call("GET", "/metrics", "/metrics", anonymous(), 200)
        .await;
    c.call(
        "GET",
        "/api/openapi.json",
        "/api/openapi.json",
        anonymous(),
        200,
    )
    .await;
    c.call("GET", "/api/languages", "/api/languages", anonymous(), 200)
        .await;
    c.call("GET", "/api/config", "/api/config", anonymous(), 200)
        .await;
    c.call("GET", "/api/me", "/api/me", bearer(ADMIN), 200)
        .await;
    c.call("GET", "/api/me", "/api/me", anonymous(), 401).await;

    // Accounts: a session, then a token.
    let creds = json!({ "username": "alice", "password": "correct horse" });
    let signup = "/api/auth/signup";
    let session = c
        .call("POST", signup, signup, anonymous().json(creds.clone()), 201)
        .await;
    c.call("POST", signup, signup, anonymous().json(creds.clone()), 409)
        .await;
    let bad = json!({ "username": "no spaces", "password": "correct horse" });
    c.call("POST", signup, signup, anonymous().json(bad), 422)
        .await;
    let signin = "/api/auth/signin";
    c.call("POST", signin, signin, anonymous().json(creds.clone()), 200)
        .await;
    let wrong = json!({ "username": "alice", "password": "wrong horse" });
    c.call("POST", signin, signin, anonymous().json(wrong.clone()), 401)
        .await;
    let cookie = session.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = session.body["csrf_token"].as_str().unwrap().to_string();
    let with_cookie = || Req {
        cookie: Some(&cookie),
        ..Req::default()
    };
    let s = "/api/auth/session";
    let info = c.call("GET", s, s, with_cookie(), 200).await;
    assert_eq!(info.body["signed_in"], true);
    c.call("GET", s, s, anonymous(), 200).await;
    let tokens = "/api/auth/tokens";
    let alice = c
        .call("POST", tokens, tokens, anonymous().json(creds), 201)
        .await;
    let alice = alice.body["token"].as_str().unwrap().to_string();
    c.call("POST", tokens, tokens, anonymous().json(wrong), 401)
        .await;
    // The caller's tokens: listed and revoked by id, never shown again.
    let expiring = json!({ "username": "alice", "password": "correct horse", "expires_in": 3600 });
    let spare = c
        .call("POST", tokens, tokens, anonymous().json(expiring), 201)
        .await;
    c.call("GET", tokens, tokens, bearer(&alice), 200).await;
    c.call("GET", tokens, tokens, anonymous(), 401).await;
    let one = "/api/auth/tokens/{id}";
    let spare = format!("{tokens}/{}", spare.body["id"].as_str().unwrap());
    c.call("DELETE", one, &spare, bearer(&alice), 204).await;
    c.call("DELETE", one, &spare, bearer(&alice), 404).await;
    let signout = "/api/auth/signout";
    c.call("POST", signout, signout, with_cookie(), 403).await;
    let out = Req {
        csrf: Some(&csrf),
        ..with_cookie()
    };
    c.call("POST", signout, signout, out, 204).await;

    // Admin: users and settings.
    let users = "/api/admin/users";
    let bob = json!({ "user_id": "bob", "admin": false });
    c.call("POST", users, users, bearer(ADMIN).json(bob.clone()), 201)
        .await;
    c.call("POST", users, users, anonymous().json(bob.clone()), 401)
        .await;
    c.call("POST", users, users, bearer(&alice).json(bob), 403)
        .await;
    c.call("POST", users, users, bearer(ADMIN).json(json!({})), 422)
        .await;
    let right = "/api/admin/users/{user_id}/admin";
    let yes = json!({ "admin": false });
    c.call(
        "PUT",
        right,
        "/api/admin/users/alice/admin",
        bearer(ADMIN).json(yes.clone()),
        200,
    )
    .await;
    c.call(
        "PUT",
        right,
        "/api/admin/users/nobody/admin",
        bearer(ADMIN).json(yes),
        404,
    )
    .await;
    let enable = "/api/admin/languages/{id}/enable";
    let lua = "/api/admin/languages/lua/enable";
    c.call("POST", enable, lua, bearer(ADMIN), 200).await;
    c.call("POST", enable, lua, bearer(&alice), 403).await;
    let cobra = "/api/admin/languages/cobra/enable";
    c.call("POST", enable, cobra, bearer(ADMIN), 422).await;
    let settings = "/api/admin/settings";
    c.call("GET", settings, settings, bearer(ADMIN), 200).await;
    c.call("GET", settings, settings, bearer(&alice), 403).await;
    let open = json!({ "signup_open": true });
    c.call("PUT", settings, settings, bearer(ADMIN).json(open), 200)
        .await;
    c.call(
        "PUT",
        settings,
        settings,
        bearer(ADMIN).json(json!({})),
        422,
    )
    .await;

    // Problem packages: import (new, unchanged, draft), check, publish.
    let (aplusb, _) = problem::pack(&bundled("aplusb")).unwrap();
    let import = "/api/admin/problems/{id}";
    let path = "/api/admin/problems/aplusb";
    c.call("PUT", import, path, bearer(ADMIN).tar(aplusb.clone()), 201)
        .await;
    c.call("PUT", import, path, bearer(ADMIN).tar(aplusb.clone()), 200)
        .await;
    c.call(
        "PUT",
        import,
        path,
        bearer(ADMIN).tar(broken_package()),
        422,
    )
    .await;
    c.call("PUT", import, path, bearer(&alice).tar(aplusb.clone()), 403)
        .await;
    let validate = "/api/admin/problems/{id}/validate";
    let vpath = "/api/admin/problems/aplusb/validate";
    c.call("POST", validate, vpath, bearer(ADMIN).tar(aplusb), 200)
        .await;
    c.call(
        "POST",
        validate,
        vpath,
        bearer(ADMIN).tar(broken_package()),
        422,
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let changed = dir.path().join("aplusb");
    copy_dir(&bundled("aplusb"), &changed);
    let yaml = changed.join("problem.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap() + "\n# a new version\n";
    std::fs::write(&yaml, text).unwrap();
    let (draft, _) = problem::pack(&changed).unwrap();
    let stored = c
        .call(
            "PUT",
            import,
            &format!("{path}?draft=true"),
            bearer(ADMIN).tar(draft),
            200,
        )
        .await;
    assert_eq!(stored.body["draft"], true);
    let version = stored.body["version"].as_str().unwrap();
    let publish = "/api/admin/problems/{id}/versions/{version}/publish";
    c.call(
        "POST",
        publish,
        &format!("{path}/versions/{version}/publish"),
        bearer(ADMIN),
        200,
    )
    .await;
    c.call(
        "POST",
        publish,
        &format!("{path}/versions/abc123/publish"),
        bearer(ADMIN),
        422,
    )
    .await;

    // Problems, statements, starter code.
    let list = "/api/problems";
    let problems = c.call("GET", list, list, bearer(&alice), 200).await;
    assert!(problems.body[0].get("best").is_some(), "{}", problems.body);
    c.call("GET", list, list, anonymous(), 200).await;
    c.call(
        "GET",
        list,
        "/api/problems?user=BAD%20USER",
        bearer(ADMIN),
        422,
    )
    .await;
    let one = "/api/problems/{id}";
    for id in ["aplusb", "two-sum", "figure"] {
        c.call("GET", one, &format!("/api/problems/{id}"), anonymous(), 200)
            .await;
    }
    c.call("GET", one, "/api/problems/nosuch", anonymous(), 404)
        .await;
    let file = "/api/problems/{id}/statement/{file}";
    c.call(
        "GET",
        file,
        "/api/problems/figure/statement/bars.png",
        anonymous(),
        200,
    )
    .await;
    c.call(
        "GET",
        file,
        "/api/problems/figure/statement/nope.png",
        anonymous(),
        404,
    )
    .await;
    let stub = "/api/problems/{id}/stub/{language}";
    c.call(
        "GET",
        stub,
        "/api/problems/two-sum/stub/python3",
        anonymous(),
        200,
    )
    .await;
    c.call(
        "GET",
        stub,
        "/api/problems/aplusb/stub/python3",
        anonymous(),
        404,
    )
    .await;
    c.call(
        "GET",
        stub,
        "/api/problems/two-sum/stub/cobol",
        anonymous(),
        422,
    )
    .await;

    // Submissions: submit, read, list; the rejudges once it is finished.
    let submit = "/api/submissions";
    let code = json!({ "problem_id": "aplusb", "language": "python3", "code": "print(1)" });
    let submitted = c
        .call("POST", submit, submit, bearer(&alice).json(code), 202)
        .await;
    let id = submitted.body["id"].as_str().unwrap().to_string();
    let nosuch = json!({ "problem_id": "nosuch", "language": "python3", "code": "print(1)" });
    c.call("POST", submit, submit, bearer(&alice).json(nosuch), 404)
        .await;
    let cobol = json!({ "problem_id": "aplusb", "language": "cobol", "code": "x" });
    c.call("POST", submit, submit, bearer(&alice).json(cobol), 422)
        .await;
    c.call("POST", submit, submit, bearer(&alice).text("{"), 400)
        .await;
    let state = "/api/submissions/{id}";
    c.call(
        "GET",
        state,
        &format!("/api/submissions/{id}"),
        bearer(&alice),
        200,
    )
    .await;
    c.call(
        "GET",
        state,
        "/api/submissions/0190f2a4-0000-7000-8000-000000000000",
        bearer(&alice),
        404,
    )
    .await;
    let code = "/api/submissions/{id}/code";
    c.call(
        "GET",
        code,
        &format!("/api/submissions/{id}/code"),
        bearer(&alice),
        200,
    )
    .await;
    let bob = c
        .call(
            "POST",
            users,
            users,
            bearer(ADMIN).json(json!({ "user_id": "bob" })),
            201,
        )
        .await;
    let bob = bob.body["token"].as_str().unwrap().to_string();
    c.call(
        "GET",
        code,
        &format!("/api/submissions/{id}/code"),
        bearer(&bob),
        403,
    )
    .await;
    let rejudge = "/api/admin/submissions/{id}/rejudge";
    let rpath = format!("/api/admin/submissions/{id}/rejudge");
    c.call("POST", rejudge, &rpath, bearer(ADMIN), 409).await;
    {
        let mut conn = store::dedicated(&url).await.unwrap();
        let queued = store::load_state(&mut conn, &id).await.unwrap().unwrap();
        finish(&mut conn, queued, Verdict::WA).await;
    }
    let history = "/api/users/{user_id}/submissions";
    let mine = c
        .call(
            "GET",
            history,
            "/api/users/alice/submissions",
            bearer(&alice),
            200,
        )
        .await;
    assert_eq!(mine.body[0]["verdict"], "WA");
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions?verdict=WA&problem=aplusb",
        bearer(&alice),
        200,
    )
    .await;
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions?verdict=NOPE",
        bearer(&alice),
        422,
    )
    .await;
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions",
        bearer(&bob),
        403,
    )
    .await;
    let listed = c.call("GET", list, list, bearer(&alice), 200).await;
    let best = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "aplusb");
    assert_eq!(best.unwrap()["best"]["verdict"], "WA", "{}", listed.body);
    c.call("POST", rejudge, &rpath, bearer(ADMIN), 202).await;
    c.call(
        "POST",
        rejudge,
        "/api/admin/submissions/nosuch/rejudge",
        bearer(ADMIN),
        404,
    )
    .await;
    let all = "/api/admin/problems/{id}/rejudge";
    c.call(
        "POST",
        all,
        "/api/admin/problems/aplusb/rejudge",
        bearer(ADMIN),
        202,
    )
    .await;
    c.call(
        "POST",
        all,
        "/api/admin/problems/nosuch/rejudge",
        bearer(ADMIN),
        404,
    )
    .await;

    // A run: the answer comes once a "worker" finished it.
    let run = "/api/run";
    let worker = tokio::spawn(finish_next_run(url.clone()));
    let body = json!({ "language": "python3", "code": "print(1)", "input": "x\n" });
    let ran = c
        .call("POST", run, run, bearer(&alice).json(body), 200)
        .await;
    worker.await.unwrap();
    assert_eq!(ran.body["stdout"], "1\n");
    let cobol = json!({ "language": "cobol", "code": "x" });
    c.call("POST", run, run, bearer(&alice).json(cobol), 422)
        .await;

    // Redis down: the health check and the metrics say so.
    redis.stop();
    c.call("GET", "/healthz", "/healthz", anonymous(), 503)
        .await;
    c.call("GET", "/metrics", "/metrics", anonymous(), 503)
        .await;

    // Every documented operation was answered: a success, and an error
    // wherever the document lists one.
    let checked = c.checked.lock().unwrap().clone();
    for (route, item) in c.doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            let statuses: Vec<u16> = operation["responses"]
                .as_object()
                .unwrap()
                .keys()
                .map(|s| s.parse().unwrap())
                .collect();
            let seen = |ok: fn(u16) -> bool| {
                checked
                    .iter()
                    .any(|(m, r, s)| m == method && r == route && ok(*s))
            };
            assert!(seen(|s| s < 400), "{method} {route}: no success checked");
            if statuses.iter().any(|s| *s >= 400) {
                assert!(seen(|s| s >= 400), "{method} {route}: no error checked");
            }
        }
    }
    api.stop().await;
}
