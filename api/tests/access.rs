//! Tokens, admin import and rejudge on a real Redis, with JUDGE_AUTH=required.

use std::time::Duration;

use judge_store::{keys, store};
use redis::AsyncCommands;
use serde_json::{json, Value};
use submission::{EventKind, Verdict};
use testkit::http::{call, Answer, Req};
use testkit::{tar_of, write_file};
use testkit::{ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

struct Api {
    server: ApiServer,
}

impl Api {
    async fn start(redis_url: &str) -> Api {
        Api {
            server: ApiServer::start(api::serve, redis_url, ADMIN).await,
        }
    }

    async fn call(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<reqwest::Body>,
    ) -> Answer {
        call(&self.server.base, method, path, Req::token(token).raw(body)).await
    }

    async fn json(&self, method: &str, path: &str, token: Option<&str>, body: Value) -> Answer {
        self.call(method, path, token, Some(body.to_string().into()))
            .await
    }

    async fn user(&self, user: &str) -> String {
        let a = self
            .json(
                "POST",
                "/api/admin/users",
                Some(ADMIN),
                json!({ "user_id": user }),
            )
            .await;
        assert_eq!(a.status, 201, "{}", a.body);
        assert_eq!(a.body["user_id"], user);
        a.body["token"].as_str().unwrap().to_string()
    }

    async fn stop(self) {
        self.server.stop().await;
    }
}

/// A tar with one entry whose name is written raw (the tar crate refuses `..`).
fn tar_with_raw_name(name: &str, kind: tar::EntryType, link: Option<&str>) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    let good = [
        ("problem.yaml", "name: x\n"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ];
    for (path, text) in good {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        builder
            .append_data(&mut header, path, text.as_bytes())
            .unwrap();
    }
    let mut header = tar::Header::new_old();
    header.as_old_mut().name[..name.len()].copy_from_slice(name.as_bytes());
    header.set_entry_type(kind);
    header.set_mode(0o644);
    let data = b"evil\n";
    header.set_size(if link.is_some() { 0 } else { data.len() as u64 });
    if let Some(target) = link {
        header.as_old_mut().linkname[..target.len()].copy_from_slice(target.as_bytes());
    }
    header.set_cksum();
    if link.is_some() {
        builder.append(&header, std::io::empty()).unwrap();
    } else {
        builder.append(&header, &data[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

fn good_package(answer: &str) -> Vec<u8> {
    tar_of(&[
        ("problem.yaml", "name: Echo\nlimits:\n  memory: 256\n"),
        ("data/sample/1.in", "1\n"),
        ("data/sample/1.ans", "1\n"),
        ("data/secret/1.in", "2\n"),
        ("data/secret/1.ans", answer),
    ])
}

fn problem_files(body: &Value) -> Vec<String> {
    body["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("no problems in {body}"))
        .iter()
        .map(|p| p["file"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn tokens_decide_who_submits_and_who_reads() {
    let redis = RedisServer::start();
    let api = Api::start(&redis.url()).await;
    let put = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(good_package("2\n").into()),
        )
        .await;
    assert_eq!(put.status, 201, "{}", put.body);

    let alice = api.user("alice").await;
    let bob = api.user("bob").await;
    assert_ne!(alice, bob);
    assert_eq!(alice.len(), 64);

    // Tokens are stored hashed only.
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();
    let stored: Option<String> = conn
        .get(keys::token(&judge_store::tokens::token_hash(&alice)))
        .await
        .unwrap();
    let stored = stored.unwrap();
    assert!(!stored.contains(&alice), "{stored}");
    let stored: Value = serde_json::from_str(&stored).unwrap();
    assert_eq!(stored["user_id"], "alice");
    // Its id (for listing and revoking) is a prefix of the hash; its
    // admin right is not stored but read from the user at each use.
    let hash = judge_store::tokens::token_hash(&alice);
    assert!(hash.starts_with(stored["id"].as_str().unwrap()), "{stored}");
    assert!(stored.get("admin").is_none(), "{stored}");
    let raw: Option<String> = conn.get(keys::token(&alice)).await.unwrap();
    assert!(raw.is_none());

    let submission = json!({"user_id": "mallory", "problem_id": "echo", "language": "python3", "code": "print(2)"});
    let a = api
        .json("POST", "/api/submissions", None, submission.clone())
        .await;
    assert_eq!(a.status, 401, "{}", a.body);
    assert!(a.headers["www-authenticate"]
        .to_str()
        .unwrap()
        .starts_with("Bearer"));
    let a = api
        .json(
            "POST",
            "/api/submissions",
            Some("not-a-token"),
            submission.clone(),
        )
        .await;
    assert_eq!(a.status, 401);

    let a = api
        .json("POST", "/api/submissions", Some(&alice), submission)
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    // The token decides the user; the body's user_id is ignored.
    assert_eq!(a.body["state"]["user_id"], "alice");
    let id = a.body["id"].as_str().unwrap().to_string();

    let path = format!("/api/submissions/{id}");
    let code_path = format!("{path}/code");
    assert_eq!(api.call("GET", &path, None, None).await.status, 401);
    let a = api.call("GET", &path, Some(&bob), None).await;
    assert_eq!(a.status, 403, "{}", a.body);
    assert_eq!(a.body["error"]["code"], "forbidden");
    assert_eq!(
        api.call("GET", &code_path, Some(&bob), None).await.status,
        403
    );
    assert_eq!(api.call("GET", &code_path, None, None).await.status, 401);
    let a = api.call("GET", &path, Some(&alice), None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["user_id"], "alice");
    assert!(a.body.get("code").is_none(), "the state carries no code");
    let a = api.call("GET", &code_path, Some(&alice), None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body["code"], "print(2)");
    assert_eq!(
        api.call("GET", &code_path, Some(ADMIN), None).await.status,
        200
    );
    assert_eq!(api.call("GET", &path, Some(ADMIN), None).await.status, 200);

    let list = "/api/users/alice/submissions";
    assert_eq!(api.call("GET", list, None, None).await.status, 401);
    assert_eq!(api.call("GET", list, Some(&bob), None).await.status, 403);
    let a = api.call("GET", list, Some(&alice), None).await;
    assert_eq!(a.status, 200);
    assert_eq!(a.body.as_array().unwrap().len(), 1);

    // Admin endpoints: 401 without a token, 403 with a user's.
    let a = api
        .json("POST", "/api/admin/users", None, json!({"user_id": "eve"}))
        .await;
    assert_eq!(a.status, 401);
    for (method, path) in [
        ("POST", "/api/admin/users"),
        ("PUT", "/api/admin/problems/echo"),
        ("POST", "/api/admin/problems/echo/validate"),
        ("POST", "/api/admin/problems/echo/rejudge"),
        ("POST", &format!("/api/admin/submissions/{id}/rejudge")),
    ] {
        let a = api
            .json(method, path, Some(&alice), json!({"user_id": "eve"}))
            .await;
        assert_eq!(a.status, 403, "{method} {path}: {}", a.body);
    }

    // Public routes stay public.
    assert_eq!(
        api.call("GET", "/api/problems", None, None).await.status,
        200
    );
    let a = api.call("GET", "/api/openapi.json", None, None).await;
    assert_eq!(a.status, 200);
    assert!(a.body["paths"]["/api/admin/problems/{id}"]["put"].is_object());
    api.stop().await;
}

#[tokio::test]
async fn broken_packages_are_reported_with_every_file_and_line() {
    let redis = RedisServer::start();
    let api = Api::start(&redis.url()).await;
    let put = |body: Vec<u8>| {
        api.call(
            "PUT",
            "/api/admin/problems/broken",
            Some(ADMIN),
            Some(body.into()),
        )
    };

    // Two inputs without answers: both are named.
    let a = put(tar_of(&[
        ("problem.yaml", "name: x\n"),
        ("data/sample/1.in", "1\n"),
        ("data/secret/2.in", "2\n"),
        ("data/secret/3.in", "3\n"),
        ("data/secret/3.ans", "3\n"),
    ]))
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(a.body["error"]["code"], "invalid_package");
    assert_eq!(
        problem_files(&a.body),
        ["data/sample/1.in", "data/secret/2.in"],
        "{}",
        a.body
    );
    assert!(a.body["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("1.ans"));

    // A bad problem.yaml: file and line.
    let a = put(tar_of(&[
        ("problem.yaml", "name: x\nlimits:\n  memory: lots\n"),
        ("data/secret/1.in", "1\n"),
        ("data/secret/1.ans", "1\n"),
    ]))
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(problem_files(&a.body), ["problem.yaml"]);
    assert_eq!(a.body["problems"][0]["line"], 3, "{}", a.body);

    // YAML syntax error and a missing answer together.
    let a = put(tar_of(&[
        ("problem.yaml", "name: [x\n"),
        ("data/secret/1.in", "1\n"),
    ]))
    .await;
    assert_eq!(a.status, 422);
    let files = problem_files(&a.body);
    assert!(files.contains(&"problem.yaml".to_string()), "{}", a.body);
    assert!(
        files.contains(&"data/secret/1.in".to_string()),
        "{}",
        a.body
    );

    // Path traversal and links are refused, naming the entry.
    let a = put(tar_with_raw_name(
        "../evil.txt",
        tar::EntryType::Regular,
        None,
    ))
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(problem_files(&a.body), ["../evil.txt"]);
    assert!(a.body["problems"][0]["message"]
        .as_str()
        .unwrap()
        .contains("escapes"));
    let a = put(tar_with_raw_name(
        "data/link",
        tar::EntryType::Symlink,
        Some("/etc/passwd"),
    ))
    .await;
    assert_eq!(a.status, 422, "{}", a.body);
    assert_eq!(problem_files(&a.body), ["data/link"]);
    let a = put(b"this is not a tar".to_vec()).await;
    assert_eq!(a.status, 422, "{}", a.body);

    // Nothing was stored.
    let a = api.call("GET", "/api/problems/broken", None, None).await;
    assert_eq!(a.status, 404);
    api.stop().await;
}

#[tokio::test]
async fn a_new_version_does_not_change_old_submissions_and_rejudge_requeues() {
    let redis = RedisServer::start();
    let api = Api::start(&redis.url()).await;
    let mut conn = redis::Client::open(redis.url())
        .unwrap()
        .get_multiplexed_async_connection()
        .await
        .unwrap();

    // Validate stores nothing.
    let a = api
        .call(
            "POST",
            "/api/admin/problems/echo/validate",
            Some(ADMIN),
            Some(good_package("2\n").into()),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["valid"], true);
    assert!(a.body["current_version"].is_null());
    assert_eq!(
        api.call("GET", "/api/problems/echo", None, None)
            .await
            .status,
        404
    );

    // Import v1, in a top-level directory and gzip-compressed.
    let mut builder = tar::Builder::new(Vec::new());
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("whatever");
    write_file(
        &root,
        "problem.yaml",
        "name: Echo\nlimits:\n  memory: 256\n",
    );
    write_file(&root, "data/secret/1.in", "2\n");
    write_file(&root, "data/secret/1.ans", "2\n");
    write_file(&root, "output_validators/check/check.py", "import sys\n");
    builder.append_dir_all("whatever", &root).unwrap();
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    std::io::Write::write_all(&mut gz, &tar).unwrap();
    let a = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(gz.finish().unwrap().into()),
        )
        .await;
    assert_eq!(a.status, 201, "{}", a.body);
    assert!(a.body["previous_version"].is_null());
    assert_eq!(a.body["tests"], 1);
    assert!(
        a.body["warnings"]
            .to_string()
            .contains("validation is default"),
        "{}",
        a.body
    );
    let v1 = a.body["version"].as_str().unwrap().to_string();

    let alice = api.user("alice").await;
    let a = api
        .json(
            "POST",
            "/api/submissions",
            Some(&alice),
            json!({"problem_id": "echo", "language": "python3", "code": "print(input())"}),
        )
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    let id = a.body["id"].as_str().unwrap().to_string();

    // Import v2 (custom validation): current changes, the submission keeps v1.
    let v2_package = tar_of(&[
        ("problem.yaml", "name: Echo\nvalidation: custom\n"),
        ("output_validator/validator.cpp", "int main(){}"),
        ("data/secret/1.in", "2\n"),
        ("data/secret/1.ans", "2\n"),
        ("data/secret/2.in", "3\n"),
        ("data/secret/2.ans", "3\n"),
    ]);
    let a = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(v2_package.clone().into()),
        )
        .await;
    assert_eq!(a.status, 200, "{}", a.body);
    assert_eq!(a.body["previous_version"], v1.as_str());
    assert_eq!(a.body["validator"]["compiled"], false, "{}", a.body);
    assert!(
        a.body["validator"]["notes"][0]
            .as_str()
            .unwrap()
            .contains("output_validator/validator.cpp: not compiled at import"),
        "{}",
        a.body
    );
    let v2 = a.body["version"].as_str().unwrap().to_string();
    assert_ne!(v1, v2);
    // The same package again changes nothing.
    let a = api
        .call(
            "PUT",
            "/api/admin/problems/echo",
            Some(ADMIN),
            Some(v2_package.into()),
        )
        .await;
    assert_eq!(a.body["unchanged"], true, "{}", a.body);

    let current = store::current_problem(&mut conn, "echo")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(current.version, v2);
    let record = store::load_record(&mut conn, &id).await.unwrap().unwrap();
    assert_eq!(record.problem_version, v1);
    assert!(
        store::load_package(&mut conn, &v1).await.unwrap().is_some(),
        "old versions stay"
    );
    let versions: Vec<String> = conn.hkeys(keys::problem_versions("echo")).await.unwrap();
    assert_eq!(versions.len(), 2);
    let indexed: Vec<String> = conn
        .zrange(keys::problem_submissions("echo"), 0, -1)
        .await
        .unwrap();
    assert_eq!(indexed, std::slice::from_ref(&id));

    // Rejudge of an unfinished submission: 409, nothing changes.
    let rejudge_path = format!("/api/admin/submissions/{id}/rejudge");
    let a = api.call("POST", &rejudge_path, Some(ADMIN), None).await;
    assert_eq!(a.status, 409, "{}", a.body);

    // Finish it as a worker would.
    let mut state = store::load_state(&mut conn, &id).await.unwrap().unwrap();
    state.seq = 7;
    state.finish(Verdict::WA, 1);
    assert!(store::publish_state(&mut conn, EventKind::Finished, &state)
        .await
        .unwrap());
    let _: u32 = store::add_attempt(&mut conn, &id).await.unwrap();
    let jobs_before = judge_store::queue::waiting(&mut conn)
        .await
        .unwrap()
        .0
        .total();

    let mut pubsub = redis::Client::open(redis.url())
        .unwrap()
        .get_async_pubsub()
        .await
        .unwrap();
    pubsub.subscribe(keys::events(&id)).await.unwrap();

    let a = api.call("POST", &rejudge_path, Some(ADMIN), None).await;
    assert_eq!(a.status, 202, "{}", a.body);
    assert_eq!(a.body["previous_verdict"], "WA");
    assert_eq!(a.body["problem_version"], v2.as_str());
    let state = store::load_state(&mut conn, &id).await.unwrap().unwrap();
    assert_eq!(state.status, submission::Status::Queued);
    assert_eq!(state.seq, 8);
    assert_eq!(state.verdict, None);
    assert!(state.results.is_empty());
    assert_eq!(state.previous_verdict, Some(Verdict::WA));
    assert_eq!(state.tests_total, 2);
    let attempts: u32 = conn
        .hget(keys::submission(&id), keys::FIELD_ATTEMPTS)
        .await
        .unwrap();
    assert_eq!(attempts, 0);
    let jobs_after = judge_store::queue::waiting(&mut conn)
        .await
        .unwrap()
        .0
        .total();
    assert_eq!(jobs_after, jobs_before + 1);
    let record = store::load_record(&mut conn, &id).await.unwrap().unwrap();
    assert_eq!(
        record.problem_version, v2,
        "a rejudge uses the current version"
    );
    use futures_util::StreamExt;
    let msg = tokio::time::timeout(Duration::from_secs(2), pubsub.on_message().next())
        .await
        .unwrap()
        .unwrap();
    let event: submission::Event =
        serde_json::from_str(&msg.get_payload::<String>().unwrap()).unwrap();
    assert_eq!(event.kind, EventKind::Queued);
    assert_eq!(event.state.seq, 8);
    drop(pubsub);

    // Problem rejudge: the (now queued) submission is skipped until it finishes.
    let a = api
        .call(
            "POST",
            "/api/admin/problems/echo/rejudge",
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(a.status, 202, "{}", a.body);
    assert_eq!(a.body["requeued"].as_array().unwrap().len(), 0);
    assert_eq!(a.body["skipped"].as_array().unwrap().len(), 1);
    let mut state = store::load_state(&mut conn, &id).await.unwrap().unwrap();
    state.seq += 1;
    state.finish(Verdict::AC, 2);
    assert!(store::publish_state(&mut conn, EventKind::Finished, &state)
        .await
        .unwrap());
    let a = api
        .call(
            "POST",
            "/api/admin/problems/echo/rejudge",
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(a.body["requeued"], json!([id]), "{}", a.body);
    assert_eq!(
        store::load_state(&mut conn, &id)
            .await
            .unwrap()
            .unwrap()
            .previous_verdict,
        Some(Verdict::AC)
    );
    let a = api
        .call(
            "POST",
            "/api/admin/problems/nope/rejudge",
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(a.status, 404);
    let a = api
        .call(
            "POST",
            "/api/admin/submissions/nope/rejudge",
            Some(ADMIN),
            None,
        )
        .await;
    assert_eq!(a.status, 404);
    api.stop().await;
}
