//! The judging loop: runs the tests the grader names, in a sandbox,
//! pipelined where the checker allows it, and keeps the submission's state
//! (results, groups, score) current as each test finishes.
//!
//! The loop knows the sandbox only through [`TestSandbox`]: the production
//! one ([`DockerTests`]) sends `Run` requests to the runner and checks with
//! a [`Checker`]; the unit tests below script reports and verdicts, so the
//! loop's rules (pipelining, what is published, when judging stops) are
//! tested without Docker.
//!
//! Pipelining: the next test's `Run` is sent as soon as a report arrives,
//! before the output is checked and the result published, so the runner
//! never waits for a round trip. The next test is the grader's guess that
//! the pending one is accepted (exact when the report is a verdict by
//! itself); when the guess misses, the guessed run is read and dropped. At
//! the end a run still pending is abandoned with the sandbox.

use std::future::Future;
use std::time::Instant;

use problem_package::groups::Grading;
use submission::{EventKind, Status, SubmissionState, Verdict};

use crate::case_detail;
use crate::checker::dispatch::Checker;
use crate::checker::outcome::{Checked, Ran};
use crate::checker::test_run::TestRun;
use crate::grader::Grader;
use crate::inputs::test_input;
use crate::inputs::Staging;
use crate::verdict::verdict_from_report;

/// Runs and checks tests, for the loop. `Err` is a judge fault (IE).
pub trait TestSandbox: Send {
    /// Whether the next run may be requested before a test is checked.
    fn pipelined(&self) -> bool;
    /// Whether [`Self::judge`] runs the test itself (no request, no report).
    fn runs_itself(&self) -> bool;
    /// Asks for test `position`'s run (0-based), without waiting for it.
    fn request(&mut self, position: usize) -> impl Future<Output = Result<(), String>> + Send;
    /// Waits for the report of the run requested for `position`.
    fn report(&mut self, position: usize) -> impl Future<Output = Result<Ran, String>> + Send;
    /// Checks test `position`, given its run unless [`Self::runs_itself`].
    fn judge(
        &mut self,
        position: usize,
        ran: Option<Ran>,
    ) -> impl Future<Output = Result<Checked, String>> + Send;
}

/// Where the loop keeps and publishes the submission's state.
pub trait Progress: Send {
    fn state(&mut self) -> &mut SubmissionState;
    /// Stores and publishes the state as it is now.
    fn publish(&mut self, kind: EventKind) -> impl Future<Output = ()> + Send;
}

/// The loop's share of a judging's timings (logged by the job).
#[derive(Debug, Default)]
pub struct LoopTimings {
    /// Runs, passes included, and the wall time the runner measured for them.
    pub tests_run: u64,
    pub tests_wall_ms: u64,
    /// Waiting for reports (µs); with pipelining, from the previous report.
    pub report_wait_us: u64,
    /// Checking outputs (µs).
    pub check_us: u64,
}

