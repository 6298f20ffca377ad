//! What makes a time-limit derivation short: the submissions that decide
//! the limit judged first, and the judging stopped once its outcome is
//! decided.
//!
//! - **Previous measurement.** Each judged submission's time (CPU seconds
//!   normalised by its language's multiplier) and verdict is kept in
//!   `$XDG_CACHE_HOME/judge/timings/<problem>.json` (or `~/.cache/...`); a
//!   later run of the same package reads it. A missing or unreadable file
//!   is no measurement, never an error.
//! - **Bound-setters first** ([`order_lower`], [`order_upper`]). The limit
//!   follows from the *slowest* lower-bound submission (`T_ac`) and, in
//!   2025-09, the *fastest* time-limit-exceeded one (`T_tle`). So the lower
//!   bounds go slowest first (one that failed last time before all), the
//!   upper bounds fastest first (one that passed last time before all);
//!   those never measured come after, in the package's order. The fair
//!   queue judges one user's jobs in order, so this is the judging order.
//! - **Early stop** ([`lower_decides`], [`upper_decides`]). A lower-bound
//!   submission that fails even at the probe limit makes the derivation
//!   fail, and a time-limit-exceeded submission that passes at the check
//!   limit so fast that no limit fits makes a 2025-09 package invalid:
//!   whatever the others get. Then the judgings still pending are
//!   cancelled (see `judging::Judging::judge_until`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use problem_package::timelimit::{self, Timed, TimingRules};
use serde::{Deserialize, Serialize};
use submission::{SubmissionState, Verdict};

use super::check::{row, Outcome};
use super::judging::Judged;
use super::limit::normalised_seconds;
use super::planned::Planned;

/// One submission's last measurement.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(super) struct Measured {
    /// Normalised CPU seconds of its slowest case.
    pub seconds: f64,
    pub verdict: Option<Verdict>,
    /// The limit it was judged with, in ms.
    pub limit_ms: u64,
}

/// The last measurement of a package's submissions, by name.
pub(super) type Measurements = BTreeMap<String, Measured>;

fn cache_file(problem_id: &str) -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })?;
    Some(
        base.join("judge")
            .join("timings")
            .join(format!("{problem_id}.json")),
    )
}

/// The previous measurement of `problem_id`'s submissions (empty if none).
pub(super) fn load(problem_id: &str) -> Measurements {
    cache_file(problem_id)
        .and_then(|f| std::fs::read_to_string(f).ok())
        .and_then(|text| serde_json::from_str(&text).ok())
        .unwrap_or_default()
}

/// Adds what `judged` measured to the previous measurement and saves it;
/// a cache that cannot be written is skipped silently (it only orders).
pub(super) fn save(problem_id: &str, planned: &[Planned], judged: &[Option<Judged>]) {
    let Some(file) = cache_file(problem_id) else {
        return;
    };
    let mut all = load(problem_id);
    for (p, j) in planned.iter().zip(judged) {
        if let Some(Judged::Done { state, limit_ms }) = j {
            all.insert(p.name.clone(), measured(state, *limit_ms));
        }
    }
    let Ok(text) = serde_json::to_string_pretty(&all) else {
        return;
    };
    if let Some(dir) = file.parent() {
        let _ = std::fs::create_dir_all(dir);
    }
    let _ = std::fs::write(file, text);
}

fn measured(state: &SubmissionState, limit_ms: u64) -> Measured {
    Measured {
        seconds: normalised_seconds(state),
        verdict: state.verdict,
        limit_ms,
    }
}

