//! `GET /api/problems/{id}/stub/{language}`: a function problem's starter
//! code, on a real Redis with the bundled `two-sum` and `hello` packages.

use judge_store::store;
use serde_json::Value;
use testkit::state::store_package;
use testkit::{bundled_problems, ApiServer, RedisServer};

const ADMIN: &str = "admin-secret-token";

async fn store_bundled(redis_url: &str, id: &str) {
    let mut conn = store::dedicated(redis_url).await.unwrap();
    store_package(&mut conn, &bundled_problems().join(id)).await;
}

async fn get(base: &str, path: &str) -> (u16, Value) {
    let r = reqwest::get(format!("{base}{path}")).await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap())
}

#[tokio::test]
async fn starter_code_of_a_function_problem_needs_no_sign_in() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    store_bundled(&redis.url(), "two-sum").await;
    store_bundled(&redis.url(), "hello").await;

    for language in ["python3", "cpp", "java"] {
        let (status, body) =
            get(&api.base, &format!("/api/problems/two-sum/stub/{language}")).await;
        assert_eq!(status, 200, "{language}: {body}");
        assert_eq!(body["language"], language);
        assert!(
            body["code"].as_str().unwrap().contains("twoSum"),
            "{language}: {body}"
        );
    }
    let (status, body) = get(&api.base, "/api/problems/two-sum/stub/cobol").await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("language"))
    );
    let (status, body) = get(&api.base, "/api/problems/hello/stub/python3").await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("not_a_function_problem"))
    );
    let (status, _) = get(&api.base, "/api/problems/nope/stub/python3").await;
    assert_eq!(status, 404);
    api.stop().await;
}
