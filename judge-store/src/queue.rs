//! The fair, prioritized queue of judging jobs, routed by language.
//!
//! What is promised:
//! - **Only jobs a worker can judge.** Every job waits in the lane of its
//!   submission's language; [`take`] gets the languages the worker serves
//!   (those whose image its engine holds, narrowed by
//!   `JUDGE_WORKER_LANGUAGES`) and looks only at those lanes, so a worker
//!   never gets a job whose sandbox it lacks. The lane `*` holds jobs that
//!   need no language of their own; every worker serves it.
//! - **Live before rejudge.** Two tiers, served in strict priority: `live`
//!   (submissions, custom runs, `judge problem verify`) and `rejudge` (an
//!   admin's rejudge). A worker takes a job only when one of its slots is
//!   free, so a live job waits behind at most one rejudge job per slot of
//!   the workers serving its language: the ones already being judged when
//!   it arrived.
//! - **Fair among users.** Within a tier, the users with waiting jobs form a
//!   ring served one job per user per turn (round-robin): each user has a
//!   turn number, and a worker serves the user with the lowest turn among
//!   those with a job it can take, who then moves to the back of the ring.
//!   Users it had to pass over keep their place for the workers that serve
//!   their languages. A user's own jobs go in the order they came, among
//!   those the worker can take. A user's burst of 200 delays another user's
//!   single submission by at most one job per user ahead of it in the ring.
//!   Package verification is the user [`crate::keys::VERIFY_USER_ID`] in the
//!   live tier: an admin waits for it at a terminal like a user at Submit,
//!   and as one user of the ring it takes one turn in N, never all slots.
//! - **Delivery as before.** [`take`] moves the next job, in the same script,
//!   into the job stream (with its `lang`) and delivers it through the
//!   worker group, so it sits in the group's PEL until the worker
//!   acknowledges it: the attempt count and the one-verdict rule are those
//!   of the stream. Crash takeover is [`claim`]: `XAUTOCLAIM` cannot tell
//!   languages apart, so it pages through the idle pending entries and
//!   claims only those of the worker's languages. A job a worker puts back
//!   after its engine failed ([`lua_prelude`]'s `put_back_job`) waits in its
//!   language's put-back list, served before both tiers: it had waited its
//!   turn already. (Stream entries not delivered yet, put back by a worker
//!   of an older version, are still served first, by any worker.)
//! - **Position.** [`positions`] says how many jobs will be taken before a
//!   waiting one, if nothing new arrives and every worker serves every
//!   language: the put-back jobs, the live tier (for a rejudge), and the
//!   jobs of each ring user before it. New users joining the ring can move
//!   it back by one each; a new live job moves a rejudge back. Jobs in
//!   languages that other workers serve can only make it shorter.
//! - **Cancel.** `remove_job` (in the scripts' prelude) takes a waiting job
//!   out of its user's queue in the same script that marks the submission
//!   cancelled (`crate::cancel`), so it is never taken afterwards; a job
//!   already taken is stopped by its worker, which sees the mark.
//!
//! Layout, per tier: the ring, a sorted set user -> turn
//! ([`keys::queue_turns`]); per language a lane, the sorted set of the ring
//! users with a job in it, scored by the same turns ([`keys::queue_lane`]);
//! per user their jobs, a sorted set id -> sequence number
//! ([`keys::user_queue`]), the same split by language
//! ([`keys::user_lane`]), and a hash language -> count
//! ([`keys::user_languages`]). A user is in the ring exactly when they have
//! a waiting job, and in a lane exactly when they have one in its
//! language. Turns and sequence numbers come from one counter
//! ([`keys::QUEUE_SEQ`]). [`keys::QUEUE_COUNTS`] counts the waiting jobs
//! per tier (and `requeued`, the put-back ones), and [`keys::queue_wake`]
//! wakes an idle worker of the job's language. The scripts build these key
//! names from [`keys::QUEUE_PREFIX`] (a single Redis or a Sentinel-managed
//! primary, no cluster, so undeclared keys are fine).
//!
//! Cost of a take: for each tier with waiting jobs, one `ZRANGE 0 0` per
//! language the worker serves (the lowest turn of each lane; the lowest of
//! those is the user served, and tells which of their lanes the worker
//! can take), then one `ZRANGE 0 0` per such lane of that user (their
//! oldest job in it), and a few updates (moving the user's turn in each of
//! their lanes, usually one). That is O(L log U) for a worker of L
//! languages and U waiting users, independent of the number of jobs: about
//! 2L + 10 commands, some 100 for a worker of all 40-odd languages.

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

