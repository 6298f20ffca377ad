//! The judge's HTTP API: accepts submissions, serves their stored state,
//! lists problems and languages, imports problems and rejudges (admin), and
//! serves the web page.
//!
//! Access (see [`auth`]): with `JUDGE_AUTH=required` (the default) a
//! submission needs a bearer token and its user id is the token's (a
//! `user_id` in the body is ignored); a submission, its code and a user's
//! list are readable by their owner and admins only (401 without a token,
//! 403 for someone else's). `JUDGE_AUTH=open` is INSECURE and meant for
//! local development and tests: requests without a token are accepted and
//! the body's `user_id` is used. Admin endpoints need the admin token in
//! both modes. `GET /api/openapi.json` describes every route.

// The OpenAPI document is one `json!` literal, deeper than the default 128.
#![recursion_limit = "256"]

pub mod admin;
pub mod auth;
pub mod error;
pub mod openapi;
pub mod package;
mod run;
pub mod statement;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Path as UrlPath, RawQuery, State};
use axum::http::{HeaderMap, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use clap::Parser;
use judge_core::language::{self, LANGUAGES};
use judge_core::model::{now_ms, SubmissionRecord, SubmissionState};
use judge_core::problem::{self, Problem, ProblemError, ProblemSummary};
use judge_core::source::{self, Program, SourceFile};
use judge_core::store;
use serde_json::{json, Value};
use tokio_util::sync::CancellationToken;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

pub use auth::{AuthMode, Caller};
pub use error::ApiError;

/// How much larger than the code limit a request body may be (JSON framing, other fields).
pub const BODY_OVERHEAD_BYTES: usize = 16 * 1024;
/// How many submissions `GET /api/users/{user_id}/submissions` returns.
pub const USER_LIST_LIMIT: isize = 50;
/// How long a request waits for a pooled Redis connection or a reply.
pub(crate) const STORE_TIMEOUT: Duration = Duration::from_secs(3);
/// Default largest problem package upload (`JUDGE_MAX_PACKAGE_BYTES`).
pub const DEFAULT_MAX_PACKAGE_BYTES: usize = 256 << 20;

#[derive(Parser, Clone, Debug)]
#[command(name = "judge-api", about = "HTTP API of the online judge")]
pub struct Config {
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    #[arg(long, env = "JUDGE_API_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    #[arg(long, env = "JUDGE_PROBLEMS_DIR", default_value = "problems")]
    pub problems_dir: PathBuf,
    #[arg(long, env = "JUDGE_MAX_CODE_BYTES", default_value_t = 65536)]
    pub max_code_bytes: usize,
    /// Public WebSocket base URL of the gateway, as clients must use it.
    #[arg(long, env = "JUDGE_GATEWAY_URL", default_value = "ws://127.0.0.1:8081")]
    pub gateway_url: String,
    #[arg(long, env = "JUDGE_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,
    /// `required`: submissions and reads of submissions need a bearer token.
    /// `open`: INSECURE, for local development and tests only — no token
    /// needed, the submission's user id comes from the request body.
    #[arg(long, env = "JUDGE_AUTH", value_enum, default_value_t = AuthMode::Required)]
    pub auth: AuthMode,
    /// The admin token. If unset, the one in --admin-token-file is used, and
    /// if that file does not exist a new token is generated and written there.
    #[arg(long, env = "JUDGE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    #[arg(
        long,
        env = "JUDGE_ADMIN_TOKEN_FILE",
        default_value = ".judge/admin-token"
    )]
    pub admin_token_file: PathBuf,
    /// Largest problem package (tar or tar.gz) an admin may upload, in bytes.
    #[arg(long, env = "JUDGE_MAX_PACKAGE_BYTES", default_value_t = DEFAULT_MAX_PACKAGE_BYTES)]
    pub max_package_bytes: usize,
    /// Back-pressure: with this many jobs waiting or being judged, new
    /// submissions and runs get 503 with Retry-After instead of a place in a
    /// queue that would not be judged in reasonable time.
    #[arg(long, env = "JUDGE_MAX_QUEUE", default_value_t = 10_000)]
    pub max_queue: u64,
    /// Submissions and runs one user may make per minute (429 beyond); 0 turns it off.
    #[arg(long, env = "JUDGE_RATE_LIMIT", default_value_t = 60)]
    pub rate_limit_per_minute: u64,
    /// How long an import waits for a worker to compile a single-file output
    /// validator (it is compiled as a custom run); 0 skips the check.
    #[arg(long, env = "JUDGE_VALIDATOR_CHECK_SECS", default_value_t = 60)]
    pub validator_check_secs: u64,
}

