//! `POST /api/admin/languages/{id}/enable`: an admin asks for a language
//! outside the default set.
//!
//! The API does not build the image itself: it runs without Docker access
//! (docker-compose gives the socket to the workers only), and a build needs
//! the repository's `sandbox-images/`, the judge-runner binary, the
//! debootstrapped base image and Debian's mirror, which are on the host that
//! runs `scripts/build-images.sh`, not in the services' image. So the request
//! is recorded (`GET /api/languages` shows it as `requested`) and the answer
//! names the command to run on each worker host; the workers see the new
//! image within seconds (`judge_worker::images`) and the language turns
//! ready with no restart.

use api_types::{ErrorBody, LanguageEnabled};
use axum::extract::{Path, State};
use axum::Json;
use judge_store::languages::{self, EnableRequest};
use problem_package::language;
use submission::now_ms;

use crate::auth::Admin;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Records the request and says how the image is built (or that it is ready).
#[utoipa::path(post, path = "/api/admin/languages/{id}/enable", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "language id, as `GET /api/languages` lists it")),
    responses(
        (status = 200, description = "recorded; the command that builds its image", body = LanguageEnabled),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "unknown language", body = ErrorBody),
    ))]
pub(crate) async fn enable_language(
    State(app): State<AppState>,
    Admin(admin): Admin,
    Path(id): Path<String>,
) -> Result<Json<LanguageEnabled>, ApiError> {
    let lang = language::by_id(&id).ok_or_else(|| ApiError::UnknownLanguage(id.clone()))?;
    let mut conn = app.conn().await?;
    let ready = timed(languages::ready(&mut conn)).await?.is_ready(lang.id);
    let request = EnableRequest {
        by: admin.user_id().unwrap_or("admin").to_string(),
        at_ms: now_ms(),
    };
    timed(languages::request_enable(&mut conn, lang.id, &request)).await?;
    let command = lang.build_command();
    let message = match ready {
        Some(true) => format!("{} is ready: a running worker holds {}", lang.name, lang.image),
        _ => format!(
            "recorded. Build its image on each worker host (as root, in the repository): `{command}`; \
             running workers see it within seconds and {} becomes ready",
            lang.id
        ),
    };
    tracing::info!(language = lang.id, by = %request.by, "language enable requested");
    Ok(Json(LanguageEnabled {
        command,
        id: lang.id.to_string(),
        image: lang.image.to_string(),
        message,
        ready,
    }))
}
