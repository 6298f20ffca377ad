//! Test inputs in the submission's sandbox.
//!
//! The sandbox's work area is a small tmpfs whose pages count against the
//! container's memory, so a contest package with hundreds of megabytes of
//! input cannot be uploaded whole. Small packages (the usual case) are: all
//! inputs go in the one upload before compiling, and runs are pipelined.
//! Larger ones are staged one test at a time: the input is uploaded right
//! before its run, and the previous test's input is emptied in the same
//! upload (an upload truncates), so at most one input is resident. Staging
//! talks to the runner between runs, so it turns pipelining off: the runner
//! answers requests in order, and an upload's answer would otherwise arrive
//! behind a run's report.
//!
//! A reused container keeps the last eagerly uploaded set of inputs in the
//! runner's input cache (`judge_protocol::INPUTS_DIR`) across its reset, so
//! the next submission to the same problem version uploads none: before its
//! first upload the worker asks the runner whether it holds the version's
//! set ([`FirstUpload::ask`]). Copying 50 MB of inputs into every
//! submission's sandbox cost about 300 ms of CPU (a tar built here, relayed
//! by dockerd and the shim, written to tmpfs by the runner).

use problem_package::problem::Problem;

use crate::sandbox::runner_session::RunnerSession;
use crate::sandbox::SandboxError;
use crate::validator::run::tar_of;

/// Most input bytes uploaded at once with the program.
pub const EAGER_INPUT_BYTES: u64 = 64 << 20;

/// How a judging's inputs reach the sandbox.
#[derive(Debug, PartialEq, Eq)]
pub enum Staging {
    /// All in the first upload ([`crate::judge::build_upload`]).
    Eager,
    /// One at a time; `resident` is the 0-based test whose input is there now.
    Lazy { resident: Option<usize> },
}

impl Staging {
    /// Eager when the problem's inputs together fit [`EAGER_INPUT_BYTES`].
    pub fn for_problem(problem: &Problem) -> Staging {
        Staging::for_total(total_input_bytes(problem))
    }

    fn for_total(total: u64) -> Staging {
        if total <= EAGER_INPUT_BYTES {
            Staging::Eager
        } else {
            Staging::Lazy { resident: None }
        }
    }

    pub fn is_eager(&self) -> bool {
        *self == Staging::Eager
    }

    /// Makes test `position`'s input present before its run (lazy staging).
    pub async fn stage(
        &mut self,
        runner: &mut RunnerSession,
        problem: &Problem,
        position: usize,
    ) -> Result<(), String> {
        let Staging::Lazy { resident } = self else {
            return Ok(());
        };
        if *resident == Some(position) {
            return Ok(());
        }
        let input = tokio::fs::read(problem.root.join(&problem.tests[position].input))
            .await
            .map_err(|e| format!("test {}: reading its input: {e}", position + 1))?;
        // A function problem's harness reads the arguments' token form.
        let input = crate::checker::function::sandbox_input(problem, input)
            .map_err(|e| format!("test {}: {e}", position + 1))?;
        let tar = staging_tar(*resident, position, &input).map_err(|e| e.to_string())?;
        runner.upload(&tar).await.map_err(|e| e.to_string())?;
        *resident = Some(position);
        Ok(())
    }
}

/// Where the first upload of a judging puts the problem's inputs.
#[derive(Debug, PartialEq, Eq)]
pub enum FirstUpload {
    /// Nowhere: staged one at a time later, or already in the runner's cache.
    Without,
    /// As `tests/<k>.in`: nothing to cache (a custom run) or a runner
    /// without a cache.
    Tests,
    /// As `inputs/<k>.in`, filling the runner's cache as this key's set.
    Cache(String),
}

impl FirstUpload {
    /// Asks the runner for `key`'s set (`None` when the inputs are not to be
    /// cached: the runner then frees its cache) and decides. A runner that
    /// refuses (no cache directory, one it will not trust, an older runner)
    /// gets the inputs in its tests directory as before.
    pub async fn ask(
        runner: &mut RunnerSession,
        staging: &Staging,
        key: Option<String>,
    ) -> Result<FirstUpload, SandboxError> {
        let key = key.filter(|_| staging.is_eager());
        let held = match runner.inputs_held(key.clone()).await {
            Ok(held) => Some(held),
            Err(SandboxError::Runner(message)) => {
                tracing::warn!("the runner's input cache is not used: {message}");
                None
            }
            Err(e) => return Err(e),
        };
        Ok(FirstUpload::decide(staging.is_eager(), key, held))
    }

