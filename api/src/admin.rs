//! Admin endpoints (every one needs the admin token, in every `JUDGE_AUTH` mode):
//!
//! * `POST /api/admin/users` `{user_id, admin?}` → `{user_id, token}`: a new token.
//! * `PUT /api/admin/problems/{id}` with a tar / tar.gz body: check, then store
//!   a new version (old versions stay; submissions keep theirs). With
//!   `?draft=true` the version is stored as a draft: not current, so users
//!   neither see nor submit to it; an admin submits against it with
//!   `problem_version` (`judge problem verify`) and publishes it with
//! * `POST /api/admin/problems/{id}/versions/{version}/publish`: makes a
//!   stored version (a draft) current.
//! * `POST /api/admin/problems/{id}/validate`: the same checks, nothing stored.
//! * `POST /api/admin/submissions/{id}/rejudge` and
//!   `POST /api/admin/problems/{id}/rejudge`: re-queue finished submissions,
//!   judged against the problem's *current* version (the record's
//!   `problem_version` is moved to it).

use axum::body::Body;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_core::model::{is_valid_user_id, now_ms, TokenInfo, Verdict};
use judge_core::store::{self, Rejudge};
use judge_core::{keys, problem, SubmissionRecord, SubmissionState};
use serde_json::{json, Value};

use crate::auth::{self, require_admin};
use crate::package::{self, Checked};
use crate::{conn, read_body, timed, ApiError, AppState, STORE_TIMEOUT};

pub async fn create_user(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&app, &headers).await?;
    let bytes = read_body(body, 16 * 1024).await?;
    let value: Value =
        serde_json::from_slice(&bytes).map_err(|e| ApiError::MalformedJson(e.to_string()))?;
    let user_id = value
        .get("user_id")
        .and_then(Value::as_str)
        .filter(|u| is_valid_user_id(u))
        .ok_or_else(|| ApiError::InvalidField {
            field: "user_id",
            message: "user_id must be 1-64 characters of A-Z a-z 0-9 _ . -".into(),
        })?
        .to_string();
    let admin = match value.get("admin") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(_) => {
            return Err(ApiError::InvalidField {
                field: "admin",
                message: "admin must be a boolean".into(),
            })
        }
    };
    let token = auth::generate_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut conn = conn(&app.pool).await?;
    timed(store::store_token(
        &mut conn,
        &token,
        &TokenInfo {
            user_id: user_id.clone(),
            admin,
        },
    ))
    .await?;
    tracing::info!(user = %user_id, admin, "token created");
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user_id": user_id, "token": token, "admin": admin })),
    )
        .into_response())
}

/// Reads and checks an uploaded package off the async threads.
async fn check_upload(app: &AppState, id: &str, body: Body) -> Result<Checked, ApiError> {
    let max = app.config.max_package_bytes;
    let bytes = read_body(body, max).await?;
    let id = id.to_string();
    tokio::task::spawn_blocking(move || package::check(&id, &bytes, max as u64))
        .await
        .map_err(|e| ApiError::Internal(format!("package check panicked: {e}")))?
        .map_err(|r| ApiError::InvalidPackage {
            problems: r.problems.iter().map(package::Finding::to_json).collect(),
            warnings: r.warnings,
        })
}

fn validator_json(checked: &Checked, compiled: bool) -> Value {
    json!({
        "kind": checked.problem.validation,
        // Multi-pass problems: the most passes per test case; null otherwise.
        "passes": checked.problem.validation_passes,
        "file": checked.validator.as_ref().map(|v| v.file.as_str()),
        "compiled": compiled,
        "notes": checked.notes,
    })
}

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
async fn check_validator(app: &AppState, checked: &mut Checked) -> Result<bool, ApiError> {
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
    let mut dedicated =
        tokio::time::timeout(STORE_TIMEOUT, store::dedicated(&app.config.redis_url))
            .await
            .map_err(|_| ApiError::StoreUnavailable("timed out connecting to redis".into()))??;
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
    };
    let state = SubmissionState::queued(&record, 0);
    timed(store::create_run(
        &mut conn(&app.pool).await?,
        &record,
        &state,
        "",
    ))
    .await?;
    let deadline = tokio::time::Instant::now() + wait;
    let done = loop {
        tokio::time::sleep(CHECK_POLL).await;
        let state = timed(store::load_state(&mut conn(&app.pool).await?, &record.id)).await?;
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
                .to_json()],
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

