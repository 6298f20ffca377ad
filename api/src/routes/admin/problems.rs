//! Problem packages: import (`PUT /api/admin/problems/{id}`, optionally
//! as a draft), a dry-run check, publishing a stored version, and
//! rejudging every submission of a problem.

use axum::body::Body;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::store::{self, Rejudge};
use problem_package::problem;
use serde_json::{json, Value};

use super::validator_check::check_validator;
use crate::auth::Admin;
use crate::body::read_body;
use crate::error::ApiError;
use crate::package::{self, Checked};
use crate::state::{dedicated, timed, AppState};

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

pub(crate) async fn import_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    _admin: Admin,
    body: Body,
) -> Result<Response, ApiError> {
    let draft = draft_flag(query.as_deref())?;
    let mut checked = check_upload(&app, &id, body).await?;
    let compiled = check_validator(&app, &mut checked).await?;
    let previous = {
        let mut conn = app.conn().await?;
        timed(store::current_problem(&mut conn, &id)).await?
    };
    let previous_version = previous.as_ref().map(|p| p.version.clone());
    let unchanged = previous_version.as_deref() == Some(checked.version.as_str());
    if !unchanged {
        // Packages can be large: a connection of its own, without the pool's reply timeout.
        let mut dedicated = dedicated(&app.config.redis_url).await?;
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

pub(crate) async fn validate_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let mut checked = check_upload(&app, &id, body).await?;
    let compiled = check_validator(&app, &mut checked).await?;
    let current = {
        let mut conn = app.conn().await?;
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
pub(crate) async fn publish_version(
    State(app): State<AppState>,
    UrlPath((id, version)): UrlPath<(String, String)>,
    _admin: Admin,
) -> Result<Json<Value>, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = app.conn().await?;
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

pub(crate) async fn rejudge_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
) -> Result<Response, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = app.conn().await?;
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
