//! Redis operations that more than one service performs.
//!
//! Two rules from the design live here. A state change is stored before it is
//! published, in one script, so pub/sub (at-most-once) never carries news the
//! store lacks. And a finished submission is never written again, so a job
//! delivered twice cannot end with two different verdicts.

use redis::aio::ConnectionLike;
use redis::AsyncCommands;

use crate::keys;
use crate::queue::{self, Tier};
use crate::tokens::TokenInfo;
use problem_package::problem::ProblemSummary;
use submission::{now_ms, Event, EventKind, Status, SubmissionRecord, SubmissionState};

pub use redis::RedisError;

/// A connection pool to Redis or, with a Sentinel URL, to its current
/// primary (see [`crate::connect`]).
pub type Pool = crate::connect::Pool;

/// Opens a connection pool. Pooled connections keep redis' 500 ms reply
/// timeout, so they are for short commands only.
pub fn pool(url: &str, max_size: usize) -> Result<Pool, String> {
    Pool::new(url, max_size)
}

/// A connection of its own with no reply timeout, for blocking reads
/// (`BLPOP` on the queue's wake-up list) and large values (problem
/// packages). With Sentinel, it goes to the primary of the moment.
pub async fn dedicated(url: &str) -> redis::RedisResult<redis::aio::MultiplexedConnection> {
    crate::connect::dedicated(url).await
}

/// Creates the worker group (and the stream) unless they exist.
pub async fn ensure_group<C: ConnectionLike + Send + Sync>(conn: &mut C) -> redis::RedisResult<()> {
    let created: redis::RedisResult<()> = conn
        .xgroup_create_mkstream(keys::JOB_STREAM, keys::WORKER_GROUP, "0")
        .await;
    match created {
        Err(e) if e.code() == Some("BUSYGROUP") => Ok(()),
        other => other,
    }
}

/// Stores a new submission, indexes it for its user and enqueues its job in
/// the live tier of the fair queue ([`crate::queue`]), atomically. A
/// contest submission (`record.contest_id`) is also appended to its
/// contest's log as a `submissions` entry in the same transaction.
pub async fn create_submission<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    record: &SubmissionRecord,
    state: &SubmissionState,
) -> redis::RedisResult<()> {
    enqueue(conn, record, state, true).await
}

/// Stores a submission against a problem version an admin chose (see
/// [`keys::VERIFY_USER_ID`]) and enqueues its job, as [`create_submission`]
/// does but outside the problem's index: a rejudge of the problem must not
/// move a package check onto the current version.
pub async fn create_verification_submission<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    record: &SubmissionRecord,
    state: &SubmissionState,
) -> redis::RedisResult<()> {
    enqueue(conn, record, state, false).await
}

/// The record, the state, the user's index (and the problem's, for a
/// rejudge to find it), the job and the first event, in one transaction.
/// Verification submissions go in the live tier too, as the user
/// [`keys::VERIFY_USER_ID`] (see [`crate::queue`] for why).
async fn enqueue<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    record: &SubmissionRecord,
    state: &SubmissionState,
    in_problem_index: bool,
) -> redis::RedisResult<()> {
    // The contest's start, for the entry's contest time: one more read,
    // for contest submissions only.
    let contest_entry = match &record.contest_id {
        Some(contest_id) if in_problem_index => {
            let start = crate::contest::snapshot::contest(conn, contest_id)
                .await?
                .and_then(|c| c.start_time);
            let object = crate::contest::objects::submission_object(record, start);
            Some((
                contest_id.clone(),
                crate::contest::log::Append::new("submissions", &record.id, &object),
            ))
        }
        _ => None,
    };
    let mut pipe = redis::pipe();
    if let Some((contest_id, entry)) = &contest_entry {
        crate::contest::log::add_to_pipe(&mut pipe, contest_id, entry);
    }
    pipe.atomic()
        .hset(
            keys::submission(&record.id),
            keys::FIELD_RECORD,
            to_json(record),
        )
        .hset(
            keys::submission(&record.id),
            keys::FIELD_STATE,
            to_json(state),
        )
        .zadd(
            keys::user_submissions(&record.user_id),
            &record.id,
            record.created_at_ms,
        );
    if in_problem_index {
        pipe.zadd(
            keys::problem_submissions(&record.problem_id),
            &record.id,
            record.created_at_ms,
        );
    }
    pipe.add_command(queue::enqueue_cmd(
        Tier::Live,
        &record.user_id,
        &record.id,
        &record.language,
    ))
    .ignore()
    .hincr(keys::STATS, crate::stats::FIELD_SUBMISSIONS, 1)
    .publish(
        keys::events(&record.id),
        event_json(EventKind::Queued, state),
    )
    .query_async::<()>(conn)
    .await
}

