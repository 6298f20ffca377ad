//! `POST /api/admin/submissions/{id}/rejudge`: re-queue one finished
//! submission against its problem's current version.

use axum::extract::{Path as UrlPath, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::store::{self, Rejudge};
use serde_json::json;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::state::{timed, AppState};

pub(crate) async fn rejudge_submission(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    _admin: Admin,
) -> Result<Response, ApiError> {
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
