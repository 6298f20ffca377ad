//! The ICPC Contest API, version 2026-01, under `/api/ccs/`: the API
//! information, `contests`, and per contest `access`, `state`,
//! `scoreboard`, every collection (`judgement-types`, `languages`,
//! `problems`, `groups`, `organizations`, `teams`, `accounts`,
//! `submissions`, `judgements`, `runs`, `clarifications`, `awards`) with
//! its items, filtered by id properties (`?team_id=`). Roles: admin (the
//! admin token or an admin's), team (a participant's token), public.
//! The public (and a team, for other teams) does not see judgements or runs
//! of submissions made during the freeze until the thaw; nobody but admins
//! sees problems before the start, accounts of others, or hidden teams.

use std::collections::HashMap;

use api_types::ErrorBody;
use axum::extract::{Path, RawQuery, State};
use axum::{Extension, Json};
use contest::api::{
    Access, ApiInfo, Capability, Contest, Group, Scoreboard, State as ContestState,
};
use contest::board::ViewKind;
use contest::replay::Replay;
use contest::views;
use contest::AbsTime;
use judge_store::contest::snapshot;
use serde_json::Value;

use crate::auth::Caller;
use crate::contests::cache::Contests;
use crate::contests::caller::ContestCaller;
use crate::contests::public::may_read;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The collections served per contest.
pub const COLLECTIONS: &[&str] = &[
    "judgement-types",
    "languages",
    "problems",
    "groups",
    "organizations",
    "teams",
    "accounts",
    "submissions",
    "judgements",
    "runs",
    "clarifications",
    "awards",
];

/// The API information: the Contest API version and this provider. Also
/// served at `/api/ccs/`.
#[utoipa::path(get, path = "/api/ccs", tag = "ccs",
    responses((status = 200, description = "the API information", body = ApiInfo)))]
pub(crate) async fn info() -> Json<ApiInfo> {
    Json(ApiInfo::new(
        "judge",
        Some(env!("CARGO_PKG_VERSION").into()),
    ))
}

/// Every contest.
#[utoipa::path(get, path = "/api/ccs/contests", tag = "ccs",
    responses((status = 200, description = "the contests", body = Vec<Contest>)))]
pub(crate) async fn contests(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
) -> Result<Json<Vec<Contest>>, ApiError> {
    let mut conn = app.conn().await?;
    let ids = timed(judge_store::contest::registry::contest_ids(&mut conn)).await?;
    drop(conn);
    let mut out = Vec::new();
    for id in ids {
        out.extend(contests.current(&app, &id).await?.contest().cloned());
    }
    Ok(Json(out))
}

/// One contest.
#[utoipa::path(get, path = "/api/ccs/contests/{id}", tag = "ccs",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the contest", body = Contest),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn contest_object(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
) -> Result<Json<Contest>, ApiError> {
    let r = contests.current(&app, &id).await?;
    Ok(Json(r.contest().cloned().expect("current() checked")))
}

/// What the caller may do and see: admin, team (a participant) or public.
#[utoipa::path(get, path = "/api/ccs/contests/{id}/access", tag = "ccs",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the caller's capabilities and visible endpoints", body = Access),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn access(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Access>, ApiError> {
    let who = ContestCaller::of(&app, caller, &id).await?;
    drop(contests.current(&app, &id).await?);
    let capabilities = if who.admin {
        vec![
            Capability::ContestStart,
            Capability::ContestThaw,
            Capability::AdminClar,
        ]
    } else if who.team_id.is_some() {
        vec![Capability::TeamSubmit, Capability::PostClar]
    } else {
        Vec::new()
    };
    let mut access = Access::ccs_minimum(capabilities);
    access.endpoints.push(contest::api::AccessEndpoint {
        endpoint: "clarifications".into(),
        properties: [
            "id",
            "from_team_id",
            "to_team_ids",
            "reply_to_id",
            "problem_id",
            "text",
            "time",
            "contest_time",
        ]
        .iter()
        .map(|p| p.to_string())
        .collect(),
    });
    if who.admin || who.team_id.is_some() {
        access.endpoints.push(contest::api::AccessEndpoint {
            endpoint: "accounts".into(),
            properties: ["id", "username", "type", "team_id"]
                .iter()
                .map(|p| p.to_string())
                .collect(),
        });
    }
    Ok(Json(access))
}

