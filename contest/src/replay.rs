//! A contest rebuilt from its log: the configuration objects, the state and
//! the incremental [`Board`], kept current by applying each new log entry.
//!
//! The judge stores a contest as an append-only log of Contest API events
//! (`type`, `id`, `data`, and the entry's position as its `token`). A reader
//! (the API, a gateway) keeps a [`Replay`] per contest, applies what was
//! appended since [`Replay::token`], and serves from it. A submission or a
//! judgement costs one team's row on the board; a change of the contest's
//! times, problems, teams or rules marks the board stale, and the next read
//! rebuilds it from the submissions and judgements kept here (no new read of
//! the log).

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::{Contest, Judgement, Problem, ScoreboardType, State, Submission, Team};
use crate::board::{Board, BoardConfig, BoardTeam, JudgementEvent, SubmissionEvent, ViewKind};
use crate::judgement::JudgementType;
use crate::rules::{PassFail, Rules, ScoreRules};
use crate::time::{AbsTime, RelTime};

/// The event types of the Contest API, in the order a contest is configured.
pub const SPEC_TYPES: &[&str] = &[
    "contest",
    "judgement-types",
    "languages",
    "problems",
    "groups",
    "organizations",
    "teams",
    "accounts",
    "state",
    "submissions",
    "judgements",
    "runs",
    "clarifications",
    "awards",
];

/// The log's one entry type of the judge's own: the contest's settings that
/// the Contest API has no object for (the scoring rule, registration). Never
/// served by the Contest API.
pub const SETTINGS_TYPE: &str = "judge-settings";

/// The log's other entry type of the judge's own, written just before a
/// scoring problem's `judgements` entry (same id, the judgement's): the
/// score of each of the submission's test groups, which the Contest API's
/// judgement has no property for and `max-subtask` needs. Never served.
pub const GROUP_SCORES_TYPE: &str = "judge-group-scores";

/// The data of a [`GROUP_SCORES_TYPE`] entry.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct GroupScores {
    pub submission_id: String,
    /// The scoring groups in the problem's order: `(name, score)`.
    pub groups: Vec<(String, f64)>,
}

/// How many teams get each medal, by rank (ties share a medal, so more
/// teams may get one): the `*-medal` awards. The contest package format
/// has no place for this; it is a setting of the contest.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Medals {
    pub gold: u32,
    pub silver: u32,
    pub bronze: u32,
}

/// The judge's settings of a contest.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Settings {
    /// The scoring rule; `None`: the contest object's (pass-fail with its
    /// penalty time, or score with `max`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rules: Option<Rules>,
    /// Whether users may make themselves a team (`POST .../register`).
    #[serde(default)]
    pub registration_open: bool,
    /// Medal counts for the `*-medal` awards; `None`: no medals.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub medals: Option<Medals>,
}

/// One entry of a contest's log.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntry {
    /// The entry's position (a Redis stream id): the event feed's token.
    pub token: String,
    /// `contest`, `teams`, ..., or [`SETTINGS_TYPE`].
    pub kind: String,
    /// The object's id (the contest's id for `contest` and `state`).
    pub id: String,
    /// The object, or `None` for a delete.
    pub data: Option<Value>,
}

/// Orders two stream ids (`ms-seq`) as Redis does.
pub fn token_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    fn parts(t: &str) -> (u64, u64) {
        let (ms, seq) = t.split_once('-').unwrap_or((t, "0"));
        (ms.parse().unwrap_or(0), seq.parse().unwrap_or(0))
    }
    parts(a).cmp(&parts(b))
}

/// The state of a contest at `now` given the logged one: started, frozen
/// and ended follow the clock (the contest's times); thawed, finalized and
/// end of updates are what the log says.
pub fn state_at(contest: Option<&Contest>, logged: &State, now: AbsTime) -> State {
    let mut s = State {
        started: None,
        frozen: None,
        ended: None,
        ..logged.clone()
    };
    if let Some((c, start)) = contest.and_then(|c| Some((c, c.start_time?))) {
        let end = start + c.duration;
        if now >= start {
            s.started = Some(start);
        }
        if let Some(f) = c.freeze_start() {
            let at = start + f;
            if now >= at && f < c.duration {
                s.frozen = Some(at);
            }
        }
        if now >= end {
            s.ended = Some(end);
        }
    }
    // The schema allows thawed only after frozen.
    if s.frozen.is_none() {
        s.thawed = None;
    }
    s
}

