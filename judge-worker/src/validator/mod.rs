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
//! test the worker uploads the input and answer under `build/judge-data/`
//! (the validator runs as the sandbox user and must read them; the build
//! directory is read-only to it while it runs) and the team output under
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

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex, OnceLock};
use std::time::Duration;

use judge_protocol::{Limits, Request, BUILD_DIR};
use problem_package::language::{self, Language};
use problem_package::problem::{Problem, TestCase, ValidationLimits};
use problem_package::source::{Program, SourceFile};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::feedback::{self, PassOutcome, FEEDBACK_DIR};
use crate::sandbox::error::SandboxError;
use crate::sandbox::{Sandbox, SandboxSpec};
use crate::verdict::describe;

const MIB: u64 = 1 << 20;
/// Limits of compiling a validator (its memory is the validation memory).
const COMPILE_CPU_MS: u64 = 60_000;
const COMPILE_WALL_MS: u64 = 120_000;
/// Largest compiled validator (its build directory as a tar).
const MAX_ARTIFACT_BYTES: u64 = 128 * MIB;
pub(crate) const DATA_DIR: &str = "judge-data";
const TEAM_OUTPUT: &str = "team-output";

/// A validator ready to run: its build directory and how to start it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompiledValidator {
    /// Full image reference the validator was compiled in and runs in.
    pub image: String,
    /// Argument vector run in the build directory ([`validator_argv`] appends the arguments).
    pub run: Vec<String>,
    /// The package's `limits.validation_*` it was built for: its runs'
    /// limits and its container's memory (a JVM's heap is fixed in `run`).
    #[serde(default)]
    pub limits: ValidationLimits,
    /// A tar of `build/...` entries: the build directory after compiling.
    #[serde(skip)]
    pub files: Vec<u8>,
}

mod build;
mod run;
mod source;

pub use build::*;
pub use run::*;
pub use source::*;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argv_puts_the_flags_after_the_feedback_dir() {
        let compiled = CompiledValidator {
            image: "x".into(),
            run: vec!["./main".into()],
            limits: ValidationLimits::default(),
            files: vec![],
        };
        let argv = validator_argv(&compiled, &["float_tolerance".into(), "1e-6".into()]);
        assert_eq!(
            argv,
            [
                "./main",
                "/work/build/judge-data/input",
                "/work/build/judge-data/answer",
                "/work/feedback/",
                "float_tolerance",
                "1e-6"
            ]
        );
    }

    #[test]
    fn sources_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let write = |p: &str, t: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        write("problem.yaml", "validation: custom\n");
        write("data/secret/1.in", "1\n");
        write("data/secret/1.ans", "1\n");
        write(
            "output_validators/v/validator.cpp",
            "#include \"h.h\"\nint main(){}",
        );
        write("output_validators/v/h.h", "");
        let p = Problem::load(&root).unwrap();
        let s = read_source(&p).unwrap();
        assert_eq!(s.language.id, "cpp");
        let names: Vec<_> = s.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["h.h", "main.cpp"]);
        assert_eq!(s.run, ["./main"]);

        write("output_validators/v/other.py", "");
        assert!(read_source(&Problem::load(&root).unwrap())
            .unwrap_err()
            .contains("several languages"));
        std::fs::remove_file(root.join("output_validators/v/other.py")).unwrap();
        // Several C++ files compile together.
        write("output_validators/v/util.cpp", "int helper(){return 1;}");
        let s = read_source(&Problem::load(&root).unwrap()).unwrap();
        let compile = s.compile.unwrap();
        assert!(
            compile.ends_with(&["util.cpp".to_string(), "validator.cpp".to_string()]),
            "{compile:?}"
        );
        write("output_validators/v/build", "g++ -o run validator.cpp\n");
        let s = read_source(&Problem::load(&root).unwrap()).unwrap();
        assert_eq!(s.compile, Some(vec!["./build".to_string()]));
        assert!(s.files.iter().any(|(p, _, x)| p == "build" && *x));
    }
}
