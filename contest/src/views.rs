//! Who sees which rows of the board: the one computation that every
//! server of a scoreboard (the API's `GET .../scoreboard` routes and the
//! gateway's live view) uses, so that a role sees the same board however
//! it asks.
//!
//! - Admin: everything as judged.
//! - Public: submissions made during the freeze stay pending until the
//!   thaw; before the start, rows without problems.
//! - Team: the public board, with the team's own row as judged (its own
//!   judgements are not hidden from it: the Contest API shows a team its
//!   own judgements during the freeze), ranked among the others' public
//!   rows by the board's order (rank key, then team name).

use std::cmp::Ordering;
use std::collections::HashMap;

use crate::api::{RowScoreJson, Scoreboard, ScoreboardRow};
use crate::board::ViewKind;
use crate::replay::Replay;
use crate::time::{AbsTime, RelTime};

/// Whose view of the board.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience<'a> {
    Admin,
    Public,
    /// A participant, by team id.
    Team(&'a str),
}

/// The team's row as judged differs from its public one: the freeze hides
/// some of its results from the public.
pub fn hides_results(own: &ScoreboardRow, public: &ScoreboardRow) -> bool {
    !public.problems.is_empty() && (own.score != public.score || own.problems != public.problems)
}

/// The public rows with `own` (a team's row as judged) in place of that
/// team's public row, ranked again. `names`: team id -> the name the board
/// orders equal ranks by.
pub fn with_own_row(
    mut rows: Vec<ScoreboardRow>,
    own: &ScoreboardRow,
    names: &HashMap<String, String>,
) -> Vec<ScoreboardRow> {
    if let Some(row) = rows.iter_mut().find(|r| r.team_id == own.team_id) {
        row.score = own.score.clone();
        row.problems = own.problems.clone();
    }
    rerank(&mut rows, names);
    rows
}

/// Team id -> the name equal ranks are ordered by (as the board does).
pub fn team_names(r: &Replay) -> HashMap<String, String> {
    r.teams()
        .map(|t| {
            let name = t.display_name.clone().unwrap_or_else(|| t.name.clone());
            (t.id.0.clone(), name)
        })
        .collect()
}

/// The rows `audience` sees at `now`, ordered by rank then team name.
pub fn rows(r: &mut Replay, audience: Audience, now: AbsTime) -> Vec<ScoreboardRow> {
    let started = r.state_at(now).started.is_some();
    let Some(board) = r.board(now) else {
        return Vec::new();
    };
    if audience == Audience::Admin {
        return board.rows(ViewKind::Admin);
    }
    let mut public = board.rows(ViewKind::Public);
    if !started {
        for row in &mut public {
            row.problems.clear();
        }
        return public;
    }
    let Audience::Team(team) = audience else {
        return public;
    };
    let own = board
        .rows(ViewKind::Admin)
        .into_iter()
        .find(|row| row.team_id.as_str() == team);
    let mine = public.iter().find(|row| row.team_id.as_str() == team);
    match (own, mine) {
        (Some(own), Some(mine)) if hides_results(&own, mine) => {
            with_own_row(public, &own, &team_names(r))
        }
        _ => public,
    }
}

/// Contest time at `now`, within `[0, duration]`.
pub fn contest_time(r: &Replay, now: AbsTime) -> RelTime {
    r.contest()
        .and_then(|c| c.start_time.map(|s| now.since(s).min(c.duration)))
        .unwrap_or_default()
        .max(RelTime::ZERO)
}

/// The Contest API scoreboard object `audience` sees at `now`.
pub fn scoreboard(r: &mut Replay, audience: Audience, now: AbsTime) -> Scoreboard {
    let rows = rows(r, audience, now);
    Scoreboard {
        time: now,
        contest_time: contest_time(r, now),
        state: r.state_at(now),
        rows,
    }
}

/// The rank order of a row's score, as the board ranks: more solved (or
/// points) first, then less time, then an earlier last solve.
fn rank_key(score: &RowScoreJson) -> (f64, RelTime, RelTime) {
    match score {
        RowScoreJson::PassFail {
            num_solved,
            total_time,
            time,
        } => (*num_solved as f64, *total_time, time.unwrap_or_default()),
        RowScoreJson::Score { score, time } => (*score, time.unwrap_or_default(), RelTime::ZERO),
    }
}

fn cmp_key(a: &(f64, RelTime, RelTime), b: &(f64, RelTime, RelTime)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2))
}

