use std::time::Duration;

use futures_util::StreamExt;
use judge_store::{keys, store};
use redis::AsyncCommands;
use submission::{now_ms, Event, EventKind, SubmissionState, TestResult, Verdict};
use testkit::{state, RedisServer};
use tokio_tungstenite::tungstenite::protocol::frame::coding::CloseCode;
use tokio_tungstenite::tungstenite::Message;

mod common;
use common::{next_text, Client, Gateway};

async fn next_event(ws: &mut Client) -> Event {
    let text = next_text(ws).await;
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

/// Nothing but pings arrives within `ms`.
async fn assert_silent(ws: &mut Client, ms: u64) {
    let deadline = tokio::time::Instant::now() + Duration::from_millis(ms);
    loop {
        match tokio::time::timeout_at(deadline, ws.next()).await {
            Err(_) => return,
            Ok(Some(Ok(Message::Ping(_) | Message::Pong(_)))) => continue,
            Ok(other) => panic!("expected silence, got {other:?}"),
        }
    }
}

async fn create(
    conn: &mut redis::aio::MultiplexedConnection,
    id: &str,
    user: &str,
) -> SubmissionState {
    let record = state::record(id, user, ("hello", "v1"), "python3", "print(1)");
    state::create_queued(conn, &record, 3).await
}

fn result(index: usize) -> TestResult {
    TestResult {
        index,
        name: format!("secret/{index}"),
        verdict: Verdict::AC,
        time_ms: 10 * index as u64,
        wall_ms: 12,
        memory_kb: 1000,
        exit_code: Some(0),
        signal: None,
        message: None,
        score: None,
        detail: None,
    }
}

/// Publishes running, test_finished x3, finished for `state`, seq 1..=5.
async fn judge(conn: &mut redis::aio::MultiplexedConnection, state: &mut SubmissionState) {
    state.seq += 1;
    state.status = submission::Status::Running;
    assert!(store::publish_state(conn, EventKind::Running, state)
        .await
        .unwrap());
    for i in 1..=3 {
        state.seq += 1;
        state.push_result(result(i));
        assert!(store::publish_state(conn, EventKind::TestFinished, state)
            .await
            .unwrap());
    }
    state.seq += 1;
    state.finish(Verdict::AC, now_ms());
    assert!(store::publish_state(conn, EventKind::Finished, state)
        .await
        .unwrap());
}

#[tokio::test]
async fn late_client_gets_the_final_state_as_snapshot() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut state = create(&mut conn, "sub-final", "alice").await;
    judge(&mut conn, &mut state).await;

    let mut ws = gw.connect("/ws/submissions/sub-final").await;
    let event = next_event(&mut ws).await;
    assert_eq!(event.kind, EventKind::Snapshot);
    assert_eq!(event.state.verdict, Some(Verdict::AC));
    assert_eq!(event.state.results.len(), 3);
    assert_eq!(event.state.seq, 5);
    assert_silent(&mut ws, 200).await;
    gw.stop().await;
}

#[tokio::test]
async fn live_events_arrive_in_order_and_stale_ones_are_dropped() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut state = create(&mut conn, "sub-live", "alice").await;

    let mut ws = gw.connect("/ws/submissions/sub-live").await;
    let snapshot = next_event(&mut ws).await;
    assert_eq!(snapshot.kind, EventKind::Snapshot);
    assert_eq!(snapshot.state.seq, 0);

    let mut stale = state.clone();
    judge(&mut conn, &mut state).await;
    let kinds: Vec<(EventKind, u64)> = {
        let mut v = Vec::new();
        for _ in 0..5 {
            let e = next_event(&mut ws).await;
            v.push((e.kind, e.state.seq));
        }
        v
    };
    assert_eq!(
        kinds,
        [
            (EventKind::Running, 1),
            (EventKind::TestFinished, 2),
            (EventKind::TestFinished, 3),
            (EventKind::TestFinished, 4),
            (EventKind::Finished, 5),
        ]
    );

    // A stale event published behind the store's back is not forwarded.
    stale.seq = 2;
    let _: () = conn
        .publish(
            keys::events("sub-live"),
            store::event_json(EventKind::Running, &stale),
        )
        .await
        .unwrap();
    assert_silent(&mut ws, 300).await;
    gw.stop().await;
}