/// The lane of jobs that need no language of their own: every worker
/// serves it.
pub const ANY_LANGUAGE: &str = "*";

/// Every language id of the table: what a worker holding every image
/// serves (for tests and tools that play one).
pub fn every_language() -> Vec<String> {
    problem_package::language::LANGUAGES
        .iter()
        .map(|l| l.id.to_string())
        .collect()
}

/// How many wake-up tokens are kept per language: enough for every idle
/// worker of a large deployment; a token is only a hint.
const WAKE_TOKENS: usize = 64;

/// Lua prelude: `P`, the key prefix, and
/// - `enqueue_job(tier, user, id, lang)`, which adds a job to its user's
///   queue and lane (`lang` empty or in parentheses, a judge's own job
///   such as an import's validator check: [`ANY_LANGUAGE`]) and the user to the
///   ring and the lane's users;
/// - `put_back_job(id, lang)`, which puts a job whose judging the engine
///   broke at the end of its language's put-back list;
/// - `remove_job(user, id)`, which takes a waiting job out of its tier (the
///   user leaves the ring with their last job) and returns the tier, or
///   false when the job is not waiting (taken, or never queued);
/// - `serve_user(tier, user, id, lang)`, which takes job `id` of `user`'s
///   lane `lang` out of the tier and moves the user to the back of the
///   ring (or out of it, with their last job).
fn lua_prelude() -> &'static str {
    static PRELUDE: LazyLock<String> = LazyLock::new(|| {
        format!(
            r#"
        local P = '{prefix}'
        local function wake(lang)
            redis.call('LPUSH', P .. 'wake:' .. lang, '1')
            redis.call('LTRIM', P .. 'wake:' .. lang, 0, {last_token})
        end
        -- A job's lane: its language, or `{any}` for a job of the judge's
        -- own with no submission language (none, or an id in parentheses
        -- such as the validator check of an import), which any worker takes.
        local function lane(lang)
            if not lang or lang == '' or string.sub(lang, 1, 1) == '(' then return '{any}' end
            return lang
        end
        local function enqueue_job(tier, user, id, lang)
            lang = lane(lang)
            local seq = redis.call('INCR', '{seq}')
            local turns = P .. tier .. ':turns'
            local turn = redis.call('ZSCORE', turns, user)
            if not turn then
                turn = seq
                redis.call('ZADD', turns, turn, user)
            end
            redis.call('ZADD', P .. tier .. ':lane:' .. lang, turn, user)
            redis.call('ZADD', P .. tier .. ':jobs:' .. user, seq, id)
            redis.call('ZADD', P .. tier .. ':jobs:' .. user .. ':' .. lang, seq, id)
            redis.call('HINCRBY', P .. tier .. ':langs:' .. user, lang, 1)
            redis.call('HINCRBY', '{counts}', tier, 1)
            wake(lang)
        end
        local function put_back_job(id, lang)
            lang = lane(lang)
            redis.call('RPUSH', P .. 'requeued:' .. lang, id)
            redis.call('HINCRBY', '{counts}', 'requeued', 1)
            wake(lang)
        end
        -- Takes `id` out of `user`'s lane `lang` and queue; the user moves
        -- to the back of the ring (with a new turn in each of their lanes),
        -- or leaves it with their last job.
        local function serve_user(tier, user, id, lang, back)
            local jobs = P .. tier .. ':jobs:' .. user
            local langs = P .. tier .. ':langs:' .. user
            redis.call('ZREM', jobs, id)
            redis.call('ZREM', jobs .. ':' .. lang, id)
            if redis.call('HINCRBY', langs, lang, -1) <= 0 then
                redis.call('HDEL', langs, lang)
                redis.call('ZREM', P .. tier .. ':lane:' .. lang, user)
            end
            redis.call('HINCRBY', '{counts}', tier, -1)
            local turns = P .. tier .. ':turns'
            if redis.call('ZCARD', jobs) == 0 then
                redis.call('ZREM', turns, user)
                redis.call('DEL', langs)
                return
            end
            if not back then return end
            local turn = redis.call('INCR', '{seq}')
            redis.call('ZADD', turns, 'XX', turn, user)
            for _, other in ipairs(redis.call('HKEYS', langs)) do
                redis.call('ZADD', P .. tier .. ':lane:' .. other, 'XX', turn, user)
            end
        end
        -- Records which worker took submission `id` (if it exists).
        local function took(id, consumer)
            local key = '{submission}' .. id
            if redis.call('EXISTS', key) == 1 then
                redis.call('HSET', key, '{field_worker}', consumer)
            end
        end
        local function remove_job(user, id)
            for _, tier in ipairs({{'live', 'rejudge'}}) do
                if redis.call('ZSCORE', P .. tier .. ':jobs:' .. user, id) then
                    local langs = redis.call('HKEYS', P .. tier .. ':langs:' .. user)
                    for _, lang in ipairs(langs) do
                        if redis.call('ZSCORE', P .. tier .. ':jobs:' .. user .. ':' .. lang, id) then
                            serve_user(tier, user, id, lang, false)
                            return tier
                        end
                    end
                end
            end
            return false
        end
        "#,
            prefix = keys::QUEUE_PREFIX,
            counts = keys::QUEUE_COUNTS,
            seq = keys::QUEUE_SEQ,
            any = ANY_LANGUAGE,
            last_token = WAKE_TOKENS - 1,
            submission = keys::submission(""),
            field_worker = keys::FIELD_WORKER,
        )
    });
    &PRELUDE
}

