//! The time limit a version gets and where it comes from, the probe limit
//! used while it is derived, and the time of a judged submission that
//! bounds it.

use problem_package::timelimit;
use submission::SubmissionState;

use super::plan::Package;

/// The limit lower-bound submissions are judged with while the real one is
/// not known yet: DOMjudge's default for a problem without a limit.
pub const PROBE_TIME_LIMIT_MS: u64 = 10_000;

/// The time limit a version gets, and where it comes from.
pub(super) struct Limit {
    pub time_limit_ms: u64,
    /// The limit unrounded (a given one as is), for the legacy TLE margin.
    pub exact_seconds: f64,
    /// As reported: the package's own source, or `.timelimit, <how it was derived>`.
    pub source: String,
}

impl Limit {
    /// The limit the package gives.
    pub fn given(package: &Package) -> Limit {
        Limit {
            time_limit_ms: package.problem.time_limit_ms,
            exact_seconds: package.problem.time_limit_ms as f64 / 1000.0,
            source: package.problem.time_limit_source.clone(),
        }
    }

    /// The limit the submissions that must be too slow are judged with.
    pub fn tle_check_ms(&self, package: &Package) -> u64 {
        timelimit::tle_check_limit_ms(&package.rules, self.time_limit_ms, self.exact_seconds)
    }

    /// `1 s`, as shown.
    pub fn shown(&self) -> String {
        timelimit::seconds(self.time_limit_ms as f64 / 1000.0)
    }
}

/// The time that bounds the limit: the slowest judged case, divided by the
/// language's multiplier (the language is judged with limit × multiplier).
pub(super) fn normalised_seconds(state: &SubmissionState) -> f64 {
    let multiplier = problem_package::language::by_id(&state.language)
        .map(|l| l.time_multiplier)
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    state.time_ms as f64 / 1000.0 / multiplier
}
