//! Redis key and channel names. Every service builds keys through these
//! functions, never by formatting strings of its own.

/// The job stream every worker reads through one consumer group: the jobs
/// taken (in flight, in the group's PEL) and, in front of the fair queue,
/// jobs a worker put back after an engine failure (see [`crate::queue`]).
pub const JOB_STREAM: &str = "judge:jobs";
/// The consumer group of the workers on [`JOB_STREAM`].
pub const WORKER_GROUP: &str = "judge:workers";
/// Hash: problem id -> JSON [`problem_package::problem::ProblemSummary`] of the current version.
pub const PROBLEMS: &str = "judge:problems";

/// Hash: problem id -> the largest source (bytes, `limits.code`) a
/// submission to it may carry: its current version's, raised by a draft's
/// until the next import or publish. The API's body limit follows the
/// largest value (see `crate::store::largest_code_limit`).
pub const CODE_LIMITS: &str = "judge:problems:code-bytes";
/// Hash of judge-wide counters (see [`crate::stats`]).
pub const STATS: &str = "judge:stats";
/// Hash: worker consumer name -> JSON heartbeat (`engine_up`, `docker_host`,
/// `outages`, `at_ms`), written every second by each worker (see
/// [`crate::stats::WorkerHealth`]); `/metrics` reads it.
pub const WORKER_HEALTH: &str = "judge:worker-health";
/// Hash: language id -> JSON [`crate::languages::EnableRequest`], an
/// admin's request to enable a language whose sandbox image is not built.
pub const LANGUAGE_REQUESTS: &str = "judge:language-requests";
/// Prefix of every key of the fair queue (see [`crate::queue`]). Its Lua
/// scripts build the per-tier, per-user and per-language key names from
/// it, the same way as the functions below do (a test holds them to it).
pub const QUEUE_PREFIX: &str = "judge:queue:";
/// Hash: tier name -> number of jobs waiting in that tier's user queues;
/// `requeued` -> number of jobs put back (in the [`queue_put_back`] lists).
pub const QUEUE_COUNTS: &str = "judge:queue:counts";
/// Counter: the sequence numbers of enqueued jobs and the turns of users.
pub const QUEUE_SEQ: &str = "judge:queue:seq";

/// List of wake-up tokens of one language: one pushed per job enqueued in
/// it (capped), popped by an idle worker serving it, blocked on the lists
/// of its languages. A hint only: workers also poll.
pub fn queue_wake(language: &str) -> String {
    format!("{QUEUE_PREFIX}wake:{language}")
}

/// Sorted set: the ring of users with jobs waiting in `tier`, scored by
/// their turn (the lowest is served first).
pub fn queue_turns(tier: &str) -> String {
    format!("{QUEUE_PREFIX}{tier}:turns")
}

/// Sorted set: the users of [`queue_turns`] with a job in `language`
/// waiting in `tier`, with the same scores.
pub fn queue_lane(tier: &str, language: &str) -> String {
    format!("{QUEUE_PREFIX}{tier}:lane:{language}")
}

/// Sorted set: submission ids of `user_id` waiting in `tier`, scored by
/// their sequence number (oldest first).
pub fn user_queue(tier: &str, user_id: &str) -> String {
    format!("{QUEUE_PREFIX}{tier}:jobs:{user_id}")
}

/// Sorted set: the jobs of [`user_queue`] in `language` (user ids hold no
/// `:`, so the names do not collide).
pub fn user_lane(tier: &str, user_id: &str, language: &str) -> String {
    format!("{QUEUE_PREFIX}{tier}:jobs:{user_id}:{language}")
}

/// Hash: language -> number of `user_id`'s jobs waiting in `tier` in it.
pub fn user_languages(tier: &str, user_id: &str) -> String {
    format!("{QUEUE_PREFIX}{tier}:langs:{user_id}")
}

/// List: submission ids in `language` put back after an engine failure,
/// served before both tiers.
pub fn queue_put_back(language: &str) -> String {
    format!("{QUEUE_PREFIX}requeued:{language}")
}

/// Pattern a gateway subscribes to once to see every submission's events.
pub const EVENTS_PATTERN: &str = "judge:events:*";

/// Hash with the fields [`FIELD_RECORD`], [`FIELD_STATE`] and [`FIELD_ATTEMPTS`].
pub fn submission(id: &str) -> String {
    format!("judge:sub:{id}")
}
/// Immutable JSON [`submission::SubmissionRecord`], written once by the API.
pub const FIELD_RECORD: &str = "record";
/// JSON [`submission::SubmissionState`], replaced on every state change.
pub const FIELD_STATE: &str = "state";
/// Present only for a custom run: the stdin the program is run on.
pub const FIELD_RUN_INPUT: &str = "run_input";
/// How many times a worker has started judging this submission.
pub const FIELD_ATTEMPTS: &str = "attempts";
/// The consumer name of the worker that took the job last (by
/// `crate::queue::take` or a takeover): the one judging it or that judged it.
pub const FIELD_WORKER: &str = "worker";
/// Present once the submission is cancelled (`crate::cancel`), with the
/// time in ms: what a worker judging it polls for.
pub const FIELD_CANCELLED: &str = "cancelled";

/// Sorted set of a user's submission ids, scored by creation time (ms).
pub fn user_submissions(user_id: &str) -> String {
    format!("judge:user:{user_id}:subs")
}

/// Hash: submission id -> JSON [`crate::best::Best`], the latest final result
/// of each of a user's submissions to one problem (see [`crate::best`]).
pub fn user_problem_results(user_id: &str, problem_id: &str) -> String {
    format!("judge:user:{user_id}:results:{problem_id}")
}

/// Hash: problem id -> JSON [`crate::best::Best`], a user's best result per
/// problem, recomputed from [`user_problem_results`] with each final state.
pub fn user_bests(user_id: &str) -> String {
    format!("judge:user:{user_id}:best")
}