/// Judges the tests of a compiled submission by `grading`; returns the
/// verdict (and the score in the state). `Err` is a judge fault: the caller
/// ends the judging as IE and the sandbox goes.
pub async fn run_tests<S: TestSandbox, P: Progress>(
    sandbox: &mut S,
    grading: &Grading,
    tests: usize,
    progress: &mut P,
    timings: &mut LoopTimings,
) -> Result<Verdict, String> {
    let mut grader = Grader::new(grading, tests);
    if grading.scoring {
        let state = progress.state();
        state.groups = grader.groups();
        state.max_score = grading.max_score();
        state.score = None;
    }
    let pipelined = sandbox.pipelined() && !sandbox.runs_itself();
    // The run requested ahead, if any.
    let mut pending: Option<usize> = None;
    while let Some(position) = grader.next()? {
        // One `Running` event when running starts; after that, each
        // `TestFinished` carries the progress, which is all clients read.
        if progress.state().status != Status::Running {
            progress.state().status = Status::Running;
            progress.publish(EventKind::Running).await;
        }
        let ran = if sandbox.runs_itself() {
            None
        } else {
            if pending != Some(position) {
                if let Some(missed) = pending.take() {
                    // The guess missed (the pending test was rejected and
                    // the grader skips on): that run is read and dropped.
                    sandbox.report(missed).await?;
                }
                sandbox.request(position).await?;
            }
            pending = None;
            let step = Instant::now();
            let ran = sandbox.report(position).await?;
            timings.report_wait_us += step.elapsed().as_micros() as u64;
            timings.tests_run += 1;
            timings.tests_wall_ms += ran.report.wall_ms;
            if pipelined {
                let likely = verdict_from_report(&ran.report).unwrap_or(Verdict::AC);
                if let Some(next) = grader.next_if(position, likely) {
                    sandbox.request(next).await?;
                    pending = Some(next);
                }
            }
            Some(ran)
        };
        let step = Instant::now();
        let checked = sandbox.judge(position, ran).await?;
        timings.check_us += step.elapsed().as_micros() as u64;
        timings.tests_run += checked.extra_runs;
        timings.tests_wall_ms += checked.extra_wall_ms;
        grader.record(position, checked.verdict, checked.score)?;
        let mut result = checked.result;
        result.verdict = checked.verdict;
        result.score = if grading.scoring {
            grader.case_score(position)
        } else {
            None
        };
        let state = progress.state();
        state.push_result(result);
        if let Some(output) = checked.run_output {
            state.run_output = Some(output);
        }
        if grading.scoring {
            state.groups = grader.groups();
        }
        progress.publish(EventKind::TestFinished).await;
    }
    let graded = grader.graded()?;
    if grading.scoring {
        let state = progress.state();
        state.groups = grader.groups();
        state.score = graded.score;
    }
    Ok(graded.verdict)
}

/// The production [`TestSandbox`]: the submission's runner and a checker.
pub struct DockerTests<'a> {
    pub run: TestRun<'a>,
    pub checker: &'a mut Checker,
    /// How test inputs reach the sandbox (all at once, or one per run).
    pub inputs: Staging,
}

