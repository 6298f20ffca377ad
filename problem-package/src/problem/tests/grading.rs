use crate::problem::load::Problem;
use crate::problem::test_support::package;

#[test]
fn group_settings_this_judge_cannot_honour_are_refused() {
    let refused = |path: &str, text: &str| {
        let dir = package(&[
            ("problem.yaml", ""),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
            (path, text),
        ]);
        Problem::load(&dir.path().join("prob")).unwrap_err()
    };
    for text in [
        "on_reject: skip\n",
        "grading: custom\n",
        "grader_flags: first_error fastest\n",
        "range: 10 0\n",
        "static_validation_score: pass-fail\n",
    ] {
        let err = refused("data/secret/testdata.yaml", text);
        assert!(err.file.ends_with("testdata.yaml"), "{text}: {err}");
    }
    // Settings that change nothing here load.
    let dir = package(&[
        ("problem.yaml", ""),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
        (
            "data/secret/testdata.yaml",
            "on_reject: continue\ngrading: default\ngrader_flags: first_error accept_if_any_accepted\n",
        ),
    ]);
    assert!(Problem::load(&dir.path().join("prob")).is_ok());
}
