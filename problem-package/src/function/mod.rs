//! Function problems (LeetCode style): the package declares a function
//! (`function.yaml`, see [`spec`]) instead of a program reading stdin, the
//! user writes only that function, and the judge adds a harness that reads
//! the arguments, calls it and prints what it returned.
//!
//! One concern per module: [`types`] is the type language, [`value`] the
//! values in LeetCode's notation (and the token form harnesses read),
//! [`compare`] the comparison of a returned value with the expected one,
//! [`spec`] the declaration and the check of a package's test files,
//! [`starter`] the code the editor starts from, [`harness`] the program
//! made of the user's code and the judge's harness, [`output`] how the
//! harness's result is told apart from what the user's code printed, and
//! [`run`] a custom run ("Run" in the editor) that calls the function.

pub mod compare;
pub mod harness;
pub mod output;
pub mod run;
pub mod spec;
pub mod starter;
pub mod types;
pub mod value;

pub use run::{run_target, run_version};
pub use spec::{CompareMode, FunctionSpec, InputError, Param};
pub use starter::starter_code;
pub use types::Type;
pub use value::Value;

/// Why a function problem's code or stub cannot be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FunctionError {
    /// The problem reads stdin; it declares no function.
    #[error("problem {0} is not a function problem")]
    NotAFunctionProblem(String),
    /// The language has no harness (or is unknown).
    #[error("{language}: function problems support {}", supported_list())]
    UnsupportedLanguage { language: String },
    /// The submitted files cannot be joined with the harness.
    #[error("{0}")]
    Files(String),
}

/// The language ids that have a harness.
pub const SUPPORTED: &[&str] = &[
    "cpp",
    "cpp23",
    "cpp17",
    "python3",
    "cpython3",
    "java",
    "javascript",
    "go",
    "c",
    "haskell",
    "kotlin",
    "rust",
];

/// Whether `language_id` has a harness.
pub fn supports(language_id: &str) -> bool {
    SUPPORTED.contains(&language_id)
}

/// `cpp, cpp23, ...`, for messages.
pub fn supported_list() -> String {
    SUPPORTED.join(", ")
}
