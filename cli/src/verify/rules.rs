//! What a submission must get: the format's verdict names, a [`Rule`]
//! (permitted and required verdicts, a score range), and the rule of each
//! submissions folder when `submissions.yaml` says nothing about it.

use problem_package::timelimit::Format;
use serde::Serialize;
use submission::{SubmissionState, Verdict};

use crate::output;

/// A verdict class as the package format names them.
pub(super) const AC: &str = "AC";
pub(super) const WA: &str = "WA";
pub(super) const TLE: &str = "TLE";
pub(super) const RTE: &str = "RTE";

pub(super) const ALL: &[&str] = &[AC, WA, TLE, RTE];

/// Scores within this of a bound are at the bound (sums of fractions).
const SCORE_EPSILON: f64 = 1e-6;

/// The format's verdict for a judge verdict: MLE and OLE are run-time
/// errors there (problemtools runs submissions under the memory limit and
/// reports a crash); a compilation or judge error is never permitted.
pub(super) fn format_verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::AC => AC,
        Verdict::WA => WA,
        Verdict::TLE => TLE,
        Verdict::RE | Verdict::MLE | Verdict::OLE => RTE,
        Verdict::CE => "CE",
        Verdict::IE => "JE",
    }
}

/// `WA`, or `WA 40` for a submission to a scoring problem.
pub(super) fn with_score(verdict: &str, state: &SubmissionState) -> String {
    match state.score.filter(|_| state.is_scoring()) {
        Some(score) => format!("{verdict} {}", output::style::format_score(score)),
        None => verdict.to_string(),
    }
}

/// One requirement a submission must meet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// Where it comes from: `accepted/` or `submissions.yaml: <glob>`.
    pub source: String,
    /// Every judged case must have one of these.
    pub permitted: Vec<String>,
    /// At least one judged case must have one of these.
    pub required: Vec<String>,
    /// `use_for_time_limit` of this rule, if given.
    #[serde(skip)]
    pub use_for_time_limit: Option<UseForTimeLimit>,
    /// The submission's score must lie in this inclusive range (2025-09
    /// `score` in `submissions.yaml`: a number, or two).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<(f64, f64)>,
    /// Legacy `partially_accepted/`: the submission's verdict is AC and its
    /// score is not the maximum.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partially_accepted: bool,
    /// `grading.objective: min`: `partially_accepted/` must then not get the
    /// range's minimum, which the judge does not report, so only its AC is
    /// checked (with a note).
    #[serde(skip)]
    pub minimize: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseForTimeLimit {
    No,
    Lower,
    Upper,
}

impl Rule {
    pub(super) fn new(source: &str, permitted: &[&str], required: &[&str]) -> Rule {
        Rule {
            source: source.into(),
            permitted: permitted.iter().map(|s| s.to_string()).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            use_for_time_limit: None,
            score: None,
            partially_accepted: false,
            minimize: false,
        }
    }

    /// Why the submission's score breaks this rule, if it does. A scoring
    /// rule on a pass-fail problem is broken: the package is inconsistent.
    pub(super) fn score_broken_by(&self, state: &SubmissionState) -> Option<String> {
        if self.score.is_none() && !self.partially_accepted {
            return None;
        }
        let Some(score) = state.score.filter(|_| state.is_scoring()) else {
            if state.verdict == Some(Verdict::CE) && state.is_scoring() {
                return Some(format!(
                    "{} expects a score, and a compilation error scores nothing",
                    self.source
                ));
            }
            return Some(format!(
                "{} is for scoring problems, and this one is pass-fail",
                self.source
            ));
        };
        self.score_out_of_range(score)
            .or_else(|| self.partial_broken_by(state, score))
    }

    /// Why `score` is not in this rule's range, if it is not.
    fn score_out_of_range(&self, score: f64) -> Option<String> {
        let (lo, hi) = self.score?;
        if score < lo - SCORE_EPSILON || score > hi + SCORE_EPSILON {
            return Some(format!(
                "score {} is not {} required by {}",
                output::style::format_score(score),
                score_range(lo, hi),
                self.source
            ));
        }
        None
    }

