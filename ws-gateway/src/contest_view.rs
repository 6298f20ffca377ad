//! What a contest viewer sees, built from a caught-up [`Replay`]: the rows
//! of its view (admin, public, or a team's), what changed since the last
//! rows sent (whole rows whose results changed, a rank for rows that only
//! moved), and the messages of `/ws/contests/{id}` as JSON text.
//!
//! Views: an admin sees everything; the public sees submissions made
//! during the freeze as pending until the thaw; a team sees the public
//! board with its own row as judged (its own results are not hidden from
//! it), ranked among the others' public rows. Before the start non-admins
//! get rows without problems. Which rows each audience sees is
//! `contest::views`, the computation the API's scoreboard routes use too.

use std::collections::HashMap;

use contest::api::{Clarification, Scoreboard, ScoreboardRow, State};
use contest::board::ViewKind;
use contest::ids::TeamId;
use contest::replay::Replay;
use contest::views;
use contest::{AbsTime, RelTime};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// Whose view a socket has.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum ViewKey {
    Admin,
    Public,
    /// A participant: the public board, its own row as judged.
    Team(String),
}

pub use contest::views::contest_time;

/// The rows of a contest's views at one moment, rendered once and shared
/// by every view that needs them.
pub struct Rendered {
    admin: Vec<ScoreboardRow>,
    public: Vec<ScoreboardRow>,
    /// Team id -> name, for ordering equal ranks in a team's view.
    names: HashMap<String, String>,
    /// Team id -> index in `admin` of each team whose row as judged
    /// differs from its public row (results hidden by the freeze): found
    /// once, so that a team's view costs nothing when it is the public's.
    hidden: HashMap<String, usize>,
}

impl Rendered {
    /// Renders the admin and the public rows at `now` (the board is caught
    /// up by the caller).
    pub fn new(r: &mut Replay, now: AbsTime) -> Rendered {
        let started = r.state_at(now).started.is_some();
        let names = views::team_names(r);
        let (admin, mut public) = match r.board(now) {
            Some(b) => (b.rows(ViewKind::Admin), b.rows(ViewKind::Public)),
            None => (Vec::new(), Vec::new()),
        };
        if !started {
            for row in &mut public {
                row.problems.clear();
            }
        }
        let by_team: HashMap<&str, &ScoreboardRow> =
            public.iter().map(|r| (r.team_id.as_str(), r)).collect();
        let hidden = admin
            .iter()
            .enumerate()
            .filter(|(_, own)| {
                by_team
                    .get(own.team_id.as_str())
                    .is_some_and(|p| views::hides_results(own, p))
            })
            .map(|(i, own)| (own.team_id.0.clone(), i))
            .collect();
        Rendered {
            admin,
            public,
            names,
            hidden,
        }
    }

    pub fn public(&self) -> &[ScoreboardRow] {
        &self.public
    }

    pub fn admin(&self) -> &[ScoreboardRow] {
        &self.admin
    }

    /// The team's row as judged, when it differs from its public row (it
    /// has results hidden by the freeze).
    pub fn own_row(&self, team: &str) -> Option<&ScoreboardRow> {
        self.hidden.get(team).map(|&i| &self.admin[i])
    }

    /// The rows of a view, when they are not the public's (`None`: a
    /// team's view without hidden results is the public view).
    pub fn own_rows(&self, key: &ViewKey) -> Option<Vec<ScoreboardRow>> {
        match key {
            ViewKey::Public => None,
            ViewKey::Team(t) if !self.hidden.contains_key(t.as_str()) => None,
            _ => Some(self.rows(key)),
        }
    }

    /// The rows of a view, ordered by rank then team name: what
    /// `contest::views::rows` gives the same audience (the API's
    /// scoreboard routes), rendered once for every view.
    pub fn rows(&self, key: &ViewKey) -> Vec<ScoreboardRow> {
        match key {
            ViewKey::Admin => self.admin.clone(),
            ViewKey::Public => self.public.clone(),
            ViewKey::Team(team) => match self.own_row(team) {
                Some(own) => views::with_own_row(self.public.clone(), own, &self.names),
                None => self.public.clone(),
            },
        }
    }
}

/// The rows of one view at `now`, ordered by rank then team name.
pub fn rows(r: &mut Replay, key: &ViewKey, now: AbsTime) -> Vec<ScoreboardRow> {
    Rendered::new(r, now).rows(key)
}

