use std::path::PathBuf;

use crate::problem::load::Problem;
use crate::problem::test_support::package;
use crate::problem::validation::ValidationKind;

#[test]
fn the_validator_is_found_one_folder_deeper_or_refused_as_ambiguous() {
    let secret = [("data/secret/1.in", ""), ("data/secret/1.ans", "")];
    let load = |files: &[(&str, &str)]| {
        let mut all = files.to_vec();
        all.extend(secret);
        let dir = package(&all);
        Problem::load(&dir.path().join("prob"))
    };
    let custom = ("problem.yaml", "validation: custom\n");
    // 2025-09 with one more folder level (and a README beside it).
    let p = load(&[
        custom,
        ("output_validator/README.md", "how to build"),
        ("output_validator/checker/check.cpp", "int main(){}"),
    ])
    .unwrap();
    assert_eq!(
        p.output_validator,
        Some(PathBuf::from("output_validator/checker"))
    );
    // Legacy, and legacy one level deeper still.
    let p = load(&[custom, ("output_validators/v/build", "true")]).unwrap();
    assert_eq!(
        p.output_validator,
        Some(PathBuf::from("output_validators/v"))
    );
    let p = load(&[custom, ("output_validators/v/src/check.py", "")]).unwrap();
    assert_eq!(
        p.output_validator,
        Some(PathBuf::from("output_validators/v/src"))
    );
    // Ambiguous or empty: refused with the folder.
    let err = load(&[
        custom,
        ("output_validator/a/check.cpp", ""),
        ("output_validator/b/check.cpp", ""),
    ])
    .unwrap_err();
    assert!(err.message.contains("several folders (a, b)"), "{err}");
    assert!(err.file.ends_with("output_validator"), "{err}");
    let err = load(&[
        custom,
        ("output_validators/a/check.cpp", ""),
        ("output_validators/b/check.py", ""),
    ])
    .unwrap_err();
    assert!(
        err.message.contains("several output validators (a, b)"),
        "{err}"
    );
    let err = load(&[custom, ("output_validator/README.md", "")]).unwrap_err();
    assert!(err.message.contains("no validator program"), "{err}");
    let err = load(&[
        custom,
        ("output_validator/check.cpp", ""),
        ("output_validators/v/check.cpp", ""),
    ])
    .unwrap_err();
    assert!(err.message.contains("ambiguous"), "{err}");
    // 2025-09 says custom validation by having the folder.
    let p = load(&[
        ("problem.yaml", "problem_format_version: 2025-09\n"),
        ("output_validator/check.py", ""),
    ])
    .unwrap();
    assert_eq!(p.validation, ValidationKind::Custom);
    // Default validation ignores a broken validator folder (with a warning).
    let p = load(&[
        ("problem.yaml", ""),
        ("output_validators/a/x.cpp", ""),
        ("output_validators/b/x.cpp", ""),
    ]);
    assert!(p.is_ok());
}
