//! What a checker may need about the submission's sandbox and the problem,
//! for one judging ([`TestRun`]).

use judge_protocol::Limits;
use problem_package::problem::Problem;

use crate::sandbox::runner_session::RunnerSession;
use crate::worker::Worker;

/// Everything a checker may need about the submission's sandbox and the
/// problem, for one judging.
pub struct TestRun<'a> {
    pub worker: &'a Worker,
    pub runner: &'a mut RunnerSession,
    pub problem: &'a Problem,
    pub argv: Vec<String>,
    pub env: Vec<(String, String)>,
    pub limits: Limits,
    pub submission_id: &'a str,
}
