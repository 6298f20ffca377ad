//! Contests in Redis. A contest is its log (one stream per contest, see
//! [`log`]): Contest API events, the configuration written at import and by
//! an admin's edits, a `submissions` entry with each submission (written by
//! [`crate::store::create_submission`]), a `judgements` entry (and its
//! `runs`, and before it the test groups' scores of a scoring problem) with
//! each final verdict (by [`crate::store::publish_state`]),
//! `state` entries for start, freeze, thaw and finalize. Beside the log, a
//! snapshot hash with the current object of each (type, id), written in the
//! same atomic step ([`snapshot`]). [`objects`] builds the Contest API
//! objects of a submission and its judgement; [`registry`] keeps the set of
//! contests, who takes part in each, and which problems are hidden until
//! their contest starts.
//!
//! Readers keep a [`contest::replay::Replay`] per contest and apply what was
//! appended since its token ([`log::read_after`]).

pub mod log;
pub mod objects;
pub mod registry;
pub mod snapshot;
