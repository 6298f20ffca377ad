//! The one error type of the HTTP API and its JSON shape:
//! `{"error":{"code":"unknown_problem","message":"...","field":"problem_id"}}`.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

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
}

impl ApiError {
    pub fn status(&self) -> StatusCode {
        match self {
            ApiError::MalformedJson(_) | ApiError::BadBody(_) => StatusCode::BAD_REQUEST,
            ApiError::InvalidField { .. } | ApiError::UnknownLanguage(_) => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::UnknownProblem(_)
            | ApiError::UnknownSubmission(_)
            | ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::CodeTooLarge { .. } | ApiError::BodyTooLarge { .. } => {
                StatusCode::PAYLOAD_TOO_LARGE
            }
            ApiError::StoreUnavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            ApiError::MalformedJson(_) => "malformed_json",
            ApiError::InvalidField { .. } => "invalid_field",
            ApiError::UnknownProblem(_) => "unknown_problem",
            ApiError::UnknownLanguage(_) => "unknown_language",
            ApiError::CodeTooLarge { .. } => "code_too_large",
            ApiError::BodyTooLarge { .. } => "body_too_large",
            ApiError::BadBody(_) => "bad_body",
            ApiError::UnknownSubmission(_) => "unknown_submission",
            ApiError::NotFound(_) => "not_found",
            ApiError::StoreUnavailable(_) => "store_unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    pub fn field(&self) -> Option<&'static str> {
        match self {
            ApiError::InvalidField { field, .. } => Some(field),
            ApiError::UnknownProblem(_) => Some("problem_id"),
            ApiError::UnknownLanguage(_) => Some("language"),
            ApiError::CodeTooLarge { .. } => Some("code"),
            _ => None,
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status();
        if status.is_server_error() {
            tracing::error!(error = %self, "request failed");
        }
        let mut error = json!({ "code": self.code(), "message": self.to_string() });
        if let Some(field) = self.field() {
            error["field"] = json!(field);
        }
        (status, Json(json!({ "error": error }))).into_response()
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
