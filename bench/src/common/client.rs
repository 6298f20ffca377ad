//! Submitting through the API and following a submission over the gateway.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use futures_util::StreamExt;
use serde_json::json;
use submission::{Event, SubmissionState};
use tokio_tungstenite::tungstenite::Message;

use super::services::Services;
use super::workload::{Lang, PROBLEM};

/// POSTs a submission; returns its id.
pub async fn submit(
    client: &reqwest::Client,
    api_url: &str,
    user: &str,
    lang: &str,
    code: &str,
) -> Result<String> {
    submit_to(client, api_url, user, PROBLEM, lang, code).await
}

/// POSTs a submission to `problem`; returns its id.
pub async fn submit_to(
    client: &reqwest::Client,
    api_url: &str,
    user: &str,
    problem: &str,
    lang: &str,
    code: &str,
) -> Result<String> {
    let response = client
        .post(format!("{api_url}/api/submissions"))
        .json(&json!({"user_id": user, "problem_id": problem, "language": lang, "code": code}))
        .send()
        .await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    if status.as_u16() != 202 {
        bail!("submission refused: {status} {body}");
    }
    Ok(body["id"].as_str().context("no id")?.to_string())
}

/// Follows a submission over the gateway until its final state.
pub async fn follow(gateway_url: &str, id: &str, within: Duration) -> Result<SubmissionState> {
    let url = format!("{gateway_url}/ws/submissions/{id}");
    let run = async {
        let (mut socket, _) = tokio_tungstenite::connect_async(&url).await?;
        while let Some(message) = socket.next().await {
            let Message::Text(text) = message? else {
                continue;
            };
            let event: Event =
                serde_json::from_str(&text).with_context(|| format!("not an event: {text}"))?;
            if event.state.is_final() {
                return Ok(event.state);
            }
        }
        bail!("the gateway closed {url} before a final state")
    };
    tokio::time::timeout(within, run)
        .await
        .with_context(|| format!("no final state for {id} within {within:?}"))?
}

/// Submits and follows; returns the final state and the client-observed time
/// from just before the POST to the final event.
pub async fn judge_once(
    client: &reqwest::Client,
    s: &Services,
    lang: &Lang,
    code: &str,
) -> Result<(SubmissionState, Duration)> {
    let started = Instant::now();
    let id = submit(client, &s.api_url, "bench", lang.id, code).await?;
    let state = follow(&s.gateway_url, &id, Duration::from_secs(120)).await?;
    let elapsed = started.elapsed();
    if state.verdict != Some(submission::Verdict::AC) {
        bail!(
            "{} submission {id} ended {:?}: {:?}",
            lang.label,
            state.verdict,
            state.message
        );
    }
    Ok((state, elapsed))
}

/// A WebSocket viewer of `url`, connected once the gateway's first text
/// frame (the snapshot every viewer gets first) has arrived, with that
/// frame's length; `None` when it fails or takes longer than `within`.
pub async fn connect_viewer(
    url: &str,
    within: Duration,
) -> Option<(
    tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    usize,
)> {
    let connect = async {
        let (mut ws, _) = tokio_tungstenite::connect_async(url).await.ok()?;
        loop {
            match ws.next().await? {
                Ok(Message::Text(t)) => return Some((ws, t.len())),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    };
    tokio::time::timeout(within, connect).await.ok().flatten()
}
