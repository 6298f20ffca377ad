//! The bodies of the judge's HTTP API, one type per request and answer:
//! the API returns them, the CLI parses them, the tests check them, and
//! the OpenAPI document (`GET /api/openapi.json`) is derived from them
//! (`utoipa::ToSchema`). Types of the domain crates that the API shows as
//! they are ([`SubmissionState`], [`ProblemSummary`], [`Verdict`], ...) are
//! used, not copied: those crates derive `ToSchema` behind their `utoipa`
//! feature, which this crate turns on.
//!
//! The wire is the contract: field names, which fields may be absent
//! (`skip_serializing_if`) and which are sent as `null` (an `Option`
//! without it) are what clients read. The fields of the answers that used
//! to be `json!` literals are declared in alphabetical order, the order
//! those literals were written in (serde_json without `preserve_order`), so
//! the bytes did not change either.

pub mod accounts;
pub mod admin;
pub mod contests;
pub mod error;
pub mod meta;
pub mod problems;
pub mod runs;
pub mod submissions;

pub use accounts::{
    Credentials, SessionInfo, SessionStarted, TokenCreated, TokenEntry, TokenRequest,
};
pub use admin::{
    AdminRight, CreateUser, ImportAnswer, ProblemRejudge, Published, RejudgeSkip, SetAdmin,
    Settings, SubmissionRejudge, UserToken, ValidateAnswer, ValidatorInfo,
};
pub use contests::{
    AnswerClarification, AskClarification, CcsError, ContestDetail, ContestImported, ContestPatch,
    ContestProblem, ContestSummary, FeedEvent, Phase, ProblemInput, ProblemStatus, Registered,
    ScoreboardView, TeamInput, TeamRef,
};
pub use error::{ErrorBody, ErrorDetail, PackageProblem};
pub use meta::{ClientConfig, Health, HealthStatus, LanguageEnabled, LanguageInfo, Me};
pub use problems::{BestResult, ProblemDetail, ProblemListEntry, Stub};
pub use runs::{RunAnswer, RunRequest, RunStatus};
pub use submissions::{SubmissionCancelled, SubmissionCode, SubmitRequest, Submitted};

pub use problem_package::problem::ProblemSummary;
pub use problem_package::source::SourceFile;
pub use submission::{SubmissionState, Verdict};
