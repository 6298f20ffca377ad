//! A problem that belongs only to contests that have not started is hidden
//! from everyone but admins: a layer in front of the problem routes answers
//! 404 for it (`/api/problems/{id}` and below) and leaves it out of
//! `GET /api/problems`. The hidden-until times are kept by
//! `judge_store::contest::registry`.

use axum::body::Body;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{header, Method};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use contest::AbsTime;
use judge_store::contest::registry;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The layer's function (`axum::middleware::from_fn_with_state`).
pub async fn hide_problems(State(app): State<AppState>, request: Request, next: Next) -> Response {
    let path = request.uri().path().to_string();
    let Some(rest) = path.strip_prefix("/api/problems") else {
        return next.run(request).await;
    };
    if request.method() != Method::GET {
        return next.run(request).await;
    }
    let (mut parts, body) = request.into_parts();
    let admin = Caller::from_request_parts(&mut parts, &app)
        .await
        .is_ok_and(|c| c.is_admin());
    let request = Request::from_parts(parts, body);
    if admin {
        return next.run(request).await;
    }
    let hidden = async {
        let mut conn = app.conn().await?;
        timed(registry::hidden_problems(
            &mut conn,
            AbsTime::now().unix_millis(),
        ))
        .await
    };
    let hidden = match hidden.await {
        Ok(h) => h,
        Err(e) => return e.into_response(),
    };
    if hidden.is_empty() {
        return next.run(request).await;
    }
    if let Some(id) = rest.strip_prefix('/') {
        let id = id.split('/').next().unwrap_or_default();
        if hidden.contains(id) {
            return ApiError::UnknownProblem(id.to_string()).into_response();
        }
        return next.run(request).await;
    }
    if !rest.is_empty() {
        return next.run(request).await;
    }
    // The list: leave the hidden ones out.
    let response = next.run(request).await;
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 << 20).await else {
        return ApiError::Internal("problem list too large".into()).into_response();
    };
    let Ok(serde_json::Value::Array(list)) = serde_json::from_slice(&bytes) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    let kept: Vec<serde_json::Value> = list
        .into_iter()
        .filter(|p| !p["id"].as_str().is_some_and(|id| hidden.contains(id)))
        .collect();
    let bytes = serde_json::to_vec(&kept).unwrap_or_default();
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(bytes))
}
