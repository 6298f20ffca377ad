//! Judging one submission: compile, run the tests in order, decide the
//! verdict and store every step as an event.
//!
//! Two rules shape this module. A judge fault (Docker, the runner, Redis, a
//! broken package) always ends as IE with the reason in `state.message`, never
//! as a verdict that blames the submission; except a failure of the Docker
//! engine itself (down, restarted), after which the job is judged again
//! ([`crate::engine`]). And secret test data never leaves
//! the worker: the sandbox receives inputs only, answers are compared here, and
//! only sample tests carry the comparison message.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use judge_protocol::{Limits, Report, Termination};
use judge_store::store;
use problem_package::include;
use problem_package::language::{self, Language};
use problem_package::problem::Problem;
use problem_package::problem::ValidationKind;
use problem_package::source::{Program, SourceFile};
use submission::{EventKind, Status, SubmissionRecord, Verdict};

use crate::checker;
use crate::checker::dispatch::Checker;
use crate::checker::test_run::TestRun;
use crate::custom_run;
use crate::inputs::{test_input, FirstUpload};
use crate::job::{ie, Judging};
use crate::pool::{self, Origin};
use crate::retry::redis_retry;
use crate::sandbox::{Sandbox, SandboxSpec};
use crate::session::{self, DockerTests, LoopTimings};

const MIB: u64 = 1 << 20;
/// Compile limits are the same for every language and problem: the
/// format's typical system default `compilation_time` of 60 s. A JVM
/// compiler (kotlinc) spends 10-20 s of CPU on one file, across threads,
/// and a tighter limit turned valid Kotlin into CE on a busy host.
const COMPILE_CPU_MS: u64 = 60_000;
const COMPILE_WALL_MS: u64 = 120_000;
const COMPILE_OUTPUT_BYTES: u64 = MIB;
/// Slack for creating the sandbox, uploading and comparing, on top of the limits.
const JUDGING_SLACK: Duration = Duration::from_secs(30);

