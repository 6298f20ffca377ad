//! A validator ready to run: what building it left (its build directory)
//! and how to start it; built by [`super::build`], cached by
//! [`super::cache`], run by [`super::run`].

use problem_package::problem::ValidationLimits;
use serde::{Deserialize, Serialize};

/// A validator ready to run: its build directory and how to start it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompiledValidator {
    /// Full image reference the validator was compiled in and runs in.
    pub image: String,
    /// Argument vector run in the build directory ([`validator_argv`] appends the arguments).
    pub run: Vec<String>,
    /// The package's `limits.validation_*` it was built for: its runs'
    /// limits and its container's memory (a JVM's heap is fixed in `run`).
    #[serde(default)]
    pub limits: ValidationLimits,
    /// A tar of `build/...` entries: the build directory after compiling.
    #[serde(skip)]
    pub files: Vec<u8>,
}
