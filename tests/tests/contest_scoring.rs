//! A score (IOI-style) contest end to end on the real stack: an admin
//! imports a package, sets the rule to `max-subtask` with one gold medal
//! and moves the start two seconds ahead. Nobody asks the API anything
//! until well after the start, yet the event feed has the `started` state
//! from before that first request (the API's contest clock wrote it). A team
//! submits two programs that each solve other test groups of a scoring
//! problem (70 and 60 points): the board shows the sum of the best of each
//! group (100), not the best submission. The awards (winner, gold medal,
//! group winner) validate against the spec's schema and reach the event
//! feed. During the freeze a
//! team's WebSocket view of the board equals its `GET .../scoreboard`, for
//! the team and for the public alike.

use std::path::{Path, PathBuf};
use std::time::Duration;

use contest::{AbsTime, RelTime};
use judge_tests::stack::ADMIN_TOKEN;
use judge_tests::Stack;
use serde_json::{json, Value};
use testkit::ccs_schema;
use testkit::fixture_problems;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;

const VERDICT_WITHIN: Duration = Duration::from_secs(180);
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

    async fn ok(&self, path: &str, token: Option<&str>) -> Value {
        let (status, v) = self.call(reqwest::Method::GET, path, token, None).await;
        assert_eq!(status, 200, "GET {path}: {v}");
        v
    }

    /// The events a live feed sends within `secs`.
    async fn live_feed(&self, token: Option<&str>, secs: u64) -> Vec<Value> {
        let mut req = self
            .client
            .get(format!("{}/api/ccs/contests/ioi/event-feed", self.url));
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
        text.lines()
            .filter(|l| !l.is_empty())
            .map(|l| serde_json::from_str(l).unwrap())
            .collect()
    }

    /// Submits as `token` and waits for the final state.
    async fn judged(&self, token: &str, code: &str) -> Value {
        let body = json!({"problem_id": "ioi", "language": "python3", "code": code});
        let (status, body) = self
            .call(
                reqwest::Method::POST,
                "/api/submissions",
                Some(token),
                Some(body),
            )
            .await;
        assert_eq!(status, 202, "{body}");
        let id = body["id"].as_str().unwrap().to_string();
        let deadline = tokio::time::Instant::now() + VERDICT_WITHIN;
        loop {
            let state = self
                .ok(&format!("/api/submissions/{id}"), Some(token))
                .await;
            if state["status"] == "finished" {
                return state;
            }
            assert!(tokio::time::Instant::now() < deadline, "{id}: {state}");
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

/// The problem `ioi`: the 2025-09 scoring fixture (groups 1-small 20,
/// 2-negative 30, 3-big 50 points).
fn problems() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(fixture_problems().join("scoring-2025"))
        .arg(dir.path().join("ioi"))
        .status()
        .unwrap();
    assert!(status.success());
    dir
}

fn solution(file: &str) -> String {
    std::fs::read_to_string(
        fixture_problems()
            .join("scoring-2025/submissions")
            .join(file),
    )
    .unwrap()
}

/// A score contest with the problem and two teams (t1 in group g1).
fn package(root: &Path) -> PathBuf {
    let dir = root.join("ioi");
    std::fs::create_dir_all(&dir).unwrap();
    write(&dir, "contest.yaml", "id: ioi\nname: IOI Day 1\nstart_time: 2099-01-01T10:00:00Z\nduration: 5:00:00\nscoreboard_type: score\n");
    write(
        &dir,
        "problems.yaml",
        "- id: ioi\n  label: A\n  name: Plus one\n  ordinal: 1\n",
    );
    write(&dir, "groups.json", r#"[{"id": "g1", "name": "Juniors"}]"#);
    write(
        &dir,
        "teams.json",
        r#"[{"id": "t1", "name": "Alpha", "label": "1", "group_ids": ["g1"]},
            {"id": "t2", "name": "Bravo", "label": "2"}]"#,
    );
    write(&dir, "accounts.yaml", "- {id: u1, username: iu1, password: x, type: team, team_id: t1}\n- {id: u2, username: iu2, password: x, type: team, team_id: t2}\n");
    dir
}

fn tar_of(dir: &Path) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    builder.append_dir_all("ioi", dir).unwrap();
    builder.into_inner().unwrap()
}

