//! The example problems in `problems/` load cleanly with the judge's own loader
//! and carry example submissions for every verdict folder in Python and C++.

use std::path::{Path, PathBuf};

use problem_package::problem::{Problem, ValidationKind};

fn problems_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../problems")
}

fn load(id: &str) -> Problem {
    let problem = Problem::load(&problems_dir().join(id)).unwrap_or_else(|e| panic!("{id}: {e}"));
    assert!(problem.warnings.is_empty(), "{id}: {:?}", problem.warnings);
    assert_eq!(problem.id, id);
    assert_eq!(problem.time_limit_ms, 1000, "{id}");
    assert_eq!(problem.memory_mb, 256, "{id}");
    assert_eq!(problem.validation, ValidationKind::Default, "{id}");
    assert_eq!(problem.samples.len(), 2, "{id}");
    let secret = problem.tests.iter().filter(|t| !t.is_sample).count();
    assert!(secret >= 6, "{id}: {secret} secret cases");
    let statement = problem.statement.as_ref().expect("statement");
    assert_eq!(statement.format, "md");
    assert!(
        statement.text.contains("## Input") && statement.text.contains("## Output"),
        "{id}"
    );
    problem
}

#[test]
fn hello_loads() {
    let p = load("hello");
    assert_eq!(p.name, "Hello, World!");
    assert!(p.tests.iter().all(|t| t.validator_flags.is_empty()));
}

#[test]
fn aplusb_loads() {
    let p = load("aplusb");
    assert_eq!(p.name, "A plus B");
}

#[test]
fn circle_loads_with_a_float_tolerance() {
    let p = load("circle");
    assert_eq!(p.name, "Area of a Circle");
    for t in &p.tests {
        assert_eq!(t.validator_flags, ["float_tolerance", "1e-6"], "{}", t.name);
    }
}

#[test]
fn subtasks_loads_as_a_scoring_problem_with_three_groups_worth_100() {
    let p = load("subtasks");
    assert_eq!(p.name, "Triangle Numbers");
    let summary = p.summary("v");
    assert!(summary.scoring);
    assert_eq!(summary.max_score, Some(100.0));
    let groups: Vec<(&str, Option<f64>, usize)> = summary
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.max_score, g.tests.len()))
        .collect();
    assert_eq!(
        groups,
        [
            ("sample", None, 2),
            ("secret", Some(100.0), 9),
            ("secret/1-small", Some(30.0), 3),
            ("secret/2-medium", Some(30.0), 3),
            ("secret/3-large", Some(40.0), 3),
        ]
    );
    assert_eq!(summary.groups[4].require_pass, ["secret/2-medium"]);
}

#[test]
fn every_verdict_folder_has_python_and_cpp() {
    for id in ["hello", "aplusb", "circle"] {
        for folder in [
            "accepted",
            "wrong_answer",
            "time_limit_exceeded",
            "run_time_error",
        ] {
            let dir = problems_dir().join(id).join("submissions").join(folder);
            let names: Vec<String> = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            for ext in [".py", ".cpp"] {
                assert!(
                    names.iter().any(|n| n.ends_with(ext)),
                    "{id}/{folder} lacks {ext}: {names:?}"
                );
            }
            for name in &names {
                assert!(
                    problem_package::language::by_file_name(name).is_some(),
                    "{id}/{folder}/{name}"
                );
            }
        }
    }
}

#[test]
fn packages_stay_small() {
    for id in ["hello", "aplusb", "circle"] {
        let (tar, _) = problem_package::problem::pack(&problems_dir().join(id)).unwrap();
        assert!(tar.len() < 2 << 20, "{id}: {} bytes", tar.len());
    }
}
