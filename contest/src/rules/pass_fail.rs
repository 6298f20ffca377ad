//! ICPC pass-fail scoring (CCS requirements, "Scoring Data Generation").
//!
//! A solved problem costs the minute (contest time rounded down) of its first
//! correct submission plus `penalty_time` for each earlier submission whose
//! judgement type has a penalty. CE, JE and the other penalty-free types cost
//! nothing; JE is not even judged (the board hands it in as pending). Rows
//! sort by solved (desc), total time (asc), minute of the last correct
//! submission (asc).

use serde::{Deserialize, Serialize};

use crate::rules::cell::{Attempt, Cell, Outcome, RankKey, RowScore, RowSummary};
use crate::time::RelTime;

/// Pass-fail settings.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PassFail {
    /// Penalty per rejected (penalty-bearing) attempt before the first correct one.
    pub penalty_time: RelTime,
}

impl Default for PassFail {
    /// The ICPC default of 20 minutes.
    fn default() -> Self {
        PassFail {
            penalty_time: RelTime::from_minutes(20),
        }
    }
}

impl PassFail {
    /// The cell of one problem from the team's attempts, in submission order.
    /// Counting stops at the first correct submission: later ones change
    /// nothing (num_judged is "up to and including the first correct one").
    pub fn cell(&self, attempts: &[Attempt]) -> Cell {
        let mut cell = Cell::default();
        let mut rejected = 0i64;
        for a in attempts {
            match &a.outcome {
                Outcome::Pending => cell.num_pending += 1,
                Outcome::Judged(j) => {
                    cell.num_judged += 1;
                    if j.solved {
                        let minute = a.time.floor_to_minute();
                        cell.solved = true;
                        cell.time = Some(minute);
                        cell.cost = minute + self.penalty_time * rejected;
                        cell.first_correct = Some((a.time, a.seq));
                        break;
                    }
                    if j.penalty {
                        rejected += 1;
                    }
                }
            }
        }
        cell
    }

    /// The row of a team from its cells.
    pub fn row(&self, cells: &[Cell]) -> RowSummary {
        let solved = cells.iter().filter(|c| c.solved);
        let num_solved = solved.clone().count() as u32;
        let total_time: RelTime = solved.clone().map(|c| c.cost).sum();
        let last = solved.filter_map(|c| c.time).max();
        RowSummary {
            key: RankKey {
                points: num_solved as f64,
                time: total_time,
                last: last.unwrap_or_default(),
            },
            score: RowScore::PassFail {
                num_solved,
                total_time,
                time: last,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::cell::Judged;

    fn judged(ms: i64, seq: u64, solved: bool, penalty: bool) -> Attempt {
        Attempt {
            time: RelTime::from_millis(ms),
            seq,
            outcome: Outcome::Judged(Judged {
                solved,
                penalty,
                ..Judged::default()
            }),
        }
    }
    const MIN: i64 = 60_000;

    #[test]
    fn solve_minute_rounds_down_and_penalties_add() {
        let rules = PassFail::default();
        // WA at 10:30, AC at 59:59.999 -> minute 59, plus 20 for the WA.
        let c = rules.cell(&[
            judged(10 * MIN + 30_000, 1, false, true),
            judged(60 * MIN - 1, 2, true, false),
        ]);
        assert!(c.solved);
        assert_eq!(c.time, Some(RelTime::from_minutes(59)));
        assert_eq!(c.cost, RelTime::from_minutes(79));
        assert_eq!((c.num_judged, c.num_pending), (2, 0));
    }

    #[test]
    fn compile_errors_and_judging_errors_cost_nothing() {
        let rules = PassFail::default();
        let je = Attempt {
            time: RelTime::from_minutes(2),
            seq: 2,
            outcome: Outcome::Pending,
        };
        // CE (no penalty), JE (pending), AC at minute 3.
        let c = rules.cell(&[
            judged(MIN, 1, false, false),
            je,
            judged(3 * MIN, 3, true, false),
        ]);
        assert_eq!(c.cost, RelTime::from_minutes(3));
        assert_eq!((c.num_judged, c.num_pending), (2, 1));
    }

    #[test]
    fn attempts_after_the_first_correct_do_not_count() {
        let rules = PassFail::default();
        let c = rules.cell(&[
            judged(MIN, 1, true, false),
            judged(2 * MIN, 2, false, true),
            judged(3 * MIN, 3, true, false),
        ]);
        assert_eq!(c.cost, RelTime::from_minutes(1));
        assert_eq!(c.num_judged, 1);
    }

    #[test]
    fn unsolved_problem_adds_no_time_and_no_penalty() {
        let rules = PassFail::default();
        let c = rules.cell(&[judged(MIN, 1, false, true), judged(2 * MIN, 2, false, true)]);
        assert!(!c.solved);
        let row = rules.row(&[c]);
        assert_eq!(
            row.score,
            RowScore::PassFail {
                num_solved: 0,
                total_time: RelTime::ZERO,
                time: None
            }
        );
    }

    #[test]
    fn row_sums_costs_and_keeps_the_last_solve_minute() {
        let rules = PassFail {
            penalty_time: RelTime::from_minutes(10),
        };
        let a = rules.cell(&[
            judged(5 * MIN, 1, false, true),
            judged(7 * MIN, 2, true, false),
        ]);
        let b = rules.cell(&[judged(30 * MIN + 5, 3, true, false)]);
        let row = rules.row(&[a, b]);
        assert_eq!(row.key.points, 2.0);
        assert_eq!(row.key.time, RelTime::from_minutes(17 + 30));
        assert_eq!(row.key.last, RelTime::from_minutes(30));
    }
}
