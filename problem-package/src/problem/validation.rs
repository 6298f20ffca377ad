//! How outputs are judged: what `type` and `validation` declare, the
//! custom validation a 2023-07 / 2025-09 `output_validator/` folder implies,
//! multi-pass passes, and the default validator's flags. What this judge
//! does not implement is refused here, never judged another way.

use std::path::{Path, PathBuf};

use super::output_validator::find_output_validator;
use super::yaml::{OneOrMany, ProblemYaml};
use serde::{Deserialize, Serialize};

use super::cases::TestCase;
use super::error::ProblemError;
use crate::compare::DefaultValidatorFlags;

/// How outputs are judged.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ValidationKind {
    /// The default token validator.
    Default,
    /// The package's own output validator.
    Custom,
    /// A custom validator that talks with the submission.
    Interactive,
}

/// The `language` of a validator check: a job that has a worker find and
/// build a package version's output validator the way judging will, before
/// an import stores the version (see `api::admin`). Not a language id.
pub const VALIDATOR_CHECK_LANGUAGE: &str = "(output-validator)";

/// How a problem is judged, as decided from `problem.yaml` and the package.
pub(super) struct Judging {
    pub(super) declared: Declared,
    pub(super) kind: ValidationKind,
    /// See [`super::Problem::validation_passes`].
    pub(super) passes: Option<u32>,
    /// See [`super::Problem::output_validator`].
    pub(super) output_validator: Option<PathBuf>,
}

/// Decides the validation kind, the passes and the output validator, and
/// checks the problem's own default validator flags.
pub(super) fn decide(
    root: &Path,
    yaml: &ProblemYaml,
    yaml_path: &Path,
    warnings: &mut Vec<String>,
) -> Result<Judging, ProblemError> {
    let declared = yaml
        .validation_kind()
        .map_err(|m| ProblemError::new(yaml_path, m))?;
    let mut validation = declared.kind.clone();
    // 2023-07 and 2025-09 have no `validation` key: an `output_validator/`
    // folder is what makes validation custom ("if no custom output
    // validator is specified, the default validator is used"). Judging
    // such a package with the default comparison would ignore its
    // validator silently.
    if yaml.validation.is_none()
        && validation == ValidationKind::Default
        && root.join("output_validator").exists()
    {
        validation = ValidationKind::Custom;
    }
    let validation_passes = validation_passes(yaml, declared.multi_pass, warnings)
        .map_err(|m| ProblemError::new(yaml_path, m))?;
    let problem_flags = yaml.flags();
    let output_validator = if validation == ValidationKind::Default {
        // Not used, so not judged: only whether one is there, for the warning below.
        find_output_validator(root).ok().flatten()
    } else {
        find_output_validator(root)?
    };
    match (&validation, &output_validator) {
        (ValidationKind::Default, _) => {
            DefaultValidatorFlags::parse(&problem_flags)
                .map_err(|m| ProblemError::new(yaml_path, format!("validator_flags: {m}")))?;
        }
        (_, None) => {
            return Err(ProblemError::new(
                root.join("output_validators"),
                "validation is custom but there is no output validator (output_validators/<name>/ or output_validator/)",
            ))
        }
        (_, Some(_)) => {}
    }
    if validation == ValidationKind::Default && output_validator.is_some() {
        warnings.push(
            "an output validator is present but validation is default; it is not used".into(),
        );
    }
    Ok(Judging {
        declared,
        kind: validation,
        passes: validation_passes,
        output_validator,
    })
}

/// With default validation, every test case's flags (the problem's, then
/// its groups') must be ones the default validator knows.
pub(super) fn check_case_flags(
    root: &Path,
    validation: &ValidationKind,
    tests: &[TestCase],
) -> Result<(), ProblemError> {
    if *validation == ValidationKind::Default {
        for case in tests {
            DefaultValidatorFlags::parse(&case.validator_flags).map_err(|m| {
                ProblemError::new(
                    root.join("data").join(&case.name),
                    format!("validator flags: {m}"),
                )
            })?;
        }
    }
    Ok(())
}

/// What `type` and `validation` declare about judging.
#[derive(Debug, PartialEq)]
pub(super) struct Declared {
    kind: ValidationKind,
    multi_pass: bool,
    pub(super) scoring: bool,
    /// Legacy `validation: custom score`.
    pub(super) validator_scores: bool,
}