    /// Why a legacy `partially_accepted/` submission that scored `score`
    /// breaks this rule, if it does: it must be AC, below the maximum.
    fn partial_broken_by(&self, state: &SubmissionState, score: f64) -> Option<String> {
        if !self.partially_accepted {
            return None;
        }
        if state.verdict != Some(Verdict::AC) {
            return Some(format!(
                "{} requires the verdict AC (with less than the maximum score)",
                self.source
            ));
        }
        let max = state.max_score.filter(|_| !self.minimize)?;
        if score >= max - SCORE_EPSILON {
            return Some(format!(
                "score {} is the maximum, which {} must not get",
                output::style::format_score(score),
                self.source
            ));
        }
        None
    }

    /// Why `seen` (the judged cases' verdicts) breaks this rule, if it does.
    pub(super) fn broken_by(&self, seen: &[&str]) -> Option<String> {
        if let Some(bad) = seen
            .iter()
            .find(|v| !self.permitted.iter().any(|p| p == *v))
        {
            return Some(format!(
                "{bad} is not permitted by {} (permitted: {})",
                self.source,
                self.permitted.join(", ")
            ));
        }
        if !seen.iter().any(|v| self.required.iter().any(|r| r == v)) {
            return Some(format!(
                "{} requires one of {} on some case",
                self.source,
                self.required.join(", ")
            ));
        }
        None
    }

    pub(super) fn bounds_from_below(&self) -> bool {
        match self.use_for_time_limit {
            Some(UseForTimeLimit::No) | Some(UseForTimeLimit::Upper) => false,
            Some(UseForTimeLimit::Lower) => true,
            None => !self.permitted.iter().any(|p| p == TLE),
        }
    }

    pub(super) fn bounds_from_above(&self) -> bool {
        match self.use_for_time_limit {
            Some(UseForTimeLimit::No) | Some(UseForTimeLimit::Lower) => false,
            Some(UseForTimeLimit::Upper) => true,
            None => self.required == [TLE],
        }
    }
}

/// `40`, or `30..50`.
pub(super) fn score_range(lo: f64, hi: f64) -> String {
    if (hi - lo).abs() < SCORE_EPSILON {
        output::style::format_score(lo)
    } else {
        format!(
            "{}..{}",
            output::style::format_score(lo),
            output::style::format_score(hi)
        )
    }
}

/// The requirements of a submission folder with no `submissions.yaml`
/// entry: the 2025-09 defaults, and the legacy folders' descriptions
/// (legacy `time_limit_exceeded/` may also give a wrong answer).
pub(super) fn folder_rule(format: Format, folder: &str) -> Option<Rule> {
    let source = format!("{folder}/");
    Some(match (format, folder) {
        (_, "accepted") => Rule::new(&source, &[AC], &[AC]),
        (_, "wrong_answer") => Rule::new(&source, &[AC, WA], &[WA]),
        (Format::Legacy, "time_limit_exceeded") => Rule::new(&source, &[AC, WA, TLE], &[TLE]),
        (_, "time_limit_exceeded") => Rule::new(&source, &[AC, TLE], &[TLE]),
        (Format::Legacy, "run_time_error") => Rule::new(&source, ALL, &[RTE]),
        (_, "run_time_error") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "rejected") => Rule::new(&source, ALL, &[RTE, TLE, WA]),
        (_, "brute_force") => Rule::new(&source, &[AC, RTE, TLE], &[RTE, TLE]),
        // DOMjudge-style folders, checked by the nearest format verdict.
        (_, "memory_limit_exceeded") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "output_limit_exceeded") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "compile_error") => Rule::new(&source, &["CE"], &["CE"]),
        // Legacy scoring problems: accepted, with less than the maximum
        // score; its cases may have any verdict (the grader may accept a
        // group that rejected some, e.g. `accept_if_any_accepted`).
        (Format::Legacy, "partially_accepted") => {
            let mut rule = Rule::new(&source, ALL, ALL);
            rule.partially_accepted = true;
            rule
        }
        _ => return None,
    })
}
