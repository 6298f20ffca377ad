//! A user's best result per problem in `GET /api/problems`, kept by the
//! store's final-state script, on a real Redis with JUDGE_AUTH=required.
//! No worker runs: final states are stored with `store::publish_state`
//! exactly as a worker stores them.

use judge_store::store;
use serde_json::{json, Value};
use submission::{EventKind, SubmissionState, Verdict};
use testkit::http::{call, Req};
use testkit::{tar_of, ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

struct Api {
    server: ApiServer,
}

impl Api {
    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Vec<u8>>,
    ) -> (u16, Value) {
        let body = body.map(reqwest::Body::from);
        let a = call(&self.server.base, method, path, Req::token(token).raw(body)).await;
        (a.status, a.body)
    }

    async fn user(&self, user: &str) -> String {
        let (status, body) = self
            .call(
                "POST",
                "/api/admin/users",
                Some(ADMIN),
                Some(json!({ "user_id": user }).to_string().into_bytes()),
            )
            .await;
        assert_eq!(status, 201, "{body}");
        body["token"].as_str().unwrap().to_string()
    }

    async fn submit(&self, token: &str, problem: &str) -> String {
        let body = json!({ "problem_id": problem, "language": "python3", "code": "print(1)\n" });
        let (status, body) = self
            .call(
                "POST",
                "/api/submissions",
                Some(token),
                Some(body.to_string().into_bytes()),
            )
            .await;
        assert_eq!(status, 202, "{body}");
        body["id"].as_str().unwrap().to_string()
    }

    /// `best` of `problem` in the problem list as `token` sees it.
    async fn best(&self, token: Option<&str>, query: &str, problem: &str) -> Value {
        let (status, body) = self
            .call("GET", &format!("/api/problems{query}"), token, None)
            .await;
        assert_eq!(status, 200, "{body}");
        let entry = body
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == problem)
            .unwrap_or_else(|| panic!("{problem} not listed: {body}"))
            .clone();
        entry.get("best").cloned().unwrap_or(json!("absent"))
    }
}

/// Finishes a submission as a worker would: running, then `verdict`.
async fn finish(
    conn: &mut redis::aio::MultiplexedConnection,
    id: &str,
    verdict: Verdict,
    adjust: impl FnOnce(&mut SubmissionState),
) {
    let mut state = store::load_state(conn, id).await.unwrap().unwrap();
    state.seq += 1;
    state.finish(verdict, submission::now_ms());
    adjust(&mut state);
    assert!(store::publish_state(conn, EventKind::Finished, &state)
        .await
        .unwrap());
}

