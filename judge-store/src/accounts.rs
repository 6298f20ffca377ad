//! Accounts: users who sign in with a name and a password, their browser
//! sessions, the sign-in back-off, and the admin's sign-up switch.
//!
//! * Passwords are hashed with argon2id (the crate's default parameters, a
//!   random salt per user) and stored as PHC strings in [`keys::account`].
//!   Verification of an unknown user runs against a dummy hash of the same
//!   cost, so "no such user" and "wrong password" take the same time.
//! * A session id is 32 random bytes (256 bits) in hex, the value of the
//!   browser's cookie; only its SHA-256 is stored ([`keys::session`]), with
//!   an expiry and a CSRF token of its own. A session's admin right is read
//!   from the account at each request, so making a user admin (or not)
//!   applies to sessions at once.
//! * Back-off: after [`ACCOUNT_FREE_FAILURES`] failed sign-ins of an account
//!   (or [`ADDRESS_FREE_FAILURES`] from one client address), each further
//!   attempt must wait 1 s, 2 s, 4 s ... (at most [`MAX_BACKOFF_SECS`]) after
//!   the last failure; failures are forgotten [`FAILURE_MEMORY_SECS`] after
//!   the last one, and an account's on a successful sign-in.
//! * One client address makes at most [`SIGNUPS_PER_ADDRESS`] accounts an
//!   hour (each costs a hash, and accounts are what the back-off counts by).
//!
//! Bearer tokens (the CLI's `judge login`) are [`crate::tokens`]; an
//! account's password is what gets one, and the account's admin flag is
//! what each of them is worth at each use.

use std::sync::OnceLock;

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use redis::aio::ConnectionLike;
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

use crate::auth::random_hex;
use crate::keys;
use crate::tokens::{token_hash, TokenInfo};
use submission::now_ms;

/// The shortest password accepted at sign-up.
pub const MIN_PASSWORD_CHARS: usize = 8;
/// The longest: hashing is costly, and a megabyte password costs more.
pub const MAX_PASSWORD_BYTES: usize = 1024;
/// How long a browser session lasts.
pub const SESSION_TTL_SECS: u64 = 30 * 24 * 3600;
/// Failed sign-ins of one account before the back-off starts.
pub const ACCOUNT_FREE_FAILURES: u64 = 5;
/// Failed sign-ins from one client address (any accounts) before it starts.
pub const ADDRESS_FREE_FAILURES: u64 = 20;
/// The longest wait the back-off imposes.
pub const MAX_BACKOFF_SECS: u64 = 15 * 60;
/// How long failures are remembered after the last one.
pub const FAILURE_MEMORY_SECS: u64 = 3600;
/// Accounts one client address may make per [`SIGNUP_WINDOW_SECS`].
pub const SIGNUPS_PER_ADDRESS: u64 = 20;
pub const SIGNUP_WINDOW_SECS: u64 = 3600;
/// User ids no one may sign up as: the admin token's, package checks',
/// anonymous runs' and validator checks'.
pub const RESERVED_USER_IDS: &[&str] = &["admin", "verify", "anonymous", "admin-import"];

#[derive(Debug, thiserror::Error)]
pub enum AccountError {
    #[error("the password must be at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password must be at most {MAX_PASSWORD_BYTES} bytes")]
    PasswordTooLong,
    #[error("cannot hash the password: {0}")]
    Hash(String),
}

/// Checks a new password's length (characters, not bytes, for the minimum).
pub fn check_new_password(password: &str) -> Result<(), AccountError> {
    if password.len() > MAX_PASSWORD_BYTES {
        return Err(AccountError::PasswordTooLong);
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AccountError::PasswordTooShort);
    }
    Ok(())
}

/// The PHC string of `password` with a new random salt. CPU-heavy (tens of
/// milliseconds on purpose): call it off the async threads.
pub fn hash_password(password: &str) -> Result<String, AccountError> {
    Argon2::default()
        .hash_password(password.as_bytes())
        .map(|h| h.to_string())
        .map_err(|e| AccountError::Hash(e.to_string()))
}

/// A hash nobody's password matches, computed once, verified against when
/// the user is unknown so that the answer takes as long as for a wrong password.
fn dummy_hash() -> &'static str {
    static DUMMY: OnceLock<String> = OnceLock::new();
    DUMMY.get_or_init(|| {
        let secret = random_hex(32).unwrap_or_else(|_| "dummy".repeat(8));
        hash_password(&secret).expect("argon2 hashes a fixed-size password")
    })
}

/// Makes the dummy hash ahead of the first unknown user (a service calls
/// it at start, off its async threads).
pub fn warm_up() {
    dummy_hash();
}

