//! `/ws/contests/{id}` on a real Redis: a viewer gets the board first, a
//! judgement appended to the contest's log reaches it as a `rows` message
//! with the new rank (the row whole; a row it only moved as a rank in
//! `ranks`), the public does not see a result of the freeze until the thaw
//! (an admin does), clarifications reach whom they are for, and two
//! gateways send the same rows.

use std::time::Duration;

use contest::{AbsTime, RelTime};
use futures_util::StreamExt;
use judge_store::contest::log::{self, Append};
use judge_store::contest::registry;
use judge_store::store;
use judge_store::tokens::TokenInfo;
use serde_json::{json, Value};
use testkit::RedisServer;
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

mod common;
use common::{next_text, Client, Gateway};

type Conn = redis::aio::MultiplexedConnection;

const ADMIN_TOKEN: &str = "admin-token-for-the-contest-tests";

async fn next_json(ws: &mut Client) -> Value {
    serde_json::from_str(&next_text(ws).await).unwrap()
}

/// The next message of `kind`, skipping others.
async fn next_of(ws: &mut Client, kind: &str) -> Value {
    loop {
        let v = next_json(ws).await;
        if v["type"] == kind {
            return v;
        }
    }
}

/// Nothing but pings (or messages other than `rows`) within `ms`.
async fn no_rows_within(ws: &mut Client, ms: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Text(t)))) => {
                let v: Value = serde_json::from_str(&t).unwrap();
                assert_ne!(v["type"], "rows", "no rows expected, got {v}");
            }
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(other) => panic!("expected silence, got {other:?}"),
        }
    }
}

fn row<'a>(rows: &'a Value, team: &str) -> &'a Value {
    rows.as_array()
        .unwrap()
        .iter()
        .find(|r| r["team_id"] == team)
        .unwrap_or_else(|| panic!("no row of {team} in {rows}"))
}

/// A pass-fail contest of 3 h that started 2 h ago, frozen for its last
/// 1:30 (so from 30 minutes ago), with problems a, b and teams t1..t3.
async fn contest(conn: &mut Conn, id: &str) -> AbsTime {
    let now = AbsTime::now().unix_millis();
    let start = AbsTime::from_unix_millis(now - 2 * 3_600_000).unwrap();
    let mut entries = vec![Append::new(
        "contest",
        id,
        &json!({"id": id, "name": "Live", "start_time": start, "duration": "3:00:00",
                "scoreboard_freeze_duration": "1:30:00", "scoreboard_type": "pass-fail",
                "penalty_time": "0:20:00"}),
    )];
    for (n, p) in ["a", "b"].iter().enumerate() {
        entries.push(Append::new(
            "problems",
            p,
            &json!({"id": p, "label": p.to_uppercase(), "name": p, "ordinal": n + 1}),
        ));
    }
    for (t, name) in [("t1", "Ants"), ("t2", "Bees"), ("t3", "Cats")] {
        entries.push(Append::new("teams", t, &json!({"id": t, "name": name})));
    }
    log::append_all(conn, id, &entries).await.unwrap();
    registry::add_contest(conn, id).await.unwrap();
    for (user, team) in [("u1", "t1"), ("u2", "t2")] {
        registry::add_member(conn, id, user, team).await.unwrap();
        store::store_token(
            conn,
            &format!("token-{user}"),
            &TokenInfo {
                user_id: user.into(),
                admin: false,
            },
        )
        .await
        .unwrap();
    }
    store::store_token(
        conn,
        ADMIN_TOKEN,
        &TokenInfo {
            user_id: "root".into(),
            admin: true,
        },
    )
    .await
    .unwrap();
    start
}