/// A script that can call the prelude's functions (see [`lua_prelude`]):
/// `body` runs after the prelude. For scripts that enqueue, put back or
/// remove a job as one of their steps (a rejudge, a worker's requeue, a
/// cancel).
pub fn with_enqueue(body: &str) -> String {
    format!("{}\n{body}", lua_prelude())
}

/// The command that enqueues submission `id` of `user_id`, in `language`,
/// in `tier`, to put in a transaction with the rest of a new submission
/// (plain `EVAL`: an `EVALSHA` unknown to the server would fail inside
/// `MULTI`).
pub(crate) fn enqueue_cmd(tier: Tier, user_id: &str, id: &str, language: &str) -> redis::Cmd {
    static SCRIPT: LazyLock<String> =
        LazyLock::new(|| with_enqueue("enqueue_job(ARGV[1], ARGV[2], ARGV[3], ARGV[4])"));
    let mut cmd = redis::cmd("EVAL");
    cmd.arg(SCRIPT.as_str())
        .arg(0)
        .arg(tier.as_str())
        .arg(user_id)
        .arg(id)
        .arg(language);
    cmd
}

/// A job [`take`] or [`claim`] delivered: the stream entry and where it
/// came from.
#[derive(Clone, Debug, PartialEq)]
pub struct Taken {
    /// The stream entry id, to acknowledge.
    pub entry_id: String,
    /// The entry's `job` field (JSON [`submission::Job`]), `None` if it has none.
    pub job: Option<String>,
    /// `live`, `rejudge`, `requeued` (put back) or `claimed` (taken over
    /// from a worker that stopped answering).
    pub source: String,
}

