//! Problem packages in the Kattis / ICPC problem package format.
//!
//! [`Problem::load`] reads a package directory, in the legacy layout or the
//! 2025-09 one, and reports a malformed package with the file (and line, for
//! YAML) at fault. Extras the judge does not use (input validators,
//! generators, `.ctd` files, tool-specific files) are ignored with a warning.
//! [`pack`] turns a package into a deterministic tar whose hash is the
//! problem's version, so a submission is judged against exactly the data that
//! was current when it was submitted.
//!
//! One concern per module: `yaml` models `problem.yaml` and
//! `testdata.yaml`; `limits` reads the time limit from its sources and the
//! memory and output limits (deriving a time limit is [`crate::timelimit`]);
//! `validation` decides how outputs are judged and what is refused;
//! `output_validator` finds the custom validator's program;
//! `statement_file` finds the statement and its title; `cases` collects the
//! test cases and samples; `grading` reads the grading rules; `pack` makes
//! and unpacks the package tar; `figures` renders a statement's PDF figures
//! as PNG when a package is imported ([`pack_for_import`]).

pub mod cases;
mod entries;
pub mod error;
pub mod figures;
mod grading;
pub mod limits;
pub mod load;
mod output_validator;
pub mod pack;
mod statement_file;
pub mod summary;
#[cfg(test)]
mod test_support;
#[cfg(test)]
mod tests;
pub mod validation;
mod yaml;

pub use figures::{pack_for_import, rendered_name};
pub use limits::{
    ValidationLimits, DEFAULT_CODE_KIB, DEFAULT_MEMORY_MB, DEFAULT_OUTPUT_MB,
    DEFAULT_TIME_LIMIT_MS, MAX_CODE_KIB,
};
pub use pack::{pack, pack_with, unpack, MAX_PACKAGE_BYTES};
pub use validation::{
    ValidationKind, DEFAULT_VALIDATION_PASSES, MAX_VALIDATION_PASSES, VALIDATOR_CHECK_LANGUAGE,
};

pub use crate::statement::Statement;
pub use cases::{Sample, TestCase};
pub use error::ProblemError;
pub use load::{is_valid_id, Problem};
pub use summary::{GroupSummary, ProblemSummary};