/// When each phase happened.
#[utoipa::path(get, path = "/api/ccs/contests/{id}/state", tag = "ccs",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the contest's state", body = ContestState),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn state(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
) -> Result<Json<ContestState>, ApiError> {
    let r = contests.current(&app, &id).await?;
    Ok(Json(r.state_at(AbsTime::now())))
}

/// The scoreboard; admins see through the freeze, a team sees its own
/// results through it (see `contest::views`).
#[utoipa::path(get, path = "/api/ccs/contests/{id}/scoreboard", tag = "ccs",
    params(("id" = String, Path, description = "contest id")),
    responses(
        (status = 200, description = "the scoreboard", body = Scoreboard),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn scoreboard(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Scoreboard>, ApiError> {
    let who = ContestCaller::of(&app, caller, &id).await?;
    let mut r = contests.current(&app, &id).await?;
    Ok(Json(views::scoreboard(
        &mut r,
        who.audience(),
        AbsTime::now(),
    )))
}

/// The awards the caller's view of the board decides now (computed, not
/// stored: see `contest::awards`); admins see through the freeze.
pub async fn awards(
    app: &AppState,
    r: &mut Replay,
    id: &str,
    who: &ContestCaller,
) -> Result<Vec<Value>, ApiError> {
    let mut conn = app.conn().await?;
    let mut groups: Vec<Group> = timed(snapshot::objects(&mut conn, id, "groups"))
        .await?
        .into_iter()
        .filter_map(|(_, j)| serde_json::from_str(&j).ok())
        .collect();
    groups.sort_by(|a, b| a.id.cmp(&b.id));
    let kind = if who.admin {
        ViewKind::Admin
    } else {
        ViewKind::Public
    };
    Ok(
        contest::awards::of_contest(r, kind, AbsTime::now(), &groups)
            .into_iter()
            .map(|a| serde_json::to_value(a).expect("an award is JSON"))
            .collect(),
    )
}

/// The objects of a collection the caller may see, contest times counted
/// from the contest's current start.
pub async fn visible_objects(
    app: &AppState,
    r: &mut Replay,
    id: &str,
    kind: &str,
    who: &ContestCaller,
) -> Result<Vec<Value>, ApiError> {
    if kind == "awards" {
        return awards(app, r, id, who).await;
    }
    let r = &*r;
    let mut conn = app.conn().await?;
    let mut objects: Vec<(String, Value)> = timed(snapshot::objects(&mut conn, id, kind))
        .await?
        .into_iter()
        .filter_map(|(k, j)| Some((k, serde_json::from_str(&j).ok()?)))
        .collect();
    let judgement_subs: HashMap<String, String> = if kind == "runs" {
        timed(snapshot::objects(&mut conn, id, "judgements"))
            .await?
            .into_iter()
            .filter_map(|(jid, j)| {
                let v: Value = serde_json::from_str(&j).ok()?;
                Some((jid, v["submission_id"].as_str()?.to_string()))
            })
            .collect()
    } else {
        HashMap::new()
    };
    let now = AbsTime::now();
    let team = who.team_id.as_deref();
    let own_submission = |sid: &str| {
        team.is_some()
            && r.submission(sid)
                .is_some_and(|s| Some(s.team_id.as_str()) == team)
    };
    objects.retain(|(_, v)| {
        if who.admin {
            return true;
        }
        match kind {
            "problems" => r.state_at(now).started.is_some(),
            "teams" => v["hidden"] != Value::Bool(true),
            "accounts" => team.is_some() && v["team_id"].as_str() == team,
            "judgements" => {
                let sid = v["submission_id"].as_str().unwrap_or_default();
                own_submission(sid) || !r.hidden_from_public(sid)
            }
            "runs" => {
                let sid = v["judgement_id"]
                    .as_str()
                    .and_then(|j| judgement_subs.get(j))
                    .map(String::as_str)
                    .unwrap_or_default();
                own_submission(sid) || !r.hidden_from_public(sid)
            }
            "clarifications" => serde_json::from_value(v.clone())
                .map(|c| may_read(&c, team))
                .unwrap_or(false),
            _ => true,
        }
    });
    for (_, v) in &mut objects {
        rebase(r, kind, v);
    }
    objects.sort_by(|a, b| {
        let key = |v: &Value| {
            v["time"]
                .as_str()
                .or(v["start_time"].as_str())
                .map(String::from)
        };
        key(&a.1).cmp(&key(&b.1)).then(a.0.cmp(&b.0))
    });
    Ok(objects.into_iter().map(|(_, v)| v).collect())
}

/// Recounts an object's contest times from the contest's current start.
pub fn rebase(r: &Replay, kind: &str, v: &mut Value) {
    let pairs: &[(&str, &str)] = match kind {
        "submissions" | "runs" | "clarifications" => &[("time", "contest_time")],
        "judgements" => &[
            ("start_time", "start_contest_time"),
            ("end_time", "end_contest_time"),
        ],
        _ => return,
    };
    for (abs, rel) in pairs {
        if let Some(t) = v[abs].as_str().and_then(|t| t.parse::<AbsTime>().ok()) {
            v[rel] = Value::String(r.contest_time(t).to_string());
        }
    }
}

/// `?team_id=X&problem_id=`: every condition on an id property must hold
/// (empty: the property is null or absent).
fn filter(objects: Vec<Value>, query: Option<&str>) -> Result<Vec<Value>, ApiError> {
    let mut conditions = Vec::new();
    for pair in query.unwrap_or("").split('&').filter(|p| !p.is_empty()) {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        if k == "id" || !(k.ends_with("_id") || k.ends_with("_ids")) {
            return Err(ApiError::InvalidField {
                field: "query",
                message: format!("{k:?}: only id properties (…_id) filter a collection"),
            });
        }
        conditions.push((k.to_string(), v.to_string()));
    }
    Ok(objects
        .into_iter()
        .filter(|o| {
            conditions.iter().all(|(k, v)| match &o[k] {
                Value::Null => v.is_empty(),
                Value::String(s) => s == v,
                Value::Array(a) => a.iter().any(|x| x.as_str() == Some(v)),
                _ => false,
            })
        })
        .collect())
}

pub(crate) async fn collection(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path((id, kind)): Path<(String, String)>,
    RawQuery(query): RawQuery,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Vec<Value>>, ApiError> {
    if !COLLECTIONS.contains(&kind.as_str()) {
        return Err(ApiError::NotFound(format!("endpoint {kind:?}")));
    }
    let who = ContestCaller::of(&app, caller, &id).await?;
    let mut r = contests.current(&app, &id).await?;
    let objects = visible_objects(&app, &mut r, &id, &kind, &who).await?;
    Ok(Json(filter(objects, query.as_deref())?))
}

pub(crate) async fn item(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path((id, kind, item)): Path<(String, String, String)>,
    caller: Result<Caller, ApiError>,
) -> Result<Json<Value>, ApiError> {
    if !COLLECTIONS.contains(&kind.as_str()) {
        return Err(ApiError::NotFound(format!("endpoint {kind:?}")));
    }
    let who = ContestCaller::of(&app, caller, &id).await?;
    let mut r = contests.current(&app, &id).await?;
    visible_objects(&app, &mut r, &id, &kind, &who)
        .await?
        .into_iter()
        .find(|o| o["id"].as_str() == Some(item.as_str()))
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("{kind}/{item}")))
}
