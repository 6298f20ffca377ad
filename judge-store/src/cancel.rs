//! Cancelling a submission that is not judged yet.
//!
//! One script, compare-and-set on the stored state's `seq` (as a rejudge),
//! does everything or nothing: it takes a waiting job out of the fair queue
//! ([`crate::queue`]), stores the cancelled state (final, no verdict),
//! marks the submission's hash with [`keys::FIELD_CANCELLED`], publishes
//! the state, and for a contest submission appends a delete of its
//! `submissions` object to the contest's log, so the board and the Contest
//! API drop it. Afterwards:
//! - a job still in the stream (taken, or put back after an engine failure)
//!   finds a final state when a worker reads it, and is acknowledged
//!   unjudged;
//! - a worker judging it polls the mark, stops, removes its sandbox and
//!   writes nothing (`publish_state` refuses to overwrite a final state);
//! - nothing counts it: no statistics, no best result, no judgement.

use redis::aio::ConnectionLike;

use crate::keys;
use crate::queue;
use crate::store::{event_json, load_record, load_stored_state, to_json};
use submission::{now_ms, EventKind, SubmissionState};

/// What [`cancel`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Cancel {
    /// Cancelled: the stored state, and whether the job was still waiting
    /// in the queue (`false`: a worker had taken it and will stop it).
    Cancelled {
        state: SubmissionState,
        was_waiting: bool,
    },
    /// Already finished or cancelled; nothing changed.
    Final(SubmissionState),
    /// Its state kept changing under ten tries (a worker publishing fast);
    /// nothing changed, try again.
    Busy(SubmissionState),
    /// No such submission.
    Unknown,
}

/// Cancels submission `id` unless it is final; `by` goes into the state's
/// message ("cancelled by {by}").
pub async fn cancel<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    by: &str,
) -> redis::RedisResult<Cancel> {
    cancel_because(conn, id, &format!("cancelled by {by}")).await
}

/// As [`cancel`], with the state's whole `message` (the server's own
/// cancels, which no one asked for, say why instead of who).
pub async fn cancel_because<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    message: &str,
) -> redis::RedisResult<Cancel> {
    const SCRIPT: &str = r#"
        local current = redis.call('HGET', KEYS[1], 'state')
        if not current then return 0 end
        local state = cjson.decode(current)
        if state.status == 'finished' or state.status == 'cancelled' then return -1 end
        if tostring(state.seq) ~= ARGV[1] then return -2 end
        local tier = remove_job(ARGV[4], ARGV[5])
        redis.call('HSET', KEYS[1], 'state', ARGV[2], ARGV[6], ARGV[7])
        redis.call('PUBLISH', KEYS[2], ARGV[3])
        if KEYS[3] then append_entry(KEYS[3], KEYS[4], 'submissions', ARGV[5], '') end
        if tier then return 1 end
        return 2
    "#;
    static WITH_QUEUE: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
        redis::Script::new(&queue::with_enqueue(&format!(
            "{}\n{SCRIPT}",
            crate::contest::log::LUA_APPEND
        )))
    });
    // Workers publish progress meanwhile, moving `seq`: read and try again.
    for _ in 0..10 {
        let (Some(record), Some(old)) = (
            load_record(conn, id).await?,
            load_stored_state(conn, id).await?,
        ) else {
            return Ok(Cancel::Unknown);
        };
        if old.is_final() {
            return Ok(Cancel::Final(old));
        }
        let mut state = old.clone();
        state.seq = old.seq + 1;
        state.cancel(message.to_string(), now_ms());
        let mut invocation = WITH_QUEUE.key(keys::submission(id));
        invocation.key(keys::events(id));
        if let Some(contest_id) = &record.contest_id {
            invocation
                .key(keys::contest_log(contest_id))
                .key(keys::contest_snapshot(contest_id));
        }
        let applied: i32 = invocation
            .arg(old.seq.to_string())
            .arg(to_json(&state))
            .arg(event_json(EventKind::Finished, &state))
            .arg(&record.user_id)
            .arg(id)
            .arg(keys::FIELD_CANCELLED)
            .arg(now_ms())
            .invoke_async(conn)
            .await?;
        match applied {
            1 | 2 => {
                return Ok(Cancel::Cancelled {
                    state,
                    was_waiting: applied == 1,
                })
            }
            0 => return Ok(Cancel::Unknown),
            _ => continue,
        }
    }
    match load_stored_state(conn, id).await? {
        Some(state) if state.is_final() => Ok(Cancel::Final(state)),
        Some(state) => Ok(Cancel::Busy(state)),
        None => Ok(Cancel::Unknown),
    }
}

/// Whether submission `id` was cancelled: what a worker judging it polls.
pub async fn is_cancelled<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<bool> {
    redis::cmd("HEXISTS")
        .arg(keys::submission(id))
        .arg(keys::FIELD_CANCELLED)
        .query_async(conn)
        .await
}
