//! Problem packages in the Kattis / ICPC problem package format.
//!
//! [`Problem::load`] reads a package directory, in the legacy layout or the
//! 2025-09 one, and reports a malformed package with the file (and line, for
//! YAML) at fault. Extras the judge does not use (input validators,
//! generators, `.ctd` files, tool-specific files) are ignored with a warning.
//! [`pack`] turns a package into a deterministic tar whose hash is the
//! problem's version, so a submission is judged against exactly the data that
//! was current when it was submitted.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::compare::DefaultValidatorFlags;

/// Time limit when the package gives none (problemtools' minimum).
pub const DEFAULT_TIME_LIMIT_MS: u64 = 1000;
/// Memory limit when `limits.memory` is absent (2025-09 default), MiB.
pub const DEFAULT_MEMORY_MB: u64 = 2048;
/// Output limit when `limits.output` is absent, MiB.
pub const DEFAULT_OUTPUT_MB: u64 = 8;
/// Largest package [`pack`] accepts.
pub const MAX_PACKAGE_BYTES: u64 = 256 << 20;

/// A malformed package: which file, which line if known, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct ProblemError {
    pub file: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl fmt::Display for ProblemError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.file.display(), line, self.message),
            None => write!(f, "{}: {}", self.file.display(), self.message),
        }
    }
}

impl ProblemError {
    pub(crate) fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        ProblemError {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }
}

/// How outputs are judged.
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

/// One test case.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestCase {
    /// Path below `data/` without extension, e.g. `sample/1` or `secret/g1/big`.
    pub name: String,
    /// Relative to the package root.
    pub input: PathBuf,
    pub answer: PathBuf,
    pub is_sample: bool,
    /// Output validator flags: the problem's, then every `testdata.yaml` on the way down.
    pub validator_flags: Vec<String>,
}

/// A sample shown to users.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub name: String,
    pub input: String,
    pub output: String,
}

/// The statement text and its format.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// `md` or `tex`.
    pub format: String,
    pub text: String,
    /// The folder it was found in (`problem_statement` or `statement`), where its files are.
    #[serde(default)]
    pub dir: String,
    /// Its files that the API serves (figures, attachments), relative to `dir`;
    /// see [`crate::statement`]. Absent in summaries stored before there were any.
    #[serde(default)]
    pub assets: Vec<String>,
}

/// A loaded package.
#[derive(Clone, Debug, PartialEq)]
pub struct Problem {
    pub id: String,
    pub name: String,
    pub root: PathBuf,
    pub time_limit_ms: u64,
    /// Where the time limit came from, for the admin (`.timelimit`, `problem.yaml`, default).
    pub time_limit_source: String,
    pub memory_mb: u64,
    pub output_mb: u64,
    pub validation: ValidationKind,
    /// Multi-pass validation (2023-07 `validation: custom multi-pass`,
    /// 2025-09 `type: multi-pass`): the most passes per test case
    /// (`limits.validation_passes`, default 2). `None`: one pass.
    pub validation_passes: Option<u32>,
    /// Directory (or single file) of the custom output validator, relative to the root.
    pub output_validator: Option<PathBuf>,
    pub statement: Option<Statement>,
    pub tests: Vec<TestCase>,
    pub samples: Vec<Sample>,
    pub warnings: Vec<String>,
    /// The test groups and how results are graded (pass-fail problems too:
    /// legacy `on_reject` and grader flags change their verdicts).
    pub grading: crate::groups::Grading,
}

/// What the API lists and stores for each problem version: everything but the data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProblemSummary {
    pub id: String,
    pub name: String,
    pub version: String,
    pub time_limit_ms: u64,
    pub memory_mb: u64,
    pub output_mb: u64,
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
}

/// A test group of a scoring problem, as its page shows it.
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

impl ProblemSummary {
    /// The groups of a scoring problem's submission before anything is
    /// judged (empty for pass-fail problems): what a queued state carries.
    pub fn group_results(&self) -> Vec<crate::model::GroupResult> {
        self.groups
            .iter()
            .map(|g| crate::model::GroupResult {
                name: g.name.clone(),
                tests: g.tests.clone(),
                max_score: g.max_score,
                score: None,
                verdict: None,
                passed: 0,
                total: g.tests.len(),
                message: None,
            })
            .collect()
    }
}

