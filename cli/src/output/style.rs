//! How values look: times, memory, scores, and the colour of a verdict.

use console::Style;
use submission::Verdict;

pub(super) fn paint(color: bool, style: Style, text: &str) -> String {
    style.force_styling(color).apply_to(text).to_string()
}

pub(super) fn verdict_style(verdict: Verdict) -> Style {
    match verdict {
        Verdict::AC => Style::new().green(),
        Verdict::CE | Verdict::IE => Style::new().yellow(),
        _ => Style::new().red(),
    }
}

pub fn format_memory(memory_kb: u64) -> String {
    format!("{:.1} MB", memory_kb as f64 / 1024.0)
}

pub fn format_time(time_ms: u64) -> String {
    format!("{time_ms} ms")
}

/// A score without a needless `.0`, and at most three decimals.
pub fn format_score(score: f64) -> String {
    let rounded = (score * 1000.0).round() / 1000.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded}")
    }
}

/// `30 / 70`; `- / 70` before it is graded; `30` when unbounded; `-` for a
/// group that scores nothing.
pub(super) fn score_of(score: Option<f64>, max: Option<f64>) -> String {
    let shown = score.map(format_score).unwrap_or_else(|| "-".into());
    match max {
        Some(max) => format!("{shown} / {}", format_score(max)),
        None => shown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_are_shown_without_needless_decimals() {
        assert_eq!(format_score(30.0), "30");
        assert_eq!(format_score(12.5), "12.5");
        assert_eq!(format_score(1.0 / 3.0), "0.333");
    }
}
