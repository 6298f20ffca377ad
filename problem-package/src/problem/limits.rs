//! The problem's limits as the package gives them: the time limit from its
//! sources (`.timelimit` with its note, `limits.time_limit`,
//! `domjudge-problem.ini`, else the default), and the memory and output
//! limits. Deriving a time limit from submissions is [`crate::timelimit`].

use std::path::Path;

use super::error::ProblemError;
use super::yaml::ProblemYaml;

/// Time limit when the package gives none (problemtools' minimum).
pub const DEFAULT_TIME_LIMIT_MS: u64 = 1000;
/// Memory limit when `limits.memory` is absent (2025-09 default), MiB.
pub const DEFAULT_MEMORY_MB: u64 = 2048;
/// Output limit when `limits.output` is absent, MiB.
pub const DEFAULT_OUTPUT_MB: u64 = 8;
/// Source size limit when `limits.code` is absent, KiB: the format's
/// "typical system default" (legacy and 2025-09 alike).
pub const DEFAULT_CODE_KIB: u64 = 128;
/// The largest `limits.code` accepted, KiB: every submission's source goes
/// through Redis and the API's memory, so a typo (`code: 1048576`) must not
/// open the door to gigabyte bodies.
pub const MAX_CODE_KIB: u64 = 16 * 1024;

/// What an output validator may use: `limits.validation_time`,
/// `validation_memory` and `validation_output`, defaulting to the format's
/// "typical system default" (60 s, 2048 MiB, 8 MiB). A validator that needs
/// more than a fixed judge-wide limit would otherwise fail as a judge error
/// on exactly the packages that declare what they need.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ValidationLimits {
    pub time_ms: u64,
    pub memory_mb: u64,
    pub output_mb: u64,
}

impl Default for ValidationLimits {
    fn default() -> Self {
        ValidationLimits {
            time_ms: 60_000,
            memory_mb: 2048,
            output_mb: 8,
        }
    }
}

/// The validator's limits from `limits`, each defaulted; all must be positive.
pub(super) fn validation(
    yaml: &ProblemYaml,
    yaml_path: &Path,
) -> Result<ValidationLimits, ProblemError> {
    let limits = yaml.limits.clone().unwrap_or_default();
    let defaults = ValidationLimits::default();
    let time_ms = match limits.validation_time {
        None => defaults.time_ms,
        Some(s) if s.is_finite() && s > 0.0 && s <= 3600.0 => (s * 1000.0).round() as u64,
        Some(s) => {
            return Err(ProblemError::new(
                yaml_path,
                format!("limits.validation_time must be between 0 and 3600 seconds, got {s}"),
            ))
        }
    };
    let memory_mb = limits.validation_memory.unwrap_or(defaults.memory_mb);
    let output_mb = limits.validation_output.unwrap_or(defaults.output_mb);
    if memory_mb == 0 || output_mb == 0 {
        return Err(ProblemError::new(
            yaml_path,
            "limits.validation_memory and limits.validation_output must be positive",
        ));
    }
    Ok(ValidationLimits {
        time_ms,
        memory_mb,
        output_mb,
    })
}

/// `limits.memory` and `limits.output` in MiB, defaulted; both must be positive.
pub(super) fn memory_and_output(
    yaml: &ProblemYaml,
    yaml_path: &Path,
) -> Result<(u64, u64), ProblemError> {
    let limits = yaml.limits.clone().unwrap_or_default();
    let memory_mb = limits.memory.unwrap_or(DEFAULT_MEMORY_MB);
    let output_mb = limits.output.unwrap_or(DEFAULT_OUTPUT_MB);
    if memory_mb == 0 || output_mb == 0 {
        return Err(ProblemError::new(
            yaml_path,
            "limits.memory and limits.output must be positive",
        ));
    }
    Ok((memory_mb, output_mb))
}

