//! The order in which the fair queue hands out jobs (see `judge_store::queue`).
//!
//! Order properties, never timings. The large counts run against a real
//! Redis without Docker, with the test playing the worker: it takes a job
//! the way a worker with a free slot does (`queue::take`) and acknowledges
//! it (XACK + XDEL), so the order of its takes is the judging order.
//!
//! - A burst of 200 from one user, then one submission from another: with
//!   one slot, the other is taken second.
//! - A rejudge of a whole problem, then live submissions: each live one is
//!   taken before any rejudge job not already in flight.
//! - A queued submission's position is reported and goes down to 0, each
//!   take moving it by one at most, and it is taken exactly when it is 0.
//! - End to end, with a real worker: the position shows over the WebSocket,
//!   goes down, and another user's submissions overtake a burst.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::StreamExt;
use judge_store::queue::{self, Taken};
use judge_store::{keys, store};
use judge_tests::{aplusb_with_time_limit, Stack};
use redis::aio::MultiplexedConnection;
use redis::AsyncCommands;
use submission::{now_ms, EventKind, Status};
use submission::{Event, SubmissionRecord, Verdict};
use testkit::client::{example, submit, wait_for};
use testkit::redis_server::RedisServer;
use testkit::state;
use tokio_tungstenite::tungstenite::Message;

fn record(id: &str, user: &str) -> SubmissionRecord {
    state::record(id, user, ("p", "v1"), "cpp", "int main(){}")
}

async fn redis() -> (RedisServer, MultiplexedConnection) {
    let server = RedisServer::start();
    let mut conn = store::dedicated(&server.url()).await.unwrap();
    store::ensure_group(&mut conn).await.unwrap();
    (server, conn)
}

async fn submit_live(conn: &mut MultiplexedConnection, id: &str, user: &str) {
    state::create_queued(conn, &record(id, user), 1).await;
}

/// What a worker does with a job it took: its submission id, and the
/// entry acknowledged and deleted as after a verdict.
async fn take(conn: &mut MultiplexedConnection) -> Option<(String, Taken)> {
    let taken = queue::take(conn, "w1", &queue::every_language())
        .await
        .unwrap()?;
    let job: submission::Job = serde_json::from_str(taken.job.as_deref().unwrap()).unwrap();
    Some((job.submission_id, taken))
}

async fn ack(conn: &mut MultiplexedConnection, taken: &Taken) {
    let id = taken.entry_id.as_str();
    redis::pipe()
        .atomic()
        .xack(keys::JOB_STREAM, keys::WORKER_GROUP, &[id])
        .xdel(keys::JOB_STREAM, &[id])
        .query_async::<()>(conn)
        .await
        .unwrap();
}

/// Takes and acknowledges jobs one at a time (one slot) until none is
/// left; returns the submission ids in the order taken.
async fn drain(conn: &mut MultiplexedConnection) -> Vec<String> {
    let mut order = Vec::new();
    while let Some((id, taken)) = take(conn).await {
        ack(conn, &taken).await;
        order.push(id);
    }
    order
}

async fn position(conn: &mut MultiplexedConnection, id: &str) -> Option<u64> {
    store::load_state(conn, id)
        .await
        .unwrap()
        .unwrap()
        .queue_position
}

