//! `GET /api/openapi.json`: a hand-maintained OpenAPI 3.0 description of
//! every route. `api/tests/openapi.rs` fails when a route of the router is
//! missing here.

use axum::Json;
use serde_json::{json, Value};

pub async fn handler() -> Json<Value> {
    Json(document())
}

fn error_response(description: &str) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": { "$ref": "#/components/schemas/Error" } } } })
}

fn ok(description: &str, schema: Value) -> Value {
    json!({ "description": description, "content": { "application/json": { "schema": schema } } })
}

fn path_param(name: &str, description: &str) -> Value {
    json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" }, "description": description })
}

fn obj() -> Value {
    json!({ "type": "object" })
}

/// The whole document.
pub fn document() -> Value {
    let bearer = json!([{ "bearer": [] }]);
    let owner_responses = |what: &str| {
        json!({
            "200": ok(what, json!({ "$ref": "#/components/schemas/SubmissionState" })),
            "401": error_response("no token (JUDGE_AUTH=required) or an unknown token"),
            "403": error_response("the submission belongs to another user"),
            "404": error_response("unknown submission"),
        })
    };
    let admin_errors = |mut responses: Value| {
        responses["401"] = error_response("no token or an unknown token");
        responses["403"] = error_response("not an admin token");
        responses
    };
    let tar_body = json!({
        "required": true,
        "description": "a tar or tar.gz of the problem directory (the package at the root, or in one top-level directory); links, absolute paths and .. are refused",
        "content": { "application/x-tar": { "schema": { "type": "string", "format": "binary" } },
                     "application/gzip": { "schema": { "type": "string", "format": "binary" } } }
    });
    let invalid_package = json!({
        "description": "the package is invalid: every problem found, with file and line",
        "content": { "application/json": { "schema": { "$ref": "#/components/schemas/PackageProblems" } } }
    });
    let credentials = json!({ "required": true, "content": { "application/json": { "schema": { "type": "object",
        "required": ["username", "password"],
        "properties": { "username": { "type": "string" }, "password": { "type": "string" } } } } } });
    let session_answer = json!({
        "description": "signed in; Set-Cookie judge_session (HttpOnly, SameSite=Strict, Path=/, Secure over https)",
        "content": { "application/json": { "schema": { "type": "object", "properties": {
            "user_id": { "type": "string" }, "admin": { "type": "boolean" },
            "csrf_token": { "type": "string", "description": "send as X-CSRF-Token on POST/PUT/DELETE" } } } } }
    });
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": "judge API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Online judge HTTP API. Authentication: `Authorization: Bearer <token>` (from an admin, or POST /api/auth/tokens with a name and password), or the `judge_session` cookie of a browser sign-in (POST /api/auth/signin); a cookie-authenticated POST/PUT/DELETE must carry the session's `X-CSRF-Token` header (403 naming it otherwise). With JUDGE_AUTH=open (INSECURE, local development only) requests without a token are accepted and a submission's user_id comes from its body. Live events: the gateway's /ws/submissions/{id} and /ws/users/{user_id} (token as ?token= or Authorization header)."
        },
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" },
                                 "session": { "type": "apiKey", "in": "cookie", "name": "judge_session" } },
            "schemas": {
                "Error": { "type": "object", "properties": { "error": { "type": "object", "properties": {
                    "code": { "type": "string" }, "message": { "type": "string" }, "field": { "type": "string" } } } } },
                "SubmissionState": { "type": "object", "description": "submission::SubmissionState; previous_verdict is set after a rejudge. A scoring problem's state also has score and max_score, and groups: each with name, tests (1-based indices of results), max_score, score and verdict (once graded), passed, total and message; listed, unjudged, from the first state on (and again after a rejudge)" },
                "ProblemSummary": { "type": "object", "description": "limits, statement, samples; a scoring problem's also has scoring: true, max_score and groups (name, tests, max_score, aggregation, require_pass); a function problem's has function (name, params, returns, compare, show_all_cases) and function_languages (the ids of the languages with a harness)" },
                "Best": { "type": "object", "nullable": true,
                    "description": "a user's best result on a problem, over their submissions' latest verdicts (recomputed when a rejudge changes one): the highest score, else solved; ties go to the earliest submission",
                    "properties": {
                        "submission_id": { "type": "string" }, "verdict": { "type": "string" },
                        "solved": { "type": "boolean", "description": "accepted (every group passed)" },
                        "score": { "type": "number", "description": "scoring problems only" },
                        "max_score": { "type": "number", "description": "scoring problems only" } } },
                "PackageProblems": { "type": "object", "properties": {
                    "error": { "$ref": "#/components/schemas/Error/properties/error" },
                    "problems": { "type": "array", "items": { "type": "object", "properties": {
                        "file": { "type": "string" }, "line": { "type": "integer", "nullable": true }, "message": { "type": "string" } } } },
                    "warnings": { "type": "array", "items": { "type": "string" } } } }
            }
        },
        "paths": {
            "/api/submissions": { "post": {
                "summary": "Submit code; the user is the token's (a body user_id is ignored unless JUDGE_AUTH=open and no token is sent)",
                "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["problem_id", "language"],
                    "properties": { "problem_id": { "type": "string" }, "language": { "type": "string" },
                                    "code": { "type": "string", "description": "a single source; required unless files is given" },
                                    "files": { "type": "array", "description": "named source files (several files, names kept)",
                                               "items": { "type": "object", "required": ["name", "content"], "properties": {
                                                   "name": { "type": "string" }, "content": { "type": "string" } } } },
                                    "entry_point": { "type": "string", "description": "the entry file or Java/Kotlin class" },
                                    "problem_version": { "type": "string", "description": "admin only: judge against this stored version (a draft) instead of the current one; stored under user id `verify`, outside the problem's rejudge index, without the rate limit" },
                                    "user_id": { "type": "string", "description": "open mode only" } } } } } },
                "responses": {
                    "202": ok("accepted and queued", json!({ "type": "object", "properties": {
                        "id": { "type": "string" }, "status_url": { "type": "string" }, "watch_url": { "type": "string" },
                        "state": { "$ref": "#/components/schemas/SubmissionState" } } })),
                    "400": error_response("malformed JSON"), "401": error_response("no or unknown token"),
                    "403": error_response("problem_version given by someone who is not an admin"),
                    "404": error_response("unknown problem"), "413": error_response("code too large"),
                    "422": error_response("invalid field, unknown language or unknown problem_version"),
                    "429": error_response("over the per-user rate limit (Retry-After)"),
                    "503": error_response("the queue is full (Retry-After)")
                } } },
            "/metrics": { "get": {
                "summary": "Prometheus metrics of the whole judge: queue depth, jobs in flight, workers, submissions, verdict counts, queue-to-verdict latency histogram",
                "responses": { "200": { "description": "Prometheus text format", "content": { "text/plain": { "schema": { "type": "string" } } } } } } },
            "/api/me": { "get": {
                "summary": "Who the token or session belongs to (user_id is null without either in open mode)", "security": bearer,
                "responses": {
                    "200": ok("the caller", json!({ "type": "object", "properties": {
                        "user_id": { "type": "string", "nullable": true }, "admin": { "type": "boolean" } } })),
                    "401": error_response("no or unknown token") } } },
            "/api/run": { "post": {
                "summary": "Run code on a custom input and wait for what it prints (the editor's Run); not recorded in the user's history",
                "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["language", "code"],
                    "properties": { "language": { "type": "string" }, "code": { "type": "string" },
                                    "input": { "type": "string", "description": "stdin, at most 1 MiB; empty when absent" },
                                    "user_id": { "type": "string", "description": "open mode only" } } } } } },
                "responses": {
                    "200": ok("the run finished", json!({ "type": "object", "properties": {
                        "id": { "type": "string" }, "status": { "type": "string" }, "verdict": { "type": "string" },
                        "stdout": { "type": "string" }, "stderr": { "type": "string" }, "truncated": { "type": "boolean" },
                        "time_ms": { "type": "integer" }, "memory_kb": { "type": "integer" },
                        "compile_output": { "type": "string" }, "message": { "type": "string" } } })),
                    "400": error_response("malformed JSON"), "401": error_response("no or unknown token"),
                    "413": error_response("code too large"), "422": error_response("invalid field or unknown language"),
                    "504": error_response("the run did not finish in time; poll /api/submissions/{id}")
                } } },
            "/api/submissions/{id}": { "get": {
                "summary": "A submission's state (owner or admin)", "security": bearer,
                "parameters": [path_param("id", "submission id")],
                "responses": owner_responses("the stored state") } },
            "/api/submissions/{id}/code": { "get": {
                "summary": "A submission's source code (owner or admin)", "security": bearer,
                "parameters": [path_param("id", "submission id")],
                "responses": {
                    "200": ok("the code and record", json!({ "type": "object", "properties": {
                        "id": {"type": "string"}, "user_id": {"type": "string"}, "problem_id": {"type": "string"},
                        "problem_version": {"type": "string"}, "language": {"type": "string"}, "code": {"type": "string"} } })),
                    "401": error_response("no or unknown token"), "403": error_response("another user's submission"),
                    "404": error_response("unknown submission") } } },
            "/api/users/{user_id}/submissions": { "get": {
                "summary": "A user's latest 50 submission states, newest first (that user or admin)", "security": bearer,
                "parameters": [path_param("user_id", "user id"),
                    { "name": "problem", "in": "query", "required": false, "schema": { "type": "string" },
                      "description": "only this problem's submissions" },
                    { "name": "verdict", "in": "query", "required": false, "schema": { "type": "string", "enum": ["AC", "WA", "TLE", "MLE", "OLE", "RE", "CE", "IE"] },
                      "description": "only submissions with this final verdict" }],
                "responses": {
                    "200": ok("states", json!({ "type": "array", "items": { "$ref": "#/components/schemas/SubmissionState" } })),
                    "401": error_response("no or unknown token"), "403": error_response("another user's list"),
                    "422": error_response("invalid user id, problem or verdict (field user_id, problem or verdict)") } } },
            "/api/problems": { "get": {
                "summary": "Every problem's current version; with a token (or ?user=), each with `best`, that user's best result on it, null if none",
                "security": [],
                "parameters": [{ "name": "user", "in": "query", "required": false, "schema": { "type": "string" },
                    "description": "whose best results to show: the caller's own, anyone's for an admin (or in open mode); without it, the token's user" }],
                "responses": {
                    "200": ok("problems", json!({ "type": "array", "items": { "type": "object", "properties": {
                        "id": { "type": "string" }, "name": { "type": "string" }, "version": { "type": "string" },
                        "time_limit_ms": { "type": "integer" }, "memory_mb": { "type": "integer" }, "tests": { "type": "integer" },
                        "best": { "$ref": "#/components/schemas/Best" } } } })),
                    "401": error_response("?user= with no token (JUDGE_AUTH=required) or an unknown token"),
                    "403": error_response("?user= names another user"),
                    "422": error_response("invalid user (field user)") } } },
            "/api/problems/{id}": { "get": { "summary": "A problem's current version: limits, statement, samples", "security": [],
                "parameters": [path_param("id", "problem id")],
                "responses": { "200": ok("the problem", json!({ "$ref": "#/components/schemas/ProblemSummary" })),
                               "404": error_response("unknown problem") } } },
            "/api/problems/{id}/statement/{file}": crate::routes::statement::openapi_path(),
            "/api/problems/{id}/stub/{language}": { "get": {
                "summary": "A function problem's starter code in a language (what the editor shows first)", "security": [],
                "parameters": [path_param("id", "problem id"), path_param("language", "language id")],
                "responses": {
                    "200": ok("the starter code", json!({ "type": "object", "properties": {
                        "language": { "type": "string" }, "code": { "type": "string" } } })),
                    "404": error_response("unknown problem, or not a function problem"),
                    "422": error_response("unknown language, or one without a function harness (field language)") } } },
            "/api/languages": { "get": { "summary": "Languages and their extensions", "security": [],
                "responses": { "200": ok("languages", json!({ "type": "array", "items": obj() })) } } },
            "/api/config": { "get": { "summary": "Client configuration (gateway URL)", "security": [],
                "responses": { "200": ok("config", obj()) } } },
            "/api/openapi.json": { "get": { "summary": "This document", "security": [],
                "responses": { "200": ok("OpenAPI 3 document", obj()) } } },
            "/healthz": { "get": { "summary": "Health: Redis reachable", "security": [],
                "responses": { "200": ok("ok", obj()), "503": ok("unavailable", obj()) } } },
            "/api/auth/signup": { "post": {
                "summary": "Create an account and sign in (a session cookie: HttpOnly, SameSite=Strict)", "security": [],
                "requestBody": credentials.clone(),
                "responses": {
                    "201": session_answer.clone(),
                    "403": error_response("sign-up is closed (invite-only)"),
                    "409": error_response("the user name is taken"),
                    "422": error_response("invalid username (user id rules) or password (at least 8 characters); field username or password") } } },
            "/api/auth/signin": { "post": {
                "summary": "Sign in with a name and password (a session cookie)", "security": [],
                "requestBody": credentials.clone(),
                "responses": {
                    "200": session_answer,
                    "401": error_response("wrong user name or password (one message for both)"),
                    "422": error_response("username or password missing"),
                    "429": error_response("too many failed sign-ins for this account or address (Retry-After)") } } },
            "/api/auth/signout": { "post": {
                "summary": "End the cookie's session and clear the cookie (with X-CSRF-Token); without a session cookie, revoke the bearer token sent (judge logout; never the admin token)", "security": [{ "session": [] }, { "bearer": [] }],
                "responses": { "204": { "description": "signed out" },
                               "403": error_response("no X-CSRF-Token (field X-CSRF-Token)") } } },
            "/api/auth/session": { "get": {
                "summary": "The cookie's session; always 200", "security": [],
                "responses": { "200": ok("signed_in false, or signed_in true with user_id, admin and csrf_token", json!({ "type": "object", "properties": {
                    "signed_in": { "type": "boolean" }, "user_id": { "type": "string" }, "admin": { "type": "boolean" }, "csrf_token": { "type": "string" } } })) } } },
            "/api/auth/tokens": { "post": {
                "summary": "A bearer token for a name and password (the CLI's judge login); same back-off as sign-in", "security": [],
                "requestBody": credentials,
                "responses": {
                    "201": ok("the token (shown once; stored hashed)", json!({ "type": "object", "properties": {
                        "token": { "type": "string" }, "user_id": { "type": "string" } } })),
                    "401": error_response("wrong user name or password"),
                    "429": error_response("too many failed sign-ins (Retry-After)") } } },
            "/api/admin/settings": {
                "get": { "summary": "Run-time settings (admin)", "security": bearer,
                    "responses": admin_errors(json!({ "200": ok("settings", json!({ "type": "object", "properties": { "signup_open": { "type": "boolean" } } })) })) },
                "put": { "summary": "Open or close sign-up (admin); JUDGE_SIGNUP=closed starts closed", "security": bearer,
                    "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                        "required": ["signup_open"], "properties": { "signup_open": { "type": "boolean" } } } } } },
                    "responses": admin_errors(json!({ "200": ok("the settings now", obj()),
                        "422": error_response("signup_open missing or not a boolean") })) } },
            "/api/admin/users/{user_id}/admin": { "put": {
                "summary": "Make an account's user an admin, or not (admin)", "security": bearer,
                "parameters": [path_param("user_id", "user id")],
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["admin"], "properties": { "admin": { "type": "boolean" } } } } } },
                "responses": admin_errors(json!({ "200": ok("user_id and admin", obj()),
                    "404": error_response("no such account (field user_id)"),
                    "422": error_response("invalid user id or admin") })) } },
            "/api/admin/users": { "post": {
                "summary": "Create a token for a user (admin)", "security": bearer,
                "requestBody": { "required": true, "content": { "application/json": { "schema": { "type": "object",
                    "required": ["user_id"], "properties": { "user_id": { "type": "string" }, "admin": { "type": "boolean" } } } } } },
                "responses": admin_errors(json!({
                    "201": ok("the new token (shown once; stored hashed)", json!({ "type": "object", "properties": {
                        "user_id": {"type": "string"}, "token": {"type": "string"}, "admin": {"type": "boolean"} } })),
                    "422": error_response("invalid user id") })) } },
            "/api/admin/problems/{id}": { "put": {
                "summary": "Import a problem package as the problem's new current version (admin). Old versions stay; submissions keep the version they were submitted for. With ?draft=true the version is stored but not made current: users neither see nor submit to it; admins submit against it with problem_version and publish it.",
                "security": bearer,
                "parameters": [path_param("id", "problem id"),
                    { "name": "draft", "in": "query", "required": false, "schema": { "type": "boolean" },
                      "description": "store as a draft version (not current)" }],
                "requestBody": tar_body.clone(),
                "responses": admin_errors(json!({
                    "200": ok("stored over an existing problem (or unchanged)", obj()),
                    "201": ok("a new problem", json!({ "type": "object", "properties": {
                        "id": {"type": "string"}, "version": {"type": "string"}, "previous_version": {"type": "string", "nullable": true},
                        "tests": {"type": "integer"}, "warnings": {"type": "array", "items": {"type": "string"}}, "validator": obj() } })),
                    "413": error_response("package too large"),
                    "422": invalid_package.clone() })) } },
            "/api/admin/problems/{id}/validate": { "post": {
                "summary": "Check a problem package without storing it (admin)", "security": bearer,
                "parameters": [path_param("id", "problem id")], "requestBody": tar_body,
                "responses": admin_errors(json!({
                    "200": ok("valid: version, tests, warnings", obj()),
                    "413": error_response("package too large"),
                    "422": invalid_package })) } },
            "/api/admin/problems/{id}/versions/{version}/publish": { "post": {
                "summary": "Make a stored version (a draft) the problem's current version (admin)", "security": bearer,
                "parameters": [path_param("id", "problem id"), path_param("version", "version hash")],
                "responses": admin_errors(json!({
                    "200": ok("published: version, previous_version, limits", obj()),
                    "404": error_response("unknown problem"),
                    "422": error_response("no such stored version, or a draft that expired (field version)") })) } },
            "/api/admin/problems/{id}/rejudge": { "post": {
                "summary": "Re-queue every finished submission of a problem against its current version (admin)", "security": bearer,
                "parameters": [path_param("id", "problem id")],
                "responses": admin_errors(json!({
                    "202": ok("requeued ids and skipped ones (still being judged)", obj()),
                    "404": error_response("unknown problem") })) } },
            "/api/admin/submissions/{id}/rejudge": { "post": {
                "summary": "Re-queue one finished submission against its problem's current version (admin)", "security": bearer,
                "parameters": [path_param("id", "submission id")],
                "responses": admin_errors(json!({
                    "202": ok("the fresh queued state (previous_verdict set), and previous_score for a scoring problem", obj()),
                    "404": error_response("unknown submission"),
                    "409": error_response("still being judged") })) } }
        }
    })
}
