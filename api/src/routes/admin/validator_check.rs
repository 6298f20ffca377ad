//! Building a package's output validator through a worker before the
//! package is stored (an import or a dry-run check).

use judge_store::{keys, store};
use problem_package::problem;
use submission::{now_ms, Verdict};
use submission::{SubmissionRecord, SubmissionState};

use crate::error::ApiError;
use crate::package::{self, Checked};
use crate::state::{dedicated, timed, AppState};

/// How often the import looks at its validator check's state.
const CHECK_POLL: std::time::Duration = std::time::Duration::from_millis(100);

/// Has a worker find and build the package's output validator, of any kind
/// (one source file, several, a `build`/`run` script), before anything is
/// stored: the job goes through the queue like a submission, and the worker
/// builds the validator exactly as it will when judging (the same cache,
/// sandbox image and limits; the result stays in its cache for the
/// version). A validator that cannot be built refuses the package, naming
/// the file and the compiler's output. Returns whether it was built; when
/// no worker answers in time, or a worker fails on its own account, the
/// package is still taken, with a note saying so.
///
/// The worker fetches the package by version, so it is put in Redis first
/// (`SET NX`, as storing it would); a refused package's is removed again
/// unless a stored version uses it. A dry run (`validate`) that passes
/// leaves it there for the import that usually follows.
pub(super) async fn check_validator(
    app: &AppState,
    checked: &mut Checked,
) -> Result<bool, ApiError> {
    let Some(validator) = &checked.validator else {
        return Ok(false);
    };
    let file = validator.file.clone();
    let wait = std::time::Duration::from_secs(app.config.validator_check_secs);
    if wait.is_zero() {
        checked.notes.push(format!(
            "{file}: not compiled at import (JUDGE_VALIDATOR_CHECK_SECS=0)"
        ));
        return Ok(false);
    }
    let package_key = keys::package(&checked.version);
    // Packages can be large: a connection of its own, without the pool's reply timeout.
    let mut dedicated = dedicated(&app.config.redis_url).await?;
    let created: Option<String> = redis::cmd("SET")
        .arg(&package_key)
        .arg(checked.package.as_slice())
        .arg("NX")
        .query_async(&mut dedicated)
        .await?;
    let record = SubmissionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id: "admin-import".into(),
        problem_id: checked.problem.id.clone(),
        problem_version: checked.version.clone(),
        language: problem::VALIDATOR_CHECK_LANGUAGE.into(),
        code: String::new(),
        files: Vec::new(),
        entry_point: None,
        created_at_ms: now_ms(),
        contest_id: None,
        team_id: None,
    };
    let state = SubmissionState::queued(&record, 0);
    timed(store::create_run(
        &mut app.conn().await?,
        &record,
        &state,
        "",
    ))
    .await?;
    let deadline = tokio::time::Instant::now() + wait;
    let done = loop {
        tokio::time::sleep(CHECK_POLL).await;
        let state = timed(store::load_state(&mut app.conn().await?, &record.id)).await?;
        if let Some(state) = state.filter(|s| s.is_final()) {
            break Some(state);
        }
        if tokio::time::Instant::now() >= deadline {
            break None;
        }
    };
    match done {
        Some(state) if state.verdict == Some(Verdict::AC) => Ok(true),
        Some(state) if state.verdict == Some(Verdict::CE) => {
            if created.is_some() {
                let used: bool = redis::cmd("HEXISTS")
                    .arg(keys::problem_versions(&checked.problem.id))
                    .arg(&checked.version)
                    .query_async(&mut dedicated)
                    .await?;
                if !used {
                    redis::cmd("DEL")
                        .arg(&package_key)
                        .query_async::<()>(&mut dedicated)
                        .await?;
                }
            }
            let why = state
                .compile_output
                .or(state.message)
                .unwrap_or_else(|| "the output validator cannot be built".into());
            Err(ApiError::InvalidPackage {
                problems: vec![package::Finding::new(
                    file,
                    format!("the output validator cannot be used: {why}"),
                )
                .to_problem()],
                warnings: checked.warnings.clone(),
            })
        }
        Some(state) => {
            checked.notes.push(format!(
                "{file}: could not be built at import (judge error: {}); the worker builds it on first use",
                state.message.unwrap_or_default()
            ));
            Ok(false)
        }
        None => {
            checked.notes.push(format!(
                "{file}: no worker built it within {} s; the worker builds it on first use",
                wait.as_secs()
            ));
            Ok(false)
        }
    }
}