impl TestSandbox for DockerTests<'_> {
    fn pipelined(&self) -> bool {
        self.inputs.is_eager() && self.checker.pipelined(self.run.problem)
    }

    fn runs_itself(&self) -> bool {
        self.checker.runs_itself()
    }

    async fn request(&mut self, position: usize) -> Result<(), String> {
        let run = &mut self.run;
        self.inputs.stage(run.runner, run.problem, position).await?;
        run.runner
            .request_run(
                run.argv.clone(),
                run.env.clone(),
                test_input(position + 1),
                run.limits.clone(),
            )
            .await
            .map_err(|e| e.to_string())
    }

    async fn report(&mut self, _position: usize) -> Result<Ran, String> {
        let (report, stdout) = (self.run.runner)
            .run_report(self.run.limits.output_bytes)
            .await
            .map_err(|e| e.to_string())?;
        Ok(Ran { report, stdout })
    }

    async fn judge(&mut self, position: usize, ran: Option<Ran>) -> Result<Checked, String> {
        let problem = self.run.problem;
        let seen = ran
            .as_ref()
            .filter(|_| case_detail::shown(problem, position))
            .map(case_detail::Seen::of);
        let mut checked = self.checker.judge(&mut self.run, position, ran).await?;
        if let Some(seen) = seen.filter(|_| checked.verdict != Verdict::AC) {
            checked.result.detail =
                case_detail::detail(problem, position, seen, checked.verdict).await;
        }
        Ok(checked)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_protocol::{Report, Termination};
    use problem_package::groups::{Group, Item, LegacySettings, Rules, Settings};
    use submission::{SubmissionRecord, TestResult};

    use crate::grader::ScoreFile;

    /// A scripted sandbox: each test's report and checked verdict, and a
    /// log of what the loop asked for.
    struct Scripted {
        pipelined: bool,
        /// Per test: the report's termination, the checker's verdict, its score file.
        script: Vec<(Termination, Verdict, ScoreFile)>,
        requested: Vec<usize>,
        log: Vec<String>,
        fault_at: Option<usize>,
    }

    fn report(termination: Termination) -> Report {
        Report {
            termination,
            exit_code: Some(0),
            signal: None,
            cpu_ms: 5,
            wall_ms: 7,
            memory_kb: 100,
            stdout_len: 0,
            stderr: String::new(),
        }
    }

    impl TestSandbox for Scripted {
        fn pipelined(&self) -> bool {
            self.pipelined
        }
        fn runs_itself(&self) -> bool {
            false
        }
        async fn request(&mut self, position: usize) -> Result<(), String> {
            self.log.push(format!("run {}", position + 1));
            self.requested.push(position);
            Ok(())
        }
        async fn report(&mut self, position: usize) -> Result<Ran, String> {
            assert_eq!(
                self.requested.first(),
                Some(&position),
                "reports come in request order"
            );
            self.requested.remove(0);
            self.log.push(format!("report {}", position + 1));
            Ok(Ran {
                report: report(self.script[position].0),
                stdout: Vec::new(),
            })
        }
        async fn judge(&mut self, position: usize, ran: Option<Ran>) -> Result<Checked, String> {
            self.log.push(format!("check {}", position + 1));
            if self.fault_at == Some(position) {
                return Err("the validator crashed".into());
            }
            let (_, verdict, score) = self.script[position];
            let ran = ran.expect("a run");
            let verdict = verdict_from_report(&ran.report).unwrap_or(verdict);
            Ok(Checked {
                verdict,
                result: TestResult {
                    index: position + 1,
                    name: format!("secret/{}", position + 1),
                    verdict,
                    time_ms: ran.report.cpu_ms,
                    wall_ms: ran.report.wall_ms,
                    memory_kb: ran.report.memory_kb,
                    exit_code: None,
                    signal: None,
                    message: None,
                    score: None,
                    detail: None,
                },
                score,
                run_output: None,
                extra_runs: 0,
                extra_wall_ms: 0,
            })
        }
    }

    struct Recorder {
        state: SubmissionState,
        events: Vec<(EventKind, usize)>,
    }

    impl Progress for Recorder {
        fn state(&mut self) -> &mut SubmissionState {
            &mut self.state
        }
        async fn publish(&mut self, kind: EventKind) {
            self.events.push((kind, self.state.results.len()));
        }
    }

    fn recorder(tests: usize) -> Recorder {
        let record = SubmissionRecord {
            id: "s".into(),
            user_id: "u".into(),
            problem_id: "p".into(),
            problem_version: "v".into(),
            language: "cpp".into(),
            code: String::new(),
            files: Vec::new(),
            entry_point: None,
            created_at_ms: 0,
            contest_id: None,
            team_id: None,
        };
        Recorder {
            state: SubmissionState::queued(&record, tests),
            events: Vec::new(),
        }
    }

    fn scripted(pipelined: bool, script: &[(Termination, Verdict)]) -> Scripted {
        Scripted {
            pipelined,
            script: script
                .iter()
                .map(|(t, v)| (*t, *v, ScoreFile::None))
                .collect(),
            requested: Vec::new(),
            log: Vec::new(),
            fault_at: None,
        }
    }

    async fn judge(
        sandbox: &mut Scripted,
        grading: &Grading,
    ) -> (Result<Verdict, String>, Recorder) {
        let mut progress = recorder(sandbox.script.len());
        let verdict = run_tests(
            sandbox,
            grading,
            sandbox.script.len(),
            &mut progress,
            &mut LoopTimings::default(),
        )
        .await;
        (verdict, progress)
    }

    use Termination::{CpuLimit, Exited};
    use Verdict::{AC, TLE, WA};

    #[tokio::test]
    async fn a_pass_fail_problem_runs_ahead_and_stops_at_the_first_failure() {
        let grading = Grading::pass_fail(3);
        let mut sandbox = scripted(true, &[(Exited, AC), (Exited, WA), (Exited, AC)]);
        let (verdict, progress) = judge(&mut sandbox, &grading).await;
        assert_eq!(verdict, Ok(WA));
        // Test 3 was asked for before test 2 was checked, and abandoned.
        assert_eq!(
            sandbox.log,
            ["run 1", "report 1", "run 2", "check 1", "report 2", "run 3", "check 2"]
        );
        assert_eq!(progress.state.results.len(), 2);
        assert!(progress.state.groups.is_empty() && progress.state.score.is_none());
        let kinds: Vec<EventKind> = progress.events.iter().map(|e| e.0).collect();
        assert_eq!(
            kinds,
            [
                EventKind::Running,
                EventKind::TestFinished,
                EventKind::TestFinished
            ]
        );
        // A report that is a verdict by itself asks for nothing more.
        let mut sandbox = scripted(true, &[(CpuLimit, AC), (Exited, AC)]);
        assert_eq!(judge(&mut sandbox, &grading).await.0, Ok(TLE));
        assert_eq!(sandbox.log, ["run 1", "report 1", "check 1"]);
        // Not pipelined (multi-pass): one run at a time.
        let mut sandbox = scripted(false, &[(Exited, AC), (Exited, AC)]);
        let grading = Grading::pass_fail(2);
        assert_eq!(judge(&mut sandbox, &grading).await.0, Ok(AC));
        assert_eq!(
            sandbox.log,
            ["run 1", "report 1", "check 1", "run 2", "report 2", "check 2"]
        );
    }

    /// data → sample [0] (break), secret (continue) → a [1, 2] (break), b [3]
    fn legacy_scoring() -> Grading {
        let cont = LegacySettings {
            on_reject_continue: true,
            ..LegacySettings::default()
        };
        let group = |name: &str, s: LegacySettings, items: Vec<Item>| Group {
            name: name.into(),
            items,
            settings: Settings::Legacy(s),
        };
        Grading {
            rules: Rules::Legacy,
            scoring: true,
            minimize: false,
            validator_scores: true,
            groups: vec![
                group(
                    "data",
                    LegacySettings {
                        ignore_sample: true,
                        ..cont.clone()
                    },
                    vec![Item::Group(1), Item::Group(2)],
                ),
                group("sample", LegacySettings::default(), vec![Item::Case(0)]),
                group(
                    "secret",
                    LegacySettings {
                        accept_if_any_accepted: true,
                        ..cont
                    },
                    vec![Item::Group(3), Item::Group(4)],
                ),
                group(
                    "secret/a",
                    LegacySettings::default(),
                    vec![Item::Case(1), Item::Case(2)],
                ),
                group("secret/b", LegacySettings::default(), vec![Item::Case(3)]),
            ],
        }
    }

    #[tokio::test]
    async fn a_missed_guess_is_read_and_dropped_and_scores_reach_the_state() {
        let grading = legacy_scoring();
        let mut sandbox = scripted(
            true,
            &[(Exited, AC), (Exited, WA), (Exited, AC), (Exited, AC)],
        );
        sandbox.script[3].2 = ScoreFile::Score(30.0);
        let (verdict, progress) = judge(&mut sandbox, &grading).await;
        assert_eq!(verdict, Ok(AC));
        // Test 3 was guessed after test 2's report; test 2 failed and a
        // breaks, so test 3's run was read and dropped for test 4.
        assert_eq!(
            sandbox.log,
            [
                "run 1", "report 1", "run 2", "check 1", "report 2", "run 3", "check 2",
                "report 3", "run 4", "report 4", "check 4"
            ]
        );
        let state = &progress.state;
        assert_eq!(
            state.results.iter().map(|r| r.index).collect::<Vec<_>>(),
            [1, 2, 4]
        );
        assert_eq!(state.results[2].score, Some(30.0));
        assert_eq!(state.score, Some(30.0));
        let a = state.groups.iter().find(|g| g.name == "secret/a").unwrap();
        assert_eq!(
            (a.verdict, a.score, a.passed, a.total),
            (Some(WA), Some(0.0), 0, 2)
        );
        assert_eq!(state.groups.len(), 4);
    }

    #[tokio::test]
    async fn a_checker_fault_or_a_broken_score_rule_is_a_judge_error() {
        let grading = Grading::pass_fail(2);
        let mut sandbox = scripted(true, &[(Exited, AC), (Exited, AC)]);
        sandbox.fault_at = Some(1);
        let (verdict, progress) = judge(&mut sandbox, &grading).await;
        assert_eq!(verdict, Err("the validator crashed".into()));
        assert_eq!(progress.state.results.len(), 1);
        let mut grading = legacy_scoring();
        grading.rules = Rules::Legacy;
        let mut sandbox = scripted(
            true,
            &[(Exited, AC), (Exited, AC), (Exited, AC), (Exited, AC)],
        );
        sandbox.script[1].2 = ScoreFile::Multiplier(0.5);
        let (verdict, _) = judge(&mut sandbox, &grading).await;
        assert!(verdict.unwrap_err().contains("score_multiplier"));
    }
}
