//! Submissions: `POST /api/submissions`, a submission's code. (A
//! submission's state is [`submission::SubmissionState`] as stored.)

use problem_package::source::SourceFile;
use serde::{Deserialize, Serialize};
use submission::SubmissionState;
use utoipa::ToSchema;

/// The body of `POST /api/submissions`: one `code` (the editor), or named
/// `files` (a package's submission: names matter to Java, Kotlin and `argv[0]`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubmitRequest {
    /// A single source; required unless `files` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The contest to submit to (its id). When absent, a participant of
    /// exactly one running contest with the problem submits to it (422 if
    /// several), anyone else practises. 422 for an unknown contest or one
    /// without the problem, 403 for one the caller takes no part in or that
    /// has not started; after its end the submission is practice.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest: Option<String>,
    /// The entry file, or the Java / Kotlin class.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<String>,
    /// Named source files (several files, names kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<SourceFile>>,
    /// A language id of `GET /api/languages`.
    pub language: String,
    pub problem_id: String,
    /// Admin only: judge against this stored version (a draft) instead of
    /// the current one; stored under the user id `verify`, outside the
    /// problem's rejudge index, without the rate limit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_version: Option<String>,
    /// `JUDGE_AUTH=open` without credentials only; ignored otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// The 202 answer to `POST /api/submissions`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Submitted {
    pub id: String,
    /// The first state (queued; a scoring problem's groups already listed).
    pub state: SubmissionState,
    /// `/api/submissions/{id}`.
    pub status_url: String,
    /// The gateway's WebSocket URL of the submission.
    pub watch_url: String,
}

/// `GET /api/submissions/{id}/code`: the stored record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SubmissionCode {
    /// The entry file's source (or the single `code`).
    pub code: String,
    pub created_at_ms: u64,
    /// As submitted; `null` when none was given.
    pub entry_point: Option<String>,
    /// The named files; empty when the submission was one `code`.
    pub files: Vec<SourceFile>,
    pub id: String,
    pub language: String,
    pub problem_id: String,
    pub problem_version: String,
    pub user_id: String,
}

/// The answer to `POST /api/admin/submissions/{id}/cancel` and
/// `POST /api/submissions/{id}/cancel`: the submission is cancelled (its
/// state final, status `cancelled`, no verdict) and will not be judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct SubmissionCancelled {
    pub id: String,
    /// true: it was still waiting in the queue; false: a worker had taken
    /// it and stops judging it within a second.
    pub was_waiting: bool,
    /// The cancelled state (`message` says who cancelled it).
    pub state: SubmissionState,
}
