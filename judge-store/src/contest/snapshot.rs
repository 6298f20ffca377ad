//! The snapshot hash of a contest: `type/id` -> the current object's JSON.
//! Written only together with a log entry (see [`crate::contest::log`]).

use redis::aio::ConnectionLike;
use redis::AsyncCommands;

use crate::keys;

/// The snapshot field of an object.
pub fn field(kind: &str, id: &str) -> String {
    format!("{kind}/{id}")
}

/// The current object of one (type, id), as stored.
pub async fn object<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    kind: &str,
    id: &str,
) -> redis::RedisResult<Option<String>> {
    conn.hget(keys::contest_snapshot(contest_id), field(kind, id))
        .await
}

/// The contest object of a contest, parsed.
pub async fn contest<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
) -> redis::RedisResult<Option<contest::api::Contest>> {
    let json = object(conn, contest_id, "contest", contest_id).await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Every current object of one type, by id.
pub async fn objects<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    kind: &str,
) -> redis::RedisResult<Vec<(String, String)>> {
    let prefix = format!("{kind}/");
    let all: Vec<(String, String)> = conn.hgetall(keys::contest_snapshot(contest_id)).await?;
    Ok(all
        .into_iter()
        .filter_map(|(f, v)| f.strip_prefix(&prefix).map(|id| (id.to_string(), v)))
        .collect())
}
