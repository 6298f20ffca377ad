//! `POST /api/admin/contests`: a contest package (a tar, gzip or not, of
//! the folder `judge contest add` uploads) becomes a contest: its objects
//! are the first entries of the contest's log. Its problems are the judge's
//! own, referenced by id (422 naming those the judge lacks).

use std::path::{Path, PathBuf};

use api_types::{ContestImported, ErrorBody};
use axum::body::Body;
use axum::extract::State;
use axum::http::StatusCode;
use axum::Json;
use contest::api::State as ContestState;
use contest::replay::{Settings, SETTINGS_TYPE};
use contest::ContestPackage;
use judge_store::contest::log::{self, Append};
use judge_store::contest::registry;

use crate::auth::Admin;
use crate::body::read_body;
use crate::contests::config::{fill_problem, hide_until_start, judge_languages, judge_problems};
use crate::error::ApiError;
use crate::state::{timed, AppState};

fn invalid(message: String) -> ApiError {
    ApiError::InvalidField {
        field: "package",
        message,
    }
}

/// The package folder inside the unpacked tar: its root, or its one folder.
fn package_root(dir: &Path) -> Result<PathBuf, ApiError> {
    let has_contest = |d: &Path| {
        ["contest.yaml", "contest.yml", "contest.json"]
            .iter()
            .any(|f| d.join(f).is_file())
    };
    if has_contest(dir) {
        return Ok(dir.to_path_buf());
    }
    let subdirs: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| invalid(format!("cannot read the package: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.is_dir())
        .collect();
    match subdirs.as_slice() {
        [one] if has_contest(one) => Ok(one.clone()),
        _ => Err(invalid(
            "no contest.yaml (or contest.json) at the package's root".into(),
        )),
    }
}

/// Unpacks and loads a package off the async threads.
async fn load(bytes: Vec<u8>, max: u64) -> Result<ContestPackage, ApiError> {
    tokio::task::spawn_blocking(move || {
        let tmp = tempfile::tempdir().map_err(|e| ApiError::Internal(e.to_string()))?;
        crate::package::unpack(&bytes, tmp.path(), max).map_err(|findings| {
            invalid(
                findings
                    .iter()
                    .map(|f| format!("{}: {}", f.file, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let root = package_root(tmp.path())?;
        ContestPackage::load(&root).map_err(|e| invalid(e.to_string()))
    })
    .await
    .map_err(|e| ApiError::Internal(format!("contest package check panicked: {e}")))?
}

/// Imports a contest package; its problems must be on the judge.
#[utoipa::path(post, path = "/api/admin/contests", tag = "admin",
    security(("bearer" = []), ("session" = [])),
    request_body(description = "a tar or tar.gz of a contest package (contest.yaml, problems.yaml, teams, accounts, ...; at the root or in one top-level directory)",
        content((Vec<u8> = "application/x-tar"), (Vec<u8> = "application/gzip"))),
    responses(
        (status = 201, description = "imported", body = ContestImported),
        (status = 400, description = "the body could not be read", body = ErrorBody),
        (status = 401, description = "no token or an unknown token", body = ErrorBody),
        (status = 403, description = "not an admin", body = ErrorBody),
        (status = 409, description = "a contest with this id exists", body = ErrorBody),
        (status = 413, description = "package too large", body = ErrorBody),
        (status = 422, description = "the package is invalid, or names problems the judge lacks (field problems)", body = ErrorBody),
    ))]
pub(crate) async fn import_contest(
    State(app): State<AppState>,
    _admin: Admin,
    body: Body,
) -> Result<(StatusCode, Json<ContestImported>), ApiError> {
    let max = app.config.max_package_bytes;
    let bytes = read_body(body, max).await?;
    let mut pkg = load(bytes.to_vec(), max as u64).await?;
    let id = pkg.contest.id.clone();
    let mut conn = app.conn().await?;
    let ids: Vec<String> = pkg.problems.iter().map(|p| p.id.0.clone()).collect();
    let summaries = judge_problems(&mut conn, &ids).await?;
    for (p, s) in pkg.problems.iter_mut().zip(&summaries) {
        fill_problem(p, s);
    }
    if !timed(registry::add_contest(&mut conn, &id)).await? {
        return Err(ApiError::Conflict(format!(
            "contest {id:?} exists; change it with PATCH /api/admin/contests/{id}"
        )));
    }
    let judgement_types = if pkg.judgement_types.is_empty() {
        contest::judgement::judge_types()
    } else {
        pkg.judgement_types.clone()
    };
    let languages = if pkg.languages.is_empty() {
        judge_languages()
    } else {
        pkg.languages.clone()
    };
    let mut entries = vec![
        Append::new("contest", &id, &pkg.contest),
        Append::new(SETTINGS_TYPE, &id, &Settings::default()),
    ];
    entries.extend(
        judgement_types
            .iter()
            .map(|j| Append::new("judgement-types", j.id.as_str(), j)),
    );
    entries.extend(
        languages
            .iter()
            .map(|l| Append::new("languages", l.id.as_str(), l)),
    );
    entries.extend(
        pkg.problems
            .iter()
            .map(|p| Append::new("problems", p.id.as_str(), p)),
    );
    entries.extend(
        pkg.groups
            .iter()
            .map(|g| Append::new("groups", g.id.as_str(), g)),
    );
    entries.extend(
        pkg.organizations
            .iter()
            .map(|o| Append::new("organizations", o.id.as_str(), o)),
    );
    entries.extend(
        pkg.teams
            .iter()
            .map(|t| Append::new("teams", t.id.as_str(), t)),
    );
    // Passwords stay in the package: the judge's own accounts sign in.
    entries.extend(pkg.accounts.iter().map(|a| {
        let mut a = a.clone();
        a.password = None;
        Append::new("accounts", &a.id.clone(), &a)
    }));
    entries.push(Append::new("state", &id, &ContestState::default()));
    timed(log::append_all(&mut conn, &id, &entries)).await?;
    let mut members = 0;
    for a in &pkg.accounts {
        if let Some(team) = &a.team_id {
            if timed(registry::add_member(
                &mut conn,
                &id,
                &a.username,
                team.as_str(),
            ))
            .await?
            {
                members += 1;
            }
        }
    }
    hide_until_start(&mut conn, &pkg.contest, &ids, &[]).await?;
    tracing::info!(contest = %id, problems = ids.len(), teams = pkg.teams.len(), "contest imported");
    Ok((
        StatusCode::CREATED,
        Json(ContestImported {
            id,
            problems: ids.len(),
            teams: pkg.teams.len(),
            members,
        }),
    ))
}
