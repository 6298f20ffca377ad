//! `GET`/`PUT /api/admin/settings`: settings an admin changes at run time
//! (today: whether sign-up is open or invite-only).

use axum::body::Body;
use axum::extract::State;
use axum::Json;
use judge_store::accounts;
use serde_json::{json, Value};

use crate::auth::Admin;
use crate::body::{json_object, optional_bool, read_body};
use crate::error::ApiError;
use crate::state::{timed, AppState};

pub(crate) async fn get_settings(
    State(app): State<AppState>,
    _admin: Admin,
) -> Result<Json<Value>, ApiError> {
    let open = timed(accounts::signup_open(
        &mut app.conn().await?,
        app.signup_default(),
    ))
    .await?;
    Ok(Json(json!({ "signup_open": open })))
}

/// `{"signup_open": bool}`.
pub(crate) async fn put_settings(
    State(app): State<AppState>,
    Admin(admin): Admin,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let obj = json_object(&read_body(body, 4096).await?)?;
    let open = optional_bool(&obj, "signup_open")?.ok_or(ApiError::InvalidField {
        field: "signup_open",
        message: "missing field `signup_open` (a boolean)".into(),
    })?;
    timed(accounts::set_signup_open(&mut app.conn().await?, open)).await?;
    tracing::info!(by = ?admin.user_id(), signup_open = open, "settings changed");
    Ok(Json(json!({ "signup_open": open })))
}