#[tokio::test]
async fn a_client_never_sees_another_submissions_events() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut a = create(&mut conn, "sub-a", "alice").await;
    let mut b = create(&mut conn, "sub-b", "alice").await;

    let mut ws_a = gw.connect("/ws/submissions/sub-a").await;
    assert_eq!(next_event(&mut ws_a).await.state.id, "sub-a");
    judge(&mut conn, &mut b).await;
    assert_silent(&mut ws_a, 300).await;
    judge(&mut conn, &mut a).await;
    for _ in 0..5 {
        assert_eq!(next_event(&mut ws_a).await.state.id, "sub-a");
    }
    assert_silent(&mut ws_a, 200).await;
    gw.stop().await;
}

#[tokio::test]
async fn user_stream_starts_with_snapshots_then_follows_only_that_user() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut a1 = create(&mut conn, "alice-1", "alice").await;
    tokio::time::sleep(Duration::from_millis(5)).await;
    let _a2 = create(&mut conn, "alice-2", "alice").await;
    let mut b1 = create(&mut conn, "bob-1", "bob").await;

    let mut ws = gw.connect("/ws/users/alice").await;
    let first = next_event(&mut ws).await;
    let second = next_event(&mut ws).await;
    assert_eq!(first.kind, EventKind::Snapshot);
    assert_eq!(second.kind, EventKind::Snapshot);
    assert_eq!(
        (first.state.id.as_str(), second.state.id.as_str()),
        ("alice-2", "alice-1")
    );

    judge(&mut conn, &mut b1).await;
    assert_silent(&mut ws, 300).await;
    judge(&mut conn, &mut a1).await;
    for seq in 1..=5 {
        let e = next_event(&mut ws).await;
        assert_eq!((e.state.id.as_str(), e.state.seq), ("alice-1", seq));
    }
    // A new submission of that user shows up too.
    let _a3 = create(&mut conn, "alice-3", "alice").await;
    let e = next_event(&mut ws).await;
    assert_eq!(
        (e.kind, e.state.id.as_str()),
        (EventKind::Queued, "alice-3")
    );
    gw.stop().await;
}

#[tokio::test]
async fn unknown_submission_and_unknown_path() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;

    let mut ws = gw.connect("/ws/submissions/does-not-exist").await;
    assert_eq!(
        next_text(&mut ws).await,
        r#"{"error":"unknown submission"}"#
    );
    match tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
    {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Policy),
        other => panic!("expected close 1008, got {other:?}"),
    }

    let err = tokio_tungstenite::connect_async(format!("ws://{}/ws/nothing/here", gw.addr))
        .await
        .unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => assert_eq!(resp.status(), 404),
        other => panic!("expected HTTP 404, got {other:?}"),
    }
    gw.stop().await;
}

