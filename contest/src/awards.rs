//! The awards a contest's board decides (Contest API, "Known awards"):
//! `winner`, `gold-medal`/`silver-medal`/`bronze-medal` when the contest
//! has medal counts, `first-to-solve-<problem>` (rules that know "solved")
//! and `group-winner-<group>`. Computed from one view of the board, so the
//! public's awards hold still during the freeze as its board does, and they
//! are current at every moment: "if the contest ended now". An award with
//! nobody yet has `team_ids: []` (being updated, no team has it).

use crate::api::{Award, Group, RowScoreJson, ScoreboardRow, Team};
use crate::board::{Board, ViewKind};
use crate::ids::TeamId;
use crate::replay::{Medals, Replay};
use crate::time::AbsTime;

fn scored(row: &ScoreboardRow) -> bool {
    match row.score {
        RowScoreJson::PassFail { num_solved, .. } => num_solved > 0,
        RowScoreJson::Score { score, .. } => score > 0.0,
    }
}

fn award(id: String, citation: String, team_ids: Vec<TeamId>) -> Award {
    Award {
        id,
        citation,
        team_ids: Some(team_ids),
    }
}

/// The best-ranked teams among `rows` that scored at all.
fn leaders<'a>(rows: impl Iterator<Item = &'a ScoreboardRow>) -> Vec<TeamId> {
    let scoring: Vec<&ScoreboardRow> = rows.filter(|r| scored(r)).collect();
    let best = scoring.iter().map(|r| r.rank).min();
    scoring
        .iter()
        .filter(|r| Some(r.rank) == best)
        .map(|r| r.team_id.clone())
        .collect()
}

/// The Contest API awards of a contest's view at `now`; `groups` are the
/// contest's groups, for `group-winner-<id>`.
pub fn of_contest(r: &mut Replay, kind: ViewKind, now: AbsTime, groups: &[Group]) -> Vec<Award> {
    let problems: Vec<_> = r
        .problems()
        .iter()
        .map(|p| (p.id.clone(), p.label.clone()))
        .collect();
    let medals = r.settings().medals;
    if r.board(now).is_none() {
        return Vec::new();
    }
    let r = &*r;
    let board = r.built_board().expect("built above");
    let teams: Vec<&Team> = r.teams().collect();
    awards(board, kind, &problems, &teams, groups, medals)
}

/// The awards of one view of the board. `teams` gives group membership,
/// `groups` the names of the groups (in the order listed).
pub fn awards(
    board: &Board,
    kind: ViewKind,
    problems: &[(crate::ids::ProblemId, String)],
    teams: &[&Team],
    groups: &[Group],
    medals: Option<Medals>,
) -> Vec<Award> {
    let rows = board.rows(kind);
    let mut out = vec![award(
        "winner".into(),
        "Contest winner".into(),
        leaders(rows.iter()),
    )];
    if let Some(m) = medals {
        let mut upper = 0;
        for (name, count) in [("gold", m.gold), ("silver", m.silver), ("bronze", m.bronze)] {
            let lower = upper;
            upper += count;
            let ids = rows
                .iter()
                .filter(|r| scored(r) && r.rank > lower && r.rank <= upper)
                .map(|r| r.team_id.clone())
                .collect();
            let title = format!("{}{}", name[..1].to_uppercase(), &name[1..]);
            out.push(award(
                format!("{name}-medal"),
                format!("{title} medal winner"),
                ids,
            ));
        }
    }
    if board.rules().has_first_to_solve() {
        for (id, label) in problems {
            let ids = board
                .first_to_solve(kind, id)
                .cloned()
                .into_iter()
                .collect();
            out.push(award(
                format!("first-to-solve-{id}"),
                format!("First to solve problem {label}"),
                ids,
            ));
        }
    }
    for g in groups {
        let in_group = |t: &TeamId| {
            teams
                .iter()
                .any(|team| &team.id == t && team.group_ids.contains(&g.id))
        };
        out.push(award(
            format!("group-winner-{}", g.id),
            format!("Winner(s) of group {}", g.name),
            leaders(rows.iter().filter(|r| in_group(&r.team_id))),
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::api::Group;
    use crate::board::ViewKind;
    use crate::views::tests::{during_freeze, frozen_contest};

    fn group() -> Group {
        serde_json::from_value(serde_json::json!({"id": "g1", "name": "Group One"})).unwrap()
    }

    fn teams_of(awards: &[crate::api::Award], id: &str) -> Vec<String> {
        let a = awards
            .iter()
            .find(|a| a.id == id)
            .unwrap_or_else(|| panic!("no award {id}: {awards:?}"));
        a.team_ids
            .clone()
            .unwrap()
            .iter()
            .map(|t| t.to_string())
            .collect()
    }

    #[test]
    fn winner_first_to_solve_and_group_winner_follow_the_view() {
        let mut r = frozen_contest();
        let now = during_freeze();
        let public = super::of_contest(&mut r, ViewKind::Public, now, &[group()]);
        // The public board (B of t2 pending): t1 leads.
        assert_eq!(teams_of(&public, "winner"), ["t1"]);
        assert_eq!(teams_of(&public, "first-to-solve-a"), ["t1"]);
        assert!(teams_of(&public, "first-to-solve-b").is_empty());
        assert_eq!(teams_of(&public, "group-winner-g1"), ["t1"]);
        assert!(public.iter().all(|a| !a.id.ends_with("-medal")));
        // Admins see t2 winning with B.
        let admin = super::of_contest(&mut r, ViewKind::Admin, now, &[group()]);
        assert_eq!(teams_of(&admin, "winner"), ["t2"]);
        assert_eq!(teams_of(&admin, "first-to-solve-b"), ["t2"]);
        assert_eq!(teams_of(&admin, "group-winner-g1"), ["t1"]);
    }

    #[test]
    fn medals_by_rank_when_the_contest_has_counts() {
        let mut r = frozen_contest();
        r.apply(&crate::replay::LogEntry {
            token: "100-0".into(),
            kind: crate::replay::SETTINGS_TYPE.into(),
            id: "c".into(),
            data: Some(serde_json::json!({"medals": {"gold": 1, "silver": 1, "bronze": 1}})),
        });
        let admin = super::of_contest(&mut r, ViewKind::Admin, during_freeze(), &[]);
        assert_eq!(teams_of(&admin, "gold-medal"), ["t2"]);
        assert_eq!(teams_of(&admin, "silver-medal"), ["t1"]);
        assert!(teams_of(&admin, "bronze-medal").is_empty());
    }

    #[test]
    fn first_to_solve_waits_for_earlier_pending_submissions() {
        let mut r = frozen_contest();
        // t2 submitted A at 0:05, not judged yet: t1's solve at 0:10 may not be first.
        r.apply(&crate::replay::LogEntry {
            token: "100-0".into(),
            kind: "submissions".into(),
            id: "s0".into(),
            data: Some(
                serde_json::json!({"id": "s0", "language_id": "cpp", "problem_id": "a",
                "team_id": "t2", "time": "2026-01-01T10:05:00.000Z", "contest_time": "0:05:00",
                "entry_point": null, "files": []}),
            ),
        });
        let admin = super::of_contest(&mut r, ViewKind::Admin, during_freeze(), &[]);
        assert!(teams_of(&admin, "first-to-solve-a").is_empty());
    }
}
