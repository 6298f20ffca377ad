//! The built `judge` binary against the whole stack: it submits, follows the
//! verdict live and exits with the code its documentation promises.

use judge_tests::{bundled_problems, Stack};
use testkit::cli::judge;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn judge_submit_follows_real_verdicts_and_exits_by_them() {
    let stack = Stack::start(&bundled_problems(), 1).await;
    let api = stack.api_url.as_str();
    let problems = bundled_problems();
    let file = |p: &str| problems.join(p).to_str().unwrap().to_string();
    let accepted = file("aplusb/submissions/accepted/long_long.cpp");
    let wrong = file("circle/submissions/wrong_answer/round_two.py");
    let broken = std::env::temp_dir().join(format!("judge-cli-ce-{}.cpp", std::process::id()));
    std::fs::write(&broken, "int main() { return undeclared; }").unwrap();
    let broken = broken.to_str().unwrap().to_string();

    let ac_args = [
        "--user",
        "cli-a",
        "submit",
        &accepted,
        "--problem",
        "aplusb",
    ];
    let wa_args = ["--user", "cli-b", "submit", &wrong, "--problem", "circle"];
    let ce_args = ["--user", "cli-c", "submit", &broken, "--problem", "hello"];
    let json_args = [
        "--user",
        "cli-d",
        "--json",
        "submit",
        &accepted,
        "--problem",
        "aplusb",
    ];
    let ((ac, ac_out, ac_err), (wa, wa_out, _), (ce, ce_out, _), (json_code, json_out, _)) = tokio::join!(
        judge(api, &ac_args),
        judge(api, &wa_args),
        judge(api, &ce_args),
        judge(api, &json_args),
    );
    assert_eq!(ac, 0, "{ac_out}{ac_err}");
    assert!(ac_out.contains("Accepted"), "{ac_out}");
    assert_eq!(
        ac_out.matches('✓').count(),
        9,
        "a line per test and the verdict line:\n{ac_out}"
    );
    assert_eq!(wa, 1, "{wa_out}");
    assert!(wa_out.contains("Wrong Answer"), "{wa_out}");
    assert_eq!(ce, 3, "{ce_out}");
    assert!(
        ce_out.contains("undeclared"),
        "the compiler output is shown:\n{ce_out}"
    );
    assert_eq!(json_code, 0);
    let state: serde_json::Value =
        serde_json::from_str(&json_out).expect("--json prints the final state only");
    assert_eq!(state["verdict"], "AC");

    let (code, _, err) = judge(
        api,
        &[
            "--user",
            "cli-e",
            "submit",
            &accepted,
            "--problem",
            "nosuch",
        ],
    )
    .await;
    assert_eq!(code, 4, "{err}");
    assert!(err.contains("unknown problem"), "{err}");
    let id = state["id"].as_str().unwrap();
    let (code, out, _) = judge(api, &["--user", "cli-d", "status", id]).await;
    assert_eq!(code, 0);
    assert!(out.contains("Accepted"), "{out}");
    stack.stop().await;
}