#[tokio::test]
async fn shutdown_closes_sockets_with_1001() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    create(&mut conn, "sub-x", "alice").await;
    let mut ws = gw.connect("/ws/submissions/sub-x").await;
    next_event(&mut ws).await;
    let mut user_ws = gw.connect("/ws/users/alice").await;
    next_event(&mut user_ws).await;

    gw.shutdown.cancel();
    for ws in [&mut ws, &mut user_ws] {
        match tokio::time::timeout(Duration::from_secs(5), ws.next())
            .await
            .unwrap()
        {
            Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Away),
            other => panic!("expected close 1001, got {other:?}"),
        }
    }
    drop(ws);
    drop(user_ws);
    tokio::time::timeout(Duration::from_secs(15), gw.task)
        .await
        .unwrap()
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn a_redis_restart_loses_no_update() {
    let mut redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut state = create(&mut conn, "sub-blip", "alice").await;
    let mut ws = gw.connect("/ws/submissions/sub-blip").await;
    assert_eq!(next_event(&mut ws).await.state.seq, 0);

    // Redis goes away and comes back empty; a worker stores a newer state
    // while the gateway is not yet resubscribed (no one hears the publish).
    redis.stop();
    drop(conn);
    tokio::time::sleep(Duration::from_millis(300)).await;
    redis.restart();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    state.seq = 7;
    state.status = submission::Status::Running;
    store::publish_state(&mut conn, EventKind::Running, &state)
        .await
        .unwrap();

    // Either the resubscribed gateway hears it live or resyncs from the store.
    let e = next_event(&mut ws).await;
    assert!(
        matches!(e.kind, EventKind::Snapshot | EventKind::Running),
        "{e:?}"
    );
    assert_eq!(e.state.seq, 7);
    gw.stop().await;
}

#[tokio::test]
async fn an_event_lost_while_pubsub_was_down_is_resent_from_the_store() {
    let redis = RedisServer::start();
    let gw = Gateway::start(&redis.url()).await;
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut state = create(&mut conn, "sub-lost", "alice").await;
    let mut ws = gw.connect("/ws/submissions/sub-lost").await;
    let mut user_ws = gw.connect("/ws/users/alice").await;
    assert_eq!(next_event(&mut ws).await.state.seq, 0);
    assert_eq!(next_event(&mut user_ws).await.state.seq, 0);

    // The state changes but its event never reaches the gateway (stored, not
    // published), then the gateway's pub/sub connection is dropped.
    state.seq = 3;
    state.status = submission::Status::Running;
    let _: () = conn
        .hset(
            keys::submission("sub-lost"),
            keys::FIELD_STATE,
            serde_json::to_string(&state).unwrap(),
        )
        .await
        .unwrap();
    let _: () = redis::cmd("CLIENT")
        .arg("KILL")
        .arg("TYPE")
        .arg("pubsub")
        .query_async(&mut conn)
        .await
        .unwrap();

    for ws in [&mut ws, &mut user_ws] {
        let e = next_event(ws).await;
        assert_eq!((e.kind, e.state.seq), (EventKind::Snapshot, 3));
    }
    // And live events flow again after the reconnect.
    judge(&mut conn, &mut state).await;
    let e = next_event(&mut ws).await;
    assert_eq!((e.kind, e.state.seq), (EventKind::Running, 4));
    gw.stop().await;
}

