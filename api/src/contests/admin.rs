//! An admin's changes to a contest: `PATCH /api/admin/contests/{id}`
//! (times, freeze, problems, penalty, rules, registration), the actions
//! `start`, `freeze`, `thaw` and `finalize`, teams, and the jury's
//! clarifications. Each writes log entries, with a compare-and-set on the
//! object it read so that two admins cannot lose each other's change.

use api_types::{AnswerClarification, ContestDetail, ContestPatch, ErrorBody, TeamInput, TeamRef};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::{Extension, Json};
use contest::api::{Account, AccountType, Clarification, Contest, Problem, Team};
use contest::ids::is_valid_id;
use contest::replay::{Replay, Settings, SETTINGS_TYPE};
use contest::{AbsTime, RelTime};
use judge_store::contest::log::{self, Append};
use judge_store::contest::{registry, snapshot};

use crate::auth::Admin;
use crate::contests::cache::Contests;
use crate::contests::config::{fill_problem, hide_until_start, judge_problems};
use crate::contests::view;
use crate::error::ApiError;
use crate::state::{timed, AppState};

fn field(field: &'static str, message: impl Into<String>) -> ApiError {
    ApiError::InvalidField {
        field,
        message: message.into(),
    }
}

fn reltime(name: &'static str, s: &str) -> Result<RelTime, ApiError> {
    s.parse()
        .map_err(|_| field(name, format!("{s:?} is not a RELTIME (h:mm:ss)")))
}

/// Appends `entries` if the snapshot's `check` object is still `expected`; 409 otherwise.
async fn write_if(
    app: &AppState,
    contest_id: &str,
    check: (&str, &str),
    expected: Option<&str>,
    entries: &[Append],
) -> Result<(), ApiError> {
    let mut conn = app.conn().await?;
    match timed(log::append_if(
        &mut conn, contest_id, check, expected, entries,
    ))
    .await?
    {
        Some(_) => Ok(()),
        None => Err(ApiError::Conflict(
            "the contest changed meanwhile; read it and try again".into(),
        )),
    }
}

async fn stored(app: &AppState, contest_id: &str, kind: &str) -> Result<Option<String>, ApiError> {
    let mut conn = app.conn().await?;
    timed(snapshot::object(&mut conn, contest_id, kind, contest_id)).await
}

async fn detail(
    app: &AppState,
    contests: &Contests,
    id: &str,
) -> Result<Json<ContestDetail>, ApiError> {
    let mut r = contests.current(app, id).await?;
    view::detail(&mut r, AbsTime::now(), true, None)
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("contest {id:?}")))
}

/// Changes a contest's times, problems, rules or registration.
#[utoipa::path(patch, path = "/api/admin/contests/{id}", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "contest id")),
    request_body = ContestPatch,
    responses(
        (status = 200, description = "the contest as an admin sees it now", body = ContestDetail),
        (status = 400, description = "malformed JSON", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
        (status = 409, description = "the contest changed meanwhile", body = ErrorBody),
        (status = 422, description = "an invalid field (times, labels, problems not on the judge, unknown fields)", body = ErrorBody),
    ))]