/// The `state` object to log at `now`, when the clock has started, frozen
/// or ended the contest (or a change of its times undid one) since the
/// `logged` state; `None` when the log is current.
pub fn due_state(contest: Option<&Contest>, logged: &State, now: AbsTime) -> Option<State> {
    let state = state_at(contest, logged, now);
    let clocked = State {
        thawed: logged.thawed,
        finalized: logged.finalized,
        end_of_updates: logged.end_of_updates,
        ..state
    };
    (clocked != *logged).then_some(clocked)
}

/// What the submission and judgement history holds, in log order.
#[derive(Debug, Clone)]
enum Step {
    Submit(String),
    Judge(Judgement),
    Thaw,
}

/// A contest as its log says, with its board.
#[derive(Debug, Clone, Default)]
pub struct Replay {
    token: String,
    contest: Option<Contest>,
    settings: Settings,
    problems: BTreeMap<String, Problem>,
    teams: BTreeMap<String, Team>,
    judgement_types: BTreeMap<String, JudgementType>,
    state: State,
    /// The token of the `state` entry that thawed the board.
    thaw_token: Option<String>,
    /// The token of the first `state` entry saying the contest started.
    started_token: Option<String>,
    submissions: HashMap<String, Submission>,
    /// Submission id -> its current judgement.
    current: HashMap<String, Judgement>,
    /// Judgement id -> its submission's id (every judgement, rejudged ones too).
    judged: HashMap<String, String>,
    /// Judgement id -> the scores of its test groups (scoring problems).
    group_scores: HashMap<String, Vec<f64>>,
    steps: Vec<Step>,
    board: Option<Board>,
}

impl Replay {
    pub fn new() -> Replay {
        Replay {
            token: "0-0".into(),
            ..Replay::default()
        }
    }

    /// The token of the last entry applied (`0-0` before any).
    pub fn token(&self) -> &str {
        &self.token
    }