/// `?draft=true` (or `1`); anything else but `false`/`0` is refused, naming the field.
fn draft_flag(query: Option<&str>) -> Result<bool, ApiError> {
    let mut draft = false;
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, "true"));
        if key != "draft" {
            continue;
        }
        draft = match value {
            "true" | "1" | "" => true,
            "false" | "0" => false,
            other => {
                return Err(ApiError::InvalidField {
                    field: "draft",
                    message: format!("draft must be true or false, found {other:?}"),
                })
            }
        };
    }
    Ok(draft)
}

pub async fn import_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    require_admin(&app, &headers).await?;
    let draft = draft_flag(query.as_deref())?;
    let mut checked = check_upload(&app, &id, body).await?;
    let compiled = check_validator(&app, &mut checked).await?;
    let previous = {
        let mut conn = conn(&app.pool).await?;
        timed(store::current_problem(&mut conn, &id)).await?
    };
    let previous_version = previous.as_ref().map(|p| p.version.clone());
    let unchanged = previous_version.as_deref() == Some(checked.version.as_str());
    if !unchanged {
        // Packages can be large: a connection of its own, without the pool's reply timeout.
        let mut dedicated =
            tokio::time::timeout(STORE_TIMEOUT, store::dedicated(&app.config.redis_url))
                .await
                .map_err(|_| {
                    ApiError::StoreUnavailable("timed out connecting to redis".into())
                })??;
        let summary = checked.problem.summary(&checked.version);
        if draft {
            store::store_draft(&mut dedicated, &summary, &checked.package).await?;
        } else {
            store::store_problem(&mut dedicated, &summary, &checked.package).await?;
        }
    }
    tracing::info!(problem = %id, version = %checked.version, ?previous_version, unchanged, draft, "problem imported");
    // A draft of a new problem creates nothing users can see.
    let status = if previous.is_none() && !draft {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((
        status,
        Json(json!({
            "id": id,
            "name": checked.problem.name,
            "version": checked.version,
            "previous_version": previous_version,
            "unchanged": unchanged,
            // The current version is never a draft, even when uploaded as one.
            "draft": draft && !unchanged,
            "tests": checked.problem.tests.len(),
            "time_limit_ms": checked.problem.time_limit_ms,
            "time_limit_source": checked.problem.time_limit_source,
            "memory_mb": checked.problem.memory_mb,
            "warnings": checked.warnings,
            "validator": validator_json(&checked, compiled),
        })),
    )
        .into_response())
}

pub async fn validate_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    require_admin(&app, &headers).await?;
    let mut checked = check_upload(&app, &id, body).await?;
    let compiled = check_validator(&app, &mut checked).await?;
    let current = {
        let mut conn = conn(&app.pool).await?;
        timed(store::current_problem(&mut conn, &id)).await?
    };
    Ok(Json(json!({
        "id": id,
        "valid": true,
        "name": checked.problem.name,
        "version": checked.version,
        "current_version": current.map(|p| p.version),
        "tests": checked.problem.tests.len(),
        "time_limit_ms": checked.problem.time_limit_ms,
        "time_limit_source": checked.problem.time_limit_source,
        "memory_mb": checked.problem.memory_mb,
        "warnings": checked.warnings,
        "validator": validator_json(&checked, compiled),
    })))
}

