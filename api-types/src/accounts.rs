//! Accounts: sign-up, sign-in, the session, tokens for the CLI.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The body of sign-up, sign-in and `POST /api/auth/tokens`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Credentials {
    pub password: String,
    pub username: String,
}

/// A new session (sign-up 201, sign-in 200); its id is in the
/// `judge_session` cookie (HttpOnly, SameSite=Strict).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SessionStarted {
    pub admin: bool,
    /// Send it as `X-CSRF-Token` on every POST, PUT and DELETE made with the cookie.
    pub csrf_token: String,
    pub user_id: String,
}

/// `GET /api/auth/session`: `{"signed_in": false}`, or the session's user.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SessionInfo {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub csrf_token: Option<String>,
    pub signed_in: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// The body of `POST /api/auth/tokens` (`judge login`): credentials and,
/// optionally, how long the token lives.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Seconds until the token expires (1 to 315360000, ten years);
    /// absent: it lives until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    pub password: String,
    pub username: String,
}

/// The 201 answer to `POST /api/auth/tokens` (`judge login`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    /// When it expires (ms since the epoch); absent when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    /// Its id in `GET /api/auth/tokens`, for `DELETE /api/auth/tokens/{id}`.
    #[serde(default)]
    pub id: String,
    /// Shown once; the judge keeps only its hash.
    pub token: String,
    pub user_id: String,
}

/// One of the caller's tokens in `GET /api/auth/tokens`: never the token
/// itself, only its id (the first 16 hex digits of its SHA-256).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenEntry {
    /// When it was made (ms since the epoch; 0 for tokens made before this was kept).
    pub created_at_ms: u64,
    /// Whether this request was made with it.
    pub current: bool,
    /// When it expires (ms since the epoch); absent when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    pub id: String,
}