/// Does `password` match `stored` (a PHC string)? With `None` (no such
/// user) it does the same work against a dummy hash and returns false.
/// CPU-heavy: call it off the async threads.
pub fn verify_password(stored: Option<&str>, password: &str) -> bool {
    let known = stored.is_some();
    let phc = stored.unwrap_or_else(|| dummy_hash());
    let matches = match PasswordHash::new(phc) {
        Ok(parsed) => Argon2::default()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    };
    known && matches
}

/// What sign-in needs of an account.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Account {
    pub user_id: String,
    pub password_hash: String,
    pub admin: bool,
}

/// Creates an account unless the name is taken (by an account, or by a
/// token-only user an admin gave a right: see [`set_admin`]); returns
/// whether it was created.
pub async fn create_account<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    password_hash: &str,
    admin: bool,
) -> redis::RedisResult<bool> {
    const CREATE: &str = r#"
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], 'password', ARGV[1], 'admin', ARGV[2], 'created_at_ms', ARGV[3])
return 1
"#;
    let created: i64 = redis::cmd("EVAL")
        .arg(CREATE)
        .arg(1)
        .arg(keys::account(user_id))
        .arg(password_hash)
        .arg(if admin { "1" } else { "0" })
        .arg(now_ms())
        .query_async(conn)
        .await?;
    Ok(created == 1)
}

pub async fn load_account<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
) -> redis::RedisResult<Option<Account>> {
    let (password, admin): (Option<String>, Option<String>) = redis::cmd("HMGET")
        .arg(keys::account(user_id))
        .arg("password")
        .arg("admin")
        .query_async(conn)
        .await?;
    Ok(password.map(|password_hash| Account {
        user_id: user_id.to_string(),
        password_hash,
        admin: admin.as_deref() == Some("1"),
    }))
}

/// Makes a user admin (or not), for their sessions and every token of
/// theirs at once; false when there is no such user: no account and no
/// token. A token-only user (made by `POST /api/admin/users`) gets an
/// account record without a password, which also keeps the name from
/// being signed up by someone else.
pub async fn set_admin<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    admin: bool,
) -> redis::RedisResult<bool> {
    let key = keys::account(user_id);
    let exists: bool = conn.exists(&key).await?;
    if !exists && !crate::tokens::has_tokens(conn, user_id).await? {
        return Ok(false);
    }
    redis::pipe()
        .atomic()
        .hset_nx(&key, "created_at_ms", now_ms())
        .ignore()
        .hset(&key, "admin", if admin { "1" } else { "0" })
        .ignore()
        .query_async::<()>(conn)
        .await?;
    Ok(true)
}

/// A new browser session: its id (the cookie's value) and its CSRF token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewSession {
    pub id: String,
    pub csrf_token: String,
}

#[derive(Serialize, Deserialize)]
struct StoredSession {
    user_id: String,
    csrf_token: String,
}

/// A session found by its id: who it is (admin read from the account now)
/// and the CSRF token its state-changing requests must carry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Session {
    pub info: TokenInfo,
    pub csrf_token: String,
}

pub async fn create_session<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
) -> redis::RedisResult<NewSession> {
    let random = || {
        random_hex(32).map_err(|e| {
            redis::RedisError::from((redis::ErrorKind::Io, "no randomness", e.to_string()))
        })
    };
    let session = NewSession {
        id: random()?,
        csrf_token: random()?,
    };
    let stored = serde_json::to_string(&StoredSession {
        user_id: user_id.to_string(),
        csrf_token: session.csrf_token.clone(),
    })
    .expect("a session serializes");
    let _: () = conn
        .set_ex(
            keys::session(&token_hash(&session.id)),
            stored,
            SESSION_TTL_SECS,
        )
        .await?;
    Ok(session)
}

/// The live session `id` stands for, if any (an account deleted since ends it).
pub async fn lookup_session<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<Option<Session>> {
    let json: Option<String> = conn.get(keys::session(&token_hash(id))).await?;
    let Some(stored) = json.and_then(|j| serde_json::from_str::<StoredSession>(&j).ok()) else {
        return Ok(None);
    };
    let admin: Option<String> = conn.hget(keys::account(&stored.user_id), "admin").await?;
    Ok(admin.map(|admin| Session {
        info: TokenInfo {
            user_id: stored.user_id,
            admin: admin == "1",
        },
        csrf_token: stored.csrf_token,
    }))
}

pub async fn delete_session<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
) -> redis::RedisResult<()> {
    conn.del(keys::session(&token_hash(id))).await
}

/// Revokes a bearer token (`judge logout`); false when it was not known.
pub async fn revoke_token<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
) -> redis::RedisResult<bool> {
    crate::tokens::revoke(conn, token).await
}

/// Whether sign-up is open; `default` when no admin has set it.
pub async fn signup_open<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    default: bool,
) -> redis::RedisResult<bool> {
    let value: Option<String> = conn.hget(keys::SETTINGS, "signup_open").await?;
    Ok(value.map_or(default, |v| v == "1"))
}

