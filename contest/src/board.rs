//! An incremental scoreboard with a public and an admin view.
//!
//! Applying an event recomputes one problem cell of one team and that team's
//! row, then moves the row in an ordered index (a `BTreeSet` keyed by the
//! rank key, then team name): O(submissions on the cell + problems + log
//! teams), never a full recompute. Rendering walks the index once.
//!
//! Freeze: submissions made at or after `duration - scoreboard_freeze_duration`
//! stay pending on the public view (they count in `num_pending`, even those
//! later judged CE), and a rejudge that arrives while the board is frozen
//! does not reach the public view either; the admin view always shows
//! everything. [`Board::thaw`] makes the public view equal the admin view.
//! The board knows the contest clock from the events' contest times (and
//! [`Board::advance_clock`]); a server should advance it before applying a
//! judgement so that "frozen" means frozen now.

use std::collections::{BTreeSet, HashMap};

use crate::api::{ProblemResult, RowScoreJson, Scoreboard, ScoreboardRow, State};
use crate::ids::{JudgementTypeId, LanguageId, ProblemId, SubmissionId, TeamId};
use crate::judgement::{self, JudgementType};
use crate::rules::{Attempt, Cell, Judged, Outcome, RankKey, RowScore, RowSummary, Rules};
use crate::time::{AbsTime, RelTime};

/// Which audience a view is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ViewKind {
    /// Spectators and teams: frozen results during the freeze.
    Public,
    /// Judges and admins: everything as judged.
    Admin,
}

/// A team as the board needs it.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardTeam {
    pub id: TeamId,
    /// Rows with equal rank are listed by this name.
    pub name: String,
}

/// A new submission.
#[derive(Debug, Clone, PartialEq)]
pub struct SubmissionEvent {
    pub id: SubmissionId,
    pub team_id: TeamId,
    pub problem_id: ProblemId,
    /// Contest time of the submission, in ms precision.
    pub contest_time: RelTime,
    pub language_id: LanguageId,
}

