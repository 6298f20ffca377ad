//! Tests that load whole packages. They live above the parts they check
//! (limits, validation, grading, groups, time limits), so that no part's
//! module needs the loader that is made of it.

mod draft_2023;
mod figures;
mod grading;
mod groups;
mod limits;
mod output_validator;
mod timelimit;
mod validation;
