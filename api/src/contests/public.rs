//! The contest routes anyone may read: the list, one contest (problems A-Z
//! once it has started, with a participant's results), the scoreboard
//! (admins see through the freeze), registration, clarifications.

use api_types::{
    AskClarification, ContestDetail, ContestSummary, ErrorBody, Registered, ScoreboardView,
};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use contest::api::{Account, AccountType, Clarification, Team};
use contest::ids::is_valid_id;
use contest::AbsTime;
use judge_store::contest::log::{self, Append};
use judge_store::contest::{registry, snapshot};

use crate::auth::Caller;
use crate::contests::cache::Contests;
use crate::contests::caller::ContestCaller;
use crate::contests::view;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The contests, latest start first.
#[utoipa::path(get, path = "/api/contests", tag = "contests",
    responses((status = 200, description = "every contest: times, rules, phase, frozen", body = Vec<ContestSummary>)))]
pub(crate) async fn list(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
) -> Result<Json<Vec<ContestSummary>>, ApiError> {
    let mut conn = app.conn().await?;
    let ids = timed(registry::contest_ids(&mut conn)).await?;
    drop(conn);
    let now = AbsTime::now();
    let mut out = Vec::new();
    for id in ids {
        let r = contests.current(&app, &id).await?;
        out.extend(view::summary(&r, now));
    }
    out.sort_by(|a, b| b.start_time.cmp(&a.start_time).then(a.id.cmp(&b.id)));
    Ok(Json(out))
}

/// One contest: its problems A-Z once it has started (admins always), with
/// a participant's results per problem and `team`.
#[utoipa::path(get, path = "/api/contests/{id}", tag = "contests",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the contest", body = ContestDetail),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn get(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<ContestDetail>, ApiError> {
    let who = ContestCaller::of(&app, caller, &id).await?;
    let mut r = contests.current(&app, &id).await?;
    view::detail(&mut r, AbsTime::now(), who.admin, who.team_id.as_deref())
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("contest {id:?}")))
}

/// The Contest API scoreboard with team names and problem labels; admins
/// see through the freeze, a team sees its own results through it.
#[utoipa::path(get, path = "/api/contests/{id}/scoreboard", tag = "contests",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the board, public or admin view", body = ScoreboardView),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn scoreboard(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<ScoreboardView>, ApiError> {
    let who = ContestCaller::of(&app, caller, &id).await?;
    let mut r = contests.current(&app, &id).await?;
    view::scoreboard(&mut r, AbsTime::now(), who.audience())
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("contest {id:?}")))
}

/// `POST /api/contests/{id}/register`: the caller becomes a team of one
/// (LeetCode style), while the contest's registration is open.
#[utoipa::path(post, path = "/api/contests/{id}/register", tag = "contests",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 201, description = "the caller's new team", body = Registered),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "registration is closed, or the contest has ended", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
        (status = 409, description = "the caller is on a team already, or a team has their id", body = ErrorBody),
        (status = 422, description = "the user id is no contest team id", body = ErrorBody),
    ))]
pub(crate) async fn register(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Caller,
) -> Result<(StatusCode, Json<Registered>), ApiError> {
    let Some(user) = caller.user_id().map(str::to_string) else {
        return Err(ApiError::Unauthorized(
            "registering needs a signed-in user (or a bearer token)".into(),
        ));
    };
    let r = contests.current(&app, &id).await?;
    if !r.settings().registration_open {
        return Err(ApiError::Forbidden(format!(
            "registration for contest {id:?} is closed"
        )));
    }
    if r.state_at(AbsTime::now()).ended.is_some() {
        return Err(ApiError::Forbidden(format!("contest {id:?} has ended")));
    }
    let mut conn = app.conn().await?;
    if let Some(team) = timed(registry::team_of(&mut conn, &id, &user)).await? {
        return Err(ApiError::Conflict(format!(
            "you are on team {team:?} already"
        )));
    }
    if !is_valid_id(&user) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: "a contest team id is at most 36 of [A-Za-z0-9_.-]".into(),
        });
    }
    let team_id = if r.team(&user).is_some() {
        return Err(ApiError::Conflict(format!(
            "a team {user:?} exists already"
        )));
    } else {
        user.clone()
    };
    let team: Team = serde_json::from_value(serde_json::json!({
        "id": team_id, "name": user, "label": team_id,
    }))
    .map_err(|e| ApiError::Internal(e.to_string()))?;
    let account = Account {
        id: user.clone(),
        username: user.clone(),
        password: None,
        name: None,
        account_type: Some(AccountType::Team),
        ip: None,
        team_id: Some(team.id.clone()),
        person_id: None,
    };
    drop(r);
    if !timed(registry::add_member(&mut conn, &id, &user, &team_id)).await? {
        return Err(ApiError::Conflict("you are on a team already".into()));
    }
    timed(log::append_all(
        &mut conn,
        &id,
        &[
            Append::new("teams", &team_id, &team),
            Append::new("accounts", &user, &account),
        ],
    ))
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(Registered {
            contest_id: id,
            team_id,
        }),
    ))
}

