//! The groups of a scoring submission: the table under its verdict, and
//! the line shown live when a group is graded.

use submission::{GroupResult, Verdict};

use super::style::{paint, score_of, verdict_style};
use super::table::table;

/// The group table of a scoring submission: each group's verdict, score
/// out of its points and cases passed, with why a group was cut short.
pub fn groups_table(groups: &[GroupResult], color: bool) -> String {
    let notes = groups.iter().any(|g| g.message.is_some());
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let mut row = vec![
                g.name.clone(),
                g.verdict
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "…".into()),
                score_of(g.score, g.max_score),
                format!("{}/{}", g.passed, g.total),
            ];
            if notes {
                row.push(g.message.clone().unwrap_or_default());
            }
            row
        })
        .collect();
    let headers = ["GROUP", "VERDICT", "SCORE", "PASSED", "NOTE"];
    let text = table(&headers[..if notes { 5 } else { 4 }], &rows);
    if !color {
        return text;
    }
    // Colour the verdict cells only; the table is laid out uncoloured so the
    // escape codes do not count towards column widths.
    let mut lines = text.lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for (line, group) in lines.zip(groups) {
        out.push('\n');
        match group.verdict {
            Some(v) => {
                let cell = v.to_string();
                let at = line[group.name.len()..]
                    .find(&cell)
                    .map(|i| i + group.name.len());
                match at {
                    Some(i) => {
                        out.push_str(&line[..i]);
                        out.push_str(&paint(true, verdict_style(v), &cell));
                        out.push_str(&line[i + cell.len()..]);
                    }
                    None => out.push_str(line),
                }
            }
            None => out.push_str(line),
        }
    }
    out
}

/// A line for a group that has just been graded, shown live under its tests.
pub fn group_line(group: &GroupResult, color: bool) -> String {
    let verdict = group.verdict.unwrap_or(Verdict::IE);
    let mut line = format!(
        "  {} group {}: {} ({}/{} passed)",
        paint(color, verdict_style(verdict), &verdict.to_string()),
        group.name,
        score_of(group.score, group.max_score),
        group.passed,
        group.total,
    );
    if let Some(message) = group.message.as_deref().filter(|m| !m.trim().is_empty()) {
        line.push_str(&format!(" — {}", message.trim()));
    }
    line
}
