//! `judge contest add|list|show|scoreboard`: contests on the judge. `add`
//! uploads a contest package folder (admin); `scoreboard` prints the board
//! as a table (rank, team, solved, penalty, a cell per problem with tries
//! and the minute), and with `--follow` reprints it every 2 s.

use std::path::Path;
use std::time::Duration;

use api_types::contests::RowScoreJson;
use api_types::{ContestDetail, ContestSummary, Phase, ScoreboardView};
use serde_json::Value;

use crate::commands::{pack, print_answer, Context};
use crate::error::{code, CliError};

fn segment(id: &str) -> Result<&str, CliError> {
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return Err(CliError::Usage(format!(
            "{id:?} is not a contest id ([A-Za-z0-9_.-])"
        )));
    }
    Ok(id)
}

pub async fn add(ctx: &Context, dir: &Path) -> Result<u8, CliError> {
    if !dir.join("contest.yaml").is_file() && !dir.join("contest.json").is_file() {
        return Err(CliError::Usage(format!(
            "{}: not a contest package (no contest.yaml)",
            dir.display()
        )));
    }
    let tar = pack(dir)?;
    let answer = ctx.client.upload_contest(tar).await?;
    if ctx.json {
        print_answer(&answer)?;
    } else {
        println!(
            "contest {} added: {} problems, {} teams, {} accounts matched to users",
            answer.id, answer.problems, answer.teams, answer.members
        );
    }
    Ok(code::OK)
}

/// A text that may be missing: `-` for none.
fn text(v: Option<&str>) -> String {
    v.unwrap_or("-").to_string()
}

/// A phase as the API writes it (`scheduled`, `running`, ...).
fn phase(p: Phase) -> String {
    match serde_json::to_value(p) {
        Ok(Value::String(s)) => s,
        _ => "-".into(),
    }
}

/// A number as JSON writes it (`5.0`, not `5`).
fn number(x: f64) -> String {
    Value::from(x).to_string()
}

pub async fn list(ctx: &Context) -> Result<u8, CliError> {
    let contests: Vec<ContestSummary> = ctx.client.get_json("api/contests").await?;
    if ctx.json {
        print_answer(&contests)?;
        return Ok(code::OK);
    }
    if contests.is_empty() {
        println!("no contests");
        return Ok(code::OK);
    }
    println!(
        "{:<16} {:<10} {:<30} {:<25} {:>9}",
        "ID", "PHASE", "NAME", "START", "DURATION"
    );
    for c in contests {
        println!(
            "{:<16} {:<10} {:<30} {:<25} {:>9}",
            c.id,
            phase(c.phase),
            c.name,
            text(c.start_time.as_deref()),
            c.duration
        );
    }
    Ok(code::OK)
}

pub async fn show(ctx: &Context, id: &str) -> Result<u8, CliError> {
    let c: ContestDetail = ctx
        .client
        .get_json(&format!("api/contests/{}", segment(id)?))
        .await?;
    if ctx.json {
        print_answer(&c)?;
        return Ok(code::OK);
    }
    let s = &c.summary;
    println!("{} ({})", s.name, s.id);
    println!("phase         {}", phase(s.phase));
    println!("rules         {}", s.rules);
    println!("start         {}", text(s.start_time.as_deref()));
    println!("end           {}", text(s.end_time.as_deref()));
    println!(
        "freeze        {} before the end",
        text(s.scoreboard_freeze_duration.as_deref())
    );
    if let Some(team) = &c.team {
        println!("your team     {} ({})", team.name, team.id);
    }
    if c.problems.is_empty() {
        println!("problems      shown at the start");
    }
    for p in &c.problems {
        let status = match &p.status {
            Some(s) if s.solved => "  solved".to_string(),
            Some(s) => format!("  tries {}", s.num_judged),
            None => String::new(),
        };
        println!("  {}  {:<16} {}{status}", p.label, p.id, p.name);
    }
    Ok(code::OK)
}

/// Minutes of a RELTIME (`h:mm:ss(.uuu)`), rounded down.
fn minutes(rel: &str) -> i64 {
    let parts: Vec<f64> = rel.split(':').filter_map(|p| p.parse().ok()).collect();
    match parts.as_slice() {
        [h, m, s] => ((h * 3600.0 + m * 60.0 + s) / 60.0).floor() as i64,
        _ => 0,
    }
}

