//! Loading contest packages from the fixture folders in tests/fixtures, and
//! from packages written on the fly for the error cases.

use std::path::{Path, PathBuf};

use contest::api::ScoreboardType;
use contest::board::{Board, JudgementEvent, SubmissionEvent, ViewKind};
use contest::package::{ContestPackage, PackageError};
use contest::RelTime;

fn fixture(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A copy of the valid fixture with `file` replaced (or removed when `None`).
fn variant(file: &str, text: Option<&str>) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for e in std::fs::read_dir(fixture("valid")).unwrap() {
        let e = e.unwrap();
        std::fs::copy(e.path(), dir.path().join(e.file_name())).unwrap();
    }
    let path = dir.path().join(file);
    match text {
        Some(t) => std::fs::write(path, t).unwrap(),
        None => std::fs::remove_file(path).unwrap(),
    }
    dir
}

fn load(p: &Path) -> Result<ContestPackage, PackageError> {
    ContestPackage::load(p)
}

#[test]
fn loads_a_valid_package() {
    let p = load(&fixture("valid")).unwrap();
    assert_eq!(p.contest.id, "wf2026");
    assert_eq!(p.contest.duration, RelTime::from_minutes(300));
    assert_eq!(p.contest.freeze_start(), Some(RelTime::from_minutes(240)));
    assert_eq!(p.contest.penalty_time, Some(RelTime::from_minutes(20)));
    assert_eq!(p.contest.scoreboard_type, ScoreboardType::PassFail);
    assert_eq!(
        p.contest.start_time.unwrap().to_string(),
        "2026-12-07T10:00:00.000+01:00"
    );
    // Sorted by ordinal.
    let labels: Vec<_> = p.problems.iter().map(|x| x.label.as_str()).collect();
    assert_eq!(labels, ["A", "B"]);
    assert_eq!(p.problems[1].time_limit, Some(3.5));
    // A team without a label gets its id.
    assert_eq!(p.teams[1].label, "t2");
    assert_eq!(p.accounts[1].team_id.as_ref().unwrap().as_str(), "t1");
    assert_eq!(p.languages.len(), 1);
    assert!(p.judgement_types.is_empty());

    // The package drives a board directly.
    let mut b = Board::new(p.board_config(p.default_rules())).unwrap();
    b.submit(SubmissionEvent {
        id: "1".into(),
        team_id: "t2".into(),
        problem_id: "bottles".into(),
        contest_time: RelTime::from_secs(61),
        language_id: "cpp".into(),
    })
    .unwrap();
    b.judge(JudgementEvent {
        submission_id: "1".into(),
        judgement_type_id: "AC".into(),
        score: None,
        group_scores: vec![],
        contest_time: RelTime::from_secs(70),
    })
    .unwrap();
    let rows = b.rows(ViewKind::Public);
    assert_eq!(rows[0].team_id.as_str(), "t2");
    assert_eq!(rows[0].problems[1].problem_id.as_str(), "bottles");
}

#[test]
fn bad_yaml_names_the_file_and_line() {
    let err = load(&fixture("bad-yaml")).unwrap_err();
    match &err {
        PackageError::Parse { file, line, .. } => {
            assert_eq!(file, "contest.yaml");
            assert_eq!(*line, Some(4), "{err}");
        }
        other => panic!("expected a parse error, got {other}"),
    }
    assert!(err.to_string().starts_with("contest.yaml:4"), "{err}");
}

#[test]
fn bad_json_names_the_file_and_line() {
    let dir = variant(
        "groups.json",
        Some("[\n  {\"id\": \"north\",\n   \"name\": }\n]\n"),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(&err, PackageError::Parse { file, line: Some(3), .. } if file == "groups.json"),
        "{err}"
    );
}

#[test]
fn unknown_organization_is_named() {
    let err = load(&fixture("unknown-org")).unwrap_err();
    match &err {
        PackageError::UnknownReference {
            file,
            kind,
            id,
            object,
        } => {
            assert_eq!(file, "teams.json");
            assert_eq!(*kind, "organization");
            assert_eq!(id, "mit");
            assert_eq!(object, "team \"t2\"");
        }
        other => panic!("expected an unknown reference, got {other}"),
    }
}

#[test]
fn other_reference_and_uniqueness_errors() {
    let dir = variant(
        "accounts.yaml",
        Some("- id: a\n  username: a\n  type: team\n  team_id: nobody\n"),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(&err, PackageError::UnknownReference { file, kind: "team", .. } if file == "accounts.yaml"),
        "{err}"
    );

    let dir = variant(
        "teams.json",
        Some(r#"[{"id": "t1", "name": "x", "group_ids": ["south"]}]"#),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(&err, PackageError::UnknownReference { kind: "group", .. }),
        "{err}"
    );

    let dir = variant(
        "problems.yaml",
        Some(
            "- {id: a, label: A, name: a, ordinal: 1}\n- {id: b, label: A, name: b, ordinal: 2}\n",
        ),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(&err, PackageError::Duplicate { what: "problem label", value, .. } if value == "A"),
        "{err}"
    );

    let dir = variant(
        "problems.yaml",
        Some(
            "- {id: a, label: A, name: a, ordinal: 1}\n- {id: a, label: B, name: b, ordinal: 2}\n",
        ),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(
            &err,
            PackageError::Duplicate {
                what: "problem id",
                ..
            }
        ),
        "{err}"
    );
}

#[test]
fn missing_and_ambiguous_files() {
    let dir = variant("problems.yaml", None);
    let err = load(dir.path()).unwrap_err();
    assert!(
        matches!(&err, PackageError::Missing { base } if base == "problems"),
        "{err}"
    );

    let dir = variant(
        "contest.json",
        Some(r#"{"id": "x", "name": "x", "duration": "1:00:00"}"#),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(matches!(&err, PackageError::Ambiguous { .. }), "{err}");
}

#[test]
fn score_contests_refuse_a_penalty_time() {
    let dir = variant(
        "contest.yaml",
        Some("id: s\nname: s\nduration: '5:00:00'\nscoreboard_type: score\npenalty_time: '0:20:00'\n"),
    );
    let err = load(dir.path()).unwrap_err();
    assert!(err.to_string().contains("penalty_time"), "{err}");
}
