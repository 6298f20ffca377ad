//! The package's output validator, in a sandbox of its own created at the
//! first output to check. A multi-pass test runs pass after pass while the
//! validator asks for another, each within the limits; its shown time and
//! memory are the largest of its passes.

use std::sync::Arc;

use super::outcome::{Checked, Ran};
use super::test_run::TestRun;
use crate::feedback::PassOutcome;
use crate::validator::compiled::CompiledValidator;
use crate::validator::run::{tar_of, ValidatorSandbox};
use crate::verdict::{slowest_of, test_result, verdict_from_report};

pub struct Custom {
    compiled: Arc<CompiledValidator>,
    sandbox: Option<ValidatorSandbox>,
}

impl Custom {
    pub fn new(compiled: Arc<CompiledValidator>) -> Custom {
        Custom {
            compiled,
            sandbox: None,
        }
    }

    pub async fn check(
        &mut self,
        run: &mut TestRun<'_>,
        position: usize,
        ran: Ran,
    ) -> Result<Checked, String> {
        let problem = run.problem;
        let test = &problem.tests[position];
        let index = position + 1;
        if self.sandbox.is_none() {
            let created =
                ValidatorSandbox::create(run.worker, self.compiled.clone(), run.submission_id)
                    .await
                    .map_err(|e| format!("could not start the output validator's sandbox: {e}"))?;
            self.sandbox = Some(created);
        }
        let checking = self.sandbox.as_mut().expect("created above");
        let mut report = ran.report;
        let mut stdout = ran.stdout;
        let mut pass = 1;
        let mut pass_input: Option<Vec<u8>> = None;
        let mut extra_runs = 0;
        let mut extra_wall_ms = 0;
        let (verdict, judgement) = loop {
            let judgement = checking
                .check(problem, test, &stdout, pass, pass_input.as_deref())
                .await?;
            let next = match &judgement.outcome {
                PassOutcome::Final(verdict) => break (*verdict, Some(judgement)),
                PassOutcome::Next(next) => next.clone(),
            };
            pass += 1;
            let name = pass_input_name(index, pass);
            let tar = tar_of(&[(format!("tests/{name}"), next.as_slice(), false)])
                .map_err(|e| e.to_string())?;
            let fault = |e: crate::sandbox::error::SandboxError| format!("test {}: {e}", test.name);
            run.runner.upload(&tar).await.map_err(fault)?;
            let (again, out) = run
                .runner
                .run(run.argv.clone(), run.env.clone(), name, run.limits.clone())
                .await
                .map_err(fault)?;
            extra_runs += 1;
            extra_wall_ms += again.wall_ms;
            report = slowest_of(Some(report), again);
            if let Some(verdict) = verdict_from_report(&report) {
                break (verdict, None);
            }
            stdout = out;
            pass_input = Some(next);
        };
        let mut result = test_result(index, test, &report, verdict, None);
        let mut checked = Checked::new(result.clone());
        if let Some(judgement) = judgement {
            if judgement.team_message.is_some() {
                result.message = judgement.team_message;
            }
            checked.score = judgement.score;
        }
        checked.result = result;
        checked.extra_runs = extra_runs;
        checked.extra_wall_ms = extra_wall_ms;
        Ok(checked)
    }

    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.close().await;
        }
    }
}

/// The input of pass `pass` (2 and later) of the `index`-th test: the
/// validator's `nextpass.in`, uploaded when it asks for that pass.
fn pass_input_name(index: usize, pass: u32) -> String {
    format!("{index}.pass{pass}.in")
}
