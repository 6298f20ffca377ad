//! Admin routes: users, settings, problem packages, rejudges.

use problem_package::problem::ValidationKind;
use serde::{Deserialize, Serialize};
use submission::{SubmissionState, Verdict};
use utoipa::ToSchema;

/// The body of `POST /api/admin/users`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CreateUser {
    /// true makes the user an admin (as `PUT /api/admin/users/{user_id}/admin`
    /// does); false or absent leaves their right as it is. A token is worth
    /// its user's right at each use.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub admin: Option<bool>,
    /// Seconds until the token expires; absent: until revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_in: Option<u64>,
    pub user_id: String,
}

/// The 201 answer to `POST /api/admin/users`: a new token.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct UserToken {
    /// The user's admin right now.
    pub admin: bool,
    /// When it expires (ms since the epoch); absent when it does not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    /// Its id in its owner's `GET /api/auth/tokens`.
    #[serde(default)]
    pub id: String,
    /// Shown once; the judge keeps only its hash.
    pub token: String,
    pub user_id: String,
}

/// The body of `PUT /api/admin/users/{user_id}/admin`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SetAdmin {
    pub admin: bool,
}

/// The answer to `PUT /api/admin/users/{user_id}/admin`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct AdminRight {
    pub admin: bool,
    pub user_id: String,
}

/// `GET`/`PUT /api/admin/settings`, body and answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Settings {
    /// Anyone may sign up; otherwise accounts are made by an admin.
    pub signup_open: bool,
}

/// A package's output validator, as an import or a check found it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValidatorInfo {
    /// A worker built it before the package was taken.
    pub compiled: bool,
    /// The validator's source file or folder; `null` for the default validator.
    pub file: Option<String>,
    pub kind: ValidationKind,
    /// What the admin should know that is not a problem (it was not built, and why).
    pub notes: Vec<String>,
    /// Multi-pass problems: the most passes per test case; `null` otherwise.
    pub passes: Option<u32>,
}

/// The answer to `PUT /api/admin/problems/{id}` (201 for a new problem).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ImportAnswer {
    /// Stored as a draft: not current (never when `unchanged`).
    pub draft: bool,
    pub id: String,
    pub memory_mb: u64,
    pub name: String,
    /// The current version before the import; `null` for a new problem.
    pub previous_version: Option<String>,
    pub tests: usize,
    pub time_limit_ms: u64,
    /// Where the time limit came from (`.timelimit`, `problem.yaml`, ...).
    pub time_limit_source: String,
    /// The package is the current version already: nothing was stored.
    pub unchanged: bool,
    pub validator: ValidatorInfo,
    pub version: String,
    pub warnings: Vec<String>,
}

/// The answer to `POST /api/admin/problems/{id}/validate`: the package is valid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ValidateAnswer {
    /// The problem's current version; `null` if there is none.
    pub current_version: Option<String>,
    pub id: String,
    pub memory_mb: u64,
    pub name: String,
    pub tests: usize,
    pub time_limit_ms: u64,
    pub time_limit_source: String,
    /// Always true (an invalid package is a 422).
    pub valid: bool,
    pub validator: ValidatorInfo,
    pub version: String,
    pub warnings: Vec<String>,
}

/// The answer to `POST /api/admin/problems/{id}/versions/{version}/publish`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Published {
    pub id: String,
    pub memory_mb: u64,
    pub name: String,
    /// `null` when the problem had no current version.
    pub previous_version: Option<String>,
    pub tests: usize,
    pub time_limit_ms: u64,
    /// The version was current already.
    pub unchanged: bool,
    pub version: String,
}

/// The 202 answer to `POST /api/admin/problems/{id}/rejudge`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ProblemRejudge {
    pub problem_id: String,
    /// The version they are judged against; `null` if the problem has none.
    pub problem_version: Option<String>,
    /// The ids of the submissions queued again.
    pub requeued: Vec<String>,
    pub skipped: Vec<RejudgeSkip>,
}

/// A submission a problem rejudge left alone.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RejudgeSkip {
    pub id: String,
    /// `still being judged` or `not found`.
    pub reason: String,
}

/// The 202 answer to `POST /api/admin/submissions/{id}/rejudge`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubmissionRejudge {
    pub id: String,
    /// Scoring problems: the score before the rejudge; `null` otherwise.
    pub previous_score: Option<f64>,
    pub previous_verdict: Option<Verdict>,
    /// The version it is judged against now.
    pub problem_version: String,
    /// The fresh queued state.
    pub state: SubmissionState,
}
