//! How a sandbox fails on the judge's side: its own module so that the
//! container ([`super`]) and the runner session ([`super::runner_session`])
//! share it without importing each other.

/// A judge-side failure of the sandbox: always an internal error, never a verdict.
#[derive(Debug, thiserror::Error)]
pub enum SandboxError {
    #[error("sandbox image {0} is missing (build it with scripts/build-images.sh)")]
    MissingImage(String),
    #[error("docker: {0}")]
    Docker(#[from] bollard::errors::Error),
    #[error("runner connection: {0}")]
    Io(#[from] std::io::Error),
    #[error("runner protocol: {0}")]
    Protocol(String),
    #[error("runner refused: {0}")]
    Runner(String),
    #[error("runner ended the session{}", tail_suffix(.0))]
    Closed(String),
}

fn tail_suffix(tail: &str) -> String {
    if tail.trim().is_empty() {
        String::new()
    } else {
        format!("; its last diagnostics: {}", tail.trim())
    }
}