async fn expect_policy_close(ws: &mut Client, error: &str) {
    assert_eq!(next_text(ws).await, format!(r#"{{"error":"{error}"}}"#));
    match tokio::time::timeout(Duration::from_secs(5), ws.next())
        .await
        .unwrap()
    {
        Some(Ok(Message::Close(Some(frame)))) => assert_eq!(frame.code, CloseCode::Policy),
        other => panic!("expected close 1008, got {other:?}"),
    }
}

#[tokio::test]
async fn tokens_decide_who_may_watch() {
    use judge_store::tokens::TokenInfo;
    let redis = RedisServer::start();
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    for (token, user, admin) in [
        ("tok-a", "alice", false),
        ("tok-b", "bob", false),
        ("tok-admin", "admin", true),
    ] {
        store::store_token(
            &mut conn,
            token,
            &TokenInfo {
                user_id: user.into(),
                admin,
            },
        )
        .await
        .unwrap();
    }
    create(&mut conn, "sub-a", "alice").await;

    // No token: the handshake is refused with 401.
    let err = tokio_tungstenite::connect_async(format!("ws://{}/ws/submissions/sub-a", gw.addr))
        .await
        .unwrap_err();
    match err {
        tokio_tungstenite::tungstenite::Error::Http(resp) => {
            assert_eq!(resp.status(), 401);
            assert!(resp.headers().get("www-authenticate").is_some());
        }
        other => panic!("expected HTTP 401, got {other:?}"),
    }

    // Someone else's submission or user stream, or an unknown token: close 1008.
    let mut ws = gw.connect("/ws/submissions/sub-a?token=tok-b").await;
    expect_policy_close(&mut ws, "forbidden").await;
    let mut ws = gw.connect("/ws/users/alice?token=tok-b").await;
    expect_policy_close(&mut ws, "forbidden").await;
    let mut ws = gw.connect("/ws/submissions/sub-a?token=nope").await;
    expect_policy_close(&mut ws, "invalid token").await;

    // The owner (query token or Authorization header) and an admin get the snapshot.
    let mut ws = gw.connect("/ws/submissions/sub-a?token=tok-a").await;
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    let mut ws = gw.connect("/ws/users/alice?token=tok-admin").await;
    assert_eq!(next_event(&mut ws).await.state.user_id, "alice");
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{}/ws/users/alice",
            gw.addr
        ))
        .unwrap();
    request
        .headers_mut()
        .insert("authorization", "Bearer tok-a".parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    gw.stop().await;
}

#[tokio::test]
async fn a_session_cookie_may_watch_its_own() {
    use judge_store::accounts;
    let redis = RedisServer::start();
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    assert!(
        accounts::create_account(&mut conn, "alice", "$argon2id$unused", false)
            .await
            .unwrap()
    );
    let session = accounts::create_session(&mut conn, "alice").await.unwrap();
    create(&mut conn, "sub-a", "alice").await;
    create(&mut conn, "sub-b", "bob").await;
    let with_cookie = |path: &str, cookie: &str| {
        let mut request =
            tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(
                format!("ws://{}{path}", gw.addr),
            )
            .unwrap();
        request
            .headers_mut()
            .insert("cookie", cookie.parse().unwrap());
        request
    };
    let cookie = format!("theme=dark; judge_session={}", session.id);
    let (mut ws, _) =
        tokio_tungstenite::connect_async(with_cookie("/ws/submissions/sub-a", &cookie))
            .await
            .unwrap();
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    let (mut ws, _) =
        tokio_tungstenite::connect_async(with_cookie("/ws/submissions/sub-b", &cookie))
            .await
            .unwrap();
    expect_policy_close(&mut ws, "forbidden").await;
    accounts::delete_session(&mut conn, &session.id)
        .await
        .unwrap();
    let (mut ws, _) =
        tokio_tungstenite::connect_async(with_cookie("/ws/submissions/sub-a", &cookie))
            .await
            .unwrap();
    expect_policy_close(&mut ws, "session ended").await;
    gw.stop().await;
}

/// A handshake to `path` carrying `headers`.
fn handshake(
    addr: &str,
    path: &str,
    headers: &[(&'static str, &str)],
) -> tokio_tungstenite::tungstenite::handshake::client::Request {
    let mut request =
        tokio_tungstenite::tungstenite::client::IntoClientRequest::into_client_request(format!(
            "ws://{addr}{path}"
        ))
        .unwrap();
    for (name, value) in headers {
        request.headers_mut().insert(*name, value.parse().unwrap());
    }
    request
}

/// The HTTP status a refused handshake got.
async fn refused_with(request: tokio_tungstenite::tungstenite::handshake::client::Request) -> u16 {
    match tokio_tungstenite::connect_async(request).await {
        Err(tokio_tungstenite::tungstenite::Error::Http(resp)) => resp.status().as_u16(),
        Ok(_) => panic!("the handshake was accepted"),
        Err(other) => panic!("expected an HTTP refusal, got {other:?}"),
    }
}

#[tokio::test]
async fn a_cookie_handshake_from_another_sites_page_is_refused() {
    use judge_store::accounts;
    let redis = RedisServer::start();
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    assert!(
        accounts::create_account(&mut conn, "alice", "$argon2id$unused", false)
            .await
            .unwrap()
    );
    let session = accounts::create_session(&mut conn, "alice").await.unwrap();
    store::store_token(
        &mut conn,
        "tok-a",
        &judge_store::tokens::TokenInfo {
            user_id: "alice".into(),
            admin: false,
        },
    )
    .await
    .unwrap();
    create(&mut conn, "sub-a", "alice").await;
    let cookie = format!("judge_session={}", session.id);

    // No origins configured: the Host's own host name, on any port.
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let path = "/ws/submissions/sub-a";
    let evil = [
        ("cookie", cookie.as_str()),
        ("origin", "https://evil.example"),
    ];
    assert_eq!(refused_with(handshake(&gw.addr, path, &evil)).await, 403);
    let null = [("cookie", cookie.as_str()), ("origin", "null")];
    assert_eq!(refused_with(handshake(&gw.addr, path, &null)).await, 403);
    let own = [
        ("cookie", cookie.as_str()),
        ("origin", "http://127.0.0.1:8080"),
    ];
    let (mut ws, _) = tokio_tungstenite::connect_async(handshake(&gw.addr, path, &own))
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    // A token is not the browser's to add: any origin may use one.
    let token = [("origin", "https://evil.example")];
    let (mut ws, _) = tokio_tungstenite::connect_async(handshake(
        &gw.addr,
        &format!("{path}?token=tok-a"),
        &token,
    ))
    .await
    .unwrap();
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    gw.stop().await;

    // Configured origins replace the Host rule.
    let gw = Gateway::start_with_origins(
        &redis.url(),
        ws_gateway::AuthMode::Required,
        vec!["https://judge.example.org".into()],
    )
    .await;
    assert_eq!(refused_with(handshake(&gw.addr, path, &own)).await, 403);
    let configured = [
        ("cookie", cookie.as_str()),
        ("origin", "https://judge.example.org"),
    ];
    let (mut ws, _) = tokio_tungstenite::connect_async(handshake(&gw.addr, path, &configured))
        .await
        .unwrap();
    assert_eq!(next_event(&mut ws).await.state.id, "sub-a");
    gw.stop().await;
}

#[tokio::test]
async fn a_tokens_admin_right_is_its_users_right_now() {
    use judge_store::{accounts, tokens};
    let redis = RedisServer::start();
    let gw = Gateway::start_with(&redis.url(), ws_gateway::AuthMode::Required).await;
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    // carol's token was made while she was an admin.
    assert!(
        accounts::create_account(&mut conn, "carol", "$argon2id$unused", true)
            .await
            .unwrap()
    );
    tokens::create(
        &mut conn,
        "tok-carol",
        "carol",
        false,
        None,
        submission::now_ms(),
    )
    .await
    .unwrap();
    create(&mut conn, "sub-b", "bob").await;
    let mut ws = gw.connect("/ws/users/bob?token=tok-carol").await;
    assert_eq!(next_event(&mut ws).await.state.user_id, "bob");
    // Admin taken away: the same token may no longer watch bob.
    assert!(accounts::set_admin(&mut conn, "carol", false)
        .await
        .unwrap());
    let mut ws = gw.connect("/ws/users/bob?token=tok-carol").await;
    expect_policy_close(&mut ws, "forbidden").await;
    // And an expired token is no token.
    tokens::create(
        &mut conn,
        "tok-old",
        "bob",
        false,
        Some(1),
        submission::now_ms(),
    )
    .await
    .unwrap();
    let mut ws = gw.connect("/ws/users/bob?token=tok-old").await;
    assert_eq!(next_event(&mut ws).await.state.user_id, "bob");
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let mut ws = gw.connect("/ws/users/bob?token=tok-old").await;
    expect_policy_close(&mut ws, "invalid token").await;
    gw.stop().await;
}