impl Judging<'_> {
    /// Returns the verdict and, for IE (and a few verdicts), a message.
    pub(crate) async fn judge(&mut self, record: &SubmissionRecord) -> (Verdict, Option<String>) {
        if record.language == problem_package::problem::VALIDATOR_CHECK_LANGUAGE {
            return self.check_validator(record).await;
        }
        let Some(lang) = language::by_id(&record.language) else {
            return ie(format!("unknown language {:?}", record.language));
        };
        let problem = match self.problem_for(record).await {
            Ok(problem) => problem,
            Err(e) => return ie(e),
        };
        // The package's included files (a driver, a header) join the
        // submission's; an unreadable one is the package's fault.
        let included = match include::files(&problem.root, lang) {
            Ok(included) => included,
            Err(e) => return ie(format!("included files: {e}")),
        };
        // Files that make no program (no entry point, a bad name) are the
        // submitter's to fix: a compilation error that says why. A
        // function problem's program is the code with the judge's harness.
        let program = match &problem.function {
            Some(spec) => checker::function::program(spec, lang, record),
            None => record
                .program_with(lang, included)
                .map_err(|e| e.to_string()),
        };
        let program = match program {
            Ok(program) => program,
            Err(e) => {
                self.state.compile_output = Some(e.clone());
                return (Verdict::CE, Some(e));
            }
        };
        // Decided before compiling, so an unsupported problem costs no sandbox.
        if let Err(m) = supported(&problem) {
            return ie(m);
        }

        self.state.tests_total = problem.tests.len();
        self.state.status = Status::Compiling;
        self.publish(EventKind::Compiling).await;

        // A custom validator is compiled once per problem version, in a
        // sandbox of its own, before the submission's sandbox exists.
        let compiled = match problem.validation {
            ValidationKind::Custom | ValidationKind::Interactive => match self
                .worker
                .validators
                .get(self.worker, &problem, &record.problem_version, &record.id)
                .await
            {
                Ok(compiled) => Some(compiled),
                Err(m) => return ie(m.to_string()),
            },
            ValidationKind::Default => None,
        };
        let validator = match Checker::new(&problem, compiled) {
            Ok(checker) => checker,
            Err(m) => return ie(m),
        };

        let budget = judging_budget(lang, &problem);
        let judged = tokio::time::timeout(
            budget,
            AssertUnwindSafe(self.in_sandbox(lang, &program, &problem, validator, record))
                .catch_unwind(),
        )
        .await;
        let outcome = match judged {
            Ok(Ok(outcome)) => return outcome,
            Ok(Err(panic)) => {
                let what = panic
                    .downcast_ref::<String>()
                    .map(String::as_str)
                    .or_else(|| panic.downcast_ref::<&str>().copied())
                    .unwrap_or("unknown panic");
                ie(format!("the judge panicked: {what}"))
            }
            Err(_) => ie(format!(
                "judging took longer than {} s; the sandbox was removed",
                budget.as_secs()
            )),
        };
        // The sandbox's guard spawned its removal; make sure it is gone before
        // the final state says so.
        if let Err(e) = pool::remove_submission_sandboxes(&self.worker.docker, &record.id).await {
            tracing::error!(submission = %record.id, error = %e, "could not clean up sandboxes");
        }
        outcome
    }

    /// An import's validator check (`api::admin`): finds and builds the
    /// package version's output validator exactly as judging will (the same
    /// cache, so the first submission finds it built). CE with the reason
    /// (the compiler's output, a layout the judge cannot run) when the
    /// validator cannot be used; AC when it is ready; IE for the judge's
    /// own faults, which say nothing about the package.
    async fn check_validator(&mut self, record: &SubmissionRecord) -> (Verdict, Option<String>) {
        let problem = match self.problem_for(record).await {
            Ok(problem) => problem,
            Err(e) => return ie(e),
        };
        if problem.validation == ValidationKind::Default {
            return (Verdict::AC, Some("no custom output validator".into()));
        }
        self.state.status = Status::Compiling;
        self.publish(EventKind::Compiling).await;
        let built = self
            .worker
            .validators
            .get(self.worker, &problem, &record.problem_version, &record.id)
            .await;
        match built {
            Ok(_) => (Verdict::AC, None),
            Err(crate::validator::build::ValidatorError::Invalid(why)) => {
                self.state.compile_output = Some(why.clone());
                (Verdict::CE, Some(why))
            }
            Err(crate::validator::build::ValidatorError::Fault(why)) => ie(why),
        }
    }

    /// The problem version the record names, or for a custom run a one-test
    /// problem on its input (written below the cache directory).
    async fn problem_for(&self, record: &SubmissionRecord) -> Result<Arc<Problem>, String> {
        if record.problem_id != submission::RUN_PROBLEM_ID {
            return (self.worker.packages)
                .get(&record.problem_id, &record.problem_version)
                .await
                .map_err(|e| e.to_string());
        }
        let id = record.id.as_str();
        let input = redis_retry(self.worker, "load run input", |mut c| async move {
            store::load_run_input(&mut c, id).await
        })
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the custom run's input is missing")?;
        let dir = self.worker.config.cache_dir.join("runs").join(id);
        // A run of a function problem's function follows its signature.
        let function = match problem_package::function::run_target(&record.problem_version) {
            Some((problem_id, version)) => {
                let called = (self.worker.packages)
                    .get(problem_id, version)
                    .await
                    .map_err(|e| e.to_string())?;
                let spec = called.function.clone();
                Some(spec.ok_or(format!("{problem_id} is not a function problem"))?)
            }
            None => None,
        };
        let problem =
            tokio::task::spawn_blocking(move || custom_run::problem(&dir, &input, function))
                .await
                .map_err(|e| e.to_string())?
                .map_err(|e| format!("the custom input: {e}"))?;
        Ok(Arc::new(problem))
    }

    /// Creates the sandbox, judges in it and removes it on every path.
    async fn in_sandbox(
        &mut self,
        lang: &'static Language,
        program: &Program,
        problem: &Arc<Problem>,
        checker: Checker,
        record: &SubmissionRecord,
    ) -> (Verdict, Option<String>) {
        let spec = SandboxSpec {
            image: self.worker.config.image_for(lang),
            submission_id: record.id.clone(),
            worker: self.worker.consumer.clone(),
            memory_mb: problem.memory_mb,
        };
        let started = Instant::now();
        let sandbox = match self.worker.sandboxes.acquire(&spec).await {
            Ok((sandbox, origin)) => {
                self.timings.origin = Some(origin);
                sandbox
            }
            Err(e) => return ie(format!("could not create the sandbox: {e}")),
        };
        self.timings.acquire_ms = started.elapsed().as_millis() as u64;
        let using = Instant::now();
        // The checker creates the validator's sandbox, if any, at the first
        // output to check; it goes with the submission's.
        let mut checker = checker;
        let result = self
            .use_sandbox(
                &sandbox,
                &spec,
                lang,
                program,
                problem,
                &mut checker,
                record,
                started,
            )
            .await;
        checker.close().await;
        let t = &mut self.timings;
        t.tests_ms = (using.elapsed().as_millis() as u64)
            .saturating_sub(t.runner_ms + t.upload_ms + t.compile_ms);
        tracing::info!(
            submission = %record.id,
            language = lang.id,
            pooled = t.origin == Some(Origin::Pool),
            acquire_ms = t.acquire_ms,
            runner_ms = t.runner_ms,
            upload_ms = t.upload_ms,
            compile_ms = t.compile_ms,
            tests_ms = t.tests_ms,
            tests_run = t.tests.tests_run,
            tests_wall_ms = t.tests.tests_wall_ms,
            report_wait_ms = t.tests.report_wait_us / 1000,
            check_ms = t.tests.check_us / 1000,
            events = t.events,
            publish_ms = t.publish_us / 1000,
            overhead_ms = t.acquire_ms + t.runner_ms + t.upload_ms,
            "sandbox timings"
        );
        // Removed in the background once the final state is stored.
        self.used.push(sandbox);
        match result {
            Ok(outcome) => outcome,
            Err(e) => ie(e.to_string()),
        }
    }

    /// Starts the runner, uploads, compiles, then runs the judging loop
    /// ([`crate::session`]).
    #[allow(clippy::too_many_arguments)]
    async fn use_sandbox(
        &mut self,
        sandbox: &Sandbox,
        spec: &SandboxSpec,
        lang: &'static Language,
        program: &Program,
        problem: &Arc<Problem>,
        checker: &mut Checker,
        record: &SubmissionRecord,
        started: Instant,
    ) -> Result<(Verdict, Option<String>), crate::sandbox::error::SandboxError> {
        let step = Instant::now();
        let mut runner = sandbox.start_runner().await?;
        self.timings.runner_ms = step.elapsed().as_millis() as u64;
        let step = Instant::now();
        // A reused container may hold this version's inputs already.
        let staging = crate::inputs::Staging::for_problem(problem);
        let key = crate::inputs::cache_key(&record.problem_id, &record.problem_version, problem);
        let first = FirstUpload::ask(&mut runner, &staging, key).await?;
        let inputs_key = first.inputs_key();
        let tar = {
            let problem = problem.clone();
            let files = program.files.clone();
            tokio::task::spawn_blocking(move || build_upload(&problem, &files, &first))
                .await
                .map_err(|e| std::io::Error::other(e.to_string()))??
        };
        runner.upload_inputs(&tar, inputs_key).await?;
        self.timings.upload_ms = step.elapsed().as_millis() as u64;
        tracing::debug!(
            submission = %record.id,
            setup_ms = started.elapsed().as_millis() as u64,
            "sandbox ready"
        );
        let env: Vec<(String, String)> = lang
            .env
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();

        if !lang.compile.is_empty() {
            let limits = compile_limits(spec);
            let argv = checker::function::compile_argv(problem, lang)
                .unwrap_or_else(|| lang.command(lang.compile, program, problem.memory_mb));
            let step = Instant::now();
            let report = runner.compile(argv, env.clone(), limits).await;
            self.timings.compile_ms = step.elapsed().as_millis() as u64;
            let report = report?;
            let output = report.stderr.trim_end().to_string();
            if !report.success() {
                let (output, message) = compile_failure(&report, output);
                let output = checker::function::compile_output(problem, lang, output);
                self.state.compile_output = Some(output);
                // Given back for the container's reset and reuse (crate::pool).
                sandbox.park_runner(runner);
                return Ok((Verdict::CE, message));
            }
            if !output.is_empty() {
                self.state.compile_output = Some(output);
            }
        }

        let mut tests = DockerTests {
            run: TestRun {
                worker: self.worker,
                runner: &mut runner,
                problem,
                argv: lang.command(lang.run, program, problem.memory_mb),
                env,
                limits: run_limits(lang, problem),
                submission_id: &record.id,
            },
            checker,
            inputs: staging,
        };
        let mut timings = LoopTimings::default();
        let judged = session::run_tests(
            &mut tests,
            &problem.grading,
            problem.tests.len(),
            self,
            &mut timings,
        )
        .await;
        self.timings.tests = timings;
        // The runner goes back with the sandbox for its reset and reuse; a
        // run still pending (pipelined ahead of a failure) is finished and
        // dropped by the reset (crate::pool).
        sandbox.park_runner(runner);
        Ok(match judged {
            Ok(verdict) => (verdict, None),
            Err(fault) => {
                tracing::error!(submission = %record.id, "judging: {fault}");
                ie(fault)
            }
        })
    }
}