#[derive(Clone)]
pub struct AppState {
    pub(crate) pool: judge_core::store::Pool,
    pub(crate) config: Arc<Config>,
    /// SHA-256 (hex) of the admin token.
    pub(crate) admin_hash: Arc<String>,
}

/// A loaded, packed problem: the problem, its package tar and its version hash.
pub type LoadedProblem = (Problem, Vec<u8>, String);

/// Loads and packs every subdirectory of `dir` (sorted by name; hidden ones
/// skipped). Malformed packages are returned as errors naming the file at fault.
pub fn load_problems_dir(dir: &Path) -> (Vec<LoadedProblem>, Vec<ProblemError>) {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ProblemError {
                file: dir.to_path_buf(),
                line: None,
                message: format!("cannot read the problems directory: {e}"),
            });
            return (loaded, errors);
        }
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    dirs.sort();
    for root in dirs {
        match Problem::load(&root).and_then(|p| problem::pack(&root).map(|(b, v)| (p, b, v))) {
            Ok(triple) => loaded.push(triple),
            Err(e) => errors.push(e),
        }
    }
    (loaded, errors)
}

/// Stores every loaded problem as the current version. Packages can be
/// large, so this uses a connection of its own, without the pooled 500 ms reply timeout.
async fn store_problems_dedicated(url: &str, problems: &[LoadedProblem]) -> Result<(), ApiError> {
    let mut conn = tokio::time::timeout(STORE_TIMEOUT, store::dedicated(url))
        .await
        .map_err(|_| ApiError::StoreUnavailable("timed out connecting to redis".into()))??;
    for (p, bytes, version) in problems {
        store::store_problem(&mut conn, &p.summary(version), bytes).await?;
        tracing::info!(problem = %p.id, %version, tests = p.tests.len(), "problem stored");
    }
    Ok(())
}

/// Loads the problems directory, logs what is wrong in it, and stores the
/// good problems; if Redis is down, keeps retrying in the background.
async fn load_and_store_problems(config: &Config, shutdown: &CancellationToken) {
    let dir = config.problems_dir.clone();
    let (loaded, errors) = tokio::task::spawn_blocking(move || load_problems_dir(&dir))
        .await
        .unwrap_or_else(|e| {
            (
                Vec::new(),
                vec![ProblemError {
                    file: config.problems_dir.clone(),
                    line: None,
                    message: format!("loading panicked: {e}"),
                }],
            )
        });
    for e in &errors {
        tracing::error!(error = %e, "problem skipped");
    }
    for (p, _, _) in &loaded {
        for w in &p.warnings {
            tracing::warn!(problem = %p.id, "{w}");
        }
    }
    if loaded.is_empty() {
        tracing::warn!(dir = %config.problems_dir.display(), "no problems loaded");
        return;
    }
    if let Err(e) = store_problems_dedicated(&config.redis_url, &loaded).await {
        tracing::warn!(error = %e, "storing problems failed; retrying in the background");
        let url = config.redis_url.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let mut delay = Duration::from_millis(500);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(delay) => {}
                }
                match store_problems_dedicated(&url, &loaded).await {
                    Ok(()) => return,
                    Err(e) => tracing::warn!(error = %e, "storing problems failed again"),
                }
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        });
    }
}

