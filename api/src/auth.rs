//! Bearer tokens.
//!
//! A token is 32 random bytes in hex (256 bits). Only its SHA-256 is stored:
//! `judge:token:<sha256 hex>` → JSON `{"user_id": "...", "admin": bool}`
//! ([`judge_core::model::TokenInfo`]). User tokens are made by an admin
//! (`POST /api/admin/users`). The admin token comes from `JUDGE_ADMIN_TOKEN`,
//! or from the file `JUDGE_ADMIN_TOKEN_FILE` (default `.judge/admin-token`),
//! where one is generated on first start; its hash is stored like any other
//! token so the gateway accepts it too.
//!
//! [`AuthMode::Open`] is for local development and tests only: requests
//! without a token are accepted and a submission's user id is taken from its
//! body, so anyone can submit as anyone and read anything. It is insecure.

use std::io::Read;
use std::path::Path;

use axum::http::HeaderMap;
use judge_core::model::{token_hash, TokenInfo};
use judge_core::store;

use crate::{conn, timed, ApiError, AppState};

/// `JUDGE_AUTH`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum AuthMode {
    /// Every submission and every read of a submission needs a bearer token.
    Required,
    /// INSECURE, for local development and tests: no token needed; the
    /// submission's `user_id` comes from the request body.
    Open,
}

/// The user id the admin token acts as.
pub const ADMIN_USER_ID: &str = "admin";

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// No token, accepted because `JUDGE_AUTH=open`.
    Anonymous,
    Token(TokenInfo),
}

impl Caller {
    pub fn is_admin(&self) -> bool {
        matches!(self, Caller::Token(t) if t.admin)
    }

    pub fn user_id(&self) -> Option<&str> {
        match self {
            Caller::Anonymous => None,
            Caller::Token(t) => Some(&t.user_id),
        }
    }

    /// May this caller see what belongs to `owner`? Anonymous callers only
    /// exist in open mode, where everything is readable.
    pub fn may_access(&self, owner: &str) -> bool {
        match self {
            Caller::Anonymous => true,
            Caller::Token(t) => t.admin || t.user_id == owner,
        }
    }
}

/// A new random token: 32 bytes from the kernel's CSPRNG, hex-encoded.
pub fn generate_token() -> std::io::Result<String> {
    let mut bytes = [0u8; 32];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The bearer token of a request: `Authorization: Bearer <t>` (or `?token=`,
/// accepted for symmetry with the gateway).
pub fn bearer_token(headers: &HeaderMap, query: Option<&str>) -> Option<String> {
    if let Some(value) = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    {
        let value = value.trim();
        if let Some((scheme, token)) = value.split_once(' ') {
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() {
                return Some(token.trim().to_string());
            }
        }
    }
    query.and_then(token_from_query)
}

/// `token=...` in a query string.
pub fn token_from_query(query: &str) -> Option<String> {
    query.split('&').find_map(|pair| {
        let (k, v) = pair.split_once('=')?;
        (k == "token" && !v.is_empty()).then(|| v.to_string())
    })
}

/// Resolves the request's caller: 401 without a token (unless the mode is
/// open) or with an unknown one.
pub async fn authenticate(
    app: &AppState,
    headers: &HeaderMap,
    query: Option<&str>,
) -> Result<Caller, ApiError> {
    let Some(token) = bearer_token(headers, query) else {
        return match app.config.auth {
            AuthMode::Open => Ok(Caller::Anonymous),
            AuthMode::Required => Err(ApiError::Unauthorized(
                "a bearer token is required (Authorization: Bearer <token>)".into(),
            )),
        };
    };
    if constant_time_eq(token_hash(&token).as_bytes(), app.admin_hash.as_bytes()) {
        return Ok(Caller::Token(TokenInfo {
            user_id: ADMIN_USER_ID.into(),
            admin: true,
        }));
    }
    let mut conn = conn(&app.pool).await?;
    match timed(store::lookup_token(&mut conn, &token)).await? {
        Some(info) => Ok(Caller::Token(info)),
        None => Err(ApiError::Unauthorized("the token is not valid".into())),
    }
}

/// 401 without a (valid) token, 403 for a non-admin token; in every mode.
pub async fn require_admin(app: &AppState, headers: &HeaderMap) -> Result<Caller, ApiError> {
    let Some(_) = bearer_token(headers, None) else {
        return Err(ApiError::Unauthorized(
            "an admin bearer token is required".into(),
        ));
    };
    let caller = authenticate(app, headers, None).await?;
    if !caller.is_admin() {
        return Err(ApiError::Forbidden("this needs an admin token".into()));
    }
    Ok(caller)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The admin token: `configured` if given, else the one in `file`, else a
/// new one written to `file` (mode 0600). Returns the token and whether it
/// was generated.
pub fn resolve_admin_token(
    configured: Option<&str>,
    file: &Path,
) -> anyhow::Result<(String, bool)> {
    if let Some(t) = configured.map(str::trim).filter(|t| !t.is_empty()) {
        return Ok((t.to_string(), false));
    }
    if let Ok(text) = std::fs::read_to_string(file) {
        let t = text.trim();
        if !t.is_empty() {
            return Ok((t.to_string(), false));
        }
    }
    let token = generate_token()?;
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(file)
        .map_err(|e| anyhow::anyhow!("cannot write the admin token to {}: {e}", file.display()))?;
    writeln!(f, "{token}")?;
    Ok((token, true))
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
    fn bearer_and_query_tokens() {
        let mut h = HeaderMap::new();
        assert_eq!(bearer_token(&h, Some("a=1&token=xyz")), Some("xyz".into()));
        h.insert("authorization", "Bearer abc".parse().unwrap());
        assert_eq!(bearer_token(&h, Some("token=xyz")), Some("abc".into()));
        let mut h = HeaderMap::new();
        h.insert("authorization", "Basic abc".parse().unwrap());
        assert_eq!(bearer_token(&h, None), None);
    }

    #[test]
    fn admin_token_file_is_generated_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("sub/admin-token");
        let (a, generated) = resolve_admin_token(None, &file).unwrap();
        assert!(generated);
        let (b, generated) = resolve_admin_token(None, &file).unwrap();
        assert!(!generated);
        assert_eq!(a, b);
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            resolve_admin_token(Some("given"), &file).unwrap(),
            ("given".into(), false)
        );
    }
}
