//! The grader: walks a problem's test groups in the format's order, says
//! which test to run next, and aggregates verdicts and scores per group and
//! for the submission, by the package's rules ([`problem_package::groups`]).
//!
//! It knows nothing of sandboxes or validators: the judging loop
//! ([`crate::session`]) runs the test [`Grader::next`] names, checks its
//! output, and [`Grader::record`]s the verdict and what the validator left
//! about the score ([`ScoreFile`]). Every decision is recomputed from the
//! recorded results by one walk of the tree, so the rules live in one place
//! per rule set:
//!
//! - `submission_grader`: the [`Grader`] the loop drives, and the walk
//!   that gives each group to its rule set;
//! - `legacy`: the legacy rules (the format's default grader);
//! - `modern`: the 2025-09 rules;
//! - `tree`: the recorded results and what a walk finds out;
//! - `score_file`: reading a validator's `score.txt` / `score_multiplier.txt`.
//!
//! A pass-fail problem stops at its first rejected case (samples first),
//! whose verdict is the submission's, unless a legacy package says
//! otherwise. A judge error is never graded: the loop ends judging as IE.

mod legacy;
mod modern;
mod score_file;
mod submission_grader;
mod tree;

pub use score_file::{score_file, ScoreFile};
pub use submission_grader::{Graded, Grader};

#[cfg(test)]
mod tests;