/// Builds the router (exposed for tests that want to call it without a socket).
/// `admin_token` is the resolved admin token (see [`auth::resolve_admin_token`]).
pub fn router(pool: judge_core::store::Pool, config: Config, admin_token: &str) -> Router {
    let web_dir = config.web_dir.clone();
    let state = AppState {
        pool,
        config: Arc::new(config),
        admin_hash: Arc::new(judge_core::model::token_hash(admin_token)),
    };
    let static_files = ServeDir::new(web_dir)
        .append_index_html_on_directories(true)
        .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
            not_found,
        ));
    Router::new()
        .route("/api/submissions", post(submit))
        .route("/api/run", post(run::handler))
        .route("/api/submissions/{id}", get(get_submission))
        .route("/api/submissions/{id}/code", get(get_submission_code))
        .route("/api/users/{user_id}/submissions", get(user_submissions))
        .route("/api/admin/users", post(admin::create_user))
        .route("/api/admin/problems/{id}", put(admin::import_problem))
        .route(
            "/api/admin/problems/{id}/validate",
            post(admin::validate_problem),
        )
        .route(
            "/api/admin/problems/{id}/rejudge",
            post(admin::rejudge_problem),
        )
        .route(
            "/api/admin/problems/{id}/versions/{version}/publish",
            post(admin::publish_version),
        )
        .route(
            "/api/admin/submissions/{id}/rejudge",
            post(admin::rejudge_submission),
        )
        .route("/api/openapi.json", get(openapi::handler))
        .route("/api/problems", get(list_problems))
        .route("/api/problems/{id}", get(get_problem))
        .route("/api/problems/{id}/statement/{file}", get(statement::asset))
        .route("/api/languages", get(languages))
        .route("/api/config", get(client_config))
        .route("/api/me", get(me))
        .route("/metrics", get(metrics))
        .route("/healthz", get(healthz))
        .route("/api", get(not_found))
        .route("/api/{*rest}", axum::routing::any(not_found))
        .fallback_service(static_files)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let pool = store::pool(&config.redis_url, 32).map_err(anyhow::Error::msg)?;
    let (admin_token, generated) =
        auth::resolve_admin_token(config.admin_token.as_deref(), &config.admin_token_file)?;
    if generated {
        tracing::warn!(file = %config.admin_token_file.display(),
            "no JUDGE_ADMIN_TOKEN given: generated an admin token and wrote it to this file (mode 0600)");
    } else if config.admin_token.is_none() {
        tracing::info!(file = %config.admin_token_file.display(), "admin token read from file");
    }
    if config.auth == AuthMode::Open {
        tracing::warn!("JUDGE_AUTH=open: INSECURE — anyone can submit as any user and read every submission; for local development and tests only");
    }
    store_admin_token(&config.redis_url, &admin_token, &shutdown).await;
    load_and_store_problems(&config, &shutdown).await;
    let app = router(pool, config, &admin_token);
    tracing::info!(addr = %listener.local_addr()?, "api listening");
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await?;
    Ok(())
}

/// Stores the admin token's hash like any other token, so that the gateway
/// accepts it; retries in the background while Redis is down.
async fn store_admin_token(url: &str, token: &str, shutdown: &CancellationToken) {
    let info = judge_core::model::TokenInfo {
        user_id: auth::ADMIN_USER_ID.into(),
        admin: true,
    };
    let attempt = {
        let url = url.to_string();
        let token = token.to_string();
        let info = info.clone();
        move || {
            let url = url.clone();
            let token = token.clone();
            let info = info.clone();
            async move {
                let mut conn = tokio::time::timeout(STORE_TIMEOUT, store::dedicated(&url))
                    .await
                    .map_err(|_| ApiError::StoreUnavailable("timed out".into()))??;
                store::store_token(&mut conn, &token, &info).await?;
                Ok::<(), ApiError>(())
            }
        }
    };
    if let Err(e) = attempt().await {
        tracing::warn!(error = %e, "storing the admin token failed; retrying in the background");
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let mut delay = Duration::from_millis(500);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(delay) => {}
                }
                if attempt().await.is_ok() {
                    return;
                }
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        });
    }
}

// ---- helpers ----

pub(crate) async fn conn(
    pool: &judge_core::store::Pool,
) -> Result<judge_core::connect::Connection, ApiError> {
    tokio::time::timeout(STORE_TIMEOUT, pool.get())
        .await
        .map_err(|_| ApiError::StoreUnavailable("timed out waiting for a redis connection".into()))?
        .map_err(ApiError::from)
}

/// How long a submission waits for a replica to confirm it before the API
/// refuses to acknowledge it.
const REPLICA_WAIT_MS: u64 = 1000;

/// Returns once what `conn` just wrote is safe enough to acknowledge: on a
/// replica too (`WAIT 1`) whenever the primary has one connected (`INFO
/// replication`), on the primary alone when it has none (a lone Redis, or a
/// Sentinel deployment that already lost its replica to a failover). A write
/// no replica confirmed in time is refused (503): a failover could lose it,
/// and the client must not be told it is safe. It may still be judged.
pub(crate) async fn replicated(conn: &mut judge_core::connect::Connection) -> Result<(), ApiError> {
    if timed(judge_core::connect::connected_replicas(conn)).await? == 0 {
        return Ok(());
    }
    // WAIT blocks longer than a pooled connection's 500 ms reply timeout;
    // lengthen it for this one command and put it back.
    conn.multiplexed()
        .set_response_timeout(Duration::from_millis(REPLICA_WAIT_MS + 1000));
    let acked: redis::RedisResult<u64> = redis::cmd("WAIT")
        .arg(1)
        .arg(REPLICA_WAIT_MS)
        .query_async(conn)
        .await;
    conn.multiplexed()
        .set_response_timeout(Duration::from_millis(500));
    match acked.map_err(ApiError::from)? {
        0 => Err(ApiError::StoreUnavailable(
            "no replica confirmed the submission in time; it is not acknowledged (it may still be judged)".into(),
        )),
        _ => Ok(()),
    }
}

