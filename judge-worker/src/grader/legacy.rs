//! The legacy rules (the format's default grader): a group judges its
//! cases and subgroups in order, stopping at the first rejected one unless
//! `on_reject: continue`; its verdict is the worst (`worst_error`) or first
//! (`first_error`) rejection, or AC (`always_accept`, or
//! `accept_if_any_accepted` with one accepted item); its score is the sum,
//! average, minimum or maximum of its items' (a case's score is its
//! validator's `score.txt`, else `accept_score` / `reject_score`), clamped
//! into `range`; `ignore_sample` on the root takes `secret`'s result as the
//! submission's.

use problem_package::groups::{Item, LegacySettings, ScoreMode, VerdictMode};
use submission::Verdict;

use super::score_file::ScoreFile;
use super::tree::{Found, Outcome, Subgroup, Tree, Walk};

/// Walks group `g`, whose settings are `s`, judging subgroups with `sub`.
pub(super) fn walk(
    tree: Tree<'_>,
    g: usize,
    s: &LegacySettings,
    found: &mut Found,
    sub: Subgroup,
) -> Result<Walk, String> {
    let grading = tree.grading;
    let mut results: Vec<(Verdict, f64)> = Vec::new();
    for item in &grading.groups[g].items {
        let (verdict, score) = match *item {
            Item::Case(i) => {
                let Some(case) = tree.cases[i] else {
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
                if grading.scoring {
                    found.case_scores[i] = Some(score);
                }
                (case.verdict, score)
            }
            Item::Group(c) => match sub(tree, c, found)? {
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
        let secret_at = grading.groups[0]
            .items
            .iter()
            .position(|i| matches!(i, Item::Group(c) if grading.groups[*c].name == "secret"));
        if let Some(r) = secret_at.and_then(|p| results.get(p)) {
            results = vec![*r];
        } else if let Some(first) = results.first().copied() {
            // Judging stopped in sample: its rejection is all there is.
            results = vec![(first.0, s.reject_score)];
        }
    }
    let verdict = verdict(s, &results);
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
        score: grading.scoring.then_some(score),
    }))
}

/// The group's verdict over its sub-results.
fn verdict(s: &LegacySettings, results: &[(Verdict, f64)]) -> Verdict {
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
