//! The contest-level objects: API information, access, contest and state.

use serde::{Deserialize, Serialize};

use crate::api::common::{FileRef, Location};
use crate::time::{lenient, AbsTime, RelTime};

/// The Contest API version these types implement.
pub const API_VERSION: &str = "2026-01";
/// Where that version's specification lives.
pub const API_VERSION_URL: &str = "https://ccs-specs.icpc.io/2026-01/contest_api";

/// `GET /`: which version of the API this server speaks.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiInfo {
    pub version: String,
    pub version_url: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<Provider>,
}

impl ApiInfo {
    /// The API information for this implementation, naming the provider.
    pub fn new(provider_name: impl Into<String>, provider_version: Option<String>) -> Self {
        ApiInfo {
            version: API_VERSION.into(),
            version_url: API_VERSION_URL.into(),
            provider: Some(Provider {
                name: provider_name.into(),
                version: provider_version,
                logo: None,
            }),
        }
    }
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Vec<FileRef>>,
}

/// What an account may do (`access.capabilities`).
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    ContestStart,
    ContestThaw,
    TeamSubmit,
    PostClar,
    PostComment,
    ProxySubmit,
    ProxyClar,
    AdminSubmit,
    AdminClar,
}

/// `GET contests/{id}/access`: the capabilities and the endpoints (with the
/// properties) the caller can see.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Access {
    pub capabilities: Vec<Capability>,
    pub endpoints: Vec<AccessEndpoint>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessEndpoint {
    /// The endpoint's name, `contest` (singular) for the contest itself.
    #[serde(rename = "type")]
    pub endpoint: String,
    pub properties: Vec<String>,
}

/// The endpoints and properties a CCS must at least expose (Contest API,
/// "Access"), as a starting point for building an [`Access`] answer.
pub const CCS_REQUIRED_ACCESS: &[(&str, &[&str])] = &[
    (
        "contest",
        &[
            "id",
            "name",
            "formal_name",
            "start_time",
            "duration",
            "scoreboard_freeze_duration",
            "penalty_time",
        ],
    ),
    ("judgement-types", &["id", "name", "penalty", "solved"]),
    (
        "languages",
        &["id", "name", "entry_point_required", "extensions"],
    ),
    (
        "problems",
        &["id", "label", "name", "ordinal", "test_data_count"],
    ),
    ("groups", &["id", "name"]),
    ("organizations", &["id", "name"]),
    (
        "teams",
        &["id", "name", "label", "organization_id", "group_ids"],
    ),
    (
        "state",
        &[
            "started",
            "frozen",
            "ended",
            "thawed",
            "finalized",
            "end_of_updates",
        ],
    ),
    (
        "submissions",
        &[
            "id",
            "language_id",
            "problem_id",
            "team_id",
            "time",
            "contest_time",
            "entry_point",
            "files",
        ],
    ),
    (
        "judgements",
        &[
            "id",
            "submission_id",
            "judgement_type_id",
            "start_time",
            "start_contest_time",
            "end_time",
            "end_contest_time",
        ],
    ),
    (
        "runs",
        &[
            "id",
            "judgement_id",
            "ordinal",
            "judgement_type_id",
            "time",
            "contest_time",
        ],
    ),
    ("awards", &["id", "citation", "team_ids"]),
];

impl Access {
    /// The CCS minimum, with the given capabilities.
    pub fn ccs_minimum(capabilities: Vec<Capability>) -> Access {
        Access {
            capabilities,
            endpoints: CCS_REQUIRED_ACCESS
                .iter()
                .map(|(e, props)| AccessEndpoint {
                    endpoint: (*e).into(),
                    properties: props.iter().map(|p| (*p).into()).collect(),
                })
                .collect(),
        }
    }
}

/// `scoreboard_type`: pass-fail (ICPC) or score.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScoreboardType {
    #[default]
    PassFail,
    Score,
}

/// `GET contests/{id}`. Reading is lenient where hand-written packages are
/// (integer `penalty_time` minutes, YAML's base-60 durations); writing
/// always produces the 2026-01 form (RELTIME strings).
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Contest {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal_name: Option<String>,
    /// `null` until a start time is set.
    #[serde(default)]
    pub start_time: Option<AbsTime>,
    /// Set while the countdown is paused (then `start_time` must be null).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub countdown_pause_time: Option<RelTime>,
    #[serde(deserialize_with = "lenient::duration_secs")]
    pub duration: RelTime,
    /// `null` means the scoreboard never freezes.
    #[serde(default, deserialize_with = "lenient::opt_duration_secs")]
    pub scoreboard_freeze_duration: Option<RelTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scoreboard_thaw_time: Option<AbsTime>,
    #[serde(default)]
    pub scoreboard_type: ScoreboardType,
    /// Required for pass-fail, forbidden for score contests (the schema checks both).
    #[serde(
        default,
        deserialize_with = "lenient::penalty_minutes",
        skip_serializing_if = "Option::is_none"
    )]
    pub penalty_time: Option<RelTime>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub banner: Option<Vec<FileRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Vec<FileRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

impl Contest {
    /// When the scoreboard freezes, as contest time: `duration - freeze`.
    pub fn freeze_start(&self) -> Option<RelTime> {
        self.scoreboard_freeze_duration.map(|f| self.duration - f)
    }
    /// The absolute end time, once the start is known.
    pub fn end_time(&self) -> Option<AbsTime> {
        self.start_time.map(|s| s + self.duration)
    }
}

/// `GET contests/{id}/state`: when each phase happened (`null`: not yet).
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct State {
    pub started: Option<AbsTime>,
    pub frozen: Option<AbsTime>,
    pub ended: Option<AbsTime>,
    pub thawed: Option<AbsTime>,
    pub finalized: Option<AbsTime>,
    pub end_of_updates: Option<AbsTime>,
}