/// Runs a store operation with a deadline, mapping every failure to an ApiError.
pub(crate) async fn timed<T>(
    fut: impl std::future::Future<Output = redis::RedisResult<T>>,
) -> Result<T, ApiError> {
    tokio::time::timeout(STORE_TIMEOUT, fut)
        .await
        .map_err(|_| ApiError::StoreUnavailable("redis did not answer in time".into()))?
        .map_err(ApiError::from)
}

pub use judge_core::model::is_valid_user_id;

fn is_plausible_submission_id(id: &str) -> bool {
    (1..=128).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

async fn not_found(uri: Uri) -> ApiError {
    ApiError::NotFound(uri.path().to_string())
}

// ---- submissions ----

/// A validated submission request.
#[derive(Debug)]
struct SubmitRequest {
    /// Only used in open mode without a token; otherwise ignored.
    user_id: Option<Value>,
    problem_id: String,
    language: String,
    /// The entry file's source (or the single `code`), for listings.
    code: String,
    /// Named files, when the submission came as `files`.
    files: Vec<SourceFile>,
    entry_point: Option<String>,
    /// Admin only: judge against this stored version (a draft, for
    /// `judge problem verify`) instead of the current one.
    problem_version: Option<String>,
}

fn string_field(
    obj: &serde_json::Map<String, Value>,
    field: &'static str,
) -> Result<String, ApiError> {
    match obj.get(field) {
        None | Some(Value::Null) => Err(ApiError::InvalidField {
            field,
            message: format!("missing field `{field}`"),
        }),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(other) => Err(ApiError::InvalidField {
            field,
            message: format!("`{field}` must be a string, found {}", json_type(other)),
        }),
    }
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Parses and checks everything that does not need Redis.
fn parse_submit(body: &[u8], max_code_bytes: usize) -> Result<SubmitRequest, ApiError> {
    let value: Value =
        serde_json::from_slice(body).map_err(|e| ApiError::MalformedJson(format!("{e}")))?;
    let Value::Object(obj) = value else {
        return Err(ApiError::InvalidField {
            field: "body",
            message: format!(
                "the body must be a JSON object, found {}",
                json_type(&value)
            ),
        });
    };
    let user_id = obj.get("user_id").cloned();
    let problem_id = string_field(&obj, "problem_id")?;
    let language = string_field(&obj, "language")?;
    if problem_id.is_empty() {
        return Err(ApiError::InvalidField {
            field: "problem_id",
            message: "problem_id must not be empty".into(),
        });
    }
    let Some(lang) = language::by_id(&language) else {
        return Err(ApiError::UnknownLanguage(language));
    };
    let entry_point = match obj.get("entry_point") {
        None | Some(Value::Null) => None,
        Some(_) => Some(string_field(&obj, "entry_point")?),
    };
    let problem_version = match obj.get("problem_version") {
        None | Some(Value::Null) => None,
        Some(_) => {
            let version = string_field(&obj, "problem_version")?;
            // Versions are hex SHA-256 hashes; anything else cannot be stored.
            if version.is_empty()
                || version.len() > 128
                || !version.bytes().all(|b| b.is_ascii_hexdigit())
            {
                return Err(ApiError::InvalidField {
                    field: "problem_version",
                    message: "problem_version must be a version hash (hex)".into(),
                });
            }
            Some(version)
        }
    };
    // Either one `code` (the editor) or named `files` (a package's
    // submission, several files): names matter to Java, Kotlin and argv[0].
    let (code, files) = match obj.get("files") {
        None | Some(Value::Null) => (string_field(&obj, "code")?, Vec::new()),
        Some(value) => {
            let files = parse_files(value)?;
            // Names and sources only: the entry point may come with the
            // package's included files, so it is found when judging.
            source::check_files(lang, &files).map_err(|e| ApiError::InvalidField {
                field: "files",
                message: e.to_string(),
            })?;
            for file in files.iter().filter(|f| lang.owns(&f.name)) {
                if let Err(language::Undetected::Unsupported(why)) =
                    language::detect(&file.name, &file.content)
                {
                    return Err(ApiError::InvalidField {
                        field: "files",
                        message: format!("{}: {why}", file.name),
                    });
                }
            }
            // The entry file's source is the one a listing shows.
            let shown = Program::new(lang, files.clone(), entry_point.as_deref())
                .ok()
                .and_then(|p| files.iter().find(|f| f.name == p.entry).cloned())
                .unwrap_or_else(|| files[0].clone());
            (shown.content, files)
        }
    };
    let size = if files.is_empty() {
        code.len()
    } else {
        files.iter().map(|f| f.content.len()).sum()
    };
    if files.is_empty() && code.trim().is_empty() {
        return Err(ApiError::InvalidField {
            field: "code",
            message: "code must not be empty".into(),
        });
    }
    if size > max_code_bytes {
        return Err(ApiError::CodeTooLarge {
            size,
            max: max_code_bytes,
        });
    }
    Ok(SubmitRequest {
        user_id,
        problem_id,
        language,
        code,
        files,
        entry_point,
        problem_version,
    })
}

/// `files`: a non-empty array of `{"name": "...", "content": "..."}`.
fn parse_files(value: &Value) -> Result<Vec<SourceFile>, ApiError> {
    let invalid = |message: String| ApiError::InvalidField {
        field: "files",
        message,
    };
    let Value::Array(items) = value else {
        return Err(invalid(format!(
            "`files` must be an array of {{name, content}}, found {}",
            json_type(value)
        )));
    };
    if items.is_empty() {
        return Err(invalid("`files` must not be empty".into()));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            let name = item.get("name").and_then(Value::as_str);
            let content = item.get("content").and_then(Value::as_str);
            match (name, content) {
                (Some(name), Some(content)) => Ok(SourceFile {
                    name: name.to_string(),
                    content: content.to_string(),
                }),
                _ => Err(invalid(format!(
                    "files[{i}] must be an object with string `name` and `content`"
                ))),
            }
        })
        .collect()
}

pub(crate) async fn read_body(body: Body, limit: usize) -> Result<Bytes, ApiError> {
    match axum::body::to_bytes(body, limit).await {
        Ok(bytes) => Ok(bytes),
        Err(e) => {
            let inner = e.into_inner();
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(inner.as_ref());
            while let Some(err) = source {
                if err.is::<http_body_util::LengthLimitError>() {
                    return Err(ApiError::BodyTooLarge { max: limit });
                }
                source = err.source();
            }
            Err(ApiError::BadBody(inner.to_string()))
        }
    }
}

/// The body's `user_id`, used only in open mode for a request without a token.
fn body_user_id(value: Option<&Value>) -> Result<String, ApiError> {
    let user_id = match value {
        None | Some(Value::Null) => {
            return Err(ApiError::InvalidField {
                field: "user_id",
                message: "missing field `user_id` (JUDGE_AUTH=open without a token)".into(),
            })
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            return Err(ApiError::InvalidField {
                field: "user_id",
                message: format!("`user_id` must be a string, found {}", json_type(other)),
            })
        }
    };
    if !is_valid_user_id(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: "user_id must be 1-64 characters of A-Z a-z 0-9 _ . -".into(),
        });
    }
    Ok(user_id)
}

