//! `judge_store::lease` on a private Redis: a renewal moves only a lease
//! that exists, a claim takes each expired check once (a second sweeper,
//! as another API replica, finds none) and leaves the fresh ones, and a
//! check put back is claimed again.

use judge_store::{keys, lease, store};
use redis::AsyncCommands;
use testkit::redis_server::RedisServer;

#[tokio::test]
async fn expired_checks_are_claimed_once_and_renewed_ones_are_not() {
    let redis = RedisServer::start();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();

    lease::grant(&mut conn, "old", 1_000).await.unwrap();
    lease::grant(&mut conn, "renewed", 1_000).await.unwrap();
    lease::grant(&mut conn, "fresh", 5_000).await.unwrap();
    lease::renew(&mut conn, "renewed", 6_000).await.unwrap();
    // Not a check: reading it grants nothing.
    lease::renew(&mut conn, "users", 6_000).await.unwrap();
    let users: Option<f64> = conn.zscore(keys::CHECK_LEASES, "users").await.unwrap();
    assert_eq!(users, None);

    // Seen at or before 4 s: only "old"; a second claim finds nothing.
    let claimed = lease::claim_expired(&mut conn, 4_000, 64).await.unwrap();
    assert_eq!(claimed, vec!["old".to_string()]);
    assert!(lease::claim_expired(&mut conn, 4_000, 64)
        .await
        .unwrap()
        .is_empty());
    // A claimed check is renewed no more.
    lease::renew(&mut conn, "old", 7_000).await.unwrap();
    assert!(lease::claim_expired(&mut conn, 4_000, 64)
        .await
        .unwrap()
        .is_empty());

    // Put back (not cancelled yet): the next sweep claims it again.
    lease::put_back(&mut conn, "old").await.unwrap();
    assert_eq!(
        lease::claim_expired(&mut conn, 4_000, 64).await.unwrap(),
        vec!["old".to_string()]
    );

    // The limit bounds one claim; the rest stay for the next.
    let claimed = lease::claim_expired(&mut conn, 10_000, 1).await.unwrap();
    assert_eq!(claimed, vec!["fresh".to_string()]);
    let left: Vec<String> = conn.zrange(keys::CHECK_LEASES, 0, -1).await.unwrap();
    assert_eq!(left, vec!["renewed".to_string()]);
}
