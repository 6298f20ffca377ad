//! What a client reads first: languages, its configuration, who it is;
//! and the health check.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ErrorDetail;

/// One language of `GET /api/languages`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LanguageInfo {
    /// The web editor's mode name.
    pub editor_mode: String,
    /// File extensions that select it.
    pub extensions: Vec<String>,
    /// The id submissions name (`cpp`, `python3`, ...).
    pub id: String,
    /// The compiler or interpreter, with its flags.
    pub name: String,
    /// The time limit is multiplied by this for the language.
    pub time_multiplier: f64,
}

/// `GET /api/config`: what the web page needs to know.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClientConfig {
    /// Where the WebSocket gateway listens.
    pub gateway_url: String,
}

/// `GET /api/me`: whom the credentials belong to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    pub admin: bool,
    /// `null` without credentials (open mode only).
    pub user_id: Option<String>,
}

/// `GET /healthz`: 200 `ok` when Redis answers, else 503 `unavailable`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Why Redis did not answer (503 only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDetail>,
    pub status: HealthStatus,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HealthStatus {
    Ok,
    Unavailable,
}
