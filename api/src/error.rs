//! The one error type of the HTTP API and its JSON shape:
//! `{"error":{"code":"unknown_problem","message":"...","field":"problem_id"}}`.

use api_types::ErrorBody;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The body is not JSON at all (syntax error or truncated).
    #[error("malformed JSON: {0}")]
    MalformedJson(String),
    /// A field is missing, has the wrong type or an invalid value.
    #[error("{field}: {message}")]
    InvalidField {
        field: &'static str,
        message: String,
    },
    #[error("unknown problem {0:?}")]
    UnknownProblem(String),
    #[error("unknown language {0:?}")]
    UnknownLanguage(String),
    /// A known language no running worker serves (none holds its sandbox
    /// image, or `JUDGE_WORKER_LANGUAGES` leaves it out everywhere).
    #[error("{id} ({name}) is not enabled on this judge: no running worker serves it (has its sandbox image and, if JUDGE_WORKER_LANGUAGES is set, lists it); an admin enables it with `judge admin languages enable {id}` (on each worker host: `{command}`)")]
    LanguageNotReady {
        id: String,
        name: String,
        command: String,
    },
    #[error("code is {size} bytes, the limit is {max}")]
    CodeTooLarge { size: usize, max: usize },
    #[error("request body is larger than {max} bytes")]
    BodyTooLarge { max: usize },
    #[error("could not read the request body: {0}")]
    BadBody(String),
    #[error("unknown submission {0:?}")]
    UnknownSubmission(String),
    #[error("no route for {0}")]
    NotFound(String),
    #[error("the store is unavailable: {0}")]
    StoreUnavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
    /// No token, or an unknown one: 401 with `WWW-Authenticate: Bearer`.
    #[error("unauthorized: {0}")]
    Unauthorized(String),
    /// A valid token that may not do this.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// A cookie-authenticated POST/PUT/DELETE without its session's CSRF token.
    #[error("forbidden: a signed-in request that changes something must carry the session's X-CSRF-Token header")]
    CsrfMissing,
    /// Sign-in back-off (too many failed attempts for this account or
    /// address), or too many sign-ups from one address: `what` says which.
    #[error("{what}; retry in {retry_after} s")]
    TooManyAttempts {
        what: &'static str,
        retry_after: u64,
    },
    #[error("problem {0:?} is not a function problem: it has no starter code")]
    NotAFunctionProblem(String),
    #[error("unknown user {0:?}")]
    UnknownUser(String),
    /// `DELETE /api/auth/tokens/{id}` for an id the caller has no token under.
    #[error("you have no token with id {0:?}")]
    UnknownToken(String),
    #[error("conflict: {0}")]
    Conflict(String),
    /// The user made more than `limit` submissions or runs this minute.
    #[error("rate limit: at most {limit} submissions and runs a minute; retry in {retry_after} s")]
    RateLimited { limit: u64, retry_after: u64 },
    /// Back-pressure: the queue holds more than it can judge in good time.
    #[error("the judge is busy ({jobs} jobs queued); retry in {retry_after} s")]
    QueueFull { jobs: u64, retry_after: u64 },
    /// The work was accepted but did not finish in time; it may still finish.
    #[error("timed out: {0}")]
    Timeout(String),
    /// A problem package with problems: 422 with every one of them listed
    /// next to the error, as `problems: [{file, line, message}]`, and `warnings`.
    #[error("the problem package is invalid: {} problem(s)", problems.len())]
    InvalidPackage {
        problems: Vec<api_types::PackageProblem>,
        warnings: Vec<String>,
    },
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden(_) | ApiError::CsrfMissing => StatusCode::FORBIDDEN,
            ApiError::TooManyAttempts { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::UnknownUser(_)
            | ApiError::UnknownToken(_)
            | ApiError::NotAFunctionProblem(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::InvalidField { .. }
            | ApiError::UnknownLanguage(_)
            | ApiError::LanguageNotReady { .. }
            | ApiError::InvalidPackage { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::UnknownProblem(_)
            | ApiError::UnknownSubmission(_)
            | ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::CodeTooLarge { .. } | ApiError::BodyTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
            ApiError::Timeout(_) => StatusCode::GATEWAY_TIMEOUT,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::QueueFull { .. } => StatusCode::SERVICE_UNAVAILABLE,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidField { .. } => "invalid_field",
            ApiError::UnknownProblem(_) => "unknown_problem",
            ApiError::UnknownLanguage(_) => "unknown_language",
            ApiError::LanguageNotReady { .. } => "language_not_ready",
            ApiError::CodeTooLarge { .. } => "code_too_large",
            ApiError::BodyTooLarge { .. } => "body_too_large",
            ApiError::BadBody(_) => "bad_body",
            ApiError::UnknownSubmission(_) => "unknown_submission",
            ApiError::NotFound(_) => "not_found",
            ApiError::StoreUnavailable(_) => "store_unavailable",
            ApiError::Internal(_) => "internal",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::Conflict(_) => "conflict",
            ApiError::CsrfMissing => "csrf_token_missing",
            ApiError::TooManyAttempts { .. } => "too_many_attempts",
            ApiError::UnknownUser(_) => "unknown_user",
            ApiError::UnknownToken(_) => "unknown_token",
            ApiError::NotAFunctionProblem(_) => "not_a_function_problem",
            ApiError::Timeout(_) => "timeout",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::QueueFull { .. } => "queue_full",
            ApiError::InvalidPackage { .. } => "invalid_package",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            ApiError::InvalidField { field, .. } => Some(field),
            ApiError::UnknownProblem(_) => Some("problem_id"),
            ApiError::UnknownLanguage(_) | ApiError::LanguageNotReady { .. } => Some("language"),
            ApiError::CodeTooLarge { .. } => Some("code"),
            ApiError::CsrfMissing => Some("X-CSRF-Token"),
            ApiError::UnknownUser(_) => Some("user_id"),
            ApiError::UnknownToken(_) => Some("id"),
            ApiError::NotAFunctionProblem(_) => Some("problem_id"),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        // Back-pressure is the judge working as designed, not a failure.
        if status.is_server_error() && !matches!(self, ApiError::QueueFull { .. }) {
            tracing::error!(error = %self, "request failed");
        }
        let mut body = ErrorBody::new(self.code(), self.to_string(), self.field());
        if let ApiError::InvalidPackage { problems, warnings } = &self {
            body.problems = Some(problems.clone());
            body.warnings = Some(warnings.clone());
        }
        let mut response = (status, Json(body)).into_response();
        if let ApiError::RateLimited { retry_after, .. }
        | ApiError::QueueFull { retry_after, .. }
        | ApiError::TooManyAttempts { retry_after, .. } = &self
        {
            response.headers_mut().insert(
                axum::http::header::RETRY_AFTER,
                axum::http::HeaderValue::from(*retry_after),
            );
        }
        if let ApiError::Unauthorized(message) = &self {
            let error = if message.contains("not valid") {
                "Bearer realm=\"judge\", error=\"invalid_token\""
            } else {
                "Bearer realm=\"judge\""
            };
            response.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static(error),
            );
        }
        response
    }
}

impl From<redis::RedisError> for ApiError {
    fn from(e: redis::RedisError) -> Self {
        if e.is_io_error()
            || e.is_timeout()
            || e.is_connection_dropped()
            || e.is_connection_refusal()
            || e.is_unrecoverable_error()
        {
            ApiError::StoreUnavailable(e.to_string())
        } else {
            ApiError::Internal(format!("redis: {e}"))
        }
    }
}

impl From<deadpool_redis::PoolError> for ApiError {
    fn from(e: deadpool_redis::PoolError) -> Self {
        ApiError::StoreUnavailable(e.to_string())
    }
}
