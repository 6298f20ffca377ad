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

use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::FutureExt;
use judge_core::compare::{self, DefaultValidatorFlags, Outcome};
use judge_core::include;
use judge_core::language::{self, Language};
use judge_core::problem::{TestCase, ValidationKind};
use judge_core::protocol::{Limits, Report, Termination};
use judge_core::source::{Program, SourceFile};
use judge_core::{
    model::now_ms, store, EventKind, Problem, Status, SubmissionRecord, SubmissionState, Verdict,
};

use crate::custom_run;
use crate::feedback::PassOutcome;
use crate::pool::{self, Origin};
use crate::sandbox::{self, Sandbox, SandboxSpec};
use crate::validator::{tar_of, CompiledValidator, ValidatorSandbox};
use crate::verdict::{slowest_of, test_result, verdict_from_report};
use crate::Worker;

const MIB: u64 = 1 << 20;
/// Compile limits are the same for every language and problem.
const COMPILE_CPU_MS: u64 = 30_000;
const COMPILE_WALL_MS: u64 = 60_000;
const COMPILE_OUTPUT_BYTES: u64 = MIB;
/// Slack for creating the sandbox, uploading and comparing, on top of the limits.
const JUDGING_SLACK: Duration = Duration::from_secs(30);

/// What the queue should do with the job once [`process_job`] returns `Ok`.
#[derive(Debug, PartialEq, Eq)]
pub enum JobDone {
    /// The final state is stored (by us or earlier): acknowledge.
    Final(Option<Verdict>),
    /// Nothing to judge (unknown submission): acknowledge and forget.
    Unknown,
    /// The Docker engine failed under the judging (the reason): no verdict;
    /// the queue puts the job back ([`crate::engine`]).
    Retry(String),
}

/// Judges submission `id` unless it is already final. `Err` means the final
/// state could not be stored (Redis down); the job must stay unacknowledged so
/// that it is delivered again.
pub async fn process_job(worker: &Worker, id: &str) -> anyhow::Result<JobDone> {
    let Some(state) = redis_retry(worker, "load state", |mut c| async move {
        store::load_state(&mut c, id).await
    })
    .await?
    else {
        tracing::warn!(submission = id, "job for an unknown submission; dropped");
        return Ok(JobDone::Unknown);
    };
    if state.is_final() {
        tracing::info!(
            submission = id,
            "already judged; acknowledging the redelivered job"
        );
        return Ok(JobDone::Final(state.verdict));
    }
    let attempts = redis_retry(worker, "count attempt", |mut c| async move {
        store::add_attempt(&mut c, id).await
    })
    .await?;
    let record = redis_retry(worker, "load record", |mut c| async move {
        store::load_record(&mut c, id).await
    })
    .await?;

    // A redelivered job may have left the dead attempt's sandbox running on
    // this host; it is labelled with the submission, so remove it first.
    if attempts > 1 {
        if let Err(e) = pool::remove_submission_sandboxes(&worker.docker, id).await {
            tracing::warn!(submission = id, error = %e, "could not remove an earlier attempt's sandbox");
        }
    }

    // A redelivered job starts over: drop what a dead attempt had stored,
    // keeping only `seq` so that every new event is newer than the old ones.
    let mut state = state;
    state.results.clear();
    state.compile_output = None;
    state.time_ms = 0;
    state.memory_kb = 0;
    state.message = None;
    let outages = worker.health.outages();
    let mut judging = Judging {
        worker,
        state,
        used: Vec::new(),
        timings: Timings::default(),
    };
    let (verdict, message) = if attempts > worker.config.max_attempts {
        let message = format!(
            "gave up after {} attempts: a worker died judging it each time",
            attempts - 1
        );
        tracing::error!(submission = id, attempts, "{message}");
        (Verdict::IE, Some(message))
    } else if let Some(record) = record {
        tracing::info!(submission = id, attempt = attempts, language = %record.language, problem = %record.problem_id, "judging");
        let started = Instant::now();
        let outcome = judging.judge(&record).await;
        if record.problem_id == judge_core::model::RUN_PROBLEM_ID {
            let _ = tokio::fs::remove_dir_all(worker.config.cache_dir.join("runs").join(id)).await;
        }
        tracing::info!(submission = id, verdict = %outcome.0, elapsed_ms = started.elapsed().as_millis() as u64, "judged");
        outcome
    } else {
        (
            Verdict::IE,
            Some("the submission's record is missing".to_string()),
        )
    };
    // The used sandboxes go once the final state is stored, in the
    // background: neither the verdict nor the acknowledgement waits for
    // their removal (each is labelled or named after the submission and the
    // worker, so a takeover or a restart still finds it if this process dies).
    let used = std::mem::take(&mut judging.used);
    if let Some(cause) = crate::engine::retry_cause(worker, id, outages, &used, verdict).await {
        for sandbox in used {
            worker.sandboxes.dispose(sandbox);
        }
        return Ok(JobDone::Retry(cause));
    }
    let done = judging.finish(verdict, message).await;
    for sandbox in used {
        worker.sandboxes.dispose(sandbox);
    }
    done
}

