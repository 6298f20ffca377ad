//! Following a submission until it has a verdict.
//!
//! The WebSocket (`watch_url`) sends a `snapshot` of the stored state, then
//! live events, each with the whole state. Every state goes through a
//! [`Tracker`], which drops states not newer (by `seq`) than the last one and
//! yields the test results not shown yet, so a snapshot, a missed event or a
//! polled state all print the same lines. If the socket drops, the CLI
//! reconnects with back-off a few times, then polls
//! `GET /api/submissions/{id}` until the verdict or the deadline.

use std::time::Duration;

use futures_util::StreamExt;
use submission::GroupResult;
use submission::{Event, Status, SubmissionState, TestResult};
use tokio::time::{sleep, timeout, Instant};
use tokio_tungstenite::tungstenite::Message;

use crate::api_client::ApiClient;
use crate::error::CliError;
use crate::output::reporter::Reporter;

/// Reconnection attempts after the socket drops or fails to connect.
const MAX_RECONNECTS: u32 = 3;
/// First back-off; doubled on each attempt.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// With no message for this long, the state is fetched over HTTP as a check.
const IDLE_CHECK: Duration = Duration::from_secs(10);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const POLL_INTERVAL: Duration = Duration::from_millis(700);
/// Polling gives up after this many failed requests in a row.
const MAX_POLL_FAILURES: u32 = 5;

/// Keeps the newest state seen and which results and groups have been shown.
#[derive(Debug, Default)]
pub struct Tracker {
    last_seq: Option<u64>,
    shown: usize,
    /// Groups of a scoring submission already shown as graded.
    graded: std::collections::HashSet<String>,
    new_groups: Vec<GroupResult>,
    state: Option<SubmissionState>,
}

impl Tracker {
    /// Takes `state` if it is newer than the last one; returns the results
    /// not shown yet. The groups it graded are then in [`Self::new_groups`].
    pub fn apply(&mut self, state: SubmissionState) -> Option<Vec<TestResult>> {
        // The gateway re-sends a waiting state with the same seq when its
        // queue position changes: that one is taken too.
        let moved_in_queue = self.state.as_ref().is_some_and(|s| {
            s.seq == state.seq
                && state.status == Status::Queued
                && s.queue_position != state.queue_position
        });
        if self.last_seq.is_some_and(|last| state.seq <= last) && !moved_in_queue {
            return None;
        }
        self.last_seq = Some(state.seq);
        let new = state.results.get(self.shown..).unwrap_or(&[]).to_vec();
        self.shown = self.shown.max(state.results.len());
        // A group is graded once it has a verdict; each is shown once, in
        // the state's order, however many events it took to get there.
        self.new_groups = state
            .groups
            .iter()
            .filter(|g| g.verdict.is_some() && self.graded.insert(g.name.clone()))
            .cloned()
            .collect();
        self.state = Some(state);
        Some(new)
    }

    /// The groups the last applied state graded that no earlier one had.
    pub fn new_groups(&self) -> &[GroupResult] {
        &self.new_groups
    }

    pub fn state(&self) -> Option<&SubmissionState> {
        self.state.as_ref()
    }

    pub fn finished(&self) -> Option<&SubmissionState> {
        self.state.as_ref().filter(|s| s.is_final())
    }
}

pub struct Follower<'a> {
    pub client: &'a ApiClient,
    pub reporter: &'a Reporter,
    pub id: String,
    pub deadline: Instant,
    pub tracker: Tracker,
}

