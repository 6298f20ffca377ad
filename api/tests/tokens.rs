//! Tokens and addresses on a real Redis (issue 21): a token is worth its
//! user's admin right at each use; tokens expire, and their owner lists
//! and revokes them by id; `X-Forwarded-For` counts only from a trusted
//! proxy, for the sign-up limit and the sign-in back-off.

use std::time::Duration;

use judge_store::keys;
use redis::AsyncCommands;
use serde_json::{json, Value};
use testkit::http::{call, creds, Req};
use testkit::{ApiServer, RedisServer};

const ADMIN: &str = "tokens-admin-token";

/// Signs `user` up; the session cookie and its CSRF token.
async fn sign_up(base: &str, user: &str) -> (String, String) {
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds(user, "correct horse"),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    (
        a.session_cookie(),
        a.body["csrf_token"].as_str().unwrap().to_string(),
    )
}

/// A token for `user` from their password, with `expires_in` if given.
async fn token(base: &str, user: &str, expires_in: Option<u64>) -> Value {
    let mut body = json!({ "username": user, "password": "correct horse" });
    if let Some(secs) = expires_in {
        body["expires_in"] = json!(secs);
    }
    let a = call(base, "POST", "/api/auth/tokens", Req::default().body(body)).await;
    assert_eq!(a.status, 201, "{}", a.body);
    a.body
}

async fn set_admin(base: &str, user: &str, admin: bool) -> u16 {
    let path = format!("/api/admin/users/{user}/admin");
    let body = json!({ "admin": admin });
    call(base, "PUT", &path, Req::bearer(ADMIN).body(body))
        .await
        .status
}

/// The status of an admin-only read with `token`.
async fn admin_read(base: &str, token: &str) -> u16 {
    call(base, "GET", "/api/admin/settings", Req::bearer(token))
        .await
        .status
}

#[tokio::test]
async fn a_tokens_admin_right_is_its_users_right_at_each_use() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();

    // A signed-up user's token follows their account's right, both ways, at once.
    sign_up(base, "frank").await;
    let t = token(base, "frank", None).await;
    let frank = t["token"].as_str().unwrap();
    assert_eq!(admin_read(base, frank).await, 403);
    assert_eq!(set_admin(base, "frank", true).await, 200);
    assert_eq!(
        admin_read(base, frank).await,
        200,
        "made admin: the old token is admin"
    );
    let a = call(base, "GET", "/api/me", Req::bearer(frank)).await;
    assert_eq!(a.body["admin"], true, "{}", a.body);
    assert_eq!(set_admin(base, "frank", false).await, 200);
    assert_eq!(
        admin_read(base, frank).await,
        403,
        "admin taken: from the token too"
    );

    // A token-only user made admin by `judge admin user add --admin`: the
    // same, and the name cannot be signed up by someone else.
    let a = call(
        base,
        "POST",
        "/api/admin/users",
        Req::bearer(ADMIN).body(json!({ "user_id": "tina", "admin": true })),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["admin"], true);
    let tina = a.body["token"].as_str().unwrap().to_string();
    assert_eq!(admin_read(base, &tina).await, 200);
    assert_eq!(set_admin(base, "tina", false).await, 200);
    assert_eq!(admin_read(base, &tina).await, 403);
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("tina", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 409, "{}", a.body);
    // A token made without `admin` for an admin is worth the user's right.
    assert_eq!(set_admin(base, "tina", true).await, 200);
    let a = call(
        base,
        "POST",
        "/api/admin/users",
        Req::bearer(ADMIN).body(json!({ "user_id": "tina" })),
    )
    .await;
    assert_eq!(a.body["admin"], true, "{}", a.body);
    // The admin token's user can be given to no one.
    let a = call(
        base,
        "POST",
        "/api/admin/users",
        Req::bearer(ADMIN).body(json!({ "user_id": "admin" })),
    )
    .await;
    assert_eq!((a.status, a.field()), (422, Some("user_id")), "{}", a.body);
    assert_eq!(set_admin(base, "admin", false).await, 422);
    assert_eq!(admin_read(base, ADMIN).await, 200);
    // Still 404 for a user nobody made.
    assert_eq!(set_admin(base, "ghost", true).await, 404);
    api.stop().await;
}

