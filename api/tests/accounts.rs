//! Accounts on a real Redis, with JUDGE_AUTH=required: sign-up, sign-in,
//! sign-out and the session; the CSRF rule for cookie callers; the sign-in
//! back-off per account and per address; invite-only mode; making a user
//! admin; bearer tokens from a password; and the history filters.

mod common;

use common::{ApiServer, RedisServer};
use judge_core::model::{now_ms, SubmissionRecord, SubmissionState, Verdict};
use judge_core::{keys, store};
use redis::AsyncCommands;
use serde_json::{json, Value};

const ADMIN: &str = "admin-secret-token";

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    /// The `judge_session=...` pair of the answer's Set-Cookie.
    fn session_cookie(&self) -> String {
        let set = self.headers["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }
}

/// One request: `auth` is a bearer token, `cookie` a `Cookie` header value,
/// `csrf` an `X-CSRF-Token`.
#[derive(Default)]
struct Req<'a> {
    bearer: Option<&'a str>,
    cookie: Option<&'a str>,
    csrf: Option<&'a str>,
    body: Option<Value>,
}

async fn call(base: &str, method: &str, path: &str, req: Req<'_>) -> Answer {
    let mut r = reqwest::Client::new().request(method.parse().unwrap(), format!("{base}{path}"));
    if let Some(t) = req.bearer {
        r = r.bearer_auth(t);
    }
    if let Some(c) = req.cookie {
        r = r.header("cookie", c);
    }
    if let Some(c) = req.csrf {
        r = r.header("x-csrf-token", c);
    }
    if let Some(b) = req.body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    let response = r.send().await.unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let text = response.text().await.unwrap();
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

fn creds(user: &str, password: &str) -> Req<'static> {
    Req {
        body: Some(json!({ "username": user, "password": password })),
        ..Req::default()
    }
}