/// Where the judge's own time goes, per submission (logged as "sandbox timings").
#[derive(Debug, Default)]
struct Timings {
    origin: Option<Origin>,
    /// Taking a pooled sandbox, or creating and starting one.
    acquire_ms: u64,
    /// `docker exec` of the runner until its `Ready` (0 for a pooled
    /// sandbox: its runner was started with it).
    runner_ms: u64,
    /// Building the tar and uploading it.
    upload_ms: u64,
    compile_ms: u64,
    /// Running (and checking) the tests.
    tests_ms: u64,
    /// Of `tests_ms`: the tests run, and the wall time the runner measured for them.
    tests_run: u64,
    tests_wall_ms: u64,
    /// Of `tests_ms`: waiting for reports (µs); with pipelining, from the
    /// previous test's report (or the first `Run`) to this one's.
    report_wait_us: u64,
    /// Of `tests_ms`: comparing outputs (µs).
    check_us: u64,
    /// Events stored and published while in the sandbox, and their time (µs).
    events: u64,
    publish_us: u64,
}

/// The state of one submission being judged, and how it is published.
struct Judging<'a> {
    worker: &'a Worker,
    state: SubmissionState,
    /// Sandboxes done with, removed after the final state is stored.
    used: Vec<Sandbox>,
    timings: Timings,
}