/// A stream id's milliseconds (`ms-seq`).
fn token_ms(token: &Value) -> i64 {
    let t = token.as_str().unwrap();
    t.split('-').next().unwrap().parse().unwrap()
}

fn row<'a>(rows: &'a Value, team: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["team_id"] == team)
        .unwrap_or_else(|| panic!("{team} not in {rows:#}"))
}

/// The first board message of `/ws/contests/ioi` for `token`: its rows.
async fn ws_rows(gateway: &str, token: Option<&str>) -> Value {
    use futures_util::StreamExt;
    let mut req = format!("{gateway}/ws/contests/ioi")
        .into_client_request()
        .unwrap();
    if let Some(t) = token {
        req.headers_mut()
            .insert("Authorization", format!("Bearer {t}").parse().unwrap());
    }
    let (mut ws, _) = tokio_tungstenite::connect_async(req)
        .await
        .expect("the gateway takes a contest viewer");
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(60), ws.next())
            .await
            .expect("a message within 60 s")
            .expect("socket open")
            .expect("no error");
        if let tokio_tungstenite::tungstenite::Message::Text(t) = msg {
            let v: Value = serde_json::from_str(&t).unwrap();
            if v["type"] == "board" {
                return v["scoreboard"]["rows"].clone();
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn max_subtask_awards_state_on_time_and_one_board_per_role() {
    testkit::docker::require_images(&["python3"]);
    let problems = problems();
    let stack = Stack::start(problems.path(), 1).await;
    let api = Api {
        url: stack.api_url.clone(),
        client: reqwest::Client::new(),
    };
    let admin = Some(ADMIN_TOKEN);
    let mut tokens = std::collections::HashMap::new();
    for user in ["iu1", "iu2"] {
        let (status, body) = api
            .call(
                reqwest::Method::POST,
                "/api/admin/users",
                admin,
                Some(json!({"user_id": user})),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        tokens.insert(user, body["token"].as_str().unwrap().to_string());
    }
    let tmp = tempfile::tempdir().unwrap();
    let resp = api
        .client
        .post(format!("{}/api/admin/contests", api.url))
        .bearer_auth(ADMIN_TOKEN)
        .body(tar_of(&package(tmp.path())))
        .send()
        .await
        .unwrap();
    assert_eq!(
        resp.status().as_u16(),
        201,
        "{}",
        resp.text().await.unwrap()
    );

    // max-subtask, one gold medal, and the start two seconds from now.
    // (In whole milliseconds, as the judge stores times.)
    let start =
        AbsTime::from_unix_millis((AbsTime::now() + RelTime::from_secs(2)).unix_millis()).unwrap();
    let (status, patched) = api
        .call(
            reqwest::Method::PATCH,
            "/api/admin/contests/ioi",
            admin,
            Some(json!({
                "rules": {"rules": "score", "aggregation": "max-subtask"},
                "medals": {"gold": 1, "silver": 0, "bronze": 0},
                "start_time": start.to_string(),
            })),
        )
        .await;
    assert_eq!(status, 200, "{patched}");
    assert_eq!(patched["phase"], "scheduled", "{patched}");

    // No request until well after the start: the `started` state is in the
    // log from before the first one.
    tokio::time::sleep(Duration::from_secs(6)).await;
    let first_request_ms = AbsTime::now().unix_millis();
    let feed = api.live_feed(admin, 2).await;
    let started = feed
        .iter()
        .find(|e| e["type"] == "state" && e["data"]["started"].is_string())
        .unwrap_or_else(|| panic!("no started state in {feed:#?}"));
    ccs_schema::assert_valid("state.json", "state", &started["data"]);
    let logged: AbsTime = started["data"]["started"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(logged, start);
    assert!(
        token_ms(&started["token"]) < first_request_ms,
        "the started state was written by a reader, not on time: {started}"
    );
    // The problem is announced again at the start, for feeds that hid it.
    assert!(feed
        .iter()
        .any(|e| e["type"] == "problems" && token_ms(&e["token"]) >= token_ms(&started["token"])));

    // Two submissions, each better on other groups: 20+0+50 and 20+30+10.
    let t1 = tokens["iu1"].clone();
    let s = api
        .judged(&t1, &solution("partially_accepted/no_negatives.py"))
        .await;
    assert_eq!(
        (s["score"].as_f64(), s["contest_id"].as_str()),
        (Some(70.0), Some("ioi")),
        "{s}"
    );
    let s = api
        .judged(&t1, &solution("partially_accepted/off_by_one_big.py"))
        .await;
    assert_eq!(s["score"].as_f64(), Some(60.0), "{s}");
    let board = api.ok("/api/ccs/contests/ioi/scoreboard", None).await;
    ccs_schema::assert_valid("scoreboard.json", "scoreboard", &board);
    let t1_row = row(&board["rows"], "t1");
    assert_eq!(
        t1_row["score"]["score"], 100.0,
        "the sum of the best of each group: {board:#}"
    );
    assert_eq!(t1_row["problems"][0]["score"], 100.0);
    assert_eq!(t1_row["problems"][0]["num_judged"], 2);
    let view = api.ok("/api/contests/ioi/scoreboard", None).await;
    assert_eq!(
        row(&view["scoreboard"]["rows"], "t1")["score"]["score"],
        100.0
    );

    // Awards: t1 wins, takes the gold medal and its group.
    let awards = api.ok("/api/ccs/contests/ioi/awards", None).await;
    let team_ids = |id: &str| {
        let a = awards
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .unwrap_or_else(|| panic!("no {id} award in {awards:#}"));
        ccs_schema::assert_valid("award.json", "award", a);
        a["team_ids"].clone()
    };
    assert_eq!(team_ids("winner"), json!(["t1"]));
    assert_eq!(team_ids("gold-medal"), json!(["t1"]));
    assert_eq!(team_ids("silver-medal"), json!([]));
    assert_eq!(team_ids("group-winner-g1"), json!(["t1"]));
    let one = api.ok("/api/ccs/contests/ioi/awards/winner", None).await;
    assert_eq!(one["team_ids"], json!(["t1"]));
    // The event feed carries them too: the last `winner` event is current.
    let feed = api.live_feed(None, 2).await;
    let winner = feed
        .iter()
        .rfind(|e| e["type"] == "awards" && e["id"] == "winner")
        .unwrap_or_else(|| panic!("no winner award in {feed:#?}"));
    ccs_schema::assert_valid("award.json", "award", &winner["data"]);
    assert_eq!(winner["data"]["team_ids"], json!(["t1"]));

    // Freeze; t2 solves everything during it.
    let (status, frozen) = api
        .call(
            reqwest::Method::POST,
            "/api/admin/contests/ioi/freeze",
            admin,
            Some(json!({})),
        )
        .await;
    assert_eq!(status, 200, "{frozen}");
    tokio::time::sleep(Duration::from_millis(50)).await;
    let t2 = tokens["iu2"].clone();
    let s = api.judged(&t2, &solution("accepted/plus_one.py")).await;
    assert_eq!(s["score"].as_f64(), Some(100.0), "{s}");

    // Each role sees one board, however it asks.
    let gateway = stack.gateway_url.clone();
    let ccs = |token: Option<String>| {
        let api = &api;
        async move {
            api.ok("/api/ccs/contests/ioi/scoreboard", token.as_deref())
                .await["rows"]
                .clone()
        }
    };
    let team_ws = ws_rows(&gateway, Some(&t2)).await;
    let team_get = ccs(Some(t2.clone())).await;
    assert_eq!(team_ws, team_get);
    let own = row(&team_get, "t2");
    assert_eq!(
        own["problems"][0]["score"], 100.0,
        "t2 sees its own result: {team_get:#}"
    );
    let team_view = api.ok("/api/contests/ioi/scoreboard", Some(&t2)).await;
    assert_eq!(team_view["scoreboard"]["rows"], team_get);
    let public_ws = ws_rows(&gateway, None).await;
    let public_get = ccs(None).await;
    assert_eq!(public_ws, public_get);
    let hidden = row(&public_get, "t2");
    assert_eq!(hidden["problems"][0]["num_pending"], 1, "{public_get:#}");
    assert_eq!(hidden["score"]["score"], 0.0);
    let admin_get = ccs(Some(ADMIN_TOKEN.to_string())).await;
    assert_eq!(row(&admin_get, "t2")["score"]["score"], 100.0);
    assert_eq!(ws_rows(&gateway, admin).await, admin_get);

    stack.stop().await;
}
