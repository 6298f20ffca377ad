//! Scoring problems judged end to end: the worker in-process against a
//! private Redis and the real Docker daemon judges every example submission
//! of `tests/fixtures/problems/scoring-legacy` and `scoring-2025` (and the
//! one-case `scoring` package); each must get the score and verdict its
//! first line states (`# score: N (V)`), and its state must carry every
//! group with its points. Pass-fail packages are covered by the other test
//! files, unchanged.
//!
//! Needs the python3 sandbox image; fails (never skips) without it.

mod common;

use common::worker::start_worker;
use std::path::{Path, PathBuf};
use std::time::Duration;
use testkit::fixture_problems as fixtures;
use testkit::state::{store_package, submit, wait_final};

use common::{require_images, start_redis};
use judge_store::store;
use problem_package::problem::Problem;
use submission::Verdict;

/// Every example submission with its expected score and verdict, from its
/// first line: `# score: 70 (WA)`; the verdict defaults to AC, or WA in
/// `wrong_answer/`.
fn examples(root: &Path) -> Vec<(PathBuf, f64, Verdict)> {
    let mut out = Vec::new();
    for folder in std::fs::read_dir(root.join("submissions"))
        .unwrap()
        .flatten()
    {
        if !folder.path().is_dir() {
            continue;
        }
        let wrong = folder.file_name() == "wrong_answer";
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            let text = std::fs::read_to_string(file.path()).unwrap();
            let first = text.lines().next().unwrap_or_default();
            let rest = first
                .strip_prefix("# score: ")
                .unwrap_or_else(|| panic!("{}: no `# score:` line", file.path().display()));
            let score: f64 = rest.split_whitespace().next().unwrap().parse().unwrap();
            let verdict = if rest.contains("(WA)") || wrong {
                Verdict::WA
            } else {
                Verdict::AC
            };
            out.push((file.path(), score, verdict));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn scoring_examples_get_their_scores_and_verdicts_with_every_group() {
    require_images(&["python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut ids = Vec::new();
    for name in ["scoring-legacy", "scoring-2025"] {
        let root = fixtures().join(name);
        let problem = store_package(&mut conn, &root).await;
        for (path, score, verdict) in examples(&root) {
            let code = std::fs::read_to_string(&path).unwrap();
            let id = submit(&mut conn, &problem, "python3", &code).await;
            ids.push((id, path, score, verdict));
        }
    }
    // The one-case package whose validator always writes score.txt 50.
    let problem = store_package(&mut conn, &fixtures().join("scoring")).await;
    let id = submit(&mut conn, &problem, "python3", "print(input())\n").await;
    ids.push((id, fixtures().join("scoring/echo"), 50.0, Verdict::AC));
    assert!(ids.len() >= 9, "{}", ids.len());

    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 2);
    let mut wrong = Vec::new();
    for (id, path, score, verdict) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(600)).await;
        let shown = path
            .strip_prefix(fixtures())
            .unwrap_or(path)
            .display()
            .to_string();
        if state.verdict != Some(*verdict) || state.score != Some(*score) {
            wrong.push(format!(
                "{shown}: expected {score} ({verdict}), got {:?} ({:?}; {:?}; groups {:?})",
                state.score, state.verdict, state.message, state.groups
            ));
            continue;
        }
        assert_eq!(state.max_score, Some(100.0), "{shown}");
        assert!(!state.groups.is_empty(), "{shown}");
        // Every judged test belongs to a group, and a group's tests are judged ones or skipped.
        for result in &state.results {
            assert!(
                state.groups.iter().any(|g| g.tests.contains(&result.index)),
                "{shown}: test {} in no group",
                result.index
            );
        }
        if shown.ends_with("scoring-2025/submissions/wrong_answer/small_wrong.py") {
            let skipped = state
                .groups
                .iter()
                .find(|g| g.name == "secret/2-negative")
                .unwrap();
            assert_eq!(
                (skipped.score, skipped.verdict),
                (Some(0.0), None),
                "{state:#?}"
            );
            assert!(
                skipped.message.as_deref().unwrap().contains("1-small"),
                "{skipped:?}"
            );
            let sample = state.groups.iter().find(|g| g.name == "sample").unwrap();
            assert_eq!((sample.score, sample.verdict), (None, Some(Verdict::WA)));
            let big = state
                .groups
                .iter()
                .find(|g| g.name == "secret/3-big")
                .unwrap();
            assert_eq!(
                (big.score, big.max_score, big.passed),
                (Some(10.0), Some(50.0), 2)
            );
            // The validator's teammessage and score.txt reach the case.
            let last = state.results.last().unwrap();
            assert_eq!(last.score, Some(5.0));
            assert!(last
                .message
                .as_deref()
                .unwrap_or_default()
                .contains("off by one"));
        }
        if shown.ends_with("scoring-legacy/submissions/partially_accepted/no_negatives.py") {
            // on_reject: continue judged all of b, nested group included.
            let b = state.groups.iter().find(|g| g.name == "secret/b").unwrap();
            assert_eq!((b.passed, b.total, b.score), (0, 3, Some(0.0)), "{b:?}");
            let c = state.groups.iter().find(|g| g.name == "secret/c").unwrap();
            assert_eq!((c.score, c.max_score), (Some(50.0), Some(50.0)), "{c:?}");
            assert_eq!(state.results.len(), 9);
        }
    }
    assert!(wrong.is_empty(), "scores differ:\n{}", wrong.join("\n"));
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[test]
fn scoring_packages_show_their_groups_and_points() {
    let legacy = Problem::load(&fixtures().join("scoring-legacy"))
        .unwrap()
        .summary("v");
    let names: Vec<(&str, Option<f64>)> = legacy
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.max_score))
        .collect();
    assert_eq!(
        names,
        [
            ("sample", None),
            ("secret", Some(100.0)),
            ("secret/a", Some(20.0)),
            ("secret/b", Some(30.0)),
            ("secret/b/deep", Some(10.0)),
            ("secret/c", Some(50.0)),
        ]
    );
    assert_eq!(legacy.max_score, Some(100.0));
    let modern = Problem::load(&fixtures().join("scoring-2025"))
        .unwrap()
        .summary("v");
    let names: Vec<(&str, Option<f64>, &str)> = modern
        .groups
        .iter()
        .map(|g| (g.name.as_str(), g.max_score, g.aggregation.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("sample", None, "none"),
            ("secret", Some(100.0), "sum"),
            ("secret/1-small", Some(20.0), "pass-fail"),
            ("secret/2-negative", Some(30.0), "min"),
            ("secret/3-big", Some(50.0), "sum"),
        ]
    );
    assert_eq!(modern.groups[3].require_pass, ["secret/1-small"]);
    assert_eq!(modern.groups[4].tests, [6, 7]);
}
