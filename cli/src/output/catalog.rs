//! What the judge offers: `judge problems`, `judge problem ID` and
//! `judge languages`, from the API's JSON.

use super::style::{format_score, score_of};
use super::table::table;

fn text_field(value: &serde_json::Value, key: &str) -> String {
    match value.get(key) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(serde_json::Value::Null) | None => String::new(),
        Some(other) => other.to_string(),
    }
}

/// The list under `key` when the API wraps it in an object, or the array itself.
fn list<'a>(value: &'a serde_json::Value, key: &str) -> &'a [serde_json::Value] {
    value
        .as_array()
        .or_else(|| value.get(key).and_then(|v| v.as_array()))
        .map(Vec::as_slice)
        .unwrap_or(&[])
}

/// `judge problems`: from the JSON of `GET /api/problems`.
pub fn problems_table(value: &serde_json::Value) -> String {
    // `best` is there only when the API knows the caller (a token).
    let with_best = list(value, "problems")
        .iter()
        .any(|p| p.get("best").is_some());
    let with_points = list(value, "problems")
        .iter()
        .any(|p| p.get("scoring").and_then(|v| v.as_bool()) == Some(true));
    let rows: Vec<Vec<String>> = list(value, "problems")
        .iter()
        .map(|p| {
            let time = p
                .get("time_limit_ms")
                .and_then(|v| v.as_u64())
                .map(|ms| format!("{:.1} s", ms as f64 / 1000.0))
                .unwrap_or_default();
            let memory = p
                .get("memory_mb")
                .and_then(|v| v.as_u64())
                .map(|mb| format!("{mb} MB"))
                .unwrap_or_default();
            let tests = match p.get("tests") {
                Some(serde_json::Value::Array(a)) => a.len().to_string(),
                Some(serde_json::Value::Number(n)) => n.to_string(),
                _ => String::new(),
            };
            let mut row = vec![
                text_field(p, "id"),
                text_field(p, "name"),
                time,
                memory,
                tests,
            ];
            if with_points {
                row.push(points(p));
            }
            if with_best {
                row.push(best_cell(p));
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
fn points(problem: &serde_json::Value) -> String {
    if problem.get("scoring").and_then(|v| v.as_bool()) != Some(true) {
        return String::new();
    }
    match problem.get("max_score").and_then(|v| v.as_f64()) {
        Some(max) => format_score(max),
        None => "scoring".into(),
    }
}

/// The caller's best on a problem: `✓ solved`, `✗ tried`, or the score.
fn best_cell(problem: &serde_json::Value) -> String {
    let Some(best) = problem.get("best").filter(|b| b.is_object()) else {
        return String::new();
    };
    let solved = best.get("solved").and_then(|v| v.as_bool()) == Some(true);
    let mark = if solved { "✓" } else { "✗" };
    match best.get("score").and_then(|v| v.as_f64()) {
        Some(score) => format!(
            "{mark} {}",
            score_of(Some(score), best.get("max_score").and_then(|v| v.as_f64()))
        ),
        None if solved => format!("{mark} solved"),
        None => format!(
            "{mark} {}",
            best.get("verdict")
                .and_then(|v| v.as_str())
                .unwrap_or("tried")
        ),
    }
}

/// `judge languages`: from the JSON of `GET /api/languages`.
pub fn languages_table(value: &serde_json::Value) -> String {
    let rows: Vec<Vec<String>> = list(value, "languages")
        .iter()
        .map(|l| {
            let extensions = l
                .get("extensions")
                .and_then(|v| v.as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|e| e.as_str())
                        .map(|e| format!(".{}", e.trim_start_matches('.')))
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .unwrap_or_default();
            let ready = match l.get("ready").and_then(|v| v.as_bool()) {
                Some(true) => "ready".to_string(),
                Some(false) if l.get("requested").and_then(|v| v.as_bool()) == Some(true) => {
                    "requested".to_string()
                }
                Some(false) => "not enabled".to_string(),
                None => "?".to_string(),
            };
            vec![
                text_field(l, "id"),
                text_field(l, "name"),
                text_field(l, "version"),
                extensions,
                ready,
            ]
        })
        .collect();
    if rows.is_empty() {
        return "No languages.".into();
    }
    let mut out = table(&["ID", "NAME", "VERSION", "EXTENSIONS", "IMAGE"], &rows);
    let off: Vec<&serde_json::Value> = list(value, "languages")
        .iter()
        .filter(|l| l.get("ready").and_then(|v| v.as_bool()) == Some(false))
        .collect();
    if !off.is_empty() {
        out.push_str(
            "\n\nA language that is not enabled is refused until its image is built: \
             `judge admin languages enable ID` (an admin) says how.",
        );
    }
    out
}

/// `judge problem ID`: the limits, the statement and the samples.
pub fn problem_details(value: &serde_json::Value) -> String {
    let mut out = format!(
        "{} ({})\n",
        text_field(value, "name"),
        text_field(value, "id")
    );
    if let Some(ms) = value.get("time_limit_ms").and_then(|v| v.as_u64()) {
        out.push_str(&format!("  time limit    {:.1} s\n", ms as f64 / 1000.0));
    }
    if let Some(mb) = value.get("memory_mb").and_then(|v| v.as_u64()) {
        out.push_str(&format!("  memory limit  {mb} MB\n"));
    }
    if value.get("scoring").and_then(|v| v.as_bool()) == Some(true) {
        let max = value.get("max_score").and_then(|v| v.as_f64());
        out.push_str(&format!(
            "  scoring       {}\n",
            max.map(|m| format!("{} points", format_score(m)))
                .unwrap_or_else(|| "unbounded".into())
        ));
        if let Some(groups) = value.get("groups").and_then(|g| g.as_array()) {
            let rows: Vec<Vec<String>> = groups
                .iter()
                .map(|g| {
                    let tests = g
                        .get("tests")
                        .and_then(|t| t.as_array())
                        .map_or(0, Vec::len);
                    let requires = g
                        .get("require_pass")
                        .and_then(|r| r.as_array())
                        .map(|r| {
                            r.iter()
                                .filter_map(|n| n.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        })
                        .unwrap_or_default();
                    vec![
                        text_field(g, "name"),
                        g.get("max_score")
                            .and_then(|m| m.as_f64())
                            .map(format_score)
                            .unwrap_or_else(|| "-".into()),
                        tests.to_string(),
                        text_field(g, "aggregation"),
                        requires,
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
    if let Some(text) = value
        .get("statement")
        .and_then(|s| s.get("text"))
        .and_then(|t| t.as_str())
    {
        out.push('\n');
        out.push_str(text.trim_end());
        out.push('\n');
    }
    if let Some(samples) = value.get("samples").and_then(|s| s.as_array()) {
        for sample in samples {
            out.push_str(&format!(
                "\nSample {}\n-- input --\n{}-- output --\n{}",
                text_field(sample, "name"),
                text_field(sample, "input"),
                text_field(sample, "output")
            ));
        }
    }
    out.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn problem_pages_and_lists_show_points_and_the_best() {
        let page = serde_json::json!({
            "id": "subtasks", "name": "Subtasks", "time_limit_ms": 1000, "memory_mb": 256,
            "scoring": true, "max_score": 100.0,
            "groups": [
                {"name": "sample", "tests": [1], "aggregation": "pass-fail"},
                {"name": "secret/small", "tests": [2, 3], "max_score": 40.0, "aggregation": "min"},
                {"name": "secret/large", "tests": [4], "max_score": 60.0, "aggregation": "min",
                 "require_pass": ["secret/small"]},
            ],
        });
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
        let list = serde_json::json!([
            {"id": "aplusb", "name": "A plus B", "time_limit_ms": 1000, "memory_mb": 256, "tests": 8,
             "best": {"verdict": "AC", "solved": true}},
            {"id": "hello", "name": "Hello", "time_limit_ms": 1000, "memory_mb": 256, "tests": 1,
             "best": {"verdict": "WA", "solved": false}},
            {"id": "subtasks", "name": "Subtasks", "time_limit_ms": 1000, "memory_mb": 256, "tests": 4,
             "scoring": true, "max_score": 100.0,
             "best": {"verdict": "WA", "solved": false, "score": 40.0, "max_score": 100.0}},
            {"id": "zzz", "name": "Untried", "time_limit_ms": 1000, "memory_mb": 256, "tests": 1, "best": null},
        ]);
        let t = problems_table(&list);
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
        let problems = serde_json::json!([
            {"id": "aplusb", "name": "A plus B", "time_limit_ms": 1000, "memory_mb": 256, "tests": 8},
        ]);
        let t = problems_table(&problems);
        assert!(t.contains("aplusb  A plus B  1.0 s  256 MB  8"), "{t}");
        let languages = serde_json::json!([
            {"id": "cpp", "name": "C++17", "version": "g++ 12.2", "extensions": ["cc", "cpp"], "ready": true},
            {"id": "lua", "name": "Lua 5.4", "version": "5.4.4", "extensions": ["lua"], "ready": false},
        ]);
        let t = languages_table(&languages);
        assert!(
            t.contains("cpp  C++17    g++ 12.2  .cc .cpp    ready"),
            "{t}"
        );
        assert!(
            t.contains("lua  Lua 5.4  5.4.4     .lua        not enabled"),
            "{t}"
        );
        assert!(t.contains("judge admin languages enable ID"), "{t}");
        assert_eq!(problems_table(&serde_json::json!([])), "No problems.");
    }
}
