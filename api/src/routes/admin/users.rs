//! Users, for an admin: `POST /api/admin/users` (a bearer token for a
//! user id) and `PUT /api/admin/users/{user_id}/admin` (an account's admin right).

use api_types::{AdminRight, CreateUser, ErrorBody, SetAdmin, UserToken};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use judge_store::accounts;
use judge_store::auth::{is_valid_user_id, USER_ID_RULE};
use judge_store::tokens;
use serde_json::Value;
use submission::now_ms;

use crate::auth::{generate_token, Admin};
use crate::body::{json_object, optional_bool, read_body};
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// A bearer token for a user id (the account need not exist); `admin: true`
/// makes the user an admin, `expires_in` (seconds) makes the token expire.
#[utoipa::path(post, path = "/api/admin/users", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    request_body = CreateUser,
    responses(
        (status = 201, description = "the new token (shown once; stored hashed)", body = UserToken),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 422, description = "invalid or reserved user_id, admin or expires_in (naming the field)", body = ErrorBody),
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
    reserved(&user_id)?;
    let make_admin = optional_bool(&value, "admin")?.unwrap_or(false);
    let expires_in = crate::routes::auth::expires_in(value.get("expires_in"))?;
    let token = generate_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut conn = app.conn().await?;
    let stored = timed(tokens::create(
        &mut conn,
        &token,
        &user_id,
        false,
        expires_in,
        now_ms(),
    ))
    .await?;
    // The right is the user's (every token of theirs has it, at each use).
    if make_admin {
        timed(accounts::set_admin(&mut conn, &user_id, true)).await?;
    }
    let admin = timed(tokens::lookup(&mut conn, &token, now_ms()))
        .await?
        .is_some_and(|t| t.admin);
    tracing::info!(user = %user_id, admin, id = %stored.id, ?expires_in, "token created");
    Ok((
        StatusCode::CREATED,
        Json(UserToken {
            admin,
            expires_at_ms: stored.expires_at_ms,
            id: stored.id,
            token,
            user_id,
        }),
    ))
}

/// 422 for the user ids no one may be given (the admin token's among them:
/// its right comes from the configuration alone).
fn reserved(user_id: &str) -> Result<(), ApiError> {
    if accounts::RESERVED_USER_IDS.contains(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: format!("{user_id:?} is reserved"),
        });
    }
    Ok(())
}

/// `PUT /api/admin/users/{user_id}/admin` `{"admin": bool}`: makes a user
/// an admin or not; their sessions and every token of theirs see it at
/// their next request.
#[utoipa::path(put, path = "/api/admin/users/{user_id}/admin", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("user_id" = String, Path, description = "the account's user id")),
    request_body = SetAdmin,
    responses(
        (status = 200, description = "the right as it is now", body = AdminRight),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such user: no account and no token (field user_id)", body = ErrorBody),
        (status = 422, description = "invalid or reserved user_id, or admin missing or not a boolean", body = ErrorBody),
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
    reserved(&user_id)?;
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
