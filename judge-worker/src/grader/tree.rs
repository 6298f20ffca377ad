//! The recorded results as a rule set walks them: the group tree with each
//! judged case, and what one walk finds out on the way.

use problem_package::groups::{Grading, Item};
use submission::Verdict;

use super::score_file::ScoreFile;

/// A judged case, as the loop reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Case {
    pub verdict: Verdict,
    pub score: ScoreFile,
}

/// A group's (or the submission's) graded result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Outcome {
    /// `None`: the group was not judged (`require_pass`).
    pub verdict: Option<Verdict>,
    pub score: Option<f64>,
}

pub(super) enum Walk {
    /// This test must be judged before anything more is known.
    Need(usize),
    Done(Outcome),
}

/// What one walk found out, beside the next test.
#[derive(Default)]
pub(super) struct Found {
    /// Per group: its outcome once graded.
    pub groups: Vec<Option<Outcome>>,
    /// Per group: why it was not judged.
    pub skipped: Vec<Option<String>>,
    /// Per test: its score, in a group that scores.
    pub case_scores: Vec<Option<f64>>,
}

impl Found {
    pub fn new(groups: usize, tests: usize) -> Found {
        Found {
            groups: vec![None; groups],
            skipped: vec![None; groups],
            case_scores: vec![None; tests],
        }
    }
}

/// The package's groups and the cases judged so far (`None`: not yet).
#[derive(Clone, Copy)]
pub(super) struct Tree<'a> {
    pub grading: &'a Grading,
    pub cases: &'a [Option<Case>],
}

/// How a rule set walks a subgroup: the walk that dispatches on the
/// subgroup's own rules and records its outcome (a rule set knows only its
/// own group's aggregation).
pub(super) type Subgroup = fn(Tree<'_>, usize, &mut Found) -> Result<Walk, String>;

impl Tree<'_> {
    /// Whether test `i` is judged and accepted.
    pub fn accepted(&self, i: usize) -> bool {
        self.cases[i].is_some_and(|c| c.verdict == Verdict::AC)
    }

    /// The root's `secret` group.
    pub fn secret(&self) -> Option<usize> {
        self.grading.groups[0].items.iter().find_map(|i| match *i {
            Item::Group(g) if self.grading.groups[g].name == "secret" => Some(g),
            _ => None,
        })
    }
}
