//! Scoring in 2023-07 draft packages: which of the draft's two texts a
//! package follows, what each means here, and what is refused.

use crate::groups::*;
use crate::problem::error::ProblemError;
use crate::problem::load::Problem;

const DRAFT_SCORING: &str = "problem_format_version: 2023-07-draft\ntype: scoring\nname: Odd\n";

fn load(files: &[(&str, &str)], cases: &[&str]) -> Result<Problem, ProblemError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("prob");
    let mut all: Vec<(String, &str)> = files.iter().map(|(p, t)| (p.to_string(), *t)).collect();
    for case in cases {
        all.push((format!("data/{case}.in"), "1\n"));
        all.push((format!("data/{case}.ans"), "1\n"));
    }
    for (path, text) in &all {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Problem::load(&root)
}

fn points(p: &Problem) -> Vec<(String, Option<f64>, String)> {
    p.summary("v")
        .groups
        .into_iter()
        .map(|g| (g.name, g.max_score, g.aggregation))
        .collect()
}

fn row(name: &str, max: Option<f64>, aggregation: &str) -> (String, Option<f64>, String) {
    (name.to_string(), max, aggregation.to_string())
}

/// problemtools' own `oddecho` example: the draft's early text, whose
/// `testdata.yaml` keys and default grader are legacy's.
#[test]
fn legacy_testdata_keys_are_graded_by_the_legacy_rules() {
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            (
                "data/secret/testdata.yaml",
                "on_reject: continue\nrange: 0 100\ngrader_flags: first_error accept_if_any_accepted\n",
            ),
            (
                "data/secret/subtask1/testdata.yaml",
                "on_reject: break\naccept_score: 25\nrange: 0 25\ngrader_flags: min\n",
            ),
            (
                "data/secret/subtask2/testdata.yaml",
                "on_reject: break\naccept_score: 75\nrange: 0 75\ngrader_flags: min\n",
            ),
        ],
        &[
            "sample/1",
            "secret/subtask1/1",
            "secret/subtask1/2",
            "secret/subtask2/1",
        ],
    )
    .unwrap();
    let g = &p.grading;
    assert_eq!(g.rules, Rules::Legacy);
    assert!(g.scoring && !g.minimize && !g.validator_scores);
    let Settings::Legacy(secret) = &g.groups[2].settings else {
        panic!("{g:?}")
    };
    assert!(secret.on_reject_continue && secret.accept_if_any_accepted);
    assert_eq!(secret.verdict_mode, VerdictMode::FirstError);
    assert_eq!(secret.range, (0.0, 100.0));
    let Settings::Legacy(sub2) = &g.groups[4].settings else {
        panic!("{g:?}")
    };
    assert_eq!((sub2.score_mode, sub2.accept_score), (ScoreMode::Min, 75.0));
    // As in legacy, the samples count too (1 point, the default accept_score).
    assert_eq!(
        points(&p),
        [
            row("sample", Some(1.0), "sum"),
            row("secret", Some(100.0), "sum"),
            row("secret/subtask1", Some(25.0), "min"),
            row("secret/subtask2", Some(75.0), "min"),
        ]
    );
    assert_eq!(g.max_score(), Some(101.0));
}

#[test]
fn in_the_legacy_reading_a_custom_validator_may_write_score_txt() {
    let files = |validation: &'static str| {
        vec![
            ("problem.yaml", validation),
            ("data/secret/testdata.yaml", "range: 0 100\n"),
            ("output_validator/check.py", "import sys\nsys.exit(42)\n"),
        ]
    };
    // No `validation` key (the draft later dropped it): the output_validator/ folder scores.
    let p = load(&files(DRAFT_SCORING), &["secret/1"]).unwrap();
    assert_eq!(p.grading.rules, Rules::Legacy);
    assert!(p.grading.validator_scores);
    // `validation: custom` without `score`, as the early text had it: it does not.
    let p = load(
        &files("problem_format_version: 2023-07-draft\ntype: scoring\nvalidation: custom\n"),
        &["secret/1"],
    )
    .unwrap();
    assert!(!p.grading.validator_scores);
    let p = load(
        &files("problem_format_version: 2023-07-draft\ntype: scoring\nvalidation: custom score\n"),
        &["secret/1"],
    )
    .unwrap();
    assert!(p.grading.validator_scores);
}