    pub fn contest(&self) -> Option<&Contest> {
        self.contest.as_ref()
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The problems in scoreboard (ordinal) order.
    pub fn problems(&self) -> Vec<&Problem> {
        let mut v: Vec<&Problem> = self.problems.values().collect();
        v.sort_by_key(|p| p.ordinal);
        v
    }

    pub fn teams(&self) -> impl Iterator<Item = &Team> {
        self.teams.values()
    }

    pub fn team(&self, id: &str) -> Option<&Team> {
        self.teams.get(id)
    }

    pub fn submission(&self, id: &str) -> Option<&Submission> {
        self.submissions.get(id)
    }

    /// The submissions of `team` (all of them with `None`).
    pub fn submissions_of(&self, team: Option<&str>) -> Vec<&Submission> {
        let mut v: Vec<&Submission> = self
            .submissions
            .values()
            .filter(|s| team.is_none_or(|t| s.team_id.as_str() == t))
            .collect();
        v.sort_by(|a, b| a.time.cmp(&b.time).then(a.id.cmp(&b.id)));
        v
    }

    /// The current judgement of a submission.
    pub fn judgement_of(&self, submission_id: &str) -> Option<&Judgement> {
        self.current.get(submission_id)
    }

    /// The submission a judgement (current or not) is of.
    pub fn submission_of_judgement(&self, judgement_id: &str) -> Option<&str> {
        self.judged.get(judgement_id).map(String::as_str)
    }

    /// The rules the board scores by.
    pub fn rules(&self) -> Rules {
        if let Some(r) = &self.settings.rules {
            return r.clone();
        }
        match self.contest.as_ref().map(|c| c.scoreboard_type) {
            Some(ScoreboardType::Score) => Rules::Score(ScoreRules::default()),
            _ => Rules::PassFail(PassFail {
                penalty_time: self
                    .contest
                    .as_ref()
                    .and_then(|c| c.penalty_time)
                    .unwrap_or(RelTime::from_minutes(20)),
            }),
        }
    }

    /// Contest time of an absolute time (zero before a start is known).
    pub fn contest_time(&self, t: AbsTime) -> RelTime {
        match self.contest.as_ref().and_then(|c| c.start_time) {
            Some(start) => t.since(start),
            None => RelTime::ZERO,
        }
    }

    /// Whether a submission made at `time` is in the freeze window.
    fn in_freeze_window(&self, time: AbsTime) -> bool {
        let Some(c) = &self.contest else {
            return false;
        };
        match (c.start_time, c.freeze_start()) {
            (Some(start), Some(f)) => time.since(start) >= f,
            _ => false,
        }
    }

    /// Whether the public may not see this submission's judgements and runs
    /// now: made during the freeze, and the board is not thawed.
    pub fn hidden_from_public(&self, submission_id: &str) -> bool {
        self.state.thawed.is_none()
            && self
                .submissions
                .get(submission_id)
                .is_some_and(|s| self.in_freeze_window(s.time))
    }

    /// Whether a public event feed skips the judgement or run entry at
    /// `token` about `submission_id`: the submission was made during the
    /// freeze and the entry precedes the thaw (the thaw appends them again).
    pub fn hidden_in_feed(&self, submission_id: &str, token: &str) -> bool {
        let in_window = self
            .submissions
            .get(submission_id)
            .is_some_and(|s| self.in_freeze_window(s.time));
        in_window
            && self
                .thaw_token
                .as_deref()
                .is_none_or(|t| token_cmp(token, t).is_lt())
    }

    /// Whether a public or team event feed skips the `problems` entry at
    /// `token`: problems are not shown before the start (the start appends
    /// them again).
    pub fn problem_hidden_in_feed(&self, token: &str) -> bool {
        self.started_token
            .as_deref()
            .is_none_or(|t| token_cmp(token, t).is_lt())
    }

    /// The state as logged (thawed, finalized, end of updates).
    pub fn logged_state(&self) -> &State {
        &self.state
    }

    /// The state at `now`: started, frozen and ended follow the clock;
    /// thawed, finalized and end of updates are what the log says.
    pub fn state_at(&self, now: AbsTime) -> State {
        state_at(self.contest.as_ref(), &self.state, now)
    }

    /// The `state` object to log now because the clock started, froze or
    /// ended the contest since the logged one (see [`due_state`]).
    pub fn due_state(&self, now: AbsTime) -> Option<State> {
        due_state(self.contest.as_ref(), &self.state, now)
    }

    /// Whether the contest is running at `now`: started and not ended.
    pub fn is_running(&self, now: AbsTime) -> bool {
        let s = self.state_at(now);
        s.started.is_some() && s.ended.is_none()
    }

    /// Applies one entry. Entries at or before [`Replay::token`] are ignored,
    /// so applying a range twice is harmless.
    pub fn apply(&mut self, e: &LogEntry) {
        if self.token != "0-0" && !token_cmp(&e.token, &self.token).is_gt() {
            return;
        }
        self.token = e.token.clone();
        let data = e.data.clone();
        fn parse<T: serde::de::DeserializeOwned>(d: Option<Value>) -> Option<T> {
            d.and_then(|v| serde_json::from_value(v).ok())
        }
        match e.kind.as_str() {
            "contest" => {
                if let Some(c) = parse(data) {
                    self.contest = Some(c);
                    self.board = None;
                }
            }
            GROUP_SCORES_TYPE => {
                if let Some(g) = parse::<GroupScores>(data) {
                    let scores = g.groups.into_iter().map(|(_, s)| s).collect();
                    self.group_scores.insert(e.id.clone(), scores);
                }
            }
            SETTINGS_TYPE => {
                self.settings = parse(data).unwrap_or_default();
                self.board = None;
            }
            "problems" => {
                match parse(data) {
                    Some(p) => self.problems.insert(e.id.clone(), p),
                    None => self.problems.remove(&e.id),
                };
                self.board = None;
            }
            "teams" => {
                match parse(data) {
                    Some(t) => self.teams.insert(e.id.clone(), t),
                    None => self.teams.remove(&e.id),
                };
                self.board = None;
            }
            "judgement-types" => {
                match parse(data) {
                    Some(t) => self.judgement_types.insert(e.id.clone(), t),
                    None => self.judgement_types.remove(&e.id),
                };
                self.board = None;
            }
            "state" => {
                if let Some(s) = parse::<State>(data) {
                    if s.started.is_some() && self.started_token.is_none() {
                        self.started_token = Some(e.token.clone());
                    }
                    let thaw = s.thawed.is_some() && self.state.thawed.is_none();
                    self.state = s;
                    if thaw {
                        self.thaw_token = Some(e.token.clone());
                        self.steps.push(Step::Thaw);
                        if let Some(b) = &mut self.board {
                            b.thaw();
                        }
                    }
                }
            }
            "submissions" if data.is_none() => self.delete_submission(&e.id),
            "submissions" => {
                if let Some(s) = parse::<Submission>(data) {
                    let id = s.id.0.clone();
                    let fresh = !self.submissions.contains_key(&id);
                    self.submissions.insert(id.clone(), s);
                    if fresh {
                        self.steps.push(Step::Submit(id.clone()));
                        if let Some(mut b) = self.board.take() {
                            self.board_submit(&mut b, &id);
                            self.board = Some(b);
                        }
                    }
                }
            }
            "judgements" => {
                if let Some(j) = parse::<Judgement>(data) {
                    self.judged.insert(j.id.clone(), j.submission_id.0.clone());
                    if j.judgement_type_id.is_none() {
                        return;
                    }
                    let same = self
                        .current
                        .get(j.submission_id.as_str())
                        .is_some_and(|c| c == &j);
                    if same {
                        // The thaw's re-announcement of a hidden judgement.
                        return;
                    }
                    self.current.insert(j.submission_id.0.clone(), j.clone());
                    if let Some(mut b) = self.board.take() {
                        self.board_judge(&mut b, &j);
                        self.board = Some(b);
                    }
                    self.steps.push(Step::Judge(j));
                }
            }
            _ => {}
        }
    }

    /// A deleted submission (the judge's cancel) counts nowhere: the board
    /// is rebuilt without it.
    fn delete_submission(&mut self, id: &str) {
        if self.submissions.remove(id).is_some() {
            self.current.remove(id);
            self.board = None;
        }
    }

    fn board_submit(&self, b: &mut Board, id: &str) {
        let Some(s) = self.submissions.get(id) else {
            return;
        };
        let contest_time = self.contest_time(s.time);
        let duration = self.contest.as_ref().map(|c| c.duration);
        // Only what was made during the contest counts.
        if contest_time.is_negative() || duration.is_some_and(|d| contest_time >= d) {
            return;
        }
        let _ = b.submit(SubmissionEvent {
            id: s.id.clone(),
            team_id: s.team_id.clone(),
            problem_id: s.problem_id.clone(),
            contest_time,
            language_id: s.language_id.clone(),
        });
    }

    fn board_judge(&self, b: &mut Board, j: &Judgement) {
        let Some(jt) = &j.judgement_type_id else {
            return;
        };
        let at = j.end_time.unwrap_or(j.start_time);
        let _ = b.judge(JudgementEvent {
            submission_id: j.submission_id.clone(),
            judgement_type_id: jt.clone(),
            score: j.score,
            group_scores: self.group_scores.get(&j.id).cloned().unwrap_or_default(),
            contest_time: self.contest_time(at).max(RelTime::ZERO),
        });
    }

    fn rebuild(&self) -> Option<Board> {
        let contest = self.contest.as_ref()?;
        let mut board = Board::new(BoardConfig {
            rules: self.rules(),
            problems: self.problems().iter().map(|p| p.id.clone()).collect(),
            teams: self
                .teams
                .values()
                .filter(|t| t.hidden != Some(true))
                .map(|t| BoardTeam {
                    id: t.id.clone(),
                    name: t.display_name.clone().unwrap_or_else(|| t.name.clone()),
                })
                .collect(),
            freeze_start: contest.freeze_start(),
            judgement_types: self.judgement_types.values().cloned().collect(),
        })
        .ok()?;
        for step in &self.steps {
            match step {
                Step::Submit(id) => self.board_submit(&mut board, id),
                Step::Judge(j) => self.board_judge(&mut board, j),
                Step::Thaw => board.thaw(),
            }
        }
        Some(board)
    }

    /// The board, rebuilt first if the configuration changed; its clock is
    /// moved to `now` so that the freeze holds from when it starts.
    pub fn board(&mut self, now: AbsTime) -> Option<&Board> {
        if self.board.is_none() {
            self.board = self.rebuild();
        }
        let t = self.contest.as_ref().and_then(|c| c.start_time).map(|s| {
            let d = self
                .contest
                .as_ref()
                .map(|c| c.duration)
                .unwrap_or_default();
            now.since(s).min(d).max(RelTime::ZERO)
        });
        let board = self.board.as_mut()?;
        if let Some(t) = t {
            board.advance_clock(t);
        }
        Some(board)
    }

    /// The board as last built (by [`Replay::board`]), without catching up.
    pub fn built_board(&self) -> Option<&Board> {
        self.board.as_ref()
    }

    /// The Contest API scoreboard for a view at `now`.
    pub fn scoreboard(&mut self, kind: ViewKind, now: AbsTime) -> Option<crate::api::Scoreboard> {
        let state = self.state_at(now);
        let contest_time = self
            .contest
            .as_ref()
            .and_then(|c| c.start_time.map(|s| now.since(s).min(c.duration)))
            .unwrap_or_default()
            .max(RelTime::ZERO);
        let board = self.board(now)?;
        Some(board.scoreboard(kind, now, contest_time, state))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn entry(n: u64, kind: &str, id: &str, data: Value) -> LogEntry {
        LogEntry {
            token: format!("{n}-0"),
            kind: kind.into(),
            id: id.into(),
            data: Some(data),
        }
    }

    fn log() -> Vec<LogEntry> {
        let mut v = vec![
            entry(
                1,
                "contest",
                "c",
                json!({"id": "c", "name": "C", "start_time": "2026-01-01T10:00:00.000Z",
                       "duration": "5:00:00", "scoreboard_freeze_duration": "1:00:00",
                       "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"}),
            ),
            entry(
                2,
                "problems",
                "a",
                json!({"id": "a", "label": "A", "name": "A", "ordinal": 1}),
            ),
            LogEntry {
                token: "2-1".into(),
                ..entry(
                    2,
                    "problems",
                    "b",
                    json!({"id": "b", "label": "B", "name": "B", "ordinal": 2}),
                )
            },
            entry(
                3,
                "teams",
                "t1",
                json!({"id": "t1", "name": "One", "label": "1"}),
            ),
            entry(
                4,
                "teams",
                "t2",
                json!({"id": "t2", "name": "Two", "label": "2"}),
            ),
        ];
        let sub = |n, id: &str, team: &str, problem: &str, minute: u32| {
            entry(
                n,
                "submissions",
                id,
                json!({"id": id, "language_id": "cpp", "problem_id": problem, "team_id": team,
                   "time": format!("2026-01-01T{:02}:{:02}:00.000Z", 10 + minute / 60, minute % 60),
                   "contest_time": "0:00:00", "entry_point": null, "files": []}),
            )
        };
        let judge = |n, id: &str, sid: &str, jt: &str, minute: u32| {
            let t = format!(
                "2026-01-01T{:02}:{:02}:30.000Z",
                10 + minute / 60,
                minute % 60
            );
            entry(
                n,
                "judgements",
                id,
                json!({"id": id, "submission_id": sid, "judgement_type_id": jt,
                   "start_time": t, "start_contest_time": "0:00:00",
                   "end_time": t, "end_contest_time": "0:00:00"}),
            )
        };
        v.push(sub(5, "s1", "t1", "a", 10));
        v.push(judge(6, "j1", "s1", "WA", 10));
        v.push(sub(7, "s2", "t1", "a", 20));
        v.push(judge(8, "j2", "s2", "AC", 20));
        v.push(sub(9, "s3", "t2", "a", 30));
        v.push(judge(10, "j3", "s3", "AC", 30));
        // A rejudge of s1.
        v.push(judge(11, "j4", "s1", "CE", 40));
        // During the freeze (from 4:00).
        v.push(sub(12, "s4", "t2", "b", 250));
        v.push(judge(13, "j5", "s4", "AC", 250));
        v
    }

    fn now() -> AbsTime {
        "2026-01-01T14:30:00.000Z".parse().unwrap()
    }

    #[test]
    fn catching_up_in_steps_equals_a_full_replay() {
        let entries = log();
        let mut full = Replay::new();
        for e in &entries {
            full.apply(e);
        }
        let mut live = Replay::new();
        for (i, e) in entries.iter().enumerate() {
            live.apply(e);
            // Read between entries, as the API does on each request, at
            // a time after the entry's (the freeze starts at 4:00).
            if i % 2 == 0 {
                let at = if i < 12 {
                    "2026-01-01T10:45:00.000Z"
                } else {
                    "2026-01-01T14:30:00.000Z"
                };
                live.board(at.parse().unwrap());
            }
            live.apply(e); // applying again changes nothing
        }
        for kind in [ViewKind::Admin, ViewKind::Public] {
            assert_eq!(
                live.scoreboard(kind, now()).unwrap().rows,
                full.scoreboard(kind, now()).unwrap().rows
            );
        }
        let rows = full.scoreboard(ViewKind::Admin, now()).unwrap().rows;
        // t1: the WA became CE (no penalty): A at 20. t2: A at 30, B at 250.
        assert_eq!(rows[0].team_id.as_str(), "t2");
        assert_eq!(rows[1].team_id.as_str(), "t1");
        assert_eq!(
            rows[1].score,
            crate::api::RowScoreJson::PassFail {
                num_solved: 1,
                total_time: RelTime::from_minutes(20),
                time: Some(RelTime::from_minutes(20))
            }
        );
        // The public board still has B of t2 pending (made during the freeze).
        let public = full.scoreboard(ViewKind::Public, now()).unwrap().rows;
        assert_eq!(public[0].team_id.as_str(), "t1", "{public:?}");
        assert_eq!(public[1].problems[1].num_pending, 1);
        assert!(full.hidden_from_public("s4") && !full.hidden_from_public("s3"));
        assert!(full.hidden_in_feed("s4", "13-0") && !full.hidden_in_feed("s3", "10-0"));
    }

    #[test]
    fn a_deleted_submission_counts_nowhere() {
        // s4 waits for its judgement (pending on B), then is cancelled.
        let mut replay = Replay::new();
        for e in log().iter().filter(|e| e.token != "13-0") {
            replay.apply(e);
        }
        let pending = |r: &mut Replay| {
            let rows = r.scoreboard(ViewKind::Admin, now()).unwrap().rows;
            let t2 = rows
                .iter()
                .find(|row| row.team_id.as_str() == "t2")
                .unwrap();
            t2.problems[1].num_pending
        };
        assert_eq!(pending(&mut replay), 1);
        replay.apply(&LogEntry {
            token: "14-0".into(),
            kind: "submissions".into(),
            id: "s4".into(),
            data: None,
        });
        assert!(replay.submission("s4").is_none());
        assert_eq!(pending(&mut replay), 0);
        assert_eq!(replay.submissions_of(Some("t2")).len(), 1);
    }

    #[test]
    fn a_change_of_times_rebuilds_and_a_thaw_shows_everything() {
        let mut r = Replay::new();
        for e in log() {
            r.apply(&e);
        }
        r.board(now());
        // Freeze from the start: every submission is hidden publicly.
        r.apply(&entry(
            14,
            "contest",
            "c",
            json!({"id": "c", "name": "C", "start_time": "2026-01-01T10:00:00.000Z",
                   "duration": "5:00:00", "scoreboard_freeze_duration": "5:00:00",
                   "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"}),
        ));
        let public = r.scoreboard(ViewKind::Public, now()).unwrap().rows;
        assert!(public
            .iter()
            .all(|row| row.problems.iter().all(|p| p.solved == Some(false))));
        r.apply(&entry(
            15,
            "state",
            "c",
            json!({"started": "2026-01-01T10:00:00.000Z", "ended": null,
                   "thawed": "2026-01-01T14:30:00.000Z", "finalized": null, "end_of_updates": null}),
        ));
        assert_eq!(
            r.scoreboard(ViewKind::Public, now()).unwrap().rows,
            r.scoreboard(ViewKind::Admin, now()).unwrap().rows
        );
        assert!(!r.hidden_from_public("s4"));
        assert!(r.hidden_in_feed("s4", "13-0") && !r.hidden_in_feed("s4", "16-0"));
    }

    #[test]
    fn the_clock_calls_for_started_frozen_and_ended_and_keeps_the_logged_parts() {
        let contest: Contest = serde_json::from_value(json!({"id": "c", "name": "C",
            "start_time": "2026-01-01T10:00:00.000Z", "duration": "5:00:00",
            "scoreboard_freeze_duration": "1:00:00", "scoreboard_type": "pass-fail"}))
        .unwrap();
        let at = |t: &str| -> AbsTime { format!("2026-01-01T{t}.000Z").parse().unwrap() };
        let logged = State::default();
        assert_eq!(due_state(Some(&contest), &logged, at("09:59:59")), None);
        let started = due_state(Some(&contest), &logged, at("10:00:00")).unwrap();
        assert_eq!(started.started, Some(at("10:00:00")));
        assert_eq!(due_state(Some(&contest), &started, at("13:59:59")), None);
        let frozen = due_state(Some(&contest), &started, at("14:00:00")).unwrap();
        assert_eq!(frozen.frozen, Some(at("14:00:00")));
        // A thaw is the log's: the clock keeps it.
        let thawed = State {
            thawed: Some(at("14:30:00")),
            ..frozen
        };
        let ended = due_state(Some(&contest), &thawed, at("15:00:00")).unwrap();
        assert_eq!(ended.ended, Some(at("15:00:00")));
        assert_eq!(ended.thawed, thawed.thawed);
        assert_eq!(due_state(Some(&contest), &ended, at("16:00:00")), None);
        assert_eq!(due_state(None, &logged, at("16:00:00")), None);
    }

    #[test]
    fn max_subtask_sums_the_logged_group_scores_of_each_judgement() {
        let mut r = Replay::new();
        let mut n = 0;
        let mut add = |r: &mut Replay, kind: &str, id: &str, data: Value| {
            n += 1;
            r.apply(&entry(n, kind, id, data));
        };
        add(
            &mut r,
            "contest",
            "c",
            json!({"id": "c", "name": "C", "start_time": "2026-01-01T10:00:00.000Z",
                   "duration": "5:00:00", "scoreboard_type": "score"}),
        );
        add(
            &mut r,
            SETTINGS_TYPE,
            "c",
            json!({"rules": {"rules": "score", "aggregation": "max-subtask"}}),
        );
        add(
            &mut r,
            "problems",
            "p",
            json!({"id": "p", "label": "A", "name": "P", "ordinal": 1}),
        );
        add(
            &mut r,
            "teams",
            "t1",
            json!({"id": "t1", "name": "One", "label": "1"}),
        );
        // Two submissions, each solving other groups: 20+0+50, 20+30+10.
        for (sid, minute, groups, total) in [
            ("s1", 10, [20.0, 0.0, 50.0], 70.0),
            ("s2", 20, [20.0, 30.0, 10.0], 60.0),
        ] {
            let t = format!("2026-01-01T10:{minute}:00.000Z");
            add(
                &mut r,
                "submissions",
                sid,
                json!({"id": sid, "language_id": "python3", "problem_id": "p", "team_id": "t1",
                       "time": t, "contest_time": "0:00:00", "entry_point": null, "files": []}),
            );
            let jid = format!("j{sid}");
            let names = ["secret/1", "secret/2", "secret/3"];
            add(
                &mut r,
                GROUP_SCORES_TYPE,
                &jid,
                json!({"submission_id": sid,
                       "groups": names.iter().zip(groups).collect::<Vec<_>>()}),
            );
            add(
                &mut r,
                "judgements",
                &jid,
                json!({"id": jid, "submission_id": sid, "judgement_type_id": "WA",
                       "score": total, "start_time": t, "start_contest_time": "0:00:00",
                       "end_time": t, "end_contest_time": "0:00:00"}),
            );
        }
        let rows = r.scoreboard(ViewKind::Admin, now()).unwrap().rows;
        // The best of each group: 20 + 30 + 50, improved last at minute 20.
        assert_eq!(
            rows[0].score,
            crate::api::RowScoreJson::Score {
                score: 100.0,
                time: Some(RelTime::from_minutes(20))
            }
        );
        // With `max` the same log scores the best single submission.
        add(
            &mut r,
            SETTINGS_TYPE,
            "c",
            json!({"rules": {"rules": "score", "aggregation": "max"}}),
        );
        let rows = r.scoreboard(ViewKind::Admin, now()).unwrap().rows;
        assert_eq!(rows[0].problems[0].score, Some(70.0));
    }
}
