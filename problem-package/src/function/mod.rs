//! Function problems (LeetCode style): the package declares a function
//! (`function.yaml`, see [`spec`]) instead of a program reading stdin, the
//! user writes only that function, and the judge adds a harness that reads
//! the arguments, calls it and prints what it returned.
//!
//! One concern per module: [`types`] is the type language, [`value`] the
//! values in LeetCode's notation (and the token form harnesses read),
//! [`compare`] the comparison of a returned value with the expected one,
//! [`spec`] the declaration and the check of a package's test files,
//! [`starter`] the code the editor starts from (with each language's
//! [`declaration`]), [`support`] the languages that have a harness, [`harness`] the program
//! made of the user's code and the judge's harness, [`output`] how the
//! harness's result is told apart from what the user's code printed, and
//! [`run`] a custom run ("Run" in the editor) that calls the function.

pub mod compare;
pub mod declaration;
pub mod harness;
pub mod output;
pub mod run;
pub mod spec;
pub mod starter;
pub mod support;
pub mod types;
pub mod value;

pub use run::{run_target, run_version};
pub use spec::{CompareMode, FunctionSpec, InputError, Param};
pub use starter::starter_code;
pub use support::{supported_list, supports, FunctionError, SUPPORTED};
pub use types::Type;
pub use value::Value;