/// The draft's late text: `scoring:` maps, 2025-09's meaning with omitted
/// scores inferred, `(M - S) / A` below a sum secret.
#[test]
fn scoring_maps_are_graded_by_the_2025_09_rules_with_inferred_scores() {
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            ("data/secret/test_group.yaml", "scoring:\n  score: 100\n"),
            ("data/secret/a/test_group.yaml", "scoring:\n  score: 40\n"),
            (
                "data/secret/b/test_group.yaml",
                "scoring:\n  aggregation: sum\n  require_pass: secret/a\n",
            ),
            (
                "data/secret/c/test_group.yaml",
                "scoring:\n  aggregation: min\n  require_pass: [sample, secret/a]\n",
            ),
            ("output_validator/check.py", "import sys\nsys.exit(42)\n"),
        ],
        &[
            "sample/1",
            "secret/a/1",
            "secret/b/1",
            "secret/b/2",
            "secret/c/1",
        ],
    )
    .unwrap();
    let g = &p.grading;
    assert_eq!(g.rules, Rules::Modern);
    assert!(
        g.validator_scores,
        "any custom validator may write score.txt"
    );
    assert_eq!(
        points(&p),
        [
            row("sample", None, "none"),
            row("secret", Some(100.0), "sum"),
            row("secret/a", Some(40.0), "pass-fail"),
            row("secret/b", Some(30.0), "sum"),
            row("secret/c", Some(30.0), "min"),
        ]
    );
    let Settings::Modern(c) = &g.groups[5].settings else {
        panic!("{g:?}")
    };
    assert_eq!(c.require_pass, ["sample", "secret/a"]);
    assert_eq!(g.max_score(), Some(100.0));
}

#[test]
fn omitted_scores_take_secrets_below_min_and_are_unbounded_below_unbounded() {
    let groups = ["secret/a/1", "secret/b/1"];
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            (
                "data/secret/test_group.yaml",
                "scoring:\n  score: 60\n  aggregation: min\n",
            ),
            (
                "data/secret/a/test_group.yaml",
                "scoring:\n  aggregation: sum\n",
            ),
        ],
        &groups,
    )
    .unwrap();
    assert_eq!(
        points(&p),
        [
            row("secret", Some(60.0), "min"),
            row("secret/a", Some(60.0), "sum"),
            row("secret/b", Some(60.0), "pass-fail"),
        ]
    );
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            (
                "data/secret/test_group.yaml",
                "scoring:\n  score: unbounded\n",
            ),
            (
                "data/secret/a/test_group.yaml",
                "scoring:\n  aggregation: sum\n",
            ),
            (
                "data/secret/b/test_group.yaml",
                "scoring:\n  aggregation: min\n",
            ),
            ("output_validator/check.py", "import sys\nsys.exit(42)\n"),
        ],
        &groups,
    )
    .unwrap();
    assert_eq!(p.grading.max_score(), None);
    assert_eq!(points(&p)[1].1, None);
    // secret with only cases: each is worth secret's score / N, as in 2025-09.
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            ("data/secret/test_group.yaml", "scoring:\n  score: 50\n"),
        ],
        &["secret/1", "secret/2"],
    )
    .unwrap();
    assert_eq!(p.grading.rules, Rules::Modern);
    assert_eq!(p.grading.max_score(), Some(50.0));
}

/// A pass-fail 2023-07 package is read as before.
#[test]
fn a_pass_fail_draft_package_is_unchanged() {
    let p = load(
        &[("problem.yaml", "problem_format_version: 2023-07-draft\n")],
        &["secret/1"],
    )
    .unwrap();
    assert_eq!(p.grading.rules, Rules::Modern);
    assert!(!p.grading.scoring);
}

