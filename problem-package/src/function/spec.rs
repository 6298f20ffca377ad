//! The declaration of a function problem: `function.yaml` at the package
//! root. A package without that file is an ordinary stdin/stdout package
//! and is read exactly as before; the file is the judge's extension to the
//! Kattis format, kept out of `problem.yaml` so that other tools reading
//! the package (problemtools, DOMjudge) never meet an unknown key.
//!
//! ```yaml
//! name: twoSum
//! params:
//!   - {name: nums, type: "int[]"}
//!   - {name: target, type: int}
//! returns: "int[]"
//! compare: unordered      # or exact (the default)
//! show_all_cases: false   # true: failing secret cases show their input too
//! ```
//!
//! Each test's `.in` holds one argument per line, each `.ans` the expected
//! return value, in LeetCode's notation; all of them are checked against
//! the signature when the package is loaded, so that a harness never meets
//! an argument it cannot read.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::compare::Comparison;
use super::types::Type;
use super::value::{self, Value};
use crate::problem::cases::TestCase;
use crate::problem::error::ProblemError;

/// The file, at the package root.
pub const FILE: &str = "function.yaml";

/// One parameter.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "type")]
    #[cfg_attr(feature = "utoipa", schema(value_type = String))]
    pub ty: Type,
}

/// How a returned value is compared with the expected one.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CompareMode {
    #[default]
    Exact,
    /// A returned list may be in any order.
    Unordered,
}

/// A function problem's signature and options (`function.yaml`), also
/// served in the problem's JSON as `function`.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionSpec {
    /// The function's name, e.g. `twoSum`.
    pub name: String,
    pub params: Vec<Param>,
    /// The returned type, in the type language (`int[]`).
    #[cfg_attr(feature = "utoipa", schema(value_type = String))]
    pub returns: Type,
    #[serde(default)]
    pub compare: CompareMode,
    /// Whether a failing secret case may show its input, expected value and
    /// the returned one (samples always do).
    #[serde(default)]
    pub show_all_cases: bool,
}

/// A custom input that does not fit the signature: which line and why.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {message}")]
pub struct InputError {
    /// 1-based; 0 when the problem is the number of lines.
    pub line: usize,
    pub message: String,
}

impl FunctionSpec {
    /// A signature for unit tests: `name(params) -> returns` in the type
    /// language, exact comparison.
    #[cfg(test)]
    pub(crate) fn of(name: &str, params: &[(&str, &str)], returns: &str) -> FunctionSpec {
        FunctionSpec {
            name: name.into(),
            params: params
                .iter()
                .map(|(name, ty)| Param {
                    name: name.to_string(),
                    ty: Type::parse(ty).unwrap(),
                })
                .collect(),
            returns: Type::parse(returns).unwrap(),
            compare: Default::default(),
            show_all_cases: false,
        }
    }

    /// Reads `function.yaml` if the package has one.
    pub fn load(root: &Path) -> Result<Option<FunctionSpec>, ProblemError> {
        let path = root.join(FILE);
        if !path.exists() {
            return Ok(None);
        }
        let text = std::fs::read_to_string(&path)
            .map_err(|e| ProblemError::new(&path, format!("cannot read: {e}")))?;
        let spec: FunctionSpec = crate::yaml::from_str(&text).map_err(|e| ProblemError {
            file: path.clone(),
            line: e.line,
            message: e.message,
        })?;
        spec.check_names().map_err(|(key, message)| ProblemError {
            line: line_of(&text, key),
            file: path.clone(),
            message,
        })?;
        Ok(Some(spec))
    }

    /// Names must be identifiers in every language, and parameters distinct.
    fn check_names(&self) -> Result<(), (&str, String)> {
        if !is_identifier(&self.name) {
            return Err((
                "name",
                format!(
                    "function name {:?} is not an identifier ([A-Za-z_][A-Za-z0-9_]*)",
                    self.name
                ),
            ));
        }
        for (i, p) in self.params.iter().enumerate() {
            if !is_identifier(&p.name) || RESERVED.contains(&p.name.as_str()) {
                return Err((
                    &p.name,
                    format!(
                        "parameter name {:?} is not an identifier usable in every language",
                        p.name
                    ),
                ));
            }
            if self.params[..i].iter().any(|q| q.name == p.name) {
                return Err((&p.name, format!("parameter {:?} is declared twice", p.name)));
            }
        }
        Ok(())
    }

