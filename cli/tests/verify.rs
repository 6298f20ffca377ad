//! Draft problem versions on the API as deployed (JUDGE_AUTH=required, a
//! real Redis, no worker): what `judge problem verify` relies on. A draft is
//! stored but not listed, only an admin submits against it (and those
//! submissions land under the user `verify`), and publishing makes it
//! current. The judging itself is tested through the whole stack in
//! `tests/tests/verify.rs`.

use serde_json::{json, Value};
use testkit::http::{request, Req};
use testkit::write_file;
use testkit::{ApiServer, RedisServer};

const ADMIN: &str = "verify-admin-token";

fn package(root: &std::path::Path, answer: &str) -> Vec<u8> {
    write_file(
        root,
        "problem.yaml",
        "name: Drafty\nlimits:\n  memory: 256\n",
    );
    write_file(root, "data/secret/1.in", "1\n");
    write_file(root, "data/secret/1.ans", answer);
    problem_package::problem::pack(root).unwrap().0
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn drafts_are_unseen_admin_only_and_published_on_demand() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let http = reqwest::Client::new();
    let base = api.base.clone();
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("drafty");

    // A user token, for the refusals.
    let user: Value = http
        .post(format!("{base}/api/admin/users"))
        .bearer_auth(ADMIN)
        .json(&json!({ "user_id": "ann" }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ann = user["token"].as_str().unwrap().to_string();

    let put = |query: &'static str, tar: Vec<u8>| {
        let url = format!("{base}/api/admin/problems/drafty{query}");
        request(&http, "PUT", &url, Req::bearer(ADMIN).tar(tar)).send()
    };
    let answer = put("?draft=true", package(&root, "1\n")).await.unwrap();
    assert_eq!(answer.status(), 200, "a draft creates nothing users see");
    let answer: Value = answer.json().await.unwrap();
    assert_eq!(answer["draft"], true, "{answer:#}");
    assert_eq!(answer["time_limit_source"], "default", "{answer:#}");
    let draft = answer["version"].as_str().unwrap().to_string();
    // A draft's package expires unless published (see store::DRAFT_TTL_SECS).
    let ttl = |version: &str| {
        let out = std::process::Command::new("redis-cli")
            .args(["-u", &redis.url(), "TTL", &format!("judge:pkg:{version}")])
            .output()
            .expect("redis-cli runs");
        String::from_utf8_lossy(&out.stdout)
            .trim()
            .parse::<i64>()
            .unwrap()
    };
    assert!(ttl(&draft) > 3600, "{}", ttl(&draft));

    // Not listed, not shown, not submittable by a user.
    let listed: Value = http
        .get(format!("{base}/api/problems"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed, json!([]));
    let shown = http
        .get(format!("{base}/api/problems/drafty"))
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 404);
    let submit = |token: &str, body: Value| {
        http.post(format!("{base}/api/submissions"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let code = json!({ "problem_id": "drafty", "language": "python3", "code": "print(1)" });
    let plain = submit(&ann, code.clone()).await.unwrap();
    assert_eq!(plain.status(), 404, "the draft is not the current version");
    let mut against = code.clone();
    against["problem_version"] = json!(draft);
    let refused = submit(&ann, against.clone()).await.unwrap();
    assert_eq!(refused.status(), 403);
    let body: Value = refused.json().await.unwrap();
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("problem_version"),
        "{body:#}"
    );

    // The admin submits against it; the submission is the `verify` user's.
    let queued = submit(ADMIN, against).await.unwrap();
    assert_eq!(queued.status(), 202);
    let queued: Value = queued.json().await.unwrap();
    assert_eq!(queued["state"]["user_id"], "verify", "{queued:#}");
    let id = queued["id"].as_str().unwrap();
    let record: Value = http
        .get(format!("{base}/api/submissions/{id}/code"))
        .bearer_auth(ADMIN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(record["problem_version"], draft.as_str());
    let mut unknown = code.clone();
    unknown["problem_version"] = json!("abcdef");
    let unknown = submit(ADMIN, unknown).await.unwrap();
    assert_eq!(unknown.status(), 422);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error"]["field"], "problem_version", "{body:#}");

    // Publishing makes it current; publishing what is not stored is refused.
    let publish = |version: String| {
        http.post(format!(
            "{base}/api/admin/problems/drafty/versions/{version}/publish"
        ))
        .bearer_auth(ADMIN)
        .send()
    };
    let missing = publish("00".repeat(32)).await.unwrap();
    assert_eq!(missing.status(), 422);
    let by_user = http
        .post(format!(
            "{base}/api/admin/problems/drafty/versions/{draft}/publish"
        ))
        .bearer_auth(&ann)
        .send()
        .await
        .unwrap();
    assert_eq!(by_user.status(), 403);
    let published: Value = publish(draft.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(published["version"], draft.as_str(), "{published:#}");
    assert_eq!(ttl(&draft), -1, "a published package is kept");
    let shown: Value = http
        .get(format!("{base}/api/problems/drafty"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["version"], draft.as_str());
    assert_eq!(submit(&ann, code).await.unwrap().status(), 202);

    // Uploading the current version as a draft leaves it current.
    let again: Value = put("?draft=true", package(&root, "1\n"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (again["unchanged"].clone(), again["draft"].clone()),
        (json!(true), json!(false))
    );
    let bad = put("?draft=perhaps", package(&root, "1\n")).await.unwrap();
    assert_eq!(bad.status(), 422);

    api.stop().await;
}
