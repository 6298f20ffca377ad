use crate::problem::limits::ValidationLimits;
use crate::problem::load::Problem;
use crate::problem::test_support::package;

#[test]
fn validation_limits_come_from_the_package_else_the_format_defaults() {
    let files = |yaml: &'static str| {
        package(&[
            ("problem.yaml", yaml),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ])
    };
    let dir = files("");
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!(p.validation_limits, ValidationLimits::default());
    assert_eq!(p.validation_limits.time_ms, 60_000);
    let dir = files(
        "limits:\n  validation_time: 90\n  validation_memory: 4096\n  validation_output: 16\n",
    );
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!(
        p.validation_limits,
        ValidationLimits {
            time_ms: 90_000,
            memory_mb: 4096,
            output_mb: 16
        }
    );
    let dir = files("limits:\n  validation_time: -1\n");
    let err = Problem::load(&dir.path().join("prob")).unwrap_err();
    assert!(err.to_string().contains("validation_time"), "{err}");
}

#[test]
fn a_derived_timelimit_file_names_its_source() {
    let dir = package(&[
        ("problem.yaml", ""),
        (
            ".timelimit",
            &crate::timelimit::timelimit_file(2000, "derived: slowest accepted 0.3 s × 5"),
        ),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!(p.time_limit_ms, 2000);
    assert_eq!(
        p.time_limit_source,
        ".timelimit, derived: slowest accepted 0.3 s × 5"
    );
}

#[test]
fn domjudge_ini_gives_the_time_limit() {
    let dir = package(&[
        ("problem.yaml", ""),
        ("domjudge-problem.ini", "name='x'\ntimelimit='3'\n"),
        ("data/secret/1.in", ""),
        ("data/secret/1.ans", ""),
    ]);
    assert_eq!(
        Problem::load(&dir.path().join("prob"))
            .unwrap()
            .time_limit_ms,
        3000
    );
}
