//! `POST /api/run`: the editor's Run button.

use problem_package::source::SourceFile;
use serde::{Deserialize, Serialize};
use submission::Verdict;
use utoipa::ToSchema;

/// The body of `POST /api/run`: code (as for a submission) and its input.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RunRequest {
    /// A single source; required unless `files` is given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub files: Option<Vec<SourceFile>>,
    /// stdin, at most 1 MiB; empty when absent. A function problem's
    /// arguments, one per line, when `problem_id` names one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub input: Option<String>,
    pub language: String,
    /// The problem whose page runs it: a function problem's run calls its function.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_id: Option<String>,
    /// `JUDGE_AUTH=open` without credentials only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_id: Option<String>,
}

/// A run's answer, once it finished.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RunStatus {
    Finished,
}

/// The 200 answer to `POST /api/run`: what the program printed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RunAnswer {
    /// The compiler's output, when there was any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub compile_output: Option<String>,
    pub id: String,
    pub memory_kb: u64,
    /// The judge's explanation (a judge error's reason), when there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    pub status: RunStatus,
    pub stderr: String,
    pub stdout: String,
    pub time_ms: u64,
    /// stdout was longer than what is shown.
    pub truncated: bool,
    pub verdict: Option<Verdict>,
}
