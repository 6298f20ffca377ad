//! The fair, prioritized queue of judging jobs.
//!
//! What is promised:
//! - **Live before rejudge.** Two tiers, served in strict priority: `live`
//!   (submissions, custom runs, `judge problem verify`) and `rejudge` (an
//!   admin's rejudge). A worker takes a job only when one of its slots is
//!   free, so a live job waits behind at most one rejudge job per slot: the
//!   ones already being judged when it arrived.
//! - **Fair among users.** Within a tier, the users with waiting jobs form a
//!   ring served one job per user per turn (round-robin); a user's own jobs
//!   go in the order they came. A user's burst of 200 delays another user's
//!   single submission by at most one job per user ahead of it in the ring.
//!   Package verification is the user [`crate::keys::VERIFY_USER_ID`] in the
//!   live tier: an admin waits for it at a terminal like a user at Submit,
//!   and as one user of the ring it takes one turn in N, never all slots.
//! - **Delivery as before.** [`take`] moves the next job, in the same script,
//!   into the job stream and delivers it through the worker group, so it
//!   sits in the group's PEL until the worker acknowledges it: crash
//!   takeover (`XAUTOCLAIM`), the attempt count and the one-verdict rule are
//!   those of the stream. Stream entries not delivered yet (a job a worker
//!   put back after its engine failed) are served before both tiers: they
//!   had waited their turn already.
//! - **Position.** [`positions`] says how many jobs will be taken before a
//!   waiting one, if nothing new arrives: the put-back entries, the live
//!   tier (for a rejudge), and the jobs of each ring user before it. New
//!   users joining the ring can move it back by one each; a new live job
//!   moves a rejudge back.
//!
//! Layout: per tier a ring list ([`keys::queue_ring`]) and per user a list
//! of submission ids ([`keys::user_queue`]); a user is in the ring exactly
//! when their list is not empty. [`keys::QUEUE_COUNTS`] counts the waiting
//! jobs per tier, and [`keys::QUEUE_WAKE`] wakes idle workers. The scripts
//! build per-user key names from [`keys::QUEUE_PREFIX`] (a single Redis or a
//! Sentinel-managed primary, no cluster, so undeclared keys are fine).

use std::sync::LazyLock;

use redis::aio::ConnectionLike;

use crate::keys;
pub use crate::stats::Waiting;

/// A tier of the queue, in serving order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tier {
    Live,
    Rejudge,
}

impl Tier {
    pub const ALL: [Tier; 2] = [Tier::Live, Tier::Rejudge];

    /// The name in key names, in [`keys::QUEUE_COUNTS`] and in `/metrics`.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Live => "live",
            Tier::Rejudge => "rejudge",
        }
    }
}

/// How many wake-up tokens are kept: enough for every idle worker of a
/// large deployment; a token is only a hint.
const WAKE_TOKENS: usize = 64;

/// Lua prelude: `P`, the key prefix, and `enqueue_job(tier, user, id)`,
/// which appends a job to its user's queue and the user to the ring.
fn lua_prelude() -> &'static str {
    static PRELUDE: LazyLock<String> = LazyLock::new(|| {
        format!(
            r#"
        local P = '{prefix}'
        local function enqueue_job(tier, user, id)
            if redis.call('RPUSH', P .. tier .. ':user:' .. user, id) == 1 then
                redis.call('RPUSH', P .. tier .. ':ring', user)
            end
            redis.call('HINCRBY', '{counts}', tier, 1)
            redis.call('LPUSH', '{wake}', '1')
            redis.call('LTRIM', '{wake}', 0, {last_token})
        end
        "#,
            prefix = keys::QUEUE_PREFIX,
            counts = keys::QUEUE_COUNTS,
            wake = keys::QUEUE_WAKE,
            last_token = WAKE_TOKENS - 1,
        )
    });
    &PRELUDE
}

