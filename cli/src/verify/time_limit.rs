//! The time limit a version is verified (or published) with: the package's
//! own, or derived by [`problem_package::timelimit`] from the submissions that
//! bound it from below, judged with [`super::limit::PROBE_TIME_LIMIT_MS`]; and the
//! submissions that must be too slow, judged at the format's higher limit.

use problem_package::timelimit::{self, Format, Timed};
use submission::{SubmissionState, Verdict};

use super::check::{row, Outcome, Row};
use super::ended::Ended;
use super::judging::{Judged, Judging};
use super::limit::{normalised_seconds, Limit, PROBE_TIME_LIMIT_MS};
use super::plan::Package;
use super::planned::Planned;
use super::report;
use super::timings;
use crate::commands::Context;
use crate::error::CliError;

fn timed(p: &Planned, state: &SubmissionState) -> Timed {
    Timed {
        name: p.name.clone(),
        seconds: normalised_seconds(state),
    }
}

/// `tar` with a `.timelimit` file of `limit_ms` whose comment is `note`.
fn with_limit(tar: &[u8], limit_ms: u64, note: &str) -> Result<Vec<u8>, CliError> {
    timelimit::with_timelimit(tar, &timelimit::timelimit_file(limit_ms, note))
        .map_err(|e| CliError::Judge(format!("cannot add .timelimit to the package: {e}")))
}

/// Derives the limit of a package that gives none: its lower-bound
/// submissions are judged against a draft with the probe limit, and the
/// limit follows from their times. Returns the limit and the package with
/// it written in as `.timelimit`.
pub(super) async fn derive(
    ctx: &Context,
    package: &Package,
    judging: &mut Judging<'_>,
) -> Result<(Limit, Vec<u8>), Ended> {
    let id = &package.id;
    if package.lower.is_empty() {
        return Err(Ended::Early(Err(CliError::Refused(format!(
            "problem {id} gives no time limit and no submission bounds it from below (accepted/); \
             give limits.time_limit or .timelimit"
        )))));
    }
    judge_with_probe_limit(package, judging).await?;
    let times = match probe_times(package, judging) {
        Ok(times) => times,
        Err(failures) => {
            // The table of failures stands alone.
            judging.clear();
            return Err(Ended::Early(report::print_failed_derivation(
                ctx, id, &failures,
            )));
        }
    };
    let derived = timelimit::derive(&package.rules, &times, &[])
        .map_err(|e| Ended::Early(Err(CliError::Refused(format!("problem {id}: {e}")))))?;
    let tar = with_limit(&package.tar, derived.time_limit_ms, &derived.explanation)?;
    let limit = Limit {
        time_limit_ms: derived.time_limit_ms,
        exact_seconds: derived.exact_seconds,
        source: format!(".timelimit, {}", derived.explanation),
    };
    Ok((limit, tar))
}

/// Judges the lower-bound submissions against a draft with the probe limit.
async fn judge_with_probe_limit(package: &Package, judging: &mut Judging<'_>) -> Result<(), Ended> {
    let probe = with_limit(
        &package.tar,
        PROBE_TIME_LIMIT_MS,
        "probe limit of judge problem add, while the time limit is derived",
    )?;
    let answer = judging.upload_draft(probe).await?;
    let probe_version = answer.version;
    judging.note(&format!(
        "no time limit given: judging {} submission(s) that bound it from below with a {} probe limit (draft {})",
        package.lower.len(),
        timelimit::seconds(PROBE_TIME_LIMIT_MS as f64 / 1000.0),
        report::short(&probe_version)
    ));
    // A lower bound that fails even here decides: nothing can be derived.
    let decides = |j: &Judging<'_>, i: usize| {
        let done = j.judged[i].as_ref()?;
        timings::lower_decides(
            &package.planned[i],
            done,
            &package.rules,
            PROBE_TIME_LIMIT_MS,
        )
    };
    judging
        .judge_until(
            &probe_version,
            PROBE_TIME_LIMIT_MS,
            &package.lower,
            &decides,
        )
        .await?;
    Ok(())
}