/// A submission of `team` to `problem` at `minute` of the contest, judged `verdict`.
async fn judged(
    conn: &mut Conn,
    contest_id: &str,
    start: AbsTime,
    (sid, team, problem, minute, verdict): (&str, &str, &str, i64, &str),
) {
    let t = start + RelTime::from_minutes(minute);
    let ct = RelTime::from_minutes(minute);
    log::append_all(
        conn,
        contest_id,
        &[Append::new(
            "submissions",
            sid,
            &json!({"id": sid, "language_id": "cpp", "problem_id": problem, "team_id": team,
                    "time": t, "contest_time": ct, "files": []}),
        )],
    )
    .await
    .unwrap();
    log::append_all(
        conn,
        contest_id,
        &[Append::new(
            "judgements",
            &format!("j-{sid}"),
            &json!({"id": format!("j-{sid}"), "submission_id": sid, "judgement_type_id": verdict,
                    "start_time": t, "start_contest_time": ct, "end_time": t, "end_contest_time": ct}),
        )],
    )
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewer_gets_the_board_then_the_rows_a_judgement_changes() {
    let redis = RedisServer::start();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let start = contest(&mut conn, "live").await;
    judged(&mut conn, "live", start, ("s1", "t1", "a", 10, "AC")).await;
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;

    // Public, without credentials.
    let mut ws = gw.connect("/ws/contests/live").await;
    let board = next_json(&mut ws).await;
    assert_eq!(board["type"], "board", "{board}");
    assert!(board["token"].as_str().unwrap().contains('-'));
    assert!(board["state"]["started"].is_string());
    assert!(board["state"]["frozen"].is_string());
    let rows = &board["scoreboard"]["rows"];
    assert_eq!(rows.as_array().unwrap().len(), 3);
    assert_eq!(rows[0]["team_id"], "t1");
    assert_eq!(rows[0]["rank"], 1);
    assert_eq!(row(rows, "t1")["score"]["num_solved"], 1);
    assert_eq!(row(rows, "t2")["rank"], 2);

    // t2 solves both problems before the freeze: it passes t1.
    judged(&mut conn, "live", start, ("s2", "t2", "a", 20, "AC")).await;
    let update = next_of(&mut ws, "rows").await;
    // The submission (pending) may come in a message of its own first.
    let update = if row_of(&update, "t2")["score"]["num_solved"] == 1 {
        update
    } else {
        next_of(&mut ws, "rows").await
    };
    assert_eq!(row(&update["rows"], "t2")["score"]["num_solved"], 1);
    assert_eq!(row(&update["rows"], "t2")["rank"], 2);
    judged(&mut conn, "live", start, ("s3", "t2", "b", 30, "AC")).await;
    let mut t2 = Value::Null;
    while t2["rank"] != 1 {
        let update = next_of(&mut ws, "rows").await;
        assert!(update["contest_time"].as_str().unwrap().starts_with("2:0"));
        if let Some(r) = find_row(&update["rows"], "t2") {
            t2 = r.clone();
        }
        if t2["rank"] == 1 {
            // t1 moved down to 2, its results the same: only its rank is
            // in the same message.
            assert_eq!(update["ranks"], json!({"t1": 2}), "{update}");
            assert!(find_row(&update["rows"], "t1").is_none(), "{update}");
            // t3 (third before and after, unchanged) is not sent.
            assert!(find_row(&update["rows"], "t3").is_none(), "{update}");
        }
    }
    assert_eq!(t2["score"]["num_solved"], 2);
    ws.close(None).await.unwrap();

    // An unknown contest: an error and 1008; a bad token: 1008.
    let mut ws = gw.connect("/ws/contests/nope").await;
    assert_eq!(next_json(&mut ws).await["error"], "unknown contest");
    let mut ws = gw.connect("/ws/contests/live?token=wrong").await;
    assert_eq!(next_json(&mut ws).await["error"], "invalid token");
    match ws.next().await {
        Some(Ok(Message::Close(Some(f)))) => assert_eq!(f.code, CloseCode::Policy),
        other => panic!("expected close 1008, got {other:?}"),
    }

    // Shutdown closes viewers with 1001.
    let mut ws = gw.connect("/ws/contests/live").await;
    next_of(&mut ws, "board").await;
    gw.stop().await;
    let closed = loop {
        match tokio::time::timeout(Duration::from_secs(5), ws.next()).await {
            Ok(Some(Ok(Message::Close(f)))) => break f,
            Ok(Some(Ok(_))) => continue,
            other => panic!("expected a close frame, got {other:?}"),
        }
    };
    assert_eq!(closed.unwrap().code, CloseCode::Away);
}

fn find_row<'a>(rows: &'a Value, team: &str) -> Option<&'a Value> {
    rows.as_array()?.iter().find(|r| r["team_id"] == team)
}

