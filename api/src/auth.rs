//! Authentication as extractors: a handler names who may call it in its
//! signature ([`Caller`], [`Admin`]) and never reads credentials itself.
//!
//! A request is authenticated by a bearer token (`Authorization: Bearer <t>`,
//! or `?token=`, accepted for symmetry with the gateway), else by a browser
//! session (the `judge_session` cookie, see [`judge_store::accounts`]). A
//! cookie-authenticated POST/PUT/PATCH/DELETE must also carry the session's
//! CSRF token in `X-CSRF-Token` (403 naming it otherwise): the cookie is
//! `SameSite=Strict` already, and the header is what a cross-site form
//! cannot send. Bearer requests need no CSRF token: a browser never adds
//! them by itself. Tokens are 32
//! random bytes in hex; only their SHA-256 is stored: `judge:token:<sha256>`
//! → JSON [`judge_store::tokens::StoredToken`] (user, id, creation, optional
//! expiry); what a token may do is its user's right at each use
//! ([`judge_store::tokens::lookup`]). User tokens are made by an admin
//! (`POST /api/admin/users`) or by signing in (`POST /api/auth/tokens`).
//! The admin token comes from `JUDGE_ADMIN_TOKEN`, or from the file
//! `JUDGE_ADMIN_TOKEN_FILE` (default `.judge/admin-token`), where one is generated on first start; its hash is stored like any other
//! token so the gateway accepts it too. The rules both services share
//! (modes, token parsing, who may see what) are in [`judge_store::auth`].
//!
//! [`AuthMode::Open`] is for local development and tests only: requests
//! without a token are accepted and a submission's user id is taken from its
//! body, so anyone can submit as anyone and read anything. It is insecure.

use std::path::Path;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::Method;
use judge_store::accounts;
use judge_store::auth::{
    self as core_auth, constant_time_eq, AuthMode, ADMIN_USER_ID, SESSION_COOKIE,
};
use judge_store::store;
use judge_store::tokens::{token_hash, TokenInfo};

use crate::error::ApiError;
use crate::state::{timed, AppState};

pub use judge_store::auth::generate_token;

/// The authenticated caller of a request: 401 without credentials (unless
/// `JUDGE_AUTH=open`, where it is [`core_auth::Caller::Anonymous`]) or with
/// unknown ones. Take `Result<Caller, ApiError>` where credentials are optional.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Caller(pub core_auth::Caller);

impl std::ops::Deref for Caller {
    type Target = core_auth::Caller;
    fn deref(&self) -> &core_auth::Caller {
        &self.0
    }
}

/// An admin: 401 without credentials or with unknown ones, 403 for a
/// non-admin; in every `JUDGE_AUTH` mode.
#[derive(Clone, Debug)]
pub struct Admin(pub Caller);

impl Caller {
    /// 403 unless this caller may see what belongs to `owner`.
    pub fn may_see(&self, owner: &str, what: &str) -> Result<(), ApiError> {
        if self.may_access(owner) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!(
                "{what} belongs to another user"
            )))
        }
    }
}

/// The bearer token of a request: `Authorization: Bearer <t>`, else `?token=`.
pub fn bearer_token(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(core_auth::bearer_from_header)
        .or_else(|| parts.uri.query().and_then(core_auth::token_from_query))
}

/// The session id of a request: its `judge_session` cookie.
pub fn session_id(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| core_auth::cookie_value(v, SESSION_COOKIE))
}

/// Does this method change state (and so need a cookie caller's CSRF token)?
fn changes_state(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// 403 unless the request carries `csrf_token` in `X-CSRF-Token`.
pub fn check_csrf(parts: &Parts, csrf_token: &str) -> Result<(), ApiError> {
    let sent = parts
        .headers
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if constant_time_eq(sent.trim().as_bytes(), csrf_token.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::CsrfMissing)
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        if let Some(token) = bearer_token(parts) {
            return by_token(app, &token).await;
        }
        if let Some(id) = session_id(parts) {
            let session = timed(accounts::lookup_session(&mut app.conn().await?, &id)).await?;
            if let Some(session) = session {
                if changes_state(&parts.method) {
                    check_csrf(parts, &session.csrf_token)?;
                }
                return Ok(Caller(core_auth::Caller::Session(session.info)));
            }
            // An expired session is as good as none: open mode goes on
            // anonymously, required mode asks to sign in again.
        }
        match app.config.auth {
            AuthMode::Open => Ok(Caller(core_auth::Caller::Anonymous)),
            AuthMode::Required => Err(ApiError::Unauthorized(
                "sign in, or pass a bearer token (Authorization: Bearer <token>)".into(),
            )),
        }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        if bearer_token(parts).is_none() && session_id(parts).is_none() {
            return Err(ApiError::Unauthorized(
                "an admin bearer token (or an admin's sign-in) is required".into(),
            ));
        }
        let caller = Caller::from_request_parts(parts, app).await?;
        if caller.user_id().is_none() {
            return Err(ApiError::Unauthorized(
                "the session has ended; sign in again".into(),
            ));
        }
        if !caller.is_admin() {
            return Err(ApiError::Forbidden("this needs an admin token".into()));
        }
        Ok(Admin(caller))
    }
}

/// The caller a bearer token stands for; 401 for an unknown one.
async fn by_token(app: &AppState, token: &str) -> Result<Caller, ApiError> {
    if constant_time_eq(token_hash(token).as_bytes(), app.admin_hash.as_bytes()) {
        return Ok(Caller(core_auth::Caller::Token(TokenInfo {
            user_id: ADMIN_USER_ID.into(),
            admin: true,
        })));
    }
    let mut conn = app.conn().await?;
    match timed(store::lookup_token(&mut conn, token)).await? {
        Some(info) => Ok(Caller(core_auth::Caller::Token(info))),
        None => Err(ApiError::Unauthorized(
            "the token is not valid (unknown, revoked or expired)".into(),
        )),
    }
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

    fn parts(uri: &str, authorization: Option<&str>) -> Parts {
        let mut req = axum::http::Request::builder().uri(uri);
        if let Some(a) = authorization {
            req = req.header("authorization", a);
        }
        req.body(()).unwrap().into_parts().0
    }

    #[test]
    fn bearer_and_query_tokens() {
        assert_eq!(
            bearer_token(&parts("/x?a=1&token=xyz", None)),
            Some("xyz".into())
        );
        assert_eq!(
            bearer_token(&parts("/x?token=xyz", Some("Bearer abc"))),
            Some("abc".into())
        );
        assert_eq!(bearer_token(&parts("/x", Some("Basic abc"))), None);
    }

    #[test]
    fn session_cookie_and_csrf_header() {
        let mut p = parts("/x", None);
        assert_eq!(session_id(&p), None);
        p.headers
            .insert("cookie", "a=1; judge_session=abc".parse().unwrap());
        assert_eq!(session_id(&p), Some("abc".into()));
        assert_eq!(
            check_csrf(&p, "t0k").unwrap_err().field(),
            Some("X-CSRF-Token")
        );
        p.headers.insert("x-csrf-token", "t0k".parse().unwrap());
        assert!(check_csrf(&p, "t0k").is_ok());
        assert!(check_csrf(&p, "other").is_err());
        assert!(!changes_state(&Method::GET));
        assert!(!changes_state(&Method::HEAD));
        assert!(changes_state(&Method::POST));
        assert!(changes_state(&Method::PUT));
        assert!(changes_state(&Method::DELETE));
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
