//! `POST /api/run`: the editor's "Run" button. Runs code on a custom input
//! and answers with what it printed, synchronously. Nothing is recorded in
//! the user's history: a run is a short-lived submission (see
//! [`store::create_run`]) that goes through the same queue and sandbox as
//! every submission, so a run is as isolated and as limited as a judging.

use std::time::Duration;

use api_types::{ErrorBody, RunAnswer, RunRequest as RunBody, RunStatus};
use axum::body::Body;
use axum::extract::State;
use axum::Json;
use judge_store::store;
use submission::{now_ms, RUN_MAX_INPUT_BYTES, RUN_PROBLEM_ID};
use submission::{SubmissionRecord, SubmissionState};

use crate::admission::admit;
use crate::auth::Caller;
use crate::body::{read_body, BODY_OVERHEAD_BYTES};
use crate::error::ApiError;
use crate::request::{CodeRequest, RunRequest};
use crate::state::{timed, AppState};

/// How long the request waits for the run's result: a compile plus one run,
/// queued behind other work. Past it the client gets 504 with the id to poll.
const RUN_WAIT: Duration = Duration::from_secs(90);
const POLL_EVERY: Duration = Duration::from_millis(100);

/// Run code on a custom input and wait for what it prints (the editor's
/// Run); not recorded in the user's history.
#[utoipa::path(post, path = "/api/run", tag = "submissions",
    security(("bearer" = []), ("session" = [])),
    request_body = RunBody,
    responses(
        (status = 200, description = "the run finished", body = RunAnswer),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no or unknown token", body = ErrorBody),
        (status = 404, description = "problem_id names no problem", body = ErrorBody),
        (status = 413, description = "code too large", body = ErrorBody),
        (status = 422, description = "invalid field, unknown language, or a language whose image no running worker holds (language_not_ready)", body = ErrorBody),
        (status = 429, description = "over the per-user rate limit (Retry-After)", body = ErrorBody),
        (status = 503, description = "the queue is full (Retry-After)", body = ErrorBody),
        (status = 504, description = "the run did not finish in time; poll /api/submissions/{id}", body = ErrorBody),
    ))]
pub(crate) async fn handler(
    State(app): State<AppState>,
    caller: Caller,
    body: Body,
) -> Result<Json<RunAnswer>, ApiError> {
    let max_code = app.config.max_code_bytes;
    let bytes = read_body(body, max_code + RUN_MAX_INPUT_BYTES + BODY_OVERHEAD_BYTES).await?;
    let req = RunRequest::parse(&bytes, max_code)?;
    crate::routes::meta::require_ready(&app, &req.source.language).await?;
    // A run is in no one's history, so in open mode it needs no user id.
    let user_id = req.source.user_id(&caller, true)?;

    admit(&app, &mut app.conn().await?, &user_id).await?;
    let function = function_run(&app, &req).await?;

    let state = run_and_wait(&app, user_id, req.source, &req.input, function, RUN_WAIT)
        .await?
        .map_err(|id| {
            ApiError::Timeout(format!(
                "the run {id} did not finish within {} s; follow it at /api/submissions/{id}",
                RUN_WAIT.as_secs()
            ))
        })?;
    Ok(Json(answer(&state)))
}

/// A run naming a function problem calls its function: the record's
/// `problem_version` that tells the worker so, once the language and the
/// arguments are checked against the signature (422 naming the field).
async fn function_run(app: &AppState, req: &RunRequest) -> Result<Option<String>, ApiError> {
    let Some(id) = &req.problem_id else {
        return Ok(None);
    };
    if !problem_package::problem::is_valid_id(id) {
        return Err(ApiError::UnknownProblem(id.clone()));
    }
    let summary = timed(store::current_problem(&mut app.conn().await?, id))
        .await?
        .ok_or_else(|| ApiError::UnknownProblem(id.clone()))?;
    problem_package::function::run::check_run(&summary, &req.source.language, &req.input)
        .map_err(|(field, message)| ApiError::InvalidField { field, message })
}

/// Queues a run and waits up to `wait` for its final state; `Ok(Err(id))`
/// when it is still unfinished by then (it goes on and can be polled).
/// `function`: the `problem_version` of a run that calls a function.
pub(crate) async fn run_and_wait(
    app: &AppState,
    user_id: String,
    source: CodeRequest,
    input: &str,
    function: Option<String>,
    wait: Duration,
) -> Result<Result<SubmissionState, String>, ApiError> {
    let record = SubmissionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id,
        problem_id: RUN_PROBLEM_ID.to_string(),
        problem_version: function.unwrap_or_default(),
        language: source.language,
        code: source.code,
        files: source.files,
        entry_point: source.entry_point,
        created_at_ms: now_ms(),
        contest_id: None,
        team_id: None,
    };
    let state = SubmissionState::queued(&record, 1);
    timed(store::create_run(
        &mut app.conn().await?,
        &record,
        &state,
        input,
    ))
    .await?;

    let deadline = tokio::time::Instant::now() + wait;
    loop {
        tokio::time::sleep(POLL_EVERY).await;
        if let Some(state) = timed(store::load_state(&mut app.conn().await?, &record.id)).await? {
            if state.is_final() {
                return Ok(Ok(state));
            }
        }
        if tokio::time::Instant::now() >= deadline {
            return Ok(Err(record.id));
        }
    }
}

/// The response shape the editor reads.
fn answer(state: &SubmissionState) -> RunAnswer {
    let output = state.run_output.as_ref();
    RunAnswer {
        compile_output: state.compile_output.clone(),
        id: state.id.clone(),
        memory_kb: state.memory_kb,
        message: state.message.clone(),
        status: RunStatus::Finished,
        stderr: output.map(|o| o.stderr.clone()).unwrap_or_default(),
        stdout: output.map(|o| o.stdout.clone()).unwrap_or_default(),
        time_ms: state.time_ms,
        truncated: output.is_some_and(|o| o.truncated),
        verdict: state.verdict,
    }
}
