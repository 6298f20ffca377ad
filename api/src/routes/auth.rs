//! Accounts over HTTP: sign-up, sign-in (a session cookie), sign-out, the
//! current session, and bearer tokens for the CLI (`judge login`). The rules
//! (hashing, sessions, back-off) are in [`judge_store::accounts`].
//!
//! Sign-in and token requests answer 401 with one message whether the user
//! is unknown or the password wrong, after the same argon2 work; after a few
//! failures an account or a client address must wait (429, `Retry-After`).

use api_types::{
    Credentials as CredentialsBody, ErrorBody, SessionInfo, SessionStarted, TokenCreated,
    TokenEntry, TokenRequest,
};
use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::accounts::{self, Attempt};
use judge_store::auth::{constant_time_eq, is_valid_user_id, SESSION_COOKIE, USER_ID_RULE};
use judge_store::tokens::{self, token_hash, token_id, TokenInfo};
use submission::now_ms;

use crate::auth::{bearer_token, check_csrf, generate_token, session_id, Caller};
use crate::body::{json_object, read_body, string_field};
use crate::error::ApiError;
use crate::state::{timed, AppState};
use serde_json::Value;

/// Sign-up, sign-in and token bodies are small.
const MAX_BODY: usize = 8 * 1024;
/// The one answer to a wrong name or a wrong password.
const WRONG_CREDENTIALS: &str = "wrong user name or password";

/// `{"username", "password"}`, both strings (422 naming the field otherwise).
struct Credentials {
    username: String,
    password: String,
}

async fn credentials(body: Body) -> Result<Credentials, ApiError> {
    credentials_and_expiry(body).await.map(|(c, _)| c)
}

/// The credentials and the optional `expires_in` of `POST /api/auth/tokens`.
async fn credentials_and_expiry(body: Body) -> Result<(Credentials, Option<u64>), ApiError> {
    let obj = json_object(&read_body(body, MAX_BODY).await?)?;
    let creds = Credentials {
        username: string_field(&obj, "username")?,
        password: string_field(&obj, "password")?,
    };
    Ok((creds, expires_in(obj.get("expires_in"))?))
}

/// The longest `expires_in`: ten years, in seconds.
pub(crate) const MAX_EXPIRES_IN_SECS: u64 = 10 * 365 * 24 * 3600;

/// An optional `expires_in`: whole seconds, 1 to [`MAX_EXPIRES_IN_SECS`]
/// (422 naming the field otherwise).
pub(crate) fn expires_in(value: Option<&Value>) -> Result<Option<u64>, ApiError> {
    match value {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_u64() {
            Some(secs) if (1..=MAX_EXPIRES_IN_SECS).contains(&secs) => Ok(Some(secs)),
            _ => Err(ApiError::InvalidField {
                field: "expires_in",
                message: format!(
                    "expires_in must be whole seconds from 1 to {MAX_EXPIRES_IN_SECS} (leave it out for a token that lasts until revoked)"
                ),
            }),
        },
    }
}

/// The client's address, for the per-address back-off and sign-up limit
/// (see [`crate::client_address`]: `X-Forwarded-For` only from a trusted proxy).
fn client_address(app: &AppState, parts: &Parts) -> String {
    crate::client_address::client_address(parts, &app.config.trusted_proxies)
}

/// Was the request made over https (directly or as a proxy says)?
fn over_https(parts: &Parts) -> bool {
    parts.uri.scheme_str() == Some("https")
        || parts
            .headers
            .get("x-forwarded-proto")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("https"))
}

/// The `Set-Cookie` value of a session (`None` clears it).
fn session_cookie(app: &AppState, parts: &Parts, id: Option<&str>) -> HeaderValue {
    let secure = if app.config.cookie_secure || over_https(parts) {
        "; Secure"
    } else {
        ""
    };
    let value = match id {
        Some(id) => format!(
            "{SESSION_COOKIE}={id}; HttpOnly; SameSite=Strict; Path=/; Max-Age={}{secure}",
            accounts::SESSION_TTL_SECS
        ),
        None => format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0{secure}"),
    };
    HeaderValue::from_str(&value).expect("a cookie of hex and ASCII")
}

