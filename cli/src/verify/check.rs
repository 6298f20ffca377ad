//! A judged submission held against its rules: the table's [`Row`], with
//! its [`Outcome`] and the reason for it.

use problem_package::timelimit::{self, TimingRules};
use serde::Serialize;
use submission::{SubmissionState, Verdict};

use super::judging::Judged;
use super::limit::normalised_seconds;
use super::planned::Planned;
use super::rules::{format_verdict, with_score, RTE};

/// How a submission fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Passes, with something the admin should know (legacy TLE margin).
    Warning,
    Mismatch,
    /// Not judged: the language is not supported (Python 2), or no rule applies.
    Skipped,
}

/// A row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub submission: String,
    pub language: String,
    pub expected: String,
    /// The verdict (the format's name), or empty when not judged.
    pub got: String,
    pub max_time_ms: Option<u64>,
    /// The failing case, or for an accepted submission its slowest.
    pub test_case: Option<String>,
    /// The problem time limit it was judged with (before the language's multiplier).
    pub time_limit_ms: Option<u64>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub submission_id: Option<String>,
}

/// The rows of every planned submission; one never judged says so.
pub(super) fn rows(
    planned: &[Planned],
    judged: &[Option<Judged>],
    rules: &TimingRules,
    time_limit_ms: u64,
) -> Vec<Row> {
    planned
        .iter()
        .zip(judged)
        .map(|(p, j)| {
            let j = j.clone().unwrap_or(Judged::NotJudged("not judged".into()));
            row(p, &j, rules, time_limit_ms)
        })
        .collect()
}

/// Whether no row is a mismatch.
pub(super) fn passed(rows: &[Row]) -> bool {
    count(rows, Outcome::Mismatch) == 0
}

/// How many rows have `outcome`.
pub(super) fn count(rows: &[Row], outcome: Outcome) -> usize {
    rows.iter().filter(|r| r.outcome == outcome).count()
}

/// The row for a judged (or not judged) submission.
pub(super) fn row(p: &Planned, judged: &Judged, rules: &TimingRules, time_limit_ms: u64) -> Row {
    match judged {
        Judged::NotJudged(reason) => not_judged_row(p, reason),
        Judged::Done { state, limit_ms } => judged_row(p, state, *limit_ms, rules, time_limit_ms),
    }
}

/// The row of a submission that was not judged, with the reason.
fn not_judged_row(p: &Planned, reason: &str) -> Row {
    // The reader names the file by its full path; the row already says which.
    let reason = reason
        .replace(&format!("{}: ", p.path.display()), "")
        .replace(&format!("{}/", p.path.display()), "");
    let reason = if reason.contains("not supported") {
        format!("unsupported language: {reason}")
    } else {
        reason
    };
    Row {
        submission: p.name.clone(),
        language: p.language.clone().unwrap_or_default(),
        expected: p.expected(),
        got: String::new(),
        max_time_ms: None,
        test_case: None,
        time_limit_ms: None,
        outcome: Outcome::Skipped,
        reason: Some(reason),
        submission_id: None,
    }
}

/// The row of a submission judged with the limit `limit_ms`; the problem's
/// limit is `time_limit_ms` (lower when it was judged at the TLE margin).
fn judged_row(
    p: &Planned,
    state: &SubmissionState,
    limit_ms: u64,
    rules: &TimingRules,
    time_limit_ms: u64,
) -> Row {
    let verdict = state.verdict.unwrap_or(Verdict::IE);
    let seen = seen_verdicts(state, verdict);
    let (mut outcome, mut reason) = held_against_rules(p, &seen, state);
    reason = with_judge_messages(reason, state, verdict);
    let at_margin = limit_ms > time_limit_ms;
    if outcome == Outcome::Mismatch
        && at_margin
        && only_too_slow_at_limit(state, &seen, rules, time_limit_ms)
    {
        outcome = Outcome::Warning;
        reason = Some(format!(
            "too slow at the time limit, but not at the safety margin ({}): sensitive to the time limit",
            timelimit::seconds(limit_ms as f64 / 1000.0)
        ));
    }
    if outcome == Outcome::Mismatch && verdict == Verdict::TLE {
        if let Some(waited) = waited_rather_than_computed(state, limit_ms) {
            reason = Some(format!("{}; {waited}", reason.as_deref().unwrap_or("")));
        }
    }
    if outcome == Outcome::Ok && !p.notes.is_empty() {
        reason = Some(p.notes.join("; "));
    }
    let expected = p.expected();
    Row {
        submission: p.name.clone(),
        language: state.language.clone(),
        expected: if at_margin {
            format!(
                "{expected} (at {})",
                timelimit::seconds(limit_ms as f64 / 1000.0)
            )
        } else {
            expected
        },
        got: with_score(format_verdict(verdict), state),
        max_time_ms: Some(state.time_ms),
        test_case: deciding_case(state, verdict),
        time_limit_ms: Some(limit_ms),
        outcome,
        reason,
        submission_id: Some(state.id.clone()),
    }
}

