//! The Contest API objects of a judge submission: the `submissions` entry
//! written with the submission, and the `judgements` and `runs` entries of
//! its final verdict. Contest times are counted from the contest's start as
//! stored when they are written; readers recount them from the absolute
//! times if the start moves (see [`contest::replay::Replay`]).

use contest::api::{Judgement, Run, Submission};
use contest::judgement::judgement_type_for_verdict;
use contest::{AbsTime, RelTime};
use sha2::{Digest, Sha256};
use submission::{SubmissionRecord, SubmissionState};

fn abs(ms: u64) -> AbsTime {
    AbsTime::from_unix_millis(ms as i64).unwrap_or_else(AbsTime::now)
}

fn rel(t: AbsTime, start: Option<AbsTime>) -> RelTime {
    start.map(|s| t.since(s)).unwrap_or_default()
}

/// The `submissions` object of a contest submission.
pub fn submission_object(record: &SubmissionRecord, start: Option<AbsTime>) -> Submission {
    let time = abs(record.created_at_ms);
    Submission {
        id: record.id.clone().into(),
        language_id: record.language.clone().into(),
        problem_id: record.problem_id.clone().into(),
        team_id: record.team_id.clone().unwrap_or_default().into(),
        account_id: None,
        time,
        contest_time: rel(time, start),
        entry_point: record.entry_point.clone(),
        // The sources are not served through the Contest API.
        files: Vec::new(),
        reaction: None,
    }
}

/// The id of a submission's judgement made at state `seq`: distinct for
/// each rejudge, a valid Contest API id (at most 36 characters).
pub fn judgement_id(submission_id: &str, seq: u64) -> String {
    let digest = Sha256::digest(format!("{submission_id}/{seq}").as_bytes());
    format!("j{}", &hex::encode(digest)[..20])
}

/// The `judgements` object and the `runs` of a final state (`None` when the
/// state is not final or its verdict has no judgement type).
pub fn judgement_objects(
    state: &SubmissionState,
    start: Option<AbsTime>,
) -> Option<(Judgement, Vec<Run>)> {
    if !state.is_final() {
        return None;
    }
    let verdict = state.verdict?;
    let jt = judgement_type_for_verdict(&verdict.to_string())?;
    let id = judgement_id(&state.id, state.seq);
    let start_time = abs(state.created_at_ms);
    let end_time = abs(state.finished_at_ms.unwrap_or(state.created_at_ms));
    let judgement = Judgement {
        id: id.clone(),
        submission_id: state.id.clone().into(),
        judgement_type_id: Some(jt),
        simplified_judgement_type_id: None,
        score: state.score,
        current: Some(true),
        start_time,
        start_contest_time: rel(start_time, start),
        end_time: Some(end_time),
        end_contest_time: Some(rel(end_time, start)),
        max_run_time: Some(state.time_ms as f64 / 1000.0),
    };
    let runs = state
        .results
        .iter()
        .filter_map(|r| {
            Some(Run {
                id: format!("{id}-{}", r.index),
                judgement_id: id.clone(),
                ordinal: r.index as u32,
                judgement_type_id: judgement_type_for_verdict(&r.verdict.to_string())?,
                // Per-test times are not kept: a run is dated with its judgement's end.
                time: end_time,
                contest_time: rel(end_time, start),
                run_time: Some(r.time_ms as f64 / 1000.0),
            })
        })
        .collect();
    Some((judgement, runs))
}
