//! `POST /api/admin/submissions/{id}/rejudge`: re-queue one finished
//! submission against its problem's current version.

use api_types::{ErrorBody, SubmissionRejudge};
use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::Json;
use judge_store::store::{self, Rejudge};

use crate::auth::Admin;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Re-queue one finished submission against its problem's current version.
#[utoipa::path(post, path = "/api/admin/submissions/{id}/rejudge", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "submission id")),
    responses(
        (status = 202, description = "the fresh queued state (previous_verdict set), and previous_score for a scoring problem", body = SubmissionRejudge),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown submission", body = ErrorBody),
        (status = 409, description = "still being judged", body = ErrorBody),
    ))]
pub(crate) async fn rejudge_submission(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
) -> Result<(StatusCode, Json<SubmissionRejudge>), ApiError> {
    let mut conn = app.conn().await?;
    let record = timed(store::load_record(&mut conn, &id))
        .await?
        .ok_or_else(|| ApiError::UnknownSubmission(id.clone()))?;
    let current = timed(store::current_problem(&mut conn, &record.problem_id)).await?;
    match timed(store::rejudge(&mut conn, &id, current.as_ref())).await? {
        Rejudge::Requeued(state, previous_score) => {
            tracing::info!(submission = %id, "rejudge queued");
            Ok((
                StatusCode::ACCEPTED,
                Json(SubmissionRejudge {
                    id,
                    previous_score,
                    previous_verdict: state.previous_verdict,
                    problem_version: current.map(|p| p.version).unwrap_or(record.problem_version),
                    state,
                }),
            ))
        }
        Rejudge::NotFinished(state) => Err(ApiError::Conflict(format!(
            "submission {id} is still being judged ({:?}); rejudge it once it is finished",
            state.status
        ))),
        Rejudge::Unknown => Err(ApiError::UnknownSubmission(id)),
    }
}
