//! Building the application from its configuration: the router with every
//! route (the one list of routes; `api/tests/openapi.rs` checks each is in
//! the OpenAPI document), and `serve`, which resolves the admin token, loads
//! the problems directory and listens until shutdown.

use std::sync::Arc;
use std::time::Duration;

use axum::routing::{any, delete, get, post, put};
use axum::Router;
use judge_store::auth::{AuthMode, ADMIN_USER_ID};
use judge_store::{accounts, store};
use tokio_util::sync::CancellationToken;
use tower_http::services::ServeDir;
use tower_http::trace::TraceLayer;

use crate::auth;
use crate::config::{Config, SignupMode};
use crate::error::ApiError;
use crate::openapi;
use crate::problems_dir::load_and_store_problems;
use crate::routes::auth as auth_routes;
use crate::routes::meta::not_found;
use crate::routes::{admin, cancel, meta, problems, runs, statement, submissions};
use crate::state::{dedicated, AppState};

/// Builds the router (exposed for tests that want to call it without a socket).
/// `admin_token` is the resolved admin token (see [`auth::resolve_admin_token`]).
pub fn router(pool: judge_store::store::Pool, config: Config, admin_token: &str) -> Router {
    let web_dir = config.web_dir.clone();
    let state = AppState {
        pool,
        config: Arc::new(config),
        admin_hash: Arc::new(judge_store::tokens::token_hash(admin_token)),
        hashing: Arc::new(tokio::sync::Semaphore::new(
            std::thread::available_parallelism().map_or(2, |n| n.get()),
        )),
    };
    let static_files = ServeDir::new(web_dir)
        .append_index_html_on_directories(true)
        .not_found_service(axum::handler::HandlerWithoutStateExt::into_service(
            not_found,
        ));
    Router::new()
        .route("/api/submissions", post(submissions::submit))
        .route("/api/run", post(runs::handler))
        .route("/api/submissions/{id}", get(submissions::get_submission))
        .route(
            "/api/submissions/{id}/code",
            get(submissions::get_submission_code),
        )
        .route(
            "/api/users/{user_id}/submissions",
            get(submissions::user_submissions),
        )
        .route("/api/auth/signup", post(auth_routes::signup))
        .route("/api/auth/signin", post(auth_routes::signin))
        .route("/api/auth/signout", post(auth_routes::signout))
        .route("/api/auth/session", get(auth_routes::session))
        .route(
            "/api/auth/tokens",
            post(auth_routes::create_token).get(auth_routes::list_tokens),
        )
        .route("/api/auth/tokens/{id}", delete(auth_routes::revoke_token))
        .route("/api/admin/users", post(admin::users::create_user))
        .route(
            "/api/admin/users/{user_id}/admin",
            put(admin::users::set_admin),
        )
        .route(
            "/api/admin/settings",
            get(admin::settings::get_settings).put(admin::settings::put_settings),
        )
        .route(
            "/api/admin/languages/{id}/enable",
            post(admin::languages::enable_language),
        )
        .route(
            "/api/admin/problems/{id}",
            put(admin::problems::import_problem),
        )
        .route(
            "/api/admin/problems/{id}/validate",
            post(admin::problems::validate_problem),
        )
        .route(
            "/api/admin/problems/{id}/rejudge",
            post(admin::problems::rejudge_problem),
        )
        .route(
            "/api/admin/problems/{id}/versions/{version}/publish",
            post(admin::problems::publish_version),
        )
        .route(
            "/api/admin/submissions/{id}/rejudge",
            post(admin::submissions::rejudge_submission),
        )
        .route(
            "/api/admin/submissions/{id}/cancel",
            post(cancel::admin_cancel),
        )
        .route("/api/submissions/{id}/cancel", post(cancel::owner_cancel))
        .route("/api/openapi.json", get(openapi::handler))
        .route("/api/problems", get(problems::list_problems))
        .route("/api/problems/{id}", get(problems::get_problem))
        .route("/api/problems/{id}/statement/{file}", get(statement::asset))
        .route("/api/problems/{id}/stub/{language}", get(problems::stub))
        .route("/api/languages", get(meta::languages))
        .route("/api/config", get(meta::client_config))
        .route("/api/me", get(meta::me))
        .route("/metrics", get(meta::metrics))
        .route("/healthz", get(meta::healthz))
        // Contests, the Contest API, and problems hidden until their contest starts.
        .merge(crate::contests::router())
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            crate::contests::visibility::hide_problems,
        ))
        .route("/api", get(not_found))
        .route("/api/{*rest}", any(not_found))
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
    let signup = config.signup.map(|mode| mode == SignupMode::Open);
    store_startup_state(&config.redis_url, &admin_token, signup, &shutdown).await;
    load_and_store_problems(&config, &shutdown).await;
    // The dummy hash an unknown user is checked against is made now, so the
    // first such sign-in takes no longer than a wrong password.
    tokio::task::spawn_blocking(accounts::warm_up);
    // Start, freeze and end reach the contests' logs on time (see contests::clock).
    tokio::spawn(crate::contests::clock::run(pool.clone(), shutdown.clone()));
    // Package checks whose client went away are cancelled (see check_lease).
    if let Some(lease) = crate::check_lease::lease(&config) {
        tokio::spawn(crate::check_lease::run(
            pool.clone(),
            lease,
            shutdown.clone(),
        ));
    }
    let app = router(pool, config, &admin_token);
    tracing::info!(addr = %listener.local_addr()?, "api listening");
    // The peer address feeds the per-address sign-in back-off.
    let app = app.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await?;
    Ok(())
}

/// Stores the admin token's hash like any other token, so that the gateway
/// accepts it, and `JUDGE_SIGNUP` when it was given; retries in the
/// background while Redis is down.
async fn store_startup_state(
    url: &str,
    token: &str,
    signup_open: Option<bool>,
    shutdown: &CancellationToken,
) {
    let info = judge_store::tokens::TokenInfo {
        user_id: ADMIN_USER_ID.into(),
        admin: true,
    };
    let attempt = {
        let url = url.to_string();
        let token = token.to_string();
        move || {
            let url = url.clone();
            let token = token.clone();
            let info = info.clone();
            async move {
                let mut conn = dedicated(&url).await?;
                store::store_token(&mut conn, &token, &info).await?;
                if let Some(open) = signup_open {
                    accounts::set_signup_open(&mut conn, open).await?;
                }
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
