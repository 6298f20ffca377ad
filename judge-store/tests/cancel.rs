//! `judge_store::cancel` on a private Redis: a queued contest submission
//! leaves the queue and the contest (a `submissions` delete in its log, its
//! snapshot object gone, the board without it), ends cancelled, and no
//! later state or verdict is stored over it; a final one is refused.

use contest::board::ViewKind;
use contest::replay::Replay;
use judge_store::cancel::{self, Cancel};
use judge_store::contest::log::{self, Append};
use judge_store::{queue, store};
use submission::{EventKind, Status, SubmissionRecord, SubmissionState, Verdict};
use testkit::redis_server::RedisServer;

type Conn = redis::aio::MultiplexedConnection;

fn record(id: &str) -> SubmissionRecord {
    SubmissionRecord {
        id: id.into(),
        user_id: "ann".into(),
        problem_id: "aplusb".into(),
        problem_version: "v".into(),
        language: "cpp".into(),
        code: "int main(){}".into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: 1_800_000_600_000,
        contest_id: Some("c1".into()),
        team_id: Some("t1".into()),
    }
}

async fn pending_on_board(conn: &mut Conn) -> u32 {
    let mut replay = Replay::new();
    for e in log::read_all_after(conn, "c1", "0-0").await.unwrap() {
        replay.apply(&e);
    }
    let now = contest::AbsTime::from_unix_millis(1_800_001_000_000).unwrap();
    let board = replay.scoreboard(ViewKind::Admin, now).unwrap();
    board.rows[0].problems[0].num_pending
}

#[tokio::test]
async fn a_cancelled_contest_submission_leaves_the_queue_and_the_board() {
    let redis = RedisServer::start();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    let contest = serde_json::json!({
        "id": "c1", "name": "C1", "start_time": "2027-01-15T08:00:00Z", "duration": "5:00:00",
        "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"
    });
    log::append_all(
        &mut conn,
        "c1",
        &[
            Append::new("contest", "c1", &contest),
            Append::new(
                "problems",
                "aplusb",
                &serde_json::json!({"id": "aplusb", "label": "A", "name": "A+B", "ordinal": 1}),
            ),
            Append::new(
                "teams",
                "t1",
                &serde_json::json!({"id": "t1", "name": "t1", "label": "t1"}),
            ),
        ],
    )
    .await
    .unwrap();
    let r = record("s1");
    let queued = SubmissionState::queued(&r, 1);
    store::create_submission(&mut conn, &r, &queued)
        .await
        .unwrap();
    assert_eq!(pending_on_board(&mut conn).await, 1);
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.live, 1);

    let Cancel::Cancelled { state, was_waiting } =
        cancel::cancel(&mut conn, "s1", "admin root").await.unwrap()
    else {
        panic!("not cancelled");
    };
    assert!(was_waiting);
    assert_eq!(state.status, Status::Cancelled);
    assert_eq!(state.message.as_deref(), Some("cancelled by admin root"));
    assert!(cancel::is_cancelled(&mut conn, "s1").await.unwrap());

    // Out of the queue: no worker can take it.
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!(waiting.total(), 0, "{waiting:?}");
    let taken = queue::take(&mut conn, "w1", &queue::every_language())
        .await
        .unwrap();
    assert!(taken.is_none(), "{taken:?}");
    // Out of the contest: a delete in the log, no snapshot object, not pending.
    let last = log::read_all_after(&mut conn, "c1", "0-0")
        .await
        .unwrap()
        .pop()
        .unwrap();
    assert_eq!(
        (last.kind.as_str(), last.id.as_str(), last.data.is_none()),
        ("submissions", "s1", true)
    );
    let snap = judge_store::contest::snapshot::object(&mut conn, "c1", "submissions", "s1")
        .await
        .unwrap();
    assert!(snap.is_none());
    assert_eq!(pending_on_board(&mut conn).await, 0);

    // A worker that was judging it cannot store a verdict over the cancel.
    let mut late = queued.clone();
    late.seq = state.seq + 5;
    late.finish(Verdict::AC, 1);
    assert!(!store::publish_state(&mut conn, EventKind::Finished, &late)
        .await
        .unwrap());
    let stored = store::load_stored_state(&mut conn, "s1")
        .await
        .unwrap()
        .unwrap();
    assert_eq!((stored.status, stored.verdict), (Status::Cancelled, None));
    // A second cancel, a rejudge and an unknown id are refused.
    assert!(matches!(
        cancel::cancel(&mut conn, "s1", "admin root").await.unwrap(),
        Cancel::Final(_)
    ));
    assert!(matches!(
        store::rejudge(&mut conn, "s1", None).await.unwrap(),
        store::Rejudge::NotFinished(_)
    ));
    assert_eq!(
        cancel::cancel(&mut conn, "nosuch", "admin root")
            .await
            .unwrap(),
        Cancel::Unknown
    );
}
