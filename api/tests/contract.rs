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
use testkit::http::{request, Req};
use testkit::state::store_package;
use testkit::{bundled_problems, tar_of, ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

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
            // A route that never answered (an event feed that does not end) fails, not hangs.
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(60))
                .build()
                .unwrap(),
            doc: api::openapi::document(),
            checked: Mutex::new(BTreeSet::new()),
        }
    }

    /// Calls `path` (an instance of the documented `route`), checks the
    /// answer against the document, and asserts its status.
    async fn call(&self, method: &str, route: &str, path: &str, req: Req<'_>, want: u16) -> Answer {
        let url = format!("{}{path}", self.base);
        let response = request(&self.http, method, &url, req).send().await.unwrap();
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
        if essence(kind) == "application/x-ndjson" {
            // One JSON document per line, each of the documented schema;
            // empty lines are keep-alives.
            let text = std::str::from_utf8(bytes).unwrap_or_else(|e| panic!("{what}: {e}"));
            let mut lines = Vec::new();
            for line in text.lines().filter(|l| !l.trim().is_empty()) {
                let line: Value = serde_json::from_str(line)
                    .unwrap_or_else(|e| panic!("{what}: a line is not JSON ({e}): {line}"));
                let errors = schema_errors(&self.doc, &media["schema"], &line);
                assert!(
                    errors.is_empty(),
                    "{what}: a line does not match its documented schema:\n{}\nline: {line:#}",
                    errors.join("\n")
                );
                lines.push(line);
            }
            return Value::Array(lines);
        }
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
    tar_of(&[("problem.yaml", "name: [unclosed\n")])
}

