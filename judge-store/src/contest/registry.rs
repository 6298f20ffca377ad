//! What the API looks up about contests outside their logs: the set of
//! contests, each contest's participants (user id -> team id), and the
//! problems hidden from non-admins until their contest starts.

use std::collections::{HashMap, HashSet};

use redis::aio::ConnectionLike;
use redis::AsyncCommands;

use crate::keys;

/// Every contest id, sorted.
pub async fn contest_ids<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<Vec<String>> {
    let mut ids: Vec<String> = conn.smembers(keys::CONTESTS).await?;
    ids.sort();
    Ok(ids)
}

pub async fn exists<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
) -> redis::RedisResult<bool> {
    conn.sismember(keys::CONTESTS, contest_id).await
}

/// Adds a contest id; false if it was there already.
pub async fn add_contest<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
) -> redis::RedisResult<bool> {
    let added: i64 = conn.sadd(keys::CONTESTS, contest_id).await?;
    Ok(added == 1)
}

/// The team `user_id` belongs to in a contest.
pub async fn team_of<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    user_id: &str,
) -> redis::RedisResult<Option<String>> {
    conn.hget(keys::contest_members(contest_id), user_id).await
}

/// Every participant of a contest: user id -> team id.
pub async fn members<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
) -> redis::RedisResult<HashMap<String, String>> {
    conn.hgetall(keys::contest_members(contest_id)).await
}

/// Makes `user_id` a member of `team_id`; false if the user already was
/// on a team of this contest (then nothing changes).
pub async fn add_member<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    user_id: &str,
    team_id: &str,
) -> redis::RedisResult<bool> {
    conn.hset_nx(keys::contest_members(contest_id), user_id, team_id)
        .await
}

/// Records the start time (unix ms; `None` while unknown) of a contest for
/// each of its problems, forgets it for `removed` problems, and recomputes
/// each one's hidden-until time: the earliest start of its contests.
pub async fn set_problem_starts<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    problems: &[String],
    removed: &[String],
    start_ms: Option<i64>,
) -> redis::RedisResult<()> {
    let start = start_ms.unwrap_or(-1);
    for p in problems {
        let _: () = conn
            .hset(keys::problem_contests(p), contest_id, start)
            .await?;
    }
    for p in removed {
        let _: () = conn.hdel(keys::problem_contests(p), contest_id).await?;
    }
    for p in problems.iter().chain(removed) {
        let starts: Vec<i64> = conn.hvals(keys::problem_contests(p)).await?;
        let until = starts
            .iter()
            .map(|&s| if s < 0 { i64::MAX } else { s })
            .min();
        let _: () = match until {
            Some(u) => conn.hset(keys::PROBLEMS_HIDDEN_UNTIL, p, u).await?,
            None => conn.hdel(keys::PROBLEMS_HIDDEN_UNTIL, p).await?,
        };
    }
    Ok(())
}

/// The problems non-admins may not see at `now_ms`.
pub async fn hidden_problems<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    now_ms: i64,
) -> redis::RedisResult<HashSet<String>> {
    let all: Vec<(String, i64)> = conn.hgetall(keys::PROBLEMS_HIDDEN_UNTIL).await?;
    Ok(all
        .into_iter()
        .filter(|(_, until)| *until > now_ms)
        .map(|(p, _)| p)
        .collect())
}

/// Whether non-admins may not see `problem_id` at `now_ms`.
pub async fn is_hidden<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    problem_id: &str,
    now_ms: i64,
) -> redis::RedisResult<bool> {
    let until: Option<i64> = conn.hget(keys::PROBLEMS_HIDDEN_UNTIL, problem_id).await?;
    Ok(until.is_some_and(|u| u > now_ms))
}

/// The contests `problem_id` belongs to.
pub async fn contests_of_problem<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    problem_id: &str,
) -> redis::RedisResult<Vec<String>> {
    conn.hkeys(keys::problem_contests(problem_id)).await
}