/// Takes the next job for `consumer` that is in one of `languages` (the
/// languages the worker serves; [`ANY_LANGUAGE`] is always served): a
/// stream entry not delivered yet, else a put-back job, else the next job
/// of the lowest-turn user of the first tier with work, added to the stream
/// and delivered, in one script, which also records `consumer` in the
/// submission's [`keys::FIELD_WORKER`]. The caller must have a free slot:
/// the job is pending on `consumer` from now on.
pub async fn take<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    consumer: &str,
    languages: &[String],
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
        local function deliver(id, lang, tier, source)
            redis.call('XADD', KEYS[1], '*', 'job', cjson.encode({submission_id = id}),
                'tier', tier, 'lang', lang)
            took(id, ARGV[2])
            local taken = read_one()
            return {taken[1], taken[2], source}
        end
        local put_back = read_one()
        if put_back then return {put_back[1], put_back[2], 'requeued'} end
        local langs = {ARGV[3]}
        for i = 4, #ARGV do langs[#langs + 1] = ARGV[i] end
        local counts = redis.call('HMGET', KEYS[2], 'requeued', 'live', 'rejudge')
        if tonumber(counts[1] or 0) > 0 then
            for _, lang in ipairs(langs) do
                local id = redis.call('LPOP', P .. 'requeued:' .. lang)
                if id then
                    redis.call('HINCRBY', KEYS[2], 'requeued', -1)
                    return deliver(id, lang, 'requeued', 'requeued')
                end
            end
        end
        for t, tier in ipairs({'live', 'rejudge'}) do
            if tonumber(counts[t + 1] or 0) > 0 then
                -- The user of the lowest turn among the lanes served, and
                -- which of their lanes those are (a turn is one user's).
                local user, turn, lanes = nil, nil, {}
                for _, lang in ipairs(langs) do
                    local head = redis.call('ZRANGE', P .. tier .. ':lane:' .. lang, 0, 0, 'WITHSCORES')
                    if head[1] then
                        local t = tonumber(head[2])
                        if not turn or t < turn then
                            user, turn, lanes = head[1], t, {lang}
                        elseif head[1] == user then
                            lanes[#lanes + 1] = lang
                        end
                    end
                end
                if user then
                    local id, lang, seq = nil, nil, nil
                    for _, l in ipairs(lanes) do
                        local head = redis.call('ZRANGE', P .. tier .. ':jobs:' .. user .. ':' .. l,
                            0, 0, 'WITHSCORES')
                        if head[1] and (not seq or tonumber(head[2]) < seq) then
                            id, lang, seq = head[1], l, tonumber(head[2])
                        end
                    end
                    if id then
                        serve_user(tier, user, id, lang, true)
                        return deliver(id, lang, tier, tier)
                    end
                end
            end
        end
        return false
    "#;
    static SCRIPT: LazyLock<redis::Script> =
        LazyLock::new(|| redis::Script::new(&with_enqueue(BODY)));
    let mut invocation = SCRIPT.key(keys::JOB_STREAM);
    invocation
        .key(keys::QUEUE_COUNTS)
        .arg(keys::WORKER_GROUP)
        .arg(consumer)
        .arg(ANY_LANGUAGE);
    for language in languages.iter().filter(|l| *l != ANY_LANGUAGE) {
        invocation.arg(language);
    }
    let taken: Option<(String, Option<String>, String)> = invocation.invoke_async(conn).await?;
    Ok(taken.map(|(entry_id, job, source)| Taken {
        entry_id,
        job,
        source,
    }))
}

/// What one [`claim`] round found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Claimed {
    /// Entries of the worker's languages taken over, now pending on it.
    pub taken: Vec<Taken>,
    /// Pending entries whose stream entry was deleted; claiming dropped them.
    pub deleted: Vec<String>,
    /// Where the next round goes on (`0-0`: from the start again).
    pub cursor: String,
}

/// Pending entries scanned per claim round, at most.
const CLAIM_SCAN: usize = 100;

