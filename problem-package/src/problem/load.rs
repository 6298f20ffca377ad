//! Loading a package: [`Problem::load`] reads every part and checks them together.

use std::path::{Path, PathBuf};

use super::cases::{Sample, TestCase};
use super::error::ProblemError;
use super::limits::{self, ValidationLimits};
use super::summary::ProblemSummary;
use super::validation::{self, ValidationKind};
use super::yaml::ProblemYaml;
use super::{cases, grading, statement_file};
use crate::statement::Statement;

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
    /// The largest submission, all its files together, in KiB
    /// (`limits.code`, default [`limits::DEFAULT_CODE_KIB`]).
    pub code_kib: u64,
    /// What the output validator may use (`limits.validation_*`).
    pub validation_limits: ValidationLimits,
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
    /// A function problem's signature (`function.yaml`, see
    /// [`crate::function`]); `None` for a program that reads stdin.
    pub function: Option<crate::function::spec::FunctionSpec>,
}

impl Problem {
    /// Loads the package at `root`; its directory name is the problem id.
    pub fn load(root: &Path) -> Result<Problem, ProblemError> {
        let id = problem_id(root)?;
        let yaml_path = root.join("problem.yaml");
        let yaml = ProblemYaml::read(&yaml_path)?;
        let mut warnings = Vec::new();

        let (time_limit_ms, time_limit_source) = limits::time_limit(root, &yaml, &mut warnings)?;
        let (memory_mb, output_mb) = limits::memory_and_output(&yaml, &yaml_path)?;
        let validation_limits = limits::validation(&yaml, &yaml_path)?;
        let code_kib = limits::code_kib(&yaml, &yaml_path)?;
        let judging = validation::decide(root, &yaml, &yaml_path, &mut warnings)?;
        let statement = statement_file::load(root, &mut warnings)?;
        let name = yaml
            .name
            .clone()
            .and_then(|n| n.into_text())
            .or_else(|| {
                statement
                    .as_ref()
                    .and_then(|s| statement_file::statement_title(&s.text))
            })
            .unwrap_or_else(|| id.clone());
        let tests = cases::collect(root, yaml.flags(), &mut warnings)?;
        validation::check_case_flags(root, &judging.kind, &tests)?;
        let grading = grading::load(root, &yaml, &yaml_path, &judging, &tests, &mut warnings)?;
        let samples = cases::samples(root, &tests)?;
        // Files compiled with every submission (a driver, a header); the
        // worker adds them when it judges (crate::include).
        warnings.extend(crate::include::check(root)?);
        warnings.extend(ignored_folders(root));
        let function = function_declaration(root, &judging.kind, &tests)?;

        Ok(Problem {
            id,
            name,
            root: root.to_path_buf(),
            time_limit_ms,
            time_limit_source,
            memory_mb,
            output_mb,
            code_kib,
            validation_limits,
            validation: judging.kind,
            validation_passes: judging.passes,
            output_validator: judging.output_validator,
            statement,
            tests,
            samples,
            warnings,
            grading,
            function,
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
            code_kib: self.code_kib,
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
            function: self.function.clone(),
        }
    }
}

/// The package's function declaration, if any: its test files are checked
/// against the signature, and it is judged by the judge's own comparison
/// (no output validator) without included files (the harness is the
/// driver).
fn function_declaration(
    root: &Path,
    kind: &ValidationKind,
    tests: &[TestCase],
) -> Result<Option<crate::function::spec::FunctionSpec>, ProblemError> {
    let Some(spec) = crate::function::spec::FunctionSpec::load(root)? else {
        return Ok(None);
    };
    let file = root.join(crate::function::spec::FILE);
    if *kind != ValidationKind::Default {
        return Err(ProblemError::new(
            file,
            "a function problem's returned values are compared by the judge: it cannot have an output validator",
        ));
    }
    if root.join(crate::include::DIR).exists() {
        return Err(ProblemError::new(
            file,
            "a function problem cannot have include/: the judge's harness is its driver",
        ));
    }
    spec.check_tests(root, tests)?;
    Ok(Some(spec))
}

/// Problem ids are used in paths, keys and URLs.
pub fn is_valid_id(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
}

/// The package's directory name, which must be a valid problem id.
fn problem_id(root: &Path) -> Result<String, ProblemError> {
    Ok(root
        .file_name()
        .and_then(|n| n.to_str())
        .filter(|n| is_valid_id(n))
        .ok_or_else(|| {
            ProblemError::new(
                root,
                "the directory name is the problem id and must be 1-64 of [a-z0-9_-]",
            )
        })?
        .to_string())
}

/// Warnings for the folders of the format this judge does not use
/// (`submissions/` is expected and not warned about).
fn ignored_folders(root: &Path) -> Vec<String> {
    [
        "input_validators",
        "input_format_validators",
        "input_validator",
        "generators",
    ]
    .into_iter()
    .filter(|extra| root.join(extra).exists())
    .map(|extra| format!("{extra}/ is not used by this judge and was ignored"))
    .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::problem::test_support::package;

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
}