/// `POST /api/admin/problems/{id}/versions/{version}/publish`: makes a stored
/// version (a draft that passed `judge problem verify`) the current one.
pub async fn publish_version(
    State(app): State<AppState>,
    UrlPath((id, version)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    require_admin(&app, &headers).await?;
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = conn(&app.pool).await?;
    let previous = timed(store::current_problem(&mut conn, &id)).await?;
    let summary = timed(store::publish_version(&mut conn, &id, &version))
        .await?
        .ok_or_else(|| ApiError::InvalidField {
            field: "version",
            message: format!("problem {id} has no stored version {version:?}"),
        })?;
    let previous_version = previous.map(|p| p.version);
    tracing::info!(problem = %id, %version, ?previous_version, "version published");
    Ok(Json(json!({
        "id": id,
        "name": summary.name,
        "version": version,
        "previous_version": previous_version,
        "unchanged": previous_version.as_deref() == Some(version.as_str()),
        "tests": summary.tests,
        "time_limit_ms": summary.time_limit_ms,
        "memory_mb": summary.memory_mb,
    })))
}

pub async fn rejudge_submission(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require_admin(&app, &headers).await?;
    let mut conn = conn(&app.pool).await?;
    let record = timed(store::load_record(&mut conn, &id))
        .await?
        .ok_or_else(|| ApiError::UnknownSubmission(id.clone()))?;
    let current = timed(store::current_problem(&mut conn, &record.problem_id)).await?;
    match timed(store::rejudge(&mut conn, &id, current.as_ref())).await? {
        Rejudge::Requeued(state, previous_score) => {
            tracing::info!(submission = %id, "rejudge queued");
            Ok((
                StatusCode::ACCEPTED,
                Json(json!({
                    "id": id,
                    "problem_version": current.map(|p| p.version).unwrap_or(record.problem_version),
                    "previous_verdict": state.previous_verdict,
                    "previous_score": previous_score,
                    "state": state,
                })),
            )
                .into_response())
        }
        Rejudge::NotFinished(state) => Err(ApiError::Conflict(format!(
            "submission {id} is still being judged ({:?}); rejudge it once it is finished",
            state.status
        ))),
        Rejudge::Unknown => Err(ApiError::UnknownSubmission(id)),
    }
}

pub async fn rejudge_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    require_admin(&app, &headers).await?;
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = conn(&app.pool).await?;
    let current = timed(store::current_problem(&mut conn, &id)).await?;
    let ids = timed(store::problem_submission_ids(&mut conn, &id)).await?;
    if current.is_none() && ids.is_empty() {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut requeued = Vec::new();
    let mut skipped = Vec::new();
    for sid in &ids {
        match timed(store::rejudge(&mut conn, sid, current.as_ref())).await? {
            Rejudge::Requeued(..) => requeued.push(sid.clone()),
            Rejudge::NotFinished(_) => {
                skipped.push(json!({ "id": sid, "reason": "still being judged" }))
            }
            Rejudge::Unknown => skipped.push(json!({ "id": sid, "reason": "not found" })),
        }
    }
    tracing::info!(problem = %id, requeued = requeued.len(), skipped = skipped.len(), "problem rejudge");
    Ok((
        StatusCode::ACCEPTED,
        Json(json!({
            "problem_id": id,
            "problem_version": current.map(|p| p.version),
            "requeued": requeued,
            "skipped": skipped,
        })),
    )
        .into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_draft_flag_is_read_from_the_query() {
        assert!(!draft_flag(None).unwrap());
        assert!(draft_flag(Some("draft=true")).unwrap());
        assert!(draft_flag(Some("x=1&draft=1")).unwrap());
        assert!(draft_flag(Some("draft")).unwrap());
        assert!(!draft_flag(Some("draft=false")).unwrap());
        let e = draft_flag(Some("draft=maybe")).unwrap_err();
        assert_eq!(e.field(), Some("draft"));
    }
}
