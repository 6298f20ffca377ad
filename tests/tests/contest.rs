//! A contest end to end on the real stack (API, Redis, Docker workers, the
//! `judge` CLI): an admin imports a contest package with two bundled
//! problems and three ICPC-style teams; before the start the teams cannot
//! see its problems; teams submit (accepted, wrong, compile error) and the
//! workers judge them; the scoreboard has the right solved counts, penalty
//! (CE costs none) and ranks; a submission after the freeze is pending on
//! the public board but not the admin's until the thaw; clarifications go
//! to whom they should; after the end a submission is practice and the
//! board does not move; `judge contest scoreboard` prints the table. A
//! WebSocket viewer of the gateway's `/ws/contests/{id}` gets the board,
//! then a judged submission's row live. The
//! Contest API's answers on every endpoint validate against the spec's JSON
//! schemas, and the event feed read in two parts (`since_token`) joins into
//! the whole; `since_id` and an unknown token are 400. The awards (winner,
//! first to solve, group winner) follow the board.

use std::path::{Path, PathBuf};
use std::time::Duration;

use judge_tests::stack::ADMIN_TOKEN;
use judge_tests::{aplusb_with_time_limit, bundled_problems, Stack};
use serde_json::{json, Value};
use testkit::ccs_schema::assert_valid;
use testkit::cli::judge;

const VERDICT_WITHIN: Duration = Duration::from_secs(180);

/// The schema of one object of an endpoint (or event type).
fn schema_of(kind: &str) -> &'static str {
    match kind {
        "contest" | "contests" => "contest.json",
        "judgement-types" => "judgement-type.json",
        "languages" => "language.json",
        "problems" => "problem.json",
        "groups" => "group.json",
        "organizations" => "organization.json",
        "teams" => "team.json",
        "accounts" => "account.json",
        "state" => "state.json",
        "submissions" => "submission.json",
        "judgements" => "judgement.json",
        "runs" => "run.json",
        "clarifications" => "clarification.json",
        "awards" => "award.json",
        other => panic!("no schema for {other}"),
    }
}

struct Api {
    url: String,
    client: reqwest::Client,
}

impl Api {
    async fn call(
        &self,
        method: reqwest::Method,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (u16, Value) {
        let mut req = testkit::http::Req::token(token);
        if let Some(b) = body {
            req = req.body(b);
        }
        let answer = testkit::http::call(&self.url, method.as_str(), path, req).await;
        (answer.status, answer.body)
    }
    async fn get(&self, path: &str, token: Option<&str>) -> (u16, Value) {
        self.call(reqwest::Method::GET, path, token, None).await
    }
    async fn post(&self, path: &str, token: Option<&str>, body: Value) -> (u16, Value) {
        self.call(reqwest::Method::POST, path, token, Some(body))
            .await
    }
    async fn ok(&self, path: &str, token: Option<&str>) -> Value {
        let (status, v) = self.get(path, token).await;
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }
    /// What a live feed sends within `secs` (it does not end before the contest is finalized).
    async fn live_feed(&self, token: Option<&str>, secs: u64) -> String {
        let mut req = self
            .client
            .get(format!("{}/api/ccs/contests/e2e/event-feed", self.url));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let mut resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), 200);
        let mut text = String::new();
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        while let Ok(Ok(Some(chunk))) = tokio::time::timeout_at(deadline, resp.chunk()).await {
            text.push_str(&String::from_utf8_lossy(&chunk));
        }
        text
    }

    async fn feed(&self, query: &str, token: Option<&str>) -> (u16, String) {
        let mut req = self.client.get(format!(
            "{}/api/ccs/contests/e2e/event-feed{query}",
            self.url
        ));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let resp = req.send().await.unwrap();
        let status = resp.status().as_u16();
        let text = tokio::time::timeout(Duration::from_secs(30), resp.text())
            .await
            .expect("a finalized contest's feed ends")
            .unwrap();
        (status, text)
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The contest package: A = aplusb, B = hello; three teams of one account each.
fn package(root: &Path) -> PathBuf {
    let dir = root.join("e2e");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "contest.yaml", "id: e2e\nname: E2E Contest\nformal_name: The end-to-end contest\nstart_time: 2099-01-01T10:00:00Z\nduration: 5:00:00\nscoreboard_freeze_duration: 1:00:00\nscoreboard_type: pass-fail\npenalty_time: 20\n");
    write(&dir, "problems.yaml", "- id: aplusb\n  label: A\n  name: A plus B\n  ordinal: 1\n  rgb: '#ff0000'\n- id: hello\n  label: B\n  name: Hello\n  ordinal: 2\n");
    write(
        &dir,
        "organizations.json",
        r#"[{"id": "org1", "name": "Org One"}]"#,
    );
    write(&dir, "groups.json", r#"[{"id": "g1", "name": "Group"}]"#);
    write(
        &dir,
        "teams.json",
        r#"[
        {"id": "t1", "name": "Alpha", "label": "1", "organization_id": "org1", "group_ids": ["g1"]},
        {"id": "t2", "name": "Bravo", "label": "2", "organization_id": "org1"},
        {"id": "t3", "name": "Charlie", "label": "3"}]"#,
    );
    write(&dir, "accounts.yaml", "- {id: u1, username: cu1, password: x, type: team, team_id: t1}\n- {id: u2, username: cu2, password: x, type: team, team_id: t2}\n- {id: u3, username: cu3, password: x, type: team, team_id: t3}\n");
    dir
}