/// Stores `state` and publishes it as `kind`, unless the stored state is
/// already final or at least as new (`seq`). Returns whether it was applied.
/// A final state of a contest submission also appends its `judgements`
/// entry and one `runs` entry per test to the contest's log, in the same
/// script (so exactly once per final state: a rejudge's final state is a
/// second judgement).
pub async fn publish_state<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    kind: EventKind,
    state: &SubmissionState,
) -> redis::RedisResult<bool> {
    // cjson is only used to read fields; the JSON stored is Rust's own.
    const SCRIPT: &str = r#"
        local current = redis.call('HGET', KEYS[1], 'state')
        if current then
            local state = cjson.decode(current)
            if state.status == 'finished' or state.status == 'cancelled' then return 0 end
            if tonumber(state.seq) >= tonumber(ARGV[2]) then return 0 end
        end
        redis.call('HSET', KEYS[1], 'state', ARGV[1])
        redis.call('PUBLISH', KEYS[2], ARGV[3])
        if ARGV[4] ~= '' then
            redis.call('HINCRBY', KEYS[3], ARGV[4], 1)
            redis.call('HINCRBY', KEYS[3], ARGV[5], 1)
            redis.call('HINCRBY', KEYS[3], 'latency_sum_ms', ARGV[6])
            redis.call('HINCRBY', KEYS[3], 'latency_count', 1)
        end
        if ARGV[7] ~= '' then
            redis.call('HSET', KEYS[4], ARGV[8], ARGV[7])
            local best = pick_best(redis.call('HVALS', KEYS[4]))
            if best then redis.call('HSET', KEYS[5], ARGV[9], best) end
        end
        if ARGV[10] and ARGV[10] ~= '' then
            if ARGV[12] ~= '' then
                -- contest::replay::GROUP_SCORES_TYPE
                append_entry(KEYS[6], KEYS[7], 'judge-group-scores', ARGV[10], ARGV[12])
            end
            append_entry(KEYS[6], KEYS[7], 'judgements', ARGV[10], ARGV[11])
            local i = 13
            while ARGV[i] do
                append_entry(KEYS[6], KEYS[7], 'runs', ARGV[i], ARGV[i + 1])
                i = i + 2
            end
        end
        return 1
    "#;
    // Counted here, with the store, so a verdict is counted exactly once.
    let (verdict, bucket, latency) = crate::stats::final_counts(state).unwrap_or_default();
    // The user's best per problem, likewise (see `crate::best`).
    let best = crate::best::Best::of(state)
        .map(|b| to_json(&b))
        .unwrap_or_default();
    // Built (and hashed) once: the script runs for every state change.
    static WITH_BEST: std::sync::LazyLock<redis::Script> = std::sync::LazyLock::new(|| {
        redis::Script::new(&format!(
            "{}\n{}\n{SCRIPT}",
            crate::best::LUA_PICK_BEST,
            crate::contest::log::LUA_APPEND
        ))
    });
    // A contest's final verdict: its judgement and runs, dated from the
    // contest's start (one more read, for final contest states only).
    let contest_entries = match (&state.contest_id, state.is_final()) {
        (Some(contest_id), true) => {
            let start = crate::contest::snapshot::contest(conn, contest_id)
                .await?
                .and_then(|c| c.start_time);
            crate::contest::objects::judgement_objects(state, start)
                .map(|objects| (contest_id.clone(), objects))
        }
        _ => None,
    };
    let mut invocation = WITH_BEST.key(keys::submission(&state.id));
    invocation
        .key(keys::events(&state.id))
        .key(keys::STATS)
        .key(keys::user_problem_results(
            &state.user_id,
            &state.problem_id,
        ))
        .key(keys::user_bests(&state.user_id))
        .arg(to_json(state))
        .arg(state.seq)
        .arg(event_json(kind, state))
        .arg(verdict)
        .arg(bucket)
        .arg(latency)
        .arg(best)
        .arg(&state.id)
        .arg(&state.problem_id);
    if let Some((contest_id, (judgement, runs))) = &contest_entries {
        invocation
            .key(keys::contest_log(contest_id))
            .key(keys::contest_snapshot(contest_id))
            .arg(&judgement.id)
            .arg(to_json(judgement))
            // The group scores first: a reader applying the judgement has them.
            .arg(
                crate::contest::objects::group_scores(state)
                    .map(|g| to_json(&g))
                    .unwrap_or_default(),
            );
        for run in runs {
            invocation.arg(&run.id).arg(to_json(run));
        }
    }
    let applied: i32 = invocation.invoke_async(conn).await?;
    Ok(applied == 1)
}

