//! How one test is checked, each way in its own module behind one
//! interface ([`Checker::judge`]): the default comparison on the worker
//! ([`default`]), the package's output validator in a sandbox of its own,
//! pass after pass for multi-pass problems ([`custom`]), and an interactive
//! run of the submission against the validator ([`interactive`]). Which
//! test comes next, and what its verdict means for the submission, is the
//! grader's ([`crate::grader`]); running tests in order is the session's
//! (`session.rs`).

pub mod custom;
pub mod default;
pub mod dispatch;
pub mod function;
pub mod interactive;
pub mod outcome;
pub mod test_run;

pub use dispatch::Checker;
pub use outcome::{Checked, Ran};
pub use test_run::TestRun;