pub async fn set_signup_open<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    open: bool,
) -> redis::RedisResult<()> {
    conn.hset(keys::SETTINGS, "signup_open", if open { "1" } else { "0" })
        .await
}

/// Who a sign-in attempt is counted against: the account and the client address.
#[derive(Clone, Debug)]
pub struct Attempt<'a> {
    pub user_id: &'a str,
    pub address: &'a str,
}

impl Attempt<'_> {
    fn keys(&self) -> [(String, u64); 2] {
        [
            (
                keys::signin_failures("account", self.user_id),
                ACCOUNT_FREE_FAILURES,
            ),
            (
                keys::signin_failures("addr", self.address),
                ADDRESS_FREE_FAILURES,
            ),
        ]
    }
}

/// The wait after `failures` failures with `free` of them allowed, in ms.
pub fn backoff_ms(failures: u64, free: u64) -> u64 {
    if failures < free {
        return 0;
    }
    let doublings = (failures - free).min(20) as u32;
    (1000u64 << doublings).min(MAX_BACKOFF_SECS * 1000)
}

/// Seconds to wait before this attempt may be tried (rounded up), or `None`
/// when it may be tried now.
pub async fn backoff_remaining<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    attempt: &Attempt<'_>,
    now: u64,
) -> redis::RedisResult<Option<u64>> {
    let mut longest = 0u64;
    for (key, free) in attempt.keys() {
        let (count, last): (Option<u64>, Option<u64>) = redis::cmd("HMGET")
            .arg(&key)
            .arg("count")
            .arg("last_ms")
            .query_async(conn)
            .await?;
        let until = last.unwrap_or(0) + backoff_ms(count.unwrap_or(0), free);
        longest = longest.max(until.saturating_sub(now));
    }
    Ok((longest > 0).then(|| longest.div_ceil(1000)))
}

/// Counts a failed sign-in against the account and the address.
pub async fn record_failure<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    attempt: &Attempt<'_>,
    now: u64,
) -> redis::RedisResult<()> {
    let mut pipe = redis::pipe();
    for (key, _) in attempt.keys() {
        pipe.hincr(&key, "count", 1)
            .ignore()
            .hset(&key, "last_ms", now)
            .ignore()
            .expire(&key, FAILURE_MEMORY_SECS as i64)
            .ignore();
    }
    pipe.query_async(conn).await
}

/// Counts a sign-up from `address`; `Some(seconds)` to wait when the
/// address has made [`SIGNUPS_PER_ADDRESS`] accounts in this window.
pub async fn count_signup<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    address: &str,
) -> redis::RedisResult<Option<u64>> {
    let key = keys::signups(address);
    // SET NX EX starts the window (INCR keeps the TTL); Redis 6.2 has no EXPIRE NX.
    let (count, ttl): (u64, i64) = redis::pipe()
        .atomic()
        .cmd("SET")
        .arg(&key)
        .arg(0)
        .arg("EX")
        .arg(SIGNUP_WINDOW_SECS)
        .arg("NX")
        .ignore()
        .incr(&key, 1)
        .ttl(&key)
        .query_async(conn)
        .await?;
    Ok((count > SIGNUPS_PER_ADDRESS).then(|| ttl.max(1) as u64))
}

/// Forgets an account's failures after a successful sign-in (not the
/// address's: one good password must not reset a guesser's address).
pub async fn clear_failures<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
) -> redis::RedisResult<()> {
    conn.del(keys::signin_failures("account", user_id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_hash_with_their_own_salt_and_verify() {
        let a = hash_password("correct horse").unwrap();
        let b = hash_password("correct horse").unwrap();
        assert!(a.starts_with("$argon2id$"), "{a}");
        assert_ne!(a, b, "a salt per hash");
        assert!(verify_password(Some(&a), "correct horse"));
        assert!(!verify_password(Some(&a), "wrong horse"));
        assert!(!verify_password(None, "correct horse"));
        assert!(!verify_password(Some("not a phc string"), "x"));
    }

    #[test]
    fn password_rules() {
        assert!(matches!(
            check_new_password("short"),
            Err(AccountError::PasswordTooShort)
        ));
        assert!(check_new_password("eight ch").is_ok());
        assert!(matches!(
            check_new_password(&"x".repeat(MAX_PASSWORD_BYTES + 1)),
            Err(AccountError::PasswordTooLong)
        ));
    }

    #[test]
    fn backoff_doubles_after_the_free_failures_and_is_capped() {
        assert_eq!(backoff_ms(4, 5), 0);
        assert_eq!(backoff_ms(5, 5), 1000);
        assert_eq!(backoff_ms(6, 5), 2000);
        assert_eq!(backoff_ms(8, 5), 8000);
        assert_eq!(backoff_ms(100, 5), MAX_BACKOFF_SECS * 1000);
    }
}
