//! Contests over HTTP: the public routes (`/api/contests`), the admin's
//! (`/api/admin/contests`), and the ICPC Contest API 2026-01 under
//! `/api/ccs/`. A contest is its Redis log (`judge_store::contest`); each
//! API process keeps a caught-up [`contest::replay::Replay`] per contest
//! ([`cache`]) and serves from it. [`entry`] decides which contest a new
//! submission counts in; [`visibility`] hides a problem from non-admins
//! until its contest starts; [`clock`] logs start, freeze and end when they
//! happen.

pub mod admin;
pub mod cache;
pub mod caller;
pub mod ccs;
pub mod clock;
pub mod config;
pub mod entry;
pub mod feed;
pub mod import;
pub mod public;
pub mod view;
pub mod visibility;

use axum::routing::{get, patch, post};
use axum::{Extension, Router};

use crate::state::AppState;

/// Every contest route, merged into the main router (which adds the state).
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/contests", get(public::list))
        .route("/api/contests/{id}", get(public::get))
        .route("/api/contests/{id}/scoreboard", get(public::scoreboard))
        .route("/api/contests/{id}/register", post(public::register))
        .route(
            "/api/contests/{id}/clarifications",
            get(public::list_clarifications).post(public::ask),
        )
        .route("/api/admin/contests", post(import::import_contest))
        .route("/api/admin/contests/{id}", patch(admin::patch_contest))
        .route("/api/admin/contests/{id}/teams", post(admin::add_team))
        .route(
            "/api/admin/contests/{id}/clarifications",
            post(admin::answer_clarification),
        )
        .route("/api/admin/contests/{id}/{action}", post(admin::action))
        .route("/api/ccs", get(ccs::info))
        .route("/api/ccs/", get(ccs::info))
        .route("/api/ccs/contests", get(ccs::contests))
        .route("/api/ccs/contests/{id}", get(ccs::contest_object))
        .route("/api/ccs/contests/{id}/access", get(ccs::access))
        .route("/api/ccs/contests/{id}/state", get(ccs::state))
        .route("/api/ccs/contests/{id}/scoreboard", get(ccs::scoreboard))
        .route("/api/ccs/contests/{id}/event-feed", get(feed::event_feed))
        .route("/api/ccs/contests/{id}/{kind}", get(ccs::collection))
        .route("/api/ccs/contests/{id}/{kind}/{item}", get(ccs::item))
        .layer(Extension(cache::Contests::default()))
}
