//! A user's best result per problem, for the problem list.
//!
//! Kept by the script that stores a final state ([`crate::store::publish_state`]),
//! so it changes exactly when a verdict does. Two hashes per user:
//!
//! - [`crate::keys::user_problem_results`]: submission id -> [`Best`] of that
//!   submission's latest final state (one field per submission, overwritten
//!   by a rejudge);
//! - [`crate::keys::user_bests`]: problem id -> the best of those entries.
//!
//! The best is recomputed from the first hash each time, not kept as a
//! running maximum: a rejudge that lowers a submission's score (new tests, a
//! fixed validator) must lower the user's best too, or the list would show a
//! score that no submission has any more. Recomputing reads one field per
//! submission the user made to that problem, a few dozen at most in practice.
//! While a rejudged submission waits for its new verdict, its old entry
//! stays, so the list keeps showing what it last showed.
//!
//! A judge error (IE) is not a result of the submission, so it leaves the
//! submission's previous entry (if any) in place. Custom runs and package
//! verification (user [`crate::keys::VERIFY_USER_ID`]) are no one's results.

use serde::{Deserialize, Serialize};

use submission::{SubmissionState, Verdict};

/// One submission's final result as the problem list compares it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Best {
    pub submission_id: String,
    pub verdict: Verdict,
    /// Accepted: for a scoring problem, every group passed.
    pub solved: bool,
    /// Points, for a scoring problem.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<f64>,
    /// The most points the problem version gave.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max_score: Option<f64>,
    /// What the script compares: the score, or 1 / 0 for solved / not.
    pub rank: f64,
    /// Ties go to the earliest submission, the one that reached it first
    /// (then the smaller id: UUIDv7, ordered by time).
    pub created_at_ms: u64,
}

impl Best {
    /// The entry a final state contributes, or `None` if it contributes none
    /// (not final, a judge error, a custom run, a package check).
    pub fn of(state: &SubmissionState) -> Option<Best> {
        let verdict = state.verdict.filter(|_| state.is_final())?;
        if verdict == Verdict::IE
            || state.problem_id == submission::RUN_PROBLEM_ID
            || state.user_id == crate::keys::VERIFY_USER_ID
        {
            return None;
        }
        let solved = verdict == Verdict::AC;
        let (score, max_score) = scores(state);
        Some(Best {
            submission_id: state.id.clone(),
            verdict,
            solved,
            score,
            max_score,
            rank: score.unwrap_or(if solved { 1.0 } else { 0.0 }),
            created_at_ms: state.created_at_ms,
        })
    }
}

/// The state's score and the most it could have been, for a scoring problem
/// (a scoring submission that ended without a score, a compilation error
/// say, scored nothing).
fn scores(state: &SubmissionState) -> (Option<f64>, Option<f64>) {
    if state.is_scoring() || state.score.is_some() {
        (Some(state.score.unwrap_or(0.0)), state.max_score)
    } else {
        (None, None)
    }
}

/// Recomputes the best in the store's final-state script: `entries` are the
/// JSON [`Best`] values of one user's submissions to one problem. Returns
/// the chosen entry's JSON as stored (not re-encoded, so no float is
/// rounded by cjson). Lua, run inside [`crate::store::publish_state`].
pub const LUA_PICK_BEST: &str = r#"
local function pick_best(entries)
    local best, best_rank, best_at, best_id = nil, nil, nil, nil
    for _, raw in ipairs(entries) do
        local ok, e = pcall(cjson.decode, raw)
        if ok and type(e) == 'table' then
            local rank = tonumber(e.rank) or 0
            local at = tonumber(e.created_at_ms) or 0
            local id = tostring(e.submission_id)
            -- Ids are UUIDv7, ordered by time: they settle a tie within a millisecond.
            if best == nil or rank > best_rank
                or (rank == best_rank and (at < best_at or (at == best_at and id < best_id))) then
                best, best_rank, best_at, best_id = raw, rank, at, id
            end
        end
    end
    return best
end
"#;

#[cfg(test)]
mod tests {
    use super::*;
    use submission::{SubmissionRecord, SubmissionState};

    fn finished(verdict: Verdict) -> SubmissionState {
        let record = SubmissionRecord {
            id: "s1".into(),
            user_id: "ann".into(),
            problem_id: "hello".into(),
            problem_version: "v".into(),
            language: "cpp".into(),
            code: String::new(),
            files: vec![],
            entry_point: None,
            created_at_ms: 5,
            contest_id: None,
            team_id: None,
        };
        let mut state = SubmissionState::queued(&record, 3);
        state.finish(verdict, 9);
        state
    }

    #[test]
    fn pass_fail_ranks_solved_above_the_rest() {
        let ac = Best::of(&finished(Verdict::AC)).unwrap();
        assert!(ac.solved);
        assert_eq!(ac.rank, 1.0);
        let wa = Best::of(&finished(Verdict::WA)).unwrap();
        assert!(!wa.solved);
        assert_eq!(wa.rank, 0.0);
        assert_eq!(wa.created_at_ms, 5);
    }

    #[test]
    fn scoring_ranks_by_score_and_a_compile_error_scores_nothing() {
        let mut partial = finished(Verdict::WA);
        partial.score = Some(40.0);
        partial.max_score = Some(100.0);
        partial.groups = vec![submission::GroupResult {
            name: "secret/g1".into(),
            tests: vec![1],
            max_score: Some(40.0),
            score: Some(40.0),
            verdict: Some(Verdict::AC),
            passed: 1,
            total: 1,
            message: None,
        }];
        let best = Best::of(&partial).unwrap();
        assert_eq!(
            (best.score, best.max_score, best.rank),
            (Some(40.0), Some(100.0), 40.0)
        );
        assert!(!best.solved);
        let mut ce = partial.clone();
        ce.verdict = Some(Verdict::CE);
        ce.score = None;
        assert_eq!(Best::of(&ce).unwrap().score, Some(0.0));
    }

    #[test]
    fn judge_errors_runs_and_checks_are_no_ones_result() {
        assert!(Best::of(&finished(Verdict::IE)).is_none());
        let mut run = finished(Verdict::AC);
        run.problem_id = submission::RUN_PROBLEM_ID.into();
        assert!(Best::of(&run).is_none());
        let mut check = finished(Verdict::AC);
        check.user_id = crate::keys::VERIFY_USER_ID.into();
        assert!(Best::of(&check).is_none());
        let mut running = finished(Verdict::AC);
        running.status = submission::Status::Running;
        assert!(Best::of(&running).is_none());
    }
}
