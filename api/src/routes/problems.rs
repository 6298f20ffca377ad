//! Problems: the list (with the caller's best result on each), one
//! problem's current version, and a function problem's starter code in a
//! language. Public: no sign-in needed to read them.

use api_types::{BestResult, ErrorBody, ProblemDetail, ProblemListEntry, Stub};
use axum::extract::{Path, RawQuery, State};
use axum::Json;
use judge_store::auth::{is_valid_user_id, USER_ID_RULE};
use judge_store::store;
use problem_package::function;
use problem_package::problem::{self, ProblemSummary};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// Every problem; with a known caller, each with `best`: the caller's best
/// result on it (`null` if none). `?user=ID` asks for another user's (an
/// admin's right; anyone's in open mode).
#[utoipa::path(get, path = "/api/problems", tag = "problems",
    params(("user" = Option<String>, Query, description = "whose best results to show: the caller's own, anyone's for an admin (or in open mode); without it, the caller's")),
    responses(
        (status = 200, description = "every problem's current version", body = Vec<ProblemListEntry>),
        (status = 401, description = "?user= with no token (JUDGE_AUTH=required) or an unknown token", body = ErrorBody),
        (status = 403, description = "?user= names another user", body = ErrorBody),
        (status = 422, description = "invalid user (field user)", body = ErrorBody),
    ))]
pub(crate) async fn list_problems(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Vec<ProblemListEntry>>, ApiError> {
    let user = best_user(query.as_deref(), caller)?;
    let mut conn = app.conn().await?;
    let problems = timed(store::list_problems(&mut conn)).await?;
    let bests = match &user {
        Some(user) => Some(timed(store::user_bests(&mut conn, user)).await?),
        None => None,
    };
    Ok(Json(
        problems
            .into_iter()
            .map(|p| ProblemListEntry {
                best: bests
                    .as_ref()
                    .map(|bests| bests.get(&p.id).map(best_result)),
                id: p.id,
                max_score: p.max_score,
                memory_mb: p.memory_mb,
                name: p.name,
                scoring: p.scoring,
                tests: p.tests,
                time_limit_ms: p.time_limit_ms,
                validation: p.validation,
                version: p.version,
            })
            .collect(),
    ))
}

/// Whose best results the problem list shows: `?user=` if the caller may
/// see that user's results, else the caller's own. Missing or unknown
/// credentials without `?user=` are no error here: the list is public, and a
/// page holding a stale token must still show it, just without results.
fn best_user(
    query: Option<&str>,
    caller: Result<Caller, ApiError>,
) -> Result<Option<String>, ApiError> {
    let asked = query.and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("user="))
            .map(str::to_string)
    });
    let Some(user) = asked else {
        return Ok(caller.ok().and_then(|c| c.user_id().map(str::to_string)));
    };
    if !is_valid_user_id(&user) {
        return Err(ApiError::InvalidField {
            field: "user",
            message: format!("user must be {USER_ID_RULE}"),
        });
    }
    caller?.may_see(&user, "this user's results")?;
    Ok(Some(user))
}

/// A best result as the API shows it (without the store's ranking fields).
fn best_result(best: &judge_store::best::Best) -> BestResult {
    BestResult {
        max_score: best.max_score,
        score: best.score,
        solved: best.solved,
        submission_id: best.submission_id.clone(),
        verdict: best.verdict,
    }
}

/// `GET /api/problems/{id}`: the problem's current version; a function
/// problem's also has `function_languages`, the ids of the languages with a
/// harness, so the editor offers only those (another is refused with 422).
#[utoipa::path(get, path = "/api/problems/{id}", tag = "problems",
    params(("id" = String, Path, description = "problem id")),
    responses(
        (status = 200, description = "the problem's current version: limits, statement, samples", body = ProblemDetail),
        (status = 404, description = "unknown problem", body = ErrorBody),
    ))]
pub(crate) async fn get_problem(
    State(app): State<AppState>,
    Path(id): Path<String>,
) -> Result<Json<ProblemDetail>, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = app.conn().await?;
    let summary = timed(store::current_problem(&mut conn, &id))
        .await?
        .ok_or(ApiError::UnknownProblem(id))?;
    Ok(Json(problem_detail(summary)))
}

/// A problem as the API shows it: its summary, plus `function_languages`
/// for a function problem (beside `function`, whose fields are exactly
/// `function.yaml`'s).
fn problem_detail(summary: ProblemSummary) -> ProblemDetail {
    let function_languages = summary.function.is_some().then(|| {
        problem_package::language::LANGUAGES
            .iter()
            .map(|l| l.id)
            .filter(|id| function::supports(id))
            .map(str::to_string)
            .collect()
    });
    ProblemDetail {
        summary,
        function_languages,
    }
}

/// `GET /api/problems/{id}/stub/{language}`: the starter code the editor
/// shows for a function problem (404 for an unknown or stdin/stdout
/// problem, 422 naming `language` for one without a harness).
#[utoipa::path(get, path = "/api/problems/{id}/stub/{language}", tag = "problems",
    params(
        ("id" = String, Path, description = "problem id"),
        ("language" = String, Path, description = "a language id"),
    ),
    responses(
        (status = 200, description = "the starter code the editor shows first", body = Stub),
        (status = 404, description = "unknown problem, or not a function problem (field problem_id)", body = ErrorBody),
        (status = 422, description = "an unknown language, or one without a harness (field language)", body = ErrorBody),
    ))]
pub(crate) async fn stub(
    State(app): State<AppState>,
    Path((id, language)): Path<(String, String)>,
) -> Result<Json<Stub>, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = app.conn().await?;
    let summary = timed(store::current_problem(&mut conn, &id))
        .await?
        .ok_or_else(|| ApiError::UnknownProblem(id.clone()))?;
    let Some(spec) = &summary.function else {
        return Err(ApiError::NotAFunctionProblem(id));
    };
    if problem_package::language::by_id(&language).is_none() {
        return Err(ApiError::UnknownLanguage(language));
    }
    let code = function::starter::stub(spec, &language).map_err(|e| ApiError::InvalidField {
        field: "language",
        message: e.to_string(),
    })?;
    Ok(Json(Stub { code, language }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{json, Value};

    fn summary(function: Value) -> ProblemSummary {
        serde_json::from_value(json!({
            "id": "two-sum", "name": "Two Sum", "version": "ab12", "time_limit_ms": 1000,
            "memory_mb": 256, "output_mb": 8, "validation": "default", "tests": 1,
            "statement": null, "samples": [], "function": function
        }))
        .unwrap()
    }

    #[test]
    fn a_function_problem_names_the_languages_with_a_harness() {
        let value = serde_json::to_value(problem_detail(summary(
            json!({"name": "f", "params": [], "returns": "int"}),
        )))
        .unwrap();
        let languages = value["function_languages"].as_array().unwrap();
        for id in [
            "cpp",
            "python3",
            "c",
            "haskell",
            "typescript",
            "csharp",
            "ruby",
        ] {
            assert!(languages.contains(&json!(id)), "{value}");
        }
        assert!(languages
            .iter()
            .all(|l| function::supports(l.as_str().unwrap())));
        assert_eq!(value["function"]["name"], "f");
        let plain = serde_json::to_value(problem_detail(summary(Value::Null))).unwrap();
        assert!(plain.get("function_languages").is_none(), "{plain}");
        assert_eq!(plain["id"], "two-sum");
    }
}