async fn submit(
    State(app): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    let caller = auth::authenticate(&app, &headers, None).await?;
    let max = app.config.max_code_bytes;
    let bytes = read_body(body, max + BODY_OVERHEAD_BYTES).await?;
    let req = parse_submit(&bytes, max)?;
    // The token decides who submits; the body's user_id only counts without one (open mode).
    let user_id = match caller.user_id() {
        Some(u) => u.to_string(),
        None => body_user_id(req.user_id.as_ref())?,
    };

    let mut conn = conn(&app.pool).await?;
    let summary = match &req.problem_version {
        None => {
            admit(&app, &mut conn, &user_id).await?;
            timed(store::current_problem(&mut conn, &req.problem_id))
                .await?
                .ok_or_else(|| ApiError::UnknownProblem(req.problem_id.clone()))?
        }
        Some(version) => {
            // Drafts are for admins: a user may not even learn one exists.
            if !caller.is_admin() {
                return Err(ApiError::Forbidden(
                    "problem_version: only an admin may submit against a chosen problem version"
                        .into(),
                ));
            }
            // A package check submits all its submissions at once: the
            // queue bound applies, the per-user rate limit does not.
            let jobs = timed(store::queued_jobs(&mut conn)).await?;
            if jobs >= app.config.max_queue {
                return Err(ApiError::QueueFull {
                    jobs,
                    retry_after: 10,
                });
            }
            timed(store::problem_version(&mut conn, &req.problem_id, version))
                .await?
                .ok_or_else(|| ApiError::InvalidField {
                    field: "problem_version",
                    message: format!(
                        "problem {:?} has no stored version {version:?}",
                        req.problem_id
                    ),
                })?
                .0
        }
    };
    // Submissions against a chosen version are package checks: they are
    // kept under their own user id, out of the admin's history and out of
    // the problem's index (a rejudge must not move them).
    let verification = req.problem_version.is_some();
    let user_id = if verification {
        judge_core::keys::VERIFY_USER_ID.to_string()
    } else {
        user_id
    };

    let record = SubmissionRecord {
        id: uuid::Uuid::now_v7().to_string(),
        user_id,
        problem_id: req.problem_id,
        problem_version: summary.version.clone(),
        language: req.language,
        code: req.code,
        files: req.files,
        entry_point: req.entry_point,
        created_at_ms: now_ms(),
    };
    let mut state = SubmissionState::queued(&record, summary.tests);
    // A scoring problem's groups are known before judging: the first state a
    // client sees (this answer, the WebSocket snapshot) already lists them.
    state.groups = summary.group_results();
    state.max_score = summary.max_score;
    if verification {
        timed(store::create_verification_submission(
            &mut conn, &record, &state,
        ))
        .await?;
    } else {
        timed(store::create_submission(&mut conn, &record, &state)).await?;
    }
    replicated(&mut conn).await?;
    tracing::info!(id = %record.id, user = %record.user_id, problem = %record.problem_id,
        language = %record.language, "submission accepted");

    let body = json!({
        "id": record.id,
        "status_url": format!("/api/submissions/{}", record.id),
        "watch_url": format!("{}/ws/submissions/{}", app.config.gateway_url.trim_end_matches('/'), record.id),
        "state": state,
    });
    Ok((StatusCode::ACCEPTED, Json(body)).into_response())
}