/// `Err` for a problem this worker cannot judge as declared (none today:
/// what is not implemented is refused when the package is loaded).
pub fn supported(problem: &Problem) -> Result<(), String> {
    match problem.validation {
        ValidationKind::Default | ValidationKind::Custom | ValidationKind::Interactive => Ok(()),
    }
}

/// The compile output and message of a failed compile.
fn compile_failure(report: &Report, output: String) -> (String, Option<String>) {
    match report.termination {
        Termination::CpuLimit | Termination::WallLimit => {
            let note = "compilation exceeded the time limit";
            let output = if output.is_empty() {
                note.to_string()
            } else {
                format!("{output}\n{note}")
            };
            (output, Some(note.to_string()))
        }
        Termination::MemoryLimit => {
            let note = "compilation exceeded the memory limit";
            (
                format!("{output}\n{note}").trim().to_string(),
                Some(note.to_string()),
            )
        }
        _ => (output, None),
    }
}

pub fn compile_limits(spec: &SandboxSpec) -> Limits {
    Limits {
        cpu_ms: COMPILE_CPU_MS,
        wall_ms: COMPILE_WALL_MS,
        memory_kb: spec.container_memory_bytes() as u64 / 1024,
        output_bytes: COMPILE_OUTPUT_BYTES,
        file_size_bytes: 256 * MIB,
        open_files: 256,
    }
}

