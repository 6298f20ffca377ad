//! Scoreboard rules, one per contest setting. Each rule turns a team's
//! attempts on a problem into a [`Cell`] and a team's cells into a
//! [`RowSummary`]; the board (crate::board) does the bookkeeping.

pub mod cell;
pub mod leetcode;
pub mod pass_fail;
pub mod score;

use serde::{Deserialize, Serialize};

use crate::api::ScoreboardType;
use crate::ids::ProblemId;
pub use cell::{Attempt, Cell, Judged, Outcome, RankKey, RowScore, RowSummary};
pub use leetcode::LeetCode;
pub use pass_fail::PassFail;
pub use score::{Aggregation, ScoreRules};

/// The scoring rule of a contest.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rules", rename_all = "kebab-case")]
pub enum Rules {
    /// ICPC: solved count, then penalty time.
    PassFail(PassFail),
    /// Points per problem, then finish time with a per-wrong-answer penalty.
    #[serde(rename = "leetcode")]
    LeetCode(LeetCode),
    /// IOI-style scores (`scoreboard_type: score`).
    Score(ScoreRules),
}

impl Rules {
    pub fn cell(&self, problem: &ProblemId, attempts: &[Attempt]) -> Cell {
        match self {
            Rules::PassFail(r) => r.cell(attempts),
            Rules::LeetCode(r) => r.cell(problem, attempts),
            Rules::Score(r) => r.cell(attempts),
        }
    }

    pub fn row(&self, cells: &[Cell]) -> RowSummary {
        match self {
            Rules::PassFail(r) => r.row(cells),
            Rules::LeetCode(r) => r.row(cells),
            Rules::Score(r) => r.row(cells),
        }
    }

    /// How the Contest API presents this rule. LeetCode has no type of its
    /// own in the spec; its points and finish time fit `score`'s shape.
    pub fn scoreboard_type(&self) -> ScoreboardType {
        match self {
            Rules::PassFail(_) => ScoreboardType::PassFail,
            Rules::LeetCode(_) | Rules::Score(_) => ScoreboardType::Score,
        }
    }

    /// Whether the board marks first-to-solve (a pass-fail notion; LeetCode
    /// shares it since "solved" is also binary there).
    pub fn has_first_to_solve(&self) -> bool {
        !matches!(self, Rules::Score(_))
    }
}
