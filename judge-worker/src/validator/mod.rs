//! Custom output validators (Kattis / ICPC `validation: custom`).
//!
//! A validator is compiled once per problem version, in a sandbox of its own
//! (never the submission's), and the result is cached in memory and on disk
//! (`<cache>/<version>/.validator-<problem>/`). The cached result is the
//! validator's whole build directory after compiling, as a tar of `build/...`
//! entries, plus the command that runs it and the image it runs in.
//!
//! Judging a submission with a custom validator uses a second sandbox,
//! created from the validator's image at the first output to check, holding
//! the validator and nothing of the submission's but its output. For each
//! test the worker uploads the input and answer under `data/`
//! ([`judge_protocol::DATA_DIR`]: root's, readable by the validator, which
//! runs as the sandbox user) and the team output under
//! `tests/`, where the runner opens it as root and pipes it to stdin. The
//! runner's `Validate` runs it with its feedback directory and sends back
//! what it left there ([`crate::feedback`], the mechanism the interactive
//! validator shares), then its report; [`crate::feedback::judge_pass`]
//! decides. The validator's own stdout is dropped.
//!
//! In a multi-pass problem a further pass of a test uploads the pass's
//! input (the last pass's `nextpass.in`, which the submission just ran on)
//! as the validator's input file, and the new team output; the answer file
//! stays the test's, the feedback directory stays as the last pass left it.
//! This is what problemtools and DOMjudge do; the format says only that an
//! output visualizer still gets the test's own input.

pub mod build;
pub mod cache;
pub mod compiled;
pub mod run;
pub mod source;

pub use build::ValidatorError;
pub use cache::{compilations, ValidatorCache};
pub use compiled::CompiledValidator;
pub use run::{
    tar_of, validator_argv, validator_limits, validator_wall_ms, Judgement, ValidatorSandbox,
};
pub use source::{read_source, ValidatorSource};
