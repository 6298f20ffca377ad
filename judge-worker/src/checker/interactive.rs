//! An interactive problem's tests: the submission and the validator run in
//! two sandboxes with their standard streams relayed ([`crate::interactive`]);
//! the validator's sandbox is created at the first test.

use std::sync::Arc;

use super::outcome::Checked;
use super::test_run::TestRun;
use crate::validator::compiled::CompiledValidator;
use crate::validator::run::ValidatorSandbox;

pub struct Interactive {
    compiled: Arc<CompiledValidator>,
    sandbox: Option<ValidatorSandbox>,
}

impl Interactive {
    pub fn new(compiled: Arc<CompiledValidator>) -> Interactive {
        Interactive {
            compiled,
            sandbox: None,
        }
    }

    pub async fn judge(
        &mut self,
        run: &mut TestRun<'_>,
        position: usize,
    ) -> Result<Checked, String> {
        let (verdict, result, score) = crate::interactive::judge_test(
            run.worker,
            run.runner,
            &mut self.sandbox,
            &self.compiled,
            run.problem,
            &run.problem.tests[position],
            position + 1,
            run.argv.clone(),
            run.env.clone(),
            run.limits.clone(),
            run.submission_id,
        )
        .await?;
        let mut checked = Checked::new(result);
        checked.verdict = verdict;
        checked.score = score;
        Ok(checked)
    }

    pub async fn close(self) {
        if let Some(sandbox) = self.sandbox {
            sandbox.close().await;
        }
    }
}