#[tokio::test]
async fn sign_up_in_out_and_the_session() {
    let redis = RedisServer::start();
    let api = ApiServer::start(&redis.url(), ADMIN).await;
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
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("username"))
    );
    let a = call(base, "POST", "/api/auth/signup", creds("alice", "short")).await;
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("password"))
    );
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

    let session = Req {
        cookie: Some(&cookie),
        ..Req::default()
    };
    let a = call(base, "GET", "/api/auth/session", session).await;
    assert_eq!(a.body["signed_in"], true, "{}", a.body);
    assert_eq!(a.body["user_id"], "alice");
    assert_eq!(a.body["csrf_token"], csrf.as_str());
    let a = call(
        base,
        "GET",
        "/api/me",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!((a.status, &a.body["user_id"]), (200, &json!("alice")));
    let a = call(
        base,
        "GET",
        "/api/users/alice/submissions",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    let a = call(
        base,
        "GET",
        "/api/users/bob/submissions",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
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
    let a = call(
        base,
        "POST",
        "/api/auth/signout",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (403, Some("X-CSRF-Token"))
    );
    let a = call(
        base,
        "POST",
        "/api/auth/signout",
        Req {
            cookie: Some(&cookie),
            csrf: Some(&csrf),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 204, "{}", a.body);
    assert!(a.headers["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let a = call(
        base,
        "GET",
        "/api/auth/session",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.body, json!({ "signed_in": false }));
    let a = call(
        base,
        "GET",
        "/api/me",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 401, "an ended session: {}", a.body);
    let a = call(
        base,
        "GET",
        "/api/me",
        Req {
            cookie: Some(&second),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 200, "the other session lives on: {}", a.body);
    api.stop().await;
}

#[tokio::test]
async fn cookie_callers_need_the_csrf_token_and_bearer_callers_do_not() {
    let redis = RedisServer::start();
    let api = ApiServer::start(&redis.url(), ADMIN).await;
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
        Req {
            cookie: Some(&cookie),
            body: Some(submission.clone()),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.body["error"]["field"], "X-CSRF-Token");
    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req {
            cookie: Some(&cookie),
            csrf: Some("not-the-token"),
            body: Some(submission.clone()),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 403, "a wrong token: {}", a.body);
    // With the token the request gets past authentication (to the unknown problem).
    let a = call(
        base,
        "POST",
        "/api/submissions",
        Req {
            cookie: Some(&cookie),
            csrf: Some(&csrf),
            body: Some(submission.clone()),
            ..Req::default()
        },
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
        Req {
            bearer: Some(&token),
            body: Some(submission),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["code"].as_str()),
        (404, Some("unknown_problem")),
        "{}",
        a.body
    );
    let a = call(
        base,
        "GET",
        "/api/me",
        Req {
            bearer: Some(&token),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.body["user_id"], "carol");
    api.stop().await;
}

#[tokio::test]
async fn wrong_passwords_and_unknown_users_look_alike_and_back_off() {
    let redis = RedisServer::start();
    let api = ApiServer::start(&redis.url(), ADMIN).await;
    let base = api.base.as_str();
    call(
        base,
        "POST",
        "/api/auth/signup",
        creds("dave", "correct horse"),
    )
    .await;
    call(
        base,
        "POST",
        "/api/auth/signup",
        creds("erin", "correct horse"),
    )
    .await;

    let wrong = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("dave", "wrong horse"),
    )
    .await;
    let unknown = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("nobody", "wrong horse"),
    )
    .await;
    assert_eq!(wrong.status, 401);
    assert_eq!(unknown.status, 401);
    assert_eq!(wrong.body, unknown.body, "one answer for both");
    let token = call(
        base,
        "POST",
        "/api/auth/tokens",
        creds("dave", "wrong horse"),
    )
    .await;
    assert_eq!((token.status, &token.body), (401, &wrong.body));

    // dave has 2 failures; 3 more and the account backs off, even for the right password.
    for _ in 0..3 {
        let a = call(
            base,
            "POST",
            "/api/auth/signin",
            creds("dave", "wrong horse"),
        )
        .await;
        assert_eq!(a.status, 401, "{}", a.body);
    }
    for password in ["wrong horse", "correct horse"] {
        let a = call(base, "POST", "/api/auth/signin", creds("dave", password)).await;
        assert_eq!(a.status, 429, "{}", a.body);
        let retry: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
        assert!((1..=judge_core::accounts::MAX_BACKOFF_SECS).contains(&retry));
    }
    let a = call(
        base,
        "POST",
        "/api/auth/tokens",
        creds("dave", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 429, "tokens share the back-off: {}", a.body);
    // Another account from the same address is not affected yet.
    let a = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("erin", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);

    // The address: failures spread over many names (none of them backed
    // off by itself) reach the address's allowance.
    let so_far = 6; // dave 5 (+1 token), nobody 1
    for i in 0..(judge_core::accounts::ADDRESS_FREE_FAILURES - so_far) {
        let a = call(
            base,
            "POST",
            "/api/auth/signin",
            creds(&format!("guess{i}"), "x"),
        )
        .await;
        assert_eq!(a.status, 401, "attempt {i}: {}", a.body);
    }
    let a = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("erin", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 429, "the address backs off: {}", a.body);
    assert!(a.headers.contains_key("retry-after"));
    api.stop().await;
}

#[tokio::test]
async fn invite_only_mode_and_making_admins() {
    let redis = RedisServer::start();
    let api = ApiServer::start_with(&redis.url(), ADMIN, &["--signup", "closed"]).await;
    let base = api.base.as_str();
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("frank", "correct horse"),
    )
    .await;
    assert_eq!(a.status, 403, "JUDGE_SIGNUP=closed: {}", a.body);

    let admin = |body: Value| Req {
        bearer: Some(ADMIN),
        body: Some(body),
        ..Req::default()
    };
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        admin(json!({ "signup_open": "yes" })),
    )
    .await;
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("signup_open"))
    );
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
    let a = call(
        base,
        "GET",
        "/api/admin/settings",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 403, "{}", a.body);
    let a = call(
        base,
        "PUT",
        "/api/admin/users/frank/admin",
        Req {
            cookie: Some(&cookie),
            csrf: Some(&csrf),
            body: Some(json!({ "admin": true })),
            ..Req::default()
        },
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
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (404, Some("user_id"))
    );
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
    let a = call(
        base,
        "GET",
        "/api/auth/session",
        Req {
            cookie: Some(&cookie),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.body["admin"], true);

    // An admin's session closes sign-up again (with its CSRF token).
    let close = json!({ "signup_open": false });
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        Req {
            cookie: Some(&cookie),
            body: Some(close.clone()),
            ..Req::default()
        },
    )
    .await;
    assert_eq!(a.status, 403, "no CSRF token: {}", a.body);
    let a = call(
        base,
        "PUT",
        "/api/admin/settings",
        Req {
            cookie: Some(&cookie),
            csrf: Some(&csrf),
            body: Some(close),
            ..Req::default()
        },
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

/// Stores a finished submission of `user` as a worker would leave it.
async fn finished(
    conn: &mut redis::aio::MultiplexedConnection,
    user: &str,
    problem: &str,
    verdict: Verdict,
) -> String {
    let record = SubmissionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: user.into(),
        problem_id: problem.into(),
        problem_version: "v".into(),
        language: "python3".into(),
        code: "print(1)".into(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: now_ms(),
    };
    let mut state = SubmissionState::queued(&record, 1);
    store::create_submission(conn, &record, &state)
        .await
        .unwrap();
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
    let api = ApiServer::start(&redis.url(), ADMIN).await;
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
                Req {
                    bearer: Some(&token),
                    ..Req::default()
                },
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
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("verdict"))
    );
    let a = get("?problem=Bad!").await;
    assert_eq!(
        (a.status, a.body["error"]["field"].as_str()),
        (422, Some("problem"))
    );
    api.stop().await;
}
