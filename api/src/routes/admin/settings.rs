//! `GET`/`PUT /api/admin/settings`: settings an admin changes at run time
//! (today: whether sign-up is open or invite-only).

use api_types::{ErrorBody, Settings};
use axum::body::Body;
use axum::extract::State;
use axum::Json;
use judge_store::accounts;

use crate::auth::Admin;
use crate::body::{json_object, optional_bool, read_body};
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The settings as they are.
#[utoipa::path(get, path = "/api/admin/settings", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "the settings", body = Settings),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
    ))]
pub(crate) async fn get_settings(
    State(app): State<AppState>,
    _admin: Admin,
) -> Result<Json<Settings>, ApiError> {
    let open = timed(accounts::signup_open(
        &mut app.conn().await?,
        app.signup_default(),
    ))
    .await?;
    Ok(Json(Settings { signup_open: open }))
}

/// `{"signup_open": bool}`.
#[utoipa::path(put, path = "/api/admin/settings", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    request_body = Settings,
    responses(
        (status = 200, description = "the settings as they are now", body = Settings),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "signup_open missing or not a boolean", body = ErrorBody),
    ))]
pub(crate) async fn put_settings(
    State(app): State<AppState>,
    Admin(admin): Admin,
    body: Body,
) -> Result<Json<Settings>, ApiError> {
    let obj = json_object(&read_body(body, 4096).await?)?;
    let open = optional_bool(&obj, "signup_open")?.ok_or(ApiError::InvalidField {
        field: "signup_open",
        message: "missing field `signup_open` (a boolean)".into(),
    })?;
    timed(accounts::set_signup_open(&mut app.conn().await?, open)).await?;
    tracing::info!(by = ?admin.user_id(), signup_open = open, "settings changed");
    Ok(Json(Settings { signup_open: open }))
}
