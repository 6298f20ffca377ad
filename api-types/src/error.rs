//! The one error body of the API: `{"error": {"code", "message", "field"}}`,
//! and for a refused problem package every problem found beside it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Every 4xx and 5xx answer of the API (`api::ApiError`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
    /// A refused problem package only (`code: invalid_package`): every
    /// problem found, with its file and line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problems: Option<Vec<PackageProblem>>,
    /// A refused problem package only: the loader's warnings.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// What went wrong, for programs (`code`) and people (`message`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable, snake_case: `unknown_problem`, `invalid_field`, `rate_limited`, ...
    pub code: String,
    /// The request's field (or header, or query parameter) at fault, if one is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    pub message: String,
}

/// One thing wrong with an uploaded problem package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PackageProblem {
    /// Relative to the package root.
    pub file: String,
    /// 1-based; `null` when the problem is not on one line.
    pub line: Option<usize>,
    pub message: String,
}

impl ErrorBody {
    /// An error without a package report.
    pub fn new(code: impl Into<String>, message: impl Into<String>, field: Option<&str>) -> Self {
        ErrorBody {
            error: ErrorDetail {
                code: code.into(),
                field: field.map(str::to_string),
                message: message.into(),
            },
            problems: None,
            warnings: None,
        }
    }
}
