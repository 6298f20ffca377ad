//! Typed identifiers. The Contest API's IDs are strings; wrapping them keeps a
//! team id from being passed where a problem id is expected.

use std::borrow::Borrow;
use std::fmt;

use serde::{Deserialize, Serialize};

macro_rules! id_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
        #[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
            pub fn new(s: impl Into<String>) -> Self {
                $name(s.into())
            }
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }
        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }
        impl Borrow<str> for $name {
            fn borrow(&self) -> &str {
                &self.0
            }
        }
        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                $name(s.to_string())
            }
        }
        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

id_type!(
    /// A team's id (`teams[].id`).
    TeamId
);
id_type!(
    /// A problem's id (`problems[].id`), not its label.
    ProblemId
);
id_type!(
    /// A submission's id.
    SubmissionId
);
id_type!(
    /// A language's id (`languages[].id`).
    LanguageId
);
id_type!(
    /// An organization's id.
    OrganizationId
);
id_type!(
    /// A group's id.
    GroupId
);
id_type!(
    /// A judgement type's id (`AC`, `WA`, ...). Kept as a string: a contest
    /// package may define types beyond the spec's known list.
    JudgementTypeId
);

/// Whether `s` is a valid Contest API ID: `[A-Za-z0-9_.-]`, at most 36
/// characters, not starting with `-` or `.`, not ending with `.`.
pub fn is_valid_id(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 36
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
        && !matches!(b[0], b'-' | b'.')
        && b[b.len() - 1] != b'.'
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_rules() {
        assert!(is_valid_id("team-01"));
        assert!(is_valid_id("a.b_c"));
        assert!(!is_valid_id(""));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id(".x"));
        assert!(!is_valid_id("x."));
        assert!(!is_valid_id("a b"));
        assert!(!is_valid_id(&"x".repeat(37)));
    }
}