/// A user's best result per problem (problem id -> [`crate::best::Best`]).
pub async fn user_bests<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
) -> redis::RedisResult<std::collections::HashMap<String, crate::best::Best>> {
    let all: Vec<(String, String)> = conn.hgetall(keys::user_bests(user_id)).await?;
    Ok(all
        .into_iter()
        .filter_map(|(problem, j)| Some((problem, serde_json::from_str(&j).ok()?)))
        .collect())
}

/// Counts one more judging attempt and returns the new count.
pub async fn add_attempt<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<u32> {
    conn.hincr(keys::submission(id), keys::FIELD_ATTEMPTS, 1)
        .await
}

/// A submission's state as clients see it: the stored state with its
/// [`SubmissionState::queue_position`] while it waits (one more round trip
/// then). The worker, which has just taken the job, reads
/// [`load_stored_state`] instead.
pub async fn load_state<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<SubmissionState>> {
    let Some(mut state) = load_stored_state(conn, id).await? else {
        return Ok(None);
    };
    fill_queue_positions(conn, std::slice::from_mut(&mut state)).await?;
    Ok(Some(state))
}

/// A submission's state as stored, without a queue position.
pub async fn load_stored_state<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<SubmissionState>> {
    let json: Option<String> = conn.hget(keys::submission(id), keys::FIELD_STATE).await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Sets the queue position of each queued state (one script for all) and
/// clears it on the others, so a value stored by mistake never shows.
pub async fn fill_queue_positions<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    states: &mut [SubmissionState],
) -> redis::RedisResult<()> {
    for state in states.iter_mut() {
        state.queue_position = None;
    }
    let waiting: Vec<(&str, &str)> = states
        .iter()
        .filter(|s| s.status == Status::Queued)
        .map(|s| (s.user_id.as_str(), s.id.as_str()))
        .collect();
    if waiting.is_empty() {
        return Ok(());
    }
    let positions = queue::positions(conn, &waiting).await?;
    let queued = states.iter_mut().filter(|s| s.status == Status::Queued);
    for (state, position) in queued.zip(positions) {
        state.queue_position = position;
    }
    Ok(())
}

pub async fn load_record<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<SubmissionRecord>> {
    let json: Option<String> = conn.hget(keys::submission(id), keys::FIELD_RECORD).await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Stores a problem version (package and summary) and makes it current.
pub async fn store_problem<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    summary: &ProblemSummary,
    package: &[u8],
) -> redis::RedisResult<()> {
    let json = to_json(summary);
    redis::pipe()
        .atomic()
        .set_nx(keys::package(&summary.version), package)
        // The same content may have come as a draft first, which expires.
        .persist(keys::package(&summary.version))
        .hset(keys::problem_versions(&summary.id), &summary.version, &json)
        .hset(keys::PROBLEMS, &summary.id, &json)
        .hset(keys::CODE_LIMITS, &summary.id, summary.code_limit_bytes())
        .query_async::<()>(conn)
        .await
}

/// Raises a problem's entry in [`keys::CODE_LIMITS`] to `bytes` (a draft's
/// limit: an admin may submit against it), never lowers it.
const RAISE_CODE_LIMIT: &str = r#"
local current = tonumber(redis.call('HGET', KEYS[1], ARGV[1]) or '0')
if tonumber(ARGV[2]) > current then
  redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
end
return 0
"#;

/// The largest source any problem in use accepts, in bytes (see
/// [`keys::CODE_LIMITS`]); `None` before any problem was stored.
pub async fn largest_code_limit<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<Option<u64>> {
    let all: Vec<u64> = conn.hvals(keys::CODE_LIMITS).await?;
    Ok(all.into_iter().max())
}

/// How long a draft's package is kept unless it is published: long enough
/// to verify and publish it, short enough that the probe and TLE-check
/// drafts of every `judge problem verify` run (each a whole package) do not
/// pile up in Redis.
pub const DRAFT_TTL_SECS: u64 = 7 * 24 * 3600;

