//! Accounts on a real Redis, with JUDGE_AUTH=required: sign-up, sign-in,
//! sign-out and the session; the CSRF rule for cookie callers; bearer
//! tokens from a password; invite-only mode; making a user admin.

use judge_store::keys;
use redis::AsyncCommands;
use serde_json::{json, Value};
use testkit::http::{call, creds, Req};
use testkit::{ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

#[tokio::test]
async fn sign_up_in_out_and_the_session() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();

    // A first visit: no error, just "not signed in"; problems are public.
    let a = call(base, "GET", "/api/auth/session", Req::default()).await;
    assert_eq!((a.status, &a.body), (200, &json!({ "signed_in": false })));
    let a = call(base, "GET", "/api/problems", Req::default()).await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = call(base, "GET", "/api/languages", Req::default()).await;
    assert_eq!(a.status, 200);

    // Bad names and passwords name their field.
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("a b", "long enough"),
    )
    .await;
    assert_eq!((a.status, a.field()), (422, Some("username")));
    let a = call(base, "POST", "/api/auth/signup", creds("alice", "short")).await;
    assert_eq!((a.status, a.field()), (422, Some("password")));
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("admin", "long enough"),
    )
    .await;
    assert_eq!(a.status, 409, "reserved names are taken: {}", a.body);

    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("alice", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["user_id"], "alice");
    assert_eq!(a.body["admin"], false);
    let set_cookie = a.headers["set-cookie"].to_str().unwrap().to_string();
    for part in ["judge_session=", "HttpOnly", "SameSite=Strict", "Path=/"] {
        assert!(set_cookie.contains(part), "{set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain http: {set_cookie}");
    let csrf = a.body["csrf_token"].as_str().unwrap().to_string();
    let cookie = a.session_cookie();

    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("alice", "other password"),
    )
    .await;
    assert_eq!(a.status, 409, "{}", a.body);

    // The stored password is an argon2 PHC string, never the password.
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let stored: String = conn.hget(keys::account("alice"), "password").await.unwrap();
    assert!(stored.starts_with("$argon2id$"), "{stored}");

    let session = Req::cookie(&cookie);
    let a = call(base, "GET", "/api/auth/session", session).await;
    assert_eq!(a.body["signed_in"], true, "{}", a.body);
    assert_eq!(a.body["user_id"], "alice");
    assert_eq!(a.body["csrf_token"], csrf.as_str());
    let a = call(base, "GET", "/api/me", Req::cookie(&cookie)).await;
    assert_eq!((a.status, &a.body["user_id"]), (200, &json!("alice")));
    let a = call(
        base,
        "GET",
        "/api/users/alice/submissions",
        Req::cookie(&cookie),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = call(
        base,
        "GET",
        "/api/users/bob/submissions",
        Req::cookie(&cookie),
    )
    .await;
    assert_eq!(a.status, 403, "someone else's history: {}", a.body);

    // Sign-in makes another session; the old one stays valid.
    let a = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("alice", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let second = a.session_cookie();
    assert_ne!(second, cookie);

    // Sign-out needs the session's CSRF token, then ends it and clears the cookie.
    let a = call(base, "POST", "/api/auth/signout", Req::cookie(&cookie)).await;
    assert_eq!((a.status, a.field()), (403, Some("X-CSRF-Token")));
    let a = call(
        base,
        "POST",
        "/api/auth/signout",
        Req::cookie(&cookie).csrf(&csrf),
    )
    .await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(a.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let a = call(base, "GET", "/api/auth/session", Req::cookie(&cookie)).await;
    assert_eq!(a.body, json!({ "signed_in": false }));
    let a = call(base, "GET", "/api/me", Req::cookie(&cookie)).await;
    assert_eq!(a.status, 401, "an ended session: {}", a.body);
    let a = call(base, "GET", "/api/me", Req::cookie(&second)).await;
    assert_eq!(a.status, 200, "the other session lives on: {}", a.body);
    api.stop().await;
}

#[tokio::test]
async fn cookie_callers_need_the_csrf_token_and_bearer_callers_do_not() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("carol", "correct horse"),
    )
    .await;
    let cookie = a.session_cookie();
    let csrf = a.body["csrf_token"].as_str().unwrap().to_string();
    let submission = json!({ "problem_id": "nope", "language": "python3", "code": "print(1)" });

    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req::cookie(&cookie).body(submission.clone()),
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.body["error"]["field"], "X-CSRF-Token");
    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req::cookie(&cookie)
            .csrf("not-the-token")
            .body(submission.clone()),
    )
    .await;
    assert_eq!(a.status, 403, "a wrong token: {}", a.body);
    // With the token the request gets past authentication (to the unknown problem).
    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req::cookie(&cookie).csrf(&csrf).body(submission.clone()),
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (404, Some("unknown_problem")),
        "{}",
        a.body
    );

    // A bearer token from the password needs no CSRF token.
    let a = call(
        base,
        "POST",
        "/api/auth/tokens",
        creds("carol", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert_eq!(a.body["user_id"], "carol");
    let token = a.body["token"].as_str().unwrap().to_string();
    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req::bearer(&token).body(submission),
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (404, Some("unknown_problem")),
        "{}",
        a.body
    );
    let a = call(base, "GET", "/api/me", Req::bearer(&token)).await;
    assert_eq!(a.body["user_id"], "carol");

    // A page holding both: sign-out ends the session, the token lives on.
    let out = Req::cookie(&cookie).csrf(&csrf).and_bearer(&token);
    let a = call(base, "POST", "/api/auth/signout", out).await;
    assert_eq!(a.status, 204, "{}", a.body);
    let a = call(base, "GET", "/api/auth/session", Req::cookie(&cookie)).await;
    assert_eq!(a.body, json!({ "signed_in": false }));
    let a = call(base, "GET", "/api/me", Req::bearer(&token)).await;
    assert_eq!(a.status, 200);
    // The token alone: sign-out revokes it (judge logout); never the admin's.
    let a = call(base, "POST", "/api/auth/signout", Req::bearer(&token)).await;
    assert_eq!(a.status, 204);
    let a = call(base, "GET", "/api/me", Req::bearer(&token)).await;
    assert_eq!(a.status, 401, "{}", a.body);
    let a = call(base, "POST", "/api/auth/signout", Req::bearer(ADMIN)).await;
    assert_eq!(a.status, 204);
    let a = call(base, "GET", "/api/me", Req::bearer(ADMIN)).await;
    assert_eq!(a.status, 200, "{}", a.body);
    api.stop().await;
}