fn row_of<'a>(update: &'a Value, team: &str) -> &'a Value {
    find_row(&update["rows"], team).unwrap_or(&Value::Null)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_public_sees_a_result_of_the_freeze_only_after_the_thaw() {
    let redis = RedisServer::start();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let start = contest(&mut conn, "frozen").await;
    judged(&mut conn, "frozen", start, ("s1", "t1", "a", 10, "AC")).await;
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let mut public = gw.connect("/ws/contests/frozen").await;
    let mut admin = gw
        .connect(&format!("/ws/contests/frozen?token={ADMIN_TOKEN}"))
        .await;
    let mut team2 = gw.connect("/ws/contests/frozen?token=token-u2").await;
    let mut team1 = gw.connect("/ws/contests/frozen?token=token-u1").await;
    for ws in [&mut public, &mut admin, &mut team2, &mut team1] {
        next_of(ws, "board").await;
    }

    // t2 solves a and b after the freeze (minutes 100 and 110 of 180; the freeze is from 90).
    judged(&mut conn, "frozen", start, ("s2", "t2", "a", 100, "AC")).await;
    judged(&mut conn, "frozen", start, ("s3", "t2", "b", 110, "AC")).await;

    // The admin sees t2 first.
    let mut t2 = Value::Null;
    while t2["rank"] != 1 {
        let update = next_of(&mut admin, "rows").await;
        t2 = row_of(&update, "t2").clone();
    }
    assert_eq!(t2["score"]["num_solved"], 2);
    // Team t2 sees its own results; t1 and the public see them pending.
    let mut own = Value::Null;
    while own["rank"] != 1 {
        own = row_of(&next_of(&mut team2, "rows").await, "t2").clone();
    }
    for ws in [&mut public, &mut team1] {
        let mut t2 = Value::Null;
        while t2["problems"][1]["num_pending"] != 1 {
            let update = next_of(ws, "rows").await;
            t2 = row_of(&update, "t2").clone();
            assert_ne!(t2["rank"], 1, "{update}");
        }
        assert_eq!(t2["score"]["num_solved"], 0);
        assert_eq!(t2["problems"][0]["num_pending"], 1);
        no_rows_within(ws, 300).await;
    }

    // A clarification to everyone reaches all; one to t2 only t2 and the admin.
    let clar = |id: &str, to: Option<Vec<&str>>| {
        Append::new(
            "clarifications",
            id,
            &json!({"id": id, "from_team_id": null, "to_team_ids": to, "reply_to_id": null,
                    "problem_id": null, "text": format!("note {id}"), "time": AbsTime::now(),
                    "contest_time": "2:00:00"}),
        )
    };
    log::append_all(&mut conn, "frozen", &[clar("c1", Some(vec!["t2"]))])
        .await
        .unwrap();
    log::append_all(&mut conn, "frozen", &[clar("c2", None)])
        .await
        .unwrap();
    for ws in [&mut admin, &mut team2] {
        let c = next_of(ws, "clarification").await;
        assert_eq!(c["clarification"]["id"], "c1");
    }
    for ws in [&mut public, &mut team1, &mut admin, &mut team2] {
        let c = next_of(ws, "clarification").await;
        assert_eq!(c["clarification"]["id"], "c2");
    }

    // The thaw: a state message, then t2's row at rank 1 for the public.
    let thawed = json!({"started": start, "ended": null, "frozen": null,
                        "thawed": AbsTime::now(), "finalized": null, "end_of_updates": null});
    log::append_all(
        &mut conn,
        "frozen",
        &[Append::new("state", "frozen", &thawed)],
    )
    .await
    .unwrap();
    let state = next_of(&mut public, "state").await;
    assert!(state["state"]["thawed"].is_string(), "{state}");
    let update = next_of(&mut public, "rows").await;
    assert_eq!(row(&update["rows"], "t2")["rank"], 1, "{update}");
    assert_eq!(row(&update["rows"], "t2")["score"]["num_solved"], 2);
    // t1 and t3 (tied second before) only moved: a rank each.
    assert_eq!(update["ranks"], json!({"t1": 2, "t3": 3}), "{update}");
    // Team t1's view is the public's: it gets the same message.
    assert_eq!(next_of(&mut team1, "rows").await, update);
    // Team t2 had its results all along: its rows are the same, nothing is sent.
    no_rows_within(&mut team2, 300).await;
    gw.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_gateways_send_the_same_rows() {
    let redis = RedisServer::start();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let start = contest(&mut conn, "two").await;
    // 60 more teams: the board (about 20 KiB) goes out in fragments.
    let more: Vec<Append> = (0..60)
        .map(|n| {
            let id = format!("x{n:02}");
            Append::new(
                "teams",
                &id,
                &json!({"id": id, "name": format!("Extra {n:02}")}),
            )
        })
        .collect();
    log::append_all(&mut conn, "two", &more).await.unwrap();
    let a = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let b = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let mut wa = a.connect("/ws/contests/two").await;
    let mut wb = b.connect("/ws/contests/two").await;
    let (ba, bb) = (next_json(&mut wa).await, next_json(&mut wb).await);
    assert_eq!(ba["scoreboard"]["rows"], bb["scoreboard"]["rows"]);
    assert_eq!(ba["scoreboard"]["rows"].as_array().unwrap().len(), 63);
    assert!(
        ba.to_string().len() > 16 << 10,
        "a board longer than a fragment"
    );
    assert_eq!(ba["token"], bb["token"]);
    let script = [
        ("s1", "t3", "a", 5, "WA"),
        ("s2", "t3", "a", 7, "AC"),
        ("s3", "t1", "b", 9, "AC"),
        ("s4", "t2", "b", 11, "TLE"),
    ];
    for s in script {
        judged(&mut conn, "two", start, s).await;
    }
    // Each gateway may batch entries differently: compare the rows each
    // client holds once both have the last token.
    let mut last = String::new();
    for e in log::read_all_after(&mut conn, "two", "0-0").await.unwrap() {
        last = e.token;
    }
    let mut held = Vec::new();
    for ws in [&mut wa, &mut wb] {
        let mut rows = std::collections::BTreeMap::new();
        for r in ba["scoreboard"]["rows"].as_array().unwrap() {
            rows.insert(r["team_id"].as_str().unwrap().to_string(), r.clone());
        }
        loop {
            let update = next_of(ws, "rows").await;
            for (team, rank) in update["ranks"].as_object().unwrap() {
                rows.get_mut(team).expect("a rank of a known row")["rank"] = rank.clone();
            }
            for r in update["rows"].as_array().unwrap() {
                rows.insert(r["team_id"].as_str().unwrap().to_string(), r.clone());
            }
            if update["token"] == last.as_str() {
                break;
            }
        }
        held.push(rows);
    }
    assert_eq!(held[0], held[1]);
    // t1: 9 minutes; t3: 7 + 20 for the WA.
    assert_eq!(held[0]["t1"]["rank"], 1);
    assert_eq!(held[0]["t3"]["rank"], 2);
    assert_eq!(held[0]["t3"]["score"]["total_time"], "0:27:00");
    assert_eq!(held[0]["t2"]["rank"], 3);
    a.stop().await;
    b.stop().await;
}