/// Stores a problem version as a draft: its package and summary like any
/// version, but not current (see [`keys::problem_drafts`]). The current
/// version is never made a draft.
pub async fn store_draft<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    summary: &ProblemSummary,
    package: &[u8],
) -> redis::RedisResult<()> {
    let current = current_problem(conn, &summary.id).await?;
    let mut pipe = redis::pipe();
    // SET NX EX: a package already stored (published, here or as another
    // problem's identical content) keeps no expiry; a new one expires
    // unless published.
    pipe.atomic()
        .cmd("SET")
        .arg(keys::package(&summary.version))
        .arg(package)
        .arg("NX")
        .arg("EX")
        .arg(DRAFT_TTL_SECS)
        .ignore()
        .hset(
            keys::problem_versions(&summary.id),
            &summary.version,
            to_json(summary),
        );
    if current.is_none_or(|c| c.version != summary.version) {
        pipe.sadd(keys::problem_drafts(&summary.id), &summary.version);
    }
    pipe.cmd("EVAL")
        .arg(RAISE_CODE_LIMIT)
        .arg(1)
        .arg(keys::CODE_LIMITS)
        .arg(&summary.id)
        .arg(summary.code_limit_bytes())
        .ignore();
    pipe.query_async::<()>(conn).await
}

/// A stored version of a problem (current, old or draft) and whether it is
/// a draft; `None` when unknown or when its package is gone (an expired draft).
pub async fn problem_version<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    version: &str,
) -> redis::RedisResult<Option<(ProblemSummary, bool)>> {
    let (json, draft, stored): (Option<String>, bool, bool) = redis::pipe()
        .hget(keys::problem_versions(id), version)
        .sismember(keys::problem_drafts(id), version)
        .exists(keys::package(version))
        .query_async(conn)
        .await?;
    // A draft whose package expired cannot be judged against.
    Ok(json
        .filter(|_| stored)
        .and_then(|j| serde_json::from_str(&j).ok())
        .map(|s| (s, draft)))
}

/// Makes a stored version (a draft, usually) current, its package kept for
/// good; `None` if it is not stored (or was a draft that expired).
pub async fn publish_version<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    version: &str,
) -> redis::RedisResult<Option<ProblemSummary>> {
    let (json, stored): (Option<String>, bool) = redis::pipe()
        .hget(keys::problem_versions(id), version)
        .exists(keys::package(version))
        .query_async(conn)
        .await?;
    // An expired draft has its summary but no package left to judge with.
    let (Some(json), true) = (json, stored) else {
        return Ok(None);
    };
    redis::pipe()
        .atomic()
        .persist(keys::package(version))
        .hset(keys::PROBLEMS, id, &json)
        .srem(keys::problem_drafts(id), version)
        .query_async::<()>(conn)
        .await?;
    let summary: Option<ProblemSummary> = serde_json::from_str(&json).ok();
    if let Some(s) = &summary {
        conn.hset::<_, _, _, ()>(keys::CODE_LIMITS, id, s.code_limit_bytes())
            .await?;
    }
    Ok(summary)
}

/// The current version of every problem, sorted by id.
pub async fn list_problems<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<Vec<ProblemSummary>> {
    let all: Vec<(String, String)> = conn.hgetall(keys::PROBLEMS).await?;
    let mut problems: Vec<ProblemSummary> = all
        .into_iter()
        .filter_map(|(_, j)| serde_json::from_str(&j).ok())
        .collect();
    problems.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(problems)
}

/// The current version of one problem.
pub async fn current_problem<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<ProblemSummary>> {
    let json: Option<String> = conn.hget(keys::PROBLEMS, id).await?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// A problem package by version; use a [`dedicated`] connection, packages can be large.
pub async fn load_package<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    version: &str,
) -> redis::RedisResult<Option<Vec<u8>>> {
    conn.get(keys::package(version)).await
}

pub fn event_json(kind: EventKind, state: &SubmissionState) -> String {
    to_json(&Event {
        kind,
        state: state.clone(),
    })
}

pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> String {
    serde_json::to_string(value).expect("judge types serialize")
}

