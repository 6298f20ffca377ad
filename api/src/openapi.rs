//! `GET /api/openapi.json`: the OpenAPI 3.1 document, derived from the
//! handlers' `#[utoipa::path]` attributes and the bodies' types
//! (`api_types`, and the domain types they show). `api/tests/openapi.rs`
//! fails when a route of the router is missing here, and
//! `api/tests/contract.rs` validates every route's real answers against it.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use problem_package::statement::CONTENT_TYPES;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, RefOr};
use utoipa::{Modify, OpenApi};

use crate::routes::{admin, auth, meta, problems, runs, statement, submissions};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "judge API",
        description = "Online judge HTTP API. Authentication: `Authorization: Bearer <token>` (from an admin, or POST /api/auth/tokens with a name and password), or the `judge_session` cookie of a browser sign-in (POST /api/auth/signin); a cookie-authenticated POST/PUT/DELETE must carry the session's `X-CSRF-Token` header (403 naming it otherwise). With JUDGE_AUTH=open (INSECURE, local development only) requests without a token are accepted and a submission's user_id comes from its body. Errors are `{\"error\": {\"code\", \"message\", \"field\"}}` (ErrorBody). Live events: the gateway's /ws/submissions/{id} and /ws/users/{user_id} (token as ?token= or Authorization header)."
    ),
    paths(
        submissions::submit,
        runs::handler,
        submissions::get_submission,
        submissions::get_submission_code,
        submissions::user_submissions,
        auth::signup,
        auth::signin,
        auth::signout,
        auth::session,
        auth::create_token,
        auth::list_tokens,
        auth::revoke_token,
        admin::users::create_user,
        admin::users::set_admin,
        admin::settings::get_settings,
        admin::settings::put_settings,
        admin::languages::enable_language,
        admin::problems::import_problem,
        admin::problems::validate_problem,
        admin::problems::rejudge_problem,
        admin::problems::publish_version,
        admin::submissions::rejudge_submission,
        handler,
        problems::list_problems,
        problems::get_problem,
        statement::asset,
        problems::stub,
        meta::languages,
        meta::client_config,
        meta::me,
        meta::metrics,
        meta::healthz,
    ),
    modifiers(&SecuritySchemes, &StatementFiles)
)]
pub struct ApiDoc;

/// The document, as served.
pub fn document() -> serde_json::Value {
    serde_json::to_value(ApiDoc::openapi()).expect("an OpenAPI document is JSON")
}

/// The document's JSON text, made once.
static DOCUMENT: LazyLock<String> = LazyLock::new(|| document().to_string());

/// This document.
#[utoipa::path(get, path = "/api/openapi.json", tag = "meta",
    responses((status = 200, description = "the OpenAPI 3.1 document of the API", content_type = "application/json")))]
pub async fn handler() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        DOCUMENT.as_str(),
    )
}

/// `bearer` (a token) and `session` (the browser's cookie), which the
/// routes' `security` name.
struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::new(
                judge_store::auth::SESSION_COOKIE,
            ))),
        );
    }
}

/// A statement file's 200: one content per served type
/// ([`CONTENT_TYPES`]), each the file's bytes (no schema: OpenAPI 3.1's
/// way to say binary).
struct StatementFiles;

impl Modify for StatementFiles {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let Some(ok) = openapi
            .paths
            .paths
            .get_mut("/api/problems/{id}/statement/{file}")
            .and_then(|item| item.get.as_mut())
            .and_then(|get| get.responses.responses.get_mut("200"))
        else {
            return;
        };
        let RefOr::T(ok) = ok else { return };
        ok.description = format!(
            "the file; an SVG with Content-Security-Policy: {}",
            statement::SVG_CSP
        );
        for (_, kind) in CONTENT_TYPES {
            let bytes = Content::new(None::<RefOr<utoipa::openapi::Schema>>);
            ok.content.insert(kind.to_string(), bytes.into());
        }
    }
}
