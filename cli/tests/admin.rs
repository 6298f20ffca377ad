//! The built `judge` binary against an in-process API on a real Redis
//! (JUDGE_AUTH=required): login, admin commands, problem add / validate.

use std::path::Path;
use std::process::Output;

use testkit::cli::{text, Judge};
use testkit::http::{call, Req};
use testkit::{write_file, write_problem};
use testkit::{ApiServer, RedisServer};

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const ADMIN: &str = "cli-admin-token";

/// Runs `judge` with a private config dir and, if given, JUDGE_TOKEN.
async fn judge(config: &Path, url: &str, token: Option<&str>, args: &[&str]) -> Output {
    Judge::at(JUDGE)
        .args(args)
        .url(url)
        .config_dir(config)
        .token(token)
        .output()
        .await
}

fn good(root: &Path) {
    // With a time limit: without one, `judge problem add` first judges the
    // accepted submissions to derive it, which needs a worker (see
    // `tests/tests/verify.rs`).
    write_problem(
        root,
        "name: Good\nlimits:\n  time_limit: 1\n  memory: 256\n",
    );
    write_file(root, "submissions/accepted/a.py", "print(input())\n");
}

fn broken(root: &Path) {
    write_file(root, "problem.yaml", "name: Broken\n");
    write_file(root, "data/sample/1.in", "1\n");
    write_file(root, "data/secret/2.in", "2\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problem_add_reports_every_problem_and_exits_4() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let root = dir.path().join("broken");
    broken(&root);
    let root_arg = root.to_str().unwrap();

    // Not logged in: refused with a hint.
    let out = judge(&config, &api.base, None, &["problem", "add", root_arg]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not logged in"),
        "{}",
        text(&out.stderr)
    );

    let out = judge(
        &config,
        &api.base,
        Some(ADMIN),
        &["problem", "add", root_arg],
    )
    .await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("data/sample/1.in: has no answer file 1.ans"),
        "{stderr}"
    );
    assert!(
        stderr.contains("data/secret/2.in: has no answer file 2.ans"),
        "{stderr}"
    );

    // A bad problem.yaml line.
    let bad_yaml = dir.path().join("badyaml");
    write_problem(&bad_yaml, "name: x\nlimits:\n  memory: lots\n");
    let out = judge(
        &config,
        &api.base,
        Some(ADMIN),
        &["problem", "add", bad_yaml.to_str().unwrap()],
    )
    .await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stderr).contains("problem.yaml:3:"),
        "{}",
        text(&out.stderr)
    );

    // A user's token is not enough.
    let out = judge(
        &config,
        &api.base,
        Some(ADMIN),
        &["admin", "user", "add", "bob"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bob = text(&out.stdout).trim().to_string();
    assert_eq!(bob.len(), 64, "{bob}");
    let out = judge(
        &config,
        &api.base,
        Some(&bob),
        &["problem", "add", root_arg],
    )
    .await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stderr).contains("forbidden"),
        "{}",
        text(&out.stderr)
    );
    api.shutdown.cancel();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_then_add_validate_and_rejudge() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let good_dir = dir.path().join("good");
    good(&good_dir);
    let good_arg = good_dir.to_str().unwrap();

    let out = judge(&config, &api.base, None, &["login", "--token", ADMIN]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = config.join("judge/config.toml");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(std::fs::read_to_string(&saved).unwrap().contains(ADMIN));

    // The saved token is used from now on.
    let out = judge(&config, &api.base, None, &["problem", "validate", good_arg]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("local: problem good is valid"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("remote: problem good is valid"),
        "{}",
        text(&out.stdout)
    );

    let out = judge(&config, &api.base, None, &["problem", "add", good_arg]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("problem good: version "),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stdout).contains("new problem"),
        "{}",
        text(&out.stdout)
    );
    let out = judge(&config, &api.base, None, &["problem", "good"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    // --json prints each answer as the API sent it, keys sorted: the typed
    // reads lose and reorder nothing.
    for (args, path) in [
        (&["--json", "problems"][..], "/api/problems"),
        (&["--json", "problem", "good"][..], "/api/problems/good"),
        (&["--json", "languages"][..], "/api/languages"),
    ] {
        let out = judge(&config, &api.base, None, args).await;
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let sent = call(&api.base, "GET", path, Req::bearer(ADMIN)).await;
        assert_eq!(sent.status, 200, "{path}: {}", sent.body);
        let expected = format!("{}\n", serde_json::to_string_pretty(&sent.body).unwrap());
        assert_eq!(text(&out.stdout), expected, "{path}");
    }

    let out = judge(&config, &api.base, None, &["rejudge", "--problem", "good"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 submission(s) re-queued"),
        "{}",
        text(&out.stdout)
    );
    let out = judge(&config, &api.base, None, &["rejudge", "no-such-submission"]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    api.shutdown.cancel();
}

#[tokio::test]
async fn problem_validate_locally() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let good_dir = dir.path().join("good");
    good(&good_dir);
    let broken_dir = dir.path().join("broken");
    broken(&broken_dir);
    let nowhere = "http://127.0.0.1:9";

    let out = judge(
        &config,
        nowhere,
        None,
        &["problem", "validate", "--local", good_dir.to_str().unwrap()],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 tests"),
        "{}",
        text(&out.stdout)
    );

    let out = judge(
        &config,
        nowhere,
        None,
        &[
            "problem",
            "validate",
            "--local",
            broken_dir.to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(4));
    assert!(
        text(&out.stderr).contains("data/sample/1.in"),
        "{}",
        text(&out.stderr)
    );

    // Unreachable API: the local result decides, the remote check is skipped.
    let out = judge(
        &config,
        nowhere,
        None,
        &["problem", "validate", good_dir.to_str().unwrap()],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("remote check skipped"),
        "{}",
        text(&out.stderr)
    );

    let out = judge(
        &config,
        nowhere,
        None,
        &[
            "problem",
            "add",
            dir.path().join("missing").to_str().unwrap(),
        ],
    )
    .await;
    assert_eq!(out.status.code(), Some(2));
}
