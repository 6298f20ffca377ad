//! LeetCode-style weekly contest scoring: each solved problem is worth its
//! points; ties break on finish time, the time of the last accepted
//! submission plus a penalty (default 5 minutes) per wrong submission on
//! solved problems. Wrong submissions on unsolved problems cost nothing, as
//! on LeetCode.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::ids::ProblemId;
use crate::rules::cell::{Attempt, Cell, Outcome, RankKey, RowScore, RowSummary};
use crate::time::RelTime;

/// LeetCode settings.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeetCode {
    /// Points of each problem; problems not listed are worth `default_points`.
    #[serde(default)]
    pub points: HashMap<ProblemId, f64>,
    #[serde(default = "one")]
    pub default_points: f64,
    /// Added to the finish time per wrong submission on a solved problem.
    #[serde(default = "five_minutes")]
    pub wrong_penalty: RelTime,
}

fn one() -> f64 {
    1.0
}
fn five_minutes() -> RelTime {
    RelTime::from_minutes(5)
}

impl Default for LeetCode {
    fn default() -> Self {
        LeetCode {
            points: HashMap::new(),
            default_points: one(),
            wrong_penalty: five_minutes(),
        }
    }
}

impl LeetCode {
    pub fn points_of(&self, problem: &ProblemId) -> f64 {
        self.points
            .get(problem)
            .copied()
            .unwrap_or(self.default_points)
    }

    /// The cell of one problem. `time` is the exact time of the first accepted
    /// submission (LeetCode does not round to minutes); `cost` is the penalty
    /// of the wrong submissions before it.
    pub fn cell(&self, problem: &ProblemId, attempts: &[Attempt]) -> Cell {
        let mut cell = Cell {
            score: Some(0.0),
            ..Cell::default()
        };
        let mut wrong = 0i64;
        for a in attempts {
            match &a.outcome {
                Outcome::Pending => cell.num_pending += 1,
                Outcome::Judged(j) => {
                    cell.num_judged += 1;
                    if j.solved {
                        cell.solved = true;
                        cell.score = Some(self.points_of(problem));
                        cell.time = Some(a.time);
                        cell.cost = self.wrong_penalty * wrong;
                        cell.first_correct = Some((a.time, a.seq));
                        break;
                    }
                    if j.penalty {
                        wrong += 1;
                    }
                }
            }
        }
        cell
    }

    /// Finish time = last accepted time + every solved cell's penalty.
    pub fn row(&self, cells: &[Cell]) -> RowSummary {
        let solved: Vec<&Cell> = cells.iter().filter(|c| c.solved).collect();
        let points: f64 = solved.iter().filter_map(|c| c.score).sum();
        let finish = solved
            .iter()
            .filter_map(|c| c.time)
            .max()
            .map(|last| last + solved.iter().map(|c| c.cost).sum::<RelTime>());
        RowSummary {
            key: RankKey {
                points,
                time: finish.unwrap_or_default(),
                last: RelTime::ZERO,
            },
            score: RowScore::Score {
                score: points,
                time: finish,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cell::Judged;

    fn at(secs: i64, seq: u64, solved: bool, penalty: bool) -> Attempt {
        Attempt {
            time: RelTime::from_secs(secs),
            seq,
            outcome: Outcome::Judged(Judged {
                solved,
                penalty,
                ..Judged::default()
            }),
        }
    }

    #[test]
    fn finish_time_is_last_accept_plus_penalties_on_solved_problems() {
        let mut rules = LeetCode::default();
        rules.points.insert("hard".into(), 7.0);
        let easy = rules.cell(
            &"easy".into(),
            &[at(100, 1, false, true), at(200, 2, true, false)],
        );
        let hard = rules.cell(
            &"hard".into(),
            &[
                at(300, 3, false, true),
                at(400, 4, false, true),
                at(1000, 5, true, false),
            ],
        );
        // Wrong submissions on an unsolved problem cost nothing.
        let other = rules.cell(&"other".into(), &[at(50, 6, false, true)]);
        let row = rules.row(&[easy, hard, other]);
        assert_eq!(row.key.points, 8.0);
        // 1000 s + 3 wrong x 5 min.
        let finish = RelTime::from_secs(1000) + RelTime::from_minutes(15);
        assert_eq!(row.key.time, finish);
        assert_eq!(
            row.score,
            RowScore::Score {
                score: 8.0,
                time: Some(finish)
            }
        );
    }

    #[test]
    fn compile_errors_are_free_and_nothing_solved_has_no_finish() {
        let rules = LeetCode::default();
        let c = rules.cell(
            &"a".into(),
            &[at(10, 1, false, false), at(20, 2, true, false)],
        );
        assert_eq!(c.cost, RelTime::ZERO);
        let none = rules.row(&[rules.cell(&"b".into(), &[at(5, 3, false, true)])]);
        assert_eq!(
            none.score,
            RowScore::Score {
                score: 0.0,
                time: None
            }
        );
    }
}
