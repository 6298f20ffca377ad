//! Errors and the process exit codes they map to.

use submission::Verdict;

/// Exit codes of `judge`. Keep in sync with the `after_help` text in `main.rs`.
pub mod code {
    /// The submission was accepted, or the command succeeded.
    pub const OK: u8 = 0;
    /// The submission was rejected: WA, TLE, MLE, OLE or RE.
    pub const REJECTED: u8 = 1;
    /// Usage error: bad arguments (clap's own), unreadable or non-UTF-8 file, unknown extension.
    pub const USAGE: u8 = 2;
    /// Compilation error.
    pub const COMPILATION_ERROR: u8 = 3;
    /// The API refused the request (4xx): unknown problem or language, too large, ...
    pub const REFUSED: u8 = 4;
    /// Judge or connection error: IE, API unreachable or failing (5xx), timeout.
    pub const JUDGE_ERROR: u8 = 5;
}

/// A failure the CLI reports with one line on stderr and an exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CliError {
    /// Something wrong on our side of the request (exit 2).
    Usage(String),
    /// The API answered with a 4xx (exit 4).
    Refused(String),
    /// The API is unreachable, failing or too slow, or the judge failed (exit 5).
    Judge(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(_) => code::USAGE,
            CliError::Refused(_) => code::REFUSED,
            CliError::Judge(_) => code::JUDGE_ERROR,
        }
    }

    pub fn message(&self) -> &str {
        match self {
            CliError::Usage(m) | CliError::Refused(m) | CliError::Judge(m) => m,
        }
    }
}

impl std::fmt::Display for CliError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for CliError {}

/// The exit code for a finished submission's verdict (`None`: not finished).
pub fn exit_code_for_verdict(verdict: Option<Verdict>) -> u8 {
    match verdict {
        Some(Verdict::AC) => code::OK,
        Some(Verdict::WA | Verdict::TLE | Verdict::MLE | Verdict::OLE | Verdict::RE) => {
            code::REJECTED
        }
        Some(Verdict::CE) => code::COMPILATION_ERROR,
        Some(Verdict::IE) | None => code::JUDGE_ERROR,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_map_to_documented_exit_codes() {
        assert_eq!(exit_code_for_verdict(Some(Verdict::AC)), 0);
        for v in [
            Verdict::WA,
            Verdict::TLE,
            Verdict::MLE,
            Verdict::OLE,
            Verdict::RE,
        ] {
            assert_eq!(exit_code_for_verdict(Some(v)), 1, "{v}");
        }
        assert_eq!(exit_code_for_verdict(Some(Verdict::CE)), 3);
        assert_eq!(exit_code_for_verdict(Some(Verdict::IE)), 5);
        assert_eq!(exit_code_for_verdict(None), 5);
    }

    #[test]
    fn errors_map_to_exit_codes() {
        assert_eq!(CliError::Usage("x".into()).exit_code(), 2);
        assert_eq!(CliError::Refused("x".into()).exit_code(), 4);
        assert_eq!(CliError::Judge("x".into()).exit_code(), 5);
        assert_eq!(
            CliError::Refused("no such problem".into()).to_string(),
            "no such problem"
        );
    }
}
