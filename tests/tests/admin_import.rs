//! Admin import through the whole stack: a package whose output validator
//! does not compile is refused before anything is stored, naming the file;
//! one whose validator compiles is stored and judged with it.

use std::time::Duration;

use judge_tests::stack::ADMIN_TOKEN;
use judge_tests::{bundled_problems, Stack};
use serde_json::Value;
use testkit::client::{final_state, follow, submit};

fn package(validator: &str) -> (tempfile::TempDir, Vec<u8>) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("evenodd");
    for (path, text) in [
        (
            "problem.yaml",
            "name: Even or odd\nvalidation: custom\nlimits:\n  time_limit: 1\n  memory: 256\n",
        ),
        ("data/secret/1.in", "3\n"),
        ("data/secret/1.ans", "odd\n"),
        ("output_validators/check/check.cpp", validator),
    ] {
        let file = root.join(path);
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(file, text).unwrap();
    }
    let (tar, _) = problem_package::problem::pack(&root).unwrap();
    (dir, tar)
}

async fn import(api_url: &str, tar: Vec<u8>) -> (u16, Value) {
    let response = reqwest::Client::new()
        .put(format!("{api_url}/api/admin/problems/evenodd"))
        .bearer_auth(ADMIN_TOKEN)
        .body(tar)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.json().await.unwrap())
}

/// Accepts "odd" for odd n and "even" otherwise, reading n from the input file.
const VALIDATOR: &str = r#"#include <fstream>
#include <iostream>
#include <string>
int main(int argc, char** argv) {
    std::ifstream in(argv[1]);
    long n; in >> n;
    std::string said; std::cin >> said;
    return said == (n % 2 ? "odd" : "even") ? 42 : 43;
}
"#;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_validator_that_does_not_compile_refuses_the_package_and_a_good_one_judges() {
    let stack = Stack::start(&bundled_problems(), 1).await;

    let (_dir, broken) = package("int main( { return 42; }");
    let (status, body) = import(&stack.api_url, broken).await;
    assert_eq!(status, 422, "{body}");
    let problem = &body["problems"][0];
    assert_eq!(
        problem["file"], "output_validators/check/check.cpp",
        "{body}"
    );
    assert!(
        problem["message"]
            .as_str()
            .unwrap()
            .contains("does not compile"),
        "{body}"
    );
    let listed: Value = reqwest::get(format!("{}/api/problems/evenodd", stack.api_url))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        listed["error"]["code"], "unknown_problem",
        "nothing was stored: {listed}"
    );

    let (_dir, good) = package(VALIDATOR);
    let (status, body) = import(&stack.api_url, good).await;
    assert_eq!(status, 201, "{body}");
    assert_eq!(body["validator"]["compiled"], true, "{body}");

    let (_, submitted) = submit(
        &stack.api_url,
        "importer",
        "evenodd",
        "python3",
        "print('odd')",
    )
    .await;
    let events = follow(
        submitted["watch_url"].as_str().unwrap(),
        Duration::from_secs(120),
    )
    .await;
    assert_eq!(final_state(&events).verdict, Some(submission::Verdict::AC));
    stack.stop().await;
}