#[tokio::test]
async fn a_burst_does_not_delay_another_users_submission() {
    let (_redis, mut conn) = redis().await;
    for i in 0..200 {
        submit_live(&mut conn, &format!("burst-{i:03}"), "burst").await;
    }
    submit_live(&mut conn, "single", "other").await;

    // The scripts' key names are those of `keys`.
    let exists: bool = conn
        .exists(keys::user_queue("live", "other"))
        .await
        .unwrap();
    assert!(exists);
    let ring: Vec<String> = conn.zrange(keys::queue_turns("live"), 0, -1).await.unwrap();
    assert_eq!(ring, ["burst", "other"]);
    let lane: Vec<String> = conn
        .zrange(keys::queue_lane("live", "cpp"), 0, -1)
        .await
        .unwrap();
    assert_eq!(lane, ["burst", "other"]);
    assert_eq!(position(&mut conn, "single").await, Some(1));
    assert_eq!(position(&mut conn, "burst-199").await, Some(200));
    assert_eq!(store::queued_jobs(&mut conn).await.unwrap(), 201);

    let order = drain(&mut conn).await;
    println!(
        "burst of 200 + 1: the single submission was taken at position {} of {}",
        order.iter().position(|id| id == "single").unwrap() + 1,
        order.len()
    );
    assert_eq!(order.len(), 201);
    assert_eq!(order.iter().collect::<HashSet<_>>().len(), 201, "each once");
    assert_eq!(
        order[1], "single",
        "one slot: taken right after the burst's first"
    );
    let burst: Vec<&String> = order.iter().filter(|id| id.starts_with("burst")).collect();
    let mut sorted = burst.clone();
    sorted.sort();
    assert_eq!(burst, sorted, "a user's own jobs keep their order");
    assert_eq!(store::queued_jobs(&mut conn).await.unwrap(), 0);
    let ring: Vec<String> = conn.zrange(keys::queue_turns("live"), 0, -1).await.unwrap();
    assert!(ring.is_empty());
}

#[tokio::test]
async fn round_robin_over_three_users() {
    let (_redis, mut conn) = redis().await;
    for i in 0..4 {
        submit_live(&mut conn, &format!("a{i}"), "ann").await;
    }
    for i in 0..2 {
        submit_live(&mut conn, &format!("b{i}"), "bob").await;
    }
    submit_live(&mut conn, "c0", "cy").await;
    // Positions as promised, before anything is taken.
    let expected = [
        ("a0", 0),
        ("b0", 1),
        ("c0", 2),
        ("a1", 3),
        ("b1", 4),
        ("a2", 5),
        ("a3", 6),
    ];
    for (id, ahead) in expected {
        assert_eq!(position(&mut conn, id).await, Some(ahead), "{id}");
    }
    let order = drain(&mut conn).await;
    assert_eq!(order, expected.map(|(id, _)| id));
}