/// A judgement of a submission; a later one for the same submission is a
/// rejudge and replaces it.
#[derive(Debug, Clone, PartialEq)]
pub struct JudgementEvent {
    pub submission_id: SubmissionId,
    pub judgement_type_id: JudgementTypeId,
    /// Score contests: the submission's score.
    pub score: Option<f64>,
    /// Score contests: the score of each test group (for `max-subtask`).
    pub group_scores: Vec<f64>,
    /// Contest time at which the judgement was made (advances the clock).
    pub contest_time: RelTime,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BoardError {
    #[error("unknown team {0}")]
    UnknownTeam(TeamId),
    #[error("unknown problem {0}")]
    UnknownProblem(ProblemId),
    #[error("unknown submission {0}")]
    UnknownSubmission(SubmissionId),
    #[error("submission {0} was already added")]
    DuplicateSubmission(SubmissionId),
    #[error("unknown judgement type {0}")]
    UnknownJudgementType(JudgementTypeId),
    #[error("duplicate team {0}")]
    DuplicateTeam(TeamId),
}

/// The board's settings.
#[derive(Debug, Clone, PartialEq)]
pub struct BoardConfig {
    pub rules: Rules,
    /// Problem ids in scoreboard (ordinal) order.
    pub problems: Vec<ProblemId>,
    pub teams: Vec<BoardTeam>,
    /// Contest time from which the public view freezes; `None`: never.
    pub freeze_start: Option<RelTime>,
    /// Judgement types beyond the spec's known list (from the package).
    pub judgement_types: Vec<JudgementType>,
}

#[derive(Debug, Clone)]
struct Sub {
    team: usize,
    problem: usize,
    time: RelTime,
    seq: u64,
    language: LanguageId,
    admin: Outcome,
    public: Outcome,
    /// A judgement has reached the public view: a further one is a rejudge.
    public_judged: bool,
}

/// One view's derived state.
#[derive(Debug, Clone)]
struct View {
    /// `[team][problem]`.
    cells: Vec<Vec<Cell>>,
    rows: Vec<RowSummary>,
    /// Rows in display order: rank key, then team name, then team index.
    order: BTreeSet<(RankKey, String, usize)>,
    /// Per problem: the teams' first correct submissions, earliest first.
    first: Vec<BTreeSet<(RelTime, u64, usize)>>,
}

/// The incremental scoreboard.
#[derive(Debug, Clone)]
pub struct Board {
    rules: Rules,
    problems: Vec<ProblemId>,
    problem_index: HashMap<ProblemId, usize>,
    teams: Vec<BoardTeam>,
    team_index: HashMap<TeamId, usize>,
    judgement_types: HashMap<JudgementTypeId, JudgementType>,
    freeze_start: Option<RelTime>,
    clock: RelTime,
    thawed: bool,
    next_seq: u64,
    subs: HashMap<SubmissionId, Sub>,
    /// `[team][problem]`: submission ids in (time, arrival) order.
    cell_subs: Vec<Vec<Vec<SubmissionId>>>,
    admin: View,
    public: View,
}

impl Board {
    pub fn new(config: BoardConfig) -> Result<Board, BoardError> {
        let BoardConfig {
            rules,
            problems,
            teams,
            freeze_start,
            judgement_types,
        } = config;
        let mut team_index = HashMap::new();
        for (i, t) in teams.iter().enumerate() {
            if team_index.insert(t.id.clone(), i).is_some() {
                return Err(BoardError::DuplicateTeam(t.id.clone()));
            }
        }
        let problem_index = problems
            .iter()
            .enumerate()
            .map(|(i, p)| (p.clone(), i))
            .collect();
        let empty_cells: Vec<Cell> = problems.iter().map(|p| rules.cell(p, &[])).collect();
        let empty_row = rules.row(&empty_cells);
        let view = View {
            cells: vec![empty_cells; teams.len()],
            rows: vec![empty_row.clone(); teams.len()],
            order: teams
                .iter()
                .enumerate()
                .map(|(i, t)| (empty_row.key, t.name.clone(), i))
                .collect(),
            first: vec![BTreeSet::new(); problems.len()],
        };
        Ok(Board {
            cell_subs: vec![vec![Vec::new(); problems.len()]; teams.len()],
            rules,
            problems,
            problem_index,
            teams,
            team_index,
            judgement_types: judgement_types
                .into_iter()
                .map(|j| (j.id.clone(), j))
                .collect(),
            freeze_start,
            clock: RelTime::ZERO,
            thawed: false,
            next_seq: 0,
            subs: HashMap::new(),
            admin: view.clone(),
            public: view,
        })
    }

    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// Moves the contest clock forward (never back).
    pub fn advance_clock(&mut self, contest_time: RelTime) {
        self.clock = self.clock.max(contest_time);
    }

    /// Whether the public view is frozen now.
    pub fn is_frozen(&self) -> bool {
        !self.thawed && self.freeze_start.is_some_and(|f| self.clock >= f)
    }

    fn hidden_by_freeze(&self, time: RelTime) -> bool {
        !self.thawed && self.freeze_start.is_some_and(|f| time >= f)
    }

    /// Adds a new (pending) submission.
    pub fn submit(&mut self, ev: SubmissionEvent) -> Result<(), BoardError> {
        if self.subs.contains_key(&ev.id) {
            return Err(BoardError::DuplicateSubmission(ev.id));
        }
        let team = *self
            .team_index
            .get(&ev.team_id)
            .ok_or_else(|| BoardError::UnknownTeam(ev.team_id.clone()))?;
        let problem = *self
            .problem_index
            .get(&ev.problem_id)
            .ok_or_else(|| BoardError::UnknownProblem(ev.problem_id.clone()))?;
        self.advance_clock(ev.contest_time);
        let seq = self.next_seq;
        self.next_seq += 1;
        let sub = Sub {
            team,
            problem,
            time: ev.contest_time,
            seq,
            language: ev.language_id,
            admin: Outcome::Pending,
            public: Outcome::Pending,
            public_judged: false,
        };
        let list = &mut self.cell_subs[team][problem];
        let key = (sub.time, sub.seq);
        let pos = list.partition_point(|id| {
            let s = &self.subs[id];
            (s.time, s.seq) < key
        });
        list.insert(pos, ev.id.clone());
        self.subs.insert(ev.id, sub);
        self.recompute(ViewKind::Admin, team, problem);
        self.recompute(ViewKind::Public, team, problem);
        Ok(())
    }

