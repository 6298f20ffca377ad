//! Which way a problem's outputs are checked ([`Checker`]), and judging one
//! test that way: a custom run is shown, a report that is a verdict by
//! itself needs no check, anything else goes to the problem's checker.

use std::sync::Arc;

use problem_package::problem::{Problem, ValidationKind};
use submission::Verdict;

use super::outcome::{Checked, Ran};
use super::test_run::TestRun;
use super::{custom, default, function, interactive};
use crate::custom_run;
use crate::validator::compiled::CompiledValidator;
use crate::verdict::{test_result, verdict_from_report};

/// How a problem's outputs are checked.
pub enum Checker {
    Default,
    Custom(custom::Custom),
    Interactive(interactive::Interactive),
    /// A function problem's returned value ([`function`]).
    Function(problem_package::function::FunctionSpec),
}

impl Checker {
    /// The checker of `problem`; `compiled` is its validator, built once
    /// per problem version ([`crate::validator`]).
    pub fn new(
        problem: &Problem,
        compiled: Option<Arc<CompiledValidator>>,
    ) -> Result<Checker, String> {
        match (&problem.validation, compiled) {
            (ValidationKind::Default, _) => Ok(match &problem.function {
                Some(spec) => Checker::Function(spec.clone()),
                None => Checker::Default,
            }),
            (ValidationKind::Custom, Some(c)) => Ok(Checker::Custom(custom::Custom::new(c))),
            (ValidationKind::Interactive, Some(c)) => {
                Ok(Checker::Interactive(interactive::Interactive::new(c)))
            }
            (_, None) => Err("the problem's output validator is not built".into()),
        }
    }

    /// Whether the next test's run may be sent before this one's output is
    /// checked: not when the checker runs the submission itself
    /// (interactive) or may run it again (multi-pass).
    pub fn pipelined(&self, problem: &Problem) -> bool {
        !matches!(self, Checker::Interactive(_)) && problem.validation_passes.is_none()
    }

    /// Whether the checker runs the submission itself (interactive).
    pub fn runs_itself(&self) -> bool {
        matches!(self, Checker::Interactive(_))
    }

    /// Judges test `position` (0-based); `ran` is its run unless the
    /// checker runs it itself. `Err` is a judge error, never a verdict.
    pub async fn judge(
        &mut self,
        run: &mut TestRun<'_>,
        position: usize,
        ran: Option<Ran>,
    ) -> Result<Checked, String> {
        let test = &run.problem.tests[position];
        let index = position + 1;
        let ran = match (&mut *self, ran) {
            (Checker::Interactive(c), _) => return c.judge(run, position).await,
            (_, None) => return Err(format!("test {}: no run to check", test.name)),
            (_, Some(ran)) => ran,
        };
        // A custom run is shown, not compared.
        if custom_run::is_run(run.problem) {
            let verdict = verdict_from_report(&ran.report).unwrap_or(Verdict::AC);
            let mut checked = Checked::new(test_result(index, test, &ran.report, verdict, None));
            checked.run_output = Some(custom_run::output(run.problem, &ran.report, &ran.stdout));
            return Ok(checked);
        }
        // A report that is a verdict by itself (TLE, RE, ...) needs no check.
        if let Some(verdict) = verdict_from_report(&ran.report) {
            return Ok(Checked::new(test_result(
                index,
                test,
                &ran.report,
                verdict,
                None,
            )));
        }
        match self {
            Checker::Default => default::check(run.problem, position, ran).await,
            Checker::Custom(c) => c.check(run, position, ran).await,
            Checker::Function(spec) => function::check(run.problem, spec, position, ran).await,
            Checker::Interactive(_) => unreachable!("handled above"),
        }
    }

    /// Removes the validator's sandbox, if one was made.
    pub async fn close(self) {
        match self {
            Checker::Default | Checker::Function(_) => {}
            Checker::Custom(c) => c.close().await,
            Checker::Interactive(c) => c.close().await,
        }
    }
}
