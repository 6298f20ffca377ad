//! The package loader's error: which file, which line if known, and why.

use std::fmt;
use std::path::PathBuf;

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
