//! The YAML a package holds: `problem.yaml` and the groups'
//! `testdata.yaml` / `test_group.yaml`, as read, before any checks.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::error::ProblemError;

/// `problem.yaml`, every format version's keys that this judge reads.
#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct ProblemYaml {
    pub(super) name: Option<LocalizedText>,
    #[serde(rename = "type")]
    pub(super) problem_type: Option<OneOrMany>,
    pub(super) validation: Option<String>,
    pub(super) validator_flags: Option<Flags>,
    pub(super) output_validator_args: Option<Flags>,
    pub(super) limits: Option<LimitsYaml>,
    /// Legacy scoring problems' `grading` map (`objective`).
    pub(super) grading: Option<GradingYaml>,
    pub(super) problem_format_version: Option<crate::yaml::Value>,
}

#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct GradingYaml {
    pub(super) objective: Option<String>,
}

impl ProblemYaml {
    /// Reads `problem.yaml` (empty means all defaults), naming the line of a
    /// YAML error.
    pub(super) fn read(yaml_path: &Path) -> Result<ProblemYaml, ProblemError> {
        let text = std::fs::read_to_string(yaml_path)
            .map_err(|e| ProblemError::new(yaml_path, format!("cannot read: {e}")))?;
        if text.trim().is_empty() {
            return Ok(ProblemYaml::default());
        }
        crate::yaml::from_str(&text).map_err(|e| ProblemError {
            file: yaml_path.to_path_buf(),
            line: e.line,
            message: e.message,
        })
    }

    pub(super) fn flags(&self) -> Vec<String> {
        let mut flags = Vec::new();
        for f in [&self.validator_flags, &self.output_validator_args]
            .into_iter()
            .flatten()
        {
            flags.extend(f.clone().into_vec());
        }
        flags
    }
}

/// `name: Foo` or `name: {en: Foo, sv: ...}`.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum LocalizedText {
    Plain(String),
    Localized(BTreeMap<String, String>),
}

impl LocalizedText {
    pub(super) fn into_text(self) -> Option<String> {
        match self {
            LocalizedText::Plain(s) => Some(s),
            LocalizedText::Localized(mut m) => m.remove("en").or_else(|| m.into_values().next()),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub(super) enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    pub(super) fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => s.split_whitespace().map(String::from).collect(),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Flags as one space-separated string or a list.
pub(super) type Flags = OneOrMany;

#[derive(Clone, Debug, Default, Deserialize)]
pub(super) struct LimitsYaml {
    /// 2025-09: seconds.
    pub(super) time_limit: Option<f64>,
    pub(super) memory: Option<u64>,
    pub(super) output: Option<u64>,
    /// KiB; the largest submission (all its files together).
    pub(super) code: Option<u64>,
    /// Multi-pass problems: the most passes per test case (at least 2).
    pub(super) validation_passes: Option<i64>,
    /// Seconds one output validator run may take.
    pub(super) validation_time: Option<f64>,
    /// MiB; the validator's memory.
    pub(super) validation_memory: Option<u64>,
    /// MiB; the most the validator may write.
    pub(super) validation_output: Option<u64>,
}

/// A group's `testdata.yaml` (legacy) or `test_group.yaml` (2025-09): the
/// output validator flags; the grading keys are [`crate::groups`]'.
#[derive(Debug, Default, Deserialize)]
pub(super) struct TestdataYaml {
    pub(super) output_validator_flags: Option<Flags>,
    pub(super) output_validator_args: Option<Flags>,
}
