//! Reading request bodies: a size limit that answers 413 (not a dropped
//! connection), and JSON field access whose errors name the field.

use axum::body::{Body, Bytes};
use serde_json::{Map, Value};

use crate::error::ApiError;

/// How much larger than the code limit a request body may be (JSON framing, other fields).
pub const BODY_OVERHEAD_BYTES: usize = 16 * 1024;

/// The most a JSON string grows over the bytes it carries: a control
/// character is escaped as `\u00XX`, six bytes for one (quotes,
/// backslashes and newlines take two, other UTF-8 is sent as is).
pub const JSON_ESCAPE_FACTOR: usize = 6;

/// The body limit that admits any source of `code_bytes` bytes however it
/// is escaped, with room for the other fields.
pub fn code_body_limit(code_bytes: usize) -> usize {
    code_bytes
        .saturating_mul(JSON_ESCAPE_FACTOR)
        .saturating_add(BODY_OVERHEAD_BYTES)
}

/// The whole body, or 413 past `limit` bytes.
pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes),
        Err(e) => {
            let inner = e.into_inner();
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
            while let Some(err) = source {
                if err.is::<http_body_util::LengthLimitError>() {
                    return Err(ApiError::BodyTooLarge { max: limit });
                }
                source = err.source();
            }
            Err(ApiError::BadBody(inner.to_string()))
        }
    }
}

/// The body as a JSON object: 400 when it is not JSON, 422 (`body`) when it
/// is JSON but not an object.
pub(crate) fn json_object(bytes: &[u8]) -> Result<Map<String, Value>, ApiError> {
    let value: Value =
        serde_json::from_slice(bytes).map_err(|e| ApiError::MalformedJson(format!("{e}")))?;
    match value {
        Value::Object(obj) => Ok(obj),
        other => Err(ApiError::InvalidField {
            field: "body",
            message: format!(
                "the body must be a JSON object, found {}",
                json_type(&other)
            ),
        }),
    }
}

/// A required string field.
pub(crate) fn string_field(
    obj: &Map<String, Value>,
    field: &'static str,
) -> Result<String, ApiError> {
    match obj.get(field) {
        None | Some(Value::Null) => Err(ApiError::InvalidField {
            field,
            message: format!("missing field `{field}`"),
        }),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(ApiError::InvalidField {
            field,
            message: format!("`{field}` must be a string, found {}", json_type(other)),
        }),
    }
}

/// An optional string field (absent or null is `None`).
pub(crate) fn optional_string(
    obj: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<String>, ApiError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => string_field(obj, field).map(Some),
    }
}

/// An optional boolean field (absent or null is `None`).
pub(crate) fn optional_bool(
    obj: &Map<String, Value>,
    field: &'static str,
) -> Result<Option<bool>, ApiError> {
    match obj.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Bool(b)) => Ok(Some(*b)),
        Some(_) => Err(ApiError::InvalidField {
            field,
            message: format!("{field} must be a boolean"),
        }),
    }
}

pub(crate) fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