    /// Applies a judgement, or a rejudge replacing the previous one.
    pub fn judge(&mut self, ev: JudgementEvent) -> Result<(), BoardError> {
        let jt = self
            .judgement_types
            .get(&ev.judgement_type_id)
            .cloned()
            .or_else(|| judgement::known(ev.judgement_type_id.as_str()))
            .ok_or_else(|| BoardError::UnknownJudgementType(ev.judgement_type_id.clone()))?;
        if !self.subs.contains_key(&ev.submission_id) {
            return Err(BoardError::UnknownSubmission(ev.submission_id));
        }
        self.advance_clock(ev.contest_time);
        let outcome = if jt.counts_as_pending() {
            Outcome::Pending
        } else {
            Outcome::Judged(Judged {
                solved: jt.solved,
                penalty: jt.penalty,
                score: ev.score.unwrap_or(0.0),
                group_scores: ev.group_scores,
            })
        };
        let frozen_now = self.is_frozen();
        let sub = &self.subs[&ev.submission_id];
        // Public sees it unless the submission is after the freeze, or this
        // is a rejudge arriving while frozen.
        let public = !(self.hidden_by_freeze(sub.time) || (frozen_now && sub.public_judged));
        let (team, problem) = (sub.team, sub.problem);
        let sub = self.subs.get_mut(&ev.submission_id).expect("checked above");
        if public {
            sub.public = outcome.clone();
            sub.public_judged = true;
        }
        sub.admin = outcome;
        self.recompute(ViewKind::Admin, team, problem);
        if public {
            self.recompute(ViewKind::Public, team, problem);
        }
        Ok(())
    }

    /// Ends the freeze: the public view becomes the admin view, and later
    /// events reach both alike.
    pub fn thaw(&mut self) {
        self.thawed = true;
        for s in self.subs.values_mut() {
            s.public = s.admin.clone();
            s.public_judged = true;
        }
        self.public = self.admin.clone();
    }

    pub fn is_thawed(&self) -> bool {
        self.thawed
    }

    /// The language a submission was made in (for language awards, stats).
    pub fn submission_language(&self, id: &SubmissionId) -> Option<&LanguageId> {
        self.subs.get(id).map(|s| &s.language)
    }

    fn recompute(&mut self, kind: ViewKind, team: usize, problem: usize) {
        let attempts: Vec<Attempt> = self.cell_subs[team][problem]
            .iter()
            .map(|id| {
                let s = &self.subs[id];
                Attempt {
                    time: s.time,
                    seq: s.seq,
                    outcome: match kind {
                        ViewKind::Admin => s.admin.clone(),
                        ViewKind::Public => s.public.clone(),
                    },
                }
            })
            .collect();
        let cell = self.rules.cell(&self.problems[problem], &attempts);
        let view = match kind {
            ViewKind::Admin => &mut self.admin,
            ViewKind::Public => &mut self.public,
        };
        let old = std::mem::replace(&mut view.cells[team][problem], cell);
        if let Some((t, q)) = old.first_correct {
            view.first[problem].remove(&(t, q, team));
        }
        if let Some((t, q)) = view.cells[team][problem].first_correct {
            view.first[problem].insert((t, q, team));
        }
        let row = self.rules.row(&view.cells[team]);
        let name = &self.teams[team].name;
        let old_key = view.rows[team].key;
        if old_key != row.key {
            view.order.remove(&(old_key, name.clone(), team));
            view.order.insert((row.key, name.clone(), team));
        }
        view.rows[team] = row;
    }

    fn view(&self, kind: ViewKind) -> &View {
        match kind {
            ViewKind::Admin => &self.admin,
            ViewKind::Public => &self.public,
        }
    }

