//! Serde types for the Contest API 2026-01 objects. Each serializes to what
//! the spec's JSON schema for that endpoint accepts (tests/schema.rs checks
//! them against the schema files).

pub mod common;
pub mod contest;
pub mod judging;
pub mod objects;
pub mod scoreboard;

pub use common::{Command, FileRef, Location};
pub use contest::{
    Access, AccessEndpoint, ApiInfo, Capability, Contest, Provider, ScoreboardType, State,
    API_VERSION, API_VERSION_URL, CCS_REQUIRED_ACCESS,
};
pub use judging::{Award, Clarification, Judgement, Run, Submission};
pub use objects::{
    Account, AccountType, Group, JudgementType, Language, Organization, Problem, Team, TeamLocation,
};
pub use scoreboard::{ProblemResult, RowScoreJson, Scoreboard, ScoreboardRow};
