//! The grading rules on scripted verdicts and score files.
use super::{score_file, Graded, Grader, ScoreFile};
use problem_package::groups::{
    Aggregation, Grading, Group, Item, LegacySettings, ModernSettings, Rules, ScoreMode, Settings,
    VerdictMode,
};
use submission::Verdict;
use Verdict::*;

fn legacy(settings: LegacySettings) -> Settings {
    Settings::Legacy(settings)
}

fn continue_() -> LegacySettings {
    LegacySettings {
        on_reject_continue: true,
        ..LegacySettings::default()
    }
}

fn group(name: &str, settings: Settings, items: Vec<Item>) -> Group {
    Group {
        name: name.into(),
        items,
        settings,
    }
}

fn grading(rules: Rules, scoring: bool, groups: Vec<Group>) -> Grading {
    Grading {
        rules,
        scoring,
        minimize: false,
        validator_scores: false,
        groups,
    }
}

/// Judges with scripted verdicts and score files, as the loop would:
/// returns the tests judged (1-based) and the result.
fn judge(
    g: &Grading,
    tests: usize,
    script: &[(Verdict, ScoreFile)],
) -> (Vec<usize>, Result<Graded, String>) {
    let mut grader = Grader::new(g, tests);
    let mut judged = Vec::new();
    loop {
        match grader.next() {
            Ok(Some(i)) => {
                judged.push(i + 1);
                if let Err(e) = grader.record(i, script[i].0, script[i].1) {
                    return (judged, Err(e));
                }
            }
            Ok(None) => return (judged, grader.graded()),
            Err(e) => return (judged, Err(e)),
        }
    }
}

fn v(verdicts: &[Verdict]) -> Vec<(Verdict, ScoreFile)> {
    verdicts.iter().map(|v| (*v, ScoreFile::None)).collect()
}

/// data → sample [0], secret → [a: 1, 2], [b: 3, 4]
fn legacy_tree(
    root: LegacySettings,
    secret: LegacySettings,
    a: LegacySettings,
    b: LegacySettings,
) -> Grading {
    grading(
        Rules::Legacy,
        true,
        vec![
            group("data", legacy(root), vec![Item::Group(1), Item::Group(2)]),
            group(
                "sample",
                legacy(LegacySettings::default()),
                vec![Item::Case(0)],
            ),
            group(
                "secret",
                legacy(secret),
                vec![Item::Group(3), Item::Group(4)],
            ),
            group("secret/a", legacy(a), vec![Item::Case(1), Item::Case(2)]),
            group("secret/b", legacy(b), vec![Item::Case(3), Item::Case(4)]),
        ],
    )
}

#[test]
fn a_pass_fail_problem_stops_at_the_first_rejection_samples_first() {
    let g = Grading::pass_fail(4);
    assert_eq!(
        judge(&g, 4, &v(&[AC, AC, AC, AC])),
        (
            vec![1, 2, 3, 4],
            Ok(Graded {
                verdict: AC,
                score: None
            })
        )
    );
    assert_eq!(
        judge(&g, 4, &v(&[AC, TLE, WA, AC])),
        (
            vec![1, 2],
            Ok(Graded {
                verdict: TLE,
                score: None
            })
        )
    );
    // The legacy defaults on a tree are the same thing.
    let d = LegacySettings::default();
    let mut tree = legacy_tree(d.clone(), d.clone(), d.clone(), d);
    tree.scoring = false;
    assert_eq!(
        judge(&tree, 5, &v(&[WA, AC, AC, AC, AC])),
        (
            vec![1],
            Ok(Graded {
                verdict: WA,
                score: None
            })
        )
    );
    assert_eq!(judge(&tree, 5, &v(&[AC, AC, RE, WA, AC])).0, vec![1, 2, 3]);
}

