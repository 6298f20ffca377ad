//! `GET /api/problems/{id}/statement/{file}`: a file of the statement folder
//! of the problem's *current* version (a figure the statement shows, or an
//! attachment), so the page can render `\includegraphics{fig}` and
//! `![..](fig.png)` as the author wrote them.
//!
//! Only the files the loader listed in `Statement::assets` are served (safe
//! names, served types, size caps: see [`problem_package::statement`]), never
//! anything else of the package: the test data and validators stay private.
//! The bytes come from the package tar, which is stored by version anyway;
//! the first request for a version takes the statement's files out of it
//! into a small Redis hash ([`keys::statement_assets`]) that later requests
//! read directly, so a figure costs one `HGET` and not a package download.
//! The hash expires and is filled again on demand: it is only a cache.
//!
//! No token is needed, as for the problem itself: `<img>` cannot send one.

use std::time::Duration;

use api_types::ErrorBody;
use axum::extract::{Path as UrlPath, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use judge_store::{keys, store};
use problem_package::problem::{self, Statement};
use problem_package::statement::{self, content_type, is_safe_name};
use redis::AsyncCommands;

use crate::error::ApiError;
use crate::state::{conn, timed, AppState, STORE_TIMEOUT};

/// How long a version's extracted files stay cached in Redis.
const CACHE_TTL_SECS: i64 = 7 * 24 * 3600;
/// Field of the cache hash that says it has been filled (not a safe name,
/// so no statement file can be called that).
const FILLED: &str = ".filled";
/// How long loading a package and taking its files out may take.
const FILL_TIMEOUT: Duration = Duration::from_secs(60);
/// What the page gets for an SVG opened on its own: no scripts, no loads,
/// inline styles only. (As an `<img>`, an SVG runs no scripts anyway.)
pub const SVG_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'";
/// Text files are inert, but a browser must still not run anything in them.
const DEFAULT_CSP: &str = "default-src 'none'; style-src 'unsafe-inline'; sandbox";

/// One request for a statement file at a time per API process may fill the
/// cache: a page showing three figures of a fresh version then loads the
/// package once, not three times.
static FILLING: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// 404 naming the `file` field, with the reason.
fn unknown_file(file: &str, why: &str) -> Response {
    let body = ErrorBody::new(
        "unknown_statement_file",
        format!("statement file {file:?}: {why}"),
        Some("file"),
    );
    (StatusCode::NOT_FOUND, Json(body)).into_response()
}

/// Why `file` can be no statement's file (its name or its type), if so.
/// Checked before Redis is asked anything.
pub fn name_refusal(file: &str) -> Option<String> {
    if !is_safe_name(file) {
        return Some(
            "not a file of the statement folder: a relative name of letters, digits and . _ + -, without .. or a leading dot"
                .into(),
        );
    }
    if content_type(file).is_none() {
        let served: Vec<&str> = statement::CONTENT_TYPES.iter().map(|(e, _)| *e).collect();
        return Some(format!(
            "this type is not served; statement files may be {}",
            served.join(", ")
        ));
    }
    None
}

/// Why `file` is not one of `statement`'s served files, if it is not.
fn statement_refusal(file: &str, statement: Option<&Statement>) -> Option<String> {
    match statement {
        None => Some("the problem has no statement".into()),
        Some(s) if !s.assets.iter().any(|a| a == file) => {
            Some(format!("the statement folder ({}) has no such file", s.dir))
        }
        Some(_) => None,
    }
}

/// A file of the current version's statement folder (a figure or an
/// attachment), as listed in the problem's `statement.assets`; a file in a
/// subfolder is named with `%2F`. The 200's content types are the served
/// ones (`crate::openapi` lists them from [`statement::CONTENT_TYPES`]).
#[utoipa::path(get, path = "/api/problems/{id}/statement/{file}", tag = "problems",
    params(
        ("id" = String, Path, description = "problem id"),
        ("file" = String, Path, description = "the file's name relative to the statement folder"),
    ),
    responses(
        (status = 200, description = "the file"),
        (status = 304, description = "unchanged since the ETag sent in If-None-Match (the version)"),
        (status = 404, description = "unknown problem (field problem_id), or no such statement file (field file): an unsafe name, a type that is not served, or not in the statement folder", body = ErrorBody),
    ))]
