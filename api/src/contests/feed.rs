//! `GET /api/ccs/contests/{id}/event-feed`: the contest's log as NDJSON,
//! one `{"type", "id", "data", "token"}` per line (the token is the log
//! entry's id), filtered for the caller's role as the collections are.
//! `?since_token=T` resumes after T (400 if T is no entry of the log);
//! `since_id` (the old parameter) is 400. While nothing happens a newline
//! goes out every 100 s; the feed ends after the `state` entry that sets
//! `end_of_updates`. Awards are computed, not logged (`contest::awards`):
//! after entries that can change them, the feed sends each award that
//! differs from what it last sent, with the token of the entry before it
//! (a feed resumed there sends the current awards again, which the spec's
//! "duplicate events" allows).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use api_types::{CcsError, ErrorBody, FeedEvent};
use axum::body::{Body, Bytes};
use axum::extract::{Path, RawQuery, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Extension;
use contest::replay::{LogEntry, Replay, SETTINGS_TYPE, SPEC_TYPES};
use judge_store::contest::log;
use serde_json::Value;

use crate::auth::Caller;
use crate::contests::cache::Contests;
use crate::contests::caller::ContestCaller;
use crate::contests::ccs::{self, rebase};
use crate::contests::public::may_read;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// How often a quiet feed sends a newline (the spec asks for at least every 120 s).
const KEEPALIVE: Duration = Duration::from_secs(100);
/// How often the log is read for new entries.
const POLL: Duration = Duration::from_millis(500);

fn is_token(t: &str) -> bool {
    t.split_once('-').is_some_and(|(a, b)| {
        !a.is_empty()
            && !b.is_empty()
            && a.bytes().all(|c| c.is_ascii_digit())
            && b.bytes().all(|c| c.is_ascii_digit())
    })
}

fn bad_request(message: String) -> Response {
    let body = CcsError { code: 400, message };
    (axum::http::StatusCode::BAD_REQUEST, axum::Json(body)).into_response()
}

/// The line of an entry for this caller, or `None` when it is not theirs to see.
pub fn line(r: &Replay, e: &LogEntry, who: &ContestCaller) -> Option<FeedEvent> {
    if !SPEC_TYPES.contains(&e.kind.as_str()) {
        return None;
    }
    let team = who.team_id.as_deref();
    let mut data = e.data.clone();
    if !who.admin {
        let d = data.as_ref().unwrap_or(&Value::Null);
        let own = |sid: &str| {
            team.is_some()
                && r.submission(sid)
                    .is_some_and(|s| Some(s.team_id.as_str()) == team)
        };
        let visible = match e.kind.as_str() {
            "problems" => !r.problem_hidden_in_feed(&e.token),
            "teams" => d["hidden"] != Value::Bool(true),
            "accounts" => team.is_some() && d["team_id"].as_str() == team,
            "judgements" => {
                let sid = d["submission_id"].as_str().unwrap_or_default();
                own(sid) || !r.hidden_in_feed(sid, &e.token)
            }
            "runs" => {
                let sid = r
                    .submission_of_judgement(d["judgement_id"].as_str().unwrap_or_default())
                    .map(String::from);
                match sid {
                    Some(sid) => own(&sid) || !r.hidden_in_feed(&sid, &e.token),
                    None => false,
                }
            }
            "clarifications" => serde_json::from_value(d.clone())
                .map(|c| may_read(&c, team))
                .unwrap_or(false),
            _ => true,
        };
        if !visible {
            return None;
        }
    }
    if let Some(d) = &mut data {
        rebase(r, &e.kind, d);
    }
    let id = match e.kind.as_str() {
        "contest" | "state" => None,
        _ => Some(e.id.clone()),
    };
    Some(FeedEvent {
        data,
        id,
        token: e.token.clone(),
        kind: e.kind.clone(),
    })
}

struct Feed {
    app: AppState,
    contests: Contests,
    contest_id: String,
    who: ContestCaller,
    token: String,
    quiet_since: Instant,
    done: bool,
    /// Award id -> the award as last sent.
    awards: HashMap<String, Value>,
}

/// Whether an entry of this type can change the awards.
fn moves_awards(kind: &str) -> bool {
    matches!(
        kind,
        "contest" | "problems" | "teams" | "groups" | "state" | "submissions" | "judgements"
    ) || kind == SETTINGS_TYPE
}

impl Feed {
    /// The next chunk: new lines, a keep-alive newline, or the end.
    async fn next(mut self) -> Option<(Result<Bytes, std::io::Error>, Feed)> {
        if self.done {
            return None;
        }
        loop {
            let entries = async {
                let mut conn = self.app.conn().await?;
                timed(log::read_after(
                    &mut conn,
                    &self.contest_id,
                    &self.token,
                    500,
                ))
                .await
            };
            let entries = match entries.await {
                Ok(e) => e,
                Err(_) => return None,
            };
            // Caught up after the read: the replay knows every entry's submission.
            let mut r = match self.contests.current(&self.app, &self.contest_id).await {
                Ok(r) => r,
                Err(_) => return None,
            };
            let mut out = String::new();
            let mut awards_due = false;
            for e in &entries {
                let end = e.kind == "state"
                    && e.data
                        .as_ref()
                        .is_some_and(|d| !d["end_of_updates"].is_null());
                if end && awards_due {
                    // The end of updates is the feed's last event.
                    awards_due = false;
                    if self.send_awards(&mut r, &mut out).await.is_err() {
                        return None;
                    }
                }
                self.token = e.token.clone();
                awards_due |= moves_awards(&e.kind);
                if let Some(l) = line(&r, e, &self.who) {
                    out.push_str(&serde_json::to_string(&l).expect("an event is JSON"));
                    out.push('\n');
                }
                if end {
                    self.done = true;
                    break;
                }
            }
            if awards_due && self.send_awards(&mut r, &mut out).await.is_err() {
                return None;
            }
            drop(r);
            if !out.is_empty() {
                self.quiet_since = Instant::now();
                return Some((Ok(Bytes::from(out)), self));
            }
            if self.done {
                return None;
            }
            if self.quiet_since.elapsed() >= KEEPALIVE {
                self.quiet_since = Instant::now();
                return Some((Ok(Bytes::from_static(b"\n")), self));
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

impl Feed {
    /// Appends an `awards` line for each award that changed since last sent,
    /// dated with the current token.
    async fn send_awards(&mut self, r: &mut Replay, out: &mut String) -> Result<(), ApiError> {
        for award in ccs::awards(&self.app, r, &self.contest_id, &self.who).await? {
            let id = award["id"].as_str().unwrap_or_default().to_string();
            if self.awards.get(&id) == Some(&award) {
                continue;
            }
            let event = FeedEvent {
                data: Some(award.clone()),
                id: Some(id.clone()),
                token: self.token.clone(),
                kind: "awards".into(),
            };
            out.push_str(&serde_json::to_string(&event).expect("an event is JSON"));
            out.push('\n');
            self.awards.insert(id, award);
        }
        Ok(())
    }
}

/// The contest's events as NDJSON, filtered for the caller's role; a
/// newline every 100 s while quiet; ends after the `state` that sets
/// `end_of_updates`.
#[utoipa::path(get, path = "/api/ccs/contests/{id}/event-feed", tag = "ccs",
    params(
        ("id" = String, Path, description = "contest id"),
        ("since_token" = Option<String>, Query, description = "resume after this event's token"),
    ),
    responses(
        (status = 200, description = "one event per line (and empty keep-alive lines)", body = FeedEvent, content_type = "application/x-ndjson"),
        (status = 400, description = "since_token is no token of this feed, or since_id was given", body = CcsError),
        (status = 401, description = "an unknown token", body = ErrorBody),
        (status = 404, description = "no such contest", body = ErrorBody),
    ))]
pub(crate) async fn event_feed(
    State(app): State<AppState>,
    Extension(contests): Extension<Contests>,
    Path(id): Path<String>,
    RawQuery(query): RawQuery,
    caller: Result<Caller, ApiError>,
) -> Result<Response, ApiError> {
    let mut token = "0-0".to_string();
    for pair in query
        .as_deref()
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        match k {
            "since_id" => {
                return Ok(bad_request(
                    "since_id is not supported: resume with since_token".into(),
                ))
            }
            "since_token" => {
                let mut conn = app.conn().await?;
                if !is_token(v) || !timed(log::has_entry(&mut conn, &id, v)).await? {
                    return Ok(bad_request(format!(
                        "since_token {v:?} is not a token of this feed"
                    )));
                }
                token = v.to_string();
            }
            _ => {}
        }
    }
    let who = ContestCaller::of(&app, caller, &id).await?;
    drop(contests.current(&app, &id).await?);
    let feed = Feed {
        app,
        contests,
        contest_id: id,
        who,
        token,
        quiet_since: Instant::now(),
        done: false,
        awards: HashMap::new(),
    };
    let stream = futures_util::stream::unfold(feed, Feed::next);
    Ok((
        [(header::CONTENT_TYPE, "application/x-ndjson")],
        Body::from_stream(stream),
    )
        .into_response())
}