#[test]
fn legacy_on_reject_continue_judges_on_and_worst_or_first_error_decides() {
    let d = LegacySettings::default();
    let worst = legacy_tree(continue_(), continue_(), continue_(), continue_());
    let (judged, graded) = judge(&worst, 5, &v(&[AC, WA, AC, TLE, AC]));
    assert_eq!(judged, vec![1, 2, 3, 4, 5]);
    // worst_error: TLE ranks before WA; score: one per accepted case.
    assert_eq!(
        graded,
        Ok(Graded {
            verdict: TLE,
            score: Some(3.0)
        })
    );
    let first = LegacySettings {
        verdict_mode: VerdictMode::FirstError,
        ..continue_()
    };
    let tree = legacy_tree(first.clone(), first.clone(), first.clone(), first);
    assert_eq!(
        judge(&tree, 5, &v(&[AC, WA, AC, TLE, AC]))
            .1
            .unwrap()
            .verdict,
        WA
    );
    // break in a group skips the rest of that group only.
    let tree = legacy_tree(continue_(), continue_(), d.clone(), d);
    assert_eq!(
        judge(&tree, 5, &v(&[AC, WA, AC, AC, AC])).0,
        vec![1, 2, 4, 5]
    );
}

#[test]
fn legacy_score_modes_accept_and_reject_scores_and_range_clamping() {
    let scored = |mode: ScoreMode| LegacySettings {
        score_mode: mode,
        accept_score: 10.0,
        reject_score: 2.0,
        ..continue_()
    };
    let script = v(&[AC, AC, WA, AC, AC]);
    // a is (AC 10, WA 2), b is (AC 10, AC 10); secret adds a and b up.
    for (mode, expected) in [
        (ScoreMode::Sum, 12.0 + 20.0),
        (ScoreMode::Avg, 6.0 + 10.0),
        (ScoreMode::Min, 2.0 + 10.0),
        (ScoreMode::Max, 10.0 + 10.0),
    ] {
        let tree = legacy_tree(
            LegacySettings {
                ignore_sample: true,
                ..continue_()
            },
            continue_(),
            scored(mode),
            scored(mode),
        );
        let graded = judge(&tree, 5, &script).1.unwrap();
        assert_eq!(graded.score, Some(expected), "{mode:?}");
    }
    // range clamps a group's score (and so its parent's sum).
    let clamped = LegacySettings {
        range: (0.0, 15.0),
        ..scored(ScoreMode::Sum)
    };
    let tree = legacy_tree(
        LegacySettings {
            ignore_sample: true,
            ..continue_()
        },
        continue_(),
        clamped.clone(),
        clamped,
    );
    assert_eq!(judge(&tree, 5, &script).1.unwrap().score, Some(12.0 + 15.0));
    let low = LegacySettings {
        range: (5.0, 100.0),
        reject_score: 0.0,
        ..scored(ScoreMode::Min)
    };
    let tree = legacy_tree(continue_(), continue_(), low.clone(), low);
    // a: min(10, 0) = 0 → 5; b: 10; sample: 1.
    assert_eq!(
        judge(&tree, 5, &script).1.unwrap().score,
        Some(1.0 + 5.0 + 10.0)
    );
    // score.txt replaces accept_score on accepted cases only.
    let tree = legacy_tree(continue_(), continue_(), continue_(), continue_());
    let mut script = v(&[AC, AC, WA, AC, AC]);
    script[1].1 = ScoreFile::Score(0.25);
    script[2].1 = ScoreFile::Score(7.0);
    assert_eq!(
        judge(&tree, 5, &script).1.unwrap().score,
        Some(1.0 + 0.25 + 0.0 + 1.0 + 1.0)
    );
    script[3].1 = ScoreFile::Multiplier(0.5);
    assert!(judge(&tree, 5, &script)
        .1
        .unwrap_err()
        .contains("score_multiplier"));
}

#[test]
fn legacy_ignore_sample_accept_if_any_accepted_and_always_accept() {
    let any = LegacySettings {
        accept_if_any_accepted: true,
        ..continue_()
    };
    let root = LegacySettings {
        ignore_sample: true,
        ..continue_()
    };
    // A failing sample is ignored; secret is accepted because a is.
    let tree = legacy_tree(root.clone(), any, continue_(), continue_());
    let graded = judge(&tree, 5, &v(&[WA, AC, AC, WA, AC])).1.unwrap();
    assert_eq!(
        graded,
        Graded {
            verdict: AC,
            score: Some(3.0)
        }
    );
    // Without accept_if_any_accepted, secret's rejection is the verdict.
    let tree = legacy_tree(root.clone(), continue_(), continue_(), continue_());
    assert_eq!(
        judge(&tree, 5, &v(&[WA, AC, AC, WA, AC]))
            .1
            .unwrap()
            .verdict,
        WA
    );
    let always = LegacySettings {
        verdict_mode: VerdictMode::AlwaysAccept,
        ..continue_()
    };
    let tree = legacy_tree(root, always, continue_(), continue_());
    assert_eq!(
        judge(&tree, 5, &v(&[AC, WA, RE, WA, TLE])).1.unwrap(),
        Graded {
            verdict: AC,
            score: Some(0.0)
        }
    );
}

