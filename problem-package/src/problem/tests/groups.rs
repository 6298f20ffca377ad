use crate::groups::*;
use crate::problem::error::ProblemError;
use crate::problem::load::Problem;

fn load(files: &[(&str, &str)]) -> Result<Problem, ProblemError> {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("prob");
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    Problem::load(&root)
}

fn case(name: &str) -> [(String, &'static str); 2] {
    [
        (format!("data/{name}.in"), "1\n"),
        (format!("data/{name}.ans"), "1\n"),
    ]
}

fn with_cases<'a>(
    mut files: Vec<(&'a str, &'a str)>,
    cases: &'a [[(String, &'static str); 2]],
) -> Vec<(&'a str, &'a str)> {
    for pair in cases {
        for (p, t) in pair {
            files.push((p.as_str(), t));
        }
    }
    files
}

#[test]
fn a_legacy_tree_nests_groups_and_inherits_the_closest_testdata_yaml() {
    let cases = [
        case("sample/1"),
        case("secret/a/1"),
        case("secret/a/deep/1"),
        case("secret/b/1"),
        case("secret/b/2"),
    ];
    let p = load(&with_cases(
        vec![
            ("problem.yaml", "type: scoring\n"),
            (
                "data/testdata.yaml",
                "on_reject: continue\ngrader_flags: ignore_sample\noutput_validator_flags: case_sensitive\n",
            ),
            (
                "data/secret/testdata.yaml",
                "on_reject: continue\ngrader_flags: sum accept_if_any_accepted\nrange: 0 50\n",
            ),
            (
                "data/secret/b/testdata.yaml",
                "accept_score: 10\ngrader_flags: min\n",
            ),
        ],
        &cases,
    ))
    .unwrap();
    let g = &p.grading;
    assert_eq!(g.rules, Rules::Legacy);
    // data/testdata.yaml's validator flags reach every case below it.
    assert!(p
        .tests
        .iter()
        .all(|t| t.validator_flags == ["case_sensitive"]));
    let names: Vec<&str> = g.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "data",
            "sample",
            "secret",
            "secret/a",
            "secret/a/deep",
            "secret/b"
        ]
    );
    let Settings::Legacy(a) = &g.groups[3].settings else {
        panic!()
    };
    // secret/a has no testdata.yaml: secret's, whole.
    assert!(a.on_reject_continue && a.accept_if_any_accepted && a.range == (0.0, 50.0));
    let Settings::Legacy(b) = &g.groups[5].settings else {
        panic!()
    };
    assert!(!b.on_reject_continue && b.score_mode == ScoreMode::Min && b.accept_score == 10.0);
    assert_eq!(g.cases_of(2), vec![1, 2, 3, 4]);
    // a: 1 + 1 (deep), b: min of 10 and 10; secret: 12 within 0..50; root ignores sample.
    assert_eq!(g.max_of(3), Some(2.0));
    assert_eq!(g.max_of(5), Some(10.0));
    assert_eq!(g.max_score(), Some(12.0));
    let summary = p.summary("v");
    assert!(summary.scoring);
    assert_eq!(summary.groups.len(), 5);
    assert_eq!(summary.groups[1].tests, vec![2, 3, 4, 5]);
}

#[test]
fn a_2025_09_tree_has_groups_below_secret_only_with_their_points() {
    let cases = [
        case("sample/1"),
        case("secret/g1/1"),
        case("secret/g1/more/2"),
        case("secret/g2/1"),
    ];
    let p = load(&with_cases(
        vec![
            (
                "problem.yaml",
                "problem_format_version: 2025-09\ntype: scoring\n",
            ),
            ("data/secret/g1/test_group.yaml", "max_score: 40\n"),
            (
                "data/secret/g2/test_group.yaml",
                "max_score: 60\nscore_aggregation: sum\nrequire_pass: [sample, secret/g1]\n",
            ),
        ],
        &cases,
    ))
    .unwrap();
    let g = &p.grading;
    let names: Vec<&str> = g.groups.iter().map(|g| g.name.as_str()).collect();
    assert_eq!(
        names,
        ["data", "sample", "secret", "secret/g1", "secret/g2"]
    );
    assert_eq!(g.cases_of(3), vec![1, 2]);
    assert_eq!(g.max_score(), Some(100.0));
    let s = p.summary("v");
    assert_eq!(s.max_score, Some(100.0));
    assert_eq!(s.groups[0].max_score, None);
    assert_eq!(s.groups[2].aggregation, "pass-fail");
    assert_eq!(s.groups[3].require_pass, ["sample", "secret/g1"]);
    assert_eq!(s.groups[3].max_score, Some(60.0));
    // A pass-fail problem has no groups to show.
    let p = load(&with_cases(
        vec![("problem.yaml", "problem_format_version: 2025-09\n")],
        &cases,
    ))
    .unwrap();
    assert!(p.summary("v").groups.is_empty() && !p.summary("v").scoring);
}

#[test]
fn malformed_2025_09_groups_are_refused_naming_the_file() {
    let cases = [case("secret/g1/1"), case("secret/g2/1")];
    let refused = |g1: &'static str, g2: &'static str| {
        let err = load(&with_cases(
            vec![
                (
                    "problem.yaml",
                    "problem_format_version: 2025-09\ntype: scoring\n",
                ),
                ("data/secret/g1/test_group.yaml", g1),
                ("data/secret/g2/test_group.yaml", g2),
            ],
            &cases,
        ))
        .unwrap_err();
        assert!(err.file.ends_with("test_group.yaml"), "{err}");
        err.message
    };
    assert!(refused("max_score: 50\n", "score_aggregation: sum\n").contains("max_score"));
    assert!(refused(
        "max_score: 50\nrequire_pass: secret/g2\n",
        "max_score: 50\n"
    )
    .contains("before"));
    assert!(refused(
        "max_score: 50\nscore_aggregation: sum\n",
        "max_score: 50\nrequire_pass: secret/g1\n"
    )
    .contains("pass-fail"));
    assert!(refused("max_score: 50\non_reject: continue\n", "max_score: 50\n").contains("legacy"));
    assert!(refused("max_score: lots\n", "max_score: 50\n").contains("max_score"));
}