/// A contest package: problems A = aplusb and B = two-sum (the judge's),
/// one team whose account is the judge user alice.
fn contest_package() -> Vec<u8> {
    tar_of(&[
        ("c1/contest.yaml", "id: c1\nname: Contract Cup\nstart_time: 2099-01-01T10:00:00Z\nduration: 5:00:00\nscoreboard_freeze_duration: 1:00:00\nscoreboard_type: pass-fail\npenalty_time: 20\n"),
        ("c1/problems.yaml", "- id: aplusb\n  label: A\n  name: A plus B\n  ordinal: 1\n  rgb: '#ff0000'\n- id: two-sum\n  label: B\n  name: Two Sum\n  ordinal: 2\n"),
        ("c1/organizations.json", r#"[{"id": "org1", "name": "Org One"}]"#),
        ("c1/groups.json", r#"[{"id": "g1", "name": "Group"}]"#),
        ("c1/teams.json", r#"[{"id": "t1", "name": "Alpha", "label": "1", "organization_id": "org1", "group_ids": ["g1"]}]"#),
        ("c1/accounts.yaml", "- {id: alice, username: alice, password: x, type: team, team_id: t1}\n"),
    ])
}

/// The contest routes (`/api/contests`, `/api/admin/contests`, `/api/ccs`)
/// through a contest's life: imported, changed, registered for, started,
/// submitted to and judged, clarified, frozen and thawed, ended and
/// finalized, so that every Contest API collection has an object and the
/// event feed ends.
async fn contest_routes(c: &Contract, redis_url: &str, alice: &str, bob: &str) {
    let import = "/api/admin/contests";
    let package = contest_package();
    c.call(
        "POST",
        import,
        import,
        Req::bearer(ADMIN).tar(package.clone()),
        201,
    )
    .await;
    c.call(
        "POST",
        import,
        import,
        Req::bearer(ADMIN).tar(package.clone()),
        409,
    )
    .await;
    c.call("POST", import, import, Req::bearer(alice).tar(package), 403)
        .await;

    let list = "/api/contests";
    c.call("GET", list, list, Req::default(), 200).await;
    let one = "/api/contests/{id}";
    let before = c
        .call("GET", one, "/api/contests/c1", Req::bearer(alice), 200)
        .await;
    assert_eq!(before.body["team"]["id"], "t1", "{}", before.body);
    c.call("GET", one, "/api/contests/nosuch", Req::default(), 404)
        .await;

    // Registration: closed, then opened by an admin.
    let register = "/api/contests/{id}/register";
    c.call(
        "POST",
        register,
        "/api/contests/c1/register",
        Req::bearer(bob),
        403,
    )
    .await;
    let patch = "/api/admin/contests/{id}";
    let open = json!({ "registration_open": true, "penalty_time": "0:20:00" });
    c.call(
        "PATCH",
        patch,
        "/api/admin/contests/c1",
        Req::bearer(ADMIN).body(open),
        200,
    )
    .await;
    let bad = json!({ "duration": "five hours" });
    c.call(
        "PATCH",
        patch,
        "/api/admin/contests/c1",
        Req::bearer(ADMIN).body(bad),
        422,
    )
    .await;
    c.call(
        "POST",
        register,
        "/api/contests/c1/register",
        Req::bearer(bob),
        201,
    )
    .await;
    c.call(
        "POST",
        register,
        "/api/contests/c1/register",
        Req::bearer(bob),
        409,
    )
    .await;
    let teams = "/api/admin/contests/{id}/teams";
    let nine = json!({ "id": "t9", "name": "Nine", "members": [] });
    let tpath = "/api/admin/contests/c1/teams";
    c.call(
        "POST",
        teams,
        tpath,
        Req::bearer(ADMIN).body(nine.clone()),
        201,
    )
    .await;
    c.call("POST", teams, tpath, Req::bearer(ADMIN).body(nine), 409)
        .await;

    // Started: bob submits to it and is judged (one run).
    let action = "/api/admin/contests/{id}/{action}";
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/start",
        Req::bearer(ADMIN),
        200,
    )
    .await;
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/start",
        Req::bearer(ADMIN),
        409,
    )
    .await;
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/pause",
        Req::bearer(ADMIN),
        404,
    )
    .await;
    let submit = "/api/submissions";
    let code = |contest: &str| json!({ "problem_id": "aplusb", "language": "python3", "code": "print(1)", "contest": contest });
    let submitted = c
        .call(
            "POST",
            submit,
            submit,
            Req::bearer(bob).body(code("c1")),
            202,
        )
        .await;
    c.call(
        "POST",
        submit,
        submit,
        Req::bearer(bob).body(code("nosuch")),
        422,
    )
    .await;
    {
        let id = submitted.body["id"].as_str().unwrap();
        let mut conn = store::dedicated(redis_url).await.unwrap();
        let mut state = store::load_state(&mut conn, id).await.unwrap().unwrap();
        state.push_result(submission::TestResult {
            index: 1,
            name: "secret/1".into(),
            verdict: Verdict::AC,
            time_ms: 12,
            wall_ms: 20,
            memory_kb: 3400,
            exit_code: Some(0),
            signal: None,
            message: None,
            score: None,
            detail: None,
        });
        finish(&mut conn, state, Verdict::AC).await;
        // The awards are the board's (bob's team wins), served from c1/awards.
    }

    // Clarifications: asked, read, answered.
    let clars = "/api/contests/{id}/clarifications";
    let cpath = "/api/contests/c1/clarifications";
    let question = json!({ "problem_id": "aplusb", "text": "May the sum overflow?" });
    let asked = c
        .call(
            "POST",
            clars,
            cpath,
            Req::bearer(alice).body(question.clone()),
            201,
        )
        .await;
    c.call("POST", clars, cpath, Req::bearer(ADMIN).body(question), 403)
        .await;
    c.call("GET", clars, cpath, Req::bearer(alice), 200).await;
    c.call(
        "GET",
        clars,
        "/api/contests/nosuch/clarifications",
        Req::default(),
        404,
    )
    .await;
    let answer = "/api/admin/contests/{id}/clarifications";
    let apath = "/api/admin/contests/c1/clarifications";
    let reply = json!({ "text": "No.", "to_team_id": "t1", "reply_to_id": asked.body["id"] });
    c.call("POST", answer, apath, Req::bearer(ADMIN).body(reply), 201)
        .await;
    let nobody = json!({ "text": "Hello", "to_team_id": "nosuch" });
    c.call("POST", answer, apath, Req::bearer(ADMIN).body(nobody), 422)
        .await;

    // Frozen: the public board and the admin's.
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/freeze",
        Req::bearer(ADMIN),
        200,
    )
    .await;
    let board = "/api/contests/{id}/scoreboard";
    let public = c
        .call(
            "GET",
            board,
            "/api/contests/c1/scoreboard",
            Req::default(),
            200,
        )
        .await;
    assert_eq!(public.body["frozen"], true, "{}", public.body);
    c.call(
        "GET",
        board,
        "/api/contests/c1/scoreboard",
        Req::bearer(ADMIN),
        200,
    )
    .await;
    c.call(
        "GET",
        board,
        "/api/contests/nosuch/scoreboard",
        Req::default(),
        404,
    )
    .await;
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/thaw",
        Req::bearer(ADMIN),
        200,
    )
    .await;

    // The Contest API.
    for info in ["/api/ccs", "/api/ccs/"] {
        c.call("GET", info, info, Req::default(), 200).await;
    }
    let contests = "/api/ccs/contests";
    c.call("GET", contests, contests, Req::default(), 200).await;
    for (route, tail) in [
        ("/api/ccs/contests/{id}", ""),
        ("/api/ccs/contests/{id}/access", "/access"),
        ("/api/ccs/contests/{id}/state", "/state"),
        ("/api/ccs/contests/{id}/scoreboard", "/scoreboard"),
    ] {
        c.call(
            "GET",
            route,
            &format!("/api/ccs/contests/c1{tail}"),
            Req::bearer(alice),
            200,
        )
        .await;
        c.call(
            "GET",
            route,
            &format!("/api/ccs/contests/nosuch{tail}"),
            Req::default(),
            404,
        )
        .await;
    }
    for kind in api::contests::ccs::COLLECTIONS {
        let route = format!("/api/ccs/contests/{{id}}/{kind}");
        let all = c
            .call(
                "GET",
                &route,
                &format!("/api/ccs/contests/c1/{kind}"),
                Req::bearer(ADMIN),
                200,
            )
            .await;
        c.call(
            "GET",
            &route,
            &format!("/api/ccs/contests/c1/{kind}"),
            Req::default(),
            200,
        )
        .await;
        c.call(
            "GET",
            &route,
            &format!("/api/ccs/contests/nosuch/{kind}"),
            Req::default(),
            404,
        )
        .await;
        let first = &all.body[0]["id"];
        let item = first
            .as_str()
            .unwrap_or_else(|| panic!("no {kind} in c1: {}", all.body));
        let route = format!("{route}/{{item}}");
        c.call(
            "GET",
            &route,
            &format!("/api/ccs/contests/c1/{kind}/{item}"),
            Req::bearer(ADMIN),
            200,
        )
        .await;
        c.call(
            "GET",
            &route,
            &format!("/api/ccs/contests/c1/{kind}/nosuch"),
            Req::bearer(ADMIN),
            404,
        )
        .await;
    }
    let filtered = "/api/ccs/contests/c1/submissions?team_id=bob";
    let bobs = c
        .call(
            "GET",
            "/api/ccs/contests/{id}/submissions",
            filtered,
            Req::default(),
            200,
        )
        .await;
    assert_eq!(bobs.body.as_array().unwrap().len(), 1, "{}", bobs.body);

    // Ended (its start moved back) and finalized: the event feed ends.
    let past = json!({ "start_time": "2000-01-01T10:00:00Z" });
    c.call(
        "PATCH",
        patch,
        "/api/admin/contests/c1",
        Req::bearer(ADMIN).body(past),
        200,
    )
    .await;
    c.call(
        "POST",
        action,
        "/api/admin/contests/c1/finalize",
        Req::bearer(ADMIN),
        200,
    )
    .await;
    let feed = "/api/ccs/contests/{id}/event-feed";
    let events = c
        .call(
            "GET",
            feed,
            "/api/ccs/contests/c1/event-feed",
            Req::bearer(ADMIN),
            200,
        )
        .await;
    let kinds: BTreeSet<&str> = events
        .body
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    for kind in api::contests::ccs::COLLECTIONS
        .iter()
        .chain(&["contest", "state"])
    {
        assert!(
            kinds.contains(kind),
            "no {kind} event in the feed: {kinds:?}"
        );
    }
    c.call(
        "GET",
        feed,
        "/api/ccs/contests/c1/event-feed",
        Req::default(),
        200,
    )
    .await;
    c.call(
        "GET",
        feed,
        "/api/ccs/contests/c1/event-feed?since_token=nope",
        Req::default(),
        400,
    )
    .await;
}

