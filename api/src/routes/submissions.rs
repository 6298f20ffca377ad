//! Submissions: `POST /api/submissions`, a submission's state and code, and a
//! user's history. A submission, its code and a user's list are readable by
//! their owner and admins only.

use api_types::{ErrorBody, SubmissionCode, SubmitRequest as SubmitBody, Submitted};
use axum::body::Body;
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::Json;
use judge_store::auth::{is_plausible_submission_id, is_valid_user_id, USER_ID_RULE};
use judge_store::history::{self, Filter};
use judge_store::store;
use problem_package::problem;
use submission::{now_ms, SubmissionRecord, SubmissionState, Verdict};

use crate::admission::{admit, queue_has_room};
use crate::auth::Caller;
use crate::body::{code_body_limit, read_body};
use crate::error::ApiError;
use crate::request::SubmitRequest;
use crate::state::{replicated, timed, AppState};

/// How many submissions `GET /api/users/{user_id}/submissions` returns.
pub const USER_LIST_LIMIT: isize = 50;

/// Submit code; the user is the caller's (a body `user_id` counts only
/// with `JUDGE_AUTH=open` and no credentials).
#[utoipa::path(post, path = "/api/submissions", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    request_body = SubmitBody,
    responses(
        (status = 202, description = "accepted and queued", body = Submitted),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no or unknown token", body = ErrorBody),
        (status = 403, description = "problem_version given by someone who is not an admin; a contest the caller takes no part in or that has not started", body = ErrorBody),
        (status = 404, description = "unknown problem", body = ErrorBody),
        (status = 413, description = "code too large", body = ErrorBody),
        (status = 422, description = "invalid field, unknown language, a language whose image no running worker holds (language_not_ready) or unknown problem_version; an unknown contest, one without the problem, or several running contests with it and no `contest`", body = ErrorBody),
        (status = 429, description = "over the per-user rate limit (Retry-After)", body = ErrorBody),
        (status = 503, description = "the queue is full (Retry-After)", body = ErrorBody),
    ))]
pub(crate) async fn submit(
    State(app): State<AppState>,
    caller: Caller,
    body: Body,
) -> Result<(StatusCode, Json<Submitted>), ApiError> {
    // The body may carry the largest source any problem accepts; the
    // problem's own limit is checked once it is known, before queueing.
    let largest = largest_code_limit(&app).await?;
    let bytes = read_body(body, code_body_limit(largest)).await?;
    let req = SubmitRequest::parse(&bytes)?;
    crate::routes::meta::require_ready(&app, &req.source.language).await?;
    // The caller decides who submits; the body's user_id only counts without credentials (open mode).
    let user_id = req.source.user_id(&caller, false)?;

    let mut conn = app.conn().await?;
    let summary = match &req.problem_version {
        None => {
            admit(&app, &mut conn, &user_id).await?;
            timed(store::current_problem(&mut conn, &req.problem_id))
                .await?
                .ok_or_else(|| ApiError::UnknownProblem(req.problem_id.clone()))?
        }
        Some(version) => {
            // Drafts are for admins: a user may not even learn one exists.
            if !caller.is_admin() {
                return Err(ApiError::Forbidden(
                    "problem_version: only an admin may submit against a chosen problem version"
                        .into(),
                ));
            }
            queue_has_room(&app, &mut conn).await?;
            timed(store::problem_version(&mut conn, &req.problem_id, version))
                .await?
                .ok_or_else(|| ApiError::InvalidField {
                    field: "problem_version",
                    message: format!(
                        "problem {:?} has no stored version {version:?}",
                        req.problem_id
                    ),
                })?
                .0
        }
    };
    req.source.check_code_limit(&summary)?;
    // A function problem is judged only in the languages with a harness.
    if summary.function.is_some() && !problem_package::function::supports(&req.source.language) {
        return Err(ApiError::InvalidField {
            field: "language",
            message: problem_package::function::FunctionError::UnsupportedLanguage {
                language: req.source.language.clone(),
            }
            .to_string(),
        });
    }
    // Submissions against a chosen version are package checks: they are
    // kept under their own user id, out of the admin's history and out of
    // the problem's index (a rejudge must not move them).
    let verification = req.problem_version.is_some();
    let user_id = if verification {
        judge_store::keys::VERIFY_USER_ID.to_string()
    } else {
        user_id
    };

    // The contest it counts in, if any (practice otherwise).
    let entry = if verification {
        crate::contests::entry::ContestEntry::default()
    } else {
        crate::contests::entry::for_submission(
            &mut conn,
            caller.is_admin(),
            &user_id,
            &req.problem_id,
            req.contest.as_deref(),
        )
        .await?
    };
    let source = req.source;
    let record = SubmissionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id,
        problem_id: req.problem_id,
        problem_version: summary.version.clone(),
        language: source.language,
        code: source.code,
        files: source.files,
        entry_point: source.entry_point,
        created_at_ms: now_ms(),
        contest_id: entry.contest_id,
        team_id: entry.team_id,
    };
    let mut state = SubmissionState::queued(&record, summary.tests);
    // A scoring problem's groups are known before judging: the first state a
    // client sees (this answer, the WebSocket snapshot) already lists them.
    state.groups = submission::GroupResult::unjudged(&summary);
    state.max_score = summary.max_score;
    if verification {
        timed(store::create_verification_submission(
            &mut conn, &record, &state,
        ))
        .await?;
        // Judged only while its client waits for it (see check_lease).
        crate::check_lease::grant(&app.config, &mut conn, &record.id).await?;
    } else {
        timed(store::create_submission(&mut conn, &record, &state)).await?;
    }
    replicated(&mut conn).await?;
    tracing::info!(id = %record.id, user = %record.user_id, problem = %record.problem_id,
        language = %record.language, "submission accepted");

    let gateway = app.config.gateway_url.trim_end_matches('/');
    let body = Submitted {
        status_url: format!("/api/submissions/{}", record.id),
        watch_url: format!("{gateway}/ws/submissions/{}", record.id),
        id: record.id,
        state,
    };
    Ok((StatusCode::ACCEPTED, Json(body)))
}

