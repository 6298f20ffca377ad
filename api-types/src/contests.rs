//! Contests: the request and response bodies of `/api/contests` and
//! `/api/admin/contests`, and the event feed's lines. The Contest API
//! (`/api/ccs/`) serves the contest crate's own types ([`contest::api`]),
//! which follow the spec's schemas; [`ScoreboardView`] carries its
//! scoreboard, [`ContestPatch`] its rules.

use std::borrow::Cow;

use contest::api;
/// The Contest API's scoreboard, as [`ScoreboardView`] carries it.
pub use contest::api::{ProblemResult, RowScoreJson, Scoreboard, ScoreboardRow};
use contest::replay::Medals;
use contest::Rules;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::openapi::schema::{Object, ObjectBuilder, OneOfBuilder, Schema, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

/// A field that may be absent (leave it), `null` (clear it) or a value.
fn double_option<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Where a contest is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    /// No start time yet, or before it.
    Scheduled,
    Running,
    Ended,
    /// Results are final (`end_of_updates`).
    Finalized,
}

/// A contest in the list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContestSummary {
    pub id: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub formal_name: Option<String>,
    /// ISO 8601; `null` while unknown.
    pub start_time: Option<String>,
    pub end_time: Option<String>,
    /// RELTIME (`h:mm:ss`).
    pub duration: String,
    /// RELTIME; `null`: never frozen.
    pub scoreboard_freeze_duration: Option<String>,
    /// `pass-fail`, `leetcode` or `score`.
    pub rules: String,
    pub registration_open: bool,
    pub phase: Phase,
    /// The public scoreboard is frozen now.
    pub frozen: bool,
}

/// The caller's results on one problem (a participant only).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemStatus {
    /// Submissions judged (pass-fail: up to the first correct one).
    pub num_judged: u32,
    pub num_pending: u32,
    pub solved: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
}

/// A problem of a contest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContestProblem {
    /// The judge's problem id (`/api/problems/{id}`).
    pub id: String,
    pub label: String,
    pub name: String,
    pub ordinal: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rgb: Option<String>,
    /// The caller's results, for a participant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<ProblemStatus>,
}

/// The caller's team in a contest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct TeamRef {
    pub id: String,
    pub name: String,
}

/// `GET /api/contests/{id}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContestDetail {
    #[serde(flatten)]
    pub summary: ContestSummary,
    /// By label (A, B, ...); empty before the start for everyone but admins.
    pub problems: Vec<ContestProblem>,
    /// The caller's team, if the caller takes part.
    pub team: Option<TeamRef>,
}

/// `GET /api/contests/{id}/scoreboard`: the Contest API scoreboard with the
/// names a table needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ScoreboardView {
    pub contest_id: String,
    /// `public` or `admin` (admins see through the freeze).
    pub view: String,
    pub frozen: bool,
    pub rules: String,
    pub problems: Vec<ContestProblem>,
    pub teams: Vec<TeamRef>,
    /// The Contest API 2026-01 `scoreboard` object.
    pub scoreboard: Scoreboard,
}

/// `POST /api/admin/contests`: what was imported.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ContestImported {
    pub id: String,
    pub problems: usize,
    pub teams: usize,
    /// Accounts whose username became a member of their team.
    pub members: usize,
}

/// A problem of a contest as an admin sets it (`PATCH`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemInput {
    /// A problem on the judge.
    pub id: String,
    pub label: String,
    /// Default: the judge problem's name.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub color: Option<String>,
    #[serde(default)]
    pub rgb: Option<String>,
}

/// `PATCH /api/admin/contests/{id}`: every field optional; `null` clears
/// `start_time` and `scoreboard_freeze_duration`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContestPatch {
    pub name: Option<String>,
    pub formal_name: Option<String>,
    /// ISO 8601 with an offset, or `null`.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub start_time: Option<Option<String>>,
    /// RELTIME.
    pub duration: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>)]
    pub scoreboard_freeze_duration: Option<Option<String>>,
    /// RELTIME (pass-fail).
    pub penalty_time: Option<String>,
    /// The whole problem set, in order.
    pub problems: Option<Vec<ProblemInput>>,
    /// The scoring rule: `{"rules": "pass-fail", "penalty_time": "0:20:00"}`,
    /// `{"rules": "leetcode", ...}` or `{"rules": "score", "aggregation": "max"}`.
    pub rules: Option<Rules>,
    pub registration_open: Option<bool>,
    /// How many teams get gold, silver and bronze medals (the `*-medal`
    /// awards): `{"gold": 4, "silver": 4, "bronze": 4}`; `null`: none.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Medals>)]
    pub medals: Option<Option<Medals>>,
}

