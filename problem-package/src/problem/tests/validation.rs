use crate::problem::load::Problem;
use crate::problem::test_support::package;
use crate::problem::validation::ValidationKind;

#[test]
fn multi_pass_is_declared_by_type_or_validation() {
    let secret = [("data/secret/1.in", "1\n"), ("data/secret/1.ans", "1\n")];
    let load = |yaml: &str, validator: &str| {
        let mut files = vec![("problem.yaml", yaml), (validator, "int main(){}")];
        files.extend(secret);
        let dir = package(&files);
        Problem::load(&dir.path().join("prob"))
    };
    let p = load(
        "problem_format_version: 2025-09\ntype: multi-pass\n",
        "output_validator/v.cpp",
    )
    .unwrap();
    assert_eq!(
        (p.validation, p.validation_passes),
        (ValidationKind::Custom, Some(2))
    );
    let p = load(
        "problem_format_version: 2023-07-draft\nvalidation: custom multi-pass\nlimits:\n  validation_passes: 5\n",
        "output_validator/v.cpp",
    )
    .unwrap();
    assert_eq!(p.validation_passes, Some(5));
    let p = load(
        "type: [multi-pass, interactive]\n",
        "output_validator/v.cpp",
    )
    .unwrap();
    assert_eq!(
        (p.validation, p.validation_passes),
        (ValidationKind::Interactive, Some(2))
    );
    let p = load(
        "validation: custom interactive\n",
        "output_validators/x/v.cpp",
    )
    .unwrap();
    assert_eq!(p.validation_passes, None);
    let err = load(
        "type: multi-pass\nlimits:\n  validation_passes: 1\n",
        "output_validator/v.cpp",
    )
    .unwrap_err();
    assert!(err.message.contains("validation_passes"), "{err}");
    // The key means nothing without multi-pass.
    let p = load(
        "validation: custom\nlimits:\n  validation_passes: 3\n",
        "output_validator/v.cpp",
    )
    .unwrap();
    assert_eq!(p.validation_passes, None);
    assert!(p.warnings.iter().any(|w| w.contains("validation_passes")));
}

#[test]
fn what_is_not_implemented_is_refused_naming_the_reason() {
    let refused = |yaml: &str| {
        let dir = package(&[
            ("problem.yaml", yaml),
            ("output_validator/v.cpp", "int main(){}"),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ]);
        let err = Problem::load(&dir.path().join("prob")).unwrap_err();
        assert!(err.file.ends_with("problem.yaml"), "{err}");
        err.message
    };
    assert!(refused("type: [scoring, pass-fail]\n").contains("scoring"));
    // 2023-07 draft scoring is judged now; what of it is refused: tests/draft_2023.rs.
    assert!(refused("type: submit-answer\n").contains("submit-answer"));
    assert!(refused("type: [pass-fail, golf]\n").contains("golf"));
    assert!(refused("validation: custom fancy\n").contains("fancy"));
    assert!(refused("validation: strict\n").contains("strict"));
    assert!(refused("validation: default interactive\n").contains("default"));
    assert!(refused("type: interactive\nvalidation: default\n").contains("contradicts"));
    assert!(refused("type: scoring\ngrading:\n  objective: most\n").contains("objective"));
}
