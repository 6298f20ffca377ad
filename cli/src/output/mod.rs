//! What the CLI prints: test lines, verdict lines, tables, and the progress
//! bar shown while a submission is judged.
//!
//! Formatting functions are pure (they take `color`) so they can be tested;
//! [`reporter::Reporter`] decides where the text goes.
//!
//! The parts, by what they print: [`verdict`] (a submission's results),
//! [`groups`] (a scoring submission's groups), [`catalog`] (problems and
//! languages), [`table`] (plain text tables), [`style`] (times, memory,
//! scores, colours) and [`reporter`] (the live progress).

pub mod catalog;
pub mod groups;
pub mod reporter;
pub mod style;
pub mod table;
pub mod verdict;