fn forbidden_unless(caller: &Caller, owner: &str, what: &str) -> Result<(), ApiError> {
    if caller.may_access(owner) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "{what} belongs to another user"
        )))
    }
}

/// The state of a submission: its owner and admins only (401 / 403 / 404).
async fn get_submission(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<SubmissionState>, ApiError> {
    let caller = auth::authenticate(&app, &headers, query.as_deref()).await?;
    if !is_plausible_submission_id(&id) {
        return Err(ApiError::UnknownSubmission(id));
    }
    let mut conn = conn(&app.pool).await?;
    let state = timed(store::load_state(&mut conn, &id))
        .await?
        .ok_or(ApiError::UnknownSubmission(id))?;
    forbidden_unless(&caller, &state.user_id, "this submission")?;
    Ok(Json(state))
}

/// The source code of a submission: its owner and admins only.
async fn get_submission_code(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let caller = auth::authenticate(&app, &headers, query.as_deref()).await?;
    if !is_plausible_submission_id(&id) {
        return Err(ApiError::UnknownSubmission(id));
    }
    let mut conn = conn(&app.pool).await?;
    let record = timed(store::load_record(&mut conn, &id))
        .await?
        .ok_or(ApiError::UnknownSubmission(id))?;
    forbidden_unless(&caller, &record.user_id, "this submission")?;
    Ok(Json(json!({
        "id": record.id,
        "user_id": record.user_id,
        "problem_id": record.problem_id,
        "problem_version": record.problem_version,
        "language": record.language,
        "code": record.code,
        "files": record.files,
        "entry_point": record.entry_point,
        "created_at_ms": record.created_at_ms,
    })))
}

async fn user_submissions(
    State(app): State<AppState>,
    UrlPath(user_id): UrlPath<String>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Vec<SubmissionState>>, ApiError> {
    let caller = auth::authenticate(&app, &headers, query.as_deref()).await?;
    if !is_valid_user_id(&user_id) {
        return Err(ApiError::InvalidField {
            field: "user_id",
            message: "user_id must be 1-64 characters of A-Z a-z 0-9 _ . -".into(),
        });
    }
    forbidden_unless(&caller, &user_id, "this submission list")?;
    let mut conn = conn(&app.pool).await?;
    let states = timed(store::user_states(&mut conn, &user_id, USER_LIST_LIMIT)).await?;
    Ok(Json(states))
}

// ---- problems, languages, config, health ----

/// Every problem; with a known caller, each with `best`: the caller's best
/// result on it (`null` if none). `?user=ID` asks for another user's (an
/// admin's right; anyone's in open mode).
async fn list_problems(
    State(app): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let user = best_user(&app, query.as_deref(), &headers).await?;
    let mut conn = conn(&app.pool).await?;
    let problems = timed(store::list_problems(&mut conn)).await?;
    let bests = match &user {
        Some(user) => Some(timed(store::user_bests(&mut conn, user)).await?),
        None => None,
    };
    Ok(Json(Value::Array(
        problems
            .iter()
            .map(|p| {
                let mut entry = json!({
                    "id": p.id,
                    "name": p.name,
                    "time_limit_ms": p.time_limit_ms,
                    "memory_mb": p.memory_mb,
                    "tests": p.tests,
                    "validation": p.validation,
                    "version": p.version,
                    "scoring": p.scoring,
                    "max_score": p.max_score,
                });
                if let Some(bests) = &bests {
                    entry["best"] = bests.get(&p.id).map(best_json).unwrap_or(Value::Null);
                }
                entry
            })
            .collect(),
    )))
}

/// Whose best results the problem list shows: `?user=` if the caller may
/// see that user's results, else the token's user. A missing or unknown
/// token without `?user=` is no error here: the list is public, and a page
/// holding a stale token must still show it, just without results.
async fn best_user(
    app: &AppState,
    query: Option<&str>,
    headers: &HeaderMap,
) -> Result<Option<String>, ApiError> {
    let asked = query.and_then(|q| {
        q.split('&')
            .find_map(|pair| pair.strip_prefix("user="))
            .map(str::to_string)
    });
    let Some(user) = asked else {
        return Ok(auth::authenticate(app, headers, query)
            .await
            .ok()
            .and_then(|c| c.user_id().map(str::to_string)));
    };
    if !is_valid_user_id(&user) {
        return Err(ApiError::InvalidField {
            field: "user",
            message: "user must be 1-64 characters of A-Z a-z 0-9 _ . -".into(),
        });
    }
    let caller = auth::authenticate(app, headers, query).await?;
    forbidden_unless(&caller, &user, "this user's results")?;
    Ok(Some(user))
}

/// A best result as the API shows it (without the store's ranking fields).
fn best_json(best: &judge_core::best::Best) -> Value {
    let mut value = json!({
        "submission_id": best.submission_id,
        "verdict": best.verdict,
        "solved": best.solved,
    });
    if let Some(score) = best.score {
        value["score"] = json!(score);
    }
    if let Some(max) = best.max_score {
        value["max_score"] = json!(max);
    }
    value
}

async fn get_problem(
    State(app): State<AppState>,
    UrlPath(id): UrlPath<String>,
) -> Result<Json<ProblemSummary>, ApiError> {
    if !problem::is_valid_id(&id) {
        return Err(ApiError::UnknownProblem(id));
    }
    let mut conn = conn(&app.pool).await?;
    timed(store::current_problem(&mut conn, &id))
        .await?
        .map(Json)
        .ok_or(ApiError::UnknownProblem(id))
}

async fn languages() -> Json<Value> {
    Json(Value::Array(
        LANGUAGES
            .iter()
            .map(|l| {
                json!({
                    "id": l.id,
                    "name": l.name,
                    "extensions": l.extensions,
                    "editor_mode": l.editor_mode,
                    "time_multiplier": l.time_multiplier,
                })
            })
            .collect(),
    ))
}

/// Refuses new work from a user over the rate limit (429) or when the queue
/// is over its bound (503), both with Retry-After. Checked before anything
/// is stored, so a refused request leaves no trace but the rate counter.
pub(crate) async fn admit(
    app: &AppState,
    conn: &mut judge_core::connect::Connection,
    user_id: &str,
) -> Result<(), ApiError> {
    if app.config.rate_limit_per_minute > 0 {
        let (count, seconds_left) =
            timed(store::count_for_rate_limit(conn, user_id, now_ms())).await?;
        if count > app.config.rate_limit_per_minute {
            return Err(ApiError::RateLimited {
                limit: app.config.rate_limit_per_minute,
                retry_after: seconds_left,
            });
        }
    }
    let jobs = timed(store::queued_jobs(conn)).await?;
    if jobs >= app.config.max_queue {
        return Err(ApiError::QueueFull {
            jobs,
            retry_after: 10,
        });
    }
    Ok(())
}

/// Prometheus metrics of the whole judge: queue, workers, verdicts, latency.
async fn metrics(State(app): State<AppState>) -> Result<Response, ApiError> {
    let mut conn = conn(&app.pool).await?;
    let queue = timed(store::queue_snapshot(&mut conn)).await?;
    let stats = timed(store::load_stats(&mut conn)).await?;
    let body = judge_core::stats::render(&queue, &stats);
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/plain; version=0.0.4",
        )],
        body,
    )
        .into_response())
}