/// The Contest API scoreboard object of a view at `now`.
pub fn scoreboard(r: &mut Replay, key: &ViewKey, now: AbsTime) -> Scoreboard {
    let rows = rows(r, key, now);
    scoreboard_of(r, rows, now)
}

/// The Contest API scoreboard object of `rows` rendered at `now`.
pub fn scoreboard_of(r: &Replay, rows: Vec<ScoreboardRow>, now: AbsTime) -> Scoreboard {
    Scoreboard {
        time: now,
        contest_time: contest_time(r, now),
        state: r.state_at(now),
        rows,
    }
}

/// What changed from one rendering of a view to the next, as a `rows`
/// message carries it.
#[derive(Debug, Default, PartialEq)]
pub struct Changes {
    /// Rows whose results (`score`, `problems`) changed, or new rows: whole.
    pub rows: Vec<ScoreboardRow>,
    /// Team and new rank of each other row whose rank alone changed. A
    /// verdict that moves a team up shifts the rank of every team it
    /// passes; those rows are otherwise the same, so sending them whole
    /// would make a message hundreds of times longer.
    pub ranks: Vec<(TeamId, u32)>,
}

impl Changes {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty() && self.ranks.is_empty()
    }
}

/// The changes from `old` to `new` (rows matched by team), in `new`'s order.
pub fn changed(old: &[ScoreboardRow], new: &[ScoreboardRow]) -> Changes {
    let before: HashMap<&str, &ScoreboardRow> =
        old.iter().map(|r| (r.team_id.as_str(), r)).collect();
    let mut changes = Changes::default();
    for r in new {
        match before.get(r.team_id.as_str()) {
            Some(o) if o.score == r.score && o.problems == r.problems => {
                if o.rank != r.rank {
                    changes.ranks.push((r.team_id.clone(), r.rank));
                }
            }
            _ => changes.rows.push(r.clone()),
        }
    }
    changes
}

/// Whether a view may read a clarification: admins all; a team what it sent
/// and what the jury sent to it or to everyone; the public what the jury
/// sent to everyone.
pub fn may_read(c: &Clarification, key: &ViewKey) -> bool {
    let team = match key {
        ViewKey::Admin => return true,
        ViewKey::Public => None,
        ViewKey::Team(t) => Some(t.as_str()),
    };
    match &c.from_team_id {
        Some(from) => team == Some(from.as_str()),
        None => match &c.to_team_ids {
            None => c.to_group_ids.is_none(),
            Some(to) => team.is_some_and(|t| to.iter().any(|x| x.as_str() == t)),
        },
    }
}

// The messages are serialized straight from borrowed structs: going
// through a `serde_json::Value` would copy every row of a board first.

#[derive(serde::Serialize)]
struct BoardMsg<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    token: &'a str,
    state: &'a State,
    scoreboard: &'a Scoreboard,
}

#[derive(serde::Serialize)]
struct RowsMsg<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    token: &'a str,
    contest_time: RelTime,
    rows: &'a [ScoreboardRow],
    ranks: Ranks<'a>,
}

/// `ranks` as an object: team id -> rank.
struct Ranks<'a>(&'a [(TeamId, u32)]);

impl Serialize for Ranks<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (team, rank) in self.0 {
            map.serialize_entry(team.as_str(), rank)?;
        }
        map.end()
    }
}

#[derive(serde::Serialize)]
struct StateMsg<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    token: &'a str,
    state: &'a State,
}

#[derive(serde::Serialize)]
struct ClarificationMsg<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    clarification: &'a Clarification,
}

fn to_json(msg: &impl Serialize) -> String {
    serde_json::to_string(msg).expect("contest messages serialize")
}

/// `{"type":"board","token","state","scoreboard"}`.
pub fn board_message(token: &str, state: &State, scoreboard: &Scoreboard) -> String {
    to_json(&BoardMsg {
        kind: "board",
        token,
        state,
        scoreboard,
    })
}

/// `{"type":"rows","token","contest_time","rows","ranks"}`: `rows` whole,
/// `ranks` an object of team id -> rank.
pub fn rows_message(token: &str, contest_time: RelTime, changes: &Changes) -> String {
    to_json(&RowsMsg {
        kind: "rows",
        token,
        contest_time,
        rows: &changes.rows,
        ranks: Ranks(&changes.ranks),
    })
}

