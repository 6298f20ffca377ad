//! How the command ends before its last step: a result to print once the
//! progress bar is cleared, or an error.

use crate::error::CliError;

/// How the command ends before its last step.
pub(super) enum Ended {
    /// With this result, once the progress bar is cleared: a refusal, a
    /// package the API finds invalid, a draft that cannot be uploaded, a
    /// limit that cannot be derived.
    Early(Result<u8, CliError>),
    /// With this error, the progress bar left as it is: the API failing
    /// while judging, a timeout.
    Error(CliError),
}

impl From<CliError> for Ended {
    fn from(e: CliError) -> Ended {
        Ended::Error(e)
    }
}
