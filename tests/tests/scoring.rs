//! A scoring problem through the whole stack: API -> worker -> Docker ->
//! pub/sub -> gateway -> WebSocket and the `judge` CLI, on the bundled
//! `problems/subtasks` (2025-09: groups of 30, 30 and 40 points, the last
//! requiring the second). Checks what users see: the groups and their points
//! on the problem's page, each group's score and verdict live, the total,
//! the CLI's group table and `--json`, the best score in the problem list,
//! and a rejudge that recomputes it.

use std::time::Duration;

use judge_tests::{bundled_problems, Stack};
use serde_json::Value;
use submission::{EventKind, Verdict};
use testkit::cli::judge;
use testkit::client::{final_state, follow, submit, wait_for};

const VERDICT_WITHIN: Duration = Duration::from_secs(180);

fn example(folder: &str, file: &str) -> String {
    bundled_problems()
        .join("subtasks/submissions")
        .join(folder)
        .join(file)
        .to_str()
        .unwrap()
        .to_string()
}

async fn get_json(url: String) -> Value {
    reqwest::get(url).await.unwrap().json().await.unwrap()
}

/// `best` of `problem` in the list as `user` sees it (open mode: `?user=`).
async fn best(api: &str, user: &str, problem: &str) -> Value {
    let list = get_json(format!("{api}/api/problems?user={user}")).await;
    list.as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == problem)
        .unwrap_or_else(|| panic!("{problem} not listed: {list}"))["best"]
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_scoring_problem_shows_groups_scores_and_best_through_api_gateway_and_cli() {
    let stack = Stack::start(&bundled_problems(), 1).await;
    let api = stack.api_url.clone();

    // The page lists the groups and their points; `judge problem` shows them.
    let page = get_json(format!("{api}/api/problems/subtasks")).await;
    assert_eq!(page["scoring"], true, "{page}");
    assert_eq!(page["max_score"], 100.0);
    let points: Vec<(String, Value)> = page["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| (g["name"].as_str().unwrap().into(), g["max_score"].clone()))
        .collect();
    assert_eq!(
        points,
        [
            ("sample".to_string(), Value::Null),
            ("secret".to_string(), 100.0.into()),
            ("secret/1-small".to_string(), 30.0.into()),
            ("secret/2-medium".to_string(), 30.0.into()),
            ("secret/3-large".to_string(), 40.0.into()),
        ]
    );
    let (code, out, err) = judge(&api, &["problem", "subtasks"]).await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("scoring       100 points"), "{out}");
    let large = out
        .lines()
        .find(|l| l.starts_with("secret/3-large"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(
        large.contains(" 40 ") && large.ends_with("secret/2-medium"),
        "points and require_pass: {out}"
    );

    // Over the WebSocket: the too-slow solution scores the small group only
    // (30), the large one is not judged since the medium one failed, and
    // the groups are reported as they are graded, before the verdict.
    let code = std::fs::read_to_string(example("time_limit_exceeded", "loop.py")).unwrap();
    let (status, body) = submit(&api, "score-ws", "subtasks", "python3", &code).await;
    assert_eq!(status, 202, "{body}");
    let first = &body["state"];
    assert_eq!(first["groups"].as_array().map(Vec::len), Some(5), "{first}");
    let events = follow(body["watch_url"].as_str().unwrap(), VERDICT_WITHIN).await;
    let done = final_state(&events);
    assert_eq!(done.verdict, Some(Verdict::TLE), "{done:?}");
    assert_eq!((done.score, done.max_score), (Some(30.0), Some(100.0)));
    let group = |name: &str| done.groups.iter().find(|g| g.name == name).unwrap();
    assert_eq!(group("secret/1-small").score, Some(30.0));
    assert_eq!(group("secret/1-small").verdict, Some(Verdict::AC));
    assert_eq!(
        (
            group("secret/1-small").passed,
            group("secret/1-small").total
        ),
        (3, 3)
    );
    assert_eq!(group("secret/2-medium").verdict, Some(Verdict::TLE));
    assert_eq!(group("secret/2-medium").score, Some(0.0));
    assert_eq!(group("secret/3-large").score.unwrap_or(0.0), 0.0);
    assert!(
        done.results
            .iter()
            .all(|r| !r.name.starts_with("secret/3-large")),
        "a group that requires a failed one is not judged: {:?}",
        done.results
    );
    let live = events.iter().any(|e| {
        e.kind != EventKind::Finished
            && !e.state.is_final()
            && e.state
                .groups
                .iter()
                .any(|g| g.name == "secret/1-small" && g.score == Some(30.0))
    });
    assert!(live, "a group's score came before the verdict");

    // The CLI follows live: a line per graded group, then the verdict with
    // the score, "n / m test cases passed" and the group table.
    let wrong = example("wrong_answer", "overflow.cpp");
    let (code, out, err) = judge(
        &api,
        &[
            "--user",
            "score-cli",
            "submit",
            &wrong,
            "--problem",
            "subtasks",
        ],
    )
    .await;
    assert_eq!(code, 1, "WA exits 1:\n{out}{err}");
    assert!(
        out.contains("AC group secret/1-small: 30 / 30 (3/3 passed)"),
        "{out}"
    );
    assert!(out.contains("WA group secret/3-large: 0 / 40"), "{out}");
    assert!(out.contains("score 60 / 100"), "{out}");
    assert!(out.contains("test cases passed"), "{out}");
    assert!(out.contains("GROUP "), "{out}");
    assert!(out.contains("secret/2-medium  AC       30 / 30"), "{out}");
    let id = out
        .lines()
        .next()
        .and_then(|l| l.strip_prefix("Submission "))
        .and_then(|l| l.split_whitespace().next())
        .expect("the first line names the submission")
        .to_string();
    let (code, out, _) = judge(&api, &["--json", "status", &id]).await;
    assert_eq!(code, 0);
    let state: Value = serde_json::from_str(&out).expect("one JSON document");
    assert_eq!(state["score"], 60.0, "{state}");
    assert_eq!(state["groups"][4]["name"], "secret/3-large");
    assert_eq!(state["groups"][4]["verdict"], "WA");
    assert_eq!(state["groups"][4]["tests"].as_array().unwrap().len(), 3);

    // The problem list keeps the best score per user, and `judge problems` shows it.
    assert_eq!(best(&api, "score-cli", "subtasks").await["score"], 60.0);
    let accepted = example("accepted", "formula.py");
    let (code, out, err) = judge(
        &api,
        &[
            "--user",
            "score-cli",
            "submit",
            &accepted,
            "--problem",
            "subtasks",
        ],
    )
    .await;
    assert_eq!(code, 0, "{out}{err}");
    assert!(out.contains("score 100 / 100"), "{out}");
    let top = best(&api, "score-cli", "subtasks").await;
    assert_eq!(
        (top["score"].clone(), top["solved"].clone()),
        (100.0.into(), true.into())
    );
    let (_, out, _) = judge(&api, &["--user", "score-cli", "problems"]).await;
    let row = out
        .lines()
        .find(|l| l.starts_with("subtasks"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(row.contains("✓ 100 / 100"), "{out}");
    assert_eq!(best(&api, "score-ws", "subtasks").await["score"], 30.0);

    // A rejudge recomputes every score: the same 60 again, the best stays 100.
    let rejudged: Value = reqwest::Client::new()
        .post(format!("{api}/api/admin/submissions/{id}/rejudge"))
        .bearer_auth(judge_tests::stack::ADMIN_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(rejudged["previous_verdict"], "WA", "{rejudged}");
    assert_eq!(rejudged["previous_score"], 60.0, "{rejudged}");
    assert!(rejudged["state"]["score"].is_null(), "{rejudged}");
    let again = wait_for(&api, &id, VERDICT_WITHIN, |s| s.is_final()).await;
    assert_eq!(again.score, Some(60.0));
    assert_eq!(again.previous_verdict, Some(Verdict::WA));
    assert_eq!(best(&api, "score-cli", "subtasks").await["score"], 100.0);

    // `judge problem verify` checks each example's score from
    // submissions.yaml (the partial solutions included) and shows it.
    let dir = bundled_problems().join("subtasks");
    let (code, out, err) = judge(
        &api,
        &[
            "--token",
            judge_tests::stack::ADMIN_TOKEN,
            "--json",
            "problem",
            "verify",
            dir.to_str().unwrap(),
        ],
    )
    .await;
    let report: Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}\n{out}\n{err}"));
    assert_eq!(code, 0, "{report:#}\n{err}");
    let got = |submission: &str| {
        report["rows"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["submission"] == submission)
            .unwrap_or_else(|| panic!("no row {submission}: {report:#}"))
            .clone()
    };
    for (submission, expected, got_text) in [
        ("accepted/formula.py", "AC, score 100", "AC 100"),
        ("accepted/formula.cpp", "AC, score 100", "AC 100"),
        ("wrong_answer/overflow.cpp", "WA, score 60", "WA 60"),
        ("time_limit_exceeded/loop.py", "TLE, score 30", "TLE 30"),
    ] {
        let row = got(submission);
        assert_eq!(row["outcome"], "ok", "{row:#}");
        assert_eq!(row["got"], got_text, "{row:#}");
        assert!(
            row["expected"].as_str().unwrap().starts_with(expected),
            "{row:#}"
        );
    }

    stack.stop().await;
}