/// The times of the lower-bound submissions judged with the probe limit,
/// or the rows of those that fail even there. One not judged (Python 2) is
/// left out here, and skipped in the table.
fn probe_times(package: &Package, judging: &Judging) -> Result<Vec<Timed>, Vec<Row>> {
    let mut times = Vec::new();
    let mut failures = Vec::new();
    for &i in &package.lower {
        let p = &package.planned[i];
        if let Some(done @ Judged::Done { state, .. }) = &judging.judged[i] {
            let r = row(p, done, &package.rules, PROBE_TIME_LIMIT_MS);
            if r.outcome == Outcome::Mismatch {
                failures.push(r);
            } else {
                times.push(timed(p, state));
            }
        }
    }
    if failures.is_empty() {
        Ok(times)
    } else {
        Err(failures)
    }
}

/// Judges the submissions that must be too slow against a draft of `tar`
/// whose limit is the format's higher one: they must be TLE even there. For a 2025-09 package whose limit was derived, they decide
/// whether that limit fits at all.
pub(super) async fn judge_too_slow(
    package: &Package,
    judging: &mut Judging<'_>,
    limit: &Limit,
    tar: &[u8],
) -> Result<(), Ended> {
    let rules = &package.rules;
    let check_ms = limit.tle_check_ms(package);
    let check_tar = with_limit(
        tar,
        check_ms,
        &format!(
            "TLE check of judge problem verify: the time limit {} × {}",
            limit.shown(),
            rules.tle_factor()
        ),
    )?;
    let answer = judging.upload_draft(check_tar).await?;
    let check_version = answer.version;
    judging.note(&format!(
        "judging {} submission(s) that must be too slow with {} (the limit {} × {})",
        package.upper.len(),
        timelimit::seconds(check_ms as f64 / 1000.0),
        limit.shown(),
        rules.tle_factor()
    ));
    // For a derived 2025-09 limit, one that passes too fast decides: no
    // limit fits, whatever the others get.
    let derived = !package.gives_time_limit() && rules.format == Format::Modern;
    let lower_times = lower_times(package, judging);
    let decides = |j: &Judging<'_>, i: usize| {
        let state = j.state(i).filter(|_| derived)?;
        timings::upper_decides(&package.planned[i], state, rules, &lower_times)
    };
    judging
        .judge_until(&check_version, check_ms, &package.upper, &decides)
        .await?;
    if derived {
        check_derivable(package, judging)?;
    }
    Ok(())
}

/// The times of the lower-bound submissions judged so far.
fn lower_times(package: &Package, judging: &Judging) -> Vec<Timed> {
    package
        .lower
        .iter()
        .filter_map(|&i| judging.state(i).map(|s| timed(&package.planned[i], s)))
        .collect()
}

/// Whether a limit still fits between the lower bounds and the too-slow
/// submissions judged at the higher limit. Those that passed every case
/// there are upper bounds below it: no multiple fits. One that fails
/// otherwise (a WA at case 1) ran only some cases, so its time bounds
/// nothing; it is a mismatch in the table instead.
fn check_derivable(package: &Package, judging: &Judging) -> Result<(), Ended> {
    let lower_times = lower_times(package, judging);
    let finished: Vec<Timed> = package
        .upper
        .iter()
        .filter_map(|&i| {
            judging
                .state(i)
                .filter(|s| s.verdict == Some(Verdict::AC))
                .map(|s| timed(&package.planned[i], s))
        })
        .collect();
    match timelimit::derive(&package.rules, &lower_times, &finished) {
        Ok(_) => Ok(()),
        Err(e) => Err(Ended::Early(Err(CliError::Refused(format!(
            "problem {} is invalid: {e}",
            package.id
        ))))),
    }
}
