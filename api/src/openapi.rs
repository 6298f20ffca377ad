//! `GET /api/openapi.json`: the OpenAPI 3.1 document, derived from the
//! handlers' `#[utoipa::path]` attributes and the bodies' types
//! (`api_types`, and the domain types they show). `api/tests/openapi.rs`
//! fails when a route of the router is missing here, and
//! `api/tests/contract.rs` validates every route's real answers against it.

use std::sync::LazyLock;

use axum::http::header;
use axum::response::IntoResponse;
use problem_package::statement::CONTENT_TYPES;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::ArrayBuilder;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, Http, HttpAuthScheme, SecurityScheme};
use utoipa::openapi::{Content, PathItem, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi};

use crate::contests::{admin as contest_admin, ccs, feed, import, public};
use crate::routes::{admin, auth, cancel, meta, problems, runs, statement, submissions};

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
        cancel::admin_cancel,
        cancel::owner_cancel,
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
        public::list,
        public::get,
        public::scoreboard,
        public::register,
        public::list_clarifications,
        public::ask,
        import::import_contest,
        contest_admin::patch_contest,
        contest_admin::action,
        contest_admin::add_team,
        contest_admin::answer_clarification,
        ccs::info,
        ccs::contests,
        ccs::contest_object,
        ccs::access,
        ccs::state,
        ccs::scoreboard,
        feed::event_feed,
    ),
    components(schemas(api_types::FeedEvent)),
    modifiers(&SecuritySchemes, &StatementFiles, &CcsCollections)
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

/// The Contest API's collections, `/api/ccs/contests/{id}/{kind}` and
/// `.../{kind}/{item}` in the router, one path per collection here (each
/// kind has its own object schema), and `/api/ccs/` as `/api/ccs`.
struct CcsCollections;

impl Modify for CcsCollections {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let paths = &mut openapi.paths.paths;
        if let Some(info) = paths.get("/api/ccs").cloned() {
            let mut slash = info;
            if let Some(get) = slash.get.as_mut() {
                get.operation_id = Some("info_slash".into());
            }
            paths.insert("/api/ccs/".into(), slash);
        }
        let path_param = |name: &str, description: &str| {
            ParameterBuilder::new()
                .name(name)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(Some(description))
                .schema(Some(utoipa::openapi::schema::Object::with_type(
                    utoipa::openapi::schema::Type::String,
                )))
                .build()
        };
        let json = |schema: RefOr<utoipa::openapi::Schema>| Content::new(Some(schema));
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content(
                    "application/json",
                    json(Ref::from_schema_name("ErrorBody").into()),
                )
                .build()
        };
        for kind in ccs::COLLECTIONS {
            let name = api_types::contests::ccs_schema_name(kind)
                .unwrap_or_else(|| panic!("no schema for the collection {kind}"));
            let object = || Ref::from_schema_name(name.clone());
            let snake = kind.replace('-', "_");
            let list = OperationBuilder::new()
                .tag("ccs")
                .operation_id(Some(format!("ccs_{snake}")))
                .summary(Some(format!("The contest's {kind} the caller may see.")))
                .description(Some(
                    "Filtered by id properties: `?team_id=t1&problem_id=a` (all must hold; \
                     an empty value matches null). Hidden from the public: problems before \
                     the start, judgements and runs of submissions made during the freeze \
                     until the thaw, hidden teams, other teams' accounts and clarifications.",
                ))
                .parameter(path_param("id", "contest id"))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description(format!("the {kind}"))
                        .content(
                            "application/json",
                            json(ArrayBuilder::new().items(object()).into()),
                        ),
                )
                .response("401", error("an unknown token"))
                .response("404", error("no such contest"))
                .response(
                    "422",
                    error("a filter on something that is no id property (field query)"),
                );
            paths.insert(
                format!("/api/ccs/contests/{{id}}/{kind}"),
                PathItem::new(HttpMethod::Get, list),
            );
            let one = OperationBuilder::new()
                .tag("ccs")
                .operation_id(Some(format!("ccs_{snake}_item")))
                .summary(Some(format!("One of the contest's {kind}.")))
                .parameter(path_param("id", "contest id"))
                .parameter(path_param("item", "the object's id"))
                .response(
                    "200",
                    ResponseBuilder::new()
                        .description("the object")
                        .content("application/json", json(object().into())),
                )
                .response("401", error("an unknown token"))
                .response(
                    "404",
                    error("no such contest, or no such object the caller may see"),
                );
            paths.insert(
                format!("/api/ccs/contests/{{id}}/{kind}/{{item}}"),
                PathItem::new(HttpMethod::Get, one),
            );
        }
    }
}