/// Whether a team (or the public, `None`) may read a clarification.
pub fn may_read(c: &Clarification, team: Option<&str>) -> bool {
    match &c.from_team_id {
        Some(from) => team == Some(from.as_str()),
        None => match &c.to_team_ids {
            None => true,
            Some(to) => team.is_some_and(|t| to.iter().any(|x| x.as_str() == t)),
        },
    }
}

/// The clarifications the caller may read, oldest first.
pub async fn readable(
    app: &AppState,
    id: &str,
    who: &ContestCaller,
) -> Result<Vec<Clarification>, ApiError> {
    let mut conn = app.conn().await?;
    let all = timed(snapshot::objects(&mut conn, id, "clarifications")).await?;
    let mut out: Vec<Clarification> = all
        .iter()
        .filter_map(|(_, j)| serde_json::from_str(j).ok())
        .filter(|c| who.admin || may_read(c, who.team_id.as_deref()))
        .collect();
    out.sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));
    Ok(out)
}

/// The clarifications the caller may read (a team's own, the jury's to it
/// or to everyone; admins all), oldest first.
#[utoipa::path(get, path = "/api/contests/{id}/clarifications", tag = "contests",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the readable clarifications", body = Vec<Clarification>),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn list_clarifications(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Vec<Clarification>>, ApiError> {
    let who = ContestCaller::of(&app, caller, &id).await?;
    drop(contests.current(&app, &id).await?);
    Ok(Json(readable(&app, &id, &who).await?))
}

/// `POST /api/contests/{id}/clarifications`: a participant asks the jury,
/// while the contest runs.
#[utoipa::path(post, path = "/api/contests/{id}/clarifications", tag = "contests",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "contest id")),
    request_body = AskClarification,
    responses(
        (status = 201, description = "the question as stored", body = Clarification),
        (status = 401, description = "not signed in", body = ErrorBody),
        (status = 403, description = "the caller takes no part, or the contest is not running", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
        (status = 422, description = "not a question: empty text, unknown problem, malformed body", body = ErrorBody),
    ))]
pub(crate) async fn ask(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Caller,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Clarification>), ApiError> {
    let who = ContestCaller::of(&app, Ok(caller), &id).await?;
    let Some(team) = who.team_id.clone() else {
        return Err(ApiError::Forbidden(format!(
            "you take no part in contest {id:?}"
        )));
    };
    let input: AskClarification =
        serde_json::from_slice(&body).map_err(|e| ApiError::InvalidField {
            field: "body",
            message: e.to_string(),
        })?;
    if input.text.trim().is_empty() {
        return Err(ApiError::InvalidField {
            field: "text",
            message: "text must not be empty".into(),
        });
    }
    let r = contests.current(&app, &id).await?;
    let now = AbsTime::now();
    if !r.is_running(now) {
        return Err(ApiError::Forbidden(format!(
            "contest {id:?} is not running"
        )));
    }
    if let Some(p) = &input.problem_id {
        if !r.problems().iter().any(|q| q.id.as_str() == p) {
            return Err(ApiError::InvalidField {
                field: "problem_id",
                message: format!("no problem {p:?} in this contest"),
            });
        }
    }
    let clar = Clarification {
        id: uuid::Uuid::now_v7().simple().to_string(),
        from_team_id: Some(team.into()),
        to_team_ids: None,
        to_group_ids: None,
        reply_to_id: None,
        problem_id: input.problem_id.map(Into::into),
        text: input.text,
        time: now,
        contest_time: r.contest_time(now),
    };
    drop(r);
    let mut conn = app.conn().await?;
    timed(log::append_all(
        &mut conn,
        &id,
        &[Append::new("clarifications", &clar.id, &clar)],
    ))
    .await?;
    Ok((StatusCode::CREATED, Json(clar)))
}
