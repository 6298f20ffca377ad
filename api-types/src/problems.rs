//! Problems: the list, one problem, a function problem's starter code.

use problem_package::problem::{ProblemSummary, ValidationKind};
use serde::{Deserialize, Deserializer, Serialize};
use submission::Verdict;
use utoipa::ToSchema;

/// One problem of `GET /api/problems`: its current version's limits.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemListEntry {
    /// Only when the list is asked for a user (a token, or `?user=`): that
    /// user's best result on the problem, `null` if they have none.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "present"
    )]
    #[schema(value_type = Option<BestResult>)]
    pub best: Option<Option<BestResult>>,
    pub id: String,
    /// Scoring problems: the most a submission can score; `null` otherwise
    /// (or when unbounded).
    pub max_score: Option<f64>,
    pub memory_mb: u64,
    pub name: String,
    pub scoring: bool,
    pub tests: usize,
    pub time_limit_ms: u64,
    pub validation: ValidationKind,
    pub version: String,
}

/// A field that is there, `null` or not: `Some(None)` for `null`, so that
/// it stays apart from a missing one (`None`, by `default`).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

/// A user's best result on a problem, over their submissions' latest
/// verdicts (recomputed when a rejudge changes one): the highest score,
/// else solved; ties go to the earliest submission.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct BestResult {
    /// Scoring problems only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// Scoring problems only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// Accepted (every group passed).
    pub solved: bool,
    pub submission_id: String,
    pub verdict: Verdict,
}

/// `GET /api/problems/{id}`: the current version's summary (limits,
/// statement, samples; a scoring problem's groups; a function problem's
/// `function`), and for a function problem the languages it can be solved in.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct ProblemDetail {
    #[serde(flatten)]
    pub summary: ProblemSummary,
    /// Function problems only: the ids of the languages with a harness
    /// (another is refused with 422).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function_languages: Option<Vec<String>>,
}

/// `GET /api/problems/{id}/stub/{language}`: a function problem's starter code.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Stub {
    pub code: String,
    pub language: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_best_is_absent_null_or_there() {
        let entry = |best: &str| {
            let text = format!(
                r#"{{{best}"id":"a","max_score":null,"memory_mb":1,"name":"A","scoring":false,"tests":1,"time_limit_ms":1,"validation":"default","version":"v"}}"#
            );
            let entry: ProblemListEntry = serde_json::from_str(&text).unwrap();
            assert_eq!(serde_json::to_string(&entry).unwrap(), text);
            entry.best
        };
        assert_eq!(entry(""), None);
        assert_eq!(entry(r#""best":null,"#), Some(None));
        let best = entry(r#""best":{"solved":true,"submission_id":"s","verdict":"AC"},"#);
        assert!(best.unwrap().unwrap().solved);
    }
}