impl Follower<'_> {
    fn take(&mut self, state: SubmissionState) {
        if state.id != self.id && !state.id.is_empty() {
            return;
        }
        if let Some(new) = self.tracker.apply(state) {
            if let Some(current) = self.tracker.state() {
                self.reporter
                    .update(current, &new, self.tracker.new_groups());
            }
        }
    }

    fn timed_out(&self) -> CliError {
        CliError::Judge(format!(
            "no verdict for submission {} before the timeout; see `judge status {}` later",
            self.id, self.id
        ))
    }

    /// Follows until the verdict: the WebSocket first (if any), then polling.
    pub async fn run(mut self, websocket: Option<String>) -> Result<SubmissionState, CliError> {
        if let Some(state) = self.tracker.finished() {
            return Ok(state.clone());
        }
        if let Some(url) = websocket {
            if let Some(state) = self.websocket(&url).await? {
                return Ok(state);
            }
            self.reporter
                .note("the live connection is gone; polling the API for the verdict");
        }
        self.poll().await
    }

    /// `Ok(None)`: the socket could not be used; poll instead.
    async fn websocket(&mut self, url: &str) -> Result<Option<SubmissionState>, CliError> {
        let mut failures = 0u32;
        loop {
            if Instant::now() >= self.deadline {
                return Err(self.timed_out());
            }
            let mut received = false;
            let mut connected = false;
            if let Ok(Ok((mut socket, _))) =
                timeout(CONNECT_TIMEOUT, tokio_tungstenite::connect_async(url)).await
            {
                connected = true;
                loop {
                    let wait =
                        IDLE_CHECK.min(self.deadline.saturating_duration_since(Instant::now()));
                    match timeout(wait, socket.next()).await {
                        Ok(Some(Ok(Message::Text(text)))) => {
                            received = true;
                            if let Ok(event) = serde_json::from_str::<Event>(text.as_str()) {
                                self.take(event.state);
                                if let Some(done) = self.tracker.finished() {
                                    let done = done.clone();
                                    let _ = socket.close(None).await;
                                    return Ok(Some(done));
                                }
                            }
                        }
                        Ok(Some(Ok(Message::Close(_)))) | Ok(None) | Ok(Some(Err(_))) => break,
                        Ok(Some(Ok(_))) => {} // ping/pong/binary
                        Err(_) => {
                            // Quiet for a while (or the deadline): check over HTTP.
                            if Instant::now() >= self.deadline {
                                return Err(self.timed_out());
                            }
                            if let Some(done) = self.check_once().await? {
                                return Ok(Some(done));
                            }
                        }
                    }
                }
            }
            // The socket is gone: the verdict may have come while it was.
            if let Some(done) = self.check_once().await? {
                return Ok(Some(done));
            }
            if received {
                failures = 0;
            }
            failures += 1;
            if failures > MAX_RECONNECTS {
                return Ok(None);
            }
            let backoff = FIRST_BACKOFF * 2u32.pow(failures - 1);
            let what = if connected {
                "connection to {url} lost"
            } else {
                "cannot connect to {url}"
            };
            self.reporter.note(&format!(
                "{}; retrying in {:.1} s ({failures}/{MAX_RECONNECTS})",
                what.replace("{url}", url),
                backoff.as_secs_f64()
            ));
            sleep(backoff).await;
        }
    }

    /// One GET; a refusal (4xx) is final, a connection problem is not.
    async fn check_once(&mut self) -> Result<Option<SubmissionState>, CliError> {
        match self.client.submission(&self.id).await {
            Ok(state) => {
                self.take(state);
                Ok(self.tracker.finished().cloned())
            }
            Err(e @ CliError::Refused(_)) => Err(e),
            Err(_) => Ok(None),
        }
    }

    async fn poll(&mut self) -> Result<SubmissionState, CliError> {
        let mut failures = 0u32;
        loop {
            match self.client.submission(&self.id).await {
                Ok(state) => {
                    failures = 0;
                    self.take(state);
                    if let Some(done) = self.tracker.finished() {
                        return Ok(done.clone());
                    }
                }
                Err(e @ CliError::Refused(_)) => return Err(e),
                Err(e) => {
                    failures += 1;
                    if failures >= MAX_POLL_FAILURES {
                        return Err(e);
                    }
                }
            }
            if Instant::now() >= self.deadline {
                return Err(self.timed_out());
            }
            sleep(POLL_INTERVAL * (failures + 1)).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use submission::{Status, Verdict};

    fn state(seq: u64, results: usize) -> SubmissionState {
        SubmissionState {
            id: "s".into(),
            user_id: "u".into(),
            problem_id: "p".into(),
            language: "cpp".into(),
            status: Status::Running,
            verdict: None,
            tests_total: 5,
            results: (1..=results)
                .map(|i| TestResult {
                    index: i,
                    name: format!("secret/{i}"),
                    verdict: Verdict::AC,
                    time_ms: 1,
                    wall_ms: 1,
                    memory_kb: 1,
                    exit_code: None,
                    signal: None,
                    message: None,
                    score: None,
                    detail: None,
                })
                .collect(),
            compile_output: None,
            time_ms: 1,
            memory_kb: 1,
            message: None,
            created_at_ms: 0,
            finished_at_ms: None,
            seq,
            previous_verdict: None,
            run_output: None,
            score: None,
            max_score: None,
            groups: Vec::new(),
            queue_position: None,
            contest_id: None,
            team_id: None,
        }
    }

    #[test]
    fn old_and_repeated_states_are_ignored() {
        let mut t = Tracker::default();
        assert_eq!(t.apply(state(0, 0)).unwrap().len(), 0);
        assert!(
            t.apply(state(0, 0)).is_none(),
            "same seq (snapshot after POST)"
        );
        assert_eq!(t.apply(state(3, 1)).unwrap().len(), 1);
        assert!(t.apply(state(2, 0)).is_none(), "older");
        assert_eq!(t.state().unwrap().seq, 3);
    }

    #[test]
    fn a_waiting_state_re_sent_with_a_new_position_is_taken() {
        let mut t = Tracker::default();
        let mut s = state(0, 0);
        s.status = Status::Queued;
        s.queue_position = Some(3);
        t.apply(s.clone()).unwrap();
        assert!(t.apply(s.clone()).is_none(), "same position");
        s.queue_position = Some(1);
        assert!(t.apply(s.clone()).is_some(), "moved up: same seq, taken");
        assert_eq!(t.state().unwrap().queue_position, Some(1));
        let mut judged = state(1, 0);
        judged.status = Status::Compiling;
        t.apply(judged).unwrap();
        s.queue_position = Some(0);
        assert!(t.apply(s).is_none(), "a stale waiting state");
    }

    #[test]
    fn each_graded_group_is_announced_once() {
        let group = |name: &str, verdict: Option<Verdict>| GroupResult {
            name: name.into(),
            tests: vec![1],
            max_score: Some(10.0),
            score: verdict.map(|_| 10.0),
            verdict,
            passed: 0,
            total: 1,
            message: None,
        };
        let mut t = Tracker::default();
        let mut s = state(1, 1);
        s.groups = vec![group("secret/a", None), group("secret/b", None)];
        t.apply(s.clone());
        assert!(t.new_groups().is_empty(), "nothing graded yet");
        s.seq = 2;
        s.groups[0] = group("secret/a", Some(Verdict::AC));
        t.apply(s.clone());
        assert_eq!(t.new_groups().len(), 1);
        // Still graded in the next state: not announced again; a stale
        // state changes nothing.
        s.seq = 3;
        s.groups[1] = group("secret/b", Some(Verdict::WA));
        t.apply(s.clone());
        assert_eq!(t.new_groups()[0].name, "secret/b");
        assert_eq!(t.new_groups().len(), 1);
        assert!(t.apply(s).is_none());
    }

    #[test]
    fn a_jump_shows_every_missed_result_once() {
        let mut t = Tracker::default();
        t.apply(state(1, 1));
        let new = t.apply(state(7, 4)).unwrap();
        assert_eq!(
            new.iter().map(|r| r.index).collect::<Vec<_>>(),
            vec![2, 3, 4]
        );
        assert!(t.apply(state(8, 4)).unwrap().is_empty());
        assert!(t.finished().is_none());
        let mut done = state(9, 4);
        done.finish(Verdict::AC, 1);
        t.apply(done);
        assert_eq!(t.finished().unwrap().verdict, Some(Verdict::AC));
    }
}