async fn rejudge(api: &Api, id: &str) {
    let (status, body) = api
        .call(
            "POST",
            &format!("/api/admin/submissions/{id}/rejudge"),
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert!(body.get("previous_score").is_some(), "{body}");
}

#[tokio::test]
async fn the_problem_list_shows_each_users_best_and_a_rejudge_recomputes_it() {
    let redis = RedisServer::start();
    let api = Api {
        server: ApiServer::start(api::serve, &redis.url(), ADMIN).await,
    };
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let package = tar_of(&[
        ("problem.yaml", "name: Echo\nlimits:\n  memory: 256\n"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ]);
    let (status, body) = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(package),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let ann = api.user("ann").await;
    let bob = api.user("bob").await;

    // Without a token the list is public and shows no results; with one,
    // `best` is null until a verdict.
    assert_eq!(api.best(None, "", "echo").await, json!("absent"));
    assert_eq!(
        api.best(Some("not-a-token"), "", "echo").await,
        json!("absent"),
        "a stale token still lists the problems"
    );
    assert_eq!(api.best(Some(&ann), "", "echo").await, Value::Null);

    // A queued submission is no result; a wrong answer is one, not solved.
    let wa = api.submit(&ann, "echo").await;
    assert_eq!(api.best(Some(&ann), "", "echo").await, Value::Null);
    finish(&mut conn, &wa, Verdict::WA, |_| {}).await;
    let best = api.best(Some(&ann), "", "echo").await;
    assert_eq!(best["solved"], false, "{best}");
    assert_eq!(best["verdict"], "WA");
    assert_eq!(best["submission_id"], wa.as_str());

    // An accepted one is better, and stays the best after a later WA.
    let ac = api.submit(&ann, "echo").await;
    finish(&mut conn, &ac, Verdict::AC, |_| {}).await;
    let later = api.submit(&ann, "echo").await;
    finish(&mut conn, &later, Verdict::RE, |_| {}).await;
    let best = api.best(Some(&ann), "", "echo").await;
    assert_eq!(best["solved"], true, "{best}");
    assert_eq!(best["submission_id"], ac.as_str());
    assert!(
        best.get("rank").is_none(),
        "the store's ranking is internal"
    );

    // Each user sees their own; ?user= another's is for admins.
    assert_eq!(api.best(Some(&bob), "", "echo").await, Value::Null);
    assert_eq!(
        api.best(Some(ADMIN), "?user=ann", "echo").await["solved"],
        true
    );
    let (status, body) = api
        .call("GET", "/api/problems?user=ann", Some(&bob), None)
        .await;
    assert_eq!(status, 403, "{body}");
    let (status, body) = api
        .call("GET", "/api/problems?user=no%20such", Some(&bob), None)
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "user", "{body}");
    let (status, _) = api.call("GET", "/api/problems?user=ann", None, None).await;
    assert_eq!(status, 401);

    // A rejudge that turns the accepted submission into WA leaves the old
    // best in place while it is judged, then lowers it: no stale "solved".
    rejudge(&api, &ac).await;
    assert_eq!(api.best(Some(&ann), "", "echo").await["solved"], true);
    finish(&mut conn, &ac, Verdict::WA, |_| {}).await;
    let best = api.best(Some(&ann), "", "echo").await;
    assert_eq!(best["solved"], false, "{best}");
    assert_eq!(
        best["submission_id"],
        wa.as_str(),
        "ties go to the earliest submission"
    );

    // A rejudge that ends in a judge error keeps the submission's last result.
    rejudge(&api, &later).await;
    finish(&mut conn, &later, Verdict::IE, |_| {}).await;
    rejudge(&api, &wa).await;
    finish(&mut conn, &wa, Verdict::AC, |_| {}).await;
    let best = api.best(Some(&ann), "", "echo").await;
    assert_eq!(best["solved"], true, "{best}");
    assert_eq!(best["submission_id"], wa.as_str());

    api.server.stop().await;
}

/// A scoring problem (two groups worth 30 and 70) stored as an import would
/// store it: the echo package's tests, its summary made scoring. The
/// summary is what the API serves and seeds states from.
async fn store_scoring_problem(
    conn: &mut redis::aio::MultiplexedConnection,
) -> problem_package::problem::ProblemSummary {
    use problem_package::problem::GroupSummary;
    let mut summary = store::current_problem(conn, "echo").await.unwrap().unwrap();
    let package = store::load_package(conn, &summary.version)
        .await
        .unwrap()
        .unwrap();
    summary.id = "points".into();
    summary.name = "Points".into();
    summary.version = format!("{}-scoring", summary.version);
    summary.tests = 3;
    summary.scoring = true;
    summary.max_score = Some(100.0);
    let group = |name: &str, tests: Vec<usize>, max: Option<f64>| GroupSummary {
        name: name.into(),
        tests,
        max_score: max,
        aggregation: "sum".into(),
        require_pass: vec![],
    };
    summary.groups = vec![
        group("sample", vec![1], None),
        group("secret", vec![2, 3], Some(100.0)),
        group("secret/easy", vec![2], Some(30.0)),
        group("secret/hard", vec![3], Some(70.0)),
    ];
    store::store_problem(conn, &summary, &package)
        .await
        .unwrap();
    summary
}

/// Grades a scoring state as the worker would: `points` per secret group.
fn graded(state: &mut SubmissionState, easy: f64, hard: f64) {
    for group in &mut state.groups {
        let score = match group.name.as_str() {
            "secret/easy" => Some(easy),
            "secret/hard" => Some(hard),
            "secret" => Some(easy + hard),
            _ => None,
        };
        group.score = score;
        group.verdict = Some(if score == group.max_score {
            Verdict::AC
        } else {
            Verdict::WA
        });
        group.passed = if group.verdict == Some(Verdict::AC) {
            group.total
        } else {
            0
        };
    }
    state.score = Some(easy + hard);
}

#[tokio::test]
async fn scoring_problems_show_groups_and_points_and_a_rejudge_recomputes_the_best_score() {
    let redis = RedisServer::start();
    let api = Api {
        server: ApiServer::start(api::serve, &redis.url(), ADMIN).await,
    };
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let package = tar_of(&[
        ("problem.yaml", "name: Echo\nlimits:\n  memory: 256\n"),
        ("data/sample/1.in", "1\n"),
        ("data/sample/1.ans", "1\n"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
        ("data/secret/2.in", "2\n"),
        ("data/secret/2.ans", "2\n"),
    ]);
    let (status, body) = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(package),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    store_scoring_problem(&mut conn).await;
    let ann = api.user("ann").await;

    // The page shows the groups and their points; the list says it is scoring.
    let (status, page) = api.call("GET", "/api/problems/points", None, None).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["scoring"], true);
    assert_eq!(page["max_score"], 100.0);
    let groups: Vec<(String, Value)> = page["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["name"].as_str().unwrap().to_string(),
                g["max_score"].clone(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        vec![
            ("sample".to_string(), Value::Null),
            ("secret".to_string(), json!(100.0)),
            ("secret/easy".to_string(), json!(30.0)),
            ("secret/hard".to_string(), json!(70.0)),
        ]
    );
    let (_, list) = api.call("GET", "/api/problems", Some(&ann), None).await;
    let listed = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "points")
        .unwrap();
    assert_eq!(
        (listed["scoring"].clone(), listed["max_score"].clone()),
        (json!(true), json!(100.0))
    );
    let echo = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "echo")
        .unwrap();
    assert_eq!(echo["scoring"], false, "{echo}");

    // A submission's first state already lists the groups, unjudged.
    let body = json!({ "problem_id": "points", "language": "python3", "code": "print(1)\n" });
    let (status, answer) = api
        .call(
            "POST",
            "/api/submissions",
            Some(&ann),
            Some(body.to_string().into_bytes()),
        )
        .await;
    assert_eq!(status, 202, "{answer}");
    let first = answer["id"].as_str().unwrap().to_string();
    let state = &answer["state"];
    assert_eq!(state["max_score"], 100.0, "{state}");
    assert_eq!(state["groups"].as_array().unwrap().len(), 4, "{state}");
    assert_eq!(state["groups"][2]["tests"], json!([2]));
    assert_eq!(state["groups"][2]["total"], 1);
    assert!(state["groups"][2].get("score").is_none(), "{state}");

    // 30 points, then a second submission with 100: the best is 100.
    finish(&mut conn, &first, Verdict::WA, |s| graded(s, 30.0, 0.0)).await;
    let best = api.best(Some(&ann), "", "points").await;
    assert_eq!(
        (
            best["score"].clone(),
            best["max_score"].clone(),
            best["solved"].clone()
        ),
        (json!(30.0), json!(100.0), json!(false)),
        "{best}"
    );
    let second = api.submit(&ann, "points").await;
    finish(&mut conn, &second, Verdict::AC, |s| graded(s, 30.0, 70.0)).await;
    let best = api.best(Some(&ann), "", "points").await;
    assert_eq!(
        (best["score"].clone(), best["solved"].clone()),
        (json!(100.0), json!(true))
    );
    assert_eq!(best["submission_id"], second.as_str());

    // A rejudge starts the groups over (no old score lingers while it is
    // judged) and its lower score lowers the best: 30 + 35 = 65 now.
    let (status, body) = api
        .call(
            "POST",
            "/api/admin/problems/points/rejudge",
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(status, 202, "{body}");
    assert_eq!(body["requeued"].as_array().unwrap().len(), 2, "{body}");
    let queued = store::load_state(&mut conn, &second)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(queued.score, None);
    assert_eq!(queued.groups.len(), 4);
    assert!(queued
        .groups
        .iter()
        .all(|g| g.score.is_none() && g.verdict.is_none() && g.passed == 0));
    assert_eq!(
        api.best(Some(&ann), "", "points").await["score"],
        100.0,
        "kept while judged"
    );
    finish(&mut conn, &second, Verdict::WA, |s| graded(s, 30.0, 35.0)).await;
    finish(&mut conn, &first, Verdict::WA, |s| graded(s, 30.0, 0.0)).await;
    let best = api.best(Some(&ann), "", "points").await;
    assert_eq!(
        (best["score"].clone(), best["solved"].clone()),
        (json!(65.0), json!(false)),
        "{best}"
    );
    assert_eq!(best["submission_id"], second.as_str());

    api.server.stop().await;
}
