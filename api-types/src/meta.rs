//! What a client reads first: languages, its configuration, who it is;
//! and the health check.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::error::ErrorDetail;

/// One language of `GET /api/languages`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct LanguageInfo {
    /// Whether `scripts/up.sh` builds its image (the default set); any other
    /// is built when an admin enables it.
    #[serde(default)]
    pub default: bool,
    /// The web editor's mode name.
    pub editor_mode: String,
    /// The command that builds its image on a worker host
    /// (`scripts/build-images.sh lua`).
    #[serde(default)]
    pub enable_command: String,
    /// File extensions that select it.
    pub extensions: Vec<String>,
    /// The id submissions name (`cpp`, `python3`, ...).
    pub id: String,
    /// The compiler or interpreter, with its flags.
    pub name: String,
    /// Whether a running worker holds its sandbox image, so submissions in
    /// it are judged; `null` when no running worker has said (none is up).
    #[serde(default)]
    pub ready: Option<bool>,
    /// Whether an admin asked to enable it (`judge admin languages enable`).
    #[serde(default)]
    pub requested: bool,
    /// The time limit is multiplied by this for the language.
    pub time_multiplier: f64,
    /// The compiler's or interpreter's version.
    #[serde(default)]
    pub version: String,
}

/// `POST /api/admin/languages/{id}/enable`: the request is recorded, and
/// this says what builds the image, or that it is ready already.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LanguageEnabled {
    /// The command to run on each worker host (as root, in a clone of the
    /// repository): the API has no Docker access and builds nothing itself.
    pub command: String,
    pub id: String,
    /// The sandbox image (`judge-lang-lua:latest` without the tag).
    pub image: String,
    /// What to do next, in words.
    pub message: String,
    /// As in `GET /api/languages`.
    pub ready: Option<bool>,
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