/// `POST /api/admin/contests/{id}/teams`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamInput {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub label: Option<String>,
    #[serde(default)]
    pub organization_id: Option<String>,
    /// The judge user ids on the team.
    #[serde(default)]
    pub members: Vec<String>,
}

/// `POST /api/contests/{id}/register`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Registered {
    pub contest_id: String,
    pub team_id: String,
}

/// A participant's question: `POST /api/contests/{id}/clarifications`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AskClarification {
    /// About this problem; none: general.
    #[serde(default)]
    pub problem_id: Option<String>,
    pub text: String,
}

/// The jury's message: `POST /api/admin/contests/{id}/clarifications`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerClarification {
    pub text: String,
    /// To this team only; none: to everyone.
    #[serde(default)]
    pub to_team_id: Option<String>,
    /// The question it answers.
    #[serde(default)]
    pub reply_to_id: Option<String>,
    #[serde(default)]
    pub problem_id: Option<String>,
}

/// One line of `GET /api/ccs/contests/{id}/event-feed` (NDJSON): a Contest
/// API object changed (`data`) or was deleted (`data: null`). Its schema is
/// one branch per `type`, whose `data` is that endpoint's object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FeedEvent {
    /// The object, or `null` when it was deleted.
    pub data: Option<serde_json::Value>,
    /// The object's id; `null` for `contest` and `state`.
    pub id: Option<String>,
    /// The log entry's id: `?since_token=` resumes after it.
    pub token: String,
    /// The endpoint the object belongs to (`teams`, `submissions`, ...).
    #[serde(rename = "type")]
    pub kind: String,
}

/// The event feed's refusal of a bad `since_token` or a `since_id`: the
/// Contest API's error object (not [`crate::ErrorBody`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CcsError {
    /// The HTTP status.
    pub code: u16,
    pub message: String,
}

/// Each Contest API endpoint with the type of its objects: `contest` and
/// `state` (one object each), then the collections a contest serves
/// (`/api/ccs/contests/{id}/{endpoint}`) in the spec's order.
macro_rules! ccs_objects {
    ($($endpoint:literal => $t:ty),* $(,)?) => {
        /// The Contest API endpoints whose objects the event feed carries.
        pub const CCS_ENDPOINTS: &[&str] = &[$($endpoint),*];

        /// The name of the schema of an endpoint's objects (`teams`: `Team`).
        pub fn ccs_schema_name(endpoint: &str) -> Option<Cow<'static, str>> {
            match endpoint {
                $($endpoint => Some(<$t as ToSchema>::name()),)*
                _ => None,
            }
        }

        /// Every endpoint's object schema and the schemas it refers to.
        fn ccs_schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
            $(
                schemas.push((<$t as ToSchema>::name().into(), <$t as PartialSchema>::schema()));
                <$t as ToSchema>::schemas(schemas);
            )*
        }
    };
}

ccs_objects! {
    "contest" => api::Contest,
    "state" => api::State,
    "judgement-types" => api::JudgementType,
    "languages" => api::Language,
    "problems" => api::Problem,
    "groups" => api::Group,
    "organizations" => api::Organization,
    "teams" => api::Team,
    "accounts" => api::Account,
    "submissions" => api::Submission,
    "judgements" => api::Judgement,
    "runs" => api::Run,
    "clarifications" => api::Clarification,
    "awards" => api::Award,
}

/// A schema that is `null` only.
fn null() -> Schema {
    Object::with_type(Type::Null).into()
}

impl PartialSchema for FeedEvent {
    fn schema() -> RefOr<Schema> {
        let mut one_of = OneOfBuilder::new().description(Some(
            "An event: `type` names the endpoint, `data` is its object (null: deleted).",
        ));
        for endpoint in CCS_ENDPOINTS {
            let name = ccs_schema_name(endpoint).expect("listed");
            let object = Ref::from_schema_name(name);
            let single = matches!(*endpoint, "contest" | "state");
            let (id, data): (RefOr<Schema>, RefOr<Schema>) = if single {
                (null().into(), object.into())
            } else {
                let id = Object::with_type(Type::String).into();
                let data = OneOfBuilder::new().item(object).item(null()).into();
                (id, data)
            };
            let kind = ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([*endpoint]));
            one_of = one_of.item(
                ObjectBuilder::new()
                    .property("type", kind)
                    .property("id", id)
                    .property("data", data)
                    .property("token", Object::with_type(Type::String))
                    .required("type")
                    .required("id")
                    .required("data")
                    .required("token"),
            );
        }
        one_of.into()
    }
}

impl ToSchema for FeedEvent {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        ccs_schemas(schemas);
    }
}