#[tokio::test]
async fn tokens_expire_and_their_owner_lists_and_revokes_them() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();
    let (cookie, csrf) = sign_up(base, "dave").await;

    // An expiring token works until it expires, then is 401.
    let short = token(base, "dave", Some(1)).await;
    let short_token = short["token"].as_str().unwrap();
    assert!(short["expires_at_ms"].as_u64().is_some(), "{short}");
    assert_eq!(
        call(base, "GET", "/api/me", Req::bearer(short_token))
            .await
            .status,
        200
    );
    tokio::time::sleep(Duration::from_millis(1300)).await;
    let a = call(base, "GET", "/api/me", Req::bearer(short_token)).await;
    assert_eq!(a.status, 401, "{}", a.body);
    let a = call(
        base,
        "POST",
        "/api/auth/tokens",
        Req::default()
            .body(json!({"username": "dave", "password": "correct horse", "expires_in": 0})),
    )
    .await;
    assert_eq!(
        (a.status, a.field()),
        (422, Some("expires_in")),
        "{}",
        a.body
    );

    // Two live tokens: listed by id (never the token), the caller's marked.
    let one = token(base, "dave", None).await;
    let two = token(base, "dave", Some(3600)).await;
    let (t1, t2) = (
        one["token"].as_str().unwrap(),
        two["token"].as_str().unwrap(),
    );
    let a = call(base, "GET", "/api/auth/tokens", Req::bearer(t1)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let list = a.body.as_array().unwrap().clone();
    assert_eq!(list.len(), 2, "the expired one is gone: {}", a.body);
    let text = a.body.to_string();
    assert!(!text.contains(t1) && !text.contains(t2), "{text}");
    let ids: Vec<&str> = list.iter().map(|t| t["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [one["id"].as_str().unwrap(), two["id"].as_str().unwrap()]
    );
    assert!(ids.iter().all(|id| id.len() == 16), "{ids:?}");
    assert_eq!(list[0]["current"], true);
    assert_eq!(list[1]["current"], false);
    assert!(list[1]["expires_at_ms"].as_u64().is_some());
    assert!(list[0].get("expires_at_ms").is_none());

    // Someone else neither sees nor revokes them.
    sign_up(base, "erin").await;
    let erin = token(base, "erin", None).await;
    let erin_token = erin["token"].as_str().unwrap();
    let a = call(base, "GET", "/api/auth/tokens", Req::bearer(erin_token)).await;
    assert_eq!(a.body.as_array().unwrap().len(), 1, "{}", a.body);
    let path = format!("/api/auth/tokens/{}", ids[1]);
    let a = call(base, "DELETE", &path, Req::bearer(erin_token)).await;
    assert_eq!((a.status, a.field()), (404, Some("id")), "{}", a.body);
    assert_eq!(
        call(base, "GET", "/api/me", Req::bearer(t2)).await.status,
        200
    );

    // The owner revokes one: it stops at once, the other goes on.
    let a = call(base, "DELETE", &path, Req::bearer(t1)).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(
        call(base, "GET", "/api/me", Req::bearer(t2)).await.status,
        401
    );
    assert_eq!(
        call(base, "GET", "/api/me", Req::bearer(t1)).await.status,
        200
    );
    let a = call(base, "DELETE", &path, Req::bearer(t1)).await;
    assert_eq!(a.status, 404, "revoked already: {}", a.body);

    // From the browser: the session lists them, and revoking needs the CSRF token.
    let a = call(base, "GET", "/api/auth/tokens", Req::cookie(&cookie)).await;
    assert_eq!(a.body.as_array().unwrap().len(), 1, "{}", a.body);
    assert_eq!(a.body[0]["current"], false);
    let path = format!("/api/auth/tokens/{}", ids[0]);
    let a = call(base, "DELETE", &path, Req::cookie(&cookie)).await;
    assert_eq!(
        (a.status, a.field()),
        (403, Some("X-CSRF-Token")),
        "{}",
        a.body
    );
    let a = call(base, "DELETE", &path, Req::cookie(&cookie).csrf(&csrf)).await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert_eq!(
        call(base, "GET", "/api/me", Req::bearer(t1)).await.status,
        401
    );
    let a = call(base, "GET", "/api/auth/tokens", Req::default()).await;
    assert_eq!(a.status, 401);
    api.stop().await;
}

/// Whether the sign-up window of `address` was counted.
async fn counted(redis: &RedisServer, address: &str) -> bool {
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    conn.exists(keys::signups(address)).await.unwrap()
}

/// A sign-up of `user` through a proxy that says the client is `xff`.
async fn sign_up_via(base: &str, user: &str, xff: &str) -> u16 {
    reqwest::Client::new()
        .post(format!("{base}/api/auth/signup"))
        .header("x-forwarded-for", xff)
        .json(&json!({ "username": user, "password": "correct horse" }))
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn forwarded_for_counts_only_from_a_trusted_proxy() {
    let redis = RedisServer::start();

    // Not configured: the header is anyone's to write, so it is ignored.
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    assert_eq!(sign_up_via(&api.base, "u1", "198.51.100.1").await, 201);
    assert!(counted(&redis, "127.0.0.1").await);
    assert!(!counted(&redis, "198.51.100.1").await);
    api.stop().await;

    // The API's peer (127.0.0.1) trusted: the rightmost untrusted entry is
    // the client, not what the client put left of it.
    let api = ApiServer::builder(api::serve, &redis.url(), ADMIN)
        .flags(&["--trusted-proxies", "10.0.0.0/8,127.0.0.1"])
        .start()
        .await;
    let base = api.base.as_str();
    assert_eq!(
        sign_up_via(base, "u2", "6.6.6.6, 198.51.100.2, 10.1.2.3").await,
        201
    );
    assert!(counted(&redis, "198.51.100.2").await);
    assert!(!counted(&redis, "6.6.6.6").await);
    // One client at its sign-up limit is refused; another behind the same proxy is not.
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let _: () = conn
        .set_ex(keys::signups("198.51.100.3"), 20, 3600)
        .await
        .unwrap();
    assert_eq!(sign_up_via(base, "u3", "198.51.100.3").await, 429);
    assert_eq!(sign_up_via(base, "u4", "198.51.100.4").await, 201);
    // The sign-in back-off counts the same address.
    let a = reqwest::Client::new()
        .post(format!("{base}/api/auth/signin"))
        .header("x-forwarded-for", "198.51.100.5")
        .json(&json!({ "username": "u4", "password": "wrong password" }))
        .send()
        .await
        .unwrap();
    assert_eq!(a.status(), 401);
    let failures: bool = conn
        .exists(keys::signin_failures("addr", "198.51.100.5"))
        .await
        .unwrap();
    assert!(failures);
    api.stop().await;
}