/// The format's verdicts of the judged cases, and the submission's own
/// verdict when no case shows it (a compilation error, a judge error).
fn seen_verdicts(state: &SubmissionState, verdict: Verdict) -> Vec<&'static str> {
    let mut seen: Vec<&str> = state
        .results
        .iter()
        .map(|r| format_verdict(r.verdict))
        .collect();
    if seen.is_empty() || verdict != Verdict::AC && !seen.contains(&format_verdict(verdict)) {
        seen.push(format_verdict(verdict));
    }
    seen
}

/// The case that decided the verdict: for an accepted submission its
/// slowest.
fn deciding_case(state: &SubmissionState, verdict: Verdict) -> Option<String> {
    if verdict == Verdict::AC {
        return state
            .results
            .iter()
            .max_by_key(|r| r.time_ms)
            .map(|r| format!("{} (slowest)", r.name));
    }
    match state.results.last() {
        Some(last) if last.verdict == verdict => Some(last.name.clone()),
        // The deciding case left no result (a judge error while
        // validating, a compilation error): its place in judging order.
        _ if verdict == Verdict::CE => None,
        _ => Some(format!("case #{}", state.results.len() + 1)),
    }
}

/// The outcome by the submission's rules, and why: skipped when it has
/// none, a mismatch naming every rule it breaks.
fn held_against_rules(
    p: &Planned,
    seen: &[&str],
    state: &SubmissionState,
) -> (Outcome, Option<String>) {
    if p.rules.is_empty() {
        return (
            Outcome::Skipped,
            Some(format!(
                "no expectation: {} is not a known submissions folder and no submissions.yaml rule matches",
                p.name.split('/').next().unwrap_or("")
            )),
        );
    }
    let broken: Vec<String> = p
        .rules
        .iter()
        .filter_map(|r| r.broken_by(seen).or_else(|| r.score_broken_by(state)))
        .collect();
    if broken.is_empty() {
        (Outcome::Ok, None)
    } else {
        (Outcome::Mismatch, Some(broken.join("; ")))
    }
}

/// `reason` with the compiler's first line for a compilation error, or the
/// judge's message (alone) for a judge error.
fn with_judge_messages(
    reason: Option<String>,
    state: &SubmissionState,
    verdict: Verdict,
) -> Option<String> {
    match verdict {
        Verdict::CE => {
            let first = state
                .compile_output
                .as_deref()
                .and_then(|o| o.lines().find(|l| !l.trim().is_empty()))
                .unwrap_or("");
            Some(format!(
                "{}{}compilation error: {first}",
                reason.as_deref().unwrap_or(""),
                if reason.is_some() { "; " } else { "" }
            ))
        }
        Verdict::IE => Some(format!(
            "judge error: {}",
            state.message.as_deref().unwrap_or("no message")
        )),
        _ => reason,
    }
}

/// Judged at the higher limit and not too slow there, though too slow at
/// the limit itself, with no crash: problemtools warns ("sensitive to time
/// limit") for a legacy package; 2025-09 makes the margin a rule.
fn only_too_slow_at_limit(
    state: &SubmissionState,
    seen: &[&str],
    rules: &TimingRules,
    time_limit_ms: u64,
) -> bool {
    !rules.tle_margin_is_required()
        && normalised_seconds(state) * 1000.0 > time_limit_ms as f64
        && !seen.iter().any(|v| *v == RTE || *v == "CE" || *v == "JE")
}

/// A TLE by the wall clock with the CPU time under the limit: the
/// submission waited rather than computed, which a loaded host can cause
/// as well as a sleeping program. The admin should know which it was.
fn waited_rather_than_computed(state: &SubmissionState, limit_ms: u64) -> Option<String> {
    let last = state.results.last().filter(|r| r.verdict == Verdict::TLE)?;
    let cpu_limit = problem_package::language::by_id(&state.language)
        .map(|l| l.time_limit_ms(limit_ms))
        .unwrap_or(limit_ms);
    (last.time_ms < cpu_limit).then(|| {
        format!(
            "by the wall clock: {} used {} ms of CPU of its {cpu_limit} ms, in {} ms of wall time (a loaded judge host can cause this)",
            last.name, last.time_ms, last.wall_ms
        )
    })
}

