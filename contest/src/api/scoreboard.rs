//! The `scoreboard` object of the Contest API 2026-01.
//!
//! Two schema details decide the shapes here: a row's `score.time` must
//! always be present (a RELTIME, or `null` when nothing is solved), because
//! the schema's `oneOf` for `num_solved: 0` rejects a missing `time`; and a
//! problem's `time` must be absent when it is unsolved (or scored 0) and
//! present otherwise.

use serde::{Deserialize, Serialize};

use crate::api::contest::State;
use crate::ids::{ProblemId, TeamId};
use crate::time::{AbsTime, RelTime};

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scoreboard {
    /// When the scoreboard was computed.
    pub time: AbsTime,
    pub contest_time: RelTime,
    pub state: State,
    pub rows: Vec<ScoreboardRow>,
}

#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScoreboardRow {
    /// Equal rows share a rank; the next rank is skipped.
    pub rank: u32,
    pub team_id: TeamId,
    pub score: RowScoreJson,
    pub problems: Vec<ProblemResult>,
}

/// A row's `score`: pass-fail or score shape (the schema's `oneOf`).
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum RowScoreJson {
    PassFail {
        num_solved: u32,
        total_time: RelTime,
        /// Minute of the last correct submission; `null` when none.
        time: Option<RelTime>,
    },
    Score {
        score: f64,
        /// Time of the last improvement; `null` when none.
        time: Option<RelTime>,
    },
}

/// One problem of a row. Exactly one of `solved` (pass-fail) and `score`
/// (score contests) is present.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ProblemResult {
    pub problem_id: ProblemId,
    /// Judged submissions (pass-fail: up to and including the first correct one).
    pub num_judged: u32,
    /// Submissions not judged yet, or hidden by the freeze.
    pub num_pending: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub solved: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<RelTime>,
    /// The prose names it; the 2026-01 schema does not list it (its objects
    /// are open, so it validates). Present where the rule has the notion.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_to_solve: Option<bool>,
}
