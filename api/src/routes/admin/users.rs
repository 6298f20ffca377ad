//! Users, for an admin: `POST /api/admin/users` (a bearer token for a
//! user id) and `PUT /api/admin/users/{user_id}/admin` (an account's admin right).

use api_types::{AdminRight, CreateUser, ErrorBody, SetAdmin, UserToken};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use judge_store::accounts;
use judge_store::auth::{is_valid_user_id, USER_ID_RULE};
use judge_store::store;
use judge_store::tokens::TokenInfo;
use serde_json::Value;

use crate::auth::{generate_token, Admin};
use crate::body::{json_object, optional_bool, read_body};
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// A bearer token for a user id (the account need not exist).
#[utoipa::path(post, path = "/api/admin/users", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "the new token (shown once; stored hashed)", body = UserToken),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "invalid user_id or admin (naming the field)", body = ErrorBody),
    ))]
pub(crate) async fn create_user(
    State(app): State<AppState>,
    _admin: Admin,
    body: Body,
) -> Result<(StatusCode, Json<UserToken>), ApiError> {
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
        Json(UserToken {
            admin,
            token,
            user_id,
        }),
    ))
}

/// `PUT /api/admin/users/{user_id}/admin` `{"admin": bool}`: makes an
/// account's user an admin or not (their sessions see it at once; tokens
/// made before keep the right they were made with).
#[utoipa::path(put, path = "/api/admin/users/{user_id}/admin", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("user_id" = String, Path, description = "the account's user id")),
    request_body = SetAdmin,
    responses(
        (status = 200, description = "the right as it is now", body = AdminRight),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such account (field user_id)", body = ErrorBody),
        (status = 422, description = "invalid user_id, or admin missing or not a boolean", body = ErrorBody),
    ))]
pub(crate) async fn set_admin(
    State(app): State<AppState>,
    Path(user_id): Path<String>,
    Admin(by): Admin,
    body: Body,
) -> Result<Json<AdminRight>, ApiError> {
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
    Ok(Json(AdminRight { admin, user_id }))
}