/// The largest source any problem in use accepts, in bytes (at least the
/// format's default `limits.code`): what the body limit admits.
pub(crate) async fn largest_code_limit(app: &AppState) -> Result<usize, ApiError> {
    let stored = timed(store::largest_code_limit(&mut app.conn().await?)).await?;
    let default = problem_package::problem::DEFAULT_CODE_KIB * 1024;
    Ok(stored.unwrap_or(0).max(default) as usize)
}

/// The state of a submission: its owner and admins only (401 / 403 / 404).
/// Reading a pending package check renews its lease (`JUDGE_CHECK_LEASE_SECS`).
#[utoipa::path(get, path = "/api/submissions/{id}", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "submission id")),
    responses(
        (status = 200, description = "the stored state", body = SubmissionState),
        (status = 401, description = "no token (JUDGE_AUTH=required) or an unknown token", body = ErrorBody),
        (status = 403, description = "the submission belongs to another user", body = ErrorBody),
        (status = 404, description = "unknown submission", body = ErrorBody),
    ))]
pub(crate) async fn get_submission(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<SubmissionState>, ApiError> {
    if !is_plausible_submission_id(&id) {
        return Err(ApiError::UnknownSubmission(id));
    }
    let mut conn = app.conn().await?;
    let state = timed(store::load_state(&mut conn, &id))
        .await?
        .ok_or(ApiError::UnknownSubmission(id))?;
    caller.may_see(&state.user_id, "this submission")?;
    // A package check's client is still there: its lease runs from now.
    if state.user_id == judge_store::keys::VERIFY_USER_ID
        && !state.is_final()
        && crate::check_lease::lease(&app.config).is_some()
    {
        crate::check_lease::renew(&mut conn, &state.id).await;
    }
    Ok(Json(state))
}

/// The source code of a submission: its owner and admins only.
#[utoipa::path(get, path = "/api/submissions/{id}/code", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "submission id")),
    responses(
        (status = 200, description = "the code and record", body = SubmissionCode),
        (status = 401, description = "no or unknown token", body = ErrorBody),
        (status = 403, description = "another user's submission", body = ErrorBody),
        (status = 404, description = "unknown submission", body = ErrorBody),
    ))]