/// Orders rows by rank key then name and gives equal keys one rank (1, 2, 2, 4).
fn rerank(rows: &mut [ScoreboardRow], names: &HashMap<String, String>) {
    let name = |r: &ScoreboardRow| names.get(r.team_id.as_str()).cloned().unwrap_or_default();
    rows.sort_by(|a, b| {
        cmp_key(&rank_key(&a.score), &rank_key(&b.score)).then_with(|| name(a).cmp(&name(b)))
    });
    let mut prev: Option<((f64, RelTime, RelTime), u32)> = None;
    for (pos, row) in rows.iter_mut().enumerate() {
        let key = rank_key(&row.score);
        let rank = match prev {
            Some((k, r)) if cmp_key(&k, &key) == Ordering::Equal => r,
            _ => pos as u32 + 1,
        };
        prev = Some((key, rank));
        row.rank = rank;
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::replay::LogEntry;
    use serde_json::{json, Value};

    fn entry(n: u64, kind: &str, id: &str, data: Value) -> LogEntry {
        LogEntry {
            token: format!("{n}-0"),
            kind: kind.into(),
            id: id.into(),
            data: Some(data),
        }
    }

    /// A pass-fail contest from 10:00 for 5 hours, frozen from 14:00;
    /// t1 solves A at 0:10, t2 solves A at 0:20 and B during the freeze.
    pub(crate) fn frozen_contest() -> Replay {
        let mut r = Replay::new();
        let mut n = 0;
        let mut add = |kind: &str, id: &str, data: Value| {
            n += 1;
            r.apply(&entry(n, kind, id, data));
        };
        add(
            "contest",
            "c",
            json!({"id": "c", "name": "C", "start_time": "2026-01-01T10:00:00.000Z",
                   "duration": "5:00:00", "scoreboard_freeze_duration": "1:00:00",
                   "scoreboard_type": "pass-fail", "penalty_time": "0:20:00"}),
        );
        for (id, label, ord) in [("a", "A", 1), ("b", "B", 2)] {
            add(
                "problems",
                id,
                json!({"id": id, "label": label, "name": label, "ordinal": ord}),
            );
        }
        add("groups", "g1", json!({"id": "g1", "name": "Group One"}));
        add(
            "teams",
            "t1",
            json!({"id": "t1", "name": "One", "label": "1", "group_ids": ["g1"]}),
        );
        add(
            "teams",
            "t2",
            json!({"id": "t2", "name": "Two", "label": "2"}),
        );
        for (sid, team, problem, time) in [
            ("s1", "t1", "a", "10:10"),
            ("s2", "t2", "a", "10:20"),
            ("s3", "t2", "b", "14:10"),
        ] {
            let t = format!("2026-01-01T{time}:00.000Z");
            add(
                "submissions",
                sid,
                json!({"id": sid, "language_id": "cpp", "problem_id": problem, "team_id": team,
                       "time": t, "contest_time": "0:00:00", "entry_point": null, "files": []}),
            );
            add(
                "judgements",
                &format!("j{sid}"),
                json!({"id": format!("j{sid}"), "submission_id": sid, "judgement_type_id": "AC",
                       "start_time": t, "start_contest_time": "0:00:00",
                       "end_time": t, "end_contest_time": "0:00:00"}),
            );
        }
        r
    }

    pub(crate) fn during_freeze() -> AbsTime {
        "2026-01-01T14:30:00.000Z".parse().unwrap()
    }

    fn order(rows: &[ScoreboardRow]) -> Vec<(&str, u32)> {
        rows.iter().map(|r| (r.team_id.as_str(), r.rank)).collect()
    }

    #[test]
    fn during_the_freeze_a_team_sees_its_own_results_ranked_among_public_rows() {
        let mut r = frozen_contest();
        let now = during_freeze();
        let public = rows(&mut r, Audience::Public, now);
        assert_eq!(order(&public), [("t1", 1), ("t2", 2)]);
        assert_eq!(public[1].problems[1].num_pending, 1);
        // t2 knows it solved B: first on its own board.
        let t2 = rows(&mut r, Audience::Team("t2"), now);
        assert_eq!(order(&t2), [("t2", 1), ("t1", 2)]);
        assert_eq!(t2[0].problems[1].solved, Some(true));
        // t1 has nothing hidden: its view is the public's.
        assert_eq!(rows(&mut r, Audience::Team("t1"), now), public);
        assert_eq!(
            order(&rows(&mut r, Audience::Admin, now)),
            [("t2", 1), ("t1", 2)]
        );
        // The scoreboard object carries the same rows.
        assert_eq!(scoreboard(&mut r, Audience::Team("t2"), now).rows, t2);
    }

    #[test]
    fn before_the_start_no_one_but_admins_sees_problems() {
        let mut r = frozen_contest();
        let before: AbsTime = "2026-01-01T09:00:00.000Z".parse().unwrap();
        for audience in [Audience::Public, Audience::Team("t1")] {
            assert!(rows(&mut r, audience, before)
                .iter()
                .all(|row| row.problems.is_empty()));
        }
        assert!(rows(&mut r, Audience::Admin, before)
            .iter()
            .all(|row| row.problems.len() == 2));
    }
}
