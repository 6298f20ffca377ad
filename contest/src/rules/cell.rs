//! What every scoring rule consumes and produces: a team's attempts on one
//! problem in, a problem cell out; a team's cells in, a row summary (score
//! and sort key) out. Kept apart from the rules so that each rule depends
//! only on these types and never on its siblings or on `rules/mod.rs`.

use std::cmp::Ordering;

use crate::time::RelTime;

/// What one submission looks like to the rule computing a cell: on the
/// public board during a freeze, a judged submission may still be `Pending`.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Queued, being judged, judged with a judging error, or hidden by the freeze.
    Pending,
    Judged(Judged),
}

/// The parts of a judgement that scoring needs.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Judged {
    /// The judgement type solves the problem (AC, APE).
    pub solved: bool,
    /// The judgement type costs penalty time once the problem is solved.
    pub penalty: bool,
    /// Score contests: this submission's score (0 when absent).
    pub score: f64,
    /// Score contests: the score of each test group, in the problem's group order.
    pub group_scores: Vec<f64>,
}

/// One submission of one team on one problem.
#[derive(Debug, Clone, PartialEq)]
pub struct Attempt {
    /// Contest time of the submission.
    pub time: RelTime,
    /// Arrival order, breaking ties between submissions made in the same millisecond.
    pub seq: u64,
    pub outcome: Outcome,
}

/// One team's result on one problem.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Cell {
    pub num_judged: u32,
    pub num_pending: u32,
    pub solved: bool,
    /// Score-based rules (LeetCode points, IOI score); `None` for pass-fail.
    pub score: Option<f64>,
    /// The time shown for this problem: for pass-fail the minute of the first
    /// correct submission, for LeetCode its exact time, for score contests the
    /// time of the submission that last raised the score. `None` when unsolved
    /// (or score 0).
    pub time: Option<RelTime>,
    /// What this cell adds to the row's time: solve minute + penalties
    /// (pass-fail), penalties only (LeetCode), zero (score).
    pub cost: RelTime,
    /// Exact time and arrival order of the first correct submission, to
    /// decide first-to-solve across teams.
    pub first_correct: Option<(RelTime, u64)>,
}

/// The sort key of a row: more points first, then less time, then an
/// earlier last solve. Equal keys share a rank.
#[derive(Debug, Clone, Copy, Default)]
pub struct RankKey {
    /// Problems solved (pass-fail), points (LeetCode) or score.
    pub points: f64,
    /// Total time (pass-fail), finish time (LeetCode), last improvement (score).
    pub time: RelTime,
    /// Pass-fail's last tie-breaker: the minute of the last correct submission.
    pub last: RelTime,
}

impl Ord for RankKey {
    fn cmp(&self, o: &Self) -> Ordering {
        o.points
            .total_cmp(&self.points)
            .then(self.time.cmp(&o.time))
            .then(self.last.cmp(&o.last))
    }
}
impl PartialOrd for RankKey {
    fn partial_cmp(&self, o: &Self) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}
impl PartialEq for RankKey {
    fn eq(&self, o: &Self) -> bool {
        self.cmp(o) == Ordering::Equal
    }
}
impl Eq for RankKey {}

/// A row's score as the scoreboard shows it.
#[derive(Debug, Clone, PartialEq)]
pub enum RowScore {
    PassFail {
        num_solved: u32,
        total_time: RelTime,
        /// Minute of the last correct submission; `None` when nothing is solved.
        time: Option<RelTime>,
    },
    Score {
        score: f64,
        /// Time of the last improvement (score) or the finish time (LeetCode).
        time: Option<RelTime>,
    },
}

/// A row's score and its sort key.
#[derive(Debug, Clone, PartialEq)]
pub struct RowSummary {
    pub key: RankKey,
    pub score: RowScore,
}
