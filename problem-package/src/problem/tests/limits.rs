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

#[test]
fn code_limit_comes_from_limits_code_in_kib_else_the_format_default() {
    let files = |yaml: &'static str| {
        package(&[
            ("problem.yaml", yaml),
            ("data/secret/1.in", ""),
            ("data/secret/1.ans", ""),
        ])
    };
    // Absent: the format's typical system default, 128 KiB (legacy and 2025-09).
    let dir = files("");
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!(p.code_kib, crate::problem::DEFAULT_CODE_KIB);
    assert_eq!(p.code_kib, 128);
    assert_eq!(p.summary("v").code_limit_bytes(), 128 * 1024);

    let dir = files("limits:\n  code: 200\n");
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!(p.code_kib, 200);
    let summary = p.summary("v");
    assert_eq!(summary.code_kib, 200);
    assert_eq!(summary.code_limit_bytes(), 200 * 1024);

    let dir =
        files("problem_format_version: 2025-09\nname: X\nlimits:\n  code: 64\n  memory: 512\n");
    let p = Problem::load(&dir.path().join("prob")).unwrap();
    assert_eq!((p.code_kib, p.memory_mb), (64, 512));

    for bad in ["limits:\n  code: 0\n", "limits:\n  code: 999999\n"] {
        let dir = files(bad);
        let err = Problem::load(&dir.path().join("prob")).unwrap_err();
        assert!(err.to_string().contains("limits.code"), "{bad}: {err}");
    }
}

#[test]
fn a_summary_stored_before_code_limits_gets_the_default() {
    let summary: crate::problem::ProblemSummary = serde_json::from_value(serde_json::json!({
        "id": "p", "name": "P", "version": "ab", "time_limit_ms": 1000, "memory_mb": 256,
        "output_mb": 8, "validation": "default", "tests": 1, "statement": null, "samples": []
    }))
    .unwrap();
    assert_eq!(summary.code_kib, 128);
}