    /// The signature in the type language: `twoSum(nums: int[], target: int) -> int`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty))
            .collect();
        format!("{}({}) -> {}", self.name, params.join(", "), self.returns)
    }

    /// Checks every test's `.in` (one argument per line) and `.ans` (the
    /// return value), naming the file and line of the first bad one.
    pub fn check_tests(&self, root: &Path, tests: &[TestCase]) -> Result<(), ProblemError> {
        for test in tests {
            let input = root.join(&test.input);
            let text = read(&input)?;
            self.parse_input(&text).map_err(|e| ProblemError {
                file: input.clone(),
                line: (e.line > 0).then_some(e.line),
                message: format!("{} (the signature is {})", e.message, self.signature()),
            })?;
            let answer = root.join(&test.answer);
            self.parse_return(&read(&answer)?)
                .map_err(|message| ProblemError {
                    file: answer.clone(),
                    line: Some(1),
                    message: format!("the expected return value: {message}"),
                })?;
            self.comparison(&test.validator_flags)
                .map_err(|e| ProblemError::new(&input, format!("validator flags: {e}")))?;
        }
        Ok(())
    }

    /// The arguments of one call: one value per non-blank line.
    pub fn parse_input(&self, text: &str) -> Result<Vec<Value>, InputError> {
        let lines: Vec<(usize, &str)> = text
            .lines()
            .enumerate()
            .filter(|(_, l)| !l.trim().is_empty())
            .map(|(i, l)| (i + 1, l))
            .collect();
        if lines.len() != self.params.len() {
            return Err(InputError {
                line: 0,
                message: format!(
                    "{} lines of arguments, expected {} (one per parameter: {})",
                    lines.len(),
                    self.params.len(),
                    self.params
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        }
        lines
            .into_iter()
            .zip(&self.params)
            .map(|((line, text), param)| {
                value::parse(&param.ty, text).map_err(|e| InputError {
                    line,
                    message: format!("{}: {e}", param.name),
                })
            })
            .collect()
    }

    /// The token form of a `.in` (or custom input) that the harnesses read.
    pub fn harness_input(&self, text: &str) -> Result<String, InputError> {
        let mut out = String::new();
        for (value, param) in self.parse_input(text)?.iter().zip(&self.params) {
            value.tokens(&param.ty, &mut out);
            out.push('\n');
        }
        Ok(out)
    }

    /// A return value (an `.ans`, or what a harness printed).
    pub fn parse_return(&self, text: &str) -> Result<Value, String> {
        value::parse(&self.returns, text)
    }

    /// The comparison for a test with these validator flags.
    pub fn comparison(&self, flags: &[String]) -> Result<Comparison, String> {
        Comparison::new(self.compare == CompareMode::Unordered, flags)
    }
}

/// Words no parameter may be called in some harness language.
const RESERVED: &[&str] = &[
    "self", "class", "def", "int", "long", "char", "double", "bool", "string", "var", "let",
    "function", "new", "return", "in", "is", "not", "and", "or", "if", "else", "for", "while",
    "do", "try", "case", "default", "switch", "this", "null", "None", "True", "False", "true",
    "false", "import", "from", "package", "public", "private", "static", "void", "final", "lambda",
    "with", "yield", "del", "pass", "global", "auto", "const", "delete", "operator", "template",
    "typename", "struct", "union", "enum", "goto", "main", "input", "list", "print",
];

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
        && name.len() <= 64
}

/// The first line of `text` mentioning `word`, for errors found after parsing.
fn line_of(text: &str, word: &str) -> Option<usize> {
    text.lines().position(|l| l.contains(word)).map(|i| i + 1)
}

fn read(path: &Path) -> Result<String, ProblemError> {
    std::fs::read_to_string(path).map_err(|e| ProblemError::new(path, format!("cannot read: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TWO_SUM: &str = "name: twoSum\nparams:\n  - {name: nums, type: \"int[]\"}\n  - {name: target, type: int}\nreturns: \"int[]\"\ncompare: unordered\n";

    fn spec(text: &str) -> Result<Option<FunctionSpec>, ProblemError> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), text).unwrap();
        FunctionSpec::load(dir.path())
    }

    #[test]
    fn reads_the_declaration() {
        let s = spec(TWO_SUM).unwrap().unwrap();
        assert_eq!(s.signature(), "twoSum(nums: int[], target: int) -> int[]");
        assert_eq!(s.compare, CompareMode::Unordered);
        assert!(!s.show_all_cases);
        let json = serde_json::to_value(&s).unwrap();
        assert_eq!(json["params"][0]["type"], "int[]");
        assert_eq!(json["returns"], "int[]");
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(FunctionSpec::load(dir.path()).unwrap(), None);
    }

    #[test]
    fn bad_declarations_name_the_line() {
        let err =
            spec("name: f\nparams:\n  - {name: a, type: integer}\nreturns: int\n").unwrap_err();
        assert_eq!(err.line, Some(3), "{err}");
        assert!(err.message.contains("integer"), "{err}");
        let err = spec("name: f\nparams: []\nreturns: int\ncompare: sorted\n").unwrap_err();
        assert_eq!(err.line, Some(4), "{err}");
        let err = spec(
            "name: f\nparams:\n  - {name: a, type: int}\n  - {name: a, type: int}\nreturns: int\n",
        )
        .unwrap_err();
        assert!(err.message.contains("twice"), "{err}");
        let err = spec("name: 2f\nparams: []\nreturns: int\n").unwrap_err();
        assert_eq!(err.line, Some(1), "{err}");
        assert!(spec("name: f\nparams: []\nreturns: int\nshow_all: true\n").is_err());
    }

    #[test]
    fn inputs_are_checked_line_by_line() {
        let s = spec(TWO_SUM).unwrap().unwrap();
        assert_eq!(s.parse_input("[2,7,11,15]\n9\n").unwrap().len(), 2);
        let err = s.parse_input("[2,7]\n\n\"9\"\n").unwrap_err();
        assert_eq!(err.line, 3);
        assert!(err.message.starts_with("target: expected int"), "{err}");
        assert!(s
            .parse_input("[1]\n")
            .unwrap_err()
            .message
            .contains("expected 2"));
        assert_eq!(s.harness_input("[2,7]\n9\n").unwrap(), "2 2 7 \n9 \n");
    }

    #[test]
    fn test_files_are_checked_at_load() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        std::fs::create_dir_all(root.join("data/secret")).unwrap();
        std::fs::write(root.join("data/secret/1.in"), "[1,2]\n3\n").unwrap();
        std::fs::write(root.join("data/secret/1.ans"), "[0,1]\n").unwrap();
        let test = TestCase {
            name: "secret/1".into(),
            input: "data/secret/1.in".into(),
            answer: "data/secret/1.ans".into(),
            is_sample: false,
            validator_flags: vec![],
        };
        let s = spec(TWO_SUM).unwrap().unwrap();
        s.check_tests(root, std::slice::from_ref(&test)).unwrap();
        std::fs::write(root.join("data/secret/1.ans"), "0\n").unwrap();
        let err = s
            .check_tests(root, std::slice::from_ref(&test))
            .unwrap_err();
        assert!(
            err.file.ends_with("1.ans") && err.message.contains("expected int[]"),
            "{err}"
        );
        std::fs::write(root.join("data/secret/1.in"), "[1,2]\n3.5\n").unwrap();
        let err = s.check_tests(root, &[test]).unwrap_err();
        assert!(err.file.ends_with("1.in") && err.line == Some(2), "{err}");
    }
}
