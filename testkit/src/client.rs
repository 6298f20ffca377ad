//! What a client does: submit over HTTP, follow over WebSocket; and what a
//! test checks once the verdicts are in (no job left pending, queue drained).

use std::time::Duration;

use futures_util::StreamExt;
use problem_package::source::SourceFile;
use serde_json::{json, Value};
use submission::{Event, SubmissionState};
use tokio_tungstenite::tungstenite::Message;

/// POSTs a submission and returns the status and the JSON body.
pub async fn submit(
    api_url: &str,
    user: &str,
    problem: &str,
    language: &str,
    code: &str,
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{api_url}/api/submissions"))
        .json(&json!({"user_id": user, "problem_id": problem, "language": language, "code": code}))
        .send()
        .await
        .expect("the API answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("the API answers JSON"))
}

/// POSTs a submission of named files (a package's submission folder).
pub async fn submit_files(
    api_url: &str,
    user: &str,
    problem: &str,
    language: &str,
    files: &[SourceFile],
) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{api_url}/api/submissions"))
        .json(
            &json!({"user_id": user, "problem_id": problem, "language": language, "files": files}),
        )
        .send()
        .await
        .expect("the API answers");
    let status = response.status().as_u16();
    (status, response.json().await.expect("the API answers JSON"))
}

/// Follows a submission's WebSocket until its final state; returns every event received.
pub async fn follow(watch_url: &str, within: Duration) -> Vec<Event> {
    let follow = async {
        let (mut socket, _) = tokio_tungstenite::connect_async(watch_url)
            .await
            .expect("the gateway accepts");
        let mut events = Vec::new();
        while let Some(message) = socket.next().await {
            let Message::Text(text) = message.expect("the socket stays healthy") else {
                continue;
            };
            let event: Event =
                serde_json::from_str(&text).unwrap_or_else(|e| panic!("not an event: {e}: {text}"));
            let done = event.state.is_final();
            events.push(event);
            if done {
                break;
            }
        }
        events
    };
    tokio::time::timeout(within, follow)
        .await
        .unwrap_or_else(|_| panic!("no final verdict on {watch_url} within {within:?}"))
}

/// The final state at the end of `events`.
pub fn final_state(events: &[Event]) -> &SubmissionState {
    &events.last().expect("at least one event").state
}

/// Polls `GET /api/submissions/{id}` until `done(state)` holds.
pub async fn wait_for(
    api_url: &str,
    id: &str,
    within: Duration,
    done: impl Fn(&SubmissionState) -> bool,
) -> SubmissionState {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        if let Ok(response) = reqwest::get(format!("{api_url}/api/submissions/{id}")).await {
            if let Ok(state) = response.json::<SubmissionState>().await {
                if done(&state) {
                    return state;
                }
            }
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "submission {id} did not reach the expected state within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Reads a bundled example submission's code.
pub fn example(problem: &str, folder: &str, file: &str) -> String {
    let path = crate::files::bundled_problems()
        .join(problem)
        .join("submissions")
        .join(folder)
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// How long a worker may take to acknowledge a job after publishing its
/// final state: a client can see the verdict a moment before the
/// acknowledgement (and the stream entry's deletion) lands.
const ACK_GRACE: Duration = Duration::from_secs(2);

/// Jobs delivered to a worker and not yet acknowledged. A non-zero count is
/// re-checked for up to [`ACK_GRACE`]; a job that stays pending is reported.
pub async fn pending_jobs(redis_url: &str) -> usize {
    use redis::AsyncCommands;
    let mut conn = judge_store::store::dedicated(redis_url).await.unwrap();
    let deadline = tokio::time::Instant::now() + ACK_GRACE;
    loop {
        let summary: redis::streams::StreamPendingReply = conn
            .xpending(
                judge_store::keys::JOB_STREAM,
                judge_store::keys::WORKER_GROUP,
            )
            .await
            .unwrap();
        if summary.count() == 0 || tokio::time::Instant::now() >= deadline {
            return summary.count();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// The API's `/metrics` text once the queue has drained (no queued job and
/// none in flight), or as it is after [`ACK_GRACE`] if it never does.
pub async fn drained_metrics(api_url: &str) -> String {
    let deadline = tokio::time::Instant::now() + ACK_GRACE;
    loop {
        let metrics = reqwest::get(format!("{api_url}/metrics"))
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        let drained = metrics.contains("judge_queue_depth 0\n")
            && metrics.contains("judge_jobs_in_flight 0\n");
        if drained || tokio::time::Instant::now() >= deadline {
            return metrics;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
