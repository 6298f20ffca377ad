//! What the API lists and stores for each problem version: everything but the data.

use serde::{Deserialize, Serialize};

use super::cases::Sample;
use super::validation::ValidationKind;
use crate::function::spec::FunctionSpec;
use crate::statement::Statement;

/// What the API lists and stores for each problem version: everything but the data.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    pub time_limit_ms: u64,
    pub memory_mb: u64,
    pub output_mb: u64,
    /// The largest submission, all its files together, in KiB
    /// (`limits.code`; summaries stored before it was read get the default).
    #[serde(default = "default_code_kib")]
    pub code_kib: u64,
    pub validation: ValidationKind,
    /// See [`Problem::validation_passes`]; absent for single-pass problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub validation_passes: Option<u32>,
    pub tests: usize,
    pub statement: Option<Statement>,
    pub samples: Vec<Sample>,
    /// `type: scoring`: submissions get a score (and a verdict). Absent on
    /// pass-fail problems and in summaries stored before scoring existed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub scoring: bool,
    /// Scoring problems: the most a submission can score (`None` when
    /// unbounded: a legacy package without a `range` on `data/`, or a
    /// 2025-09 one with `max_score: unbounded`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// Scoring problems: the test groups, in judging order (a group before
    /// its subgroups). Empty on pass-fail problems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub groups: Vec<GroupSummary>,
    /// A function problem's signature and options (see
    /// [`FunctionSpec`]); absent for stdin/stdout problems.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub function: Option<FunctionSpec>,
}

fn default_code_kib() -> u64 {
    super::limits::DEFAULT_CODE_KIB
}

impl ProblemSummary {
    /// [`ProblemSummary::code_kib`] in bytes: the most a submission may carry.
    pub fn code_limit_bytes(&self) -> u64 {
        self.code_kib * 1024
    }
}

/// A test group of a scoring problem, as its page shows it.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupSummary {
    /// Path below `data/`: `sample`, `secret`, `secret/group1`.
    pub name: String,
    /// 1-based judging-order indices of its test cases (subgroups' included).
    pub tests: Vec<usize>,
    /// Its points: the most it can score; `None` when unbounded or when it
    /// scores nothing (2025-09 samples).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// How its score is made of its cases' and subgroups': 2025-09
    /// `pass-fail`, `sum` or `min`; legacy `sum`, `avg`, `min` or `max`.
    pub aggregation: String,
    /// Groups that must be passed before this one scores (2025-09 `require_pass`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub require_pass: Vec<String>,
}
