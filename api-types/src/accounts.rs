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

/// The 201 answer to `POST /api/auth/tokens` (`judge login`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenCreated {
    /// Shown once; the judge keeps only its hash.
    pub token: String,
    pub user_id: String,
}
