//! The grader: walks a problem's test groups in the format's order, says
//! which test to run next, and aggregates verdicts and scores per group and
//! for the submission, by the package's rules ([`problem_package::groups`]).
//!
//! It knows nothing of sandboxes or validators: the judging loop
//! (`judge.rs` today) runs the test [`Grader::next`] names, checks its
//! output, and [`Grader::record`]s the verdict and what the validator left
//! about the score. Every decision is recomputed from the recorded results
//! by one walk of the tree, so the rules live in one place:
//!
//! - **legacy** (the default grader): a group judges its cases and
//!   subgroups in order, stopping at the first rejected one unless
//!   `on_reject: continue`; its verdict is the worst (`worst_error`) or
//!   first (`first_error`) rejection, or AC (`always_accept`, or
//!   `accept_if_any_accepted` with one accepted item); its score is the
//!   sum, average, minimum or maximum of its items' (a case's score is its
//!   validator's `score.txt`, else `accept_score` / `reject_score`),
//!   clamped into `range`; `ignore_sample` on the root takes `secret`'s
//!   result as the submission's;
//! - **2025-09**: samples score nothing; a group with `pass-fail`
//!   aggregation scores its `max_score` if every case is accepted, `sum`
//!   and `min` add up or take the least of its cases' scores (a case's
//!   maximum is the group's, divided among its cases for `sum`; the
//!   validator's `score.txt` or `score_multiplier.txt` gives part of it, a
//!   rejected case scores 0); `secret` aggregates its groups the same way;
//!   a group whose `require_pass` groups were not all accepted is not
//!   judged and scores 0.
//!
//! A pass-fail problem stops at its first rejected case (samples first),
//! whose verdict is the submission's, unless a legacy package says
//! otherwise. A judge error is never graded: the loop ends judging as IE.

use problem_package::groups::{
    Aggregation, Grading, Item, LegacySettings, ModernSettings, Rules, ScoreMode, Settings,
    VerdictMode,
};
use submission::GroupResult;
use submission::Verdict;

/// Tolerance when comparing scores with their maxima (sums of fractions).
const EPSILON: f64 = 1e-6;

/// What a validator left about a case's score.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ScoreFile {
    #[default]
    None,
    /// `score.txt`.
    Score(f64),
    /// `score_multiplier.txt` (2025-09).
    Multiplier(f64),
}

/// A judged case, as the loop reports it.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Case {
    verdict: Verdict,
    score: ScoreFile,
}

/// A group's (or the submission's) graded result.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Outcome {
    /// `None`: the group was not judged (`require_pass`).
    verdict: Option<Verdict>,
    score: Option<f64>,
}

enum Walk {
    /// This test must be judged before anything more is known.
    Need(usize),
    Done(Outcome),
}