#[tokio::test]
async fn invite_only_mode_and_making_admins() {
    let redis = RedisServer::start();
    let api = ApiServer::builder(api::serve, &redis.url(), ADMIN)
        .flags(&["--signup", "closed"])
        .start()
        .await;
    let base = api.base.as_str();
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("frank", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 403, "JUDGE_SIGNUP=closed: {}", a.body);

    let admin = |body: Value| Req::bearer(ADMIN).body(body);
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        admin(json!({ "signup_open": "yes" })),
    )
    .await;
    assert_eq!((a.status, a.field()), (422, Some("signup_open")));
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        admin(json!({ "signup_open": true })),
    )
    .await;
    assert_eq!((a.status, &a.body), (200, &json!({ "signup_open": true })));
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("frank", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 201, "{}", a.body);
    let cookie = a.session_cookie();
    let csrf = a.body["csrf_token"].as_str().unwrap().to_string();

    // Not an admin yet; then made one, which the session sees at once.
    let a = call(base, "GET", "/api/admin/settings", Req::cookie(&cookie)).await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = call(
        base,
        "PUT",
        "/api/admin/users/frank/admin",
        Req::cookie(&cookie)
            .csrf(&csrf)
            .body(json!({ "admin": true })),
    )
    .await;
    assert_eq!(
        a.status, 403,
        "a user cannot make themselves admin: {}",
        a.body
    );
    let a = call(
        base,
        "PUT",
        "/api/admin/users/ghost/admin",
        admin(json!({ "admin": true })),
    )
    .await;
    assert_eq!((a.status, a.field()), (404, Some("user_id")));
    let a = call(
        base,
        "PUT",
        "/api/admin/users/frank/admin",
        admin(json!({ "admin": true })),
    )
    .await;
    assert_eq!(
        (a.status, &a.body),
        (200, &json!({ "user_id": "frank", "admin": true }))
    );
    let a = call(base, "GET", "/api/auth/session", Req::cookie(&cookie)).await;
    assert_eq!(a.body["admin"], true);

    // An admin's session closes sign-up again (with its CSRF token).
    let close = json!({ "signup_open": false });
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        Req::cookie(&cookie).body(close.clone()),
    )
    .await;
    assert_eq!(a.status, 403, "no CSRF token: {}", a.body);
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        Req::cookie(&cookie).csrf(&csrf).body(close),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("grace", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);
    api.stop().await;
}
