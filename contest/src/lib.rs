//! Contests: what the ICPC contest package and Contest API (2026-01) define,
//! and the scoreboard rules. Pure: no Redis, no HTTP, no async runtime.
//!
//! - [`time`]: RELTIME and ABSTIME.
//! - [`ids`]: typed identifiers.
//! - [`judgement`]: judgement types and the judge's verdict mapping.
//! - [`rules`]: pass-fail (ICPC), LeetCode and score (IOI) scoring.
//! - [`awards`]: winner, medals, first to solve, group winners, from a board.
//! - [`board`]: the incremental scoreboard with freeze, public and admin views.
//! - [`api`]: Contest API objects, serialized as the spec's schemas expect.
//! - [`package`]: loading a contest package directory.
//! - [`replay`]: a contest rebuilt from its log (objects, state, board).
//! - [`views`]: the rows each audience (admin, public, a team) sees.

pub mod api;
pub mod awards;
pub mod board;
pub mod ids;
pub mod judgement;
pub mod package;
pub mod replay;
pub mod rules;
pub mod time;
pub mod views;

pub use board::{
    Board, BoardConfig, BoardError, BoardTeam, JudgementEvent, SubmissionEvent, ViewKind,
};
pub use package::{ContestPackage, PackageError};
pub use rules::Rules;
pub use time::{AbsTime, RelTime};