/// A script that can call `enqueue_job` (see [`lua_prelude`]): `body` runs
/// after the prelude. For scripts of the store that enqueue as one of
/// their steps (a rejudge).
pub(crate) fn with_enqueue(body: &str) -> String {
    format!("{}\n{body}", lua_prelude())
}

/// The command that enqueues submission `id` of `user_id` in `tier`, to put
/// in a transaction with the rest of a new submission (plain `EVAL`: an
/// `EVALSHA` unknown to the server would fail inside `MULTI`).
pub(crate) fn enqueue_cmd(tier: Tier, user_id: &str, id: &str) -> redis::Cmd {
    static SCRIPT: LazyLock<String> =
        LazyLock::new(|| with_enqueue("enqueue_job(ARGV[1], ARGV[2], ARGV[3])"));
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(SCRIPT.as_str())
        .arg(0)
        .arg(tier.as_str())
        .arg(user_id)
        .arg(id);
    cmd
}

/// A job [`take`] delivered: the stream entry and where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    /// The stream entry id, to acknowledge.
    pub entry_id: String,
    /// The entry's `job` field (JSON [`submission::Job`]), `None` if it has none.
    pub job: Option<String>,
    /// `live`, `rejudge`, or `requeued` (a put-back stream entry).
    pub source: String,
}

/// Takes the next job for `consumer`, if any: a stream entry not delivered
/// yet, else the next user's next job of the first tier with work, added
/// to the stream and delivered, in one script. The caller must have a free
/// slot: the job is pending on `consumer` from now on.
pub async fn take<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    consumer: &str,
) -> redis::RedisResult<Option<Taken>> {
    const BODY: &str = r#"
        local function read_one()
            local r = redis.call('XREADGROUP', 'GROUP', ARGV[1], ARGV[2], 'COUNT', 1,
                'STREAMS', KEYS[1], '>')
            if not r then return nil end
            local entry = r[1][2][1]
            if not entry then return nil end
            local job = false
            for k = 1, #entry[2], 2 do
                if entry[2][k] == 'job' then job = entry[2][k + 1] end
            end
            return {entry[1], job}
        end
        local put_back = read_one()
        if put_back then return {put_back[1], put_back[2], 'requeued'} end
        for _, tier in ipairs({'live', 'rejudge'}) do
            local ring = P .. tier .. ':ring'
            while true do
                local user = redis.call('LPOP', ring)
                if not user then break end
                local list = P .. tier .. ':user:' .. user
                local id = redis.call('LPOP', list)
                if redis.call('LLEN', list) > 0 then redis.call('RPUSH', ring, user) end
                if id then
                    redis.call('HINCRBY', KEYS[2], tier, -1)
                    redis.call('XADD', KEYS[1], '*', 'job',
                        cjson.encode({submission_id = id}), 'tier', tier)
                    local taken = read_one()
                    return {taken[1], taken[2], tier}
                end
            end
        end
        return false
    "#;
    static SCRIPT: LazyLock<redis::Script> =
        LazyLock::new(|| redis::Script::new(&with_enqueue(BODY)));
    let taken: Option<(String, Option<String>, String)> = SCRIPT
        .key(keys::JOB_STREAM)
        .key(keys::QUEUE_COUNTS)
        .arg(keys::WORKER_GROUP)
        .arg(consumer)
        .invoke_async(conn)
        .await?;
    Ok(taken.map(|(entry_id, job, source)| Taken {
        entry_id,
        job,
        source,
    }))
}

/// Blocks until a job may have been enqueued (a wake-up token) or for
/// `timeout_secs`, whichever comes first. Needs a connection without a
/// reply timeout ([`crate::store::dedicated`]).
pub async fn wait_for_work<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    timeout_secs: f64,
) -> redis::RedisResult<()> {
    redis::cmd("BLPOP")
        .arg(keys::QUEUE_WAKE)
        .arg(timeout_secs)
        .query_async::<redis::Value>(conn)
        .await
        .map(|_| ())
}

