//! The grader: walks a problem's test groups in the format's order, says
//! which test to run next, and aggregates verdicts and scores per group and
//! for the submission, by the package's rules ([`judge_core::groups`]).
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

use judge_core::groups::{
    Aggregation, Grading, Item, LegacySettings, ModernSettings, Rules, ScoreMode, Settings,
    VerdictMode,
};
use judge_core::model::GroupResult;
use judge_core::Verdict;

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

    /// The test after `pending` if `pending` is accepted, to run it while
    /// `pending`'s output is being checked (pipelining). A guess: when
    /// `pending` is rejected, [`Self::next`] may name another test.
    pub fn next_if_accepted(&self, pending: usize) -> Option<usize> {
        let mut guess = self.clone();
        guess.cases[pending] = Some(Case {
            verdict: Verdict::AC,
            score: ScoreFile::None,
        });
        guess.next().ok().flatten()
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
                    max_score: self.grading.max_of(g),
                    score: outcome.and_then(|o| o.score),
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
mod tests {
    use super::*;
    use judge_core::groups::Group;
    use Verdict::*;

    fn legacy(settings: LegacySettings) -> Settings {
        Settings::Legacy(settings)
    }

    fn continue_() -> LegacySettings {
        LegacySettings {
            on_reject_continue: true,
            ..LegacySettings::default()
        }
    }

    fn group(name: &str, settings: Settings, items: Vec<Item>) -> Group {
        Group {
            name: name.into(),
            items,
            settings,
        }
    }

    fn grading(rules: Rules, scoring: bool, groups: Vec<Group>) -> Grading {
        Grading {
            rules,
            scoring,
            minimize: false,
            validator_scores: false,
            groups,
        }
    }

    /// Judges with scripted verdicts and score files, as the loop would:
    /// returns the tests judged (1-based) and the result.
    fn judge(
        g: &Grading,
        tests: usize,
        script: &[(Verdict, ScoreFile)],
    ) -> (Vec<usize>, Result<Graded, String>) {
        let mut grader = Grader::new(g, tests);
        let mut judged = Vec::new();
        loop {
            match grader.next() {
                Ok(Some(i)) => {
                    judged.push(i + 1);
                    if let Err(e) = grader.record(i, script[i].0, script[i].1) {
                        return (judged, Err(e));
                    }
                }
                Ok(None) => return (judged, grader.graded()),
                Err(e) => return (judged, Err(e)),
            }
        }
    }

    fn v(verdicts: &[Verdict]) -> Vec<(Verdict, ScoreFile)> {
        verdicts.iter().map(|v| (*v, ScoreFile::None)).collect()
    }

    /// data → sample [0], secret → [a: 1, 2], [b: 3, 4]
    fn legacy_tree(
        root: LegacySettings,
        secret: LegacySettings,
        a: LegacySettings,
        b: LegacySettings,
    ) -> Grading {
        grading(
            Rules::Legacy,
            true,
            vec![
                group("data", legacy(root), vec![Item::Group(1), Item::Group(2)]),
                group(
                    "sample",
                    legacy(LegacySettings::default()),
                    vec![Item::Case(0)],
                ),
                group(
                    "secret",
                    legacy(secret),
                    vec![Item::Group(3), Item::Group(4)],
                ),
                group("secret/a", legacy(a), vec![Item::Case(1), Item::Case(2)]),
                group("secret/b", legacy(b), vec![Item::Case(3), Item::Case(4)]),
            ],
        )
    }

    #[test]
    fn a_pass_fail_problem_stops_at_the_first_rejection_samples_first() {
        let g = Grading::pass_fail(4);
        assert_eq!(
            judge(&g, 4, &v(&[AC, AC, AC, AC])),
            (
                vec![1, 2, 3, 4],
                Ok(Graded {
                    verdict: AC,
                    score: None
                })
            )
        );
        assert_eq!(
            judge(&g, 4, &v(&[AC, TLE, WA, AC])),
            (
                vec![1, 2],
                Ok(Graded {
                    verdict: TLE,
                    score: None
                })
            )
        );
        // The legacy defaults on a tree are the same thing.
        let d = LegacySettings::default();
        let mut tree = legacy_tree(d.clone(), d.clone(), d.clone(), d);
        tree.scoring = false;
        assert_eq!(
            judge(&tree, 5, &v(&[WA, AC, AC, AC, AC])),
            (
                vec![1],
                Ok(Graded {
                    verdict: WA,
                    score: None
                })
            )
        );
        assert_eq!(judge(&tree, 5, &v(&[AC, AC, RE, WA, AC])).0, vec![1, 2, 3]);
    }

    #[test]
    fn legacy_on_reject_continue_judges_on_and_worst_or_first_error_decides() {
        let d = LegacySettings::default();
        let worst = legacy_tree(continue_(), continue_(), continue_(), continue_());
        let (judged, graded) = judge(&worst, 5, &v(&[AC, WA, AC, TLE, AC]));
        assert_eq!(judged, vec![1, 2, 3, 4, 5]);
        // worst_error: TLE ranks before WA; score: one per accepted case.
        assert_eq!(
            graded,
            Ok(Graded {
                verdict: TLE,
                score: Some(3.0)
            })
        );
        let first = LegacySettings {
            verdict_mode: VerdictMode::FirstError,
            ..continue_()
        };
        let tree = legacy_tree(first.clone(), first.clone(), first.clone(), first);
        assert_eq!(
            judge(&tree, 5, &v(&[AC, WA, AC, TLE, AC]))
                .1
                .unwrap()
                .verdict,
            WA
        );
        // break in a group skips the rest of that group only.
        let tree = legacy_tree(continue_(), continue_(), d.clone(), d);
        assert_eq!(
            judge(&tree, 5, &v(&[AC, WA, AC, AC, AC])).0,
            vec![1, 2, 4, 5]
        );
    }

    #[test]
    fn legacy_score_modes_accept_and_reject_scores_and_range_clamping() {
        let scored = |mode: ScoreMode| LegacySettings {
            score_mode: mode,
            accept_score: 10.0,
            reject_score: 2.0,
            ..continue_()
        };
        let script = v(&[AC, AC, WA, AC, AC]);
        // a is (AC 10, WA 2), b is (AC 10, AC 10); secret adds a and b up.
        for (mode, expected) in [
            (ScoreMode::Sum, 12.0 + 20.0),
            (ScoreMode::Avg, 6.0 + 10.0),
            (ScoreMode::Min, 2.0 + 10.0),
            (ScoreMode::Max, 10.0 + 10.0),
        ] {
            let tree = legacy_tree(
                LegacySettings {
                    ignore_sample: true,
                    ..continue_()
                },
                continue_(),
                scored(mode),
                scored(mode),
            );
            let graded = judge(&tree, 5, &script).1.unwrap();
            assert_eq!(graded.score, Some(expected), "{mode:?}");
        }
        // range clamps a group's score (and so its parent's sum).
        let clamped = LegacySettings {
            range: (0.0, 15.0),
            ..scored(ScoreMode::Sum)
        };
        let tree = legacy_tree(
            LegacySettings {
                ignore_sample: true,
                ..continue_()
            },
            continue_(),
            clamped.clone(),
            clamped,
        );
        assert_eq!(judge(&tree, 5, &script).1.unwrap().score, Some(12.0 + 15.0));
        let low = LegacySettings {
            range: (5.0, 100.0),
            reject_score: 0.0,
            ..scored(ScoreMode::Min)
        };
        let tree = legacy_tree(continue_(), continue_(), low.clone(), low);
        // a: min(10, 0) = 0 → 5; b: 10; sample: 1.
        assert_eq!(
            judge(&tree, 5, &script).1.unwrap().score,
            Some(1.0 + 5.0 + 10.0)
        );
        // score.txt replaces accept_score on accepted cases only.
        let tree = legacy_tree(continue_(), continue_(), continue_(), continue_());
        let mut script = v(&[AC, AC, WA, AC, AC]);
        script[1].1 = ScoreFile::Score(0.25);
        script[2].1 = ScoreFile::Score(7.0);
        assert_eq!(
            judge(&tree, 5, &script).1.unwrap().score,
            Some(1.0 + 0.25 + 0.0 + 1.0 + 1.0)
        );
        script[3].1 = ScoreFile::Multiplier(0.5);
        assert!(judge(&tree, 5, &script)
            .1
            .unwrap_err()
            .contains("score_multiplier"));
    }

    #[test]
    fn legacy_ignore_sample_accept_if_any_accepted_and_always_accept() {
        let any = LegacySettings {
            accept_if_any_accepted: true,
            ..continue_()
        };
        let root = LegacySettings {
            ignore_sample: true,
            ..continue_()
        };
        // A failing sample is ignored; secret is accepted because a is.
        let tree = legacy_tree(root.clone(), any, continue_(), continue_());
        let graded = judge(&tree, 5, &v(&[WA, AC, AC, WA, AC])).1.unwrap();
        assert_eq!(
            graded,
            Graded {
                verdict: AC,
                score: Some(3.0)
            }
        );
        // Without accept_if_any_accepted, secret's rejection is the verdict.
        let tree = legacy_tree(root.clone(), continue_(), continue_(), continue_());
        assert_eq!(
            judge(&tree, 5, &v(&[WA, AC, AC, WA, AC]))
                .1
                .unwrap()
                .verdict,
            WA
        );
        let always = LegacySettings {
            verdict_mode: VerdictMode::AlwaysAccept,
            ..continue_()
        };
        let tree = legacy_tree(root, always, continue_(), continue_());
        assert_eq!(
            judge(&tree, 5, &v(&[AC, WA, RE, WA, TLE])).1.unwrap(),
            Graded {
                verdict: AC,
                score: Some(0.0)
            }
        );
    }

    fn modern(aggregation: Aggregation, max_score: Option<f64>, require_pass: &[&str]) -> Settings {
        Settings::Modern(ModernSettings {
            aggregation,
            max_score,
            require_pass: require_pass.iter().map(|s| s.to_string()).collect(),
            scores: true,
        })
    }

    fn unscored() -> Settings {
        Settings::Modern(ModernSettings {
            aggregation: Aggregation::PassFail,
            max_score: None,
            require_pass: Vec::new(),
            scores: false,
        })
    }

    /// data → sample [0], secret (sum, 100) → g1 [1, 2], g2 [3, 4], g3 [5]
    fn modern_tree(g1: Settings, g2: Settings, g3: Settings) -> Grading {
        grading(
            Rules::Modern,
            true,
            vec![
                group("data", unscored(), vec![Item::Group(1), Item::Group(2)]),
                group("sample", unscored(), vec![Item::Case(0)]),
                group(
                    "secret",
                    modern(Aggregation::Sum, Some(100.0), &[]),
                    vec![Item::Group(3), Item::Group(4), Item::Group(5)],
                ),
                group("secret/g1", g1, vec![Item::Case(1), Item::Case(2)]),
                group("secret/g2", g2, vec![Item::Case(3), Item::Case(4)]),
                group("secret/g3", g3, vec![Item::Case(5)]),
            ],
        )
    }

    #[test]
    fn modern_pass_fail_groups_sum_up_and_samples_score_nothing() {
        let tree = modern_tree(
            modern(Aggregation::PassFail, Some(20.0), &[]),
            modern(Aggregation::PassFail, Some(30.0), &[]),
            modern(Aggregation::PassFail, Some(50.0), &[]),
        );
        assert_eq!(
            judge(&tree, 6, &v(&[AC; 6])),
            (
                vec![1, 2, 3, 4, 5, 6],
                Ok(Graded {
                    verdict: AC,
                    score: Some(100.0)
                })
            )
        );
        // A failed sample stops nothing and costs nothing; a failed case
        // ends its pass-fail group (5 is not run) and zeroes it.
        let (judged, graded) = judge(&tree, 6, &v(&[WA, AC, AC, TLE, AC, AC]));
        assert_eq!(judged, vec![1, 2, 3, 4, 6]);
        assert_eq!(
            graded,
            Ok(Graded {
                verdict: WA,
                score: Some(70.0)
            })
        );
        let mut grader = Grader::new(&tree, 6);
        for (i, verdict) in [WA, AC, AC, TLE, AC, AC].into_iter().enumerate() {
            if i != 4 {
                grader.record(i, verdict, ScoreFile::None).unwrap();
            }
        }
        let groups = grader.groups();
        assert_eq!(groups[0].name, "sample");
        assert_eq!(
            (groups[0].score, groups[0].verdict, groups[0].max_score),
            (None, Some(WA), None)
        );
        assert_eq!(
            (
                groups[3].score,
                groups[3].verdict,
                groups[3].passed,
                groups[3].total
            ),
            (Some(0.0), Some(TLE), 0, 2)
        );
        assert_eq!(groups[1].score, Some(70.0));
        assert_eq!(grader.case_score(0), None);
    }

    #[test]
    fn modern_sum_and_min_groups_take_validator_scores() {
        let tree = modern_tree(
            modern(Aggregation::Sum, Some(20.0), &[]),
            modern(Aggregation::Min, Some(30.0), &[]),
            modern(Aggregation::PassFail, Some(50.0), &[]),
        );
        let mut script = v(&[AC, AC, AC, AC, AC, AC]);
        script[1].1 = ScoreFile::Multiplier(0.5); // 5 of 10
        script[3].1 = ScoreFile::Score(12.0); // min(12, 30)
        let (judged, graded) = judge(&tree, 6, &script);
        assert_eq!(judged.len(), 6);
        assert_eq!(graded.unwrap().score, Some(5.0 + 10.0 + 12.0 + 50.0));
        // A sum group goes on after a rejection; a min group stops at 0.
        let (judged, graded) = judge(&tree, 6, &v(&[AC, WA, AC, WA, AC, AC]));
        assert_eq!(judged, vec![1, 2, 3, 4, 6]);
        assert_eq!(graded.unwrap().score, Some(10.0 + 0.0 + 50.0));
        // Score rules broken by a validator are judge errors.
        for (at, bad, why) in [
            (1, ScoreFile::Score(10.5), "exceeds"),
            (1, ScoreFile::Multiplier(1.5), "[0, 1]"),
            (5, ScoreFile::Score(1.0), "pass-fail"),
        ] {
            let mut script = v(&[AC; 6]);
            script[at].1 = bad;
            assert!(
                judge(&tree, 6, &script).1.unwrap_err().contains(why),
                "{bad:?}"
            );
        }
        let mut script = v(&[AC, WA, AC, AC, AC, AC]);
        script[1].1 = ScoreFile::Score(1.0);
        assert!(judge(&tree, 6, &script).1.unwrap_err().contains("rejected"));
        // A score file on a sample is ignored.
        let mut script = v(&[AC; 6]);
        script[0].1 = ScoreFile::Score(99.0);
        assert_eq!(judge(&tree, 6, &script).1.unwrap().score, Some(100.0));
    }

    #[test]
    fn modern_require_pass_skips_a_group_whose_dependencies_failed() {
        let tree = modern_tree(
            modern(Aggregation::PassFail, Some(20.0), &["sample"]),
            modern(Aggregation::PassFail, Some(30.0), &["secret/g1"]),
            modern(Aggregation::PassFail, Some(50.0), &[]),
        );
        let (judged, graded) = judge(&tree, 6, &v(&[AC, AC, WA, AC, AC, AC]));
        // g1 fails, so g2 (cases 4, 5) is not run; g3 is.
        assert_eq!(judged, vec![1, 2, 3, 6]);
        assert_eq!(
            graded,
            Ok(Graded {
                verdict: WA,
                score: Some(50.0)
            })
        );
        let mut grader = Grader::new(&tree, 6);
        for i in [0, 1, 2, 5] {
            grader
                .record(i, if i == 2 { WA } else { AC }, ScoreFile::None)
                .unwrap();
        }
        let g2 = &grader.groups()[3];
        assert_eq!((g2.score, g2.verdict), (Some(0.0), None));
        assert!(
            g2.message.as_deref().unwrap().contains("secret/g1"),
            "{g2:?}"
        );
        // A failed sample takes g1, and with it g2.
        let (judged, graded) = judge(&tree, 6, &v(&[WA, AC, AC, AC, AC, AC]));
        assert_eq!(judged, vec![1, 6]);
        assert_eq!(
            graded,
            Ok(Graded {
                verdict: WA,
                score: Some(50.0)
            })
        );
    }

    #[test]
    fn pipelining_guesses_the_test_after_an_accepted_one() {
        let tree = modern_tree(
            modern(Aggregation::PassFail, Some(20.0), &[]),
            modern(Aggregation::PassFail, Some(30.0), &["secret/g1"]),
            modern(Aggregation::PassFail, Some(50.0), &[]),
        );
        let mut grader = Grader::new(&tree, 6);
        assert_eq!(grader.next(), Ok(Some(0)));
        assert_eq!(grader.next_if_accepted(0), Some(1));
        grader.record(0, AC, ScoreFile::None).unwrap();
        grader.record(1, AC, ScoreFile::None).unwrap();
        // If test 3 passes, g2 follows; if it fails, g2 is skipped for g3.
        assert_eq!(grader.next_if_accepted(2), Some(3));
        grader.record(2, WA, ScoreFile::None).unwrap();
        assert_eq!(grader.next(), Ok(Some(5)));
    }

    #[test]
    fn score_files_are_read_strictly() {
        assert_eq!(score_file(Some("12.5\n"), None), Ok(ScoreFile::Score(12.5)));
        assert_eq!(
            score_file(None, Some("0.5")),
            Ok(ScoreFile::Multiplier(0.5))
        );
        assert_eq!(score_file(None, None), Ok(ScoreFile::None));
        assert!(score_file(Some("1"), Some("1"))
            .unwrap_err()
            .contains("both"));
        assert!(score_file(Some("lots"), None)
            .unwrap_err()
            .contains("score.txt"));
    }
}