#[tokio::test]
async fn live_submissions_go_before_a_rejudge() {
    const SLOTS: usize = 2;
    let (_redis, mut conn) = redis().await;
    // 60 finished submissions of one problem by 6 users.
    let mut ids = Vec::new();
    for i in 0..60 {
        let id = format!("old-{i:02}");
        submit_live(&mut conn, &id, &format!("u{}", i % 6)).await;
        ids.push(id);
    }
    for _ in drain(&mut conn).await {}
    for id in &ids {
        let mut state = store::load_stored_state(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        state.seq += 1;
        state.finish(Verdict::AC, now_ms());
        assert!(store::publish_state(&mut conn, EventKind::Finished, &state)
            .await
            .unwrap());
    }
    // The admin rejudges the whole problem.
    for id in store::problem_submission_ids(&mut conn, "p").await.unwrap() {
        let rejudged = store::rejudge(&mut conn, &id, None).await.unwrap();
        assert!(
            matches!(rejudged, store::Rejudge::Requeued(..)),
            "{rejudged:?}"
        );
    }
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!((waiting.live, waiting.rejudge), (0, 60));
    // Back-pressure does not count the rejudge: nobody's Submit is refused.
    assert_eq!(store::queued_jobs(&mut conn).await.unwrap(), 0);

    // Every slot is busy with a rejudge job when the live ones come.
    let mut in_flight = Vec::new();
    for _ in 0..SLOTS {
        in_flight.push(take(&mut conn).await.unwrap());
    }
    for i in 0..5 {
        submit_live(
            &mut conn,
            &format!("live-{i}"),
            &format!("student{}", i % 2),
        )
        .await;
    }
    // A rejudge job waits behind every live one.
    let rejudge_waiting = ids
        .iter()
        .find(|id| !in_flight.iter().any(|(taken, _)| taken == *id))
        .unwrap()
        .clone();
    assert!(position(&mut conn, &rejudge_waiting).await.unwrap() >= 5);
    assert_eq!(
        store::queued_jobs(&mut conn).await.unwrap(),
        (SLOTS + 5) as u64
    );
    for (_, taken) in &in_flight {
        ack(&mut conn, taken).await;
    }
    let order = drain(&mut conn).await;
    assert_eq!(order.len(), 5 + 60 - SLOTS);
    assert!(
        order[..5].iter().all(|id| id.starts_with("live-")),
        "the live jobs first: {:?}",
        &order[..8]
    );

    // And while a rejudge runs, a live submission is next.
    for id in &ids[..10] {
        let mut state = store::load_stored_state(&mut conn, id)
            .await
            .unwrap()
            .unwrap();
        state.seq += 1;
        state.finish(Verdict::AC, now_ms());
        store::publish_state(&mut conn, EventKind::Finished, &state)
            .await
            .unwrap();
        store::rejudge(&mut conn, id, None).await.unwrap();
    }
    let (first, taken) = take(&mut conn).await.unwrap();
    assert!(first.starts_with("old-"));
    ack(&mut conn, &taken).await;
    submit_live(&mut conn, "live-late", "student0").await;
    assert_eq!(position(&mut conn, "live-late").await, Some(0));
    assert_eq!(take(&mut conn).await.unwrap().0, "live-late");
}

#[tokio::test]
async fn the_position_goes_down_to_zero_one_take_at_a_time() {
    let (_redis, mut conn) = redis().await;
    for i in 0..10 {
        submit_live(&mut conn, &format!("a{i}"), "ann").await;
    }
    for i in 0..3 {
        submit_live(&mut conn, &format!("b{i}"), "bob").await;
    }
    let watched = "b2";
    let mut seen = vec![position(&mut conn, watched).await.unwrap()];
    loop {
        let (id, taken) = take(&mut conn).await.unwrap();
        ack(&mut conn, &taken).await;
        if id == watched {
            break;
        }
        seen.push(position(&mut conn, watched).await.unwrap());
    }
    println!("positions of {watched}: {seen:?}");
    assert_eq!(seen.first(), Some(&5));
    assert_eq!(seen.last(), Some(&0), "0 just before it is taken");
    assert!(seen.windows(2).all(|w| w[1] + 1 == w[0]), "{seen:?}");
    // Taken (still queued until the worker says otherwise): no position.
    assert_eq!(position(&mut conn, watched).await, None);
    let mut state = store::load_stored_state(&mut conn, watched)
        .await
        .unwrap()
        .unwrap();
    state.seq += 1;
    state.status = Status::Compiling;
    store::publish_state(&mut conn, EventKind::Compiling, &state)
        .await
        .unwrap();
    assert_eq!(position(&mut conn, watched).await, None);
}

#[tokio::test]
async fn a_job_put_back_in_the_stream_goes_first() {
    let (_redis, mut conn) = redis().await;
    submit_live(&mut conn, "a0", "ann").await;
    submit_live(&mut conn, "b0", "bob").await;
    // As a worker of an older version put a job back: straight into the
    // stream, not delivered yet.
    let job = serde_json::json!({"submission_id": "x0"}).to_string();
    let _: String = conn
        .xadd(keys::JOB_STREAM, "*", &[("job", job)])
        .await
        .unwrap();
    submit_live(&mut conn, "x0", "cy").await;
    // As the worker's engine requeue does now: its language's put-back list.
    let put_back = redis::Script::new(&queue::with_enqueue("put_back_job(ARGV[1], ARGV[2])"));
    let _: () = put_back
        .arg("y0")
        .arg("cpp")
        .invoke_async(&mut conn)
        .await
        .unwrap();
    let (waiting, _) = queue::waiting(&mut conn).await.unwrap();
    assert_eq!((waiting.requeued, waiting.live), (2, 3));
    assert_eq!(position(&mut conn, "a0").await, Some(2));
    let (first, taken) = take(&mut conn).await.unwrap();
    assert_eq!((first.as_str(), taken.source.as_str()), ("x0", "requeued"));
    let (second, taken) = take(&mut conn).await.unwrap();
    assert_eq!((second.as_str(), taken.source.as_str()), ("y0", "requeued"));
}

/// The next event on a submission's socket (within two minutes).
async fn next_event(
    socket: &mut tokio_tungstenite::WebSocketStream<
        tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>,
    >,
) -> Event {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(120), socket.next())
            .await
            .expect("an event within two minutes")
            .expect("the socket stays open")
            .expect("the socket stays healthy");
        if let Message::Text(text) = message {
            return serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
        }
    }
}

