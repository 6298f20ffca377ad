//! What a client reads before anything else, and what operators read:
//! languages, client configuration, who am I, health, metrics, and the
//! JSON 404 of unknown API paths. Public except `/api/me`.

use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::store;
use problem_package::language::LANGUAGES;
use serde_json::{json, Value};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

pub(crate) async fn languages() -> Json<Value> {
    Json(Value::Array(
        LANGUAGES
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "name": l.name,
                    "extensions": l.extensions,
                    "editor_mode": l.editor_mode,
                    "time_multiplier": l.time_multiplier,
                })
            })
            .collect(),
    ))
}

pub(crate) async fn client_config(State(app): State<AppState>) -> Json<Value> {
    Json(json!({ "gateway_url": app.config.gateway_url }))
}

/// Who the credentials belong to, so a client need not be told its user id
/// twice. In open mode a request without credentials gets `user_id: null`.
pub(crate) async fn me(caller: Caller) -> Json<Value> {
    Json(json!({ "user_id": caller.user_id(), "admin": caller.is_admin() }))
}

/// Prometheus metrics of the whole judge: queue, workers, verdicts, latency.
pub(crate) async fn metrics(State(app): State<AppState>) -> Result<Response, ApiError> {
    let mut conn = app.conn().await?;
    let queue = timed(store::queue_snapshot(&mut conn)).await?;
    let stats = timed(store::load_stats(&mut conn)).await?;
    let body = judge_store::stats::render(&queue, &stats);
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response())
}

pub(crate) async fn healthz(State(app): State<AppState>) -> Response {
    let result: Result<String, ApiError> = async {
        let mut conn = app.conn().await?;
        timed(redis::cmd("PING").query_async::<String>(&mut conn)).await
    }
    .await;
    match result {
        Ok(_) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": { "code": e.code(), "message": e.to_string() } })),
        )
            .into_response(),
    }
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}