/// The board as a table.
pub fn table(view: &ScoreboardView) -> String {
    let names: std::collections::HashMap<&str, &str> = view
        .teams
        .iter()
        .map(|t| (t.id.as_str(), t.name.as_str()))
        .collect();
    let pass_fail = view.rules == "pass-fail";
    let mut out = String::new();
    let frozen = if view.frozen {
        "  (frozen: later results are pending)"
    } else {
        ""
    };
    out.push_str(&format!(
        "{} scoreboard, {} view{frozen}\n",
        view.contest_id, view.view
    ));
    let mut header = format!(
        "{:>4}  {:<24} {:>6} {:>8}",
        "RANK",
        "TEAM",
        if pass_fail { "SOLVED" } else { "SCORE" },
        if pass_fail { "PENALTY" } else { "TIME" }
    );
    for p in &view.problems {
        header.push_str(&format!(" {:>7}", p.label));
    }
    out.push_str(&header);
    out.push('\n');
    for row in &view.scoreboard.rows {
        let team = row.team_id.as_str();
        let name = names.get(team).copied().unwrap_or(team);
        let (points, time) = match (&row.score, pass_fail) {
            (
                RowScoreJson::PassFail {
                    num_solved,
                    total_time,
                    ..
                },
                true,
            ) => (
                num_solved.to_string(),
                minutes(&total_time.to_string()).to_string(),
            ),
            (RowScoreJson::PassFail { time, .. }, false) => (
                "-".into(),
                time.map(|t| minutes(&t.to_string()).to_string())
                    .unwrap_or_else(|| "-".into()),
            ),
            (RowScoreJson::Score { .. }, true) => ("-".into(), "0".into()),
            (RowScoreJson::Score { score, time }, false) => (
                number(*score),
                time.map(|t| minutes(&t.to_string()).to_string())
                    .unwrap_or_else(|| "-".into()),
            ),
        };
        let mut line = format!(
            "{:>4}  {:<24} {:>6} {:>8}",
            row.rank,
            name.chars().take(24).collect::<String>(),
            points,
            time
        );
        for p in &view.problems {
            let cell = row.problems.iter().find(|c| c.problem_id.as_str() == p.id);
            let shown = match cell {
                None => ".".to_string(),
                Some(c) => {
                    let tries = u64::from(c.num_judged) + u64::from(c.num_pending);
                    let pending = if c.num_pending > 0 { "?" } else { "" };
                    let solved = c.solved == Some(true) || c.score.is_some_and(|s| s > 0.0);
                    if solved {
                        let minute = c.time.map(|t| minutes(&t.to_string())).unwrap_or(0);
                        format!("{tries}/{minute}{pending}")
                    } else if tries > 0 {
                        format!("{tries}/-{pending}")
                    } else {
                        ".".into()
                    }
                }
            };
            line.push_str(&format!(" {shown:>7}"));
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}

pub async fn scoreboard(ctx: &Context, id: &str, follow: bool) -> Result<u8, CliError> {
    let path = format!("api/contests/{}/scoreboard", segment(id)?);
    loop {
        let view: ScoreboardView = ctx.client.get_json(&path).await?;
        if ctx.json {
            print_answer(&view)?;
        } else {
            if follow && ctx.interactive {
                // Clear the screen and go home before each new board.
                print!("\x1b[2J\x1b[H");
            }
            print!("{}", table(&view));
        }
        if !follow {
            return Ok(code::OK);
        }
        tokio::select! {
            _ = tokio::time::sleep(Duration::from_secs(2)) => {}
            _ = tokio::signal::ctrl_c() => return Ok(code::OK),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_table_shows_rank_team_solved_penalty_and_cells() {
        let view: ScoreboardView = serde_json::from_value(json!({
            "contest_id": "c", "view": "public", "frozen": false, "rules": "pass-fail",
            "problems": [{"id": "a", "label": "A", "name": "Alpha", "ordinal": 1},
                         {"id": "b", "label": "B", "name": "Beta", "ordinal": 2}],
            "teams": [{"id": "t1", "name": "Alpha"}, {"id": "t2", "name": "Bravo"}],
            "scoreboard": {"time": "2026-01-01T10:00:00.000Z", "contest_time": "1:00:00",
             "state": {"started": "2026-01-01T09:00:00.000Z", "frozen": null, "ended": null,
                       "thawed": null, "finalized": null, "end_of_updates": null},
             "rows": [
                {"rank": 1, "team_id": "t1", "score": {"num_solved": 2, "total_time": "1:05:00", "time": "0:50:00"},
                 "problems": [{"problem_id": "a", "num_judged": 2, "num_pending": 0, "solved": true, "time": "0:15:00"},
                              {"problem_id": "b", "num_judged": 1, "num_pending": 0, "solved": true, "time": "0:50:00"}]},
                {"rank": 2, "team_id": "t2", "score": {"num_solved": 0, "total_time": "0:00:00", "time": null},
                 "problems": [{"problem_id": "a", "num_judged": 1, "num_pending": 1, "solved": false},
                              {"problem_id": "b", "num_judged": 0, "num_pending": 0, "solved": false}]}
            ]}
        }))
        .unwrap();
        let t = table(&view);
        let lines: Vec<&str> = t.lines().collect();
        assert!(
            lines[1].contains("RANK") && lines[1].ends_with("A       B"),
            "{t}"
        );
        assert!(
            lines[2].contains("Alpha")
                && lines[2].contains(" 65 ")
                && lines[2].ends_with("2/15    1/50"),
            "{t}"
        );
        assert!(
            lines[3].contains("Bravo") && lines[3].ends_with("2/-?       ."),
            "{t}"
        );
    }
}