    /// The team that solved `problem` first in a view, once that is
    /// settled: no submission made before its first correct one is still
    /// pending there (the Contest API's `first-to-solve-<id>` award).
    pub fn first_to_solve(&self, kind: ViewKind, problem: &ProblemId) -> Option<&TeamId> {
        let p = *self.problem_index.get(problem)?;
        let &(time, seq, team) = self.view(kind).first[p].first()?;
        let earlier_pending = self.subs.values().any(|s| {
            let outcome = match kind {
                ViewKind::Admin => &s.admin,
                ViewKind::Public => &s.public,
            };
            s.problem == p && (s.time, s.seq) < (time, seq) && *outcome == Outcome::Pending
        });
        (!earlier_pending).then(|| &self.teams[team].id)
    }

    /// The rows of a view, ranked: equal rank keys share a rank, the next
    /// rank skips (1, 2, 2, 4), and rows of equal rank are ordered by name.
    pub fn rows(&self, kind: ViewKind) -> Vec<ScoreboardRow> {
        let view = self.view(kind);
        let mut out = Vec::with_capacity(self.teams.len());
        let mut prev: Option<(RankKey, u32)> = None;
        for (pos, (key, _, team)) in view.order.iter().enumerate() {
            let rank = match prev {
                Some((k, r)) if k == *key => r,
                _ => pos as u32 + 1,
            };
            prev = Some((*key, rank));
            out.push(self.row_json(view, *team, rank));
        }
        out
    }

    fn row_json(&self, view: &View, team: usize, rank: u32) -> ScoreboardRow {
        let score = match view.rows[team].score {
            RowScore::PassFail {
                num_solved,
                total_time,
                time,
            } => RowScoreJson::PassFail {
                num_solved,
                total_time,
                time,
            },
            RowScore::Score { score, time } => RowScoreJson::Score { score, time },
        };
        let problems = view.cells[team]
            .iter()
            .enumerate()
            .map(|(p, cell)| {
                let first_to_solve = self.rules.has_first_to_solve().then(|| {
                    cell.first_correct.is_some()
                        && view.first[p].first().is_some_and(|e| e.2 == team)
                });
                let (solved, score, time) = match cell.score {
                    // The schema: no time when unsolved or scored 0.
                    Some(s) => (None, Some(s), cell.time.filter(|_| s != 0.0)),
                    None => (Some(cell.solved), None, cell.time.filter(|_| cell.solved)),
                };
                ProblemResult {
                    problem_id: self.problems[p].clone(),
                    num_judged: cell.num_judged,
                    num_pending: cell.num_pending,
                    solved,
                    score,
                    time,
                    first_to_solve,
                }
            })
            .collect();
        ScoreboardRow {
            rank,
            team_id: self.teams[team].id.clone(),
            score,
            problems,
        }
    }

    /// The Contest API `scoreboard` object of a view.
    pub fn scoreboard(
        &self,
        kind: ViewKind,
        time: AbsTime,
        contest_time: RelTime,
        state: State,
    ) -> Scoreboard {
        Scoreboard {
            time,
            contest_time,
            state,
            rows: self.rows(kind),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{Aggregation, LeetCode, PassFail, ScoreRules};

    const MIN: i64 = 60_000;

    fn board(rules: Rules, teams: &[(&str, &str)], freeze_start: Option<i64>) -> Board {
        Board::new(BoardConfig {
            rules,
            problems: vec!["A".into(), "B".into()],
            teams: teams
                .iter()
                .map(|(id, name)| BoardTeam {
                    id: (*id).into(),
                    name: (*name).into(),
                })
                .collect(),
            freeze_start: freeze_start.map(RelTime::from_minutes),
            judgement_types: vec![],
        })
        .unwrap()
    }

    fn icpc(teams: &[(&str, &str)], freeze_start: Option<i64>) -> Board {
        board(Rules::PassFail(PassFail::default()), teams, freeze_start)
    }

    fn sub(b: &mut Board, id: &str, team: &str, problem: &str, ms: i64) {
        b.submit(SubmissionEvent {
            id: id.into(),
            team_id: team.into(),
            problem_id: problem.into(),
            contest_time: RelTime::from_millis(ms),
            language_id: "cpp".into(),
        })
        .unwrap();
    }

    fn judge(b: &mut Board, id: &str, jt: &str, at_ms: i64) {
        b.judge(JudgementEvent {
            submission_id: id.into(),
            judgement_type_id: jt.into(),
            score: None,
            group_scores: vec![],
            contest_time: RelTime::from_millis(at_ms),
        })
        .unwrap();
    }

    fn solve(b: &mut Board, id: &str, team: &str, problem: &str, ms: i64, jt: &str) {
        sub(b, id, team, problem, ms);
        judge(b, id, jt, ms);
    }

    fn ranks(b: &Board, kind: ViewKind) -> Vec<(String, u32)> {
        b.rows(kind)
            .into_iter()
            .map(|r| (r.team_id.0, r.rank))
            .collect()
    }

    fn problem<'a>(rows: &'a [ScoreboardRow], team: &str, p: usize) -> &'a ProblemResult {
        &rows
            .iter()
            .find(|r| r.team_id.as_str() == team)
            .unwrap()
            .problems[p]
    }