#[cfg(test)]
mod tests {
    use super::super::planned::planned;
    use super::super::submissions_yaml::apply_submissions_yaml;
    use super::*;
    use problem_package::timelimit::Format;
    use submission::TestResult;

    fn state(verdicts: &[(Verdict, u64)], verdict: Verdict) -> SubmissionState {
        SubmissionState {
            id: "s".into(),
            user_id: "verify".into(),
            problem_id: "p".into(),
            language: "cpp".into(),
            status: submission::Status::Finished,
            verdict: Some(verdict),
            tests_total: 3,
            results: verdicts
                .iter()
                .enumerate()
                .map(|(i, (v, t))| TestResult {
                    index: i + 1,
                    name: format!("secret/{}", i + 1),
                    verdict: *v,
                    time_ms: *t,
                    wall_ms: *t,
                    memory_kb: 1,
                    exit_code: None,
                    signal: None,
                    message: None,
                    score: None,
                    detail: None,
                })
                .collect(),
            compile_output: None,
            time_ms: verdicts.iter().map(|(_, t)| *t).max().unwrap_or(0),
            memory_kb: 1,
            message: None,
            created_at_ms: 0,
            finished_at_ms: Some(1),
            seq: 3,
            previous_verdict: None,
            run_output: None,
            score: None,
            max_score: None,
            groups: Vec::new(),
            queue_position: None,
            contest_id: None,
            team_id: None,
        }
    }

    fn done(s: SubmissionState, limit_ms: u64) -> Judged {
        Judged::Done {
            state: Box::new(s),
            limit_ms,
        }
    }

    #[test]
    fn folders_have_the_formats_requirements() {
        let ac = planned("accepted/a.cpp", Format::Modern);
        let rows =
            |p: &Planned, s: SubmissionState| row(p, &done(s, 1000), &TimingRules::default(), 1000);
        let r = rows(
            &ac,
            state(&[(Verdict::AC, 10), (Verdict::AC, 30)], Verdict::AC),
        );
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(r.test_case.as_deref(), Some("secret/2 (slowest)"));
        assert_eq!(r.max_time_ms, Some(30));
        let r = rows(
            &ac,
            state(&[(Verdict::AC, 10), (Verdict::WA, 5)], Verdict::WA),
        );
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert_eq!(r.test_case.as_deref(), Some("secret/2"));
        assert!(r
            .reason
            .unwrap()
            .contains("WA is not permitted by accepted/"));

        let wa = planned("wrong_answer/w.py", Format::Modern);
        assert_eq!(
            rows(&wa, state(&[(Verdict::WA, 1)], Verdict::WA)).outcome,
            Outcome::Ok
        );
        let r = rows(&wa, state(&[(Verdict::AC, 1)], Verdict::AC));
        assert!(r.reason.unwrap().contains("requires one of WA"));
        // MLE is a run-time error in the format's terms.
        let re = planned("run_time_error/r.py", Format::Modern);
        assert_eq!(
            rows(&re, state(&[(Verdict::MLE, 1)], Verdict::MLE)).outcome,
            Outcome::Ok
        );
        // A TLE by the wall clock says so.
        let mut waited = state(&[(Verdict::AC, 10), (Verdict::TLE, 512)], Verdict::TLE);
        waited.results[1].wall_ms = 3100;
        let r = rows(&ac, waited);
        assert_eq!(r.outcome, Outcome::Mismatch);
        let why = r.reason.unwrap();
        assert!(
            why.contains("by the wall clock: secret/2 used 512 ms"),
            "{why}"
        );
        assert!(why.contains("3100 ms of wall time"), "{why}");
        // A compilation error never passes, and says why.
        let r = rows(&ac, state(&[], Verdict::CE));
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(r.reason.unwrap().contains("compilation error"));
        // A folder nobody describes is reported, not judged against a guess.
        let other = planned("slow/x.py", Format::Modern);
        assert_eq!(
            rows(&other, state(&[(Verdict::AC, 1)], Verdict::AC)).outcome,
            Outcome::Skipped
        );
        // Python 2 is a skipped row with the reason.
        let r = row(
            &ac,
            &Judged::NotJudged("a.py: Python 2 is not supported: ...".into()),
            &TimingRules::default(),
            1000,
        );
        assert_eq!(r.outcome, Outcome::Skipped);
        assert!(r.reason.unwrap().starts_with("unsupported language"));
    }