/// The queue positions of waiting submissions, each given as (user id,
/// submission id): how many jobs will be taken before it (see the module
/// doc). `None` for one that is not waiting in either tier (being taken,
/// taken, or a put-back stream entry, which is next anyway).
pub async fn positions<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    waiting: &[(&str, &str)],
) -> redis::RedisResult<Vec<Option<u64>>> {
    const BODY: &str = r#"
        local front = redis.call('XLEN', KEYS[1])
        local summary = redis.pcall('XPENDING', KEYS[1], ARGV[1])
        if type(summary) == 'table' and not summary.err then
            front = front - summary[1]
        end
        if front < 0 then front = 0 end
        local live_total = tonumber(redis.call('HGET', KEYS[2], 'live') or 0)
        local rings = {}
        local function ring_of(tier)
            if not rings[tier] then
                local users = redis.call('LRANGE', P .. tier .. ':ring', 0, -1)
                local lens = {}
                for k, user in ipairs(users) do
                    lens[k] = redis.call('LLEN', P .. tier .. ':user:' .. user)
                end
                rings[tier] = {users = users, lens = lens}
            end
            return rings[tier]
        end
        local out = {}
        for n = 2, #ARGV, 2 do
            local user, id = ARGV[n], ARGV[n + 1]
            local position = -1
            for _, tier in ipairs({'live', 'rejudge'}) do
                local i = redis.call('LPOS', P .. tier .. ':user:' .. user, id)
                if i then
                    -- Taken in turn i of the ring, after the users before it.
                    local ahead = front + i
                    if tier == 'rejudge' then ahead = ahead + live_total end
                    local before = true
                    local ring = ring_of(tier)
                    for k, other in ipairs(ring.users) do
                        if other == user then
                            before = false
                        else
                            local len = ring.lens[k]
                            ahead = ahead + math.min(len, i)
                            if before and len > i then ahead = ahead + 1 end
                        end
                    end
                    position = ahead
                    break
                end
            end
            out[#out + 1] = position
        end
        return out
    "#;
    if waiting.is_empty() {
        return Ok(Vec::new());
    }
    static SCRIPT: LazyLock<redis::Script> =
        LazyLock::new(|| redis::Script::new(&with_enqueue(BODY)));
    let mut invocation = SCRIPT.key(keys::JOB_STREAM);
    invocation.key(keys::QUEUE_COUNTS).arg(keys::WORKER_GROUP);
    for (user, id) in waiting {
        invocation.arg(*user).arg(*id);
    }
    let raw: Vec<i64> = invocation.invoke_async(conn).await?;
    Ok(raw.into_iter().map(|p| u64::try_from(p).ok()).collect())
}

/// The jobs waiting in each tier, and the stream's length and its pending
/// count, read at one moment (one script).
pub async fn waiting<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<(Waiting, StreamCounts)> {
    static SCRIPT: LazyLock<redis::Script> = LazyLock::new(|| {
        redis::Script::new(
            r#"
        local len = redis.call('XLEN', KEYS[1])
        -- No group yet (no worker ever started): nothing is pending.
        local pending = 0
        local summary = redis.pcall('XPENDING', KEYS[1], ARGV[1])
        if type(summary) == 'table' and not summary.err then pending = summary[1] end
        local counts = redis.call('HMGET', KEYS[2], 'live', 'rejudge')
        return {len, pending, tonumber(counts[1] or 0), tonumber(counts[2] or 0)}
        "#,
        )
    });
    let (len, in_flight, live, rejudge): (u64, u64, i64, i64) = SCRIPT
        .key(keys::JOB_STREAM)
        .key(keys::QUEUE_COUNTS)
        .arg(keys::WORKER_GROUP)
        .invoke_async(conn)
        .await?;
    Ok((
        Waiting {
            requeued: len.saturating_sub(in_flight),
            live: live.max(0) as u64,
            rejudge: rejudge.max(0) as u64,
        },
        StreamCounts { len, in_flight },
    ))
}

/// The job stream's length and how many of its entries are delivered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamCounts {
    pub len: u64,
    pub in_flight: u64,
}
