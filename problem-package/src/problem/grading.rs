//! How results are graded: the format version's rules, scoring and its
//! objective, then the test groups ([`crate::groups`]).

use std::path::Path;

use super::cases::TestCase;
use super::error::ProblemError;
use super::validation::Judging;
use super::validation::ValidationKind;
use super::yaml::ProblemYaml;

/// The problem's grading. A 2023-07 draft scoring package is graded by the
/// rules of the draft text it follows ([`crate::groups::draft_2023_reading`]);
/// an unknown `grading.objective`, and `min` in a 2023-07 draft scoring
/// package (the draft removed the objective: scores are maximized), are
/// refused.
pub(super) fn load(
    root: &Path,
    yaml: &ProblemYaml,
    yaml_path: &Path,
    judging: &Judging,
    tests: &[TestCase],
    warnings: &mut Vec<String>,
) -> Result<crate::groups::Grading, ProblemError> {
    use crate::groups::{DraftReading, ModernKeys, Rules};
    let declared = &judging.declared;
    let validation = &judging.kind;
    let version = match yaml.problem_format_version.as_ref() {
        Some(crate::yaml::Value::String(v)) => Some(v.as_str()),
        _ => None,
    };
    let version_is_2023 = version.is_some_and(|v| v.starts_with("2023-07"));
    let (rules, keys) = match yaml.problem_format_version.as_ref() {
        None => (Rules::Legacy, ModernKeys::Flat),
        Some(_) if version.is_some_and(|v| v.starts_with("legacy")) => {
            (Rules::Legacy, ModernKeys::Flat)
        }
        Some(_) if version_is_2023 && declared.scoring => {
            match crate::groups::draft_2023_reading(root)? {
                DraftReading::Legacy => (Rules::Legacy, ModernKeys::Flat),
                DraftReading::ScoringMap => (Rules::Modern, ModernKeys::DraftScoringMap),
            }
        }
        Some(_) => (Rules::Modern, ModernKeys::Flat),
    };
    let minimize = match yaml.grading.as_ref().and_then(|g| g.objective.as_deref()) {
        None | Some("max") => false,
        // The draft's changelog: "Removed scoring objective; this now
        // always is maximize".
        Some("min") if version_is_2023 && declared.scoring => {
            return Err(ProblemError::new(
                yaml_path,
                "grading.objective: min is not part of the 2023-07 draft, whose scores are always maximized",
            ))
        }
        Some("min") => true,
        Some(other) => {
            return Err(ProblemError::new(
                yaml_path,
                format!("grading.objective: expected max or min, found {other:?}"),
            ))
        }
    };
    if yaml.grading.is_some() && !declared.scoring {
        warnings.push("grading: only scoring problems use it; ignored".into());
    }
    // Who may give a case its score: legacy `validation: custom score`;
    // in 2025-09 and the late draft text any custom validator; in the
    // early draft text `custom score` too, or, in a package without the
    // `validation` key (which the draft later dropped), its custom
    // validator (a case without score.txt keeps accept_score).
    let validator_scores = match rules {
        Rules::Legacy if version_is_2023 => {
            declared.validator_scores
                || (yaml.validation.is_none() && *validation != ValidationKind::Default)
        }
        Rules::Legacy => declared.validator_scores,
        Rules::Modern => *validation != ValidationKind::Default,
    };
    crate::groups::load(
        root,
        crate::groups::Declared {
            rules,
            scoring: declared.scoring,
            minimize,
            validator_scores,
            keys,
        },
        tests,
    )
}