    #[test]
    fn ties_share_a_rank_skip_the_next_and_sort_by_name() {
        let mut b = icpc(
            &[
                ("t1", "Zeta"),
                ("t2", "Alpha"),
                ("t3", "Mid"),
                ("t4", "Last"),
            ],
            None,
        );
        // t1 and t2: one solve at minute 10 (different seconds: same minute).
        solve(&mut b, "1", "t1", "A", 10 * MIN + 5_000, "AC");
        solve(&mut b, "2", "t2", "A", 10 * MIN + 59_000, "AC");
        // t3: one solve at minute 11.
        solve(&mut b, "3", "t3", "A", 11 * MIN, "AC");
        assert_eq!(
            ranks(&b, ViewKind::Admin),
            vec![
                ("t2".into(), 1),
                ("t1".into(), 1),
                ("t3".into(), 3),
                ("t4".into(), 4)
            ]
        );
    }

    #[test]
    fn last_solve_breaks_ties_in_total_time() {
        let mut b = icpc(&[("t1", "One"), ("t2", "Two")], None);
        // t1: 10 + 50 = 60, last at 50. t2: 30 + 30 = 60, last at 30.
        solve(&mut b, "1", "t1", "A", 10 * MIN, "AC");
        solve(&mut b, "2", "t1", "B", 50 * MIN, "AC");
        solve(&mut b, "3", "t2", "A", 30 * MIN, "AC");
        solve(&mut b, "4", "t2", "B", 30 * MIN, "AC");
        assert_eq!(
            ranks(&b, ViewKind::Admin),
            vec![("t2".into(), 1), ("t1".into(), 2)]
        );
    }

    #[test]
    fn penalties_skip_compile_and_judging_errors_and_json_total_is_reltime() {
        let mut b = icpc(&[("t1", "One")], None);
        solve(&mut b, "1", "t1", "A", MIN, "CE");
        solve(&mut b, "2", "t1", "A", 2 * MIN, "WA");
        solve(&mut b, "3", "t1", "A", 3 * MIN, "JE");
        solve(&mut b, "4", "t1", "A", 4 * MIN + 59_999, "AC");
        let rows = b.rows(ViewKind::Admin);
        // 4 (rounded down) + 20 for the WA only.
        assert_eq!(
            rows[0].score,
            RowScoreJson::PassFail {
                num_solved: 1,
                total_time: RelTime::from_minutes(24),
                time: Some(RelTime::from_minutes(4))
            }
        );
        let p = &rows[0].problems[0];
        assert_eq!((p.num_judged, p.num_pending), (3, 1));
        let json = serde_json::to_value(&rows[0].score).unwrap();
        assert_eq!(json["total_time"], "0:24:00");
    }

