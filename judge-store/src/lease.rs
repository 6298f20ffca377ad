//! Leases of package checks: a check (a submission of the user
//! [`keys::VERIFY_USER_ID`], made by `judge problem add` / `verify`) is
//! worth judging only while its client waits for it. The client cancels its
//! pending checks when it is stopped, but one that dies without a word
//! (SIGKILL, a lost network, a crashed laptop) would leave them queued,
//! holding workers for nobody. So each check holds a lease in
//! [`keys::CHECK_LEASES`] (id -> last seen, ms): [`grant`] when it is made,
//! [`renew`] whenever its client reads its state, and the API's sweeper
//! ([`claim_expired`], then [`crate::cancel::cancel_because`]) cancels
//! those not seen for the lease.
//!
//! [`claim_expired`] takes the expired ids out of the set in one script,
//! so with several API replicas each id is claimed by one of them; the
//! cancel itself is a compare-and-set anyway. A check that finished is
//! claimed like the others once its lease runs out, and then dropped (its
//! cancel finds it final): the set holds only recent checks.

use redis::aio::ConnectionLike;

use crate::keys;

/// Starts the lease of check `id`, last seen at `now_ms`.
pub async fn grant<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    now_ms: u64,
) -> redis::RedisResult<()> {
    redis::cmd("ZADD")
        .arg(keys::CHECK_LEASES)
        .arg(now_ms)
        .arg(id)
        .query_async(conn)
        .await
}

/// Its client showed interest in check `id` at `now_ms`: the lease runs
/// from then. An id without a lease (not a check, or one already claimed)
/// gets none.
pub async fn renew<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    now_ms: u64,
) -> redis::RedisResult<()> {
    redis::cmd("ZADD")
        .arg(keys::CHECK_LEASES)
        .arg("XX")
        .arg(now_ms)
        .arg(id)
        .query_async(conn)
        .await
}

/// Takes out of the set, and returns, at most `limit` checks last seen at
/// or before `seen_before_ms`: the caller cancels them.
pub async fn claim_expired<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    seen_before_ms: u64,
    limit: usize,
) -> redis::RedisResult<Vec<String>> {
    static SCRIPT: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
        redis::Script::new(
            r#"
            local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[2])
            if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
            return due
            "#,
        )
    });
    SCRIPT
        .key(keys::CHECK_LEASES)
        .arg(seen_before_ms)
        .arg(limit)
        .invoke_async(conn)
        .await
}

/// Puts back check `id`, claimed but not cancelled (its state kept
/// changing), as expired: the next sweep tries again.
pub async fn put_back<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<()> {
    redis::cmd("ZADD")
        .arg(keys::CHECK_LEASES)
        .arg("NX")
        .arg(0)
        .arg(id)
        .query_async(conn)
        .await
}
