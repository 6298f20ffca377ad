//! What happens during a contest: submissions, judgements, runs,
//! clarifications and awards.

use serde::{Deserialize, Serialize};

use crate::api::common::FileRef;
use crate::ids::{GroupId, JudgementTypeId, LanguageId, ProblemId, SubmissionId, TeamId};
use crate::time::{AbsTime, RelTime};

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    pub id: SubmissionId,
    pub language_id: LanguageId,
    pub problem_id: ProblemId,
    /// Optional in 2026-01 (a submission may come from a non-team account),
    /// but every submission of this judge has a team.
    pub team_id: TeamId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_id: Option<String>,
    pub time: AbsTime,
    pub contest_time: RelTime,
    /// Always present, `null` where the language needs none: the schema
    /// requires it for Java and allows null for the others.
    pub entry_point: Option<String>,
    pub files: Vec<FileRef>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reaction: Option<Vec<FileRef>>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Judgement {
    pub id: String,
    pub submission_id: SubmissionId,
    /// `null` while judging is in progress.
    pub judgement_type_id: Option<JudgementTypeId>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplified_judgement_type_id: Option<JudgementTypeId>,
    /// Score contests only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Whether this is the submission's current judgement (false after a rejudge).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current: Option<bool>,
    pub start_time: AbsTime,
    pub start_contest_time: RelTime,
    /// These three are always written (null while judging) so the object
    /// matches exactly one branch of the schema's "all or none" `oneOf`.
    pub end_time: Option<AbsTime>,
    pub end_contest_time: Option<RelTime>,
    /// Seconds, millisecond precision.
    #[serde(default)]
    pub max_run_time: Option<f64>,
}

/// One test case of a judgement.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Run {
    pub id: String,
    pub judgement_id: String,
    /// 1-based position of the test case.
    pub ordinal: u32,
    pub judgement_type_id: JudgementTypeId,
    pub time: AbsTime,
    pub contest_time: RelTime,
    /// Seconds, millisecond precision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub run_time: Option<f64>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Clarification {
    pub id: String,
    /// `null`: sent by the judges.
    #[serde(default)]
    pub from_team_id: Option<TeamId>,
    /// 2026-01: recipients (replaces `to_team_id`); both `null`: everyone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_team_ids: Option<Vec<TeamId>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to_group_ids: Option<Vec<GroupId>>,
    #[serde(default)]
    pub reply_to_id: Option<String>,
    #[serde(default)]
    pub problem_id: Option<ProblemId>,
    pub text: String,
    pub time: AbsTime,
    pub contest_time: RelTime,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Award {
    pub id: String,
    pub citation: String,
    /// `null`: not decided yet (e.g. during the freeze).
    pub team_ids: Option<Vec<TeamId>>,
}
