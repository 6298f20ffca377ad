//! Problem packages: import (`PUT /api/admin/problems/{id}`, optionally
//! as a draft), a dry-run check, publishing a stored version, and
//! rejudging every submission of a problem.

use api_types::{
    ErrorBody, ImportAnswer, ProblemRejudge, Published, RejudgeSkip, ValidateAnswer, ValidatorInfo,
};
use axum::body::Body;
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use judge_store::store::{self, Rejudge};
use problem_package::problem;

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
            problems: r
                .problems
                .iter()
                .map(package::Finding::to_problem)
                .collect(),
            warnings: r.warnings,
        })
}

fn validator_info(checked: &Checked, compiled: bool) -> ValidatorInfo {
    ValidatorInfo {
        compiled,
        file: checked.validator.as_ref().map(|v| v.file.clone()),
        kind: checked.problem.validation.clone(),
        notes: checked.notes.clone(),
        // Multi-pass problems: the most passes per test case; null otherwise.
        passes: checked.problem.validation_passes,
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

/// Import a problem package as the problem's new current version. Old
/// versions stay; submissions keep the version they were submitted for.
/// With `?draft=true` the version is stored but not made current: users
/// neither see nor submit to it; admins submit against it with
/// `problem_version` and publish it.
#[utoipa::path(put, path = "/api/admin/problems/{id}", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "problem id"),
        ("draft" = Option<bool>, Query, description = "store as a draft version (not current)"),
    ),
    request_body(description = "a tar or tar.gz of the problem directory (the package at the root, or in one top-level directory); links, absolute paths and .. are refused",
        content((Vec<u8> = "application/x-tar"), (Vec<u8> = "application/gzip"))),
    responses(
        (status = 200, description = "stored over an existing problem, as a draft, or unchanged", body = ImportAnswer),
        (status = 201, description = "a new problem", body = ImportAnswer),
        (status = 400, description = "the body could not be read", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 413, description = "package too large", body = ErrorBody),
        (status = 422, description = "the package is invalid: every problem found, with file and line (code invalid_package); or an invalid draft flag (field draft)", body = ErrorBody),
    ))]
pub(crate) async fn import_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    _admin: Admin,
    body: Body,
) -> Result<(StatusCode, Json<ImportAnswer>), ApiError> {
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
    let validator = validator_info(&checked, compiled);
    Ok((
        status,
        Json(ImportAnswer {
            // The current version is never a draft, even when uploaded as one.
            draft: draft && !unchanged,
            id,
            memory_mb: checked.problem.memory_mb,
            name: checked.problem.name,
            previous_version,
            tests: checked.problem.tests.len(),
            time_limit_ms: checked.problem.time_limit_ms,
            time_limit_source: checked.problem.time_limit_source,
            unchanged,
            validator,
            version: checked.version,
            warnings: checked.warnings,
        }),
    ))
}

/// Check a problem package without storing it.
#[utoipa::path(post, path = "/api/admin/problems/{id}/validate", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "problem id")),
    request_body(description = "a tar or tar.gz of the problem directory (the package at the root, or in one top-level directory); links, absolute paths and .. are refused",
        content((Vec<u8> = "application/x-tar"), (Vec<u8> = "application/gzip"))),
    responses(
        (status = 200, description = "valid: version, tests, warnings", body = ValidateAnswer),
        (status = 400, description = "the body could not be read", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 413, description = "package too large", body = ErrorBody),
        (status = 422, description = "the package is invalid: every problem found, with file and line (code invalid_package)", body = ErrorBody),
    ))]
pub(crate) async fn validate_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
    body: Body,
) -> Result<Json<ValidateAnswer>, ApiError> {
    let mut checked = check_upload(&app, &id, body).await?;
    let compiled = check_validator(&app, &mut checked).await?;
    let current = {
        let mut conn = app.conn().await?;
        timed(store::current_problem(&mut conn, &id)).await?
    };
    let validator = validator_info(&checked, compiled);
    Ok(Json(ValidateAnswer {
        current_version: current.map(|p| p.version),
        id,
        memory_mb: checked.problem.memory_mb,
        name: checked.problem.name,
        tests: checked.problem.tests.len(),
        time_limit_ms: checked.problem.time_limit_ms,
        time_limit_source: checked.problem.time_limit_source,
        valid: true,
        validator,
        version: checked.version,
        warnings: checked.warnings,
    }))
}

/// `POST /api/admin/problems/{id}/versions/{version}/publish`: makes a stored
/// version (a draft that passed `judge problem verify`) the current one.
#[utoipa::path(post, path = "/api/admin/problems/{id}/versions/{version}/publish", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "problem id"),
        ("version" = String, Path, description = "version hash"),
    ),
    responses(
        (status = 200, description = "published: version, previous_version, limits", body = Published),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown problem", body = ErrorBody),
        (status = 422, description = "no such stored version, or a draft that expired (field version)", body = ErrorBody),
    ))]
pub(crate) async fn publish_version(
    State(app): State<AppState>,
    UrlPath((id, version)): UrlPath<(String, String)>,
    _admin: Admin,
) -> Result<Json<Published>, ApiError> {
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
    Ok(Json(Published {
        id,
        memory_mb: summary.memory_mb,
        name: summary.name,
        unchanged: previous_version.as_deref() == Some(version.as_str()),
        previous_version,
        tests: summary.tests,
        time_limit_ms: summary.time_limit_ms,
        version,
    }))
}

/// Re-queue every finished submission of a problem against its current version.
#[utoipa::path(post, path = "/api/admin/problems/{id}/rejudge", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "problem id")),
    responses(
        (status = 202, description = "requeued ids and skipped ones (still being judged)", body = ProblemRejudge),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown problem", body = ErrorBody),
    ))]
pub(crate) async fn rejudge_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
) -> Result<(StatusCode, Json<ProblemRejudge>), ApiError> {
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
            Rejudge::NotFinished(_) => skipped.push(RejudgeSkip {
                id: sid.clone(),
                reason: "still being judged".into(),
            }),
            Rejudge::Unknown => skipped.push(RejudgeSkip {
                id: sid.clone(),
                reason: "not found".into(),
            }),
        }
    }
    tracing::info!(problem = %id, requeued = requeued.len(), skipped = skipped.len(), "problem rejudge");
    Ok((
        StatusCode::ACCEPTED,
        Json(ProblemRejudge {
            problem_id: id,
            problem_version: current.map(|p| p.version),
            requeued,
            skipped,
        }),
    ))
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