/// Checks a name and password against the back-off and the stored hash;
/// the signed-in account's id and admin right.
async fn check_credentials(
    app: &AppState,
    parts: &Parts,
    creds: Credentials,
) -> Result<TokenInfo, ApiError> {
    // A name that cannot exist is counted under its hash, never put in a key.
    let account_key = if is_valid_user_id(&creds.username) {
        creds.username.clone()
    } else {
        token_hash(&creds.username)
    };
    let address = client_address(app, parts);
    let attempt = Attempt {
        user_id: &account_key,
        address: &address,
    };
    let mut conn = app.conn().await?;
    if let Some(retry_after) =
        timed(accounts::backoff_remaining(&mut conn, &attempt, now_ms())).await?
    {
        return Err(ApiError::TooManyAttempts {
            what: "too many failed sign-ins",
            retry_after,
        });
    }
    let account = if is_valid_user_id(&creds.username) {
        timed(accounts::load_account(&mut conn, &creds.username)).await?
    } else {
        None
    };
    let stored = account.as_ref().map(|a| a.password_hash.clone());
    let password = creds.password;
    let matches = app
        .hash_work(move || accounts::verify_password(stored.as_deref(), &password))
        .await?;
    match account.filter(|_| matches) {
        Some(account) => {
            timed(accounts::clear_failures(&mut conn, &account.user_id)).await?;
            Ok(TokenInfo {
                user_id: account.user_id,
                admin: account.admin,
            })
        }
        None => {
            timed(accounts::record_failure(&mut conn, &attempt, now_ms())).await?;
            tracing::info!(user = %account_key, %address, "sign-in failed");
            Err(ApiError::Unauthorized(WRONG_CREDENTIALS.into()))
        }
    }
}

/// A new session for `info`: the answer's JSON and its cookie.
async fn start_session(
    app: &AppState,
    parts: &Parts,
    info: &TokenInfo,
    status: StatusCode,
) -> Result<Response, ApiError> {
    let session = timed(accounts::create_session(
        &mut app.conn().await?,
        &info.user_id,
    ))
    .await?;
    let body = SessionStarted {
        admin: info.admin,
        csrf_token: session.csrf_token,
        user_id: info.user_id.clone(),
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        header::SET_COOKIE,
        session_cookie(app, parts, Some(&session.id)),
    );
    Ok(response)
}

/// `POST /api/auth/signup`: a new account and its first session.
#[utoipa::path(post, path = "/api/auth/signup", tag = "accounts",
    request_body = CredentialsBody,
    responses(
        (status = 201, description = "the account and a session (Set-Cookie judge_session: HttpOnly, SameSite=Strict, Path=/, Secure over https)", body = SessionStarted),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 403, description = "sign-up is closed", body = ErrorBody),
        (status = 409, description = "the user name is taken", body = ErrorBody),
        (status = 422, description = "invalid username or password (field username or password)", body = ErrorBody),
        (status = 429, description = "too many sign-ups from this address (Retry-After)", body = ErrorBody),
    ))]
pub(crate) async fn signup(
    State(app): State<AppState>,
    parts: Parts,
    body: Body,
) -> Result<Response, ApiError> {
    let creds = credentials(body).await?;
    let open = timed(accounts::signup_open(
        &mut app.conn().await?,
        app.signup_default(),
    ))
    .await?;
    if !open {
        return Err(ApiError::Forbidden(
            "sign-up is closed (invite-only); ask an admin for an account".into(),
        ));
    }
    if !is_valid_user_id(&creds.username) {
        return Err(ApiError::InvalidField {
            field: "username",
            message: format!("username must be {USER_ID_RULE}"),
        });
    }
    accounts::check_new_password(&creds.password).map_err(|e| ApiError::InvalidField {
        field: "password",
        message: e.to_string(),
    })?;
    let taken = || ApiError::Conflict(format!("the user name {:?} is taken", creds.username));
    if accounts::RESERVED_USER_IDS.contains(&creds.username.as_str()) {
        return Err(taken());
    }
    let address = client_address(&app, &parts);
    if let Some(retry_after) =
        timed(accounts::count_signup(&mut app.conn().await?, &address)).await?
    {
        return Err(ApiError::TooManyAttempts {
            what: "too many sign-ups from this address",
            retry_after,
        });
    }
    let password = creds.password.clone();
    let hash = app
        .hash_work(move || accounts::hash_password(&password))
        .await?
        .map_err(|e| ApiError::Internal(e.to_string()))?;
    let created = timed(accounts::create_account(
        &mut app.conn().await?,
        &creds.username,
        &hash,
        false,
    ))
    .await?;
    if !created {
        return Err(taken());
    }
    tracing::info!(user = %creds.username, "account created");
    let info = TokenInfo {
        user_id: creds.username.clone(),
        admin: false,
    };
    start_session(&app, &parts, &info, StatusCode::CREATED).await
}