/// Who the token belongs to, so a client need not be told its user id twice.
/// In open mode a request without a token gets `user_id: null`.
async fn me(State(app): State<AppState>, headers: HeaderMap) -> Result<Json<Value>, ApiError> {
    let caller = auth::authenticate(&app, &headers, None).await?;
    Ok(Json(
        json!({ "user_id": caller.user_id(), "admin": caller.is_admin() }),
    ))
}

async fn client_config(State(app): State<AppState>) -> Json<Value> {
    Json(json!({ "gateway_url": app.config.gateway_url }))
}

async fn healthz(State(app): State<AppState>) -> Response {
    let result: Result<String, ApiError> = async {
        let mut conn = conn(&app.pool).await?;
        timed(redis::cmd("PING").query_async::<String>(&mut conn)).await
    }
    .await;
    match result {
        Ok(_) => (StatusCode::OK, Json(json!({ "status": "ok" }))).into_response(),
        Err(e) => (
            StatusCode::SERVICE_UNAVAILABLE,
            Json(json!({ "status": "unavailable", "error": { "code": e.code(), "message": e.to_string() } })),
        )
            .into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_errors_name_the_problem() {
        let e = parse_submit(b"{\"user_id\": ", 100).unwrap_err();
        assert_eq!(e.status(), StatusCode::BAD_REQUEST);
        assert!(e.to_string().contains("line 1"), "{e}");

        let e =
            parse_submit(br#"{"user_id":"u","problem_id":"p","language":"cpp"}"#, 100).unwrap_err();
        assert_eq!(e.field(), Some("code"));
        assert_eq!(e.status(), StatusCode::UNPROCESSABLE_ENTITY);

        let e = body_user_id(Some(&json!(5))).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        let e = body_user_id(Some(&json!("a b"))).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        let e = body_user_id(None).unwrap_err();
        assert_eq!(e.field(), Some("user_id"));
        assert_eq!(body_user_id(Some(&json!("u.1-_"))).unwrap(), "u.1-_");

        let e = parse_submit(
            br#"{"user_id":"u","problem_id":"p","language":"cobol","code":"x"}"#,
            100,
        )
        .unwrap_err();
        assert_eq!(e.code(), "unknown_language");

        let e = parse_submit(
            br#"{"user_id":"u","problem_id":"p","language":"cpp","code":"xxxx"}"#,
            3,
        )
        .unwrap_err();
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);

        assert!(parse_submit(
            br#"{"user_id":"u.1-_","problem_id":"p","language":"cpp","code":"x"}"#,
            3
        )
        .is_ok());
    }

    #[test]
    fn files_keep_their_names_and_are_checked() {
        let req = parse_submit(
            br#"{"problem_id":"p","language":"python3","files":[{"name":"solve.py","content":"import sys"},{"name":"util.py","content":"x=1"}],"entry_point":"solve.py"}"#,
            100,
        )
        .unwrap();
        assert_eq!(req.files.len(), 2);
        assert_eq!(req.code, "import sys");
        assert_eq!(req.entry_point.as_deref(), Some("solve.py"));

        for body in [
            &br#"{"problem_id":"p","language":"cpp","files":[]}"#[..],
            br#"{"problem_id":"p","language":"cpp","files":"a.cpp"}"#,
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"../a.cpp","content":"x"}]}"#,
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"a.h","content":"x"}]}"#,
            br##"{"problem_id":"p","language":"python3","files":[{"name":"a.py","content":"#!/usr/bin/python2\nprint 1"}]}"##,
        ] {
            let e = parse_submit(body, 100).unwrap_err();
            assert_eq!(e.field(), Some("files"), "{}", String::from_utf8_lossy(body));
        }
        let req = parse_submit(
            br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":"ab12"}"#,
            100,
        )
        .unwrap();
        assert_eq!(req.problem_version.as_deref(), Some("ab12"));
        for body in [
            &br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":"../x"}"#[..],
            br#"{"problem_id":"p","language":"cpp","code":"x","problem_version":7}"#,
        ] {
            let e = parse_submit(body, 100).unwrap_err();
            assert_eq!(e.field(), Some("problem_version"));
        }
        let e = parse_submit(
            br#"{"problem_id":"p","language":"cpp","files":[{"name":"a.cpp","content":"xxxx"},{"name":"b.cpp","content":"xxxx"}]}"#,
            6,
        )
        .unwrap_err();
        assert_eq!(e.status(), StatusCode::PAYLOAD_TOO_LARGE);
    }
}
