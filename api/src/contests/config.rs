//! The configuration objects a contest's log starts with, and the checks
//! every write of them shares: the judge's problems behind a contest's, its
//! languages, and keeping the hidden-until times of its problems current.

use contest::api::{Language, Problem};
use judge_store::contest::registry;
use judge_store::store;
use problem_package::problem::ProblemSummary;

use crate::error::ApiError;
use crate::state::timed;

/// The judge's languages as Contest API objects.
pub fn judge_languages() -> Vec<Language> {
    problem_package::language::LANGUAGES
        .iter()
        .map(|l| Language {
            id: l.id.into(),
            name: l.name.into(),
            entry_point_required: false,
            entry_point_name: None,
            extensions: l.extensions.iter().map(|e| e.to_string()).collect(),
            compiler: None,
            runner: None,
        })
        .collect()
}

/// Fills what the judge knows of a problem: its limits and test count.
pub fn fill_problem(p: &mut Problem, summary: &ProblemSummary) {
    p.time_limit = Some(summary.time_limit_ms as f64 / 1000.0);
    p.memory_limit = Some(summary.memory_mb * 1024 * 1024);
    p.test_data_count = summary.tests as u32;
    if p.name.is_empty() {
        p.name = summary.name.clone();
    }
    if summary.scoring {
        p.max_score = summary.max_score;
    }
}

/// The judge's current version of each problem id; 422 naming every id the
/// judge does not have.
pub async fn judge_problems(
    conn: &mut judge_store::connect::Connection,
    ids: &[String],
) -> Result<Vec<ProblemSummary>, ApiError> {
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for id in ids {
        match timed(store::current_problem(conn, id)).await? {
            Some(s) => found.push(s),
            None => missing.push(id.clone()),
        }
    }
    if !missing.is_empty() {
        return Err(ApiError::InvalidField {
            field: "problems",
            message: format!(
                "not on the judge: {} (add them first with `judge problem add`)",
                missing.join(", ")
            ),
        });
    }
    Ok(found)
}

/// Hides the contest's problems from non-admins until its start (and
/// forgets `removed` ones).
pub async fn hide_until_start(
    conn: &mut judge_store::connect::Connection,
    contest: &contest::api::Contest,
    problems: &[String],
    removed: &[String],
) -> Result<(), ApiError> {
    let start = contest.start_time.map(|t| t.unix_millis());
    timed(registry::set_problem_starts(
        conn,
        &contest.id,
        problems,
        removed,
        start,
    ))
    .await
}
