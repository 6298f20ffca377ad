//! The Contest API objects of a judge submission: the `submissions` entry
//! written with the submission, and the `judgements` and `runs` entries of
//! its final verdict. Contest times are counted from the contest's start as
//! stored when they are written; readers recount them from the absolute
//! times if the start moves (see [`contest::replay::Replay`]).

use contest::api::{Judgement, Run, Submission};
use contest::judgement::judgement_type_for_verdict;
use contest::replay::GroupScores;
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

/// The scores of a scoring problem's test groups for `max-subtask` (`None`
/// for a problem without groups): the groups a submission's score is the
/// sum of, i.e. each top-level group (`sample`, `secret`), or its child
/// groups when it has some (`secret/1-small`, ...). A group that was not
/// graded (skipped after a rejection) scored 0.
pub fn group_scores(state: &SubmissionState) -> Option<GroupScores> {
    if state.groups.is_empty() {
        return None;
    }
    let has_children = |name: &str| {
        let prefix = format!("{name}/");
        state.groups.iter().any(|g| g.name.starts_with(&prefix))
    };
    let groups = state
        .groups
        .iter()
        .filter(|g| match g.name.split_once('/') {
            None => !has_children(&g.name),
            Some((_, rest)) => !rest.contains('/'),
        })
        .map(|g| (g.name.clone(), g.score.unwrap_or(0.0)))
        .collect();
    Some(GroupScores {
        submission_id: state.id.clone(),
        groups,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use submission::GroupResult;

    fn group(name: &str, score: Option<f64>) -> GroupResult {
        GroupResult {
            name: name.into(),
            tests: Vec::new(),
            max_score: None,
            score,
            verdict: None,
            passed: 0,
            total: 0,
            message: None,
        }
    }

    #[test]
    fn group_scores_are_the_children_of_top_level_groups() {
        let mut state: SubmissionState = serde_json::from_value(serde_json::json!({
            "id": "s1", "user_id": "u", "problem_id": "p", "language": "python3",
            "status": "finished", "tests_total": 0, "results": [], "time_ms": 0,
            "memory_kb": 0, "seq": 1, "created_at_ms": 0
        }))
        .unwrap();
        assert!(group_scores(&state).is_none(), "no groups: pass-fail");
        state.groups = vec![
            group("sample", None),
            group("secret", Some(70.0)),
            group("secret/1-small", Some(20.0)),
            group("secret/2-negative", None),
            group("secret/2-negative/deep", Some(3.0)),
            group("secret/3-big", Some(50.0)),
        ];
        let g = group_scores(&state).unwrap();
        assert_eq!(
            g.groups,
            vec![
                ("sample".to_string(), 0.0),
                ("secret/1-small".to_string(), 20.0),
                ("secret/2-negative".to_string(), 0.0),
                ("secret/3-big".to_string(), 50.0),
            ]
        );
    }
}
