//! The sign-in back-off on a real Redis: a wrong password and an unknown
//! user look alike, and failures back off per account and per address.

use testkit::http::{call, creds};
use testkit::{ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

#[tokio::test]
async fn wrong_passwords_and_unknown_users_look_alike_and_back_off() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
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
        assert!((1..=judge_store::accounts::MAX_BACKOFF_SECS).contains(&retry));
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
    for i in 0..(judge_store::accounts::ADDRESS_FREE_FAILURES - so_far) {
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
async fn one_address_makes_a_bounded_number_of_accounts() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let base = api.base.as_str();
    for i in 0..judge_store::accounts::SIGNUPS_PER_ADDRESS {
        let a = call(
            base,
            "POST",
            "/api/auth/signup",
            creds(&format!("user{i}"), "long enough"),
        )
        .await;
        assert_eq!(a.status, 201, "sign-up {i}: {}", a.body);
    }
    let a = call(
        base,
        "POST",
        "/api/auth/signup",
        creds("one-more", "long enough"),
    )
    .await;
    assert_eq!(a.status, 429, "{}", a.body);
    let retry: u64 = a.headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=judge_store::accounts::SIGNUP_WINDOW_SECS).contains(&retry));
    // Signing in is not signing up.
    let a = call(
        base,
        "POST",
        "/api/auth/signin",
        creds("user0", "long enough"),
    )
    .await;
    assert_eq!(a.status, 200, "{}", a.body);
    api.stop().await;
}