pub(crate) async fn patch_contest(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    _admin: Admin,
    body: axum::body::Bytes,
) -> Result<Json<ContestDetail>, ApiError> {
    let patch: ContestPatch = serde_json::from_slice(&body).map_err(|e| {
        if e.is_syntax() || e.is_eof() {
            ApiError::MalformedJson(e.to_string())
        } else {
            field("body", e.to_string())
        }
    })?;
    let (old_json, mut c, old_problems, settings) = {
        let r = contests.current(&app, &id).await?;
        let old = stored(&app, &id, "contest").await?;
        let problems: Vec<String> = r.problems().iter().map(|p| p.id.0.clone()).collect();
        (
            old,
            r.contest().cloned().expect("current() checked"),
            problems,
            r.settings().clone(),
        )
    };
    if let Some(n) = patch.name {
        c.name = n;
    }
    if let Some(n) = patch.formal_name {
        c.formal_name = Some(n);
    }
    if let Some(s) = patch.start_time {
        c.start_time = match s {
            None => None,
            Some(s) => Some(s.parse().map_err(|_| {
                field(
                    "start_time",
                    format!("{s:?} is not an ISO 8601 time with an offset"),
                )
            })?),
        };
        c.countdown_pause_time = None;
    }
    if let Some(d) = patch.duration {
        c.duration = reltime("duration", &d)?;
    }
    if let Some(f) = patch.scoreboard_freeze_duration {
        c.scoreboard_freeze_duration = match f {
            None => None,
            Some(f) => Some(reltime("scoreboard_freeze_duration", &f)?),
        };
    }
    if let Some(p) = patch.penalty_time {
        c.penalty_time = Some(reltime("penalty_time", &p)?);
    }
    if c.duration <= RelTime::ZERO {
        return Err(field("duration", "duration must be positive"));
    }
    if c.scoreboard_freeze_duration
        .is_some_and(|f| f.is_negative() || f > c.duration)
    {
        return Err(field(
            "scoreboard_freeze_duration",
            "scoreboard_freeze_duration must be between 0 and duration",
        ));
    }
    let mut entries = vec![Append::new("contest", &id, &c)];
    let mut new_problems = old_problems.clone();
    if let Some(list) = &patch.problems {
        let ids: Vec<String> = list.iter().map(|p| p.id.clone()).collect();
        let mut seen = std::collections::HashSet::new();
        for p in list {
            if !seen.insert(p.label.clone()) || p.label.is_empty() {
                return Err(field(
                    "problems",
                    format!("label {:?} is empty or repeated", p.label),
                ));
            }
        }
        let mut conn = app.conn().await?;
        let summaries = judge_problems(&mut conn, &ids).await?;
        for (i, (input, summary)) in list.iter().zip(&summaries).enumerate() {
            let mut p: Problem = serde_json::from_value(serde_json::json!({
                "id": input.id, "label": input.label,
                "name": input.name.clone().unwrap_or_default(), "ordinal": i as i64 + 1,
            }))
            .map_err(|e| field("problems", e.to_string()))?;
            p.color = input.color.clone();
            p.rgb = input.rgb.clone();
            fill_problem(&mut p, summary);
            entries.push(Append::new("problems", &input.id, &p));
        }
        for old in &old_problems {
            if !ids.contains(old) {
                entries.push(Append::delete("problems", old));
            }
        }
        new_problems = ids;
    }
    if patch.rules.is_some() || patch.registration_open.is_some() || patch.medals.is_some() {
        let s = Settings {
            rules: patch.rules.or(settings.rules),
            registration_open: patch
                .registration_open
                .unwrap_or(settings.registration_open),
            medals: patch.medals.unwrap_or(settings.medals),
        };
        entries.push(Append::new(SETTINGS_TYPE, &id, &s));
    }
    write_if(&app, &id, ("contest", &id), old_json.as_deref(), &entries).await?;
    let removed: Vec<String> = old_problems
        .iter()
        .filter(|p| !new_problems.contains(p))
        .cloned()
        .collect();
    let mut conn = app.conn().await?;
    hide_until_start(&mut conn, &c, &new_problems, &removed).await?;
    detail(&app, &contests, &id).await
}

/// The judgements and runs the public has not seen (made during the
/// freeze), appended again after a thaw so that a public event feed gets them.
async fn hidden_entries(app: &AppState, r: &Replay, id: &str) -> Result<Vec<Append>, ApiError> {
    let mut conn = app.conn().await?;
    let runs = timed(snapshot::objects(&mut conn, id, "runs")).await?;
    let mut out = Vec::new();
    for s in r.submissions_of(None) {
        if !r.hidden_from_public(s.id.as_str()) {
            continue;
        }
        let Some(j) = r.judgement_of(s.id.as_str()) else {
            continue;
        };
        out.push(Append::new("judgements", &j.id, j));
        let prefix = format!("{}-", j.id);
        for (run_id, json) in runs.iter().filter(|(rid, _)| rid.starts_with(&prefix)) {
            out.push(Append {
                kind: "runs".into(),
                id: run_id.clone(),
                data: Some(json.clone()),
            });
        }
    }
    Ok(out)
}

/// `POST /api/admin/contests/{id}/{action}`: `start` (now), `freeze` (now,
/// until thaw), `thaw`, `finalize` (after the end; thaws too).
#[utoipa::path(post, path = "/api/admin/contests/{id}/{action}", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(
        ("id" = String, Path, description = "contest id"),
        ("action" = String, Path, description = "start (now), freeze (now), thaw, or finalize (after the end; thaws too and ends the event feed)",
            pattern = "^(start|freeze|thaw|finalize)$"),
    ),
    responses(
        (status = 200, description = "the contest as an admin sees it now", body = ContestDetail),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such contest or action", body = ErrorBody),
        (status = 409, description = "not now: started already, not running, not frozen, not ended, finalized already; or changed meanwhile", body = ErrorBody),
    ))]