fn modern(aggregation: Aggregation, max_score: Option<f64>, require_pass: &[&str]) -> Settings {
    Settings::Modern(ModernSettings {
        aggregation,
        max_score,
        require_pass: require_pass.iter().map(|s| s.to_string()).collect(),
        scores: true,
    })
}

fn unscored() -> Settings {
    Settings::Modern(ModernSettings {
        aggregation: Aggregation::PassFail,
        max_score: None,
        require_pass: Vec::new(),
        scores: false,
    })
}

/// data → sample [0], secret (sum, 100) → g1 [1, 2], g2 [3, 4], g3 [5]
fn modern_tree(g1: Settings, g2: Settings, g3: Settings) -> Grading {
    grading(
        Rules::Modern,
        true,
        vec![
            group("data", unscored(), vec![Item::Group(1), Item::Group(2)]),
            group("sample", unscored(), vec![Item::Case(0)]),
            group(
                "secret",
                modern(Aggregation::Sum, Some(100.0), &[]),
                vec![Item::Group(3), Item::Group(4), Item::Group(5)],
            ),
            group("secret/g1", g1, vec![Item::Case(1), Item::Case(2)]),
            group("secret/g2", g2, vec![Item::Case(3), Item::Case(4)]),
            group("secret/g3", g3, vec![Item::Case(5)]),
        ],
    )
}

#[test]
fn modern_pass_fail_groups_sum_up_and_samples_score_nothing() {
    let tree = modern_tree(
        modern(Aggregation::PassFail, Some(20.0), &[]),
        modern(Aggregation::PassFail, Some(30.0), &[]),
        modern(Aggregation::PassFail, Some(50.0), &[]),
    );
    assert_eq!(
        judge(&tree, 6, &v(&[AC; 6])),
        (
            vec![1, 2, 3, 4, 5, 6],
            Ok(Graded {
                verdict: AC,
                score: Some(100.0)
            })
        )
    );
    // A failed sample stops nothing and costs nothing; a failed case
    // ends its pass-fail group (5 is not run) and zeroes it.
    let (judged, graded) = judge(&tree, 6, &v(&[WA, AC, AC, TLE, AC, AC]));
    assert_eq!(judged, vec![1, 2, 3, 4, 6]);
    assert_eq!(
        graded,
        Ok(Graded {
            verdict: WA,
            score: Some(70.0)
        })
    );
    let mut grader = Grader::new(&tree, 6);
    for (i, verdict) in [WA, AC, AC, TLE, AC, AC].into_iter().enumerate() {
        if i != 4 {
            grader.record(i, verdict, ScoreFile::None).unwrap();
        }
    }
    let groups = grader.groups();
    assert_eq!(groups[0].name, "sample");
    assert_eq!(
        (groups[0].score, groups[0].verdict, groups[0].max_score),
        (None, Some(WA), None)
    );
    assert_eq!(
        (
            groups[3].score,
            groups[3].verdict,
            groups[3].passed,
            groups[3].total
        ),
        (Some(0.0), Some(TLE), 0, 2)
    );
    assert_eq!(groups[1].score, Some(70.0));
    assert_eq!(grader.case_score(0), None);
}

