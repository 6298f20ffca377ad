//! What the judge offers: `judge problems`, `judge problem ID` and
//! `judge languages`, from the API's answers.

use api_types::{BestResult, LanguageInfo, ProblemDetail, ProblemListEntry};

use super::style::{format_score, score_of};
use super::table::table;

/// `judge problems`: from `GET /api/problems`.
pub fn problems_table(problems: &[ProblemListEntry]) -> String {
    // `best` is there only when the API knows the caller (a token).
    let with_best = problems.iter().any(|p| p.best.is_some());
    let with_points = problems.iter().any(|p| p.scoring);
    let rows: Vec<Vec<String>> = problems
        .iter()
        .map(|p| {
            let mut row = vec![
                p.id.clone(),
                p.name.clone(),
                format!("{:.1} s", p.time_limit_ms as f64 / 1000.0),
                format!("{} MB", p.memory_mb),
                p.tests.to_string(),
            ];
            if with_points {
                row.push(points(p));
            }
            if with_best {
                row.push(best_cell(p.best.as_ref().and_then(Option::as_ref)));
            }
            row
        })
        .collect();
    if rows.is_empty() {
        return "No problems.".into();
    }
    let mut headers = vec!["ID", "NAME", "TIME", "MEMORY", "TESTS"];
    if with_points {
        headers.push("POINTS");
    }
    if with_best {
        headers.push("BEST");
    }
    table(&headers, &rows)
}

/// A scoring problem's points (`100`, or `scoring` when unbounded); empty
/// for pass-fail.
fn points(problem: &ProblemListEntry) -> String {
    if !problem.scoring {
        return String::new();
    }
    match problem.max_score {
        Some(max) => format_score(max),
        None => "scoring".into(),
    }
}

/// The caller's best on a problem: `✓ solved`, `✗ tried`, or the score.
fn best_cell(best: Option<&BestResult>) -> String {
    let Some(best) = best else {
        return String::new();
    };
    let mark = if best.solved { "✓" } else { "✗" };
    match best.score {
        Some(score) => format!("{mark} {}", score_of(Some(score), best.max_score)),
        None if best.solved => format!("{mark} solved"),
        None => format!("{mark} {}", best.verdict),
    }
}

