//! `judge problem verify DIR` and the time-limit derivation of
//! `judge problem add DIR` (admin), over the API.
//!
//! The package goes up as a **draft** version (`PUT ...?draft=true`), which
//! users neither see nor submit to. Every submission under `submissions/`
//! is submitted against it with `problem_version` (stored under the user id
//! `verify`, not in anyone's history) and checked against its folder's
//! permitted and required verdicts, and those of `submissions/submissions.yaml`
//! (2023-07 / 2025-09). Judging stops at a submission's first failing case
//! (`on_reject: break`), so "every case" means every case judged. On a
//! scoring problem the score is checked too: 2025-09 `score` (a number or an
//! inclusive range) and legacy `partially_accepted/` (verdict AC, score
//! below the maximum); a partial solution elsewhere is judged by its cases'
//! verdicts like any other.
//!
//! Time limits (see [`problem_package::timelimit`]): when the package gives none,
//! the submissions that bound the limit from below are judged first against
//! a draft with a generous probe limit
//! ([`limit::PROBE_TIME_LIMIT_MS`]); the limit
//! follows from their slowest case (CPU time divided by the language's time
//! multiplier) and is written into the package as a `.timelimit` file whose
//! comment says how it was reached. Submissions that must be too slow are
//! judged against a second draft whose limit is the format's higher one
//! (legacy `time_safety_margin`, 2025-09 `time_limit_to_tle`): they must be
//! TLE even there. Each submission is judged once.
//!
//! The parts: [`rules`] (what a submission must get), [`submissions_yaml`]
//! (the file's globs and keys), [`planned`] (a submission and its rules),
//! [`plan`] (the package and its submissions),
//! [`judging`] (drafts, submitting, waiting), [`check`] (a judged
//! submission against its rules), [`limit`] (the limit and where it comes
//! from), [`time_limit`] (the limit given or derived, and the too-slow
//! check), [`report`] (the table and JSON), [`mode`] (what the command is)
//! [`ended`] (how it ends early) and [`steps`] (the command's steps).

mod check;
mod ended;
mod judging;
mod limit;
pub mod mode;
mod plan;
mod planned;
mod report;
mod rules;
mod steps;
mod submissions_yaml;
mod time_limit;
mod timings;

use std::path::Path;
use std::time::Duration;

use tokio::time::Instant;

use crate::commands::Context;
use crate::error::CliError;
use ended::Ended;
use judging::Judging;
use mode::Mode;
use plan::Package;
use steps::{judge_package, submissions_to_judge};

/// The exit code after a stop (128 + SIGINT, as a shell reports Ctrl-C).
const INTERRUPTED: u8 = 130;

/// `judge problem verify DIR`, and `judge problem add DIR` for a package
/// without a time limit or with `--verify`.
pub async fn run(ctx: &Context, dir: &Path, mode: Mode, wait: Duration) -> Result<u8, CliError> {
    let deadline = Instant::now() + wait;
    let mut package = Package::load(dir)?;
    // The submissions that decide the limit first, as measured last time.
    let previous = timings::load(&package.id);
    timings::order_lower(&mut package.lower, &package.planned, &previous);
    timings::order_upper(&mut package.upper, &package.planned, &previous);
    let total = submissions_to_judge(&package, mode);
    let mut judging = Judging::new(ctx, &package.id, &package.planned, total, deadline);
    // Ctrl-C (or a closed terminal, or `kill`) stops the check and cancels
    // the judgings it still waits for, so that they do not keep the workers
    // busy for nobody.
    let finished = tokio::select! {
        outcome = judge_package(ctx, &package, mode, &mut judging) => Some(outcome),
        _ = stop_requested() => None,
    };
    timings::save(&package.id, &package.planned, &judging.judged);
    let Some(outcome) = finished else {
        judging.clear();
        let ids = judging.outstanding().to_vec();
        let cancelled = crate::cancel::cancel_own(ctx, &ids).await;
        eprintln!(
            "interrupted: cancelled {cancelled} of {} pending judging(s) of the package check",
            ids.len()
        );
        return Ok(INTERRUPTED);
    };
    match outcome {
        Ok(code) => Ok(code),
        Err(Ended::Early(end)) => {
            judging.clear();
            end
        }
        Err(Ended::Error(e)) => Err(e),
    }
}

/// Resolves when the user or the system asks the CLI to stop: Ctrl-C
/// (SIGINT), the terminal going away (SIGHUP) or `kill` (SIGTERM). A
/// signal whose handler cannot be installed is simply not waited for.
async fn stop_requested() {
    use tokio::signal::unix::{signal, SignalKind};
    async fn on(kind: SignalKind) {
        match signal(kind) {
            Ok(mut stream) => {
                stream.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    }
    tokio::select! {
        _ = on(SignalKind::interrupt()) => {}
        _ = on(SignalKind::hangup()) => {}
        _ = on(SignalKind::terminate()) => {}
    }
}