impl Problem {
    /// Loads the package at `root`; its directory name is the problem id.
    pub fn load(root: &Path) -> Result<Problem, ProblemError> {
        let id = root
            .file_name()
            .and_then(|n| n.to_str())
            .filter(|n| is_valid_id(n))
            .ok_or_else(|| {
                ProblemError::new(
                    root,
                    "the directory name is the problem id and must be 1-64 of [a-z0-9_-]",
                )
            })?
            .to_string();
        let yaml_path = root.join("problem.yaml");
        let text = std::fs::read_to_string(&yaml_path)
            .map_err(|e| ProblemError::new(&yaml_path, format!("cannot read: {e}")))?;
        let yaml: ProblemYaml = if text.trim().is_empty() {
            ProblemYaml::default()
        } else {
            serde_yaml::from_str(&text).map_err(|e| ProblemError {
                file: yaml_path.clone(),
                line: e.location().map(|l| l.line()),
                message: e.to_string(),
            })?
        };
        let mut warnings = Vec::new();

        let (time_limit_ms, time_limit_source) = time_limit(root, &yaml, &mut warnings)?;
        let limits = yaml.limits.clone().unwrap_or_default();
        let memory_mb = limits.memory.unwrap_or(DEFAULT_MEMORY_MB);
        let output_mb = limits.output.unwrap_or(DEFAULT_OUTPUT_MB);
        if memory_mb == 0 || output_mb == 0 {
            return Err(ProblemError::new(
                &yaml_path,
                "limits.memory and limits.output must be positive",
            ));
        }

        let declared = yaml
            .validation_kind()
            .map_err(|m| ProblemError::new(&yaml_path, m))?;
        let mut validation = declared.kind;
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
        let validation_passes = validation_passes(&yaml, declared.multi_pass, &mut warnings)
            .map_err(|m| ProblemError::new(&yaml_path, m))?;
        let mut problem_flags = yaml.flags();
        let output_validator = if validation == ValidationKind::Default {
            // Not used, so not judged: only whether one is there, for the warning below.
            find_output_validator(root).ok().flatten()
        } else {
            find_output_validator(root)?
        };
        match (&validation, &output_validator) {
            (ValidationKind::Default, _) => {
                DefaultValidatorFlags::parse(&problem_flags)
                    .map_err(|m| ProblemError::new(&yaml_path, format!("validator_flags: {m}")))?;
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

        let mut statement = find_statement(root)?;
        if let Some(s) = statement.as_mut() {
            s.assets = crate::statement::collect(&root.join(&s.dir), &mut warnings)?;
        }
        let name = yaml
            .name
            .clone()
            .and_then(|n| n.into_text())
            .or_else(|| statement.as_ref().and_then(|s| statement_title(&s.text)))
            .unwrap_or_else(|| id.clone());

        let data = root.join("data");
        if !data.is_dir() {
            return Err(ProblemError::new(
                &data,
                "missing: a package needs data/sample and/or data/secret",
            ));
        }
        let mut tests = Vec::new();
        // `data/testdata.yaml` is the root group's (legacy): its flags
        // apply below it unless a group gives its own.
        if let Some(f) = group_flags(&data)? {
            problem_flags = f;
        }
        for group in ["sample", "secret"] {
            let dir = data.join(group);
            if dir.is_dir() {
                collect_cases(
                    root,
                    &dir,
                    group,
                    group == "sample",
                    &mut problem_flags.clone(),
                    &mut tests,
                    &mut warnings,
                )?;
            }
        }
        problem_flags.clear();
        if tests.is_empty() {
            return Err(ProblemError::new(
                &data,
                "no test cases: expected NAME.in with NAME.ans under data/sample or data/secret",
            ));
        }
        if validation == ValidationKind::Default {
            for case in &tests {
                DefaultValidatorFlags::parse(&case.validator_flags).map_err(|m| {
                    ProblemError::new(
                        root.join("data").join(&case.name),
                        format!("validator flags: {m}"),
                    )
                })?;
            }
        }

        let rules = match yaml.problem_format_version.as_ref() {
            None => crate::groups::Rules::Legacy,
            Some(serde_yaml::Value::String(v)) if v.starts_with("legacy") => {
                crate::groups::Rules::Legacy
            }
            Some(_) => crate::groups::Rules::Modern,
        };
        let version_is_2023 = matches!(
            yaml.problem_format_version.as_ref(),
            Some(serde_yaml::Value::String(v)) if v.starts_with("2023-07")
        );
        if declared.scoring && version_is_2023 {
            return Err(ProblemError::new(
                &yaml_path,
                "type: scoring in a 2023-07 draft package is not supported (legacy and 2025-09 scoring are)",
            ));
        }
        let minimize = match yaml.grading.as_ref().and_then(|g| g.objective.as_deref()) {
            None | Some("max") => false,
            Some("min") => true,
            Some(other) => {
                return Err(ProblemError::new(
                    &yaml_path,
                    format!("grading.objective: expected max or min, found {other:?}"),
                ))
            }
        };
        if yaml.grading.is_some() && !declared.scoring {
            warnings.push("grading: only scoring problems use it; ignored".into());
        }
        let grading = crate::groups::load(
            root,
            crate::groups::Declared {
                rules,
                scoring: declared.scoring,
                minimize,
                validator_scores: match rules {
                    crate::groups::Rules::Legacy => declared.validator_scores,
                    crate::groups::Rules::Modern => validation != ValidationKind::Default,
                },
            },
            &tests,
        )?;

        let mut samples = Vec::new();
        for case in tests.iter().filter(|c| c.is_sample) {
            let read = |p: &Path| {
                std::fs::read(root.join(p)).map(|b| String::from_utf8_lossy(&b).into_owned())
            };
            let input = read(&case.input)
                .map_err(|e| ProblemError::new(root.join(&case.input), e.to_string()))?;
            let output = read(&case.answer)
                .map_err(|e| ProblemError::new(root.join(&case.answer), e.to_string()))?;
            samples.push(Sample {
                name: case.name.clone(),
                input,
                output,
            });
        }

        // Files compiled with every submission (a driver, a header); the
        // worker adds them when it judges (crate::include).
        warnings.extend(crate::include::check(root)?);
        for extra in [
            "input_validators",
            "input_format_validators",
            "input_validator",
            "generators",
            "submissions",
        ] {
            if root.join(extra).exists() && extra != "submissions" {
                warnings.push(format!(
                    "{extra}/ is not used by this judge and was ignored"
                ));
            }
        }

        Ok(Problem {
            id,
            name,
            root: root.to_path_buf(),
            time_limit_ms,
            time_limit_source,
            memory_mb,
            output_mb,
            validation,
            validation_passes,
            output_validator,
            statement,
            tests,
            samples,
            warnings,
            grading,
        })
    }

    /// The summary stored for this problem at `version`.
    pub fn summary(&self, version: &str) -> ProblemSummary {
        ProblemSummary {
            id: self.id.clone(),
            name: self.name.clone(),
            version: version.to_string(),
            time_limit_ms: self.time_limit_ms,
            memory_mb: self.memory_mb,
            output_mb: self.output_mb,
            validation: self.validation.clone(),
            validation_passes: self.validation_passes,
            tests: self.tests.len(),
            statement: self.statement.clone(),
            samples: self.samples.clone(),
            scoring: self.grading.scoring,
            max_score: if self.grading.scoring {
                self.grading.max_score()
            } else {
                None
            },
            groups: self.grading.summary(),
        }
    }
}

/// Problem ids are used in paths, keys and URLs.
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

#[derive(Clone, Debug, Default, Deserialize)]
struct ProblemYaml {
    name: Option<LocalizedText>,
    #[serde(rename = "type")]
    problem_type: Option<OneOrMany>,
    validation: Option<String>,
    validator_flags: Option<Flags>,
    output_validator_args: Option<Flags>,
    limits: Option<LimitsYaml>,
    /// Legacy scoring problems' `grading` map (`objective`).
    grading: Option<GradingYaml>,
    problem_format_version: Option<serde_yaml::Value>,
}

#[derive(Clone, Debug, Default, Deserialize)]
struct GradingYaml {
    objective: Option<String>,
}

/// What `type` and `validation` declare about judging.
#[derive(Debug, PartialEq)]
struct Declared {
    kind: ValidationKind,
    multi_pass: bool,
    scoring: bool,
    /// Legacy `validation: custom score`.
    validator_scores: bool,
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

    fn flags(&self) -> Vec<String> {
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
enum LocalizedText {
    Plain(String),
    Localized(BTreeMap<String, String>),
}

impl LocalizedText {
    fn into_text(self) -> Option<String> {
        match self {
            LocalizedText::Plain(s) => Some(s),
            LocalizedText::Localized(mut m) => m.remove("en").or_else(|| m.into_values().next()),
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn into_vec(self) -> Vec<String> {
        match self {
            OneOrMany::One(s) => s.split_whitespace().map(String::from).collect(),
            OneOrMany::Many(v) => v,
        }
    }
}

/// Flags as one space-separated string or a list.
type Flags = OneOrMany;

#[derive(Clone, Debug, Default, Deserialize)]
struct LimitsYaml {
    /// 2025-09: seconds.
    time_limit: Option<f64>,
    memory: Option<u64>,
    output: Option<u64>,
    /// Multi-pass problems: the most passes per test case (at least 2).
    validation_passes: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
struct TestdataYaml {
    output_validator_flags: Option<Flags>,
    output_validator_args: Option<Flags>,
}

fn time_limit(
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

/// Where the custom output validator is, relative to the root.
///
/// 2023-07 and 2025-09 packages have `output_validator/` (the program
/// itself); legacy ones `output_validators/<name>/` or a single file there.
/// Several legacy validators (which the legacy format runs all of, each
/// having to accept) and a package with both folders are refused: this judge
/// runs one validator, and picking one would judge the package other than
/// declared. See [`program_dir`] for a program one folder deeper.
fn find_output_validator(root: &Path) -> Result<Option<PathBuf>, ProblemError> {
    let single = root.join("output_validator");
    let legacy = root.join("output_validators");
    if single.exists() && legacy.exists() {
        return Err(ProblemError::new(
            root,
            "both output_validator/ (2023-07, 2025-09) and output_validators/ (legacy) exist; \
             which one is the validator is ambiguous, keep one",
        ));
    }
    if single.is_file() {
        return Ok(Some(PathBuf::from("output_validator")));
    }
    if single.is_dir() {
        return program_dir(root, Path::new("output_validator")).map(Some);
    }
    if !legacy.is_dir() {
        return Ok(None);
    }
    let entries = visible_entries(&legacy)?;
    match entries.as_slice() {
        [] => Ok(None),
        [only] if only.is_dir() => {
            program_dir(root, &Path::new("output_validators").join(file_name(only))).map(Some)
        }
        [only] => Ok(Some(PathBuf::from("output_validators").join(file_name(only)))),
        several => Err(ProblemError::new(
            &legacy,
            format!(
                "several output validators ({}): the legacy format runs every one and accepts \
                 only if all accept; this judge runs one, so it cannot judge this package as declared",
                several.iter().map(|p| file_name(p)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// A validator program directory: the directory itself when it holds a
/// `build`/`run` script or a source file of a known language, else its only
/// subdirectory when that one does (some tools put the program one folder
/// deeper, `output_validator/<name>/`). No program, or several folders that
/// could each be it, is refused with the reason: found now, not as a judge
/// error on every submission.
fn program_dir(root: &Path, relative: &Path) -> Result<PathBuf, ProblemError> {
    let holds_program = |dir: &Path| -> Result<bool, ProblemError> {
        Ok(visible_entries(dir)?.iter().any(|p| {
            let name = file_name(p);
            p.is_file()
                && (name == "build"
                    || name == "run"
                    || crate::language::by_file_name(&name).is_some())
        }))
    };
    let dir = root.join(relative);
    if holds_program(&dir)? {
        return Ok(relative.to_path_buf());
    }
    let folders: Vec<PathBuf> = visible_entries(&dir)?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    let missing = "no validator program: expected a build or run script, or source files \
                   (.c, .cpp, .py, ...)";
    match folders.as_slice() {
        [only] => {
            let nested = relative.join(file_name(only));
            if holds_program(only)? {
                Ok(nested)
            } else {
                Err(ProblemError::new(only, missing))
            }
        }
        [] => Err(ProblemError::new(&dir, missing)),
        several => Err(ProblemError::new(
            &dir,
            format!(
                "no validator program directly here, and several folders ({}) that could hold it: ambiguous",
                several.iter().map(|p| file_name(p)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Entries of `dir` but hidden ones (`.git`, `.gitignore`), which the
/// format says a judge ignores.
fn visible_entries(dir: &Path) -> Result<Vec<PathBuf>, ProblemError> {
    let mut entries = sorted_entries(dir)?;
    entries.retain(|p| !file_name(p).starts_with('.'));
    Ok(entries)
}

fn find_statement(root: &Path) -> Result<Option<Statement>, ProblemError> {
    for dir in ["statement", "problem_statement"] {
        for name in [
            "problem.en.md",
            "problem.md",
            "problem.en.tex",
            "problem.tex",
        ] {
            let path = root.join(dir).join(name);
            if path.is_file() {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| ProblemError::new(&path, format!("cannot read as UTF-8: {e}")))?;
                let format = if name.ends_with(".md") { "md" } else { "tex" };
                return Ok(Some(Statement {
                    format: format.into(),
                    text,
                    dir: dir.into(),
                    assets: Vec::new(),
                }));
            }
        }
    }
    Ok(None)
}

/// `\problemname{X}` in LaTeX or a leading `# X` in Markdown.
fn statement_title(text: &str) -> Option<String> {
    if let Some(start) = text.find("\\problemname{") {
        let rest = &text[start + "\\problemname{".len()..];
        return rest.find('}').map(|end| rest[..end].trim().to_string());
    }
    text.lines()
        .find_map(|l| l.strip_prefix("# "))
        .map(|t| t.trim().to_string())
}

/// The output validator flags a group's `testdata.yaml` / `test_group.yaml`
/// gives, if any.
fn group_flags(dir: &Path) -> Result<Option<Vec<String>>, ProblemError> {
    let mut found = None;
    for config in ["testdata.yaml", "test_group.yaml"] {
        let path = dir.join(config);
        if path.is_file() {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| ProblemError::new(&path, e.to_string()))?;
            if !text.trim().is_empty() {
                let parsed: TestdataYaml =
                    serde_yaml::from_str(&text).map_err(|e| ProblemError {
                        file: path.clone(),
                        line: e.location().map(|l| l.line()),
                        message: e.to_string(),
                    })?;
                if let Some(f) = parsed
                    .output_validator_flags
                    .or(parsed.output_validator_args)
                {
                    found = Some(f.into_vec());
                }
            }
        }
    }
    Ok(found)
}

fn collect_cases(
    root: &Path,
    dir: &Path,
    group_name: &str,
    is_sample: bool,
    flags: &mut Vec<String>,
    tests: &mut Vec<TestCase>,
    warnings: &mut Vec<String>,
) -> Result<(), ProblemError> {
    let inherited = flags.clone();
    if let Some(f) = group_flags(dir)? {
        // A group's flags replace the inherited ones, as in problemtools.
        *flags = f;
    }
    for entry in sorted_entries(dir)? {
        let name = file_name(&entry);
        if entry.is_dir() {
            collect_cases(
                root,
                &entry,
                &format!("{group_name}/{name}"),
                is_sample,
                flags,
                tests,
                warnings,
            )?;
        } else if let Some(stem) = name.strip_suffix(".in") {
            let answer = entry.with_file_name(format!("{stem}.ans"));
            if !answer.is_file() {
                return Err(ProblemError::new(
                    &entry,
                    format!("has no answer file {stem}.ans beside it"),
                ));
            }
            let relative = |p: &Path| p.strip_prefix(root).unwrap_or(p).to_path_buf();
            tests.push(TestCase {
                name: format!("{group_name}/{stem}"),
                input: relative(&entry),
                answer: relative(&answer),
                is_sample,
                validator_flags: flags.clone(),
            });
        } else if let Some(stem) = name.strip_suffix(".ans") {
            if !dir.join(format!("{stem}.in")).is_file()
                && !dir.join(format!("{stem}.interaction")).is_file()
            {
                warnings.push(format!(
                    "{}: answer without input, ignored",
                    entry.strip_prefix(root).unwrap_or(&entry).display()
                ));
            }
        }
    }
    *flags = inherited;
    Ok(())
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, ProblemError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ProblemError::new(dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Packs a package directory into a deterministic tar (sorted, zero times,
/// owner root) and returns it with its hex SHA-256, the problem's version.
/// `submissions/` and VCS folders stay out: workers never need them.
pub fn pack(root: &Path) -> Result<(Vec<u8>, String), ProblemError> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut total = 0u64;
    pack_dir(root, root, &mut builder, &mut total)?;
    let bytes = builder
        .into_inner()
        .map_err(|e| ProblemError::new(root, e.to_string()))?;
    let version = hex::encode(Sha256::digest(&bytes));
    Ok((bytes, version))
}

fn pack_dir(
    root: &Path,
    dir: &Path,
    builder: &mut tar::Builder<Vec<u8>>,
    total: &mut u64,
) -> Result<(), ProblemError> {
    for entry in sorted_entries(dir)? {
        let name = file_name(&entry);
        let relative = entry.strip_prefix(root).unwrap_or(&entry);
        if dir == root && matches!(name.as_str(), "submissions" | ".git" | ".svn" | ".hg") {
            continue;
        }
        let meta = std::fs::symlink_metadata(&entry)
            .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        if meta.is_dir() {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(0o755);
            header.set_size(0);
            builder
                .append_data(&mut header, relative, std::io::empty())
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
            pack_dir(root, &entry, builder, total)?;
        } else if meta.is_file() {
            *total += meta.len();
            if *total > MAX_PACKAGE_BYTES {
                return Err(ProblemError::new(
                    root,
                    format!("package is larger than {} MiB", MAX_PACKAGE_BYTES >> 20),
                ));
            }
            use std::os::unix::fs::PermissionsExt;
            let executable = meta.permissions().mode() & 0o111 != 0;
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(if executable { 0o755 } else { 0o644 });
            header.set_size(meta.len());
            let file = std::fs::File::open(&entry)
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
            builder
                .append_data(&mut header, relative, file)
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
        }
        // Symlinks and special files are left out: a package must not point outside itself.
    }
    Ok(())
}

/// Unpacks a tar made by [`pack`] into `dest`, refusing paths that escape it.
pub fn unpack(bytes: &[u8], dest: &Path) -> std::io::Result<()> {
    let mut archive = tar::Archive::new(bytes);
    std::fs::create_dir_all(dest)?;
    for entry in archive.entries()? {
        let mut entry = entry?;
        // unpack_in refuses `..` and absolute paths.
        entry.unpack_in(dest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        fs::create_dir_all(p.parent().unwrap()).unwrap();
        fs::write(p, text).unwrap();
    }

    fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("prob");
        fs::create_dir(&root).unwrap();
        for (path, text) in files {
            write(&root, path, text);
        }
        dir
    }

    #[test]
    fn loads_a_legacy_package_in_order() {
        let dir = package(&[
            (
                "problem.yaml",
                "name: A plus B\nlimits:\n  memory: 256\nvalidator_flags: float_tolerance 1e-6\n",
            ),
            (
                "problem_statement/problem.en.tex",
                "\\problemname{A plus B}\nAdd.",
            ),
            ("data/sample/2.in", "1 1\n"),
            ("data/sample/2.ans", "2\n"),
            ("data/sample/1.in", "1 2\n"),
            ("data/sample/1.ans", "3\n"),
            ("data/secret/b/x.in", "5 5\n"),
            ("data/secret/b/x.ans", "10\n"),
            (
                "data/secret/b/testdata.yaml",
                "output_validator_flags: case_sensitive\n",
            ),
            ("data/secret/a.in", "2 2\n"),
            ("data/secret/a.ans", "4\n"),
            ("input_validators/v.ctd", "INT(0,10)"),
            (".timelimit", "2\n"),
        ]);
        let p = Problem::load(&dir.path().join("prob")).unwrap();
        assert_eq!(p.id, "prob");
        assert_eq!(p.name, "A plus B");
        assert_eq!(p.time_limit_ms, 2000);
        assert_eq!(p.memory_mb, 256);
        let names: Vec<_> = p.tests.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["sample/1", "sample/2", "secret/a", "secret/b/x"]);
        assert_eq!(p.tests[0].validator_flags, ["float_tolerance", "1e-6"]);
        assert_eq!(p.tests[3].validator_flags, ["case_sensitive"]);
        assert_eq!(p.samples.len(), 2);
        assert_eq!(p.samples[0].input, "1 2\n");
        assert!(p.warnings.iter().any(|w| w.contains("input_validators")));
        assert_eq!(p.statement.unwrap().format, "tex");
    }

    #[test]
    fn loads_a_2025_09_package() {
        let dir = package(&[
            ("problem.yaml", "problem_format_version: 2025-09\nname:\n  en: Guess\ntype: [pass-fail, interactive]\nlimits:\n  time_limit: 1.5\n"),
            ("statement/problem.en.md", "# Guess\n"),
            ("output_validator/validator.cpp", "int main(){}"),
            ("data/secret/1.in", "5\n"),
            ("data/secret/1.ans", ""),
        ]);
        let p = Problem::load(&dir.path().join("prob")).unwrap();
        assert_eq!(p.name, "Guess");
        assert_eq!(p.validation, ValidationKind::Interactive);
        assert_eq!(p.time_limit_ms, 1500);
        assert_eq!(p.output_validator, Some(PathBuf::from("output_validator")));
    }

    #[test]
    fn malformed_packages_name_the_file_and_line() {
        let dir = package(&[
            ("problem.yaml", "name: x\nlimits:\n  memory: lots\n"),
            ("data/secret/1.in", ""),
        ]);
        let err = Problem::load(&dir.path().join("prob")).unwrap_err();
        assert!(err.file.ends_with("problem.yaml"));
        assert_eq!(err.line, Some(3), "{err}");

        let dir = package(&[("problem.yaml", "name: x\n"), ("data/secret/1.in", "")]);
        let err = Problem::load(&dir.path().join("prob")).unwrap_err();
        assert!(err.file.ends_with("data/secret/1.in"), "{err}");
        assert!(err.message.contains("1.ans"));

        let dir = package(&[
            ("problem.yaml", "validation: custom\n"),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        let err = Problem::load(&dir.path().join("prob")).unwrap_err();
        assert!(err.message.contains("no output validator"), "{err}");

        let dir = package(&[
            ("problem.yaml", "validator_flags: float_tolerance\n"),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        assert!(Problem::load(&dir.path().join("prob"))
            .unwrap_err()
            .message
            .contains("float_tolerance"));

        let dir = package(&[("problem.yaml", "name: x\n")]);
        assert!(Problem::load(&dir.path().join("prob"))
            .unwrap_err()
            .file
            .ends_with("data"));
    }

    #[test]
    fn multi_pass_is_declared_by_type_or_validation() {
        let secret = [("data/secret/1.in", "1\n"), ("data/secret/1.ans", "1\n")];
        let load = |yaml: &str, validator: &str| {
            let mut files = vec![("problem.yaml", yaml), (validator, "int main(){}")];
            files.extend(secret);
            let dir = package(&files);
            Problem::load(&dir.path().join("prob"))
        };
        let p = load(
            "problem_format_version: 2025-09\ntype: multi-pass\n",
            "output_validator/v.cpp",
        )
        .unwrap();
        assert_eq!(
            (p.validation, p.validation_passes),
            (ValidationKind::Custom, Some(2))
        );
        let p = load(
            "problem_format_version: 2023-07-draft\nvalidation: custom multi-pass\nlimits:\n  validation_passes: 5\n",
            "output_validator/v.cpp",
        )
        .unwrap();
        assert_eq!(p.validation_passes, Some(5));
        let p = load(
            "type: [multi-pass, interactive]\n",
            "output_validator/v.cpp",
        )
        .unwrap();
        assert_eq!(
            (p.validation, p.validation_passes),
            (ValidationKind::Interactive, Some(2))
        );
        let p = load(
            "validation: custom interactive\n",
            "output_validators/x/v.cpp",
        )
        .unwrap();
        assert_eq!(p.validation_passes, None);
        let err = load(
            "type: multi-pass\nlimits:\n  validation_passes: 1\n",
            "output_validator/v.cpp",
        )
        .unwrap_err();
        assert!(err.message.contains("validation_passes"), "{err}");
        // The key means nothing without multi-pass.
        let p = load(
            "validation: custom\nlimits:\n  validation_passes: 3\n",
            "output_validator/v.cpp",
        )
        .unwrap();
        assert_eq!(p.validation_passes, None);
        assert!(p.warnings.iter().any(|w| w.contains("validation_passes")));
    }

    #[test]
    fn what_is_not_implemented_is_refused_naming_the_reason() {
        let refused = |yaml: &str| {
            let dir = package(&[
                ("problem.yaml", yaml),
                ("output_validator/v.cpp", "int main(){}"),
                ("data/secret/1.in", ""),
                ("data/secret/1.ans", ""),
            ]);
            let err = Problem::load(&dir.path().join("prob")).unwrap_err();
            assert!(err.file.ends_with("problem.yaml"), "{err}");
            err.message
        };
        assert!(refused("type: [scoring, pass-fail]\n").contains("scoring"));
        assert!(
            refused("problem_format_version: 2023-07-draft\ntype: scoring\n").contains("2023-07")
        );
        assert!(refused("type: submit-answer\n").contains("submit-answer"));
        assert!(refused("type: [pass-fail, golf]\n").contains("golf"));
        assert!(refused("validation: custom fancy\n").contains("fancy"));
        assert!(refused("validation: strict\n").contains("strict"));
        assert!(refused("validation: default interactive\n").contains("default"));
        assert!(refused("type: interactive\nvalidation: default\n").contains("contradicts"));
        assert!(refused("type: scoring\ngrading:\n  objective: most\n").contains("objective"));
    }

    #[test]
    fn group_settings_this_judge_cannot_honour_are_refused() {
        let refused = |path: &str, text: &str| {
            let dir = package(&[
                ("problem.yaml", ""),
                ("data/secret/1.in", ""),
                ("data/secret/1.ans", ""),
                (path, text),
            ]);
            Problem::load(&dir.path().join("prob")).unwrap_err()
        };
        for text in [
            "on_reject: skip\n",
            "grading: custom\n",
            "grader_flags: first_error fastest\n",
            "range: 10 0\n",
            "static_validation_score: pass-fail\n",
        ] {
            let err = refused("data/secret/testdata.yaml", text);
            assert!(err.file.ends_with("testdata.yaml"), "{text}: {err}");
        }
        // Settings that change nothing here load.
        let dir = package(&[
            ("problem.yaml", ""),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
            (
                "data/secret/testdata.yaml",
                "on_reject: continue\ngrading: default\ngrader_flags: first_error accept_if_any_accepted\n",
            ),
        ]);
        assert!(Problem::load(&dir.path().join("prob")).is_ok());
    }

    #[test]
    fn the_validator_is_found_one_folder_deeper_or_refused_as_ambiguous() {
        let secret = [("data/secret/1.in", ""), ("data/secret/1.ans", "")];
        let load = |files: &[(&str, &str)]| {
            let mut all = files.to_vec();
            all.extend(secret);
            let dir = package(&all);
            Problem::load(&dir.path().join("prob"))
        };
        let custom = ("problem.yaml", "validation: custom\n");
        // 2025-09 with one more folder level (and a README beside it).
        let p = load(&[
            custom,
            ("output_validator/README.md", "how to build"),
            ("output_validator/checker/check.cpp", "int main(){}"),
        ])
        .unwrap();
        assert_eq!(
            p.output_validator,
            Some(PathBuf::from("output_validator/checker"))
        );
        // Legacy, and legacy one level deeper still.
        let p = load(&[custom, ("output_validators/v/build", "true")]).unwrap();
        assert_eq!(
            p.output_validator,
            Some(PathBuf::from("output_validators/v"))
        );
        let p = load(&[custom, ("output_validators/v/src/check.py", "")]).unwrap();
        assert_eq!(
            p.output_validator,
            Some(PathBuf::from("output_validators/v/src"))
        );
        // Ambiguous or empty: refused with the folder.
        let err = load(&[
            custom,
            ("output_validator/a/check.cpp", ""),
            ("output_validator/b/check.cpp", ""),
        ])
        .unwrap_err();
        assert!(err.message.contains("several folders (a, b)"), "{err}");
        assert!(err.file.ends_with("output_validator"), "{err}");
        let err = load(&[
            custom,
            ("output_validators/a/check.cpp", ""),
            ("output_validators/b/check.py", ""),
        ])
        .unwrap_err();
        assert!(
            err.message.contains("several output validators (a, b)"),
            "{err}"
        );
        let err = load(&[custom, ("output_validator/README.md", "")]).unwrap_err();
        assert!(err.message.contains("no validator program"), "{err}");
        let err = load(&[
            custom,
            ("output_validator/check.cpp", ""),
            ("output_validators/v/check.cpp", ""),
        ])
        .unwrap_err();
        assert!(err.message.contains("ambiguous"), "{err}");
        // 2025-09 says custom validation by having the folder.
        let p = load(&[
            ("problem.yaml", "problem_format_version: 2025-09\n"),
            ("output_validator/check.py", ""),
        ])
        .unwrap();
        assert_eq!(p.validation, ValidationKind::Custom);
        // Default validation ignores a broken validator folder (with a warning).
        let p = load(&[
            ("problem.yaml", ""),
            ("output_validators/a/x.cpp", ""),
            ("output_validators/b/x.cpp", ""),
        ]);
        assert!(p.is_ok());
    }

    #[test]
    fn a_derived_timelimit_file_names_its_source() {
        let dir = package(&[
            ("problem.yaml", ""),
            (
                ".timelimit",
                &crate::timelimit::timelimit_file(2000, "derived: slowest accepted 0.3 s × 5"),
            ),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        let p = Problem::load(&dir.path().join("prob")).unwrap();
        assert_eq!(p.time_limit_ms, 2000);
        assert_eq!(
            p.time_limit_source,
            ".timelimit, derived: slowest accepted 0.3 s × 5"
        );
    }

    #[test]
    fn domjudge_ini_gives_the_time_limit() {
        let dir = package(&[
            ("problem.yaml", ""),
            ("domjudge-problem.ini", "name='x'\ntimelimit='3'\n"),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        assert_eq!(
            Problem::load(&dir.path().join("prob"))
                .unwrap()
                .time_limit_ms,
            3000
        );
    }

    #[test]
    fn pack_is_deterministic_and_round_trips() {
        let dir = package(&[
            ("problem.yaml", "name: x\n"),
            ("data/secret/1.in", "1"),
            ("data/secret/1.ans", "1"),
            ("submissions/accepted/a.py", "print(1)"),
        ]);
        let root = dir.path().join("prob");
        let (a, va) = pack(&root).unwrap();
        let (_, vb) = pack(&root).unwrap();
        assert_eq!(va, vb);
        let out = tempfile::tempdir().unwrap();
        unpack(&a, out.path()).unwrap();
        assert_eq!(
            fs::read_to_string(out.path().join("data/secret/1.ans")).unwrap(),
            "1"
        );
        assert!(!out.path().join("submissions").exists());
        write(&root, "data/secret/1.ans", "2");
        assert_ne!(pack(&root).unwrap().1, va);
    }
}