/// `judge languages`: from `GET /api/languages`.
pub fn languages_table(languages: &[LanguageInfo]) -> String {
    let rows: Vec<Vec<String>> = languages
        .iter()
        .map(|l| {
            let extensions = l
                .extensions
                .iter()
                .map(|e| format!(".{}", e.trim_start_matches('.')))
                .collect::<Vec<_>>()
                .join(" ");
            let ready = match l.ready {
                Some(true) => "ready",
                Some(false) if l.requested => "requested",
                Some(false) => "not enabled",
                None => "?",
            };
            vec![
                l.id.clone(),
                l.name.clone(),
                l.version.clone(),
                extensions,
                ready.to_string(),
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No languages.".into();
    }
    let mut out = table(&["ID", "NAME", "VERSION", "EXTENSIONS", "IMAGE"], &rows);
    if languages.iter().any(|l| l.ready == Some(false)) {
        out.push_str(
            "\n\nA language that is not enabled is refused until its image is built: \
             `judge admin languages enable ID` (an admin) says how.",
        );
    }
    out
}

/// `judge problem ID`: the limits, the statement and the samples.
pub fn problem_details(problem: &ProblemDetail) -> String {
    let p = &problem.summary;
    let mut out = format!("{} ({})\n", p.name, p.id);
    out.push_str(&format!(
        "  time limit    {:.1} s\n",
        p.time_limit_ms as f64 / 1000.0
    ));
    out.push_str(&format!("  memory limit  {} MB\n", p.memory_mb));
    if p.scoring {
        out.push_str(&format!(
            "  scoring       {}\n",
            p.max_score
                .map(|m| format!("{} points", format_score(m)))
                .unwrap_or_else(|| "unbounded".into())
        ));
        if !p.groups.is_empty() {
            let rows: Vec<Vec<String>> = p
                .groups
                .iter()
                .map(|g| {
                    vec![
                        g.name.clone(),
                        g.max_score.map(format_score).unwrap_or_else(|| "-".into()),
                        g.tests.len().to_string(),
                        g.aggregation.clone(),
                        g.require_pass.join(", "),
                    ]
                })
                .collect();
            out.push('\n');
            out.push_str(&table(
                &["GROUP", "POINTS", "TESTS", "AGGREGATION", "REQUIRES"],
                &rows,
            ));
            out.push('\n');
        }
    }
    if let Some(statement) = &p.statement {
        out.push('\n');
        out.push_str(statement.text.trim_end());
        out.push('\n');
    }
    for sample in &p.samples {
        out.push_str(&format!(
            "\nSample {}\n-- input --\n{}-- output --\n{}",
            sample.name, sample.input, sample.output
        ));
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use api_types::Verdict;
    use testkit::answers::{best, group, language, problem_detail, problem_entry};

    #[test]
    fn problem_pages_and_lists_show_points_and_the_best() {
        let mut page = problem_detail("subtasks", "Subtasks", 4);
        page.summary.scoring = true;
        page.summary.max_score = Some(100.0);
        page.summary.groups = vec![
            group("sample", &[1], None, "pass-fail", &[]),
            group("secret/small", &[2, 3], Some(40.0), "min", &[]),
            group("secret/large", &[4], Some(60.0), "min", &["secret/small"]),
        ];
        let text = problem_details(&page);
        assert!(text.contains("  scoring       100 points\n"), "{text}");
        assert!(
            text.contains(
                "GROUP         POINTS  TESTS  AGGREGATION  REQUIRES\n\
                           sample        -       1      pass-fail\n\
                           secret/small  40      2      min\n\
                           secret/large  60      1      min          secret/small"
            ),
            "{text}"
        );
        let mut aplusb = problem_entry("aplusb", "A plus B", 8);
        aplusb.best = Some(Some(best("a", Verdict::AC, None)));
        let mut hello = problem_entry("hello", "Hello", 1);
        hello.best = Some(Some(best("h", Verdict::WA, None)));
        let mut subtasks = problem_entry("subtasks", "Subtasks", 4);
        subtasks.scoring = true;
        subtasks.max_score = Some(100.0);
        subtasks.best = Some(Some(best("s", Verdict::WA, Some(40.0))));
        let mut untried = problem_entry("zzz", "Untried", 1);
        untried.best = Some(None);
        let t = problems_table(&[aplusb, hello, subtasks, untried]);
        assert_eq!(
            t,
            "ID        NAME      TIME   MEMORY  TESTS  POINTS  BEST\n\
             aplusb    A plus B  1.0 s  256 MB  8              ✓ solved\n\
             hello     Hello     1.0 s  256 MB  1              ✗ WA\n\
             subtasks  Subtasks  1.0 s  256 MB  4      100     ✗ 40 / 100\n\
             zzz       Untried   1.0 s  256 MB  1"
        );
    }

    #[test]
    fn problem_and_language_listings() {
        let t = problems_table(&[problem_entry("aplusb", "A plus B", 8)]);
        assert!(t.contains("aplusb  A plus B  1.0 s  256 MB  8"), "{t}");
        let mut cpp = language("cpp", "C++17", &["cc", "cpp"]);
        (cpp.version, cpp.ready) = ("g++ 12.2".into(), Some(true));
        let mut lua = language("lua", "Lua 5.4", &["lua"]);
        (lua.version, lua.ready) = ("5.4.4".into(), Some(false));
        let t = languages_table(&[cpp, lua]);
        assert!(
            t.contains("cpp  C++17    g++ 12.2  .cc .cpp    ready"),
            "{t}"
        );
        assert!(
            t.contains("lua  Lua 5.4  5.4.4     .lua        not enabled"),
            "{t}"
        );
        assert!(t.contains("judge admin languages enable ID"), "{t}");
        assert_eq!(problems_table(&[]), "No problems.");
    }
}