/// `{"type":"state","token","state"}`.
pub fn state_message(token: &str, state: &State) -> String {
    to_json(&StateMsg {
        kind: "state",
        token,
        state,
    })
}

/// `{"type":"clarification","clarification"}`.
pub fn clarification_message(c: &Clarification) -> String {
    to_json(&ClarificationMsg {
        kind: "clarification",
        clarification: c,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use contest::replay::LogEntry;
    use serde_json::{json, Value};

    fn entry(n: u64, kind: &str, id: &str, data: Value) -> LogEntry {
        LogEntry {
            token: format!("{n}-0"),
            kind: kind.into(),
            id: id.into(),
            data: Some(data),
        }
    }

    /// Two teams, one problem, freeze from 4:00 of 5:00.
    fn replay() -> Replay {
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
                   "duration": "5:00:00", "scoreboard_freeze_duration": "1:00:00",
                   "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"}),
        );
        add(
            &mut r,
            "problems",
            "a",
            json!({"id": "a", "label": "A", "name": "A", "ordinal": 1}),
        );
        for (id, name) in [("t1", "Alpha"), ("t2", "Beta")] {
            add(&mut r, "teams", id, json!({"id": id, "name": name}));
        }
        // t1 solves at 1:00 (public); t2 at 4:10 (frozen).
        for (sid, team, at) in [("s1", "t1", "11:00"), ("s2", "t2", "14:10")] {
            let t = format!("2026-01-01T{at}:00.000Z");
            add(
                &mut r,
                "submissions",
                sid,
                json!({"id": sid, "language_id": "cpp", "problem_id": "a", "team_id": team,
                       "time": t, "contest_time": "0:00:00", "files": []}),
            );
            add(
                &mut r,
                "judgements",
                &format!("j{sid}"),
                json!({"id": format!("j{sid}"), "submission_id": sid, "judgement_type_id": "AC",
                       "start_time": t, "start_contest_time": "0:00:00",
                       "end_time": t, "end_contest_time": "0:00:00"}),
            );
        }
        r
    }

    fn at() -> AbsTime {
        "2026-01-01T14:30:00.000Z".parse().unwrap()
    }

    fn ids(rows: &[ScoreboardRow]) -> Vec<(&str, u32)> {
        rows.iter().map(|r| (r.team_id.as_str(), r.rank)).collect()
    }

    #[test]
    fn the_freeze_hides_from_the_public_and_other_teams_not_from_the_team() {
        let mut r = replay();
        let public = rows(&mut r, &ViewKey::Public, at());
        assert_eq!(ids(&public), [("t1", 1), ("t2", 2)]);
        assert_eq!(public[1].problems[0].num_pending, 1);
        assert_eq!(
            ids(&rows(&mut r, &ViewKey::Team("t1".into()), at())),
            [("t1", 1), ("t2", 2)]
        );
        // t2 sees its own solve (4:10 with 250 minutes against t1's 60: second, not pending).
        let own = rows(&mut r, &ViewKey::Team("t2".into()), at());
        assert_eq!(ids(&own), [("t1", 1), ("t2", 2)]);
        assert_eq!(own[1].problems[0].solved, Some(true));
        assert_eq!(rows(&mut r, &ViewKey::Admin, at())[1], own[1]);
    }

    #[test]
    fn a_row_whose_results_changed_is_sent_whole_one_that_only_moved_as_a_rank() {
        let mut r = replay();
        let before = rows(&mut r, &ViewKey::Admin, at());
        assert_eq!(ids(&before), [("t1", 1), ("t2", 2)]);
        // t1's results change and it falls behind t2, whose results stay.
        let mut after = vec![before[1].clone(), before[0].clone()];
        after[0].rank = 1;
        after[1].rank = 2;
        after[1].problems[0].num_judged += 1;
        let changes = changed(&before, &after);
        assert_eq!(ids(&changes.rows), [("t1", 2)]);
        assert_eq!(changes.rows[0].problems, after[1].problems);
        assert_eq!(changes.ranks, [(TeamId::from("t2"), 1)]);
        assert!(changed(&after, &after).is_empty());

        let msg: Value = serde_json::from_str(&rows_message(
            "100-0",
            RelTime::from_millis(60_000),
            &changes,
        ))
        .unwrap();
        assert_eq!(msg["type"], "rows");
        assert_eq!(msg["token"], "100-0");
        assert_eq!(msg["contest_time"], "0:01:00");
        assert_eq!(msg["rows"].as_array().unwrap().len(), 1);
        assert_eq!(msg["rows"][0]["team_id"], "t1");
        assert_eq!(msg["ranks"], json!({"t2": 1}));
        // A team new to the view is sent whole.
        let added = changed(&after[..1], &after);
        assert_eq!(ids(&added.rows), [("t1", 2)]);
        assert!(added.ranks.is_empty());
    }

    #[test]
    fn a_team_view_is_the_public_one_unless_the_freeze_hides_its_results() {
        let mut r = replay();
        let rendered = Rendered::new(&mut r, at());
        assert!(rendered.own_rows(&ViewKey::Public).is_none());
        // t1 solved before the freeze: nothing of it is hidden.
        assert!(rendered.own_rows(&ViewKey::Team("t1".into())).is_none());
        let t2 = rendered.own_rows(&ViewKey::Team("t2".into())).unwrap();
        assert_eq!(t2[1].problems[0].solved, Some(true));
        assert_eq!(
            rendered.own_rows(&ViewKey::Admin).unwrap(),
            rendered.admin()
        );
    }

    #[test]
    fn messages_are_the_documented_json() {
        let mut r = replay();
        let sb = scoreboard(&mut r, &ViewKey::Public, at());
        let state = r.state_at(at());
        let board: Value = serde_json::from_str(&board_message("7-0", &state, &sb)).unwrap();
        assert_eq!(board["type"], "board");
        assert_eq!(board["token"], "7-0");
        assert_eq!(board["state"], serde_json::to_value(&state).unwrap());
        assert_eq!(board["scoreboard"], serde_json::to_value(&sb).unwrap());
        let st: Value = serde_json::from_str(&state_message("7-0", &state)).unwrap();
        assert_eq!(st, json!({"type": "state", "token": "7-0", "state": state}));
    }

    #[test]
    fn a_submission_after_the_solve_changes_no_row() {
        let mut r = replay();
        r.apply(&entry(
            100,
            "submissions",
            "s9",
            json!({"id": "s9", "language_id": "cpp", "problem_id": "a", "team_id": "t1",
                   "time": "2026-01-01T12:00:00.000Z", "contest_time": "2:00:00", "files": []}),
        ));
        let now: AbsTime = "2026-01-01T12:30:00.000Z".parse().unwrap();
        let before = Rendered::new(&mut r, now).public().to_vec();
        r.apply(&entry(
            101,
            "judgements",
            "j9",
            json!({"id": "j9", "submission_id": "s9", "judgement_type_id": "WA",
                   "start_time": "2026-01-01T12:00:00.000Z", "start_contest_time": "2:00:00",
                   "end_time": "2026-01-01T12:00:00.000Z", "end_contest_time": "2:00:00"}),
        ));
        let after = Rendered::new(&mut r, now).public().to_vec();
        // t1 solved A at 1:00: later tries do not count, so nothing is sent.
        assert!(changed(&before, &after).is_empty());
    }

    #[test]
    fn clarifications_reach_whom_they_are_for() {
        let c = |from: Option<&str>, to: Option<Vec<&str>>| -> Clarification {
            serde_json::from_value(json!({"id": "x", "from_team_id": from,
                "to_team_ids": to, "text": "?", "time": "2026-01-01T11:00:00.000Z",
                "contest_time": "1:00:00"}))
            .unwrap()
        };
        let t1 = ViewKey::Team("t1".into());
        let t2 = ViewKey::Team("t2".into());
        let question = c(Some("t1"), None);
        assert!(may_read(&question, &t1) && may_read(&question, &ViewKey::Admin));
        assert!(!may_read(&question, &t2) && !may_read(&question, &ViewKey::Public));
        let everyone = c(None, None);
        assert!(may_read(&everyone, &ViewKey::Public) && may_read(&everyone, &t2));
        let one = c(None, Some(vec!["t2"]));
        assert!(may_read(&one, &t2) && !may_read(&one, &t1) && !may_read(&one, &ViewKey::Public));
    }
}
