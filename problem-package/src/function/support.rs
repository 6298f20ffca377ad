//! Which languages have a function harness, and why a function problem's
//! code or stub cannot be made.

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
    "typescript",
    "csharp",
    "ruby",
];

/// Whether `language_id` has a harness.
pub fn supports(language_id: &str) -> bool {
    SUPPORTED.contains(&language_id)
}

/// `cpp, cpp23, ...`, for messages.
pub fn supported_list() -> String {
    SUPPORTED.join(", ")
}
