//! Packages that the judge must judge exactly as they declare, from
//! `tests/fixtures/problems/`: multi-pass problems (2025-09 `type:
//! multi-pass`, 2023-07 `validation: custom multi-pass`, and interactive
//! multi-pass), an interactive problem whose submissions loop or block, and
//! validators one folder deeper than the format's folder. The worker runs
//! in-process against a private Redis and the real Docker daemon; every
//! example submission must get the verdict its folder names. What the judge
//! does not implement is refused, and an import's validator check
//! builds every kind of validator.
//!
//! Needs the cpp and python3 sandbox images; fails (never skips) without them.

mod common;

use common::worker::start_worker;
use std::path::{Path, PathBuf};
use std::time::Duration;
use testkit::fixture_problems as fixtures;
use testkit::state::{store_package, submit, wait_final};

use common::{require_images, start_redis};
use judge_store::store;
use problem_package::problem::{self, Problem};
use submission::Verdict;
use testkit::write_file;

/// Every file under `submissions/<folder>/` with the verdict its folder names.
fn examples(root: &Path) -> Vec<(PathBuf, Verdict)> {
    let mut out = Vec::new();
    for folder in std::fs::read_dir(root.join("submissions"))
        .unwrap()
        .flatten()
    {
        let expected = Verdict::from_submission_folder(&folder.file_name().to_string_lossy())
            .unwrap_or_else(|| panic!("unknown folder {}", folder.path().display()));
        for file in std::fs::read_dir(folder.path()).unwrap().flatten() {
            out.push((file.path(), expected));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn multi_pass_interactive_and_nested_validator_examples_get_their_folders_verdicts() {
    require_images(&["cpp", "python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let mut ids = Vec::new();
    for name in [
        "multipass",
        "multipass-legacy",
        "multipass-interactive",
        "interactive-loop",
        "nested-validator",
    ] {
        let root = fixtures().join(name);
        let problem = store_package(&mut conn, &root).await;
        for (path, expected) in examples(&root) {
            let file = path.file_name().unwrap().to_string_lossy().into_owned();
            let lang = problem_package::language::by_file_name(&file).unwrap();
            let code = std::fs::read_to_string(&path).unwrap();
            let id = submit(&mut conn, &problem, lang.id, &code).await;
            ids.push((id, path, expected));
        }
    }
    assert!(ids.len() >= 20, "{}", ids.len());
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 2);
    let mut wrong = Vec::new();
    for (id, path, expected) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(600)).await;
        let shown = path
            .strip_prefix(fixtures())
            .unwrap_or(path)
            .display()
            .to_string();
        if state.verdict != Some(*expected) {
            wrong.push(format!(
                "{shown}: expected {expected}, got {:?} ({:?}; {:?})",
                state.verdict,
                state.message,
                state.results.last()
            ));
            continue;
        }
        // A wrong answer in a later pass is WA, and says which pass.
        if shown.ends_with("multipass/submissions/wrong_answer/second_pass.py") {
            let last = state.results.last().unwrap();
            assert_eq!(
                last.message.as_deref(),
                Some("pass 2: expected 12"),
                "{state:#?}"
            );
        }
    }
    assert!(wrong.is_empty(), "verdicts differ:\n{}", wrong.join("\n"));
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}

#[test]
fn a_scoring_package_loads_with_its_groups_and_points() {
    let p = Problem::load(&fixtures().join("scoring")).unwrap();
    let summary = p.summary("v");
    assert!(summary.scoring);
    assert_eq!(summary.max_score, Some(100.0));
    assert_eq!(summary.groups.len(), 1, "{:?}", summary.groups);
    assert_eq!(summary.groups[0].name, "secret");
}

/// What an import's validator check does on the worker: builds every kind
/// of validator, and says why one cannot be built (CE) instead of leaving
/// it to fail every submission.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn validator_checks_build_every_kind_and_name_what_fails() {
    require_images(&["cpp", "python3"]);
    let redis = start_redis();
    let mut conn = store::dedicated(&redis.url()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let package = |name: &str, files: &[(&str, &str)]| {
        let root = dir.path().join(name);
        write_file(
            &root,
            "problem.yaml",
            "validation: custom\nlimits:\n  time_limit: 1\n",
        );
        write_file(&root, "data/secret/1.in", "1\n");
        write_file(&root, "data/secret/1.ans", "1\n");
        for (path, text) in files {
            write_file(&root, path, text);
        }
        root
    };
    let good_multi = package(
        "goodmulti",
        &[
            (
                "output_validator/main.cpp",
                "int helper();\nint main() { return helper(); }\n",
            ),
            (
                "output_validator/helper.cpp",
                "int helper() { return 42; }\n",
            ),
        ],
    );
    let bad_multi = package(
        "badmulti",
        &[
            ("output_validator/main.cpp", "int main() { return 42; }\n"),
            ("output_validator/broken.cpp", "int broken( {\n"),
        ],
    );
    let bad_build = package(
        "badbuild",
        &[(
            "output_validators/v/build",
            "#!/bin/sh\necho 'no compiler for this' >&2\nexit 1\n",
        )],
    );
    let cases = [
        (fixtures().join("nested-validator"), Verdict::AC, ""),
        (fixtures().join("multipass-legacy"), Verdict::AC, ""),
        (good_multi, Verdict::AC, ""),
        (bad_multi, Verdict::CE, "broken.cpp"),
        (bad_build, Verdict::CE, "no compiler for this"),
    ];
    let mut ids = Vec::new();
    for (root, expected, output) in &cases {
        let problem = store_package(&mut conn, root).await;
        let id = submit(&mut conn, &problem, problem::VALIDATOR_CHECK_LANGUAGE, "").await;
        ids.push((id, root.clone(), *expected, *output));
    }
    let cache = tempfile::tempdir().unwrap();
    let (shutdown, handle, _cleanup) = start_worker(&redis, cache.path(), 2);
    for (id, root, expected, output) in &ids {
        let state = wait_final(&mut conn, id, Duration::from_secs(300)).await;
        assert_eq!(
            state.verdict,
            Some(*expected),
            "{}: {state:#?}",
            root.display()
        );
        let compile = state.compile_output.unwrap_or_default();
        assert!(compile.contains(output), "{}: {compile}", root.display());
    }
    shutdown.cancel();
    handle.await.unwrap().unwrap();
}