/// `POST /api/auth/signin`: a session for a name and password.
#[utoipa::path(post, path = "/api/auth/signin", tag = "accounts",
    request_body = CredentialsBody,
    responses(
        (status = 200, description = "signed in (Set-Cookie judge_session: HttpOnly, SameSite=Strict, Path=/, Secure over https)", body = SessionStarted),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "wrong user name or password (one message for both)", body = ErrorBody),
        (status = 422, description = "username or password missing or not a string", body = ErrorBody),
        (status = 429, description = "too many failed sign-ins for this account or address (Retry-After)", body = ErrorBody),
    ))]
pub(crate) async fn signin(
    State(app): State<AppState>,
    parts: Parts,
    body: Body,
) -> Result<Response, ApiError> {
    let creds = credentials(body).await?;
    let info = check_credentials(&app, &parts, creds).await?;
    start_session(&app, &parts, &info, StatusCode::OK).await
}

/// `POST /api/auth/signout`: ends the cookie's session (with its CSRF
/// token) and clears the cookie; 204 even when there was none. Without a
/// session cookie but with `Authorization: Bearer`, revokes that token
/// instead (`judge logout`), except the admin token, which lives in the
/// configuration.
#[utoipa::path(post, path = "/api/auth/signout", tag = "accounts",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 204, description = "signed out (the cookie cleared), or the token revoked"),
        (status = 403, description = "a session cookie without its X-CSRF-Token (field X-CSRF-Token)", body = ErrorBody),
    ))]
pub(crate) async fn signout(
    State(app): State<AppState>,
    parts: Parts,
) -> Result<Response, ApiError> {
    let mut conn = app.conn().await?;
    match (session_id(&parts), bearer_token(&parts)) {
        (Some(id), _) => {
            if let Some(session) = timed(accounts::lookup_session(&mut conn, &id)).await? {
                check_csrf(&parts, &session.csrf_token)?;
                timed(accounts::delete_session(&mut conn, &id)).await?;
            }
        }
        (None, Some(token)) => {
            let is_admin_token =
                constant_time_eq(token_hash(&token).as_bytes(), app.admin_hash.as_bytes());
            if !is_admin_token {
                timed(accounts::revoke_token(&mut conn, &token)).await?;
            }
            return Ok(StatusCode::NO_CONTENT.into_response());
        }
        (None, None) => {}
    }
    let mut response = StatusCode::NO_CONTENT.into_response();
    response
        .headers_mut()
        .insert(header::SET_COOKIE, session_cookie(&app, &parts, None));
    Ok(response)
}

/// `GET /api/auth/session`: always 200, signed in or not, so a first visit
/// shows a sign-in prompt rather than an error.
#[utoipa::path(get, path = "/api/auth/session", tag = "accounts",
    security(("session" = [])),
    responses((status = 200, description = "the session's user, or signed_in: false", body = SessionInfo)))]
pub(crate) async fn session(
    State(app): State<AppState>,
    parts: Parts,
) -> Result<Json<SessionInfo>, ApiError> {
    let signed_out = SessionInfo {
        admin: None,
        csrf_token: None,
        signed_in: false,
        user_id: None,
    };
    let Some(id) = session_id(&parts) else {
        return Ok(Json(signed_out));
    };
    let session = timed(accounts::lookup_session(&mut app.conn().await?, &id)).await?;
    Ok(Json(match session {
        Some(s) => SessionInfo {
            admin: Some(s.info.admin),
            csrf_token: Some(s.csrf_token),
            signed_in: true,
            user_id: Some(s.info.user_id),
        },
        None => signed_out,
    }))
}

/// `POST /api/auth/tokens`: a bearer token for a name and password (the
/// CLI's `judge login`), under the same back-off as sign-in; `expires_in`
/// seconds makes it expire (401 after).
#[utoipa::path(post, path = "/api/auth/tokens", tag = "accounts",
    request_body = TokenRequest,
    responses(
        (status = 201, description = "a new bearer token (shown once; stored hashed)", body = TokenCreated),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "wrong user name or password", body = ErrorBody),
        (status = 422, description = "username or password missing or not a string, or expires_in not 1 to 315360000 seconds", body = ErrorBody),
        (status = 429, description = "too many failed sign-ins (Retry-After)", body = ErrorBody),
    ))]