/// Plays the worker for the first run in the queue: takes jobs until it
/// finds it (leaving the others alone), and finishes it with what the
/// program printed.
async fn finish_next_run(redis_url: String) {
    let mut conn = store::dedicated(&redis_url).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    let mut state = loop {
        let Some(taken) = queue::take(&mut conn, "contract-test", &queue::every_language())
            .await
            .unwrap()
        else {
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
    c.call("GET", "/healthz", "/healthz", Req::default(), 200)
        .await;
    c.call("GET", "/metrics", "/metrics", Req::default(), 200)
        .await;
    c.call(
        "GET",
        "/api/openapi.json",
        "/api/openapi.json",
        Req::default(),
        200,
    )
    .await;
    c.call(
        "GET",
        "/api/languages",
        "/api/languages",
        Req::default(),
        200,
    )
    .await;
    c.call("GET", "/api/config", "/api/config", Req::default(), 200)
        .await;
    c.call("GET", "/api/me", "/api/me", Req::bearer(ADMIN), 200)
        .await;
    c.call("GET", "/api/me", "/api/me", Req::default(), 401)
        .await;

    // Accounts: a session, then a token.
    let creds = json!({ "username": "alice", "password": "correct horse" });
    let signup = "/api/auth/signup";
    let session = c
        .call(
            "POST",
            signup,
            signup,
            Req::default().body(creds.clone()),
            201,
        )
        .await;
    c.call(
        "POST",
        signup,
        signup,
        Req::default().body(creds.clone()),
        409,
    )
    .await;
    let bad = json!({ "username": "no spaces", "password": "correct horse" });
    c.call("POST", signup, signup, Req::default().body(bad), 422)
        .await;
    let signin = "/api/auth/signin";
    c.call(
        "POST",
        signin,
        signin,
        Req::default().body(creds.clone()),
        200,
    )
    .await;
    let wrong = json!({ "username": "alice", "password": "wrong horse" });
    c.call(
        "POST",
        signin,
        signin,
        Req::default().body(wrong.clone()),
        401,
    )
    .await;
    let cookie = session.headers["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_string();
    let csrf = session.body["csrf_token"].as_str().unwrap().to_string();
    let with_cookie = || Req::cookie(&cookie);
    let s = "/api/auth/session";
    let info = c.call("GET", s, s, with_cookie(), 200).await;
    assert_eq!(info.body["signed_in"], true);
    c.call("GET", s, s, Req::default(), 200).await;
    let tokens = "/api/auth/tokens";
    let alice = c
        .call("POST", tokens, tokens, Req::default().body(creds), 201)
        .await;
    let alice = alice.body["token"].as_str().unwrap().to_string();
    c.call("POST", tokens, tokens, Req::default().body(wrong), 401)
        .await;
    // The caller's tokens: listed and revoked by id, never shown again.
    let expiring = json!({ "username": "alice", "password": "correct horse", "expires_in": 3600 });
    let spare = c
        .call("POST", tokens, tokens, Req::default().body(expiring), 201)
        .await;
    c.call("GET", tokens, tokens, Req::bearer(&alice), 200)
        .await;
    c.call("GET", tokens, tokens, Req::default(), 401).await;
    let one = "/api/auth/tokens/{id}";
    let spare = format!("{tokens}/{}", spare.body["id"].as_str().unwrap());
    c.call("DELETE", one, &spare, Req::bearer(&alice), 204)
        .await;
    c.call("DELETE", one, &spare, Req::bearer(&alice), 404)
        .await;
    let signout = "/api/auth/signout";
    c.call("POST", signout, signout, with_cookie(), 403).await;
    let out = with_cookie().csrf(&csrf);
    c.call("POST", signout, signout, out, 204).await;

    // Admin: users and settings.
    let users = "/api/admin/users";
    let bob = json!({ "user_id": "bob", "admin": false });
    c.call(
        "POST",
        users,
        users,
        Req::bearer(ADMIN).body(bob.clone()),
        201,
    )
    .await;
    c.call("POST", users, users, Req::default().body(bob.clone()), 401)
        .await;
    c.call("POST", users, users, Req::bearer(&alice).body(bob), 403)
        .await;
    c.call(
        "POST",
        users,
        users,
        Req::bearer(ADMIN).body(json!({})),
        422,
    )
    .await;
    let right = "/api/admin/users/{user_id}/admin";
    let yes = json!({ "admin": false });
    c.call(
        "PUT",
        right,
        "/api/admin/users/alice/admin",
        Req::bearer(ADMIN).body(yes.clone()),
        200,
    )
    .await;
    c.call(
        "PUT",
        right,
        "/api/admin/users/nobody/admin",
        Req::bearer(ADMIN).body(yes),
        404,
    )
    .await;
    let enable = "/api/admin/languages/{id}/enable";
    let lua = "/api/admin/languages/lua/enable";
    c.call("POST", enable, lua, Req::bearer(ADMIN), 200).await;
    c.call("POST", enable, lua, Req::bearer(&alice), 403).await;
    let cobra = "/api/admin/languages/cobra/enable";
    c.call("POST", enable, cobra, Req::bearer(ADMIN), 422).await;
    let settings = "/api/admin/settings";
    c.call("GET", settings, settings, Req::bearer(ADMIN), 200)
        .await;
    c.call("GET", settings, settings, Req::bearer(&alice), 403)
        .await;
    let open = json!({ "signup_open": true });
    c.call(
        "PUT",
        settings,
        settings,
        Req::bearer(ADMIN).body(open),
        200,
    )
    .await;
    c.call(
        "PUT",
        settings,
        settings,
        Req::bearer(ADMIN).body(json!({})),
        422,
    )
    .await;

    // Problem packages: import (new, unchanged, draft), check, publish.
    let (aplusb, _) = problem::pack(&bundled("aplusb")).unwrap();
    let import = "/api/admin/problems/{id}";
    let path = "/api/admin/problems/aplusb";
    c.call(
        "PUT",
        import,
        path,
        Req::bearer(ADMIN).tar(aplusb.clone()),
        201,
    )
    .await;
    c.call(
        "PUT",
        import,
        path,
        Req::bearer(ADMIN).tar(aplusb.clone()),
        200,
    )
    .await;
    c.call(
        "PUT",
        import,
        path,
        Req::bearer(ADMIN).tar(broken_package()),
        422,
    )
    .await;
    c.call(
        "PUT",
        import,
        path,
        Req::bearer(&alice).tar(aplusb.clone()),
        403,
    )
    .await;
    let validate = "/api/admin/problems/{id}/validate";
    let vpath = "/api/admin/problems/aplusb/validate";
    c.call("POST", validate, vpath, Req::bearer(ADMIN).tar(aplusb), 200)
        .await;
    c.call(
        "POST",
        validate,
        vpath,
        Req::bearer(ADMIN).tar(broken_package()),
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
            Req::bearer(ADMIN).tar(draft),
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
        Req::bearer(ADMIN),
        200,
    )
    .await;
    c.call(
        "POST",
        publish,
        &format!("{path}/versions/abc123/publish"),
        Req::bearer(ADMIN),
        422,
    )
    .await;

    // Problems, statements, starter code.
    let list = "/api/problems";
    let problems = c.call("GET", list, list, Req::bearer(&alice), 200).await;
    assert!(problems.body[0].get("best").is_some(), "{}", problems.body);
    c.call("GET", list, list, Req::default(), 200).await;
    c.call(
        "GET",
        list,
        "/api/problems?user=BAD%20USER",
        Req::bearer(ADMIN),
        422,
    )
    .await;
    let one = "/api/problems/{id}";
    for id in ["aplusb", "two-sum", "figure"] {
        c.call(
            "GET",
            one,
            &format!("/api/problems/{id}"),
            Req::default(),
            200,
        )
        .await;
    }
    c.call("GET", one, "/api/problems/nosuch", Req::default(), 404)
        .await;
    let file = "/api/problems/{id}/statement/{file}";
    c.call(
        "GET",
        file,
        "/api/problems/figure/statement/bars.png",
        Req::default(),
        200,
    )
    .await;
    c.call(
        "GET",
        file,
        "/api/problems/figure/statement/nope.png",
        Req::default(),
        404,
    )
    .await;
    let stub = "/api/problems/{id}/stub/{language}";
    c.call(
        "GET",
        stub,
        "/api/problems/two-sum/stub/python3",
        Req::default(),
        200,
    )
    .await;
    c.call(
        "GET",
        stub,
        "/api/problems/aplusb/stub/python3",
        Req::default(),
        404,
    )
    .await;
    c.call(
        "GET",
        stub,
        "/api/problems/two-sum/stub/no-such-language",
        Req::default(),
        422,
    )
    .await;

    // Submissions: submit, read, list; the rejudges once it is finished.
    let submit = "/api/submissions";
    let code = json!({ "problem_id": "aplusb", "language": "python3", "code": "print(1)" });
    let submitted = c
        .call("POST", submit, submit, Req::bearer(&alice).body(code), 202)
        .await;
    let id = submitted.body["id"].as_str().unwrap().to_string();
    let nosuch = json!({ "problem_id": "nosuch", "language": "python3", "code": "print(1)" });
    c.call(
        "POST",
        submit,
        submit,
        Req::bearer(&alice).body(nosuch),
        404,
    )
    .await;
    let cobol = json!({ "problem_id": "aplusb", "language": "no-such-language", "code": "x" });
    c.call("POST", submit, submit, Req::bearer(&alice).body(cobol), 422)
        .await;
    c.call("POST", submit, submit, Req::bearer(&alice).text("{"), 400)
        .await;
    let state = "/api/submissions/{id}";
    c.call(
        "GET",
        state,
        &format!("/api/submissions/{id}"),
        Req::bearer(&alice),
        200,
    )
    .await;
    c.call(
        "GET",
        state,
        "/api/submissions/0190f2a4-0000-7000-8000-000000000000",
        Req::bearer(&alice),
        404,
    )
    .await;
    let code = "/api/submissions/{id}/code";
    c.call(
        "GET",
        code,
        &format!("/api/submissions/{id}/code"),
        Req::bearer(&alice),
        200,
    )
    .await;
    let bob = c
        .call(
            "POST",
            users,
            users,
            Req::bearer(ADMIN).body(json!({ "user_id": "bob" })),
            201,
        )
        .await;
    let bob = bob.body["token"].as_str().unwrap().to_string();
    c.call(
        "GET",
        code,
        &format!("/api/submissions/{id}/code"),
        Req::bearer(&bob),
        403,
    )
    .await;
    let rejudge = "/api/admin/submissions/{id}/rejudge";
    let rpath = format!("/api/admin/submissions/{id}/rejudge");
    c.call("POST", rejudge, &rpath, Req::bearer(ADMIN), 409)
        .await;
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
            Req::bearer(&alice),
            200,
        )
        .await;
    assert_eq!(mine.body[0]["verdict"], "WA");
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions?verdict=WA&problem=aplusb",
        Req::bearer(&alice),
        200,
    )
    .await;
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions?verdict=NOPE",
        Req::bearer(&alice),
        422,
    )
    .await;
    c.call(
        "GET",
        history,
        "/api/users/alice/submissions",
        Req::bearer(&bob),
        403,
    )
    .await;
    let listed = c.call("GET", list, list, Req::bearer(&alice), 200).await;
    let best = listed
        .body
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "aplusb");
    assert_eq!(best.unwrap()["best"]["verdict"], "WA", "{}", listed.body);
    // Cancels: an admin's of any submission, an owner's of their own.
    let cancel = "/api/admin/submissions/{id}/cancel";
    let own_cancel = "/api/submissions/{id}/cancel";
    for (route, token) in [(cancel, ADMIN), (own_cancel, alice.as_str())] {
        let code = json!({ "problem_id": "aplusb", "language": "python3", "code": "print(2)" });
        let queued = c
            .call("POST", submit, submit, Req::bearer(&alice).body(code), 202)
            .await;
        let queued = queued.body["id"].as_str().unwrap().to_string();
        let path = route.replace("{id}", &queued);
        if route == own_cancel {
            c.call("POST", route, &path, Req::bearer(&bob), 403).await;
        }
        let done = c.call("POST", route, &path, Req::bearer(token), 200).await;
        assert_eq!(done.body["state"]["status"], "cancelled", "{}", done.body);
        assert_eq!(done.body["was_waiting"], true, "{}", done.body);
        c.call("POST", route, &path, Req::bearer(token), 409).await;
        let unknown = route.replace("{id}", "0190f2a4-0000-7000-8000-000000000000");
        c.call("POST", route, &unknown, Req::bearer(token), 404)
            .await;
    }
    c.call(
        "POST",
        cancel,
        &format!("/api/admin/submissions/{id}/cancel"),
        Req::bearer(&alice),
        403,
    )
    .await;
    c.call("POST", rejudge, &rpath, Req::bearer(ADMIN), 202)
        .await;
    c.call(
        "POST",
        rejudge,
        "/api/admin/submissions/nosuch/rejudge",
        Req::bearer(ADMIN),
        404,
    )
    .await;
    let all = "/api/admin/problems/{id}/rejudge";
    c.call(
        "POST",
        all,
        "/api/admin/problems/aplusb/rejudge",
        Req::bearer(ADMIN),
        202,
    )
    .await;
    c.call(
        "POST",
        all,
        "/api/admin/problems/nosuch/rejudge",
        Req::bearer(ADMIN),
        404,
    )
    .await;

    // A run: the answer comes once a "worker" finished it.
    let run = "/api/run";
    let worker = tokio::spawn(finish_next_run(url.clone()));
    let body = json!({ "language": "python3", "code": "print(1)", "input": "x\n" });
    let ran = c
        .call("POST", run, run, Req::bearer(&alice).body(body), 200)
        .await;
    worker.await.unwrap();
    assert_eq!(ran.body["stdout"], "1\n");
    let cobol = json!({ "language": "no-such-language", "code": "x" });
    c.call("POST", run, run, Req::bearer(&alice).body(cobol), 422)
        .await;

    contest_routes(&c, &url, &alice, &bob).await;

    // Redis down: the health check and the metrics say so.
    redis.stop();
    c.call("GET", "/healthz", "/healthz", Req::default(), 503)
        .await;
    c.call("GET", "/metrics", "/metrics", Req::default(), 503)
        .await;

    // Every documented operation was answered: a success, and an error
    // wherever the document lists one.
    let checked = c.checked.lock().unwrap().clone();
    let mut unchecked = Vec::new();
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
            if !seen(|s| s < 400) {
                unchecked.push(format!("{method} {route}: no success checked"));
            }
            if statuses.iter().any(|s| *s >= 400) && !seen(|s| s >= 400) {
                unchecked.push(format!("{method} {route}: no error checked"));
            }
        }
    }
    assert!(unchecked.is_empty(), "{}", unchecked.join("\n"));
    api.stop().await;
}
