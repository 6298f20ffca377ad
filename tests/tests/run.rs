//! `POST /api/run`, the editor's Run button: code on a custom input through
//! the same queue and sandbox as a submission, answered synchronously and
//! kept out of the user's history.

use judge_tests::{bundled_problems, Stack};
use serde_json::{json, Value};

async fn run(api_url: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{api_url}/api/run"))
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn run_shows_output_errors_and_compile_errors_without_recording_a_submission() {
    let stack = Stack::start(&bundled_problems(), 1).await;
    let api = stack.api_url.as_str();
    let sum = "#include <cstdio>\nint main(){long long a,b;scanf(\"%lld %lld\",&a,&b);printf(\"%lld\\n\",a+b);fprintf(stderr,\"debug\\n\");}";
    let crash = "import sys\nprint('before')\nsys.stdout.flush()\nraise SystemExit(3)";

    let (ok, crashed, broken) = tokio::join!(
        run(
            api,
            json!({"user_id": "runner", "language": "cpp", "code": sum, "input": "40 2\n"})
        ),
        run(
            api,
            json!({"user_id": "runner", "language": "python3", "code": crash, "input": ""})
        ),
        run(
            api,
            json!({"user_id": "runner", "language": "cpp", "code": "int main() { return missing; }"})
        ),
    );
    assert_eq!(ok.0, 200, "{}", ok.1);
    assert_eq!(ok.1["verdict"], "AC");
    assert_eq!(ok.1["stdout"], "42\n");
    assert_eq!(ok.1["stderr"], "debug\n");

    assert_eq!(crashed.0, 200, "{}", crashed.1);
    assert_eq!(crashed.1["verdict"], "RE");
    assert_eq!(
        crashed.1["stdout"], "before\n",
        "what a failing program printed is still shown"
    );

    assert_eq!(broken.0, 200, "{}", broken.1);
    assert_eq!(broken.1["verdict"], "CE");
    assert!(
        broken.1["compile_output"]
            .as_str()
            .unwrap()
            .contains("missing"),
        "{}",
        broken.1
    );

    // A run is not a submission: the user's history stays empty.
    let history: Value = reqwest::get(format!("{api}/api/users/runner/submissions"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(history, json!([]), "runs must not appear in the history");

    let (status, body) = run(
        api,
        json!({"user_id": "runner", "language": "cobra", "code": "x"}),
    )
    .await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("language"))
    );
    let (status, body) = run(api, json!({"user_id": "runner", "language": "cpp", "code": "int main(){}", "input": "x".repeat((1 << 20) + 1)})).await;
    assert_eq!(
        (status, body["error"]["field"].as_str()),
        (422, Some("input")),
        "{body}"
    );
    stack.stop().await;
}
