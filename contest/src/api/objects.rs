//! The configuration objects: languages, problems, groups, organizations,
//! teams, accounts. A contest package stores the same objects, so the
//! package loader reads these types too.

use serde::{Deserialize, Serialize};

use crate::api::common::{Command, FileRef, Location};
use crate::ids::{GroupId, LanguageId, OrganizationId, ProblemId, TeamId};

pub use crate::judgement::JudgementType;

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Language {
    pub id: LanguageId,
    pub name: String,
    /// Whether submissions must name an entry point (Java's main class, ...).
    #[serde(default)]
    pub entry_point_required: bool,
    /// Always written, `null` when no entry point is required: the schema's
    /// `oneOf` (whose branches repeat a `properties` key, so the first one is
    /// lost) matches twice when the property is absent, once when it is null.
    #[serde(default)]
    pub entry_point_name: Option<String>,
    #[serde(default)]
    pub extensions: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compiler: Option<Command>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub runner: Option<Command>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Problem {
    pub id: ProblemId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uuid: Option<String>,
    /// What the scoreboard shows (`A`, `B`, ...).
    pub label: String,
    pub name: String,
    /// Position in the problem set; the scoreboard's column order.
    pub ordinal: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// `#rgb` or `#rrggbb`, no alpha.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rgb: Option<String>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit: Option<f64>,
    /// Bytes (2026-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub memory_limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub output_limit: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code_limit: Option<u64>,
    #[serde(default)]
    pub test_data_count: u32,
    /// Score contests: the most a team can get on this problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub package: Option<Vec<FileRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub statement: Option<Vec<FileRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attachments: Option<Vec<FileRef>>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Group {
    pub id: GroupId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icpc_id: Option<String>,
    pub name: String,
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub group_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Organization {
    pub id: OrganizationId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icpc_id: Option<String>,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal_name: Option<String>,
    /// ISO 3166-1 alpha-3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_subdivision: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub twitter_hashtag: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub logo: Option<Vec<FileRef>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_flag: Option<Vec<FileRef>>,
}

/// A team's seat on the contest floor.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct TeamLocation {
    pub x: f64,
    pub y: f64,
    pub rotation: f64,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Team {
    pub id: TeamId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub icpc_id: Option<String>,
    pub name: String,
    /// Required by the 2026-01 schema (the seat or team number people use).
    /// A package may leave it out: the loader then uses the id.
    #[serde(default)]
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<OrganizationId>,
    #[serde(default)]
    pub group_ids: Vec<GroupId>,
    /// Hidden teams are left off public scoreboards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hidden: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<TeamLocation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub photo: Option<Vec<FileRef>>,
}

/// The kind of an account.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccountType {
    Team,
    Judge,
    Admin,
    Analyst,
    Staff,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Account {
    pub id: String,
    pub username: String,
    /// Only in packages and admin views; never serve it publicly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Required by the schema (nullable).
    #[serde(rename = "type")]
    pub account_type: Option<AccountType>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ip: Option<String>,
    /// Required when the type is `team`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<TeamId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub person_id: Option<String>,
}