impl Judging<'_> {
    /// Returns the verdict and, for IE (and a few verdicts), a message.
    async fn judge(&mut self, record: &SubmissionRecord) -> (Verdict, Option<String>) {
        if record.language == judge_core::problem::VALIDATOR_CHECK_LANGUAGE {
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
        // submitter's to fix: a compilation error that says why.
        let program = match record.program_with(lang, included) {
            Ok(program) => program,
            Err(e) => {
                self.state.compile_output = Some(e.to_string());
                return (Verdict::CE, Some(e.to_string()));
            }
        };
        // Decided before compiling, so an unsupported problem costs no sandbox.
        if let Err(m) = Validator::supported(&problem) {
            return ie(m);
        }

        self.state.tests_total = problem.tests.len();
        self.state.status = Status::Compiling;
        self.publish(EventKind::Compiling).await;

        // A custom validator is compiled once per problem version, in a
        // sandbox of its own, before the submission's sandbox exists.
        let validator = match problem.validation {
            ValidationKind::Custom | ValidationKind::Interactive => match self
                .worker
                .validators
                .get(self.worker, &problem, &record.problem_version, &record.id)
                .await
            {
                Ok(compiled) if problem.validation == ValidationKind::Interactive => {
                    Validator::Interactive(compiled)
                }
                Ok(compiled) => Validator::Custom(compiled),
                Err(m) => return ie(m.to_string()),
            },
            _ => Validator::Default,
        };

        let budget = judging_budget(lang, &problem);
        let judged = tokio::time::timeout(
            budget,
            AssertUnwindSafe(self.in_sandbox(lang, &program, &problem, &validator, record))
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
            Err(crate::validator::ValidatorError::Invalid(why)) => {
                self.state.compile_output = Some(why.clone());
                (Verdict::CE, Some(why))
            }
            Err(crate::validator::ValidatorError::Fault(why)) => ie(why),
        }
    }

    /// The problem version the record names, or for a custom run a one-test
    /// problem on its input (written below the cache directory).
    async fn problem_for(&self, record: &SubmissionRecord) -> Result<Arc<Problem>, String> {
        if record.problem_id != judge_core::model::RUN_PROBLEM_ID {
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
        let problem = tokio::task::spawn_blocking(move || custom_run::problem(&dir, &input))
            .await
            .map_err(|e| e.to_string())?
            .map_err(|e| format!("could not write the custom input: {e}"))?;
        Ok(Arc::new(problem))
    }

    /// Creates the sandbox, judges in it and removes it on every path.
    async fn in_sandbox(
        &mut self,
        lang: &'static Language,
        program: &Program,
        problem: &Arc<Problem>,
        validator: &Validator,
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
        // The custom validator's sandbox, created at the first output to check.
        let mut checker = None;
        let result = self
            .use_sandbox(
                &sandbox,
                &spec,
                lang,
                program,
                problem,
                validator,
                &mut checker,
                record,
                started,
            )
            .await;
        if let Some(checker) = checker {
            checker.close().await;
        }
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
            tests_run = t.tests_run,
            tests_wall_ms = t.tests_wall_ms,
            report_wait_ms = t.report_wait_us / 1000,
            check_ms = t.check_us / 1000,
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

    #[allow(clippy::too_many_arguments)]
    async fn use_sandbox(
        &mut self,
        sandbox: &Sandbox,
        spec: &SandboxSpec,
        lang: &'static Language,
        program: &Program,
        problem: &Arc<Problem>,
        validator: &Validator,
        checker: &mut Option<ValidatorSandbox>,
        record: &SubmissionRecord,
        started: Instant,
    ) -> Result<(Verdict, Option<String>), sandbox::SandboxError> {
        let step = Instant::now();
        let mut runner = sandbox.start_runner().await?;
        self.timings.runner_ms = step.elapsed().as_millis() as u64;
        let step = Instant::now();
        let tar = {
            let problem = problem.clone();
            let files = program.files.clone();
            tokio::task::spawn_blocking(move || build_upload(&problem, &files))
                .await
                .map_err(|e| std::io::Error::other(e.to_string()))??
        };
        runner.upload(&tar).await?;
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
            let argv = lang.command(lang.compile, program, problem.memory_mb);
            let step = Instant::now();
            let report = runner.compile(argv, env.clone(), limits).await;
            self.timings.compile_ms = step.elapsed().as_millis() as u64;
            let report = report?;
            let output = report.stderr.trim_end().to_string();
            if !report.success() {
                let (output, message) = compile_failure(&report, output);
                self.state.compile_output = Some(output);
                runner.exit().await;
                return Ok((Verdict::CE, message));
            }
            if !output.is_empty() {
                self.state.compile_output = Some(output);
            }
        }

        let argv = lang.command(lang.run, program, problem.memory_mb);
        let limits = run_limits(lang, problem);
        let test_count = problem.tests.len();
        // Other than interactive and multi-pass ones, tests are pipelined:
        // the next test's `Run` is sent as soon as a report arrives, before
        // the output is judged and the result published, so the runner never
        // waits for a round trip. If the judged test fails, the speculative
        // run is abandoned with the sandbox (which goes right after the
        // verdict). A multi-pass test's next run may be its own next pass.
        let pipelined =
            !matches!(validator, Validator::Interactive(_)) && problem.validation_passes.is_none();
        if pipelined && test_count > 0 {
            runner
                .request_run(argv.clone(), env.clone(), test_input(1), limits.clone())
                .await?;
        }
        for (position, test) in problem.tests.iter().enumerate() {
            let index = position + 1;
            // One `Running` event when running starts; after that, each
            // `TestFinished` carries the progress (status and results), which
            // is all the web page and the CLI read.
            if self.state.status != Status::Running {
                self.state.status = Status::Running;
                self.publish(EventKind::Running).await;
            }
            let limits = limits.clone();
            if let Validator::Interactive(compiled) = validator {
                let judged = crate::interactive::judge_test(
                    self.worker,
                    &mut runner,
                    checker,
                    compiled,
                    problem,
                    test,
                    index,
                    argv.clone(),
                    env.clone(),
                    limits,
                    &record.id,
                )
                .await;
                match judged {
                    Ok((verdict, result)) => {
                        self.state.push_result(result);
                        self.publish(EventKind::TestFinished).await;
                        if verdict != Verdict::AC {
                            runner.exit().await;
                            return Ok((verdict, None));
                        }
                        continue;
                    }
                    Err(fault) => {
                        tracing::error!(submission = %record.id, "interactive: {fault}");
                        runner.exit().await;
                        return Ok(ie(fault));
                    }
                }
            }
            if !pipelined {
                runner
                    .request_run(argv.clone(), env.clone(), test_input(index), limits.clone())
                    .await?;
            }
            let step = Instant::now();
            let (mut report, stdout) = runner.run_report(limits.output_bytes).await?;
            self.timings.report_wait_us += step.elapsed().as_micros() as u64;
            self.timings.tests_run += 1;
            self.timings.tests_wall_ms += report.wall_ms;
            // A report that is a verdict by itself (TLE, RE, ...) ends the
            // judging: only a test that may pass starts the next one.
            if pipelined && index < test_count && verdict_from_report(&report).is_none() {
                runner
                    .request_run(
                        argv.clone(),
                        env.clone(),
                        test_input(index + 1),
                        limits.clone(),
                    )
                    .await?;
            }
            let step = Instant::now();
            // `team_message`: the validator's teammessage, shown on every test.
            let mut team_message = None;
            if custom_run::is_run(problem) {
                self.state.run_output = Some(custom_run::output(&report, &stdout));
            }
            let (verdict, message) = match (verdict_from_report(&report), validator) {
                (Some(verdict), _) => (verdict, None),
                // A custom run is shown, not compared.
                (None, _) if custom_run::is_run(problem) => (Verdict::AC, None),
                (None, Validator::Default | Validator::Interactive(_)) => {
                    match validator.check(problem, test, stdout).await {
                        Ok(Outcome::Accepted) => (Verdict::AC, None),
                        Ok(Outcome::WrongAnswer(why)) => (Verdict::WA, Some(why)),
                        Err(fault) => {
                            runner.exit().await;
                            return Ok(ie(fault));
                        }
                    }
                }
                (None, Validator::Custom(compiled)) => {
                    if checker.is_none() {
                        match ValidatorSandbox::create(self.worker, compiled.clone(), &record.id)
                            .await
                        {
                            Ok(created) => *checker = Some(created),
                            Err(e) => {
                                runner.exit().await;
                                return Ok(ie(format!(
                                    "could not start the output validator's sandbox: {e}"
                                )));
                            }
                        }
                    }
                    let checking = checker.as_mut().expect("created above");
                    // Pass after pass while the validator asks for another
                    // (multi-pass problems); each pass runs within the limits.
                    let mut stdout = stdout;
                    let mut pass = 1;
                    let mut pass_input: Option<Vec<u8>> = None;
                    loop {
                        let judgement = match checking
                            .check(problem, test, &stdout, pass, pass_input.as_deref())
                            .await
                        {
                            Ok(judgement) => judgement,
                            Err(fault) => {
                                tracing::error!(submission = %record.id, "output validator: {fault}");
                                runner.exit().await;
                                return Ok(ie(fault));
                            }
                        };
                        team_message = judgement.team_message;
                        let next = match judgement.outcome {
                            PassOutcome::Final(verdict) => break (verdict, None),
                            PassOutcome::Next(next) => next,
                        };
                        pass += 1;
                        let name = pass_input_name(index, pass);
                        let tar = tar_of(&[(format!("tests/{name}"), next.as_slice(), false)])?;
                        runner.upload(&tar).await?;
                        let (again, out) = runner
                            .run(argv.clone(), env.clone(), name, limits.clone())
                            .await?;
                        self.timings.tests_run += 1;
                        self.timings.tests_wall_ms += again.wall_ms;
                        report = slowest_of(Some(report), again);
                        if let Some(verdict) = verdict_from_report(&report) {
                            break (verdict, None);
                        }
                        stdout = out;
                        pass_input = Some(next);
                    }
                }
            };
            self.timings.check_us += step.elapsed().as_micros() as u64;
            let mut result = test_result(index, test, &report, verdict, message);
            if team_message.is_some() {
                result.message = team_message;
            }
            self.state.push_result(result);
            self.publish(EventKind::TestFinished).await;
            if verdict != Verdict::AC {
                runner.exit().await;
                return Ok((verdict, None));
            }
        }
        runner.exit().await;
        Ok((Verdict::AC, None))
    }

    /// Stores and publishes the next state. A failure here is logged, not
    /// fatal: the next event carries the whole state anyway.
    async fn publish(&mut self, kind: EventKind) {
        let started = Instant::now();
        self.publish_untimed(kind).await;
        self.timings.events += 1;
        self.timings.publish_us += started.elapsed().as_micros() as u64;
    }

    async fn publish_untimed(&mut self, kind: EventKind) {
        self.state.seq += 1;
        let state = &self.state;
        match redis_retry(self.worker, "publish state", |mut c| async move {
            store::publish_state(&mut c, kind, state).await
        })
        .await
        {
            Ok(true) => {}
            Ok(false) => tracing::warn!(
                submission = %self.state.id,
                seq = self.state.seq,
                ?kind,
                "stored state is newer or final; event not applied"
            ),
            Err(e) => tracing::warn!(submission = %self.state.id, ?kind, error = %e, "event lost"),
        }
    }

    /// Stores the final state. Returns `Err` only if Redis stayed unreachable.
    async fn finish(
        mut self,
        verdict: Verdict,
        message: Option<String>,
    ) -> anyhow::Result<JobDone> {
        self.state.finish(verdict, now_ms());
        if message.is_some() {
            self.state.message = message;
        }
        let id = self.state.id.clone();
        for _ in 0..5 {
            self.state.seq += 1;
            let state = &self.state;
            let applied = redis_retry(self.worker, "store final state", |mut c| async move {
                store::publish_state(&mut c, EventKind::Finished, state).await
            })
            .await?;
            if applied {
                return Ok(JobDone::Final(Some(verdict)));
            }
            // Someone else wrote meanwhile (a worker that took the job over).
            let stored = redis_retry(self.worker, "reload state", |mut c| {
                let id = id.clone();
                async move { store::load_state(&mut c, &id).await }
            })
            .await?;
            match stored {
                Some(stored) if stored.is_final() => {
                    tracing::warn!(submission = %id, "another worker finished it first");
                    return Ok(JobDone::Final(stored.verdict));
                }
                Some(stored) => self.state.seq = self.state.seq.max(stored.seq),
                None => anyhow::bail!("submission {id} vanished while being judged"),
            }
        }
        anyhow::bail!("could not store the final state of {id}: its seq kept moving")
    }
}

fn ie(message: impl Into<String>) -> (Verdict, Option<String>) {
    (Verdict::IE, Some(message.into()))
}

/// How test outputs are judged. The default validator runs here, on the
/// worker; a custom one, compiled once per problem version, runs in a
/// sandbox of its own ([`crate::validator`]).
#[derive(Debug)]
pub enum Validator {
    Default,
    Custom(Arc<CompiledValidator>),
    /// The validator of an interactive problem ([`crate::interactive`]).
    Interactive(Arc<CompiledValidator>),
}

impl Validator {
    /// `Err` for what this worker cannot judge (interactive problems).
    pub fn supported(problem: &Problem) -> Result<(), String> {
        // Until the grader judges groups, a scoring problem or a legacy
        // group setting that changes a verdict is a judge error, never a
        // pass-fail verdict it did not declare.
        let plain = problem.grading.groups.iter().all(|g| match &g.settings {
            judge_core::groups::Settings::Legacy(s) => {
                !s.on_reject_continue
                    && !s.accept_if_any_accepted
                    && !s.ignore_sample
                    && s.verdict_mode != judge_core::groups::VerdictMode::AlwaysAccept
            }
            judge_core::groups::Settings::Modern(_) => true,
        });
        if problem.grading.scoring || !plain {
            return Err(
                "scoring problems and legacy group grading are not judged by this worker yet"
                    .into(),
            );
        }
        match problem.validation {
            ValidationKind::Default | ValidationKind::Custom | ValidationKind::Interactive => {
                Ok(())
            }
        }
    }

    /// Judges one test's output; `Err` is a judge fault (unreadable answer, bad flags).
    pub async fn check(
        &self,
        problem: &Problem,
        test: &TestCase,
        output: Vec<u8>,
    ) -> Result<Outcome, String> {
        match self {
            Validator::Custom(_) | Validator::Interactive(_) => {
                Err("a custom validator runs in its own sandbox, not here".to_string())
            }
            Validator::Default => {
                let flags = DefaultValidatorFlags::parse(&test.validator_flags)
                    .map_err(|e| format!("test {}: validator flags: {e}", test.name))?;
                let answer_path = problem.root.join(&test.answer);
                let name = test.name.clone();
                tokio::task::spawn_blocking(move || {
                    let answer = std::fs::read(&answer_path)
                        .map_err(|e| format!("test {name}: cannot read the answer: {e}"))?;
                    Ok(compare::compare(&answer, &output, &flags))
                })
                .await
                .map_err(|e| format!("comparison failed: {e}"))?
            }
        }
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
        open_files: 64,
    }
}

/// The longest a whole judging may take: compile, every test at its wall
/// limit, and slack for the sandbox itself.
pub fn judging_budget(lang: &Language, problem: &Problem) -> Duration {
    let mut per_test = run_limits(lang, problem).wall_ms;
    if problem.validation != ValidationKind::Default {
        per_test += crate::validator::VALIDATOR_WALL_MS;
    }
    // Each pass of a multi-pass test is a run and a validation.
    per_test *= u64::from(problem.validation_passes.unwrap_or(1));
    let tests: u64 = problem.tests.len() as u64 * per_test;
    Duration::from_millis(COMPILE_WALL_MS + tests) + JUDGING_SLACK
}

/// The name of the `index`-th test's input (1-based) in the sandbox's tests
/// directory: what the upload writes and a `Run` asks for. No package name
/// reaches the sandbox's paths.
fn test_input(index: usize) -> String {
    format!("{index}.in")
}

/// The input of pass `pass` (2 and later) of the `index`-th test: the
/// validator's `nextpass.in`, uploaded when it asks for that pass.
fn pass_input_name(index: usize, pass: u32) -> String {
    format!("{index}.pass{pass}.in")
}

/// The one upload: the sources under `build/` (names checked by
/// [`Program::new`]) and test inputs as `tests/<k>.in` (see [`test_input`]).
/// Answers and validators never enter the sandbox.
pub fn build_upload(problem: &Problem, files: &[SourceFile]) -> std::io::Result<Vec<u8>> {
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
    for (position, test) in problem.tests.iter().enumerate() {
        let input = std::fs::read(problem.root.join(&test.input))?;
        append(&format!("tests/{}", test_input(position + 1)), &input)?;
    }
    builder.into_inner()
}

/// Runs a short Redis operation on a pooled connection, retrying with
/// back-off, so that a Redis restart delays judging instead of failing it.
pub async fn redis_retry<T, F, Fut>(worker: &Worker, what: &str, mut op: F) -> anyhow::Result<T>
where
    F: FnMut(judge_core::connect::Connection) -> Fut,
    Fut: Future<Output = redis::RedisResult<T>>,
{
    let mut delay = Duration::from_millis(100);
    let mut tries = 0;
    loop {
        tries += 1;
        let error = match worker.pool.get().await {
            Ok(conn) => match op(conn).await {
                Ok(value) => return Ok(value),
                Err(e) => anyhow::Error::from(e),
            },
            Err(e) => anyhow::Error::from(e),
        };
        if tries >= 6 {
            return Err(error.context(format!("redis: {what}")));
        }
        tracing::warn!(error = %error, tries, "redis: {what} failed; retrying");
        tokio::time::sleep(delay).await;
        delay = (delay * 2).min(Duration::from_secs(5));
    }
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