impl ProblemYaml {
    /// Reads `type` (legacy: one word; 2023-07 and 2025-09: a word or a
    /// list) and `validation` (legacy and 2023-07 drafts: `default`, or
    /// `custom` followed by some of `interactive`, `multi-pass`, `score`).
    /// Anything this judge does not implement is refused, never judged
    /// another way: submit-answer, unknown words.
    fn validation_kind(&self) -> Result<Declared, String> {
        let types = self
            .problem_type
            .clone()
            .map(OneOrMany::into_vec)
            .unwrap_or_default();
        let mut interactive = false;
        let mut multi_pass = false;
        let mut scoring = false;
        let mut validator_scores = false;
        for t in &types {
            match t.as_str() {
                "pass-fail" => {}
                "interactive" => interactive = true,
                "multi-pass" => multi_pass = true,
                "scoring" => scoring = true,
                "submit-answer" => {
                    return Err("type: submit-answer problems are not supported by this judge \
                         (submissions are programs)"
                        .into())
                }
                other => {
                    return Err(format!(
                        "type: unknown problem type {other:?} (expected pass-fail, scoring, interactive or multi-pass)"
                    ))
                }
            }
        }
        if scoring && types.iter().any(|t| t == "pass-fail") {
            return Err("type: pass-fail and scoring exclude each other".into());
        }
        let validation = self.validation.as_deref().unwrap_or("");
        let words: Vec<&str> = validation.split_whitespace().collect();
        let custom = match words.first() {
            None => false,
            Some(&"default") if words.len() == 1 => false,
            Some(&"default") => {
                return Err(format!(
                    "validation: {validation:?}: only custom validation takes options"
                ))
            }
            Some(&"custom") => true,
            Some(other) => {
                return Err(format!(
                    "validation: expected default or custom, found {other:?}"
                ))
            }
        };
        for word in words.iter().skip(1) {
            match *word {
                "interactive" => interactive = true,
                "multi-pass" => multi_pass = true,
                // Legacy: the validator writes score.txt. It makes the
                // problem a scoring one only with `type: scoring`.
                "score" => validator_scores = true,
                other => {
                    return Err(format!(
                        "validation: unknown option {other:?} (expected interactive, multi-pass or score)"
                    ))
                }
            }
        }
        if words.first() == Some(&"default") && (interactive || multi_pass) {
            return Err(
                "validation: default contradicts type: interactive and multi-pass problems need a custom output validator"
                    .into(),
            );
        }
        let kind = if interactive {
            ValidationKind::Interactive
        } else if custom || multi_pass {
            ValidationKind::Custom
        } else {
            ValidationKind::Default
        };
        Ok(Declared {
            kind,
            multi_pass,
            scoring,
            validator_scores,
        })
    }
}

/// Passes per test case when a multi-pass problem does not say (both drafts and 2025-09).
pub const DEFAULT_VALIDATION_PASSES: u32 = 2;
/// Most passes accepted from `limits.validation_passes`: each pass is a run
/// of the submission and of the validator, within one judging's time budget.
pub const MAX_VALIDATION_PASSES: u32 = 100;

/// `limits.validation_passes` of a multi-pass problem (at least 2, default 2);
/// `None` for other problems, where the key means nothing (a warning).
fn validation_passes(
    yaml: &ProblemYaml,
    multi_pass: bool,
    warnings: &mut Vec<String>,
) -> Result<Option<u32>, String> {
    let given = yaml.limits.as_ref().and_then(|l| l.validation_passes);
    if !multi_pass {
        if given.is_some() {
            warnings.push(
                "limits.validation_passes is only used by multi-pass problems; ignored".into(),
            );
        }
        return Ok(None);
    }
    match given {
        None => Ok(Some(DEFAULT_VALIDATION_PASSES)),
        Some(n) if (2..=i64::from(MAX_VALIDATION_PASSES)).contains(&n) => Ok(Some(n as u32)),
        Some(n) => Err(format!(
            "limits.validation_passes must be between 2 and {MAX_VALIDATION_PASSES}, found {n}"
        )),
    }
}