pub fn run_limits(lang: &Language, problem: &Problem) -> Limits {
    let cpu_ms = lang.time_limit_ms(problem.time_limit_ms);
    Limits {
        cpu_ms,
        wall_ms: 2 * cpu_ms + 1000,
        memory_kb: problem.memory_mb * 1024,
        output_bytes: problem.output_mb * MIB,
        file_size_bytes: 64 * MIB,
        // The container's own nofile ulimit: R will not start below 167 (it
        // keeps 60% of the descriptors for the 100 DLLs it may load).
        open_files: 256,
    }
}

/// The longest a whole judging may take: compile, every test at its wall
/// limit, and slack for the sandbox itself.
pub fn judging_budget(lang: &Language, problem: &Problem) -> Duration {
    let mut per_test = run_limits(lang, problem).wall_ms;
    if problem.validation != ValidationKind::Default {
        per_test += crate::validator::run::validator_wall_ms(&problem.validation_limits);
    }
    // Each pass of a multi-pass test is a run and a validation.
    per_test *= u64::from(problem.validation_passes.unwrap_or(1));
    let tests: u64 = problem.tests.len() as u64 * per_test;
    Duration::from_millis(COMPILE_WALL_MS + tests) + JUDGING_SLACK
}

/// The one upload: the sources under `build/` (names checked by
/// [`Program::new`]) and, where `first` says (not for a large package, nor
/// when the runner's cache holds them; [`crate::inputs`]), test inputs as
/// `tests/<k>.in` or `inputs/<k>.in` (see [`test_input`]). Answers and
/// validators never enter the sandbox.
pub fn build_upload(
    problem: &Problem,
    files: &[SourceFile],
    first: &FirstUpload,
) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut append = |path: &str, data: &[u8]| -> std::io::Result<()> {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_mtime(0);
        header.set_size(data.len() as u64);
        builder.append_data(&mut header, path, data)
    };
    for file in files {
        append(&format!("build/{}", file.name), file.content.as_bytes())?;
    }
    if let Some(dir) = first.dir() {
        for (position, test) in problem.tests.iter().enumerate() {
            let input = std::fs::read(problem.root.join(&test.input))?;
            let input = checker::function::sandbox_input(problem, input)?;
            append(&format!("{dir}/{}", test_input(position + 1)), &input)?;
        }
    }
    builder.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(termination: Termination, exit_code: Option<i32>) -> Report {
        Report {
            termination,
            exit_code,
            signal: None,
            cpu_ms: 10,
            wall_ms: 12,
            memory_kb: 2048,
            stdout_len: 0,
            stderr: String::new(),
        }
    }

    #[test]
    fn compile_timeouts_are_explained() {
        let (output, message) =
            compile_failure(&report(Termination::WallLimit, None), "partial".into());
        assert!(output.ends_with("compilation exceeded the time limit"));
        assert_eq!(
            message.as_deref(),
            Some("compilation exceeded the time limit")
        );
        let (output, message) =
            compile_failure(&report(Termination::Exited, Some(1)), "error: x".into());
        assert_eq!((output.as_str(), message), ("error: x", None));
    }
}