pub(crate) async fn action(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path((id, action)): Path<(String, String)>,
    _admin: Admin,
) -> Result<Json<ContestDetail>, ApiError> {
    let now = AbsTime::from_unix_millis(AbsTime::now().unix_millis()).expect("now");
    let r = contests.current(&app, &id).await?;
    let mut c: Contest = r.contest().cloned().expect("current() checked");
    let state = r.state_at(now);
    let conflict = |m: &str| Err(ApiError::Conflict(m.into()));
    match action.as_str() {
        "start" | "freeze" => {
            if action == "start" {
                if state.started.is_some() {
                    return conflict("the contest has started already");
                }
                c.start_time = Some(now);
                c.countdown_pause_time = None;
            } else {
                if state.started.is_none() || state.ended.is_some() {
                    return conflict("only a running contest can be frozen");
                }
                if state.frozen.is_some() {
                    return conflict("the scoreboard is frozen already");
                }
                let end = c.end_time().expect("started");
                c.scoreboard_freeze_duration = Some(end.since(now));
            }
            let old = stored(&app, &id, "contest").await?;
            let problems: Vec<String> = r.problems().iter().map(|p| p.id.0.clone()).collect();
            drop(r);
            write_if(
                &app,
                &id,
                ("contest", &id),
                old.as_deref(),
                &[Append::new("contest", &id, &c)],
            )
            .await?;
            let mut conn = app.conn().await?;
            hide_until_start(&mut conn, &c, &problems, &[]).await?;
        }
        "thaw" | "finalize" => {
            let mut next = r.logged_state().clone();
            let mut entries = Vec::new();
            if action == "finalize" {
                if state.ended.is_none() {
                    return conflict("a contest is finalized after its end");
                }
                if state.finalized.is_some() {
                    return conflict("the contest is finalized already");
                }
                next.finalized = Some(now);
                next.end_of_updates = Some(now);
            } else if state.frozen.is_none() || state.thawed.is_some() {
                return conflict("the scoreboard is not frozen");
            }
            if state.frozen.is_some() && state.thawed.is_none() {
                next.thawed = Some(now);
            }
            // The clocked phases as of now, so the state is whole.
            next.started = state.started;
            next.frozen = state.frozen;
            next.ended = state.ended;
            let hidden = if next.thawed.is_some() && state.thawed.is_none() {
                hidden_entries(&app, &r, &id).await?
            } else {
                Vec::new()
            };
            entries.push(Append::new("state", &id, &next));
            // The last entry of a finalized contest is its state: the
            // re-announced judgements go between thaw and finalize.
            if action == "finalize" && !hidden.is_empty() {
                let mut thawed = next.clone();
                thawed.finalized = None;
                thawed.end_of_updates = None;
                entries.insert(0, Append::new("state", &id, &thawed));
                let last = entries.pop().expect("state");
                entries.extend(hidden);
                entries.push(last);
            } else {
                entries.extend(hidden);
            }
            let old = stored(&app, &id, "state").await?;
            drop(r);
            write_if(&app, &id, ("state", &id), old.as_deref(), &entries).await?;
        }
        other => {
            return Err(ApiError::NotFound(format!(
                "contest action {other:?} (start, freeze, thaw, finalize)"
            )))
        }
    }
    tracing::info!(contest = %id, %action, "contest action");
    detail(&app, &contests, &id).await
}

/// `POST /api/admin/contests/{id}/teams`: a team and its members (judge user ids).
#[utoipa::path(post, path = "/api/admin/contests/{id}/teams", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "contest id")),
    request_body = TeamInput,
    responses(
        (status = 201, description = "the new team", body = TeamRef),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
        (status = 409, description = "the team exists, or a member is on a team already", body = ErrorBody),
        (status = 422, description = "an invalid field (id, name, organization_id, malformed body)", body = ErrorBody),
    ))]