    #[test]
    fn submissions_after_the_freeze_are_pending_publicly_even_compile_errors() {
        let mut b = icpc(&[("t1", "One"), ("t2", "Two")], Some(240));
        solve(&mut b, "1", "t1", "A", 100 * MIN, "AC");
        solve(&mut b, "2", "t2", "A", 240 * MIN, "CE");
        solve(&mut b, "3", "t2", "A", 250 * MIN, "WA");
        solve(&mut b, "4", "t2", "A", 260 * MIN, "AC");
        solve(&mut b, "5", "t2", "B", 239 * MIN + 59_999, "AC");
        let public = b.rows(ViewKind::Public);
        let p = problem(&public, "t2", 0);
        assert_eq!((p.num_judged, p.num_pending, p.solved), (0, 3, Some(false)));
        assert_eq!(p.time, None);
        // Just before the freeze: visible.
        assert_eq!(problem(&public, "t2", 1).solved, Some(true));
        let admin = b.rows(ViewKind::Admin);
        let p = problem(&admin, "t2", 0);
        assert_eq!((p.num_judged, p.num_pending, p.solved), (3, 0, Some(true)));
        assert_eq!(ranks(&b, ViewKind::Admin)[0].0, "t2");
        assert_eq!(ranks(&b, ViewKind::Public)[0].0, "t1");
        b.thaw();
        assert_eq!(b.rows(ViewKind::Public), b.rows(ViewKind::Admin));
    }

    #[test]
    fn a_rejudge_during_the_freeze_shows_only_after_thaw() {
        let mut b = icpc(&[("t1", "One"), ("t2", "Two")], Some(240));
        solve(&mut b, "1", "t1", "A", 100 * MIN, "AC");
        solve(&mut b, "2", "t2", "A", 120 * MIN, "WA");
        let before = b.rows(ViewKind::Public);
        // At minute 250 (frozen) the judges rejudge both.
        b.advance_clock(RelTime::from_minutes(250));
        assert!(b.is_frozen());
        judge(&mut b, "1", "WA", 250 * MIN);
        judge(&mut b, "2", "AC", 250 * MIN);
        assert_eq!(b.rows(ViewKind::Public), before);
        assert_eq!(ranks(&b, ViewKind::Admin)[0].0, "t2");
        b.thaw();
        assert_eq!(b.rows(ViewKind::Public), b.rows(ViewKind::Admin));
        assert_eq!(ranks(&b, ViewKind::Public)[0].0, "t2");
        // After the thaw, events reach the public view directly.
        solve(&mut b, "3", "t1", "B", 290 * MIN, "AC");
        assert_eq!(b.rows(ViewKind::Public), b.rows(ViewKind::Admin));
    }

    #[test]
    fn a_pre_freeze_submission_judged_during_the_freeze_is_shown() {
        let mut b = icpc(&[("t1", "One")], Some(240));
        sub(&mut b, "1", "t1", "A", 239 * MIN);
        judge(&mut b, "1", "AC", 241 * MIN);
        assert_eq!(
            problem(&b.rows(ViewKind::Public), "t1", 0).solved,
            Some(true)
        );
    }

    #[test]
    fn first_to_solve_follows_a_rejudge() {
        let mut b = icpc(&[("t1", "One"), ("t2", "Two")], None);
        solve(&mut b, "1", "t1", "A", 10 * MIN, "AC");
        solve(&mut b, "2", "t2", "A", 20 * MIN, "AC");
        let rows = b.rows(ViewKind::Admin);
        assert_eq!(problem(&rows, "t1", 0).first_to_solve, Some(true));
        assert_eq!(problem(&rows, "t2", 0).first_to_solve, Some(false));
        assert_eq!(problem(&rows, "t2", 1).first_to_solve, Some(false));
        judge(&mut b, "1", "WA", 30 * MIN);
        let rows = b.rows(ViewKind::Admin);
        assert_eq!(problem(&rows, "t1", 0).first_to_solve, Some(false));
        assert_eq!(problem(&rows, "t2", 0).first_to_solve, Some(true));
        // And back.
        judge(&mut b, "1", "AC", 31 * MIN);
        let rows = b.rows(ViewKind::Admin);
        assert_eq!(problem(&rows, "t1", 0).first_to_solve, Some(true));
        assert_eq!(problem(&rows, "t2", 0).first_to_solve, Some(false));
    }

