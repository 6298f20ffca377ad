//! A 2023-07 draft scoring package through the whole stack (API, worker,
//! Docker sandboxes, gateway): `tests/fixtures/problems/scoring-2023`,
//! graded by the draft's early text, whose `testdata.yaml` keys are
//! legacy's (the shape of problemtools' own `oddecho` example): `secret`
//! with `first_error accept_if_any_accepted` and `range: 0 100`, group 1
//! worth 25 (`accept_score: 25`, `min`), group 2 worth 75, the samples
//! ignored. Every example submission, in C++ and Python, must get the
//! score and verdict its first line states (`# score: 25 (AC)`), as its
//! authors expect, and the problem's page must show the groups' points.
//! Needs the cpp and python3 sandbox images.

use std::path::{Path, PathBuf};
use std::time::Duration;

use judge_tests::Stack;
use problem_package::problem::Problem;
use serde_json::Value;
use submission::Verdict;
use testkit::client::{final_state, follow, submit};

const VERDICT_WITHIN: Duration = Duration::from_secs(180);
const PROBLEM: &str = "scoring-2023";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/problems/scoring-2023")
}

/// Every example with its language, expected score and verdict, from its
/// first line: `# score: 25 (AC)` (or `// score: ...`).
fn examples() -> Vec<(PathBuf, &'static str, f64, Verdict)> {
    let mut out = Vec::new();
    for folder in std::fs::read_dir(fixture().join("submissions")).unwrap() {
        for file in std::fs::read_dir(folder.unwrap().path()).unwrap() {
            let path = file.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            let first = text.lines().next().unwrap_or_default();
            let rest = first
                .strip_prefix("# score: ")
                .or_else(|| first.strip_prefix("// score: "))
                .unwrap_or_else(|| panic!("{}: no score line", path.display()));
            let score: f64 = rest.split_whitespace().next().unwrap().parse().unwrap();
            let verdict = if rest.contains("(WA)") {
                Verdict::WA
            } else {
                assert!(rest.contains("(AC)"), "{}", path.display());
                Verdict::AC
            };
            let language = match path.extension().and_then(|e| e.to_str()) {
                Some("py") => "python3",
                Some("cpp") => "cpp",
                other => panic!("{}: extension {other:?}", path.display()),
            };
            out.push((path, language, score, verdict));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn the_package_loads_with_its_groups_and_points() {
    let problem = Problem::load(&fixture()).unwrap();
    let summary = problem.summary("v");
    assert!(summary.scoring);
    assert_eq!(summary.max_score, Some(100.0));
    let groups: Vec<(&str, Option<f64>)> = summary
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.max_score))
        .collect();
    assert_eq!(
        groups,
        [
            ("sample", None),
            ("secret", Some(100.0)),
            ("secret/1-five", Some(25.0)),
            ("secret/2-any", Some(75.0)),
        ]
    );
    assert_eq!(examples().len(), 5);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_2023_07_scoring_package_gets_the_scores_its_authors_expect() {
    // A problems folder with this package alone.
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(fixture())
        .arg(dir.path().join(PROBLEM))
        .status()
        .unwrap();
    assert!(status.success());
    let stack = Stack::start(dir.path(), 1).await;
    let api = stack.api_url.clone();

    let page: Value = reqwest::get(format!("{api}/api/problems/{PROBLEM}"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(page["scoring"], true, "{page}");
    assert_eq!(page["max_score"], 100.0, "{page}");
    let points: Vec<(String, Value)> = page["groups"]
        .as_array()
        .unwrap_or_else(|| panic!("{page}"))
        .iter()
        .map(|g| (g["name"].as_str().unwrap().into(), g["max_score"].clone()))
        .collect();
    assert_eq!(
        points,
        [
            ("sample".to_string(), Value::Null),
            ("secret".to_string(), 100.0.into()),
            ("secret/1-five".to_string(), 25.0.into()),
            ("secret/2-any".to_string(), 75.0.into()),
        ]
    );

    let mut wrong = Vec::new();
    for (path, language, score, verdict) in examples() {
        let code = std::fs::read_to_string(&path).unwrap();
        let (status, body) = submit(&api, "draft-2023", PROBLEM, language, &code).await;
        assert_eq!(status, 202, "{}: {body}", path.display());
        let events = follow(body["watch_url"].as_str().unwrap(), VERDICT_WITHIN).await;
        let done = final_state(&events);
        let shown = path.strip_prefix(fixture()).unwrap().display().to_string();
        if done.verdict != Some(verdict) || done.score != Some(score) {
            wrong.push(format!(
                "{shown}: expected {score} ({verdict:?}), got {:?} ({:?}; {:?}; groups {:?})",
                done.score, done.verdict, done.message, done.groups
            ));
            continue;
        }
        assert_eq!(done.max_score, Some(100.0), "{shown}");
        let group = |name: &str| {
            done.groups
                .iter()
                .find(|g| g.name == name)
                .unwrap_or_else(|| panic!("{shown}: no group {name}: {:?}", done.groups))
        };
        if shown.ends_with("five_only.py") || shown.ends_with("five_only.cpp") {
            // Group 1 in full; group 2 stops at its first case (N = 1).
            assert_eq!(group("secret/1-five").score, Some(25.0), "{shown}");
            assert_eq!(group("secret/1-five").verdict, Some(Verdict::AC));
            let any = group("secret/2-any");
            assert_eq!((any.score, any.verdict), (Some(0.0), Some(Verdict::RE)));
            assert_eq!(any.passed, 0, "{shown}: {any:?}");
        }
    }
    assert!(wrong.is_empty(), "scores differ:\n{}", wrong.join("\n"));
}
