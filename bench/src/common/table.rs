//! The result table, printed and as Markdown.

/// One line of the result table.
#[derive(Clone, Debug)]
pub struct Row {
    pub part: String,
    pub metric: String,
    pub ours: String,
    pub baseline: String,
    pub ratio: String,
    pub note: String,
}

pub fn row(
    part: &str,
    metric: &str,
    ours: String,
    baseline: String,
    ratio: String,
    note: &str,
) -> Row {
    Row {
        part: part.into(),
        metric: metric.into(),
        ours,
        baseline,
        ratio,
        note: note.into(),
    }
}

pub fn print_table(rows: &[Row]) {
    let heads = ["part", "metric", "ours", "baseline", "ratio", "note"];
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.part.as_str(),
                r.metric.as_str(),
                r.ours.as_str(),
                r.baseline.as_str(),
                r.ratio.as_str(),
                r.note.as_str(),
            ]
        })
        .collect();
    let mut widths = heads.map(str::len);
    for c in &cells {
        for (i, cell) in c.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |c: [&str; 6]| {
        let mut out = String::new();
        for (i, cell) in c.iter().enumerate() {
            out.push_str(&format!("{:<w$}  ", cell, w = widths[i]));
        }
        println!("{}", out.trim_end());
    };
    println!();
    line(heads);
    println!("{}", "-".repeat(widths.iter().sum::<usize>() + 10));
    for c in cells {
        line(c);
    }
}

pub fn markdown_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| part | metric | ours | baseline | ratio | note |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.part,
            r.metric,
            r.ours,
            r.baseline,
            r.ratio,
            r.note.replace('|', "\\|")
        ));
    }
    out
}
