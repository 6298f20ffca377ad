//! Score contests (`scoreboard_type: score`, IOI-style).
//!
//! The spec does not say how scores combine across submissions, so it is a
//! setting ([`Aggregation`]): the best single submission (`max`, as on
//! Codeforces/Kattis) or, per test group, the best any submission got, summed
//! (`max-subtask`, as at the IOI).
//!
//! Ties: total score (desc), then the time of the team's last improvement
//! (asc): the contest time of the submission that last raised any of its
//! problem scores. This rewards reaching a score first, the way pass-fail's
//! penalty time does, without inventing a penalty the spec does not define;
//! it is also the only time the Contest API's `score.time` can carry.

use serde::{Deserialize, Serialize};

use crate::rules::cell::{Attempt, Cell, Outcome, RankKey, RowScore, RowSummary};
use crate::time::RelTime;

/// How a problem's score combines over a team's submissions.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Aggregation {
    /// The best score of any single submission.
    #[default]
    Max,
    /// The sum over test groups of the best score each group got in any submission.
    MaxSubtask,
}

/// Score-contest settings.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ScoreRules {
    #[serde(default)]
    pub aggregation: Aggregation,
}

impl ScoreRules {
    /// The cell of one problem. `time` is the contest time of the submission
    /// that last raised the problem's score (`None` while it is 0).
    pub fn cell(&self, attempts: &[Attempt]) -> Cell {
        let mut cell = Cell {
            score: Some(0.0),
            ..Cell::default()
        };
        let mut best = 0.0f64;
        let mut groups: Vec<f64> = Vec::new();
        for a in attempts {
            let j = match &a.outcome {
                Outcome::Pending => {
                    cell.num_pending += 1;
                    continue;
                }
                Outcome::Judged(j) => j,
            };
            cell.num_judged += 1;
            let total = match self.aggregation {
                Aggregation::Max => best.max(j.score),
                Aggregation::MaxSubtask => {
                    // Without group scores (a problem without test groups)
                    // the whole submission is the one group.
                    let scores = if j.group_scores.is_empty() {
                        std::slice::from_ref(&j.score)
                    } else {
                        &j.group_scores[..]
                    };
                    if groups.len() < scores.len() {
                        groups.resize(scores.len(), 0.0);
                    }
                    for (g, s) in groups.iter_mut().zip(scores) {
                        *g = g.max(*s);
                    }
                    groups.iter().sum()
                }
            };
            if total > best {
                best = total;
                cell.time = Some(a.time);
            }
        }
        cell.score = Some(best);
        cell
    }

    pub fn row(&self, cells: &[Cell]) -> RowSummary {
        let score: f64 = cells.iter().filter_map(|c| c.score).sum();
        let last = cells.iter().filter_map(|c| c.time).max();
        RowSummary {
            key: RankKey {
                points: score,
                time: last.unwrap_or_default(),
                last: RelTime::ZERO,
            },
            score: RowScore::Score { score, time: last },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cell::Judged;

    fn sub(min: i64, seq: u64, score: f64, groups: &[f64]) -> Attempt {
        Attempt {
            time: RelTime::from_minutes(min),
            seq,
            outcome: Outcome::Judged(Judged {
                score,
                group_scores: groups.to_vec(),
                ..Judged::default()
            }),
        }
    }

    #[test]
    fn max_takes_the_best_single_submission() {
        let rules = ScoreRules {
            aggregation: Aggregation::Max,
        };
        let c = rules.cell(&[
            sub(1, 1, 30.0, &[30.0, 0.0]),
            sub(2, 2, 50.0, &[0.0, 50.0]),
            sub(3, 3, 40.0, &[40.0, 0.0]),
        ]);
        assert_eq!(c.score, Some(50.0));
        assert_eq!(c.time, Some(RelTime::from_minutes(2)));
        assert_eq!(c.num_judged, 3);
    }

    #[test]
    fn max_subtask_sums_the_best_of_each_group() {
        let rules = ScoreRules {
            aggregation: Aggregation::MaxSubtask,
        };
        let c = rules.cell(&[
            sub(1, 1, 30.0, &[30.0, 0.0]),
            sub(2, 2, 50.0, &[0.0, 50.0]),
            sub(3, 3, 20.0, &[20.0, 0.0]),
        ]);
        assert_eq!(c.score, Some(80.0));
        // The last submission raised nothing: the improvement was at minute 2.
        assert_eq!(c.time, Some(RelTime::from_minutes(2)));
    }

    #[test]
    fn max_subtask_without_groups_is_the_best_submission() {
        let rules = ScoreRules {
            aggregation: Aggregation::MaxSubtask,
        };
        let c = rules.cell(&[sub(1, 1, 30.0, &[]), sub(2, 2, 20.0, &[])]);
        assert_eq!(c.score, Some(30.0));
    }

    #[test]
    fn zero_score_has_no_time_and_ties_break_on_last_improvement() {
        let rules = ScoreRules::default();
        let zero = rules.cell(&[sub(1, 1, 0.0, &[])]);
        assert_eq!(zero.time, None);
        let early = rules.row(&[rules.cell(&[sub(5, 1, 60.0, &[])])]);
        let late = rules.row(&[rules.cell(&[sub(9, 2, 60.0, &[])])]);
        assert!(early.key < late.key);
        let more = rules.row(&[rules.cell(&[sub(50, 3, 61.0, &[])])]);
        assert!(more.key < early.key);
    }
}
