//! The contest routes' answers, built from a caught-up [`Replay`].

use contest::replay::Replay;
use contest::rules::Rules;
use contest::views::{self, Audience};
use contest::AbsTime;

use api_types::{
    ContestDetail, ContestProblem, ContestSummary, Phase, ProblemStatus, ScoreboardView, TeamRef,
};

pub fn rules_name(rules: &Rules) -> &'static str {
    match rules {
        Rules::PassFail(_) => "pass-fail",
        Rules::LeetCode(_) => "leetcode",
        Rules::Score(_) => "score",
    }
}

pub fn summary(r: &Replay, now: AbsTime) -> Option<ContestSummary> {
    let c = r.contest()?;
    let state = r.state_at(now);
    let phase = if state.end_of_updates.is_some() {
        Phase::Finalized
    } else if state.ended.is_some() {
        Phase::Ended
    } else if state.started.is_some() {
        Phase::Running
    } else {
        Phase::Scheduled
    };
    Some(ContestSummary {
        id: c.id.clone(),
        name: c.name.clone(),
        formal_name: c.formal_name.clone(),
        start_time: c.start_time.map(|t| t.to_string()),
        end_time: c.end_time().map(|t| t.to_string()),
        duration: c.duration.to_string(),
        scoreboard_freeze_duration: c.scoreboard_freeze_duration.map(|t| t.to_string()),
        rules: rules_name(&r.rules()).into(),
        registration_open: r.settings().registration_open,
        phase,
        frozen: state.frozen.is_some() && state.thawed.is_none(),
    })
}

/// The problems in label order, with `team`'s results when given.
pub fn problems(r: &mut Replay, now: AbsTime, team: Option<&str>) -> Vec<ContestProblem> {
    // The team's row as its scoreboard shows it (its own results are not
    // hidden from it by the freeze).
    let row = team.and_then(|t| {
        views::rows(r, Audience::Team(t), now)
            .into_iter()
            .find(|row| row.team_id.as_str() == t)
    });
    r.problems()
        .into_iter()
        .map(|p| {
            let status = row.as_ref().and_then(|row| {
                row.problems
                    .iter()
                    .find(|c| c.problem_id == p.id)
                    .map(|c| ProblemStatus {
                        num_judged: c.num_judged,
                        num_pending: c.num_pending,
                        solved: c.solved.unwrap_or(false) || c.score.is_some_and(|s| s > 0.0),
                        score: c.score,
                    })
            });
            ContestProblem {
                id: p.id.0.clone(),
                label: p.label.clone(),
                name: p.name.clone(),
                ordinal: p.ordinal,
                color: p.color.clone(),
                rgb: p.rgb.clone(),
                status,
            }
        })
        .collect()
}

/// Whether the caller may see the contest's problems now.
pub fn problems_visible(r: &Replay, now: AbsTime, admin: bool) -> bool {
    admin || r.state_at(now).started.is_some()
}

pub fn team_ref(r: &Replay, team_id: &str) -> Option<TeamRef> {
    r.team(team_id).map(|t| TeamRef {
        id: t.id.0.clone(),
        name: t.display_name.clone().unwrap_or_else(|| t.name.clone()),
    })
}

pub fn detail(
    r: &mut Replay,
    now: AbsTime,
    admin: bool,
    team: Option<&str>,
) -> Option<ContestDetail> {
    let summary = summary(r, now)?;
    let problems = if problems_visible(r, now, admin) {
        problems(r, now, team)
    } else {
        Vec::new()
    };
    Some(ContestDetail {
        summary,
        problems,
        team: team.and_then(|t| team_ref(r, t)),
    })
}

/// The board as `team` (a participant), an admin or the public sees it:
/// the same rows as the Contest API's scoreboard and the gateway's live
/// view for that role ([`contest::views`]).
pub fn scoreboard(r: &mut Replay, now: AbsTime, audience: Audience) -> Option<ScoreboardView> {
    let admin = audience == Audience::Admin;
    let summary = summary(r, now)?;
    let problems = if problems_visible(r, now, admin) {
        problems(r, now, None)
    } else {
        Vec::new()
    };
    let teams = r
        .teams()
        .filter(|t| admin || t.hidden != Some(true))
        .map(|t| TeamRef {
            id: t.id.0.clone(),
            name: t.display_name.clone().unwrap_or_else(|| t.name.clone()),
        })
        .collect();
    let scoreboard = views::scoreboard(r, audience, now);
    Some(ScoreboardView {
        contest_id: summary.id.clone(),
        view: if admin { "admin" } else { "public" }.into(),
        frozen: summary.frozen && !admin,
        rules: summary.rules.clone(),
        problems,
        teams,
        scoreboard,
    })
}