    #[test]
    fn tle_submissions_at_the_margin_warn_in_legacy_and_fail_in_2025() {
        let legacy = TimingRules::default();
        let modern = TimingRules::parse("problem_format_version: 2025-09\n").unwrap();
        let tle = planned("time_limit_exceeded/t.cpp", Format::Legacy);
        // TLE at the 2 s check limit: fine.
        let r = row(
            &tle,
            &done(state(&[(Verdict::TLE, 2000)], Verdict::TLE), 2000),
            &legacy,
            1000,
        );
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(r.expected, "TLE (at 2 s)");
        // AC at 2 s but slower than the 1 s limit: a warning in legacy ...
        let slow = state(&[(Verdict::AC, 1500)], Verdict::AC);
        let r = row(&tle, &done(slow.clone(), 2000), &legacy, 1000);
        assert_eq!(r.outcome, Outcome::Warning, "{r:?}");
        // ... a mismatch in 2025-09.
        let tle25 = planned("time_limit_exceeded/t.cpp", Format::Modern);
        assert_eq!(
            row(&tle25, &done(slow, 2000), &modern, 1000).outcome,
            Outcome::Mismatch
        );
        // AC within the limit: a mismatch in both.
        let fast = state(&[(Verdict::AC, 500)], Verdict::AC);
        assert_eq!(
            row(&tle, &done(fast, 2000), &legacy, 1000).outcome,
            Outcome::Mismatch
        );
    }

    /// `state` of a scoring problem (max 100) that scored `score`.
    fn scored(verdicts: &[(Verdict, u64)], verdict: Verdict, score: f64) -> SubmissionState {
        let mut s = state(verdicts, verdict);
        s.score = Some(score);
        s.max_score = Some(100.0);
        s.groups = vec![submission::GroupResult {
            name: "secret".into(),
            tests: (1..=verdicts.len()).collect(),
            max_score: Some(100.0),
            score: Some(score),
            verdict: Some(verdict),
            passed: 0,
            total: verdicts.len(),
            message: None,
        }];
        s
    }

    #[test]
    fn partially_accepted_submissions_are_checked_by_their_score() {
        let rows =
            |p: &Planned, s: SubmissionState| row(p, &done(s, 1000), &TimingRules::default(), 1000);
        // Legacy partially_accepted/: AC with less than the maximum.
        let partial = planned("partially_accepted/p.py", Format::Legacy);
        assert_eq!(partial.expected(), "AC, score < max");
        assert!(
            !partial.lower(Format::Legacy),
            "only accepted/ bounds the limit"
        );
        let r = rows(&partial, scored(&[(Verdict::AC, 10)], Verdict::AC, 40.0));
        assert_eq!(
            (r.outcome, r.got.as_str()),
            (Outcome::Ok, "AC 40"),
            "{:?}",
            r.reason
        );
        let r = rows(&partial, scored(&[(Verdict::AC, 10)], Verdict::AC, 100.0));
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(r.reason.unwrap().contains("score 100 is the maximum"));
        let r = rows(&partial, scored(&[(Verdict::WA, 10)], Verdict::WA, 0.0));
        assert!(r.reason.unwrap().contains("requires the verdict AC"));
        let r = rows(&partial, state(&[(Verdict::AC, 10)], Verdict::AC));
        assert!(
            r.reason.unwrap().contains("pass-fail"),
            "a pass-fail problem"
        );

        // 2025-09: a partial solution in wrong_answer/ with its score named.
        let mut p = vec![
            planned("wrong_answer/half.py", Format::Modern),
            planned("partial/third.py", Format::Modern),
        ];
        let yaml = "wrong_answer/half.py:
  score: 50
partial:
  score: [30, 40]
  permitted: [AC, WA]
";
        apply_submissions_yaml(yaml, &mut p).unwrap();
        assert_eq!(p[0].expected(), "WA, score 50");
        assert_eq!(p[1].expected(), "AC|WA|TLE|RTE, score 30..40");
        let half = scored(&[(Verdict::AC, 5), (Verdict::WA, 5)], Verdict::WA, 50.0);
        let r = rows(&p[0], half.clone());
        assert_eq!(
            (r.outcome, r.got.as_str()),
            (Outcome::Ok, "WA 50"),
            "{:?}",
            r.reason
        );
        let r = rows(&p[1], half);
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(
            r.reason
                .as_deref()
                .unwrap()
                .contains("score 50 is not 30..40 required by submissions.yaml partial"),
            "{:?}",
            r.reason
        );
        let r = rows(
            &p[1],
            scored(
                &[(Verdict::AC, 5), (Verdict::WA, 5)],
                Verdict::WA,
                33.333333,
            ),
        );
        assert_eq!(r.outcome, Outcome::Ok, "{:?}", r.reason);
        for bad in ["score: lots", "score: [40, 30]", "score: [1, 2, 3]"] {
            let e = apply_submissions_yaml(&format!("partial:\n  {bad}\n"), &mut p).unwrap_err();
            assert!(e.starts_with("partial: score"), "{e}");
        }
    }
}
