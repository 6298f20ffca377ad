//! Running a built validator on one output, in its own sandbox.

use std::sync::Arc;

use judge_protocol::{Limits, Request, DATA_DIR};
use problem_package::problem::{Problem, TestCase, ValidationLimits};

use super::compiled::CompiledValidator;
use crate::feedback::{self, PassOutcome, FEEDBACK_DIR};
use crate::sandbox::error::SandboxError;
use crate::sandbox::{Sandbox, SandboxSpec};
use crate::verdict::describe;

const MIB: u64 = 1 << 20;
/// The upload entry of one of the validator's data files (`input`,
/// `answer`): [`DATA_DIR`], root's and readable by the validator.
pub(crate) fn data_entry(name: &str) -> String {
    format!("data/{name}")
}
/// The team output's name in the validator's tests directory.
const TEAM_OUTPUT: &str = "team-output";

pub fn tar_of(entries: &[(String, &[u8], bool)]) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data, exec) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(if *exec { 0o755 } else { 0o644 });
        header.set_mtime(0);
        header.set_size(data.len() as u64);
        builder.append_data(&mut header, path, *data)?;
    }
    builder.into_inner()
}

/// What the validator said about one pass over one output.
#[derive(Debug, PartialEq)]
pub struct Judgement {
    /// AC, WA or another pass; a judge error is the `Err` of [`ValidatorSandbox::check`].
    pub outcome: PassOutcome,
    /// `teammessage.txt`: may be shown to the submitter.
    pub team_message: Option<String>,
    /// `judgemessage.txt`: for admins only (logged, and part of an IE message).
    pub judge_message: Option<String>,
    /// `score.txt` / `score_multiplier.txt`, for the grader.
    pub score: crate::grader::ScoreFile,
}

/// The validator's argument vector: `validator input answer feedback_dir/
/// [flags]`, the same for a custom and an interactive validator.
pub fn validator_argv(compiled: &CompiledValidator, flags: &[String]) -> Vec<String> {
    let mut argv = compiled.run.clone();
    argv.push(format!("{DATA_DIR}/input"));
    argv.push(format!("{DATA_DIR}/answer"));
    argv.push(FEEDBACK_DIR.to_string());
    argv.extend(flags.iter().cloned());
    argv
}

/// One validator run's limits, from the package's `limits.validation_*`.
/// The wall clock is twice the CPU time, as for submissions' runs: a
/// validator mostly reads files.
pub fn validator_limits(limits: &ValidationLimits) -> Limits {
    Limits {
        cpu_ms: limits.time_ms,
        wall_ms: validator_wall_ms(limits),
        memory_kb: limits.memory_mb * 1024,
        output_bytes: limits.output_mb * MIB,
        // Feedback files (`judgemessage.txt`, `nextpass.in`) are files.
        file_size_bytes: (limits.output_mb * MIB).max(64 * MIB),
        open_files: 64,
    }
}

/// The longest one validator run may take on the wall clock.
pub fn validator_wall_ms(limits: &ValidationLimits) -> u64 {
    2 * limits.time_ms
}

/// The validator's own sandbox for one judging: a container of the
/// validators' pool ([`crate::worker::Worker::validator_sandboxes`], never
/// a submission's), with the validator installed. After the judging it is
/// reset and kept for the next one, unless something failed in it.
pub struct ValidatorSandbox {
    sandbox: Sandbox,
    runner: crate::sandbox::runner_session::RunnerSession,
    compiled: Arc<CompiledValidator>,
    pool: Arc<crate::pool::state::SandboxPool>,
    /// A runner or Docker fault happened in it: its runner is in an unknown
    /// state, so the container is removed rather than reset.
    faulted: bool,
}

impl ValidatorSandbox {
    pub async fn create(
        worker: &crate::worker::Worker,
        compiled: Arc<CompiledValidator>,
        submission_id: &str,
    ) -> Result<ValidatorSandbox, SandboxError> {
        let spec = SandboxSpec {
            image: compiled.image.clone(),
            submission_id: submission_id.to_string(),
            worker: worker.consumer.clone(),
            memory_mb: compiled.limits.memory_mb,
        };
        let pool = worker.validator_sandboxes.clone();
        let (sandbox, _) = pool.acquire(&spec).await?;
        let runner = match sandbox.start_runner().await {
            Ok(runner) => runner,
            Err(e) => {
                pool.dispose(sandbox);
                return Err(e);
            }
        };
        let mut this = ValidatorSandbox {
            sandbox,
            runner,
            compiled,
            pool,
            faulted: false,
        };
        if let Err(e) = this.install().await {
            this.faulted = true;
            this.close().await;
            return Err(e);
        }
        Ok(this)
    }

