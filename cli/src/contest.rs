//! `judge contest add|list|show|scoreboard`: contests on the judge. `add`
//! uploads a contest package folder (admin); `scoreboard` prints the board
//! as a table (rank, team, solved, penalty, a cell per problem with tries
//! and the minute), and with `--follow` reprints it every 2 s.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::commands::{pack, Context};
use crate::error::{code, CliError};

fn print_json(v: &Value) {
    println!("{}", serde_json::to_string_pretty(v).unwrap_or_default());
}

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
        print_json(&answer);
    } else {
        println!(
            "contest {} added: {} problems, {} teams, {} accounts matched to users",
            answer["id"].as_str().unwrap_or("?"),
            answer["problems"],
            answer["teams"],
            answer["members"]
        );
    }
    Ok(code::OK)
}

fn text(v: &Value) -> String {
    match v {
        Value::Null => "-".into(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

pub async fn list(ctx: &Context) -> Result<u8, CliError> {
    let list = ctx.client.get_json("api/contests").await?;
    if ctx.json {
        print_json(&list);
        return Ok(code::OK);
    }
    let contests = list.as_array().cloned().unwrap_or_default();
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
            text(&c["id"]),
            text(&c["phase"]),
            text(&c["name"]),
            text(&c["start_time"]),
            text(&c["duration"])
        );
    }
    Ok(code::OK)
}

pub async fn show(ctx: &Context, id: &str) -> Result<u8, CliError> {
    let c = ctx
        .client
        .get_json(&format!("api/contests/{}", segment(id)?))
        .await?;
    if ctx.json {
        print_json(&c);
        return Ok(code::OK);
    }
    println!("{} ({})", text(&c["name"]), text(&c["id"]));
    println!("phase         {}", text(&c["phase"]));
    println!("rules         {}", text(&c["rules"]));
    println!("start         {}", text(&c["start_time"]));
    println!("end           {}", text(&c["end_time"]));
    println!(
        "freeze        {} before the end",
        text(&c["scoreboard_freeze_duration"])
    );
    if let Some(team) = c["team"].as_object() {
        println!(
            "your team     {} ({})",
            text(&team["name"]),
            text(&team["id"])
        );
    }
    let problems = c["problems"].as_array().cloned().unwrap_or_default();
    if problems.is_empty() {
        println!("problems      shown at the start");
    }
    for p in problems {
        let status = match p["status"].as_object() {
            Some(s) if s["solved"] == true => "  solved".to_string(),
            Some(s) => format!("  tries {}", s["num_judged"]),
            None => String::new(),
        };
        println!(
            "  {}  {:<16} {}{status}",
            text(&p["label"]),
            text(&p["id"]),
            text(&p["name"])
        );
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
pub fn table(view: &Value) -> String {
    let problems = view["problems"].as_array().cloned().unwrap_or_default();
    let names: std::collections::HashMap<String, String> = view["teams"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| (text(&t["id"]), text(&t["name"])))
        .collect();
    let pass_fail = view["rules"] == "pass-fail";
    let mut out = String::new();
    let frozen = if view["frozen"] == true {
        "  (frozen: later results are pending)"
    } else {
        ""
    };
    out.push_str(&format!(
        "{} scoreboard, {} view{frozen}\n",
        text(&view["contest_id"]),
        text(&view["view"])
    ));
    let mut header = format!(
        "{:>4}  {:<24} {:>6} {:>8}",
        "RANK",
        "TEAM",
        if pass_fail { "SOLVED" } else { "SCORE" },
        if pass_fail { "PENALTY" } else { "TIME" }
    );
    for p in &problems {
        header.push_str(&format!(" {:>7}", text(&p["label"])));
    }
    out.push_str(&header);
    out.push('\n');
    for row in view["scoreboard"]["rows"].as_array().into_iter().flatten() {
        let team = text(&row["team_id"]);
        let name = names.get(&team).cloned().unwrap_or(team);
        let score = &row["score"];
        let (points, time) = if pass_fail {
            (
                text(&score["num_solved"]),
                minutes(score["total_time"].as_str().unwrap_or("0:00:00")).to_string(),
            )
        } else {
            (
                text(&score["score"]),
                score["time"]
                    .as_str()
                    .map(|t| minutes(t).to_string())
                    .unwrap_or_else(|| "-".into()),
            )
        };
        let mut line = format!(
            "{:>4}  {:<24} {:>6} {:>8}",
            text(&row["rank"]),
            name.chars().take(24).collect::<String>(),
            points,
            time
        );
        for p in &problems {
            let cell = row["problems"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|c| c["problem_id"] == p["id"]);
            let shown = match cell {
                None => ".".to_string(),
                Some(c) => {
                    let tries = c["num_judged"].as_u64().unwrap_or(0)
                        + c["num_pending"].as_u64().unwrap_or(0);
                    let pending = if c["num_pending"].as_u64().unwrap_or(0) > 0 {
                        "?"
                    } else {
                        ""
                    };
                    let solved =
                        c["solved"] == true || c["score"].as_f64().is_some_and(|s| s > 0.0);
                    if solved {
                        let minute = c["time"].as_str().map(minutes).unwrap_or(0);
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
        let view = ctx.client.get_json(&path).await?;
        if ctx.json {
            print_json(&view);
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
        let view = json!({
            "contest_id": "c", "view": "public", "frozen": false, "rules": "pass-fail",
            "problems": [{"id": "a", "label": "A"}, {"id": "b", "label": "B"}],
            "teams": [{"id": "t1", "name": "Alpha"}, {"id": "t2", "name": "Bravo"}],
            "scoreboard": {"rows": [
                {"rank": 1, "team_id": "t1", "score": {"num_solved": 2, "total_time": "1:05:00", "time": "0:50:00"},
                 "problems": [{"problem_id": "a", "num_judged": 2, "num_pending": 0, "solved": true, "time": "0:15:00"},
                              {"problem_id": "b", "num_judged": 1, "num_pending": 0, "solved": true, "time": "0:50:00"}]},
                {"rank": 2, "team_id": "t2", "score": {"num_solved": 0, "total_time": "0:00:00", "time": null},
                 "problems": [{"problem_id": "a", "num_judged": 1, "num_pending": 1, "solved": false},
                              {"problem_id": "b", "num_judged": 0, "num_pending": 0, "solved": false}]}
            ]}
        });
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
