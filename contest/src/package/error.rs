//! Why a contest package did not load. Every error names the file it is
//! about, and parse errors the line (and column) where the parser stopped.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("{0}: not a contest package directory")]
    NotADirectory(PathBuf),
    #[error("{file}: missing (one of {file}.yaml or {file}.json is required)", file = .base)]
    Missing { base: String },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: {other} also exists; keep only one")]
    Ambiguous { file: String, other: String },
    #[error("{file}{}: {message}", at(.line, .column))]
    Parse {
        file: String,
        /// 1-based, when the parser knows it.
        line: Option<u64>,
        column: Option<u64>,
        message: String,
    },
    #[error("{file}: {object} refers to {kind} {id:?}, which does not exist")]
    UnknownReference {
        file: String,
        /// The referring object, e.g. `team "t1"`.
        object: String,
        /// What is referred to, e.g. `organization`.
        kind: &'static str,
        id: String,
    },
    #[error("{file}: duplicate {what} {value:?}")]
    Duplicate {
        file: String,
        what: &'static str,
        value: String,
    },
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

fn at(line: &Option<u64>, column: &Option<u64>) -> String {
    match (line, column) {
        (Some(l), Some(c)) => format!(":{l}:{c}"),
        (Some(l), None) => format!(":{l}"),
        _ => String::new(),
    }
}