fn tar_of(dir: &Path) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.append_dir_all("e2e", dir).unwrap();
    builder.into_inner().unwrap()
}

const CPP_AC: &str = include_str!("../../problems/aplusb/submissions/accepted/long_long.cpp");
const PY_AC: &str = include_str!("../../problems/aplusb/submissions/accepted/plain_input.py");
const PY_WA: &str = "t = int(input())\nfor _ in range(t):\n    a, b = map(int, input().split())\n    print(a - b)\n";
const HELLO_PY: &str = "print(\"Hello, World!\")\n";
const CPP_CE: &str = "int main( { return 0; }\n";

async fn submit(
    api: &Api,
    token: &str,
    problem: &str,
    lang: &str,
    code: &str,
    contest: Option<&str>,
) -> (u16, Value) {
    let mut body = json!({"problem_id": problem, "language": lang, "code": code});
    if let Some(c) = contest {
        body["contest"] = json!(c);
    }
    api.post("/api/submissions", Some(token), body).await
}

/// Submits and waits for the verdict; returns the final state.
async fn judged(api: &Api, token: &str, problem: &str, lang: &str, code: &str) -> Value {
    let (status, body) = submit(api, token, problem, lang, code, None).await;
    assert_eq!(status, 202, "{body}");
    let id = body["id"].as_str().unwrap().to_string();
    let deadline = tokio::time::Instant::now() + VERDICT_WITHIN;
    loop {
        let (_, state) = api
            .get(&format!("/api/submissions/{id}"), Some(token))
            .await;
        if state["status"] == "finished" {
            return state;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{id} not judged: {state}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// The next JSON text frame of a WebSocket, pings skipped (within 60 s).
async fn next_ws_json(
    ws: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Value {
    use futures_util::StreamExt;
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .expect("a message within 60 s")
            .expect("socket open")
            .expect("no error");
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            return serde_json::from_str(&t).unwrap();
        }
    }
}

/// A row of a scoreboard view by team: (rank, solved, total minutes).
fn row(view: &Value, team: &str) -> (u64, u64, String) {
    let r = view["scoreboard"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team_id"] == team)
        .unwrap_or_else(|| panic!("{team} not on {view:#}"));
    (
        r["rank"].as_u64().unwrap(),
        r["score"]["num_solved"].as_u64().unwrap(),
        r["score"]["total_time"].as_str().unwrap().to_string(),
    )
}

fn cell<'a>(view: &'a Value, team: &str, problem: &str) -> &'a Value {
    view["scoreboard"]["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["team_id"] == team)
        .unwrap()["problems"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["problem_id"] == problem)
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_contest_through_the_whole_stack() {
    testkit::docker::require_images(&["cpp", "python3"]);
    let problems = aplusb_with_time_limit(5);
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(bundled_problems().join("hello"))
        .arg(problems.path())
        .status()
        .unwrap();
    assert!(status.success());
    let stack = Stack::start(problems.path(), 1).await;
    let api = Api {
        url: stack.api_url.clone(),
        client: reqwest::Client::new(),
    };
    let admin = Some(ADMIN_TOKEN);

    // Users cu1..cu3 (the package's account usernames) and an outsider.
    let mut tokens = std::collections::HashMap::new();
    for user in ["cu1", "cu2", "cu3", "outsider"] {
        let (status, body) = api
            .post("/api/admin/users", admin, json!({"user_id": user}))
            .await;
        assert_eq!(status, 201, "{body}");
        tokens.insert(user, body["token"].as_str().unwrap().to_string());
    }
    let t = |u: &str| tokens[u].clone();

    // A package naming a problem the judge lacks is refused, naming it.
    let tmp = tempfile::tempdir().unwrap();
    let dir = package(tmp.path());
    let good_problems = std::fs::read_to_string(dir.join("problems.yaml")).unwrap();
    write(
        &dir,
        "problems.yaml",
        &format!("{good_problems}- id: nosuch\n  label: C\n  name: None\n  ordinal: 3\n"),
    );
    let resp = api
        .client
        .post(format!("{}/api/admin/contests", api.url))
        .bearer_auth(ADMIN_TOKEN)
        .body(tar_of(&dir))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 422);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["error"]["field"], "problems", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("nosuch"),
        "{body}"
    );
    write(&dir, "problems.yaml", &good_problems);

    // `judge contest add DIR` uploads it and prints the id.
    let (code, out, err) = judge(
        &api.url,
        &[
            "--token",
            ADMIN_TOKEN,
            "contest",
            "add",
            dir.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("e2e"), "{out}");
    let (status, _) = api
        .client
        .post(format!("{}/api/admin/contests", api.url))
        .bearer_auth(ADMIN_TOKEN)
        .body(tar_of(&dir))
        .send()
        .await
        .map(|r| (r.status().as_u16(), ()))
        .unwrap();
    assert_eq!(status, 409, "a second import of the same id");

    // Before the start: no problems for the teams, even by their own routes.
    let before = api.ok("/api/contests/e2e", Some(&t("cu1"))).await;
    assert_eq!(before["phase"], "scheduled");
    assert_eq!(before["problems"], json!([]), "{before}");
    assert_eq!(before["team"]["id"], "t1");
    assert_eq!(
        api.get("/api/problems/aplusb", Some(&t("cu1"))).await.0,
        404
    );
    assert_eq!(
        api.get("/api/problems/hello/statement/problem.md", None)
            .await
            .0,
        404
    );
    let list = api.ok("/api/problems", Some(&t("cu1"))).await;
    assert!(
        !list.as_array().unwrap().iter().any(|p| p["id"] == "aplusb"),
        "{list}"
    );
    assert_eq!(
        submit(&api, &t("cu1"), "aplusb", "cpp", CPP_AC, None)
            .await
            .0,
        404
    );
    let as_admin = api.ok("/api/contests/e2e", admin).await;
    assert_eq!(as_admin["problems"].as_array().unwrap().len(), 2);
    assert_eq!(api.get("/api/problems/aplusb", admin).await.0, 200);
    let ccs_problems = api.ok("/api/ccs/contests/e2e/problems", None).await;
    assert_eq!(ccs_problems, json!([]));

    // Start now.
    let (status, started) = api
        .post("/api/admin/contests/e2e/start", admin, json!({}))
        .await;
    assert_eq!(status, 200, "{started}");
    assert_eq!(started["phase"], "running");
    let during = api.ok("/api/contests/e2e", Some(&t("cu1"))).await;
    let labels: Vec<&str> = during["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["A", "B"]);
    assert_eq!(
        api.get("/api/problems/aplusb", Some(&t("cu1"))).await.0,
        200
    );

    // Only participants submit to it; naming a contest one is not in is 403.
    let (status, body) = submit(&api, &t("outsider"), "aplusb", "cpp", CPP_AC, Some("e2e")).await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = submit(&api, &t("cu1"), "aplusb", "cpp", CPP_AC, Some("nosuch")).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("contest")),
        "{body}"
    );

    // A public viewer of the live board over the gateway: the board first.
    let (mut viewer, _) =
        tokio_tungstenite::connect_async(format!("{}/ws/contests/e2e", stack.gateway_url))
            .await
            .expect("the gateway takes a contest viewer");
    let first = next_ws_json(&mut viewer).await;
    assert_eq!(first["type"], "board", "{first}");
    assert!(first["state"]["started"].is_string(), "{first}");
    assert_eq!(first["scoreboard"]["rows"].as_array().unwrap().len(), 3);

    // The teams submit; the contest is inferred (one running contest with the problem).
    let s = judged(&api, &t("cu1"), "aplusb", "cpp", CPP_AC).await;
    // The judged submission reaches the viewer live: t1 first with A solved.
    let live = loop {
        let msg = next_ws_json(&mut viewer).await;
        let t1 = msg["rows"]
            .as_array()
            .and_then(|rows| rows.iter().find(|r| r["team_id"] == "t1"));
        if let Some(t1) = t1.filter(|r| r["score"]["num_solved"] == 1) {
            break t1.clone();
        }
    };
    assert_eq!(live["rank"], 1, "{live}");
    assert_eq!(live["problems"][0]["solved"], true, "{live}");
    drop(viewer);
    assert_eq!(
        (
            s["verdict"].as_str(),
            s["contest_id"].as_str(),
            s["team_id"].as_str()
        ),
        (Some("AC"), Some("e2e"), Some("t1"))
    );
    let s = judged(&api, &t("cu2"), "aplusb", "python3", PY_WA).await;
    assert_eq!(s["verdict"], "WA");
    let s = judged(&api, &t("cu2"), "aplusb", "python3", PY_AC).await;
    assert_eq!(s["verdict"], "AC");
    let s = judged(&api, &t("cu3"), "hello", "cpp", CPP_CE).await;
    assert_eq!(s["verdict"], "CE");
    let s = judged(&api, &t("cu3"), "hello", "python3", HELLO_PY).await;
    assert_eq!(s["verdict"], "AC");
    let s = judged(&api, &t("cu1"), "hello", "python3", HELLO_PY).await;
    assert_eq!(s["verdict"], "AC");
    // The outsider's submission is practice.
    let s = judged(&api, &t("outsider"), "aplusb", "python3", PY_AC).await;
    assert!(s.get("contest_id").is_none(), "{s}");

    // t1: 2 solved, 0 penalty; t3: 1 solved, the CE costs nothing; t2: 1
    // solved with 20 minutes for its WA (all within the first minute).
    let board = api.ok("/api/contests/e2e/scoreboard", None).await;
    assert_eq!(
        row(&board, "t1"),
        (1, 2, "0:00:00".to_string()),
        "{board:#}"
    );
    assert_eq!(
        row(&board, "t3"),
        (2, 1, "0:00:00".to_string()),
        "{board:#}"
    );
    assert_eq!(
        row(&board, "t2"),
        (3, 1, "0:20:00".to_string()),
        "{board:#}"
    );
    assert_eq!(cell(&board, "t2", "aplusb")["num_judged"], 2);
    assert_eq!(cell(&board, "t3", "hello")["num_judged"], 2);
    assert_eq!(cell(&board, "t1", "aplusb")["first_to_solve"], true);
    // The awards follow the board (each validates against the schema below).
    let awards = api.ok("/api/ccs/contests/e2e/awards", None).await;
    let award = |id: &str| {
        awards
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no {id} award in {awards:#}"))["team_ids"]
            .clone()
    };
    assert_eq!(award("winner"), json!(["t1"]));
    assert_eq!(award("first-to-solve-aplusb"), json!(["t1"]));
    assert_eq!(award("first-to-solve-hello"), json!(["t3"]));
    assert_eq!(award("group-winner-g1"), json!(["t1"]));
    let mine = api.ok("/api/contests/e2e", Some(&t("cu2"))).await;
    assert_eq!(mine["problems"][0]["status"]["solved"], true, "{mine}");
    assert_eq!(mine["problems"][1]["status"]["solved"], false);

    // Clarifications: t1 asks about A; the jury answers t1, and tells everyone.
    let (status, q) = api
        .post(
            "/api/contests/e2e/clarifications",
            Some(&t("cu1")),
            json!({"problem_id": "aplusb", "text": "Negative numbers?"}),
        )
        .await;
    assert_eq!(status, 201, "{q}");
    let (status, _) = api
        .post(
            "/api/contests/e2e/clarifications",
            Some(&t("outsider")),
            json!({"text": "hi"}),
        )
        .await;
    assert_eq!(status, 403);
    let (status, a) = api
        .post(
            "/api/admin/contests/e2e/clarifications",
            admin,
            json!({"text": "Yes.", "to_team_id": "t1", "reply_to_id": q["id"]}),
        )
        .await;
    assert_eq!(status, 201, "{a}");
    let (status, all) = api
        .post(
            "/api/admin/contests/e2e/clarifications",
            admin,
            json!({"text": "Read carefully."}),
        )
        .await;
    assert_eq!(status, 201, "{all}");
    let t1_sees = api
        .ok("/api/contests/e2e/clarifications", Some(&t("cu1")))
        .await;
    assert_eq!(t1_sees.as_array().unwrap().len(), 3, "{t1_sees}");
    let t2_sees = api
        .ok("/api/contests/e2e/clarifications", Some(&t("cu2")))
        .await;
    assert_eq!(t2_sees.as_array().unwrap().len(), 1, "{t2_sees}");
    assert_eq!(
        api.ok("/api/ccs/contests/e2e/clarifications", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // Freeze now: t2's B after the freeze is pending publicly, solved for admins.
    let (status, frozen) = api
        .post("/api/admin/contests/e2e/freeze", admin, json!({}))
        .await;
    assert_eq!(status, 200, "{frozen}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let late = judged(&api, &t("cu2"), "hello", "python3", HELLO_PY).await;
    assert_eq!(late["verdict"], "AC");
    let late_id = late["id"].as_str().unwrap().to_string();
    let public = api.ok("/api/contests/e2e/scoreboard", None).await;
    assert_eq!(public["frozen"], true);
    assert_eq!(cell(&public, "t2", "hello")["solved"], false, "{public:#}");
    assert_eq!(cell(&public, "t2", "hello")["num_pending"], 1);
    assert_eq!(row(&public, "t2").1, 1);
    let admin_view = api.ok("/api/contests/e2e/scoreboard", admin).await;
    assert_eq!(cell(&admin_view, "t2", "hello")["solved"], true);
    assert_eq!(row(&admin_view, "t2").1, 2);
    let ccs_public = api.ok("/api/ccs/contests/e2e/scoreboard", None).await;
    assert_valid("scoreboard.json", "public scoreboard", &ccs_public);
    let hidden = |js: &Value| {
        js.as_array()
            .unwrap()
            .iter()
            .any(|j| j["submission_id"] == late_id.as_str())
    };
    assert!(
        !hidden(&api.ok("/api/ccs/contests/e2e/judgements", None).await),
        "the public sees no judgement made during the freeze"
    );
    assert!(!hidden(
        &api.ok("/api/ccs/contests/e2e/judgements", Some(&t("cu1")))
            .await
    ));
    assert!(
        hidden(
            &api.ok("/api/ccs/contests/e2e/judgements", Some(&t("cu2")))
                .await
        ),
        "a team sees its own"
    );
    assert!(hidden(
        &api.ok("/api/ccs/contests/e2e/judgements", admin).await
    ));

    // The live event feed: the public's has no judgement of it, the admin's has.
    let judged_late = |feed: &str| {
        feed.lines()
            .filter_map(|l| serde_json::from_str::<Value>(l).ok())
            .any(|e| e["type"] == "judgements" && e["data"]["submission_id"] == late_id.as_str())
    };
    assert!(
        !judged_late(&api.live_feed(None, 3).await),
        "the public feed shows no frozen judgement"
    );
    assert!(judged_late(&api.live_feed(admin, 3).await));

    // Thaw: the public sees it.
    let (status, _) = api
        .post("/api/admin/contests/e2e/thaw", admin, json!({}))
        .await;
    assert_eq!(status, 200);
    let public = api.ok("/api/contests/e2e/scoreboard", None).await;
    assert_eq!(public["frozen"], false);
    assert_eq!(cell(&public, "t2", "hello")["solved"], true);
    assert!(hidden(
        &api.ok("/api/ccs/contests/e2e/judgements", None).await
    ));
    assert!(
        judged_late(&api.live_feed(None, 3).await),
        "the thaw shows it in the public feed"
    );

    // End the contest now (its duration up to this moment), then submit: practice.
    let ccs_contest = api.ok("/api/ccs/contests/e2e", admin).await;
    let start: chrono_like::Abs = ccs_contest["start_time"].as_str().unwrap().into();
    let elapsed_s = start.elapsed_secs() + 2;
    let duration = format!(
        "{}:{:02}:{:02}",
        elapsed_s / 3600,
        elapsed_s / 60 % 60,
        elapsed_s % 60
    );
    let (status, patched) = api
        .call(
            reqwest::Method::PATCH,
            "/api/admin/contests/e2e",
            admin,
            Some(json!({"duration": duration, "scoreboard_freeze_duration": "0:00:01"})),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    let (status, bad) = api
        .call(
            reqwest::Method::PATCH,
            "/api/admin/contests/e2e",
            admin,
            Some(json!({"duration": "soon"})),
        )
        .await;
    assert_eq!(
        (status, bad["error"]["field"].as_str()),
        (422, Some("duration")),
        "{bad}"
    );
    tokio::time::sleep(Duration::from_secs(3)).await;
    let ended = api.ok("/api/contests/e2e", None).await;
    assert_eq!(ended["phase"], "ended", "{ended}");
    let before_practice =
        api.ok("/api/contests/e2e/scoreboard", admin).await["scoreboard"]["rows"].clone();
    let s = judged(&api, &t("cu3"), "aplusb", "python3", PY_AC).await;
    assert!(s.get("contest_id").is_none(), "after the end: practice {s}");
    let (status, body) = submit(&api, &t("cu3"), "aplusb", "python3", PY_AC, Some("e2e")).await;
    assert_eq!(status, 202, "{body}");
    assert!(body["state"].get("contest_id").is_none());
    let after_practice =
        api.ok("/api/contests/e2e/scoreboard", admin).await["scoreboard"]["rows"].clone();
    assert_eq!(before_practice, after_practice);

    // The CLI's table.
    let (code, out, err) = judge(&api.url, &["contest", "scoreboard", "e2e"]).await;
    assert_eq!(code, 0, "{out}{err}");
    let lines: Vec<&str> = out.lines().collect();
    let alpha = lines.iter().position(|l| l.contains("Alpha")).expect(&out);
    let bravo = lines.iter().position(|l| l.contains("Bravo")).expect(&out);
    let charlie = lines
        .iter()
        .position(|l| l.contains("Charlie"))
        .expect(&out);
    // After the thaw Bravo has B too (with its 20 minutes for the WA).
    assert!(alpha < bravo && bravo < charlie, "{out}");
    assert!(lines[bravo].contains(" 20"), "penalty shown: {out}");
    let (code, out, _) = judge(&api.url, &["contest", "list"]).await;
    assert_eq!(code, 0);
    assert!(out.contains("e2e") && out.contains("ended"), "{out}");
    let (code, _, err) = judge(&api.url, &["contest", "scoreboard", "nosuch"]).await;
    assert_eq!(code, 4, "{err}");

    // Finalize: the feed ends with end_of_updates.
    let (status, fin) = api
        .post("/api/admin/contests/e2e/finalize", admin, json!({}))
        .await;
    assert_eq!(status, 200, "{fin}");
    assert_eq!(fin["phase"], "finalized");

    // Every Contest API endpoint validates, for each role.
    let info = api.ok("/api/ccs", None).await;
    assert_valid("api_information.json", "/", &info);
    for token in [admin, Some(t("cu1").as_str()), None] {
        let role = token.map_or(
            "public",
            |t| if t == ADMIN_TOKEN { "admin" } else { "team" },
        );
        let contests = api.ok("/api/ccs/contests", token).await;
        for c in contests.as_array().unwrap() {
            assert_valid("contest.json", role, c);
        }
        assert_valid(
            "contest.json",
            role,
            &api.ok("/api/ccs/contests/e2e", token).await,
        );
        assert_valid(
            "access.json",
            role,
            &api.ok("/api/ccs/contests/e2e/access", token).await,
        );
        assert_valid(
            "state.json",
            role,
            &api.ok("/api/ccs/contests/e2e/state", token).await,
        );
        assert_valid(
            "scoreboard.json",
            role,
            &api.ok("/api/ccs/contests/e2e/scoreboard", token).await,
        );
        for kind in [
            "judgement-types",
            "languages",
            "problems",
            "groups",
            "organizations",
            "teams",
            "accounts",
            "submissions",
            "judgements",
            "runs",
            "clarifications",
            "awards",
        ] {
            let list = api
                .ok(&format!("/api/ccs/contests/e2e/{kind}"), token)
                .await;
            for item in list.as_array().unwrap() {
                assert_valid(schema_of(kind), &format!("{role} {kind}"), item);
                let id = item["id"].as_str().unwrap();
                let one = api
                    .ok(&format!("/api/ccs/contests/e2e/{kind}/{id}"), token)
                    .await;
                assert_eq!(&one, item);
            }
        }
    }
    let state = api.ok("/api/ccs/contests/e2e/state", None).await;
    assert!(state["end_of_updates"].is_string(), "{state}");
    assert_eq!(
        api.get("/api/ccs/contests/e2e/teams/nosuch", None).await.0,
        404
    );
    assert_eq!(api.get("/api/ccs/contests/e2e/nosuch", None).await.0, 404);
    assert_eq!(api.get("/api/ccs/contests/nosuch", None).await.0, 404);
    // Filtering by id properties.
    let t2_subs = api
        .ok("/api/ccs/contests/e2e/submissions?team_id=t2", admin)
        .await;
    assert_eq!(t2_subs.as_array().unwrap().len(), 3, "{t2_subs}");
    assert!(t2_subs
        .as_array()
        .unwrap()
        .iter()
        .all(|s| s["team_id"] == "t2"));
    let a_subs = api
        .ok(
            "/api/ccs/contests/e2e/submissions?team_id=t1&problem_id=hello",
            admin,
        )
        .await;
    assert_eq!(a_subs.as_array().unwrap().len(), 1);
    assert_eq!(
        api.ok("/api/ccs/contests/e2e/teams", None)
            .await
            .as_array()
            .unwrap()
            .len(),
        3
    );
    assert!(api
        .ok("/api/ccs/contests/e2e/accounts", None)
        .await
        .as_array()
        .unwrap()
        .is_empty());

    // The event feed: whole, then in two parts joined at a token.
    for token in [admin, None] {
        let (status, whole) = api.feed("", token).await;
        assert_eq!(status, 200);
        let events: Vec<Value> = whole
            .lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert!(events.len() > 20, "{whole}");
        for e in &events {
            let kind = e["type"].as_str().unwrap();
            assert!(e["token"].is_string());
            if kind == "contest" || kind == "state" {
                assert!(e["id"].is_null(), "{e}");
            }
            if !e["data"].is_null() {
                assert_valid(schema_of(kind), &format!("event {e}"), &e["data"]);
            }
        }
        let last = events.last().unwrap();
        assert_eq!(last["type"], "state");
        assert!(last["data"]["end_of_updates"].is_string());
        let kinds: std::collections::HashSet<&str> =
            events.iter().map(|e| e["type"].as_str().unwrap()).collect();
        for k in [
            "contest",
            "problems",
            "teams",
            "submissions",
            "judgements",
            "runs",
            "state",
            "clarifications",
            "awards",
        ] {
            assert!(kinds.contains(k), "{k} missing from the feed");
        }
        let middle = events[events.len() / 2]["token"].as_str().unwrap();
        let (status, rest) = api.feed(&format!("?since_token={middle}"), token).await;
        assert_eq!(status, 200);
        let head: Vec<&str> = whole
            .lines()
            .take_while(|l| !l.contains(&format!("\"token\":\"{middle}\"")))
            .collect();
        let joined = format!(
            "{}\n{}\n{}",
            head.join("\n"),
            whole.lines().nth(head.len()).unwrap(),
            rest.trim_end()
        );
        assert_eq!(joined, whole.trim_end());
    }
    assert_eq!(api.feed("?since_id=1", None).await.0, 400);
    assert_eq!(api.feed("?since_token=1-0", None).await.0, 400);
    assert_eq!(api.feed("?since_token=nonsense", None).await.0, 400);

    stack.stop().await;
}

/// Just enough ISO 8601 to count seconds since the contest's start.
mod chrono_like {
    pub struct Abs(i64);
    impl From<&str> for Abs {
        fn from(s: &str) -> Abs {
            // 2026-12-07T07:06:16.123Z (the judge writes UTC).
            let date: Vec<i64> = s[..10].split('-').map(|x| x.parse().unwrap()).collect();
            let time: Vec<f64> = s[11..]
                .trim_end_matches('Z')
                .trim_end_matches("+00:00")
                .split(':')
                .map(|x| x.parse().unwrap())
                .collect();
            let (y, m, d) = (date[0], date[1], date[2]);
            // Days from civil (Howard Hinnant).
            let y2 = if m <= 2 { y - 1 } else { y };
            let era = y2.div_euclid(400);
            let yoe = y2 - era * 400;
            let mp = (m + 9) % 12;
            let doy = (153 * mp + 2) / 5 + d - 1;
            let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
            let days = era * 146097 + doe - 719468;
            Abs(days * 86400 + time[0] as i64 * 3600 + time[1] as i64 * 60 + time[2].ceil() as i64)
        }
    }
    impl Abs {
        pub fn elapsed_secs(&self) -> i64 {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_secs() as i64;
            now - self.0
        }
    }
}