    /// Uploads the validator, then runs `true` once: a run locks the build
    /// directory (root's, read-only to the sandbox user), and the runner
    /// accepts a further `build/` upload only into a locked build directory.
    async fn install(&mut self) -> Result<(), SandboxError> {
        let empty = tar_of(&[("tests/empty".to_string(), b"".as_slice(), false)])?;
        self.runner.upload(&empty).await?;
        self.runner.upload(&self.compiled.files).await?;
        let (report, _) = self
            .runner
            .run(
                vec!["true".into()],
                vec![],
                "empty".into(),
                validator_limits(&self.compiled.limits),
            )
            .await?;
        if !report.success() {
            return Err(SandboxError::Runner(format!(
                "preparing the validator's sandbox failed ({})",
                describe(&report)
            )));
        }
        Ok(())
    }

    /// Checks one pass's output (`pass` is 1-based). The first pass starts
    /// with the test's input and answer and an empty feedback directory;
    /// a later one (`pass_input`: the input the submission just ran on, the
    /// last pass's `nextpass.in`) keeps the answer and the feedback directory.
    /// `Err` is a judge error (IE).
    pub async fn check(
        &mut self,
        problem: &Problem,
        test: &TestCase,
        output: &[u8],
        pass: u32,
        pass_input: Option<&[u8]>,
    ) -> Result<Judgement, String> {
        let name = test.name.clone();
        let faulted = &mut self.faulted;
        let mut fault = |e: SandboxError| {
            *faulted = true;
            format!("test {name}: output validator sandbox: {e}")
        };
        let tar = match pass_input {
            None => {
                let (input, answer) = read_test_data(problem, test).await?;
                tar_of(&[
                    (data_entry("input"), input.as_slice(), false),
                    (data_entry("answer"), answer.as_slice(), false),
                    (format!("tests/{TEAM_OUTPUT}"), output, false),
                ])
            }
            Some(input) => tar_of(&[
                (data_entry("input"), input, false),
                (format!("tests/{TEAM_OUTPUT}"), output, false),
            ]),
        }
        .map_err(|e| e.to_string())?;
        let request = Request::Validate {
            argv: validator_argv(&self.compiled, &test.validator_flags),
            env: vec![],
            input: TEAM_OUTPUT.into(),
            limits: validator_limits(&self.compiled.limits),
            feedback_dir: FEEDBACK_DIR.into(),
            keep_feedback: pass > 1,
        };
        // The upload and the run go together, their answers read after: one
        // round trip through dockerd per test instead of two.
        self.runner
            .send_upload(&tar, None)
            .await
            .map_err(&mut fault)?;
        self.runner.send(&request, &[]).await.map_err(&mut fault)?;
        self.runner.uploaded().await.map_err(&mut fault)?;
        let (report, feedback) = feedback::receive_validation(&mut self.runner)
            .await
            .map_err(&mut fault)?;
        let outcome = feedback::judge_pass(&report, &feedback, problem.validation_passes, pass)
            .map_err(|e| format!("test {}: {e}", test.name))?;
        let judge_message = feedback.judge_message();
        if let Some(message) = &judge_message {
            tracing::info!(test = %test.name, pass, ?outcome, "validator judgemessage: {message}");
        }
        let score = feedback
            .score()
            .map_err(|e| format!("test {}: {e}", test.name))?;
        Ok(Judgement {
            outcome,
            team_message: feedback.team_message(),
            judge_message,
            score,
        })
    }

    /// The session with the validator's runner and the validator, for an
    /// interactive run ([`crate::interactive`]).
    pub(crate) fn parts(
        &mut self,
    ) -> (
        &mut crate::sandbox::runner_session::RunnerSession,
        &CompiledValidator,
    ) {
        (&mut self.runner, &self.compiled)
    }

    /// Marks the sandbox as unfit for reuse (an interactive run failed in it).
    pub(crate) fn fault(&mut self) {
        self.faulted = true;
    }

    /// Done with it: the runner goes back with the container, which the
    /// validators' pool resets and keeps ([`crate::pool::reuse`]); after a
    /// fault the runner ends and the container is removed.
    pub async fn close(self) {
        if self.faulted {
            self.runner.exit().await;
        } else {
            self.sandbox.park_runner(self.runner);
        }
        self.pool.dispose(self.sandbox);
    }
}

/// A test's input and answer, read off the worker's package cache; the
/// validator gets both, the submission neither.
pub(crate) async fn read_test_data(
    problem: &Problem,
    test: &TestCase,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    let input = problem.root.join(&test.input);
    let answer = problem.root.join(&test.answer);
    tokio::task::spawn_blocking(move || {
        Ok::<_, std::io::Error>((std::fs::read(input)?, std::fs::read(answer)?))
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("test {}: cannot read the test data: {e}", test.name))
}

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
                "/work/data/input",
                "/work/data/answer",
                "/work/feedback/",
                "float_tolerance",
                "1e-6"
            ]
        );
    }
}