#[test]
fn modern_sum_and_min_groups_take_validator_scores() {
    let tree = modern_tree(
        modern(Aggregation::Sum, Some(20.0), &[]),
        modern(Aggregation::Min, Some(30.0), &[]),
        modern(Aggregation::PassFail, Some(50.0), &[]),
    );
    let mut script = v(&[AC, AC, AC, AC, AC, AC]);
    script[1].1 = ScoreFile::Multiplier(0.5); // 5 of 10
    script[3].1 = ScoreFile::Score(12.0); // min(12, 30)
    let (judged, graded) = judge(&tree, 6, &script);
    assert_eq!(judged.len(), 6);
    assert_eq!(graded.unwrap().score, Some(5.0 + 10.0 + 12.0 + 50.0));
    // A sum group goes on after a rejection; a min group stops at 0.
    let (judged, graded) = judge(&tree, 6, &v(&[AC, WA, AC, WA, AC, AC]));
    assert_eq!(judged, vec![1, 2, 3, 4, 6]);
    assert_eq!(graded.unwrap().score, Some(10.0 + 0.0 + 50.0));
    // Score rules broken by a validator are judge errors.
    for (at, bad, why) in [
        (1, ScoreFile::Score(10.5), "exceeds"),
        (1, ScoreFile::Multiplier(1.5), "[0, 1]"),
        (5, ScoreFile::Score(1.0), "pass-fail"),
    ] {
        let mut script = v(&[AC; 6]);
        script[at].1 = bad;
        assert!(
            judge(&tree, 6, &script).1.unwrap_err().contains(why),
            "{bad:?}"
        );
    }
    let mut script = v(&[AC, WA, AC, AC, AC, AC]);
    script[1].1 = ScoreFile::Score(1.0);
    assert!(judge(&tree, 6, &script).1.unwrap_err().contains("rejected"));
    // A score file on a sample is ignored.
    let mut script = v(&[AC; 6]);
    script[0].1 = ScoreFile::Score(99.0);
    assert_eq!(judge(&tree, 6, &script).1.unwrap().score, Some(100.0));
}

#[test]
fn modern_require_pass_skips_a_group_whose_dependencies_failed() {
    let tree = modern_tree(
        modern(Aggregation::PassFail, Some(20.0), &["sample"]),
        modern(Aggregation::PassFail, Some(30.0), &["secret/g1"]),
        modern(Aggregation::PassFail, Some(50.0), &[]),
    );
    let (judged, graded) = judge(&tree, 6, &v(&[AC, AC, WA, AC, AC, AC]));
    // g1 fails, so g2 (cases 4, 5) is not run; g3 is.
    assert_eq!(judged, vec![1, 2, 3, 6]);
    assert_eq!(
        graded,
        Ok(Graded {
            verdict: WA,
            score: Some(50.0)
        })
    );
    let mut grader = Grader::new(&tree, 6);
    for i in [0, 1, 2, 5] {
        grader
            .record(i, if i == 2 { WA } else { AC }, ScoreFile::None)
            .unwrap();
    }
    let g2 = &grader.groups()[3];
    assert_eq!((g2.score, g2.verdict), (Some(0.0), None));
    assert!(
        g2.message.as_deref().unwrap().contains("secret/g1"),
        "{g2:?}"
    );
    // A failed sample takes g1, and with it g2.
    let (judged, graded) = judge(&tree, 6, &v(&[WA, AC, AC, AC, AC, AC]));
    assert_eq!(judged, vec![1, 6]);
    assert_eq!(
        graded,
        Ok(Graded {
            verdict: WA,
            score: Some(50.0)
        })
    );
}

#[test]
fn pipelining_guesses_the_test_after_an_accepted_one() {
    let tree = modern_tree(
        modern(Aggregation::PassFail, Some(20.0), &[]),
        modern(Aggregation::PassFail, Some(30.0), &["secret/g1"]),
        modern(Aggregation::PassFail, Some(50.0), &[]),
    );
    let mut grader = Grader::new(&tree, 6);
    assert_eq!(grader.next(), Ok(Some(0)));
    assert_eq!(grader.next_if(0, AC), Some(1));
    grader.record(0, AC, ScoreFile::None).unwrap();
    grader.record(1, AC, ScoreFile::None).unwrap();
    // If test 3 passes, g2 follows; if it fails, g2 is skipped for g3.
    assert_eq!(grader.next_if(2, AC), Some(3));
    grader.record(2, WA, ScoreFile::None).unwrap();
    assert_eq!(grader.next(), Ok(Some(5)));
}

#[test]
fn score_files_are_read_strictly() {
    assert_eq!(score_file(Some("12.5\n"), None), Ok(ScoreFile::Score(12.5)));
    assert_eq!(
        score_file(None, Some("0.5")),
        Ok(ScoreFile::Multiplier(0.5))
    );
    assert_eq!(score_file(None, None), Ok(ScoreFile::None));
    assert!(score_file(Some("1"), Some("1"))
        .unwrap_err()
        .contains("both"));
    assert!(score_file(Some("lots"), None)
        .unwrap_err()
        .contains("score.txt"));
}
