//! Serializes this crate's Contest API objects and scoreboards and validates
//! them against the spec's own JSON schemas (tests/schemas, see its README;
//! read offline through `testkit::ccs_schema`).

use contest::api::{
    Access, Account, AccountType, ApiInfo, Award, Capability, Clarification, Command, Contest,
    FileRef, Group, Judgement, Language, Location, Organization, Problem, Run, ScoreboardType,
    State, Submission, Team,
};
use contest::board::{Board, BoardConfig, BoardTeam, JudgementEvent, SubmissionEvent, ViewKind};
use contest::judgement;
use contest::rules::{Aggregation, LeetCode, PassFail, Rules, ScoreRules};
use contest::{AbsTime, RelTime};
use serde::Serialize;
use serde_json::{json, Value};
use testkit::ccs_schema::{self, validator};

#[track_caller]
fn assert_valid(name: &str, value: &impl Serialize) {
    let what = std::any::type_name_of_val(value);
    ccs_schema::assert_valid(name, what, &serde_json::to_value(value).unwrap());
}

#[track_caller]
fn assert_invalid(name: &str, v: Value) {
    assert!(!validator(name).is_valid(&v), "{name} accepted {v:#}");
}

fn t(s: &str) -> AbsTime {
    s.parse().unwrap()
}

fn teams() -> Vec<BoardTeam> {
    ["t1", "t2", "t3"]
        .iter()
        .map(|id| BoardTeam {
            id: (*id).into(),
            name: format!("Team {id}"),
        })
        .collect()
}

fn board(rules: Rules) -> Board {
    Board::new(BoardConfig {
        rules,
        problems: vec!["A".into(), "B".into()],
        teams: teams(),
        freeze_start: Some(RelTime::from_minutes(240)),
        judgement_types: vec![],
    })
    .unwrap()
}

fn play(b: &mut Board, id: &str, team: &str, problem: &str, minute: i64, jt: &str, score: f64) {
    b.submit(SubmissionEvent {
        id: id.into(),
        team_id: team.into(),
        problem_id: problem.into(),
        contest_time: RelTime::from_minutes(minute),
        language_id: "cpp".into(),
    })
    .unwrap();
    b.judge(JudgementEvent {
        submission_id: id.into(),
        judgement_type_id: jt.into(),
        score: Some(score),
        group_scores: vec![score],
        contest_time: RelTime::from_minutes(minute),
    })
    .unwrap();
}

fn state() -> State {
    State {
        started: Some(t("2026-12-07T10:00:00+01")),
        frozen: Some(t("2026-12-07T14:00:00+01")),
        ..State::default()
    }
}

