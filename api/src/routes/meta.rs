//! What a client reads before anything else, and what operators read:
//! languages, client configuration, who am I, health, metrics, and the
//! JSON 404 of unknown API paths. Public except `/api/me`.

use api_types::{ClientConfig, ErrorBody, ErrorDetail, Health, HealthStatus, LanguageInfo, Me};
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::languages::{self as ready_store, ReadyLanguages};
use judge_store::store;
use problem_package::language::{self, Language, LANGUAGES};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Every language the judge knows, with its version and whether it is
/// ready: a running worker holds its sandbox image. Without Redis the list
/// still comes, with `ready: null`.
#[utoipa::path(get, path = "/api/languages", tag = "meta",
    responses((status = 200, description = "every language", body = Vec<LanguageInfo>)))]
pub(crate) async fn languages(State(app): State<AppState>) -> Json<Vec<LanguageInfo>> {
    let (ready, requested) = match readiness(&app).await {
        Ok(found) => found,
        Err(e) => {
            tracing::warn!(error = %e, "languages: readiness unknown");
            (ReadyLanguages::default(), Default::default())
        }
    };
    Json(
        LANGUAGES
            .iter()
            .map(|l| LanguageInfo {
                default: language::is_default(l),
                editor_mode: l.editor_mode.into(),
                enable_command: l.build_command(),
                extensions: l.extensions.iter().map(|e| e.to_string()).collect(),
                id: l.id.into(),
                name: l.name.into(),
                ready: ready.is_ready(l.id),
                requested: requested.contains_key(l.id),
                time_multiplier: l.time_multiplier,
                version: l.version.into(),
            })
            .collect(),
    )
}

type Requests = std::collections::BTreeMap<String, ready_store::EnableRequest>;

async fn readiness(app: &AppState) -> Result<(ReadyLanguages, Requests), ApiError> {
    let mut conn = app.conn().await?;
    let ready = timed(ready_store::ready(&mut conn)).await?;
    let requested = timed(ready_store::enable_requests(&mut conn)).await?;
    Ok((ready, requested))
}

/// Refuses (422 `language_not_ready`) code in a language no running worker
/// can judge, naming it and how an admin enables it, rather than queueing a
/// job that would wait or end IE. When no running worker has said which
/// images it holds (none is up yet), the job is queued as any job.
pub(crate) async fn require_ready(app: &AppState, id: &str) -> Result<(), ApiError> {
    let Some(lang) = language::by_id(id) else {
        return Err(ApiError::UnknownLanguage(id.to_string()));
    };
    let ready = timed(ready_store::ready(&mut app.conn().await?)).await?;
    match ready.is_ready(lang.id) {
        Some(false) => Err(not_ready(lang)),
        _ => Ok(()),
    }
}

pub(crate) fn not_ready(lang: &Language) -> ApiError {
    ApiError::LanguageNotReady {
        id: lang.id.to_string(),
        name: lang.name.to_string(),
        command: lang.build_command(),
    }
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
