//! Which contest a new submission counts in. Asked for with `contest` in
//! `POST /api/submissions`, or inferred: a participant of exactly one
//! running contest with the problem submits to it. Before the start only
//! admins may see (and so submit to) a contest's problems; after the end a
//! submission is practice and never changes the board.

use contest::AbsTime;
use judge_store::contest::{registry, snapshot};

use crate::error::ApiError;
use crate::state::timed;

/// The contest and team a submission is stored with (both `None`: practice).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ContestEntry {
    pub contest_id: Option<String>,
    pub team_id: Option<String>,
}

enum Phase {
    Before,
    Running,
    After,
}

async fn phase(
    conn: &mut judge_store::connect::Connection,
    contest_id: &str,
    now: AbsTime,
) -> Result<Option<Phase>, ApiError> {
    let Some(c) = timed(snapshot::contest(conn, contest_id)).await? else {
        return Ok(None);
    };
    Ok(Some(match (c.start_time, c.end_time()) {
        (Some(s), Some(e)) if now >= s && now < e => Phase::Running,
        (Some(_), Some(e)) if now >= e => Phase::After,
        _ => Phase::Before,
    }))
}

async fn has_problem(
    conn: &mut judge_store::connect::Connection,
    contest_id: &str,
    problem_id: &str,
) -> Result<bool, ApiError> {
    Ok(
        timed(snapshot::object(conn, contest_id, "problems", problem_id))
            .await?
            .is_some(),
    )
}

/// The contest entry of a submission by `user_id` to `problem_id`; `asked`
/// is the request's `contest`. Errors name the field.
pub async fn for_submission(
    conn: &mut judge_store::connect::Connection,
    admin: bool,
    user_id: &str,
    problem_id: &str,
    asked: Option<&str>,
) -> Result<ContestEntry, ApiError> {
    let now = AbsTime::now();
    let hidden = timed(registry::is_hidden(conn, problem_id, now.unix_millis())).await?;
    if hidden && !admin {
        // As if it did not exist: a hidden problem is not to be learnt of.
        return Err(ApiError::UnknownProblem(problem_id.to_string()));
    }
    if let Some(contest_id) = asked {
        let invalid = |message: String| ApiError::InvalidField {
            field: "contest",
            message,
        };
        let Some(phase) = phase(conn, contest_id, now).await? else {
            return Err(invalid(format!("no contest {contest_id:?}")));
        };
        if !has_problem(conn, contest_id, problem_id).await? {
            return Err(ApiError::InvalidField {
                field: "problem_id",
                message: format!("problem {problem_id:?} is not in contest {contest_id:?}"),
            });
        }
        let team = timed(registry::team_of(conn, contest_id, user_id)).await?;
        return match (phase, team) {
            (Phase::After, _) => Ok(ContestEntry::default()),
            (_, None) => Err(ApiError::Forbidden(format!(
                "you take no part in contest {contest_id:?}"
            ))),
            (Phase::Before, Some(_)) => Err(ApiError::Forbidden(format!(
                "contest {contest_id:?} has not started"
            ))),
            (Phase::Running, Some(team)) => Ok(ContestEntry {
                contest_id: Some(contest_id.to_string()),
                team_id: Some(team),
            }),
        };
    }
    let mut running = Vec::new();
    for contest_id in timed(registry::contests_of_problem(conn, problem_id)).await? {
        let Some(team) = timed(registry::team_of(conn, &contest_id, user_id)).await? else {
            continue;
        };
        if matches!(phase(conn, &contest_id, now).await?, Some(Phase::Running)) {
            running.push((contest_id, team));
        }
    }
    match running.len() {
        0 => Ok(ContestEntry::default()),
        1 => {
            let (contest_id, team) = running.remove(0);
            Ok(ContestEntry {
                contest_id: Some(contest_id),
                team_id: Some(team),
            })
        }
        _ => Err(ApiError::InvalidField {
            field: "contest",
            message: format!(
                "you take part in several running contests with this problem ({}): name one",
                running
                    .iter()
                    .map(|(c, _)| c.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }),
    }
}
