//! Users, for an admin: `POST /api/admin/users` (a bearer token for a
//! user id) and `PUT /api/admin/users/{user_id}/admin` (an account's admin right).

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::accounts;
use judge_store::auth::{is_valid_user_id, USER_ID_RULE};
use judge_store::store;
use judge_store::tokens::TokenInfo;
use serde_json::{json, Value};

use crate::auth::{generate_token, Admin};
use crate::body::{json_object, optional_bool, read_body};
use crate::error::ApiError;
use crate::state::{timed, AppState};

pub(crate) async fn create_user(
    State(app): State<AppState>,
    _admin: Admin,
    body: Body,
) -> Result<Response, ApiError> {
    let bytes = read_body(body, 16 * 1024).await?;
    let value = json_object(&bytes)?;
    let user_id = value
        .get("user_id")
        .and_then(Value::as_str)
        .filter(|u| is_valid_user_id(u))
        .ok_or_else(|| ApiError::InvalidField {
            field: "user_id",
            message: format!("user_id must be {USER_ID_RULE}"),
        })?
        .to_string();
    let admin = optional_bool(&value, "admin")?.unwrap_or(false);
    let token = generate_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut conn = app.conn().await?;
    timed(store::store_token(
        &mut conn,
        &token,
        &TokenInfo {
            user_id: user_id.clone(),
            admin,
        },
    ))
    .await?;
    tracing::info!(user = %user_id, admin, "token created");
    Ok((
        StatusCode::CREATED,
        Json(json!({ "user_id": user_id, "token": token, "admin": admin })),
    )
        .into_response())
}

/// `PUT /api/admin/users/{user_id}/admin` `{"admin": bool}`: makes an
/// account's user an admin or not (their sessions see it at once; tokens
/// made before keep the right they were made with).
pub(crate) async fn set_admin(
    State(app): State<AppState>,
    Path(user_id): Path<String>,
    Admin(by): Admin,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    if !is_valid_user_id(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: format!("user_id must be {USER_ID_RULE}"),
        });
    }
    let obj = json_object(&read_body(body, 4096).await?)?;
    let admin = optional_bool(&obj, "admin")?.ok_or(ApiError::InvalidField {
        field: "admin",
        message: "missing field `admin` (a boolean)".into(),
    })?;
    if !timed(accounts::set_admin(&mut app.conn().await?, &user_id, admin)).await? {
        return Err(ApiError::UnknownUser(user_id));
    }
    tracing::info!(user = %user_id, admin, by = ?by.user_id(), "admin right changed");
    Ok(Json(json!({ "user_id": user_id, "admin": admin })))
}
