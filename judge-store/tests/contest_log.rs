//! The contest log as `create_submission` and `publish_state` write it, on
//! a private Redis: one `submissions` entry per contest submission, exactly
//! one `judgements` entry (with its runs) per final state, none for a state
//! that is not final or a practice submission, a second one for a rejudge's
//! final verdict; and a board caught up in parts equals a full replay.

use contest::api::Contest;
use contest::board::ViewKind;
use contest::replay::{LogEntry, Replay};
use contest::{AbsTime, RelTime};
use judge_store::contest::log::{self, Append};
use judge_store::store::{self, Rejudge};
use submission::{EventKind, Status, SubmissionRecord, SubmissionState, TestResult, Verdict};
use testkit::redis_server::RedisServer;

type Conn = redis::aio::MultiplexedConnection;

async fn connect(redis: &RedisServer) -> Conn {
    redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap()
}

fn contest(start: AbsTime) -> Contest {
    serde_json::from_value(serde_json::json!({
        "id": "c1", "name": "C1", "start_time": start, "duration": "5:00:00",
        "scoreboard_freeze_duration": "1:00:00", "scoreboard_type": "pass-fail",
        "penalty_time": "0:20:00"
    }))
    .unwrap()
}

async fn configure(conn: &mut Conn, start: AbsTime) {
    let team = |id: &str| serde_json::json!({"id": id, "name": id, "label": id});
    log::append_all(
        conn,
        "c1",
        &[
            Append::new("contest", "c1", &contest(start)),
            Append::new(
                "problems",
                "aplusb",
                &serde_json::json!({"id": "aplusb", "label": "A", "name": "A+B", "ordinal": 1}),
            ),
            Append::new("teams", "t1", &team("t1")),
            Append::new("teams", "t2", &team("t2")),
        ],
    )
    .await
    .unwrap();
}

fn record(id: &str, team: Option<&str>, at_ms: u64) -> SubmissionRecord {
    SubmissionRecord {
        id: id.into(),
        user_id: format!("user-{}", team.unwrap_or("practice")),
        problem_id: "aplusb".into(),
        problem_version: "v".into(),
        language: "cpp".into(),
        code: "int main(){}".into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: at_ms,
        contest_id: team.map(|_| "c1".into()),
        team_id: team.map(String::from),
    }
}

fn result(index: usize, verdict: Verdict) -> TestResult {
    TestResult {
        index,
        name: format!("secret/{index}"),
        verdict,
        time_ms: 10,
        wall_ms: 10,
        memory_kb: 100,
        exit_code: None,
        signal: None,
        message: None,
        score: None,
        detail: None,
    }
}

async fn entries(conn: &mut Conn) -> Vec<LogEntry> {
    log::read_all_after(conn, "c1", "0-0").await.unwrap()
}

fn count(entries: &[LogEntry], kind: &str) -> usize {
    entries.iter().filter(|e| e.kind == kind).count()
}

/// Judges a stored submission to `verdict`: a running state, then the final one.
async fn judge(conn: &mut Conn, id: &str, verdict: Verdict, at_ms: u64) -> SubmissionState {
    let mut state = store::load_stored_state(conn, id).await.unwrap().unwrap();
    state.status = Status::Running;
    state.seq += 1;
    assert!(store::publish_state(conn, EventKind::Running, &state)
        .await
        .unwrap());
    state.push_result(result(1, Verdict::AC));
    state.push_result(result(2, verdict));
    state.seq += 1;
    state.finish(verdict, at_ms);
    assert!(store::publish_state(conn, EventKind::Finished, &state)
        .await
        .unwrap());
    state
}

