//! How results are graded: the format version's rules, scoring and its
//! objective, then the test groups ([`crate::groups`]).

use std::path::Path;

use super::cases::TestCase;
use super::error::ProblemError;
use super::validation::Judging;
use super::validation::ValidationKind;
use super::yaml::ProblemYaml;

/// The problem's grading; scoring in a 2023-07 draft and an unknown
/// `grading.objective` are refused.
pub(super) fn load(
    root: &Path,
    yaml: &ProblemYaml,
    yaml_path: &Path,
    judging: &Judging,
    tests: &[TestCase],
    warnings: &mut Vec<String>,
) -> Result<crate::groups::Grading, ProblemError> {
    let declared = &judging.declared;
    let validation = &judging.kind;
    let rules = match yaml.problem_format_version.as_ref() {
        None => crate::groups::Rules::Legacy,
        Some(crate::yaml::Value::String(v)) if v.starts_with("legacy") => {
            crate::groups::Rules::Legacy
        }
        Some(_) => crate::groups::Rules::Modern,
    };
    let version_is_2023 = matches!(
        yaml.problem_format_version.as_ref(),
        Some(crate::yaml::Value::String(v)) if v.starts_with("2023-07")
    );
    if declared.scoring && version_is_2023 {
        return Err(ProblemError::new(
            yaml_path,
            "type: scoring in a 2023-07 draft package is not supported (legacy and 2025-09 scoring are)",
        ));
    }
    let minimize = match yaml.grading.as_ref().and_then(|g| g.objective.as_deref()) {
        None | Some("max") => false,
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
    crate::groups::load(
        root,
        crate::groups::Declared {
            rules,
            scoring: declared.scoring,
            minimize,
            validator_scores: match rules {
                crate::groups::Rules::Legacy => declared.validator_scores,
                crate::groups::Rules::Modern => *validation != ValidationKind::Default,
            },
        },
        tests,
    )
}