    /// `held`: the runner's answer, `None` when it refused.
    fn decide(eager: bool, key: Option<String>, held: Option<bool>) -> FirstUpload {
        match (eager, key, held) {
            (false, _, _) => FirstUpload::Without,
            (true, Some(_), Some(true)) => FirstUpload::Without,
            (true, Some(key), Some(false)) => FirstUpload::Cache(key),
            (true, _, _) => FirstUpload::Tests,
        }
    }

    /// The upload's directory for inputs (`tests`, `inputs`), if any.
    pub fn dir(&self) -> Option<&'static str> {
        match self {
            FirstUpload::Without => None,
            FirstUpload::Tests => Some("tests"),
            FirstUpload::Cache(_) => Some("inputs"),
        }
    }

    /// The `inputs_key` the upload carries.
    pub fn inputs_key(&self) -> Option<String> {
        match self {
            FirstUpload::Cache(key) => Some(key.clone()),
            _ => None,
        }
    }
}

/// Names a problem version's inputs as the sandbox gets them, for the
/// runner's input cache: the package version (its SHA-256) fixes the files
/// and their order (`<k>.in` is the k-th test), and the form says whether
/// they were turned into a function harness's tokens
/// ([`crate::checker::function::sandbox_input`]); the leading number
/// changes with that naming or that form. `None` for a custom run, whose
/// one input is not worth keeping.
pub fn cache_key(problem_id: &str, version: &str, problem: &Problem) -> Option<String> {
    if problem_id == submission::RUN_PROBLEM_ID {
        return None;
    }
    let form = if problem.function.is_some() {
        "function"
    } else {
        "file"
    };
    Some(format!("1:{form}:{problem_id}:{version}"))
}

/// The inputs' total size on disk (a missing file counts 0: loading the
/// package already required every input).
pub fn total_input_bytes(problem: &Problem) -> u64 {
    problem
        .tests
        .iter()
        .filter_map(|t| std::fs::metadata(problem.root.join(&t.input)).ok())
        .map(|m| m.len())
        .sum()
}

/// The upload that empties the `previous` input and writes `position`'s.
fn staging_tar(previous: Option<usize>, position: usize, input: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut entries = Vec::new();
    if let Some(previous) = previous {
        entries.push((
            format!("tests/{}", test_input(previous + 1)),
            &b""[..],
            false,
        ));
    }
    entries.push((format!("tests/{}", test_input(position + 1)), input, false));
    tar_of(&entries)
}

/// The name of the `index`-th test's input (1-based) in the sandbox's tests
/// directory: what the upload writes and a `Run` asks for. No package name
/// reaches the sandbox's paths.
pub fn test_input(index: usize) -> String {
    format!("{index}.in")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_packages_go_in_one_upload_and_large_ones_one_test_at_a_time() {
        assert!(Staging::for_total(0).is_eager());
        assert!(Staging::for_total(EAGER_INPUT_BYTES).is_eager());
        assert_eq!(
            Staging::for_total(EAGER_INPUT_BYTES + 1),
            Staging::Lazy { resident: None }
        );
    }

    #[test]
    fn the_first_upload_fills_the_cache_unless_it_holds_the_set() {
        let key = || Some("1:file:p:v".to_string());
        assert_eq!(
            FirstUpload::decide(true, key(), Some(true)),
            FirstUpload::Without
        );
        let fill = FirstUpload::decide(true, key(), Some(false));
        assert_eq!(fill, FirstUpload::Cache("1:file:p:v".into()));
        assert_eq!((fill.dir(), fill.inputs_key()), (Some("inputs"), key()));
        // A runner without a cache, or nothing to cache: tests/ as before.
        let tests = FirstUpload::decide(true, key(), None);
        assert_eq!((tests.dir(), tests.inputs_key()), (Some("tests"), None));
        assert_eq!(
            FirstUpload::decide(true, None, Some(false)),
            FirstUpload::Tests
        );
        // Lazy staging uploads no input first, whatever the cache says.
        assert_eq!(
            FirstUpload::decide(false, None, Some(false)),
            FirstUpload::Without
        );
        assert_eq!(FirstUpload::Without.dir(), None);
    }

    #[test]
    fn staging_empties_the_previous_input_and_writes_the_next() {
        let tar = staging_tar(Some(0), 1, b"5 7\n").unwrap();
        let mut archive = tar::Archive::new(tar.as_slice());
        let entries: Vec<(String, u64)> = archive
            .entries()
            .unwrap()
            .map(|e| {
                let e = e.unwrap();
                (e.path().unwrap().display().to_string(), e.size())
            })
            .collect();
        assert_eq!(
            entries,
            [("tests/1.in".to_string(), 0), ("tests/2.in".to_string(), 4)]
        );
        let first = staging_tar(None, 0, b"x").unwrap();
        let mut archive = tar::Archive::new(first.as_slice());
        assert_eq!(archive.entries().unwrap().count(), 1);
    }
}