pub(crate) async fn create_token(
    State(app): State<AppState>,
    parts: Parts,
    body: Body,
) -> Result<(StatusCode, Json<TokenCreated>), ApiError> {
    let (creds, expires_in) = credentials_and_expiry(body).await?;
    let info = check_credentials(&app, &parts, creds).await?;
    let token = generate_token().map_err(|e| ApiError::Internal(e.to_string()))?;
    // The token's admin right is its user's at each use, not stored here.
    let stored = timed(tokens::create(
        &mut app.conn().await?,
        &token,
        &info.user_id,
        false,
        expires_in,
        now_ms(),
    ))
    .await?;
    tracing::info!(user = %info.user_id, id = %stored.id, ?expires_in, "token created by sign-in");
    Ok((
        StatusCode::CREATED,
        Json(TokenCreated {
            expires_at_ms: stored.expires_at_ms,
            id: stored.id,
            token,
            user_id: info.user_id,
        }),
    ))
}

/// `GET /api/auth/tokens`: the caller's live tokens, by id (never the token).
#[utoipa::path(get, path = "/api/auth/tokens", tag = "accounts",
    security(("bearer" = []), ("session" = [])),
    responses(
        (status = 200, description = "the caller's tokens, oldest first", body = Vec<TokenEntry>),
        (status = 401, description = "no credentials, or an unknown, revoked or expired token", body = ErrorBody),
    ))]
pub(crate) async fn list_tokens(
    State(app): State<AppState>,
    caller: Caller,
    parts: Parts,
) -> Result<Json<Vec<TokenEntry>>, ApiError> {
    let user = signed_in_user(&caller)?;
    let current = bearer_token(&parts).map(|t| token_id(&token_hash(&t)));
    let list = timed(tokens::list(&mut app.conn().await?, user, now_ms())).await?;
    Ok(Json(
        list.into_iter()
            .map(|t| TokenEntry {
                created_at_ms: t.created_at_ms,
                current: current.as_deref() == Some(t.id.as_str()),
                expires_at_ms: t.expires_at_ms,
                id: t.id,
            })
            .collect(),
    ))
}

/// `DELETE /api/auth/tokens/{id}`: revokes one of the caller's tokens at once.
#[utoipa::path(delete, path = "/api/auth/tokens/{id}", tag = "accounts",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "the token's id from GET /api/auth/tokens")),
    responses(
        (status = 204, description = "revoked"),
        (status = 401, description = "no credentials, or an unknown, revoked or expired token", body = ErrorBody),
        (status = 403, description = "a session cookie without its X-CSRF-Token (field X-CSRF-Token)", body = ErrorBody),
        (status = 404, description = "the caller has no token with this id (field id)", body = ErrorBody),
    ))]
pub(crate) async fn revoke_token(
    State(app): State<AppState>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<StatusCode, ApiError> {
    let user = signed_in_user(&caller)?;
    let revoked = tokens::is_token_id(&id)
        && timed(tokens::revoke_by_id(&mut app.conn().await?, user, &id)).await?;
    if !revoked {
        return Err(ApiError::UnknownToken(id));
    }
    tracing::info!(%user, %id, "token revoked by its owner");
    Ok(StatusCode::NO_CONTENT)
}

/// The caller's user id; 401 for an anonymous caller (open mode), who owns no tokens.
fn signed_in_user(caller: &Caller) -> Result<&str, ApiError> {
    caller
        .user_id()
        .ok_or_else(|| ApiError::Unauthorized("sign in, or pass a bearer token".into()))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn expires_in_is_whole_positive_seconds() {
        assert_eq!(expires_in(None).unwrap(), None);
        assert_eq!(expires_in(Some(&Value::Null)).unwrap(), None);
        assert_eq!(expires_in(Some(&json!(60))).unwrap(), Some(60));
        for bad in [
            json!(0),
            json!(-5),
            json!(1.5),
            json!("60"),
            json!(MAX_EXPIRES_IN_SECS + 1),
        ] {
            let e = expires_in(Some(&bad)).unwrap_err();
            assert_eq!(e.field(), Some("expires_in"), "{bad}");
        }
    }
}
