//! The command's steps once the package is read: the limit (given or
//! derived), the too-slow submissions, the rest against a draft, then
//! publishing and the report.

use api_types::ImportAnswer;
use problem_package::timelimit::Format;

use super::check::{self, Row};
use super::ended::Ended;
use super::judging::Judging;
use super::limit::Limit;
use super::mode::Mode;
use super::plan::Package;
use super::report::{self, short, Verification};
use super::time_limit;
use crate::api_client::PackageAnswer;
use crate::commands::{self, Context};
use crate::error::{code, CliError};

/// Whether the command checks every submission (rather than only deriving
/// the limit and publishing).
fn verifies(mode: Mode) -> bool {
    matches!(mode, Mode::Verify | Mode::Add { verify: true })
}

/// How many submissions the command judges: every one when it verifies,
/// else those that bound the time limit (from above only in 2025-09).
pub(super) fn submissions_to_judge(package: &Package, mode: Mode) -> usize {
    if verifies(mode) {
        package.planned.len()
    } else if package.rules.format == Format::Modern {
        package.lower.len() + package.upper.len()
    } else {
        package.lower.len()
    }
}

/// The command's steps, after the package is read.
pub(super) async fn judge_package(
    ctx: &Context,
    package: &Package,
    mode: Mode,
    judging: &mut Judging<'_>,
) -> Result<u8, Ended> {
    // 1. The limit: given, or derived from the lower-bound submissions
    //    judged with the probe limit.
    let (limit, tar) = if package.gives_time_limit() {
        (Limit::given(package), package.tar.clone())
    } else {
        time_limit::derive(ctx, package, judging).await?
    };
    // 2. The submissions that must be too slow, at the higher limit: for
    //    2025-09 they decide whether the derived limit fits at all.
    if judges_too_slow(package, mode) && !package.upper.is_empty() {
        time_limit::judge_too_slow(package, judging, &limit, &tar).await?;
    }
    // 3. The version itself: published, or a draft to verify.
    if !verifies(mode) {
        return publish(ctx, package, judging, &limit, tar).await;
    }
    let answer = judging.upload_draft(tar).await?;
    let draft = Draft {
        version: &answer.version,
        what: draft_or_current(&answer),
    };
    // 4. Everything not judged yet, against the draft with the limit.
    judge_the_rest(package, judging, &limit, &draft).await?;
    judging.clear();
    let rows = check::rows(
        &package.planned,
        &judging.judged,
        &package.rules,
        limit.time_limit_ms,
    );
    // 5. The draft published if it passed and that is asked for; the report.
    let published = publish_if_passed(ctx, package, mode, &draft, &rows).await?;
    report_verification(ctx, package, mode, &limit, &draft, &rows, published)?;
    Ok(if check::passed(&rows) {
        code::OK
    } else {
        code::REJECTED
    })
}

/// The version verified.
struct Draft<'a> {
    version: &'a str,
    /// `draft`, or `current version` when the package is that already.
    what: &'static str,
}

/// Whether the submissions that must be too slow are judged: when
/// verifying, and for a 2025-09 package whose limit is derived.
fn judges_too_slow(package: &Package, mode: Mode) -> bool {
    verifies(mode) || (!package.gives_time_limit() && package.rules.format == Format::Modern)
}

/// `judge problem add DIR` without `--verify`: `tar`, with its limit, becomes
/// the current version.
async fn publish(
    ctx: &Context,
    package: &Package,
    judging: &Judging<'_>,
    limit: &Limit,
    tar: Vec<u8>,
) -> Result<u8, Ended> {
    let answer = match ctx.client.upload_problem(&package.id, tar).await? {
        PackageAnswer::Ok(a) => a,
        PackageAnswer::Invalid(a) => {
            return Err(Ended::Early(commands::report_invalid(ctx, &package.id, &a)))
        }
    };
    judging.clear();
    report::print_published(ctx, &package.id, limit, &answer)?;
    Ok(code::OK)
}

/// `draft`, or `current version` when the uploaded package is that already
/// (then the API stores no draft).
fn draft_or_current(answer: &ImportAnswer) -> &'static str {
    if answer.draft {
        "draft"
    } else {
        "current version"
    }
}

/// Judges every submission not judged yet against the draft with the limit.
async fn judge_the_rest(
    package: &Package,
    judging: &mut Judging<'_>,
    limit: &Limit,
    draft: &Draft<'_>,
) -> Result<(), CliError> {
    let rest = judging.not_judged();
    judging.note(&format!(
        "verifying problem {}: {} {}, time limit {} ({}); judging {} more submission(s)",
        package.id,
        draft.what,
        short(draft.version),
        limit.shown(),
        limit.source,
        rest.len()
    ));
    judging
        .judge(draft.version, limit.time_limit_ms, &rest)
        .await
}

/// With `judge problem add DIR --verify`, publishes the verified draft if
/// no row is a mismatch; whether it did.
async fn publish_if_passed(
    ctx: &Context,
    package: &Package,
    mode: Mode,
    draft: &Draft<'_>,
    rows: &[Row],
) -> Result<bool, CliError> {
    if mode != (Mode::Add { verify: true }) || !check::passed(rows) {
        return Ok(false);
    }
    let path = format!(
        "api/admin/problems/{}/versions/{}/publish",
        package.id, draft.version
    );
    let _: api_types::Published = ctx.client.post_json(&path, None).await?;
    Ok(true)
}

/// Prints the table and the verdict on the package (or the JSON).
fn report_verification(
    ctx: &Context,
    package: &Package,
    mode: Mode,
    limit: &Limit,
    draft: &Draft<'_>,
    rows: &[Row],
    published: bool,
) -> Result<(), CliError> {
    report::print_verification(
        ctx,
        &Verification {
            mode,
            id: &package.id,
            version: draft.version,
            what: draft.what,
            format: &package.rules.version,
            limit,
            check_ms: limit.tle_check_ms(package),
            rows,
            published,
        },
    )
}