/// Lower-bound submissions, bound-setters first: one that failed (not AC)
/// last time, then the slowest measured, then those never measured.
pub(super) fn order_lower(lower: &mut [usize], planned: &[Planned], previous: &Measurements) {
    lower.sort_by(|&a, &b| {
        let key = |i: usize| match previous.get(&planned[i].name) {
            Some(m) if m.verdict != Some(Verdict::AC) => (0, -m.seconds),
            Some(m) => (1, -m.seconds),
            None => (2, 0.0),
        };
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
}

/// Upper-bound (too slow) submissions, bound-setters first: one that
/// passed (AC) last time, then the fastest measured, then the rest.
pub(super) fn order_upper(upper: &mut [usize], planned: &[Planned], previous: &Measurements) {
    upper.sort_by(|&a, &b| {
        let key = |i: usize| match previous.get(&planned[i].name) {
            Some(m) if m.verdict == Some(Verdict::AC) => (0, m.seconds),
            Some(m) => (1, m.seconds),
            None => (2, 0.0),
        };
        let (ka, kb) = (key(a), key(b));
        ka.0.cmp(&kb.0).then(ka.1.total_cmp(&kb.1))
    });
}

/// Whether lower-bound submission `p`, judged at the probe limit, decides
/// the derivation (it fails: no limit can be derived, whatever the others
/// get); the reason if so.
pub(super) fn lower_decides(
    p: &Planned,
    judged: &Judged,
    rules: &TimingRules,
    probe_ms: u64,
) -> Option<String> {
    let r = row(p, judged, rules, probe_ms);
    (r.outcome == Outcome::Mismatch).then(|| {
        format!(
            "{} fails even with the probe limit ({}), so no time limit can be derived",
            p.name, r.got
        )
    })
}

/// Whether too-slow submission `p`, judged at the check limit, makes a
/// derived 2025-09 limit impossible: it passed, faster than
/// `time_limit_to_tle` times the limit the lower bounds (`lower`) need.
pub(super) fn upper_decides(
    p: &Planned,
    state: &SubmissionState,
    rules: &TimingRules,
    lower: &[Timed],
) -> Option<String> {
    if state.verdict != Some(Verdict::AC) {
        return None;
    }
    let fast = Timed {
        name: p.name.clone(),
        seconds: normalised_seconds(state),
    };
    timelimit::derive(rules, lower, &[fast]).err().map(|e| e.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use problem_package::timelimit::Format;
    use submission::{SubmissionRecord, SubmissionState};

    fn planned(names: &[&str]) -> Vec<Planned> {
        names
            .iter()
            .map(|n| Planned::new(n.to_string(), PathBuf::from(n), Format::Modern))
            .collect()
    }

    fn m(seconds: f64, verdict: Verdict) -> Measured {
        Measured {
            seconds,
            verdict: Some(verdict),
            limit_ms: 10_000,
        }
    }

    fn state(verdict: Verdict, time_ms: u64) -> SubmissionState {
        let record = SubmissionRecord {
            id: "s".into(),
            user_id: "verify".into(),
            problem_id: "p".into(),
            problem_version: "v".into(),
            language: "cpp".into(),
            code: String::new(),
            files: Vec::new(),
            entry_point: None,
            created_at_ms: 0,
            contest_id: None,
            team_id: None,
        };
        let mut s = SubmissionState::queued(&record, 1);
        s.time_ms = time_ms;
        s.finish(verdict, 1);
        s
    }

    #[test]
    fn the_slowest_lower_bound_and_the_fastest_upper_bound_go_first() {
        let p = planned(&[
            "accepted/a.py",
            "accepted/b.cpp",
            "accepted/new.cpp",
            "accepted/c.py",
            "wrong_answer/w.cpp",
        ]);
        let previous = Measurements::from([
            ("accepted/a.py".into(), m(0.4, Verdict::AC)),
            ("accepted/b.cpp".into(), m(0.9, Verdict::AC)),
            ("accepted/c.py".into(), m(0.2, Verdict::TLE)),
            ("wrong_answer/w.cpp".into(), m(0.1, Verdict::WA)),
        ]);
        let mut lower = vec![0, 1, 2, 3];
        order_lower(&mut lower, &p, &previous);
        // The one that failed last time, then slowest first, the new one last.
        assert_eq!(lower, vec![3, 1, 0, 2]);

        let p = planned(&[
            "time_limit_exceeded/slow.py",
            "time_limit_exceeded/new.py",
            "time_limit_exceeded/quick.cpp",
            "time_limit_exceeded/passed.cpp",
        ]);
        let previous = Measurements::from([
            ("time_limit_exceeded/slow.py".into(), m(3.0, Verdict::TLE)),
            ("time_limit_exceeded/quick.cpp".into(), m(1.6, Verdict::TLE)),
            ("time_limit_exceeded/passed.cpp".into(), m(2.0, Verdict::AC)),
        ]);
        let mut upper = vec![0, 1, 2, 3];
        order_upper(&mut upper, &p, &previous);
        assert_eq!(upper, vec![3, 2, 0, 1]);
        // Without a measurement the package's order stands.
        let mut upper = vec![0, 1, 2, 3];
        order_upper(&mut upper, &p, &Measurements::new());
        assert_eq!(upper, vec![0, 1, 2, 3]);
    }

    #[test]
    fn a_failing_lower_bound_decides_and_a_passing_one_does_not() {
        let rules = TimingRules::default();
        let p = &planned(&["accepted/a.cpp"])[0];
        let ok = Judged::Done {
            state: Box::new(state(Verdict::AC, 300)),
            limit_ms: 10_000,
        };
        assert_eq!(lower_decides(p, &ok, &rules, 10_000), None);
        let wa = Judged::Done {
            state: Box::new(state(Verdict::WA, 300)),
            limit_ms: 10_000,
        };
        let why = lower_decides(p, &wa, &rules, 10_000).unwrap();
        assert!(why.contains("accepted/a.cpp"), "{why}");
    }

    #[test]
    fn a_too_slow_submission_decides_only_when_no_limit_fits() {
        let rules = TimingRules {
            format: Format::Modern,
            ..TimingRules::default()
        };
        let p = &planned(&["time_limit_exceeded/t.cpp"])[0];
        // T_ac 0.4 s: TL 1 s (× 2, resolution 1 s), so T_tle must be ≥ 1.5 s.
        let lower = [Timed {
            name: "accepted/a.cpp".into(),
            seconds: 0.4,
        }];
        assert_eq!(
            upper_decides(p, &state(Verdict::TLE, 1500), &rules, &lower),
            None,
            "TLE as required"
        );
        assert_eq!(
            upper_decides(p, &state(Verdict::AC, 1600), &rules, &lower),
            None,
            "passed, but slowly enough for a limit to fit"
        );
        let why = upper_decides(p, &state(Verdict::AC, 900), &rules, &lower).unwrap();
        assert!(why.contains("time_limit_exceeded/t.cpp"), "{why}");
    }
}