/// `limits.code` in KiB (the largest submission, all its files together),
/// defaulted to [`DEFAULT_CODE_KIB`]; positive and at most [`MAX_CODE_KIB`].
pub(super) fn code_kib(yaml: &ProblemYaml, yaml_path: &Path) -> Result<u64, ProblemError> {
    let code = yaml.limits.as_ref().and_then(|l| l.code);
    match code {
        None => Ok(DEFAULT_CODE_KIB),
        Some(kib) if (1..=MAX_CODE_KIB).contains(&kib) => Ok(kib),
        Some(kib) => Err(ProblemError::new(
            yaml_path,
            format!("limits.code must be between 1 and {MAX_CODE_KIB} KiB, got {kib}"),
        )),
    }
}

/// The time limit in ms and where it came from (see
/// [`super::Problem::time_limit_source`]): `.timelimit`, else
/// `limits.time_limit`, else `domjudge-problem.ini`, else the default with a
/// warning.
pub(super) fn time_limit(
    root: &Path,
    yaml: &ProblemYaml,
    warnings: &mut Vec<String>,
) -> Result<(u64, String), ProblemError> {
    let seconds_to_ms = |s: f64, file: &Path| -> Result<u64, ProblemError> {
        if s.is_finite() && s > 0.0 && s <= 3600.0 {
            Ok((s * 1000.0).round() as u64)
        } else {
            Err(ProblemError::new(
                file,
                format!("time limit must be between 0 and 3600 seconds, got {s}"),
            ))
        }
    };
    let dot_timelimit = root.join(".timelimit");
    if dot_timelimit.is_file() {
        let text = std::fs::read_to_string(&dot_timelimit)
            .map_err(|e| ProblemError::new(&dot_timelimit, e.to_string()))?;
        // The seconds on the first line (what BAPCtools and DOMjudge read);
        // `#` lines after it are a note on where the limit came from, which
        // `judge problem add` writes when it derives the limit
        // (see [`crate::timelimit::timelimit_file`]).
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let first = lines.next().unwrap_or("");
        let seconds: f64 = first.parse().map_err(|_| {
            ProblemError::new(&dot_timelimit, format!("expected seconds, found {first:?}"))
        })?;
        let note: Vec<&str> = lines
            .filter_map(|l| l.strip_prefix('#'))
            .map(str::trim)
            .collect();
        let source = if note.is_empty() {
            ".timelimit".to_string()
        } else {
            format!(".timelimit, {}", note.join(" "))
        };
        return Ok((seconds_to_ms(seconds, &dot_timelimit)?, source));
    }
    if let Some(seconds) = yaml.limits.as_ref().and_then(|l| l.time_limit) {
        return Ok((
            seconds_to_ms(seconds, &root.join("problem.yaml"))?,
            "problem.yaml limits.time_limit".into(),
        ));
    }
    let ini = root.join("domjudge-problem.ini");
    if ini.is_file() {
        let text =
            std::fs::read_to_string(&ini).map_err(|e| ProblemError::new(&ini, e.to_string()))?;
        for (number, line) in text.lines().enumerate() {
            if let Some((key, value)) = line.split_once('=') {
                if key.trim() == "timelimit" {
                    let value = value.trim().trim_matches(|c| c == '\'' || c == '"');
                    let seconds: f64 = value.parse().map_err(|_| ProblemError {
                        file: ini.clone(),
                        line: Some(number + 1),
                        message: format!("timelimit: expected seconds, found {value:?}"),
                    })?;
                    return Ok((seconds_to_ms(seconds, &ini)?, "domjudge-problem.ini".into()));
                }
            }
        }
    }
    warnings.push(format!(
        "no time limit given (.timelimit, limits.time_limit or domjudge-problem.ini); using {} ms \
         here; `judge problem add` derives one from the package's submissions by the format's rules",
        DEFAULT_TIME_LIMIT_MS
    ));
    Ok((DEFAULT_TIME_LIMIT_MS, "default".into()))
}