/// A user's latest `limit` submission states, newest first.
pub async fn user_states<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    limit: isize,
) -> redis::RedisResult<Vec<SubmissionState>> {
    let ids: Vec<String> = conn
        .zrevrange(keys::user_submissions(user_id), 0, limit - 1)
        .await?;
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut pipe = redis::pipe();
    for id in &ids {
        pipe.hget(keys::submission(id), keys::FIELD_STATE);
    }
    let states: Vec<Option<String>> = pipe.query_async(conn).await?;
    let mut states: Vec<SubmissionState> = states
        .into_iter()
        .flatten()
        .filter_map(|j| serde_json::from_str(&j).ok())
        .collect();
    fill_queue_positions(conn, &mut states).await?;
    Ok(states)
}

// ---- access tokens ----

/// Stores `token` (as its SHA-256 only) for `info.user_id`, without expiry;
/// `info.admin` is only the fallback flag of [`crate::tokens`] (the
/// configured admin token's). See [`crate::tokens::create`].
pub async fn store_token<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
    info: &TokenInfo,
) -> redis::RedisResult<()> {
    crate::tokens::create(conn, token, &info.user_id, info.admin, None, now_ms()).await?;
    Ok(())
}

/// Who `token` stands for now (see [`crate::tokens::lookup`]).
pub async fn lookup_token<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
) -> redis::RedisResult<Option<TokenInfo>> {
    crate::tokens::lookup(conn, token, now_ms()).await
}

// ---- rejudge ----

/// What [`rejudge`] did.
#[derive(Debug, Clone, PartialEq)]
pub enum Rejudge {
    /// The fresh queued state that was stored, published and enqueued, and
    /// the score the submission had before (scoring problems only), which
    /// the fresh state no longer carries.
    Requeued(SubmissionState, Option<f64>),
    /// The submission is still being judged; nothing was changed.
    NotFinished(SubmissionState),
    /// No such submission.
    Unknown,
}

/// Re-queues a finished submission: atomically (one script, compare-and-set
/// on the stored state's `seq`) replaces its final state with a fresh queued
/// one (`seq` = old + 1, results cleared, `previous_verdict` = old verdict),
/// resets the attempt count, and enqueues a job in the rejudge tier of the
/// fair queue ([`crate::queue`]), behind every live job, and a `queued` event. With
/// `current`, the record's `problem_version` (and the state's `tests_total`)
/// move to that problem version, so the rejudge uses the current test data.
/// A submission that is not finished is left alone.
pub async fn rejudge<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    current: Option<&ProblemSummary>,
) -> redis::RedisResult<Rejudge> {
    const SCRIPT: &str = r#"
        local current = redis.call('HGET', KEYS[1], 'state')
        if not current then return 0 end
        local state = cjson.decode(current)
        if state.status ~= 'finished' then return -1 end
        if tostring(state.seq) ~= ARGV[1] then return -2 end
        redis.call('HSET', KEYS[1], 'state', ARGV[2], 'record', ARGV[3], 'attempts', 0)
        enqueue_job('rejudge', ARGV[4], ARGV[6], ARGV[7])
        redis.call('PUBLISH', KEYS[2], ARGV[5])
        return 1
    "#;
    static WITH_ENQUEUE: std::sync::LazyLock<redis::Script> =
        std::sync::LazyLock::new(|| redis::Script::new(&queue::with_enqueue(SCRIPT)));
    for _ in 0..5 {
        let (Some(mut record), Some(old)) = (
            load_record(conn, id).await?,
            load_stored_state(conn, id).await?,
        ) else {
            return Ok(Rejudge::Unknown);
        };
        // A cancelled one stays cancelled (a contest has dropped it).
        if old.status != Status::Finished {
            return Ok(Rejudge::NotFinished(old));
        }
        let mut tests_total = old.tests_total;
        // A scoring submission's groups start over, unjudged: the grader
        // recomputes every score, so none of the old ones may linger.
        let mut max_score = old.max_score;
        let mut groups = old.groups.clone();
        for group in &mut groups {
            group.score = None;
            group.verdict = None;
            group.passed = 0;
            group.message = None;
        }
        if let Some(summary) = current.filter(|s| s.id == record.problem_id) {
            record.problem_version = summary.version.clone();
            tests_total = summary.tests;
            max_score = summary.max_score;
            groups = submission::GroupResult::unjudged(summary);
        }
        let mut state = SubmissionState::queued(&record, tests_total);
        state.max_score = max_score;
        state.groups = groups;
        state.seq = old.seq + 1;
        state.previous_verdict = old.verdict;
        let applied: i32 = WITH_ENQUEUE
            .key(keys::submission(id))
            .key(keys::events(id))
            .arg(old.seq.to_string())
            .arg(to_json(&state))
            .arg(to_json(&record))
            .arg(&record.user_id)
            .arg(event_json(EventKind::Queued, &state))
            .arg(id)
            .arg(&record.language)
            .invoke_async(conn)
            .await?;
        match applied {
            1 => return Ok(Rejudge::Requeued(state, old.score)),
            0 => return Ok(Rejudge::Unknown),
            // Changed under us (another rejudge): look again.
            _ => continue,
        }
    }
    match load_stored_state(conn, id).await? {
        Some(state) => Ok(Rejudge::NotFinished(state)),
        None => Ok(Rejudge::Unknown),
    }
}

