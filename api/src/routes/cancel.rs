//! Cancelling a submission that is not judged yet (`judge_store::cancel`):
//! an admin cancels any (`POST /api/admin/submissions/{id}/cancel`, `judge
//! admin cancel ID`); a user cancels their own practice submissions and
//! runs (`POST /api/submissions/{id}/cancel`), which is also the route the
//! CLI uses for the package checks of `judge problem add` / `verify` on
//! Ctrl-C (those belong to the admin who made them, so either route works).
//! A contest submission is cancelled by an admin only: a team must not be
//! able to withdraw a submission from the board while it is judged.

use api_types::{ErrorBody, SubmissionCancelled};
use axum::extract::{Path, State};
use axum::Json;
use judge_store::auth::is_plausible_submission_id;
use judge_store::cancel::{self, Cancel};
use judge_store::store;

use crate::auth::{Admin, Caller};
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Cancel any queued or running submission (admin).
#[utoipa::path(post, path = "/api/admin/submissions/{id}/cancel", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "submission id")),
    responses(
        (status = 200, description = "cancelled: final, status `cancelled`, never judged afterwards; a contest drops it from its board", body = SubmissionCancelled),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "unknown submission", body = ErrorBody),
        (status = 409, description = "already finished or cancelled", body = ErrorBody),
    ))]
pub(crate) async fn admin_cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    admin: Admin,
) -> Result<Json<SubmissionCancelled>, ApiError> {
    let by = match admin.0.user_id() {
        Some(user) => format!("admin {user}"),
        None => "an admin".to_string(),
    };
    cancel_one(&app, id, &by).await
}

/// Cancel one of your own queued or running submissions or runs (not a
/// contest submission: those only an admin cancels).
#[utoipa::path(post, path = "/api/submissions/{id}/cancel", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "submission id")),
    responses(
        (status = 200, description = "cancelled: final, status `cancelled`, never judged afterwards", body = SubmissionCancelled),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "another user's submission, or a contest submission", body = ErrorBody),
        (status = 404, description = "unknown submission", body = ErrorBody),
        (status = 409, description = "already finished or cancelled", body = ErrorBody),
    ))]
pub(crate) async fn owner_cancel(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<SubmissionCancelled>, ApiError> {
    let Some(user) = caller.user_id().map(str::to_string) else {
        return Err(ApiError::Unauthorized(
            "cancelling a submission needs a token or a session".into(),
        ));
    };
    if !is_plausible_submission_id(&id) {
        return Err(ApiError::UnknownSubmission(id));
    }
    let mut conn = app.conn().await?;
    let record = timed(store::load_record(&mut conn, &id))
        .await?
        .ok_or_else(|| ApiError::UnknownSubmission(id.clone()))?;
    caller.may_see(&record.user_id, "this submission")?;
    if record.contest_id.is_some() && !caller.is_admin() {
        return Err(ApiError::Forbidden(format!(
            "submission {id} counts in contest {}: only an admin may cancel it",
            record.contest_id.as_deref().unwrap_or_default()
        )));
    }
    cancel_one(&app, id, &user).await
}

async fn cancel_one(
    app: &AppState,
    id: String,
    by: &str,
) -> Result<Json<SubmissionCancelled>, ApiError> {
    let mut conn = app.conn().await?;
    match timed(cancel::cancel(&mut conn, &id, by)).await? {
        Cancel::Cancelled { state, was_waiting } => {
            tracing::info!(submission = %id, by, was_waiting, "submission cancelled");
            Ok(Json(SubmissionCancelled {
                id,
                was_waiting,
                state,
            }))
        }
        Cancel::Final(state) => Err(ApiError::Conflict(match state.verdict {
            Some(verdict) => format!("submission {id} is already finished ({verdict})"),
            None => format!("submission {id} is already cancelled"),
        })),
        Cancel::Busy(_) => Err(ApiError::Conflict(format!(
            "submission {id} changed state too often while being cancelled; try again"
        ))),
        Cancel::Unknown => Err(ApiError::UnknownSubmission(id)),
    }
}