pub(crate) async fn add_team(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    _admin: Admin,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<TeamRef>), ApiError> {
    let input: TeamInput =
        serde_json::from_slice(&body).map_err(|e| field("body", e.to_string()))?;
    if !is_valid_id(&input.id) {
        return Err(field("id", "a team id is [A-Za-z0-9_.-], at most 36"));
    }
    if input.name.trim().is_empty() {
        return Err(field("name", "name must not be empty"));
    }
    let r = contests.current(&app, &id).await?;
    if r.team(&input.id).is_some() {
        return Err(ApiError::Conflict(format!("team {:?} exists", input.id)));
    }
    let mut conn = app.conn().await?;
    if let Some(org) = &input.organization_id {
        if timed(snapshot::object(&mut conn, &id, "organizations", org))
            .await?
            .is_none()
        {
            return Err(field(
                "organization_id",
                format!("no organization {org:?} in this contest"),
            ));
        }
    }
    for m in &input.members {
        if let Some(t) = timed(registry::team_of(&mut conn, &id, m)).await? {
            return Err(ApiError::Conflict(format!(
                "user {m:?} is on team {t:?} already"
            )));
        }
    }
    let team: Team = serde_json::from_value(serde_json::json!({
        "id": input.id, "name": input.name,
        "label": input.label.clone().unwrap_or_else(|| input.id.clone()),
        "organization_id": input.organization_id,
    }))
    .map_err(|e| field("body", e.to_string()))?;
    let mut entries = vec![Append::new("teams", &input.id, &team)];
    for m in input.members.iter().filter(|m| is_valid_id(m)) {
        let account = Account {
            id: m.clone(),
            username: m.clone(),
            password: None,
            name: None,
            account_type: Some(AccountType::Team),
            ip: None,
            team_id: Some(team.id.clone()),
            person_id: None,
        };
        entries.push(Append::new("accounts", m, &account));
    }
    drop(r);
    timed(log::append_all(&mut conn, &id, &entries)).await?;
    for m in &input.members {
        timed(registry::add_member(&mut conn, &id, m, &input.id)).await?;
    }
    Ok((
        StatusCode::CREATED,
        Json(TeamRef {
            id: input.id,
            name: input.name,
        }),
    ))
}

/// `POST /api/admin/contests/{id}/clarifications`: the jury to one team or everyone.
#[utoipa::path(post, path = "/api/admin/contests/{id}/clarifications", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    params(("id" = String, Path, description = "contest id")),
    request_body = AnswerClarification,
    responses(
        (status = 201, description = "the message as stored", body = Clarification),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
        (status = 422, description = "an invalid field (empty text, unknown team, problem or question, malformed body)", body = ErrorBody),
    ))]
pub(crate) async fn answer_clarification(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    _admin: Admin,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Clarification>), ApiError> {
    let input: AnswerClarification =
        serde_json::from_slice(&body).map_err(|e| field("body", e.to_string()))?;
    if input.text.trim().is_empty() {
        return Err(field("text", "text must not be empty"));
    }
    let r = contests.current(&app, &id).await?;
    if let Some(t) = &input.to_team_id {
        if r.team(t).is_none() {
            return Err(field(
                "to_team_id",
                format!("no team {t:?} in this contest"),
            ));
        }
    }
    if let Some(p) = &input.problem_id {
        if !r.problems().iter().any(|q| q.id.as_str() == p) {
            return Err(field(
                "problem_id",
                format!("no problem {p:?} in this contest"),
            ));
        }
    }
    let mut conn = app.conn().await?;
    if let Some(q) = &input.reply_to_id {
        if timed(snapshot::object(&mut conn, &id, "clarifications", q))
            .await?
            .is_none()
        {
            return Err(field("reply_to_id", format!("no clarification {q:?}")));
        }
    }
    let now = AbsTime::now();
    let clar = Clarification {
        id: uuid::Uuid::now_v7().simple().to_string(),
        from_team_id: None,
        to_team_ids: input.to_team_id.map(|t| vec![t.into()]),
        to_group_ids: None,
        reply_to_id: input.reply_to_id,
        problem_id: input.problem_id.map(Into::into),
        text: input.text,
        time: now,
        contest_time: r.contest_time(now),
    };
    drop(r);
    timed(log::append_all(
        &mut conn,
        &id,
        &[Append::new("clarifications", &clar.id, &clar)],
    ))
    .await?;
    Ok((StatusCode::CREATED, Json(clar)))
}