/// Every submission id of a problem (oldest first), from the index that
/// [`create_submission`] maintains.
pub async fn problem_submission_ids<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    problem_id: &str,
) -> redis::RedisResult<Vec<String>> {
    conn.zrange(keys::problem_submissions(problem_id), 0, -1)
        .await
}

/// Stores a custom run (a submission with [`keys::FIELD_RUN_INPUT`], kept for
/// [`submission::RUN_TTL_SECS`], in no user's history) and enqueues its job
/// in the live tier, in its user's queue: a "Run" is waited for like a Submit.
pub async fn create_run<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    record: &SubmissionRecord,
    state: &SubmissionState,
    input: &str,
) -> redis::RedisResult<()> {
    let key = keys::submission(&record.id);
    redis::pipe()
        .atomic()
        .hset(&key, keys::FIELD_RECORD, to_json(record))
        .hset(&key, keys::FIELD_STATE, to_json(state))
        .hset(&key, keys::FIELD_RUN_INPUT, input)
        .expire(&key, submission::RUN_TTL_SECS as i64)
        .add_command(queue::enqueue_cmd(
            Tier::Live,
            &record.user_id,
            &record.id,
            &record.language,
        ))
        .ignore()
        .query_async::<()>(conn)
        .await
}

/// The custom input of a run, or `None` for an ordinary submission.
pub async fn load_run_input<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<String>> {
    conn.hget(keys::submission(id), keys::FIELD_RUN_INPUT).await
}

/// Live work not yet done, which the API's back-pressure reads: jobs being
/// judged (in the stream; workers delete a job once acknowledged), jobs put
/// back and jobs waiting in the live tier. The rejudge tier is not
/// counted: an admin's rejudge of thousands must not refuse anyone's Submit.
pub async fn queued_jobs<C: ConnectionLike + Send + Sync>(conn: &mut C) -> redis::RedisResult<u64> {
    let (waiting, stream) = queue::waiting(conn).await?;
    // The stream's undelivered entries are among the put-back ones.
    Ok(stream.in_flight + waiting.requeued + waiting.live)
}

/// Jobs waiting per tier, jobs in flight and workers, for `/metrics`.
pub async fn queue_snapshot<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<crate::stats::QueueSnapshot> {
    let (waiting, stream) = queue::waiting(conn).await?;
    let consumers: redis::RedisResult<redis::streams::StreamInfoConsumersReply> = conn
        .xinfo_consumers(keys::JOB_STREAM, keys::WORKER_GROUP)
        .await;
    let workers = consumers.map(|c| c.consumers.len() as u64).unwrap_or(0);
    let beats: Vec<(String, String)> = conn.hgetall(keys::WORKER_HEALTH).await?;
    let health = beats
        .iter()
        .filter_map(|(worker, json)| crate::stats::WorkerHealth::parse(worker, json))
        .collect();
    Ok(crate::stats::QueueSnapshot {
        waiting,
        in_flight: stream.in_flight,
        workers,
        health,
    })
}

/// The judge-wide counters.
pub async fn load_stats<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<std::collections::HashMap<String, u64>> {
    conn.hgetall(keys::STATS).await
}

/// Counts one submission of `user_id` in the current minute and returns the
/// count so far and the seconds left in the minute.
pub async fn count_for_rate_limit<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    now_ms: u64,
) -> redis::RedisResult<(u64, u64)> {
    let minute = now_ms / 60_000;
    let key = keys::rate(user_id, minute);
    let (count,): (u64,) = redis::pipe()
        .atomic()
        .incr(&key, 1)
        .ignore()
        .expire(&key, 120)
        .ignore()
        .get(&key)
        .query_async(conn)
        .await?;
    let left = 60 - (now_ms / 1000) % 60;
    Ok((count, left))
}