pub async fn asset(
    State(app): State<AppState>,
    UrlPath((id, file)): UrlPath<(String, String)>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    if let Some(why) = name_refusal(&file) {
        return Ok(unknown_file(&file, &why));
    }
    let mut conn = conn(&app.pool).await?;
    let summary = timed(store::current_problem(&mut conn, &id))
        .await?
        .ok_or_else(|| ApiError::UnknownProblem(id.clone()))?;
    if let Some(why) = statement_refusal(&file, summary.statement.as_ref()) {
        return Ok(unknown_file(&file, &why));
    }
    let statement = summary.statement.expect("statement_refusal checked it");

    // The URL names the current version's file, which changes with the
    // version: revalidate, and answer 304 while the version is the same.
    let etag = format!("\"{}\"", summary.version);
    let cache_headers = [
        (header::ETAG, etag.clone()),
        (header::CACHE_CONTROL, "no-cache".to_string()),
    ];
    let matches = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
    if matches {
        return Ok((StatusCode::NOT_MODIFIED, cache_headers).into_response());
    }

    let key = keys::statement_assets(&summary.version);
    let mut bytes: Option<Vec<u8>> = timed(conn.hget(&key, &file)).await?;
    if bytes.is_none() {
        drop(conn);
        bytes = fill(&app, &summary.version, &statement, &file).await?;
    }
    let Some(bytes) = bytes else {
        return Ok(unknown_file(
            &file,
            "listed with the statement but missing from the package",
        ));
    };

    let kind = content_type(&file).expect("name_refusal checked the type");
    let mut response = (StatusCode::OK, cache_headers, bytes).into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(kind));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    // Chrome's PDF viewer does not run under a CSP sandbox; PDFs get none.
    let csp = match kind {
        "application/pdf" => None,
        "image/svg+xml" => Some(SVG_CSP),
        _ => Some(DEFAULT_CSP),
    };
    if let Some(csp) = csp {
        h.insert(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(csp),
        );
    }
    // Safe names need no quoting beyond the quotes themselves.
    let base = file.rsplit('/').next().unwrap_or(&file);
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{base}\"")) {
        h.insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(response)
}

/// Fills the cache of `version` from its package and returns `file`'s bytes.
async fn fill(
    app: &AppState,
    version: &str,
    statement: &Statement,
    file: &str,
) -> Result<Option<Vec<u8>>, ApiError> {
    let _one_at_a_time = FILLING.lock().await;
    let key = keys::statement_assets(version);
    {
        // Another request may have filled it while this one waited.
        let mut conn = conn(&app.pool).await?;
        let (filled, bytes): (bool, Option<Vec<u8>>) = timed(
            redis::pipe()
                .hexists(&key, FILLED)
                .hget(&key, file)
                .query_async(&mut conn),
        )
        .await?;
        if filled {
            return Ok(bytes);
        }
    }
    // Packages can be large: a connection of its own, without the pool's reply timeout.
    let mut dedicated =
        tokio::time::timeout(STORE_TIMEOUT, store::dedicated(&app.config.redis_url))
            .await
            .map_err(|_| ApiError::StoreUnavailable("timed out connecting to redis".into()))??;
    let package = tokio::time::timeout(FILL_TIMEOUT, store::load_package(&mut dedicated, version))
        .await
        .map_err(|_| ApiError::StoreUnavailable("loading the problem package timed out".into()))??
        .ok_or_else(|| {
            ApiError::Internal(format!("the package of version {version} is not stored"))
        })?;
    let wanted = statement.clone();
    let files = tokio::task::spawn_blocking(move || statement::extract(&package, &wanted))
        .await
        .map_err(|e| ApiError::Internal(format!("reading the package panicked: {e}")))?
        .map_err(|e| ApiError::Internal(format!("reading the package: {e}")))?;
    let mut pipe = redis::pipe();
    pipe.atomic();
    for (name, bytes) in &files {
        pipe.hset(&key, name, bytes.as_slice()).ignore();
    }
    pipe.hset(&key, FILLED, 1)
        .ignore()
        .expire(&key, CACHE_TTL_SECS)
        .ignore();
    tokio::time::timeout(FILL_TIMEOUT, pipe.query_async::<()>(&mut dedicated))
        .await
        .map_err(|_| {
            ApiError::StoreUnavailable("storing the statement files timed out".into())
        })??;
    tracing::info!(%version, files = files.len(), "statement files taken out of the package");
    Ok(files.into_iter().find(|(n, _)| n == file).map(|(_, b)| b))
}
