//! The typed contents of a contest package.

use std::path::PathBuf;

use crate::api::{Account, Contest, Group, JudgementType, Language, Organization, Problem, Team};

/// A loaded, validated contest package.
#[derive(Debug, Clone, PartialEq)]
pub struct ContestPackage {
    pub dir: PathBuf,
    pub contest: Contest,
    /// Sorted by ordinal.
    pub problems: Vec<Problem>,
    pub teams: Vec<Team>,
    pub organizations: Vec<Organization>,
    pub groups: Vec<Group>,
    pub accounts: Vec<Account>,
    /// From `judgement-types.json`; empty when the package has none (the
    /// spec's known types then apply).
    pub judgement_types: Vec<JudgementType>,
    pub languages: Vec<Language>,
}

/// The file each part of a package was read from, for error messages.
#[derive(Debug, Clone, Default)]
pub(crate) struct SourceFiles {
    pub contest: String,
    pub problems: String,
    pub teams: String,
    pub organizations: String,
    pub groups: String,
    pub accounts: String,
    pub judgement_types: String,
    pub languages: String,
}