#[test]
fn constructs_whose_meaning_the_draft_leaves_unclear_or_this_judge_lacks_are_refused() {
    let refused = |files: &[(&str, &str)], cases: &[&str]| {
        let mut all = vec![("problem.yaml", DRAFT_SCORING)];
        all.extend_from_slice(files);
        load(&all, cases).unwrap_err()
    };
    let two = ["secret/a/1", "secret/b/1"];
    let expect = |err: ProblemError, file: &str, words: &[&str]| {
        assert!(err.file.ends_with(file), "{file}: {err}");
        for w in words {
            assert!(err.message.contains(w), "{w}: {err}");
        }
    };
    // Neither text's keys: the two texts' defaults disagree.
    expect(
        refused(&[], &two),
        "data/secret",
        &["early text", "late text"],
    );
    // Both texts' keys in one package.
    expect(
        refused(
            &[
                ("data/secret/testdata.yaml", "range: 0 100\n"),
                ("data/secret/a/test_group.yaml", "scoring:\n  score: 50\n"),
            ],
            &two,
        ),
        "data/secret/a/test_group.yaml",
        &["not both", "range"],
    );
    // 2025-09's keys are in no draft text.
    expect(
        refused(
            &[("data/secret/a/test_group.yaml", "max_score: 50\n")],
            &two,
        ),
        "data/secret/a/test_group.yaml",
        &["max_score", "2025-09"],
    );
    // The objective the draft removed.
    let err = load(
        &[
            (
                "problem.yaml",
                "problem_format_version: 2023-07-draft\ntype: scoring\ngrading:\n  objective: min\n",
            ),
            ("data/secret/testdata.yaml", "range: 0 100\n"),
        ],
        &two,
    )
    .unwrap_err();
    expect(err, "problem.yaml", &["objective", "maximized"]);
    // A scoring map where the late text permits none, or with unknown keys.
    expect(
        refused(
            &[
                ("data/sample/test_group.yaml", "scoring:\n  score: 5\n"),
                ("data/secret/test_group.yaml", "scoring:\n  score: 100\n"),
            ],
            &["sample/1", "secret/a/1", "secret/b/1"],
        ),
        "data/sample/test_group.yaml",
        &["sample"],
    );
    expect(
        refused(
            &[("data/secret/a/test_group.yaml", "scoring:\n  points: 5\n")],
            &two,
        ),
        "data/secret/a/test_group.yaml",
        &["scoring.points"],
    );
    expect(
        refused(
            &[(
                "data/secret/a/test_group.yaml",
                "scoring:\n  aggregation: avg\n",
            )],
            &two,
        ),
        "data/secret/a/test_group.yaml",
        &["scoring.aggregation"],
    );
    // More points given to the groups than secret has.
    expect(
        refused(
            &[
                ("data/secret/a/test_group.yaml", "scoring:\n  score: 70\n"),
                ("data/secret/b/test_group.yaml", "scoring:\n  score: 70\n"),
            ],
            &two,
        ),
        "data/secret/test_group.yaml",
        &["140", "100"],
    );
    // Scored groups nested deeper: the draft scores them, this judge does not.
    expect(
        refused(
            &[(
                "data/secret/a/test_group.yaml",
                "scoring:\n  aggregation: sum\n",
            )],
            &["secret/a/deep/1", "secret/b/1"],
        ),
        "data/secret/a/deep",
        &["nested", "sum"],
    );
    expect(
        refused(
            &[
                ("data/secret/a/test_group.yaml", "scoring:\n  score: 50\n"),
                (
                    "data/secret/a/deep/test_group.yaml",
                    "scoring:\n  score: 10\n",
                ),
            ],
            &["secret/a/deep/1", "secret/b/1"],
        ),
        "data/secret/a/deep/test_group.yaml",
        &["nested"],
    );
    // Requiring a single test case.
    expect(
        refused(
            &[(
                "data/secret/b/test_group.yaml",
                "scoring:\n  require_pass: secret/a/1\n",
            )],
            &two,
        ),
        "data/secret/b/test_group.yaml",
        &["test case"],
    );
    // Cases and groups side by side in secret.
    expect(
        refused(
            &[("data/secret/test_group.yaml", "scoring:\n  score: 100\n")],
            &["secret/1", "secret/a/1"],
        ),
        "data/secret",
        &["side by side"],
    );
    // A group of a pass-fail secret without its score: the draft infers none.
    expect(
        refused(
            &[(
                "data/secret/test_group.yaml",
                "scoring:\n  aggregation: pass-fail\n",
            )],
            &two,
        ),
        "data/secret/a/test_group.yaml",
        &["scoring.score"],
    );
}

/// A pass-fail group may keep folders below it: all its cases must pass
/// either way, so the draft's nested pass-fail groups change nothing.
#[test]
fn folders_below_a_pass_fail_group_only_organise_its_cases() {
    let p = load(
        &[
            ("problem.yaml", DRAFT_SCORING),
            ("data/secret/a/test_group.yaml", "scoring:\n  score: 50\n"),
        ],
        &["secret/a/deep/1", "secret/a/2", "secret/b/1"],
    )
    .unwrap();
    // secret/a/2 and secret/a/deep/1, in the format's order.
    assert_eq!(p.grading.groups[2].name, "secret/a");
    assert_eq!(p.grading.cases_of(2).len(), 2);
    assert_eq!(
        points(&p),
        [
            row("secret", Some(100.0), "sum"),
            row("secret/a", Some(50.0), "pass-fail"),
            row("secret/b", Some(50.0), "pass-fail"),
        ]
    );
}