    #[test]
    fn incremental_board_equals_a_replay_of_the_final_judgements() {
        let teams = [("t1", "One"), ("t2", "Two"), ("t3", "Three")];
        let mut live = icpc(&teams, None);
        let script = [
            ("1", "t1", "A", 5, "WA"),
            ("2", "t2", "A", 6, "AC"),
            ("3", "t1", "A", 7, "AC"),
            ("4", "t3", "B", 8, "TLE"),
            ("5", "t3", "B", 9, "AC"),
            ("6", "t2", "B", 10, "RTE"),
        ];
        for (id, t, p, m, jt) in script {
            solve(&mut live, id, t, p, m * MIN, jt);
        }
        // Rejudges, out of order.
        judge(&mut live, "2", "WA", 11 * MIN);
        judge(&mut live, "6", "AC", 12 * MIN);
        judge(&mut live, "1", "AC", 13 * MIN);
        let finals = [
            ("1", "AC"),
            ("2", "WA"),
            ("3", "AC"),
            ("4", "TLE"),
            ("5", "AC"),
            ("6", "AC"),
        ];
        let mut replay = icpc(&teams, None);
        for ((id, t, p, m, _), (_, jt)) in script.iter().zip(finals) {
            solve(&mut replay, id, t, p, m * MIN, jt);
        }
        assert_eq!(live.rows(ViewKind::Admin), replay.rows(ViewKind::Admin));
    }

    #[test]
    fn errors_name_what_is_unknown() {
        let mut b = icpc(&[("t1", "One")], None);
        let ev = SubmissionEvent {
            id: "1".into(),
            team_id: "nope".into(),
            problem_id: "A".into(),
            contest_time: RelTime::ZERO,
            language_id: "c".into(),
        };
        assert_eq!(b.submit(ev), Err(BoardError::UnknownTeam("nope".into())));
        sub(&mut b, "1", "t1", "A", 0);
        let bad = JudgementEvent {
            submission_id: "1".into(),
            judgement_type_id: "XX".into(),
            score: None,
            group_scores: vec![],
            contest_time: RelTime::ZERO,
        };
        assert_eq!(
            b.judge(bad),
            Err(BoardError::UnknownJudgementType("XX".into()))
        );
    }

    #[test]
    fn leetcode_board_ranks_by_points_then_finish_time() {
        let mut rules = LeetCode::default();
        rules.points.insert("B".into(), 5.0);
        let mut b = board(
            Rules::LeetCode(rules),
            &[("t1", "One"), ("t2", "Two")],
            None,
        );
        solve(&mut b, "1", "t1", "A", 10 * MIN, "AC");
        solve(&mut b, "2", "t2", "B", 30 * MIN, "WA");
        solve(&mut b, "3", "t2", "B", 40 * MIN, "AC");
        let rows = b.rows(ViewKind::Admin);
        assert_eq!(rows[0].team_id.as_str(), "t2");
        assert_eq!(
            rows[0].score,
            RowScoreJson::Score {
                score: 5.0,
                time: Some(RelTime::from_minutes(45))
            }
        );
        assert_eq!(rows[0].problems[1].solved, None);
        assert_eq!(rows[0].problems[1].score, Some(5.0));
        assert_eq!(rows[0].problems[0].time, None);
    }

    #[test]
    fn score_board_uses_the_configured_aggregation() {
        for (agg, expect) in [(Aggregation::Max, 60.0), (Aggregation::MaxSubtask, 100.0)] {
            let rules = Rules::Score(ScoreRules { aggregation: agg });
            let mut b = board(rules, &[("t1", "One")], None);
            for (id, m, score, groups) in [
                ("1", 1, 40.0, vec![40.0, 0.0]),
                ("2", 2, 60.0, vec![0.0, 60.0]),
            ] {
                sub(&mut b, id, "t1", "A", m * MIN);
                b.judge(JudgementEvent {
                    submission_id: id.into(),
                    judgement_type_id: "WA".into(),
                    score: Some(score),
                    group_scores: groups,
                    contest_time: RelTime::from_minutes(m),
                })
                .unwrap();
            }
            let rows = b.rows(ViewKind::Admin);
            assert_eq!(
                rows[0].score,
                RowScoreJson::Score {
                    score: expect,
                    time: Some(RelTime::from_minutes(2))
                }
            );
            assert_eq!(rows[0].problems[0].first_to_solve, None);
        }
    }
}
