//! What a client reads before anything else, and what operators read:
//! languages, client configuration, who am I, health, metrics, and the
//! JSON 404 of unknown API paths. Public except `/api/me`.

use api_types::{ClientConfig, ErrorBody, ErrorDetail, Health, HealthStatus, LanguageInfo, Me};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::store;
use problem_package::language::LANGUAGES;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The languages submissions may be in.
#[utoipa::path(get, path = "/api/languages", tag = "meta",
    responses((status = 200, description = "every language", body = Vec<LanguageInfo>)))]
pub(crate) async fn languages() -> Json<Vec<LanguageInfo>> {
    Json(
        LANGUAGES
            .iter()
            .map(|l| LanguageInfo {
                editor_mode: l.editor_mode.into(),
                extensions: l.extensions.iter().map(|e| e.to_string()).collect(),
                id: l.id.into(),
                name: l.name.into(),
                time_multiplier: l.time_multiplier,
            })
            .collect(),
    )
}

/// What the web page needs to know: where the gateway is.
#[utoipa::path(get, path = "/api/config", tag = "meta",
    responses((status = 200, description = "the client's configuration", body = ClientConfig)))]
pub(crate) async fn client_config(State(app): State<AppState>) -> Json<ClientConfig> {
    Json(ClientConfig {
        gateway_url: app.config.gateway_url.clone(),
    })
}

/// Who the credentials belong to, so a client need not be told its user id
/// twice. In open mode a request without credentials gets `user_id: null`.
#[utoipa::path(get, path = "/api/me", tag = "meta",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "the caller", body = Me),
        (status = 401, description = "no or unknown token", body = ErrorBody),
    ))]
pub(crate) async fn me(caller: Caller) -> Json<Me> {
    Json(Me {
        admin: caller.is_admin(),
        user_id: caller.user_id().map(str::to_string),
    })
}

/// Prometheus metrics of the whole judge: queue depth, jobs in flight,
/// workers, submissions, verdict counts, queue-to-verdict latency.
#[utoipa::path(get, path = "/metrics", tag = "meta",
    responses(
        (status = 200, description = "Prometheus text format", body = String, content_type = "text/plain"),
        (status = 503, description = "Redis is unavailable", body = ErrorBody),
    ))]
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

/// 200 while Redis answers, else 503.
#[utoipa::path(get, path = "/healthz", tag = "meta",
    responses(
        (status = 200, description = "Redis answers", body = Health),
        (status = 503, description = "Redis does not answer", body = Health),
    ))]
pub(crate) async fn healthz(State(app): State<AppState>) -> (StatusCode, Json<Health>) {
    let result: Result<String, ApiError> = async {
        let mut conn = app.conn().await?;
        timed(redis::cmd("PING").query_async::<String>(&mut conn)).await
    }
    .await;
    match result {
        Ok(_) => (
            StatusCode::OK,
            Json(Health {
                error: None,
                status: HealthStatus::Ok,
            }),
        ),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(Health {
                error: Some(ErrorDetail {
                    code: e.code().into(),
                    field: None,
                    message: e.to_string(),
                }),
                status: HealthStatus::Unavailable,
            }),
        ),
    }
}

pub(crate) async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}
