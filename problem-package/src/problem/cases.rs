//! The test cases under `data/sample` and `data/secret`, in order, with
//! the output validator flags each group's `testdata.yaml` /
//! `test_group.yaml` gives; and the samples shown to users.

use std::path::{Path, PathBuf};

use super::entries::{file_name, sorted_entries};
use super::yaml::TestdataYaml;
use serde::{Deserialize, Serialize};

use super::error::ProblemError;

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
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sample {
    pub name: String,
    pub input: String,
    pub output: String,
}

/// Every test case of the package, samples first; `problem_flags` are the
/// output validator flags of `problem.yaml`.
pub(super) fn collect(
    root: &Path,
    mut problem_flags: Vec<String>,
    warnings: &mut Vec<String>,
) -> Result<Vec<TestCase>, ProblemError> {
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
                warnings,
            )?;
        }
    }
    if tests.is_empty() {
        return Err(ProblemError::new(
            &data,
            "no test cases: expected NAME.in with NAME.ans under data/sample or data/secret",
        ));
    }
    Ok(tests)
}

/// The samples' inputs and answers, read.
pub(super) fn samples(root: &Path, tests: &[TestCase]) -> Result<Vec<Sample>, ProblemError> {
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
    Ok(samples)
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
                    crate::yaml::from_str(&text).map_err(|e| ProblemError {
                        file: path.clone(),
                        line: e.line,
                        message: e.message,
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