/// One worker (two slots), a burst from one user, three submissions from
/// another: the position shows over the WebSocket and goes down, and the
/// other user's submissions are judged among the first, not after the burst.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn end_to_end_a_burst_and_a_waiting_submission() {
    const BURST: usize = 8;
    const SLOTS: usize = 2;
    testkit::require_images(&["python3"]);
    let problems = aplusb_with_time_limit(5);
    // No worker yet: everything waits.
    let mut stack = Stack::start(problems.path(), 0).await;
    let code = example("aplusb", "accepted", "plain_input.py");
    let mut burst = Vec::new();
    for _ in 0..BURST {
        let (status, body) = submit(&stack.api_url, "burster", "aplusb", "python3", &code).await;
        assert_eq!(status, 202, "{body}");
        burst.push(body["id"].as_str().unwrap().to_string());
    }
    let mut others = Vec::new();
    let mut watch_url = String::new();
    for _ in 0..3 {
        let (status, body) = submit(&stack.api_url, "patient", "aplusb", "python3", &code).await;
        assert_eq!(status, 202, "{body}");
        others.push(body["id"].as_str().unwrap().to_string());
        watch_url = body["watch_url"].as_str().unwrap().to_string();
    }
    let last = others.last().unwrap().clone();
    // Ring [burster, patient]: the third of patient's waits for turns 0-2.
    let state = wait_for(&stack.api_url, &last, Duration::from_secs(5), |s| {
        s.queue_position.is_some()
    })
    .await;
    assert_eq!(state.queue_position, Some(5));

    // The socket's snapshot first, then the worker starts.
    let (mut socket, _) = tokio_tungstenite::connect_async(&watch_url).await.unwrap();
    let snapshot = next_event(&mut socket).await;
    assert_eq!(
        snapshot.state.queue_position,
        Some(5),
        "the snapshot has it"
    );
    stack.add_worker();
    let mut events = vec![snapshot];
    while !events.last().unwrap().state.is_final() {
        events.push(next_event(&mut socket).await);
    }
    let positions: Vec<u64> = events
        .iter()
        .filter(|e| e.state.status == Status::Queued)
        .filter_map(|e| e.state.queue_position)
        .collect();
    println!("positions seen over the WebSocket: {positions:?}");
    assert!(
        positions.windows(2).all(|w| w[1] < w[0]),
        "each one new: {positions:?}"
    );
    assert!(events.last().unwrap().state.is_final());

    // Judging order, from the stored finish times (one worker).
    let mut finished = Vec::new();
    for id in burst.iter().chain(&others) {
        let state = wait_for(&stack.api_url, id, Duration::from_secs(120), |s| {
            s.is_final()
        })
        .await;
        assert_eq!(state.verdict, Some(Verdict::AC), "{id}");
        finished.push((state.finished_at_ms.unwrap(), id.clone()));
    }
    finished.sort();
    let rank = |id: &String| finished.iter().position(|(_, f)| f == id).unwrap() + 1;
    let ranks: Vec<usize> = others.iter().map(rank).collect();
    println!(
        "{} jobs; the patient user's three finished at ranks {ranks:?}",
        finished.len()
    );
    for (k, r) in ranks.iter().enumerate() {
        // Taken in turn k (one burst job ahead in each), give or take the slots.
        assert!(
            *r <= 2 * (k + 1) + SLOTS,
            "rank {r} of submission {k}: {ranks:?}"
        );
    }
    stack.stop().await;
}
