//! A user's history filtered by problem and verdict, on a real Redis.

use judge_store::keys;
use redis::AsyncCommands;
use serde_json::Value;
use submission::{now_ms, Verdict};
use testkit::http::{call, creds, Req};
use testkit::{state, ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

/// Stores a finished submission of `user` as a worker would leave it.
async fn finished(
    conn: &mut redis::aio::MultiplexedConnection,
    user: &str,
    problem: &str,
    verdict: Verdict,
) -> String {
    let id = uuid::Uuid::now_v7().to_string();
    let record = state::record(&id, user, (problem, "v"), "python3", "print(1)");
    let mut state = state::create_queued(conn, &record, 1).await;
    state.finish(verdict, now_ms());
    let _: () = conn
        .hset(
            keys::submission(&record.id),
            keys::FIELD_STATE,
            serde_json::to_string(&state).unwrap(),
        )
        .await
        .unwrap();
    record.id
}

#[tokio::test]
async fn the_history_filters_by_problem_and_verdict() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();
    let a = call(
        base,
        "POST",
        "/api/auth/tokens",
        creds("heidi", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 401, "no account yet");
    call(
        base,
        "POST",
        "/api/auth/signup",
        creds("heidi", "correct horse"),
    )
    .await;
    let token = call(
        base,
        "POST",
        "/api/auth/tokens",
        creds("heidi", "correct horse"),
    )
    .await
    .body["token"]
        .as_str()
        .unwrap()
        .to_string();
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let ab_wa = finished(&mut conn, "heidi", "aplusb", Verdict::WA).await;
    let ab_ac = finished(&mut conn, "heidi", "aplusb", Verdict::AC).await;
    let other_wa = finished(&mut conn, "heidi", "other", Verdict::WA).await;
    finished(&mut conn, "ivan", "aplusb", Verdict::WA).await;

    let ids = |body: &Value| -> Vec<String> {
        body.as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_string())
            .collect()
    };
    let get = |query: &'static str| {
        let token = token.clone();
        async move {
            call(
                base,
                "GET",
                &format!("/api/users/heidi/submissions{query}"),
                Req::bearer(&token),
            )
            .await
        }
    };
    let a = get("").await;
    assert_eq!(
        ids(&a.body),
        [other_wa.clone(), ab_ac.clone(), ab_wa.clone()]
    );
    let a = get("?problem=aplusb").await;
    assert_eq!(ids(&a.body), [ab_ac.clone(), ab_wa.clone()]);
    let a = get("?verdict=WA").await;
    assert_eq!(ids(&a.body), [other_wa, ab_wa.clone()]);
    let a = get("?problem=aplusb&verdict=WA").await;
    assert_eq!(ids(&a.body), [ab_wa]);
    let a = get("?problem=aplusb&verdict=TLE").await;
    assert_eq!(ids(&a.body), Vec::<String>::new());
    let a = get("?verdict=wrong").await;
    assert_eq!((a.status, a.field()), (422, Some("verdict")));
    let a = get("?problem=Bad!").await;
    assert_eq!((a.status, a.field()), (422, Some("problem")));
    api.stop().await;
}