/// What one walk found out, beside the next test.
#[derive(Default)]
struct Found {
    /// Per group: its outcome once graded.
    groups: Vec<Option<Outcome>>,
    /// Per group: why it was not judged.
    skipped: Vec<Option<String>>,
    /// Per test: its score, in a group that scores.
    case_scores: Vec<Option<f64>>,
}

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
        Ok(match self.walk(0, &mut found)? {
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
        match guess.walk(0, &mut found) {
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
        let root = match self.walk(0, &mut found)? {
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
        let _ = self.walk(0, &mut found);
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
                    passed: tests
                        .iter()
                        .filter(|&&i| self.cases[i].is_some_and(|c| c.verdict == Verdict::AC))
                        .count(),
                    total: tests.len(),
                    message: found.skipped[g].clone(),
                }
            })
            .collect()
    }

    /// Test `index`'s score, when its group scores and it is judged.
    pub fn case_score(&self, index: usize) -> Option<f64> {
        let mut found = self.found();
        let _ = self.walk(0, &mut found);
        found.case_scores[index]
    }

    fn found(&self) -> Found {
        let n = self.grading.groups.len();
        Found {
            groups: vec![None; n],
            skipped: vec![None; n],
            case_scores: vec![None; self.cases.len()],
        }
    }

    fn secret(&self) -> Option<usize> {
        self.grading.groups[0].items.iter().find_map(|i| match *i {
            Item::Group(g) if self.grading.groups[g].name == "secret" => Some(g),
            _ => None,
        })
    }

    fn walk(&self, g: usize, found: &mut Found) -> Result<Walk, String> {
        let walk = match &self.grading.groups[g].settings {
            Settings::Legacy(s) => self.walk_legacy(g, s, found)?,
            Settings::Modern(m) => self.walk_modern(g, m, found)?,
        };
        if let Walk::Done(outcome) = walk {
            found.groups[g] = Some(outcome);
        }
        Ok(walk)
    }

    fn walk_legacy(&self, g: usize, s: &LegacySettings, found: &mut Found) -> Result<Walk, String> {
        let mut results: Vec<(Verdict, f64)> = Vec::new();
        for item in &self.grading.groups[g].items {
            let (verdict, score) = match *item {
                Item::Case(i) => {
                    let Some(case) = self.cases[i] else {
                        return Ok(Walk::Need(i));
                    };
                    let score = match (case.verdict, case.score) {
                        (_, ScoreFile::Multiplier(_)) => {
                            return Err(format!(
                                "test {}: score_multiplier.txt is not part of the legacy format",
                                i + 1
                            ))
                        }
                        (Verdict::AC, ScoreFile::Score(x)) => x,
                        (Verdict::AC, ScoreFile::None) => s.accept_score,
                        // The validator's score is for accepted outputs.
                        (_, _) => s.reject_score,
                    };
                    if self.grading.scoring {
                        found.case_scores[i] = Some(score);
                    }
                    (case.verdict, score)
                }
                Item::Group(c) => match self.walk(c, found)? {
                    Walk::Need(i) => return Ok(Walk::Need(i)),
                    Walk::Done(o) => (o.verdict.unwrap_or(Verdict::AC), o.score.unwrap_or(0.0)),
                },
            };
            results.push((verdict, score));
            if verdict != Verdict::AC && !s.on_reject_continue {
                break;
            }
        }
        // ignore_sample (root only): the second sub-result, secret's, is the group's.
        if g == 0 && s.ignore_sample {
            let secret_at = self.grading.groups[0].items.iter().position(
                |i| matches!(i, Item::Group(c) if self.grading.groups[*c].name == "secret"),
            );
            if let Some(r) = secret_at.and_then(|p| results.get(p)) {
                results = vec![*r];
            } else if let Some(first) = results.first().copied() {
                // Judging stopped in sample: its rejection is all there is.
                results = vec![(first.0, s.reject_score)];
            }
        }
        let verdict = legacy_verdict(s, &results);
        let scores: Vec<f64> = results.iter().map(|r| r.1).collect();
        let raw = if scores.is_empty() {
            0.0
        } else {
            match s.score_mode {
                ScoreMode::Sum => scores.iter().sum(),
                ScoreMode::Avg => scores.iter().sum::<f64>() / scores.len() as f64,
                ScoreMode::Min => scores.iter().cloned().fold(f64::INFINITY, f64::min),
                ScoreMode::Max => scores.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
            }
        };
        let score = raw.clamp(s.range.0, s.range.1);
        Ok(Walk::Done(Outcome {
            verdict: Some(verdict),
            score: self.grading.scoring.then_some(score),
        }))
    }

    fn walk_modern(&self, g: usize, m: &ModernSettings, found: &mut Found) -> Result<Walk, String> {
        let group = &self.grading.groups[g];
        // A pass-fail problem, and a pass-fail or min aggregation, gain
        // nothing from judging past a rejection; a sum, and the root of a
        // scoring problem (samples score nothing), go on.
        let stop_on_reject = !self.grading.scoring
            || (g != 0 && m.aggregation != Aggregation::Sum)
            || (g != 0 && !m.scores);
        // require_pass: judged only if every required group was accepted in full.
        if let Some(missing) = m.require_pass.iter().find(|r| {
            let at = self.grading.groups.iter().position(|x| &x.name == *r);
            !at.is_some_and(|at| {
                found.groups[at].is_some_and(|o| o.verdict == Some(Verdict::AC))
                    && self.grading.cases_of(at).len()
                        == self
                            .grading
                            .cases_of(at)
                            .iter()
                            .filter(|&&i| self.cases[i].is_some_and(|c| c.verdict == Verdict::AC))
                            .count()
            })
        }) {
            found.skipped[g] = Some(format!("not judged: {missing} was not passed"));
            return Ok(Walk::Done(Outcome {
                verdict: None,
                score: m.scores.then_some(0.0),
            }));
        }
        let case_max = match (m.aggregation, m.max_score) {
            (Aggregation::Sum, Some(max)) => {
                let n = group
                    .items
                    .iter()
                    .filter(|i| matches!(i, Item::Case(_)))
                    .count();
                Some(max / n.max(1) as f64)
            }
            (_, max) => max,
        };
        let mut verdict = None;
        let mut all_accepted = true;
        let mut scores = Vec::new();
        for item in &group.items {
            let (v, score) = match *item {
                Item::Case(i) => {
                    let Some(case) = self.cases[i] else {
                        return Ok(Walk::Need(i));
                    };
                    let score = self.modern_case_score(i, case, m, case_max)?;
                    if score.is_some() {
                        found.case_scores[i] = score;
                    }
                    (Some(case.verdict), score)
                }
                Item::Group(c) => match self.walk(c, found)? {
                    Walk::Need(i) => return Ok(Walk::Need(i)),
                    Walk::Done(o) => (o.verdict, o.score),
                },
            };
            if let Some(s) = score {
                scores.push(s);
            }
            let accepted = v == Some(Verdict::AC);
            if !accepted {
                all_accepted = false;
                // The first rejection is the group's verdict (a group not
                // judged has none of its own).
                if verdict.is_none() {
                    verdict = v;
                }
                if stop_on_reject {
                    break;
                }
            }
        }
        let verdict = Some(verdict.unwrap_or(Verdict::AC));
        if !m.scores {
            return Ok(Walk::Done(Outcome {
                verdict,
                score: None,
            }));
        }
        let score = match m.aggregation {
            Aggregation::PassFail => {
                if all_accepted {
                    m.max_score.unwrap_or(0.0)
                } else {
                    0.0
                }
            }
            Aggregation::Sum => scores.iter().sum(),
            // A rejected case scored 0, so it is the least.
            Aggregation::Min => scores.iter().cloned().fold(f64::INFINITY, f64::min),
        };
        let score = if score.is_finite() { score } else { 0.0 };
        if let Some(max) = m.max_score {
            if score > max + EPSILON {
                return Err(format!(
                    "{}: score {score} exceeds its max_score {max}",
                    group.name
                ));
            }
        }
        Ok(Walk::Done(Outcome {
            verdict,
            score: Some(score),
        }))
    }

    /// A 2025-09 case's score: `None` where cases score nothing (samples,
    /// pass-fail aggregation).
    fn modern_case_score(
        &self,
        i: usize,
        case: Case,
        m: &ModernSettings,
        case_max: Option<f64>,
    ) -> Result<Option<f64>, String> {
        let test = i + 1;
        let scores = m.scores && m.aggregation != Aggregation::PassFail;
        if !m.scores {
            // A score file on a sample is ignored, as the format says.
            return Ok(None);
        }
        if case.verdict != Verdict::AC {
            if case.score != ScoreFile::None {
                return Err(format!(
                    "test {test}: the validator rejected the output but wrote a score"
                ));
            }
            return Ok(scores.then_some(0.0));
        }
        if !scores {
            if case.score != ScoreFile::None {
                return Err(format!(
                    "test {test}: the validator wrote a score in a pass-fail group"
                ));
            }
            return Ok(None);
        }
        let score = match (case.score, case_max) {
            (ScoreFile::None, Some(max)) => max,
            (ScoreFile::None, None) => {
                return Err(format!(
                    "test {test}: an accepted case of an unbounded group needs score.txt"
                ))
            }
            (ScoreFile::Multiplier(x), Some(max)) => {
                if !(0.0..=1.0).contains(&x) {
                    return Err(format!(
                        "test {test}: score_multiplier.txt must be in [0, 1], found {x}"
                    ));
                }
                x * max
            }
            (ScoreFile::Multiplier(_), None) => {
                return Err(format!(
                    "test {test}: score_multiplier.txt in a group of unbounded score"
                ))
            }
            (ScoreFile::Score(x), max) => {
                if x < 0.0 {
                    return Err(format!("test {test}: score.txt is negative ({x})"));
                }
                if let Some(max) = max {
                    if x > max + EPSILON {
                        return Err(format!(
                            "test {test}: score.txt {x} exceeds the case's maximum {max}"
                        ));
                    }
                }
                x
            }
        };
        Ok(Some(score))
    }
}

