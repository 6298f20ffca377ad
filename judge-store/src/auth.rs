//! Who is calling: what the API and the WebSocket gateway must agree on.
//!
//! Both services read `JUDGE_AUTH` ([`AuthMode`]), take a bearer token from
//! `Authorization: Bearer <t>` or `?token=<t>`, take a browser's session from
//! the [`SESSION_COOKIE`] cookie, and decide with [`Caller::may_access`]
//! whether a caller may see what belongs to a user. Keeping these rules in one
//! place means the gateway cannot drift from the API (it once had its own
//! copy of each).
//!
//! Tokens are 32 random bytes in hex (256 bits); only their SHA-256 is stored
//! ([`crate::tokens::token_hash`], [`crate::keys::token`]).

use std::io::Read;

use crate::tokens::TokenInfo;

pub use crate::keys::is_valid_user_id;

/// `JUDGE_AUTH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "clap", derive(clap::ValueEnum))]
pub enum AuthMode {
    /// Every submission and every read of a submission needs a bearer token
    /// or a signed-in session.
    Required,
    /// INSECURE, for local development and tests: no token needed; the
    /// submission's `user_id` comes from the request body.
    Open,
}

/// The user id the admin token acts as.
pub const ADMIN_USER_ID: &str = "admin";

/// The name of the browser session cookie (see `crate::accounts`).
pub const SESSION_COOKIE: &str = "judge_session";

/// The message every user id rule violation carries.
pub const USER_ID_RULE: &str = "1-64 characters of A-Z a-z 0-9 _ . -";

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No credentials, accepted because `JUDGE_AUTH=open` (or on a public route).
    Anonymous,
    /// A bearer token (the CLI, scripts, the admin token).
    Token(TokenInfo),
    /// A browser session (cookie); state-changing requests also need its
    /// CSRF token, checked by the API.
    Session(TokenInfo),
}

impl Caller {
    pub fn info(&self) -> Option<&TokenInfo> {
        match self {
            Caller::Anonymous => None,
            Caller::Token(t) | Caller::Session(t) => Some(t),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.info().is_some_and(|t| t.admin)
    }

    pub fn user_id(&self) -> Option<&str> {
        self.info().map(|t| t.user_id.as_str())
    }

    /// May this caller see what belongs to `owner`? Anonymous callers only
    /// reach owner-checked routes in open mode, where everything is readable.
    pub fn may_access(&self, owner: &str) -> bool {
        match self.info() {
            None => true,
            Some(t) => t.admin || t.user_id == owner,
        }
    }
}

/// `n` random bytes from the kernel's CSPRNG, hex-encoded.
pub fn random_hex(n: usize) -> std::io::Result<String> {
    let mut bytes = vec![0u8; n];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(hex::encode(bytes))
}

/// A new random token: 32 bytes (256 bits), hex-encoded.
pub fn generate_token() -> std::io::Result<String> {
    random_hex(32)
}

/// The token of an `Authorization` header value `Bearer <t>`.
pub fn bearer_from_header(value: &str) -> Option<String> {
    let (scheme, token) = value.trim().split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_string())
}

/// `token=...` in a query string.
pub fn token_from_query(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == "token" && !v.is_empty()).then(|| v.to_string())
    })
}

/// The value of cookie `name` in a `Cookie` header value.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k.trim() == name && !v.trim().is_empty()).then(|| v.trim().to_string())
    })
}

/// Compares secrets (hashes) without an early exit on the first difference.
pub fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Submission ids (UUIDs) appear in keys and paths: 1-128 of `A-Z a-z 0-9 -`.
pub fn is_plausible_submission_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_256_bit_hex_and_differ() {
        let a = generate_token().unwrap();
        let b = generate_token().unwrap();
        assert_eq!(a.len(), 64);
        assert!(a.bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(a, b);
    }

    #[test]
    fn bearer_query_and_cookie() {
        assert_eq!(bearer_from_header("Bearer abc"), Some("abc".into()));
        assert_eq!(bearer_from_header(" bearer  abc "), Some("abc".into()));
        assert_eq!(bearer_from_header("Basic abc"), None);
        assert_eq!(bearer_from_header("Bearer "), None);
        assert_eq!(token_from_query("a=1&token=xyz"), Some("xyz".into()));
        assert_eq!(token_from_query("token="), None);
        assert_eq!(
            cookie_value("a=1; judge_session=s3; b=2", SESSION_COOKIE),
            Some("s3".into())
        );
        assert_eq!(cookie_value("judge_session=", SESSION_COOKIE), None);
        assert_eq!(cookie_value("xjudge_session=1", SESSION_COOKIE), None);
    }

    #[test]
    fn access_rules() {
        let user = |admin| TokenInfo {
            user_id: "u".into(),
            admin,
        };
        assert!(Caller::Anonymous.may_access("x"));
        assert!(Caller::Token(user(false)).may_access("u"));
        assert!(!Caller::Session(user(false)).may_access("x"));
        assert!(Caller::Session(user(true)).may_access("x"));
        assert!(constant_time_eq(b"ab", b"ab"));
        assert!(!constant_time_eq(b"ab", b"ac"));
        assert!(is_plausible_submission_id("0190-ab"));
        assert!(!is_plausible_submission_id("../x"));
    }
}