pub(crate) async fn get_submission_code(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<Json<SubmissionCode>, ApiError> {
    if !is_plausible_submission_id(&id) {
        return Err(ApiError::UnknownSubmission(id));
    }
    let mut conn = app.conn().await?;
    let record = timed(store::load_record(&mut conn, &id))
        .await?
        .ok_or(ApiError::UnknownSubmission(id))?;
    caller.may_see(&record.user_id, "this submission")?;
    Ok(Json(SubmissionCode {
        code: record.code,
        created_at_ms: record.created_at_ms,
        entry_point: record.entry_point,
        files: record.files,
        id: record.id,
        language: record.language,
        problem_id: record.problem_id,
        problem_version: record.problem_version,
        user_id: record.user_id,
    }))
}

/// How many index entries a filtered history reads at most.
const HISTORY_SCAN_CAP: isize = 5000;

/// `?problem=ID&verdict=CODE`, both optional (422 naming the bad one).
fn history_filter(query: Option<&str>) -> Result<Filter, ApiError> {
    let mut filter = Filter::default();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        match key {
            "problem" if !value.is_empty() => {
                if !problem::is_valid_id(value) {
                    return Err(ApiError::InvalidField {
                        field: "problem",
                        message: format!("{value:?} is not a problem id"),
                    });
                }
                filter.problem_id = Some(value.to_string());
            }
            "verdict" if !value.is_empty() => {
                filter.verdict =
                    Some(
                        history::parse_verdict(value).ok_or_else(|| ApiError::InvalidField {
                            field: "verdict",
                            message: format!(
                                "{value:?} is not a verdict (AC, WA, TLE, MLE, OLE, RE, CE, IE)"
                            ),
                        })?,
                    );
            }
            _ => {}
        }
    }
    Ok(filter)
}

/// A user's latest submissions, newest first: that user and admins only;
/// `?problem=` and `?verdict=` keep only those of one problem / verdict.
#[utoipa::path(get, path = "/api/users/{user_id}/submissions", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    params(
        ("user_id" = String, Path, description = "user id"),
        ("problem" = Option<String>, Query, description = "only this problem's submissions"),
        ("verdict" = Option<Verdict>, Query, description = "only submissions with this final verdict"),
    ),
    responses(
        (status = 200, description = "the latest 50 states, newest first", body = Vec<SubmissionState>),
        (status = 401, description = "no or unknown token", body = ErrorBody),
        (status = 403, description = "another user's list", body = ErrorBody),
        (status = 422, description = "invalid user id, problem or verdict (field user_id, problem or verdict)", body = ErrorBody),
    ))]
pub(crate) async fn user_submissions(
    State(app): State<AppState>,
    Path(user_id): Path<String>,
    RawQuery(query): RawQuery,
    caller: Caller,
) -> Result<Json<Vec<SubmissionState>>, ApiError> {
    if !is_valid_user_id(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: format!("user_id must be {USER_ID_RULE}"),
        });
    }
    caller.may_see(&user_id, "this submission list")?;
    let filter = history_filter(query.as_deref())?;
    let mut conn = app.conn().await?;
    let states = if filter == Filter::default() {
        timed(store::user_states(&mut conn, &user_id, USER_LIST_LIMIT)).await?
    } else {
        timed(history::user_states(
            &mut conn,
            &user_id,
            &filter,
            USER_LIST_LIMIT as usize,
            HISTORY_SCAN_CAP,
        ))
        .await?
    };
    Ok(Json(states))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_filters_name_the_bad_parameter() {
        assert_eq!(history_filter(None).unwrap(), Filter::default());
        let f = history_filter(Some("problem=aplusb&verdict=WA&x=1")).unwrap();
        assert_eq!(f.problem_id.as_deref(), Some("aplusb"));
        assert_eq!(f.verdict, Some(submission::Verdict::WA));
        assert_eq!(
            history_filter(Some("verdict=nope")).unwrap_err().field(),
            Some("verdict")
        );
        assert_eq!(
            history_filter(Some("problem=../x")).unwrap_err().field(),
            Some("problem")
        );
    }
}