#[test]
fn pass_fail_scoreboards_validate_both_views() {
    let mut b = board(Rules::PassFail(PassFail::default()));
    play(&mut b, "1", "t1", "A", 10, "WA", 0.0);
    play(&mut b, "2", "t1", "A", 20, "AC", 0.0);
    play(&mut b, "3", "t2", "B", 30, "AC", 0.0);
    play(&mut b, "4", "t2", "A", 250, "AC", 0.0); // frozen: pending publicly
                                                  // t3 solved nothing: its row needs `time: null`.
    for kind in [ViewKind::Public, ViewKind::Admin] {
        let sb = b.scoreboard(
            kind,
            t("2026-12-07T14:15:00.000+01:00"),
            RelTime::from_minutes(255),
            state(),
        );
        assert_valid("scoreboard.json", &sb);
        let v = serde_json::to_value(&sb).unwrap();
        let t3 = v["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["team_id"] == "t3")
            .unwrap();
        assert_eq!(t3["score"]["time"], Value::Null);
        assert_eq!(t3["score"]["total_time"], "0:00:00");
    }
}

#[test]
fn score_and_leetcode_scoreboards_validate() {
    let mut s = board(Rules::Score(ScoreRules {
        aggregation: Aggregation::MaxSubtask,
    }));
    play(&mut s, "1", "t1", "A", 10, "WA", 40.0);
    play(&mut s, "2", "t2", "A", 11, "CE", 0.0);
    let mut l = board(Rules::LeetCode(LeetCode::default()));
    play(&mut l, "1", "t1", "A", 10, "AC", 0.0);
    play(&mut l, "2", "t2", "B", 12, "WA", 0.0);
    for b in [s, l] {
        let sb = b.scoreboard(
            ViewKind::Admin,
            t("2026-12-07T10:20:00Z"),
            RelTime::from_minutes(20),
            state(),
        );
        assert_valid("scoreboard.json", &sb);
    }
}

#[test]
fn the_schema_rejects_what_the_types_avoid() {
    // A pass-fail row with nothing solved and no `time` at all fails the
    // schema's oneOf: the reason our rows always carry `time: null`.
    let row = json!({
        "time": "2026-12-07T10:20:00.000Z", "contest_time": "0:20:00",
        "state": {"started": null, "ended": null, "finalized": null, "end_of_updates": null},
        "rows": [{"rank": 1, "team_id": "t1", "score": {"num_solved": 0, "total_time": "0:00:00"}, "problems": []}]
    });
    assert_invalid("scoreboard.json", row);
    // Integer total_time (2023-06 style) is no longer accepted.
    let old = json!({
        "time": "2026-12-07T10:20:00.000Z", "contest_time": "0:20:00",
        "state": {"started": null, "ended": null, "finalized": null, "end_of_updates": null},
        "rows": [{"rank": 1, "team_id": "t1", "score": {"num_solved": 1, "total_time": 20, "time": "0:20:00"}, "problems": []}]
    });
    assert_invalid("scoreboard.json", old);
    // Integer penalty_time is not 2026-01.
    assert_invalid(
        "contest.json",
        json!({"id": "c", "name": "c", "duration": "5:00:00", "scoreboard_type": "pass-fail", "penalty_time": 20}),
    );
}

#[test]
fn contest_state_info_and_access_validate() {
    let pf = Contest {
        id: "wf2026".into(),
        name: "World Finals".into(),
        formal_name: Some("The World Finals".into()),
        start_time: Some(t("2026-12-07T10:00:00+01")),
        countdown_pause_time: None,
        duration: RelTime::from_minutes(300),
        scoreboard_freeze_duration: Some(RelTime::from_minutes(60)),
        scoreboard_thaw_time: None,
        scoreboard_type: ScoreboardType::PassFail,
        penalty_time: Some(RelTime::from_minutes(20)),
        banner: None,
        logo: None,
        location: None,
    };
    assert_valid("contest.json", &pf);
    let score = Contest {
        scoreboard_type: ScoreboardType::Score,
        penalty_time: None,
        start_time: None,
        scoreboard_freeze_duration: None,
        ..pf.clone()
    };
    assert_valid("contest.json", &score);
    assert_valid("state.json", &state());
    assert_valid("state.json", &State::default());
    assert_valid(
        "api_information.json",
        &ApiInfo::new("judge", Some("0.1.0".into())),
    );
    assert_valid(
        "access.json",
        &Access::ccs_minimum(vec![Capability::TeamSubmit, Capability::PostClar]),
    );
}

#[test]
fn configuration_objects_validate() {
    for jt in judgement::judge_types() {
        assert_valid("judgement-type.json", &jt);
    }
    for (id, ..) in judgement::KNOWN_JUDGEMENT_TYPES {
        assert_valid("judgement-type.json", &judgement::known(id).unwrap());
    }
    let cpp = Language {
        id: "cpp".into(),
        name: "C++".into(),
        entry_point_required: false,
        entry_point_name: None,
        extensions: vec!["cpp".into(), "cc".into()],
        compiler: Some(Command {
            command: "g++".into(),
            args: Some("-O2 -o a.out".into()),
            version: None,
            version_command: None,
        }),
        runner: None,
    };
    assert_valid("language.json", &cpp);
    let java = Language {
        id: "java".into(),
        name: "Java".into(),
        entry_point_required: true,
        entry_point_name: Some("Main class".into()),
        extensions: vec!["java".into()],
        compiler: None,
        runner: None,
    };
    assert_valid("language.json", &java);
    let problem: Problem = serde_json::from_value(json!({
        "id": "asteroids", "label": "A", "name": "Asteroid Rangers", "ordinal": 1,
        "color": "blue", "rgb": "#00f", "time_limit": 2, "test_data_count": 10,
        "memory_limit": 2048
    }))
    .unwrap();
    assert_valid("problem.json", &problem);
    let group = Group {
        id: "north".into(),
        icpc_id: None,
        name: "North".into(),
        group_type: Some("site".into()),
        location: None,
    };
    assert_valid("group.json", &group);
    let org = Organization {
        id: "kth".into(),
        icpc_id: Some("1".into()),
        name: "KTH".into(),
        formal_name: Some("KTH Royal Institute of Technology".into()),
        country: Some("SWE".into()),
        country_subdivision: None,
        url: None,
        twitter_hashtag: None,
        location: Some(Location {
            latitude: 59.3,
            longitude: 18.1,
        }),
        logo: Some(vec![FileRef {
            href: Some("contests/wf/organizations/kth/logo".into()),
            filename: "logo.png".into(),
            hash: None,
            mime: "image/png".into(),
            width: Some(64),
            height: Some(64),
            tag: None,
        }]),
        country_flag: None,
    };
    assert_valid("organization.json", &org);
    let team: Team = serde_json::from_value(json!({
        "id": "t1", "name": "Team One", "label": "1", "organization_id": "kth", "group_ids": ["north"]
    }))
    .unwrap();
    assert_valid("team.json", &team);
    let account = Account {
        id: "team1".into(),
        username: "team1".into(),
        password: None,
        name: None,
        account_type: Some(AccountType::Team),
        ip: None,
        team_id: Some("t1".into()),
        person_id: None,
    };
    assert_valid("account.json", &account);
    // A team account without a team is what the schema refuses.
    let mut bad = serde_json::to_value(&account).unwrap();
    bad.as_object_mut().unwrap().remove("team_id");
    assert_invalid("account.json", bad);
}

#[test]
fn judging_objects_validate() {
    let sub = |lang: &str, entry: Option<&str>| Submission {
        id: "1".into(),
        language_id: lang.into(),
        problem_id: "A".into(),
        team_id: "t1".into(),
        account_id: None,
        time: t("2026-12-07T10:05:00.000+01:00"),
        contest_time: RelTime::from_minutes(5),
        entry_point: entry.map(String::from),
        files: vec![FileRef {
            href: Some("contests/wf/submissions/1/files".into()),
            filename: "files.zip".into(),
            hash: None,
            mime: "application/zip".into(),
            width: None,
            height: None,
            tag: None,
        }],
        reaction: None,
    };
    assert_valid("submission.json", &sub("cpp", None));
    assert_valid("submission.json", &sub("java", Some("Main")));
    assert_valid("submission.json", &sub("python3", Some("main.py")));
    let pending = Judgement {
        id: "j1".into(),
        submission_id: "1".into(),
        judgement_type_id: None,
        simplified_judgement_type_id: None,
        score: None,
        current: Some(true),
        start_time: t("2026-12-07T10:05:01.000+01:00"),
        start_contest_time: "0:05:01".parse().unwrap(),
        end_time: None,
        end_contest_time: None,
        max_run_time: None,
    };
    assert_valid("judgement.json", &pending);
    let done = Judgement {
        judgement_type_id: Some("RTE".into()),
        end_time: Some(t("2026-12-07T10:05:03.500+01:00")),
        end_contest_time: Some("0:05:03.500".parse().unwrap()),
        max_run_time: Some(0.25),
        ..pending
    };
    assert_valid("judgement.json", &done);
    let run = Run {
        id: "r1".into(),
        judgement_id: "j1".into(),
        ordinal: 1,
        judgement_type_id: "AC".into(),
        time: t("2026-12-07T10:05:02.000+01:00"),
        contest_time: "0:05:02".parse().unwrap(),
        run_time: Some(0.123),
    };
    assert_valid("run.json", &run);
    let clar = Clarification {
        id: "c1".into(),
        from_team_id: None,
        to_team_ids: Some(vec!["t1".into()]),
        to_group_ids: None,
        reply_to_id: None,
        problem_id: Some("A".into()),
        text: "Read the statement again.".into(),
        time: t("2026-12-07T10:30:00.000+01:00"),
        contest_time: RelTime::from_minutes(30),
    };
    assert_valid("clarification.json", &clar);
    let award = Award {
        id: "winner".into(),
        citation: "Contest winner".into(),
        team_ids: Some(vec!["t1".into()]),
    };
    assert_valid("award.json", &award);
}