/// Crash takeover: claims for `consumer` up to `count` entries pending for
/// `min_idle_ms` or more (their worker is presumed dead) whose `lang` is
/// one of `languages` (or [`ANY_LANGUAGE`], or none: an entry of an older
/// version). Like `XAUTOCLAIM` it goes through the pending entries from
/// `cursor`, at most [`CLAIM_SCAN`] per round, and says where to go on, so
/// entries of other languages that nobody here can judge are passed over
/// at a bounded cost. Each entry is claimed with `XCLAIM` and the same
/// idle time, so of two workers racing for one, only one gets it; its
/// submission's [`keys::FIELD_WORKER`] becomes `consumer`.
pub async fn claim<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    consumer: &str,
    min_idle_ms: u64,
    cursor: &str,
    count: usize,
    languages: &[String],
) -> redis::RedisResult<Claimed> {
    const SCRIPT: &str = r#"
        local serves = {['*'] = true}
        for i = 7, #ARGV do serves[ARGV[i]] = true end
        local start = '-'
        if ARGV[4] ~= '0-0' then start = '(' .. ARGV[4] end
        local pending = redis.call('XPENDING', KEYS[1], ARGV[1], 'IDLE', ARGV[3],
            start, '+', ARGV[6])
        local taken, deleted, last, full = {}, {}, nil, false
        for _, p in ipairs(pending) do
            local id = p[1]
            last = id
            local entry = redis.call('XRANGE', KEYS[1], id, id)[1]
            local lang = '*'
            if entry then
                for k = 1, #entry[2], 2 do
                    if entry[2][k] == 'lang' then lang = entry[2][k + 1] end
                end
            end
            if not entry then
                -- Gone from the stream (done): out of the PEL too.
                redis.call('XACK', KEYS[1], ARGV[1], id)
                deleted[#deleted + 1] = id
            elseif serves[lang] then
                local claimed = redis.call('XCLAIM', KEYS[1], ARGV[1], ARGV[2], ARGV[3], id)
                if claimed[1] then
                    local job = false
                    for k = 1, #claimed[1][2], 2 do
                        if claimed[1][2][k] == 'job' then job = claimed[1][2][k + 1] end
                    end
                    local ok, decoded = pcall(cjson.decode, job or '')
                    if ok and type(decoded) == 'table' and decoded.submission_id then
                        took(decoded.submission_id, ARGV[2])
                    end
                    taken[#taken + 1] = {id, job}
                    if #taken >= tonumber(ARGV[5]) then
                        full = true
                        break
                    end
                end
            end
        end
        -- Go on after the last one looked at, unless the scan reached the end.
        local cursor = '0-0'
        if last and (full or #pending >= tonumber(ARGV[6])) then cursor = last end
        return {cursor, taken, deleted}
    "#;
    static CLAIM: LazyLock<redis::Script> =
        LazyLock::new(|| redis::Script::new(&with_enqueue(SCRIPT)));
    let mut invocation = CLAIM.key(keys::JOB_STREAM);
    invocation
        .arg(keys::WORKER_GROUP)
        .arg(consumer)
        .arg(min_idle_ms)
        .arg(cursor)
        .arg(count.max(1))
        .arg(CLAIM_SCAN);
    for language in languages {
        invocation.arg(language);
    }
    type Reply = (String, Vec<(String, Option<String>)>, Vec<String>);
    let (cursor, taken, deleted): Reply = invocation.invoke_async(conn).await?;
    Ok(Claimed {
        taken: taken
            .into_iter()
            .map(|(entry_id, job)| Taken {
                entry_id,
                job,
                source: "claimed".to_string(),
            })
            .collect(),
        deleted,
        cursor,
    })
}

/// Moves jobs left in the layout of earlier versions (per tier a ring
/// *list* and per user a list of ids, no languages) into the lanes of
/// their submissions' languages, keeping each tier's ring order and each
/// user's order; returns how many moved. Workers call it when they
/// connect: after an upgrade the first one moves them, and later calls
/// cost two `TYPE`s.
pub async fn adopt_legacy<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<u64> {
    const BODY: &str = r#"
        local moved = 0
        for _, tier in ipairs({'live', 'rejudge'}) do
            local ring = P .. tier .. ':ring'
            if redis.call('TYPE', ring).ok == 'list' then
                for _, user in ipairs(redis.call('LRANGE', ring, 0, -1)) do
                    local list = P .. tier .. ':user:' .. user
                    if redis.call('TYPE', list).ok == 'list' then
                        for _, id in ipairs(redis.call('LRANGE', list, 0, -1)) do
                            local record = redis.call('HGET', KEYS[1] .. id, 'record')
                            local lang = record and cjson.decode(record).language
                            -- Counted already: enqueue_job counts it again.
                            redis.call('HINCRBY', KEYS[2], tier, -1)
                            enqueue_job(tier, user, id, lang)
                            moved = moved + 1
                        end
                        redis.call('DEL', list)
                    end
                end
                redis.call('DEL', ring)
            end
        end
        return moved
    "#;
    static SCRIPT: LazyLock<redis::Script> =
        LazyLock::new(|| redis::Script::new(&with_enqueue(BODY)));
    SCRIPT
        .key(keys::submission(""))
        .key(keys::QUEUE_COUNTS)
        .invoke_async(conn)
        .await
}

/// Blocks until a job in one of `languages` (or [`ANY_LANGUAGE`]) may have
/// been enqueued or put back (a wake-up token of its language), or for
/// `timeout_secs`, whichever comes first. Needs a connection without a
/// reply timeout ([`crate::store::dedicated`]).
pub async fn wait_for_work<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    languages: &[String],
    timeout_secs: f64,
) -> redis::RedisResult<()> {
    let mut cmd = redis::cmd("BLPOP");
    cmd.arg(keys::queue_wake(ANY_LANGUAGE));
    for language in languages.iter().filter(|l| *l != ANY_LANGUAGE) {
        cmd.arg(keys::queue_wake(language));
    }
    cmd.arg(timeout_secs)
        .query_async::<redis::Value>(conn)
        .await
        .map(|_| ())
}

/// The queue positions of waiting submissions, each given as (user id,
/// submission id): how many jobs will be taken before it (see the module
/// doc). `None` for one that is not waiting in either tier (being taken,
/// taken, or put back, which is next anyway).
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
        local counts = redis.call('HMGET', KEYS[2], 'live', 'requeued')
        local live_total = tonumber(counts[1] or 0)
        front = front + math.max(tonumber(counts[2] or 0), 0)
        local rings = {}
        local function ring_of(tier)
            if not rings[tier] then
                local users = redis.call('ZRANGE', P .. tier .. ':turns', 0, -1)
                local lens = {}
                for k, user in ipairs(users) do
                    lens[k] = redis.call('ZCARD', P .. tier .. ':jobs:' .. user)
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
                local i = redis.call('ZRANK', P .. tier .. ':jobs:' .. user, id)
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

/// The jobs waiting in each tier and put back, and the stream's length and
/// its pending count, read at one moment (one script).
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
        local counts = redis.call('HMGET', KEYS[2], 'live', 'rejudge', 'requeued')
        return {len, pending, tonumber(counts[1] or 0), tonumber(counts[2] or 0),
            tonumber(counts[3] or 0)}
        "#,
        )
    });
    let (len, in_flight, live, rejudge, put_back): (u64, u64, i64, i64, i64) = SCRIPT
        .key(keys::JOB_STREAM)
        .key(keys::QUEUE_COUNTS)
        .arg(keys::WORKER_GROUP)
        .invoke_async(conn)
        .await?;
    Ok((
        Waiting {
            // Put back: in the lists of their languages, or (an older
            // worker's) in the stream, not delivered yet.
            requeued: len.saturating_sub(in_flight) + put_back.max(0) as u64,
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
