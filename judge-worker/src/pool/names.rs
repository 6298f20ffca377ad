//! The names a taken container goes by: `judge-sub-<submission>.<unique>`,
//! so that a worker taking a job over finds the submission's sandboxes.

use crate::sandbox::{sanitize, unique_suffix};

/// Name prefix of a container taken for a submission: `judge-sub-<id>.<unique>`.
pub const SUBMISSION_NAME_PREFIX: &str = "judge-sub-";
/// The name a taken container gets: `judge-sub-<submission>.<unique>`. The
/// dot cannot occur in a sanitized submission id, so the prefix up to it
/// names exactly one submission.
pub fn submission_container_name(submission_id: &str) -> String {
    format!(
        "{SUBMISSION_NAME_PREFIX}{}.{}",
        sanitize(submission_id),
        unique_suffix()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taken_names_identify_one_submission() {
        let a = submission_container_name("abc");
        let b = submission_container_name("abc-def");
        assert!(a.starts_with("judge-sub-abc."));
        assert!(!b.starts_with("judge-sub-abc."));
        assert_ne!(a, submission_container_name("abc"));
        assert!(submission_container_name("a/b.c").starts_with("judge-sub-abc."));
    }
}