/// The default grader's verdict over a group's sub-results.
fn legacy_verdict(s: &LegacySettings, results: &[(Verdict, f64)]) -> Verdict {
    if s.accept_if_any_accepted && results.iter().any(|r| r.0 == Verdict::AC) {
        return Verdict::AC;
    }
    match s.verdict_mode {
        VerdictMode::AlwaysAccept => Verdict::AC,
        VerdictMode::FirstError => results
            .iter()
            .map(|r| r.0)
            .find(|v| *v != Verdict::AC)
            .unwrap_or(Verdict::AC),
        // problemtools' order: JE, RTE, MLE, TLE, OLE, WA.
        VerdictMode::WorstError => {
            let rank = |v: Verdict| match v {
                Verdict::IE => 0,
                Verdict::CE => 1,
                Verdict::RE => 2,
                Verdict::MLE => 3,
                Verdict::TLE => 4,
                Verdict::OLE => 5,
                Verdict::WA => 6,
                Verdict::AC => 7,
            };
            results
                .iter()
                .map(|r| r.0)
                .min_by_key(|v| rank(*v))
                .unwrap_or(Verdict::AC)
        }
    }
}

/// Reads a validator's `score.txt` / `score_multiplier.txt` (their text as
/// the feedback directory gave it back). Both, or a text that is not one
/// number, is a judge error.
pub fn score_file(score: Option<&str>, multiplier: Option<&str>) -> Result<ScoreFile, String> {
    let parse = |name: &str, text: &str| -> Result<f64, String> {
        let t = text.trim();
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{name}: expected one number, found {t:?}"))
    };
    match (score, multiplier) {
        (Some(_), Some(_)) => {
            Err("the validator wrote both score.txt and score_multiplier.txt".into())
        }
        (Some(s), None) => Ok(ScoreFile::Score(parse("score.txt", s)?)),
        (None, Some(m)) => Ok(ScoreFile::Multiplier(parse("score_multiplier.txt", m)?)),
        (None, None) => Ok(ScoreFile::None),
    }
}

#[cfg(test)]
mod tests;
