//! The grader of one submission: the judging loop asks it for the next
//! test and records each verdict; every answer is one walk of the group
//! tree over the recorded results, dispatching each group to its rule set.

use problem_package::groups::{Grading, Rules, Settings};
use submission::{GroupResult, Verdict};

use super::legacy;
use super::modern;
use super::score_file::ScoreFile;
use super::tree::{Case, Found, Tree, Walk};

/// The grader of one submission.
#[derive(Clone, Debug)]
pub struct Grader<'a> {
    grading: &'a Grading,
    cases: Vec<Option<Case>>,
}

/// The submission's result once every needed test is judged.
#[derive(Clone, Debug, PartialEq)]
pub struct Graded {
    pub verdict: Verdict,
    /// Scoring problems only.
    pub score: Option<f64>,
}

impl<'a> Grader<'a> {
    pub fn new(grading: &'a Grading, tests: usize) -> Self {
        Grader {
            grading,
            cases: vec![None; tests],
        }
    }

    /// The next test to judge (0-based), `None` when grading is complete.
    /// `Err`: the results break the package's score rules (a judge error).
    pub fn next(&self) -> Result<Option<usize>, String> {
        let mut found = self.found();
        Ok(match self.walk(&mut found)? {
            Walk::Need(i) => Some(i),
            Walk::Done(_) => None,
        })
    }

    /// The test after `pending` if `pending` gets `verdict`, to run it while
    /// `pending`'s output is being checked (pipelining). A guess when the
    /// verdict is: when `pending` gets another, [`Self::next`] may name
    /// another test. (Which test comes next depends on verdicts only.)
    pub fn next_if(&self, pending: usize, verdict: Verdict) -> Option<usize> {
        let mut guess = self.clone();
        guess.cases[pending] = Some(Case {
            verdict,
            score: ScoreFile::None,
        });
        let mut found = guess.found();
        match guess.walk(&mut found) {
            Ok(Walk::Need(i)) => Some(i),
            _ => None,
        }
    }

    /// Records test `index`'s verdict and score file. `Err` when the score
    /// breaks the package's rules (a judge error, not the submission's).
    pub fn record(
        &mut self,
        index: usize,
        verdict: Verdict,
        score: ScoreFile,
    ) -> Result<(), String> {
        self.cases[index] = Some(Case { verdict, score });
        self.next().map(|_| ())
    }

    /// The submission's verdict and score, once [`Self::next`] is `None`.
    pub fn graded(&self) -> Result<Graded, String> {
        let mut found = self.found();
        let root = match self.walk(&mut found)? {
            Walk::Done(root) => root,
            Walk::Need(i) => return Err(format!("test {} is not judged yet", i + 1)),
        };
        let verdict = root.verdict.unwrap_or(Verdict::AC);
        if !self.grading.scoring {
            return Ok(Graded {
                verdict,
                score: None,
            });
        }
        let score = match self.grading.rules {
            Rules::Legacy => root.score,
            Rules::Modern => self
                .tree()
                .secret()
                .and_then(|s| found.groups[s])
                .and_then(|o| o.score)
                .or(Some(0.0)),
        };
        Ok(Graded { verdict, score })
    }

    /// Every group but the root, as the state shows it (scoring problems).
    pub fn groups(&self) -> Vec<GroupResult> {
        let mut found = self.found();
        // A score error shows in `next`/`record`; here what is known is shown.
        let _ = self.walk(&mut found);
        let tree = self.tree();
        (1..self.grading.groups.len())
            .map(|g| {
                let tests = self.grading.cases_of(g);
                let outcome = found.groups[g];
                GroupResult {
                    name: self.grading.groups[g].name.clone(),
                    tests: tests.iter().map(|i| i + 1).collect(),
                    max_score: self.grading.points_of(g),
                    // A group whose score does not count shows none.
                    score: outcome
                        .and_then(|o| o.score)
                        .filter(|_| self.grading.counts(g)),
                    verdict: outcome.and_then(|o| o.verdict),
                    passed: tests.iter().filter(|&&i| tree.accepted(i)).count(),
                    total: tests.len(),
                    message: found.skipped[g].clone(),
                }
            })
            .collect()
    }

    /// Test `index`'s score, when its group scores and it is judged.
    pub fn case_score(&self, index: usize) -> Option<f64> {
        let mut found = self.found();
        let _ = self.walk(&mut found);
        found.case_scores[index]
    }

    fn tree(&self) -> Tree<'_> {
        Tree {
            grading: self.grading,
            cases: &self.cases,
        }
    }

    fn found(&self) -> Found {
        Found::new(self.grading.groups.len(), self.cases.len())
    }

    /// One walk from the root.
    fn walk(&self, found: &mut Found) -> Result<Walk, String> {
        walk_group(self.tree(), 0, found)
    }
}

/// Walks group `g` by its own rules and keeps its outcome once graded.
fn walk_group(tree: Tree<'_>, g: usize, found: &mut Found) -> Result<Walk, String> {
    let walked = match &tree.grading.groups[g].settings {
        Settings::Legacy(s) => legacy::walk(tree, g, s, found, walk_group)?,
        Settings::Modern(m) => modern::walk(tree, g, m, found, walk_group)?,
    };
    if let Walk::Done(outcome) = walked {
        found.groups[g] = Some(outcome);
    }
    Ok(walked)
}
