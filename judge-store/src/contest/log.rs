//! A contest's log: one Redis stream per contest ([`keys::contest_log`]),
//! each entry a Contest API event (`type`, `id`, `data`; `data` empty for a
//! delete), its stream id the event feed's token. Every append also writes
//! the object into the snapshot hash ([`keys::contest_snapshot`]) in the
//! same script or transaction, so the two never disagree.

use contest::replay::LogEntry;
use redis::aio::ConnectionLike;
use redis::streams::StreamRangeReply;

use crate::contest::snapshot::field;
use crate::keys;

/// Lua: `append_entry(log, snapshot, type, id, data)` appends one entry and
/// sets (or, with empty data, deletes) its snapshot field; returns the
/// entry's id. Scripts that append (see `crate::store::publish_state`)
/// include it.
pub const LUA_APPEND: &str = r#"
local function append_entry(log, snapshot, kind, id, data)
    local token = redis.call('XADD', log, '*', 'type', kind, 'id', id, 'data', data)
    if data == '' then
        redis.call('HDEL', snapshot, kind .. '/' .. id)
    else
        redis.call('HSET', snapshot, kind .. '/' .. id, data)
    end
    return token
end
"#;

/// One entry to append: type, id, and the object's JSON (`None`: a delete).
#[derive(Debug, Clone, PartialEq)]
pub struct Append {
    pub kind: String,
    pub id: String,
    pub data: Option<String>,
}

impl Append {
    pub fn new(kind: &str, id: &str, data: &impl serde::Serialize) -> Append {
        Append {
            kind: kind.into(),
            id: id.into(),
            data: Some(serde_json::to_string(data).expect("contest objects serialize")),
        }
    }

    pub fn delete(kind: &str, id: &str) -> Append {
        Append {
            kind: kind.into(),
            id: id.into(),
            data: None,
        }
    }
}

/// Adds the commands that append `entry` to a pipeline (make it atomic):
/// the XADD and the snapshot's HSET or HDEL.
pub fn add_to_pipe(pipe: &mut redis::Pipeline, contest_id: &str, entry: &Append) {
    let data = entry.data.as_deref().unwrap_or("");
    pipe.cmd("XADD")
        .arg(keys::contest_log(contest_id))
        .arg("*")
        .arg("type")
        .arg(&entry.kind)
        .arg("id")
        .arg(&entry.id)
        .arg("data")
        .arg(data)
        .ignore();
    let snapshot = keys::contest_snapshot(contest_id);
    match &entry.data {
        Some(d) => pipe
            .hset(snapshot, field(&entry.kind, &entry.id), d)
            .ignore(),
        None => pipe.hdel(snapshot, field(&entry.kind, &entry.id)).ignore(),
    };
}

/// Appends entries in one transaction.
pub async fn append_all<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    entries: &[Append],
) -> redis::RedisResult<()> {
    let mut pipe = redis::pipe();
    pipe.atomic();
    for e in entries {
        add_to_pipe(&mut pipe, contest_id, e);
    }
    pipe.query_async::<()>(conn).await
}

/// Appends `entry` only if the snapshot's current object of `check` (type,
/// id) is still `expected` (`None`: absent), atomically; returns the new
/// token, or `None` when the object changed meanwhile (read and retry).
pub async fn append_if<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    check: (&str, &str),
    expected: Option<&str>,
    entries: &[Append],
) -> redis::RedisResult<Option<String>> {
    const SCRIPT: &str = r#"
        local current = redis.call('HGET', KEYS[2], ARGV[1]) or ''
        if current ~= ARGV[2] then return false end
        local token = false
        local i = 3
        while ARGV[i] do
            token = append_entry(KEYS[1], KEYS[2], ARGV[i], ARGV[i + 1], ARGV[i + 2])
            i = i + 3
        end
        return token
    "#;
    static WITH_APPEND: std::sync::LazyLock<redis::Script> =
        std::sync::LazyLock::new(|| redis::Script::new(&format!("{LUA_APPEND}\n{SCRIPT}")));
    let mut invocation = WITH_APPEND.key(keys::contest_log(contest_id));
    invocation
        .key(keys::contest_snapshot(contest_id))
        .arg(field(check.0, check.1))
        .arg(expected.unwrap_or(""));
    for e in entries {
        invocation
            .arg(&e.kind)
            .arg(&e.id)
            .arg(e.data.as_deref().unwrap_or(""));
    }
    invocation.invoke_async(conn).await
}

fn entry_of(id: redis::streams::StreamId) -> LogEntry {
    let get = |k: &str| -> String { id.get(k).unwrap_or_default() };
    let data = get("data");
    LogEntry {
        token: id.id.clone(),
        kind: get("type"),
        id: get("id"),
        data: if data.is_empty() {
            None
        } else {
            serde_json::from_str(&data).ok()
        },
    }
}

/// Up to `count` entries after `token` (`0-0`: from the start), oldest first.
pub async fn read_after<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    token: &str,
    count: usize,
) -> redis::RedisResult<Vec<LogEntry>> {
    let start = if token == "0-0" {
        "-".to_string()
    } else {
        format!("({token}")
    };
    let reply: StreamRangeReply = redis::cmd("XRANGE")
        .arg(keys::contest_log(contest_id))
        .arg(start)
        .arg("+")
        .arg("COUNT")
        .arg(count)
        .query_async(conn)
        .await?;
    Ok(reply.ids.into_iter().map(entry_of).collect())
}

/// Every entry after `token`, read in batches.
pub async fn read_all_after<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    token: &str,
) -> redis::RedisResult<Vec<LogEntry>> {
    const BATCH: usize = 1000;
    let mut out = Vec::new();
    let mut from = token.to_string();
    loop {
        let batch = read_after(conn, contest_id, &from, BATCH).await?;
        let n = batch.len();
        if let Some(last) = batch.last() {
            from = last.token.clone();
        }
        out.extend(batch);
        if n < BATCH {
            return Ok(out);
        }
    }
}

/// Whether `token` is the id of an entry of the contest's log.
pub async fn has_entry<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    token: &str,
) -> redis::RedisResult<bool> {
    let reply: StreamRangeReply = redis::cmd("XRANGE")
        .arg(keys::contest_log(contest_id))
        .arg(token)
        .arg(token)
        .query_async(conn)
        .await?;
    Ok(!reply.ids.is_empty())
}

/// Up to `count` entries after `token`, waiting up to `block_ms` for the
/// first one (`XREAD BLOCK`); empty when none came in time. Use a connection
/// of its own whose reply timeout is longer than `block_ms`
/// ([`crate::connect::dedicated`]): the reply takes that long.
pub async fn read_blocking<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    contest_id: &str,
    token: &str,
    count: usize,
    block_ms: u64,
) -> redis::RedisResult<Vec<LogEntry>> {
    let reply: Option<redis::streams::StreamReadReply> = redis::cmd("XREAD")
        .arg("COUNT")
        .arg(count)
        .arg("BLOCK")
        .arg(block_ms)
        .arg("STREAMS")
        .arg(keys::contest_log(contest_id))
        .arg(token)
        .query_async(conn)
        .await?;
    Ok(reply
        .into_iter()
        .flat_map(|r| r.keys)
        .flat_map(|k| k.ids)
        .map(entry_of)
        .collect())
}
