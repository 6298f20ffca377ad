//! The web editor in a real browser: Debian's Chromium driven by Playwright
//! (tests/browser/*.test.mjs) against the whole stack: a new user's first
//! visit, sign-up and sign-in, a function problem solved in two languages
//! with its failing case's detail (accounts.test.mjs), submissions and Run
//! (editor.test.mjs), statements (statement.test.mjs), a contest (imported
//! with the admin token: register, submit from the contest page, the
//! scoreboard updating live, freeze and thaw; contest.test.mjs). The
//! page's pure logic runs in Node without the stack (`npm test` in web/,
//! web/test/*.test.mjs, which scripts/test.sh runs). Screenshots are kept
//! in tests/artifacts/. `JUDGE_BROWSER_TEST=accounts` runs only the test
//! files whose name contains that text.

use std::path::Path;

use clap::Parser;
use std::process::Command;

use judge_tests::{bundled_problems, Stack};
use tokio_util::sync::CancellationToken;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn the_web_editor_submits_and_shows_live_verdicts_in_chromium() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    assert!(
        root.join("web/dist/app.js").exists() && root.join("tests/browser/node_modules").exists(),
        "build the page and the browser test's packages first: scripts/build-web.sh and (cd tests/browser && npm ci); scripts/test.sh does both"
    );
    assert!(
        Path::new("/usr/bin/chromium").exists(),
        "Debian's chromium is needed: apt-get install chromium"
    );
    let stack = Stack::start(&bundled_problems(), 1).await;
    let url = stack.api_url.clone();
    // A real user token for the page's token check, made through the admin endpoint.
    let made: serde_json::Value = reqwest::Client::new()
        .post(format!("{url}/api/admin/users"))
        .bearer_auth(judge_tests::stack::ADMIN_TOKEN)
        .json(&serde_json::json!({"user_id": "browser-token-user"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = made["token"].as_str().expect("a user token").to_string();
    let required = CancellationToken::new();
    let required_url = signin_required_api(&stack, required.clone()).await;
    let files = browser_tests(&root, std::env::var("JUDGE_BROWSER_TEST").ok());
    let output = tokio::task::spawn_blocking(move || {
        Command::new("node")
            .args(["--test", "--test-concurrency=1"])
            .args(files)
            .current_dir(&root)
            .env("JUDGE_URL", url)
            .env("JUDGE_TEST_TOKEN", token)
            .env("JUDGE_ADMIN_TOKEN", judge_tests::stack::ADMIN_TOKEN)
            .env("JUDGE_URL_SIGNIN_REQUIRED", required_url)
            .output()
            .expect("node runs")
    })
    .await
    .unwrap();
    required.cancel();
    stack.stop().await;
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        output.status.success(),
        "the browser test failed:\n{report}"
    );
    assert!(report.contains("# fail 0"), "{report}");
}

/// The test files to run (paths from the repository's root): every
/// `tests/browser/*.test.mjs`, or those whose name contains `only`.
fn browser_tests(root: &Path, only: Option<String>) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(root.join("tests/browser"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".test.mjs"))
        .filter(|name| only.as_deref().is_none_or(|o| name.contains(o)))
        .map(|name| format!("tests/browser/{name}"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no browser test matches {only:?}");
    files
}

/// A second API on the stack's Redis that requires sign-in, as a judge
/// in production does (the stack's own is open): a first visit there must
/// show no error either. Returns its `http://` URL.
async fn signin_required_api(stack: &Stack, shutdown: CancellationToken) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let problems = bundled_problems();
    let config = api::Config::parse_from([
        "api",
        "--redis-url",
        &stack.redis.url(),
        "--problems-dir",
        problems.to_str().unwrap(),
        "--gateway-url",
        &stack.gateway_url,
        "--web-dir",
        concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist"),
        "--auth",
        "required",
        "--admin-token",
        judge_tests::stack::ADMIN_TOKEN,
    ]);
    tokio::spawn(api::serve(config, listener, shutdown));
    for _ in 0..200 {
        if let Ok(r) = reqwest::get(format!("{url}/healthz")).await {
            if r.status().is_success() {
                return url;
            }
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("the sign-in-required API at {url} never became healthy");
}
