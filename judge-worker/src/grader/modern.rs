//! The 2025-09 rules: samples score nothing; a group with `pass-fail`
//! aggregation scores its `max_score` if every case is accepted, `sum` and
//! `min` add up or take the least of its cases' scores (a case's maximum is
//! the group's, divided among its cases for `sum`; the validator's
//! `score.txt` or `score_multiplier.txt` gives part of it, a rejected case
//! scores 0); `secret` aggregates its groups the same way; a group whose
//! `require_pass` groups were not all accepted is not judged and scores 0.

use problem_package::groups::{Aggregation, Item, ModernSettings};
use submission::Verdict;

use super::score_file::ScoreFile;
use super::tree::{Case, Found, Outcome, Subgroup, Tree, Walk};

/// Tolerance when comparing scores with their maxima (sums of fractions).
const EPSILON: f64 = 1e-6;

/// Walks group `g`, whose settings are `m`, judging subgroups with `sub`.
pub(super) fn walk(
    tree: Tree<'_>,
    g: usize,
    m: &ModernSettings,
    found: &mut Found,
    sub: Subgroup,
) -> Result<Walk, String> {
    let grading = tree.grading;
    let group = &grading.groups[g];
    // A pass-fail problem, and a pass-fail or min aggregation, gain
    // nothing from judging past a rejection; a sum, and the root of a
    // scoring problem (samples score nothing), go on.
    let stop_on_reject =
        !grading.scoring || (g != 0 && m.aggregation != Aggregation::Sum) || (g != 0 && !m.scores);
    // require_pass: judged only if every required group was accepted in full.
    if let Some(missing) = m.require_pass.iter().find(|r| {
        let at = grading.groups.iter().position(|x| &x.name == *r);
        !at.is_some_and(|at| {
            found.groups[at].is_some_and(|o| o.verdict == Some(Verdict::AC))
                && grading.cases_of(at).iter().all(|&i| tree.accepted(i))
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
                let Some(case) = tree.cases[i] else {
                    return Ok(Walk::Need(i));
                };
                let score = case_score(i, case, m, case_max)?;
                if score.is_some() {
                    found.case_scores[i] = score;
                }
                (Some(case.verdict), score)
            }
            Item::Group(c) => match sub(tree, c, found)? {
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

/// A case's score: `None` where cases score nothing (samples, pass-fail
/// aggregation).
fn case_score(
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