#[tokio::test]
async fn submissions_and_final_verdicts_are_logged_once_and_rejudges_again() {
    let redis = RedisServer::start();
    let mut conn = connect(&redis).await;
    let start = AbsTime::from_unix_millis(1_800_000_000_000).unwrap();
    let ms = |minute: u64| 1_800_000_000_000 + minute * 60_000;
    configure(&mut conn, start).await;
    let config = entries(&mut conn).await.len();

    // A contest submission: one `submissions` entry, stored with the record.
    let r1 = record("s1", Some("t1"), ms(10));
    let q1 = SubmissionState::queued(&r1, 2);
    assert_eq!(q1.contest_id.as_deref(), Some("c1"));
    store::create_submission(&mut conn, &r1, &q1).await.unwrap();
    let after = entries(&mut conn).await;
    assert_eq!(after.len(), config + 1);
    let sub = after.last().unwrap();
    assert_eq!((sub.kind.as_str(), sub.id.as_str()), ("submissions", "s1"));
    let data = sub.data.as_ref().unwrap();
    assert_eq!(data["team_id"], "t1");
    assert_eq!(data["contest_time"], "0:10:00");
    let snap = judge_store::contest::snapshot::object(&mut conn, "c1", "submissions", "s1")
        .await
        .unwrap();
    assert!(snap.is_some());

    // A state that is not final writes nothing; the final one writes one
    // judgement and a run per test.
    let mut state = store::load_stored_state(&mut conn, "s1")
        .await
        .unwrap()
        .unwrap();
    state.status = Status::Compiling;
    state.seq = 1;
    assert!(
        store::publish_state(&mut conn, EventKind::Compiling, &state)
            .await
            .unwrap()
    );
    assert_eq!(entries(&mut conn).await.len(), config + 1);
    let finished = judge(&mut conn, "s1", Verdict::RE, ms(11)).await;
    let after = entries(&mut conn).await;
    assert_eq!(count(&after, "judgements"), 1);
    assert_eq!(count(&after, "runs"), 2);
    let j = after.iter().find(|e| e.kind == "judgements").unwrap();
    let data = j.data.as_ref().unwrap();
    // The judge's RE is the CCS RTE.
    assert_eq!(data["judgement_type_id"], "RTE");
    assert_eq!(data["submission_id"], "s1");
    assert_eq!(data["end_contest_time"], "0:11:00");
    assert!(j.id.len() <= 36 && contest::ids::is_valid_id(&j.id));

    // The same final state again (a re-delivered job) is refused: no entry.
    let mut again = finished.clone();
    again.seq += 1;
    assert!(
        !store::publish_state(&mut conn, EventKind::Finished, &again)
            .await
            .unwrap()
    );
    assert_eq!(count(&entries(&mut conn).await, "judgements"), 1);

    // A rejudge's final verdict is a second judgement of the submission.
    let Rejudge::Requeued(requeued, _) = store::rejudge(&mut conn, "s1", None).await.unwrap()
    else {
        panic!("not requeued");
    };
    assert_eq!(requeued.contest_id.as_deref(), Some("c1"));
    assert_eq!(count(&entries(&mut conn).await, "judgements"), 1);
    judge(&mut conn, "s1", Verdict::AC, ms(30)).await;
    let after = entries(&mut conn).await;
    let judgements: Vec<&LogEntry> = after.iter().filter(|e| e.kind == "judgements").collect();
    assert_eq!(judgements.len(), 2);
    assert_ne!(judgements[0].id, judgements[1].id);
    assert_eq!(
        judgements[1].data.as_ref().unwrap()["judgement_type_id"],
        "AC"
    );

    // Practice (no contest) writes nothing to any log.
    let before = after.len();
    let p = record("p1", None, ms(12));
    store::create_submission(&mut conn, &p, &SubmissionState::queued(&p, 2))
        .await
        .unwrap();
    judge(&mut conn, "p1", Verdict::AC, ms(13)).await;
    assert_eq!(entries(&mut conn).await.len(), before);
}

#[tokio::test]
async fn a_board_caught_up_in_parts_equals_a_full_replay() {
    let redis = RedisServer::start();
    let mut conn = connect(&redis).await;
    let start = AbsTime::from_unix_millis(1_800_000_000_000).unwrap();
    let ms = |minute: u64| 1_800_000_000_000 + minute * 60_000;
    configure(&mut conn, start).await;
    let now = start + RelTime::from_minutes(100);

    let mut live = Replay::new();
    let mut reads = 0;
    let plays = [
        ("a", "t1", 5, Verdict::WA),
        ("b", "t1", 9, Verdict::AC),
        ("c", "t2", 12, Verdict::CE),
        ("d", "t2", 20, Verdict::AC),
    ];
    for (id, team, minute, verdict) in plays {
        let r = record(id, Some(team), ms(minute));
        store::create_submission(&mut conn, &r, &SubmissionState::queued(&r, 2))
            .await
            .unwrap();
        // Catch up between the submission and its verdict, as a reader would.
        let token = live.token().to_string();
        for e in log::read_all_after(&mut conn, "c1", &token).await.unwrap() {
            live.apply(&e);
        }
        live.board(now);
        reads += 1;
        judge(&mut conn, id, verdict, ms(minute + 1)).await;
    }
    let token = live.token().to_string();
    let rest = log::read_all_after(&mut conn, "c1", &token).await.unwrap();
    assert!(!rest.is_empty());
    for e in &rest {
        live.apply(e);
    }
    // Nothing new: one read, no entries.
    let token = live.token().to_string();
    assert!(log::read_after(&mut conn, "c1", &token, 10)
        .await
        .unwrap()
        .is_empty());

    let mut full = Replay::new();
    for e in entries(&mut conn).await {
        full.apply(&e);
    }
    assert_eq!(reads, 4);
    let live_rows = live.scoreboard(ViewKind::Admin, now).unwrap().rows;
    assert_eq!(
        live_rows,
        full.scoreboard(ViewKind::Admin, now).unwrap().rows
    );
    // t1: WA then AC at 9 -> 29; t2: CE (no penalty) then AC at 20 -> 20.
    assert_eq!(live_rows[0].team_id.as_str(), "t2");
    let total = |row: &contest::api::ScoreboardRow| match &row.score {
        contest::api::RowScoreJson::PassFail { total_time, .. } => total_time.minutes_floor(),
        _ => -1,
    };
    assert_eq!((total(&live_rows[0]), total(&live_rows[1])), (20, 29));
}