/// Pub/sub channel of one submission's events.
pub fn events(submission_id: &str) -> String {
    format!("judge:events:{submission_id}")
}

/// String: the tar of a problem package, addressed by its content hash. A
/// draft's new package expires unless published (see
/// [`crate::store::DRAFT_TTL_SECS`]); every other is kept.
pub fn package(version: &str) -> String {
    format!("judge:pkg:{version}")
}

/// Hash: statement file name -> bytes, the statement's served files taken out
/// of the package of `version` (see [`problem_package::statement`]); a cache the API
/// fills on first use and lets expire.
pub fn statement_assets(version: &str) -> String {
    format!("judge:pkg:{version}:statement")
}

/// Hash: problem id -> JSON full [`problem_package::problem::ProblemSummary`] of each stored version,
/// keyed by version, so old submissions can still be shown and judged.
pub fn problem_versions(problem_id: &str) -> String {
    format!("judge:problem:{problem_id}:versions")
}

/// Set of a problem's draft versions: stored (package and summary in
/// [`problem_versions`]) but not current, so users neither see nor submit to
/// them; an admin judges against one (`problem_version` in a submission) and
/// publishes it. See [`crate::store::store_draft`].
pub fn problem_drafts(problem_id: &str) -> String {
    format!("judge:problem:{problem_id}:drafts")
}

/// The user id that an admin's submissions against a given problem version
/// (`judge problem verify`) are stored under, so no person's history holds them.
pub const VERIFY_USER_ID: &str = "verify";

/// Sorted set: id of a package check (a [`VERIFY_USER_ID`] submission) ->
/// when its client last showed interest (ms); the API cancels those not
/// seen for the lease (see [`crate::lease`]).
pub const CHECK_LEASES: &str = "judge:checks:leases";

/// Sorted set of a problem's submission ids, scored by creation time (ms);
/// written by [`crate::store::create_submission`], read by the admin rejudge.
pub fn problem_submissions(problem_id: &str) -> String {
    format!("judge:problem:{problem_id}:subs")
}

/// String: JSON [`crate::tokens::StoredToken`] of one access token (its
/// user, id, creation and expiry; a TTL when it expires), keyed by the hex
/// SHA-256 of the token (the token itself is never stored).
pub fn token(token_sha256_hex: &str) -> String {
    format!("judge:token:{token_sha256_hex}")
}

/// Hash: a user's tokens, token id ([`crate::tokens::token_id`]) -> the
/// token's hex SHA-256, so the owner can list and revoke them; entries of
/// tokens that expired are dropped when listed.
pub fn user_tokens(user_id: &str) -> String {
    format!("judge:user:{user_id}:tokens")
}

/// Counter of a user's submissions in one minute, for the rate limit.
pub fn rate(user_id: &str, minute: u64) -> String {
    format!("judge:rate:{user_id}:{minute}")
}

/// Hash: a user's account (see [`crate::accounts`]): `password` (an argon2
/// PHC string with its own salt), `admin` (`0`/`1`), `created_at_ms`.
pub fn account(user_id: &str) -> String {
    format!("judge:account:{user_id}")
}

/// String with a TTL: JSON session (user id, CSRF token) of a browser
/// sign-in, keyed by the hex SHA-256 of the session id (the id itself, the
/// cookie's value, is never stored).
pub fn session(session_sha256_hex: &str) -> String {
    format!("judge:session:{session_sha256_hex}")
}

/// Hash: settings an admin changes at run time (`signup_open`: `0`/`1`).
pub const SETTINGS: &str = "judge:settings";

/// Hash with a TTL: failed sign-ins of one account or one client address
/// (`count`, `last_ms`), for the back-off. `kind` is `account` or `addr`.
pub fn signin_failures(kind: &str, who: &str) -> String {
    format!("judge:signin-fail:{kind}:{who}")
}

/// Counter with a TTL: accounts made from one client address in the
/// current window (see [`crate::accounts::SIGNUPS_PER_ADDRESS`]).
pub fn signups(address: &str) -> String {
    format!("judge:signups:{address}")
}

/// Set of every contest's id (see [`crate::contest`]).
pub const CONTESTS: &str = "judge:contests";

/// Stream: a contest's log, the source of truth of the contest. Each entry
/// is a Contest API event with the fields `type`, `id` and `data` (the
/// object's JSON, empty for a delete); the entry id is the event feed's
/// token. See [`crate::contest::log`].
pub fn contest_log(contest_id: &str) -> String {
    format!("judge:contest:{contest_id}:log")
}

/// Hash: `type/id` -> JSON of the current object of each (type, id) of a
/// contest's log, written in the same atomic step as the log entry.
pub fn contest_snapshot(contest_id: &str) -> String {
    format!("judge:contest:{contest_id}:objects")
}

/// Hash: user id -> team id of a contest's participants.
pub fn contest_members(contest_id: &str) -> String {
    format!("judge:contest:{contest_id}:members")
}

/// Hash: contest id -> start time (ms, `-1` while unknown) of the contests
/// a problem belongs to; [`PROBLEMS_HIDDEN_UNTIL`] is derived from it.
pub fn problem_contests(problem_id: &str) -> String {
    format!("judge:problem:{problem_id}:contests")
}

/// Hash: problem id -> time (ms) before which non-admins may not see the
/// problem: the earliest start of its contests (`i64::MAX` while a contest
/// of it has no start time). Problems of no contest are not in it.
pub const PROBLEMS_HIDDEN_UNTIL: &str = "judge:problems:hidden-until";

/// User ids appear in keys, paths and URLs: 1-64 of `A-Z a-z 0-9 _ . -`.
pub fn is_valid_user_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}
