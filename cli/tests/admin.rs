//! The built `judge` binary against an in-process API on a real Redis
//! (JUDGE_AUTH=required): login, admin commands, problem add / validate.

#[path = "../../api/tests/common/mod.rs"]
mod common;

use std::path::Path;
use std::process::Output;
use std::time::Duration;

use clap::Parser;
use common::RedisServer;
use tokio_util::sync::CancellationToken;

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const ADMIN: &str = "cli-admin-token";

struct Api {
    url: String,
    shutdown: CancellationToken,
    _dir: tempfile::TempDir,
}

async fn start_api(redis_url: &str) -> Api {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("problems")).unwrap();
    let config = api::Config::parse_from([
        "api",
        "--redis-url",
        redis_url,
        "--problems-dir",
        dir.path().join("problems").to_str().unwrap(),
        "--web-dir",
        dir.path().to_str().unwrap(),
        "--admin-token",
        ADMIN,
    ]);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let shutdown = CancellationToken::new();
    tokio::spawn(api::serve(config, listener, shutdown.clone()));
    let http = reqwest::Client::new();
    for _ in 0..100 {
        if let Ok(r) = http.get(format!("{url}/healthz")).send().await {
            if r.status().is_success() {
                break;
            }
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Api {
        url,
        shutdown,
        _dir: dir,
    }
}

/// Runs `judge` with a private config dir and, if given, JUDGE_TOKEN.
async fn judge(config: &Path, url: &str, token: Option<&str>, args: &[&str]) -> Output {
    let mut command = tokio::process::Command::new(JUDGE);
    command
        .args(args)
        .env("JUDGE_URL", url)
        .env("XDG_CONFIG_HOME", config)
        .env_remove("JUDGE_TOKEN")
        .env_remove("JUDGE_USER");
    if let Some(t) = token {
        command.env("JUDGE_TOKEN", t);
    }
    command.output().await.expect("run judge")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

fn good(root: &Path) {
    write(root, "problem.yaml", "name: Good\nlimits:\n  memory: 256\n");
    write(root, "data/secret/1.in", "1\n");
    write(root, "data/secret/1.ans", "1\n");
    write(root, "submissions/accepted/a.py", "print(input())\n");
}

fn broken(root: &Path) {
    write(root, "problem.yaml", "name: Broken\n");
    write(root, "data/sample/1.in", "1\n");
    write(root, "data/secret/2.in", "2\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn problem_add_reports_every_problem_and_exits_4() {
    let redis = RedisServer::start();
    let api = start_api(&redis.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let root = dir.path().join("broken");
    broken(&root);
    let root_arg = root.to_str().unwrap();

    // Not logged in: refused with a hint.
    let out = judge(&config, &api.url, None, &["problem", "add", root_arg]).await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("not logged in"),
        "{}",
        text(&out.stderr)
    );

    let out = judge(
        &config,
        &api.url,
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
    write(
        &bad_yaml,
        "problem.yaml",
        "name: x\nlimits:\n  memory: lots\n",
    );
    write(&bad_yaml, "data/secret/1.in", "1\n");
    write(&bad_yaml, "data/secret/1.ans", "1\n");
    let out = judge(
        &config,
        &api.url,
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
        &api.url,
        Some(ADMIN),
        &["admin", "user", "add", "bob"],
    )
    .await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let bob = text(&out.stdout).trim().to_string();
    assert_eq!(bob.len(), 64, "{bob}");
    let out = judge(&config, &api.url, Some(&bob), &["problem", "add", root_arg]).await;
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
    let api = start_api(&redis.url()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let good_dir = dir.path().join("good");
    good(&good_dir);
    let good_arg = good_dir.to_str().unwrap();

    let out = judge(&config, &api.url, None, &["login", "--token", ADMIN]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = config.join("judge/config.toml");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&saved).unwrap().permissions().mode() & 0o777,
        0o600
    );
    assert!(std::fs::read_to_string(&saved).unwrap().contains(ADMIN));

    // The saved token is used from now on.
    let out = judge(&config, &api.url, None, &["problem", "validate", good_arg]).await;
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

    let out = judge(&config, &api.url, None, &["problem", "add", good_arg]).await;
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
    let out = judge(&config, &api.url, None, &["problem", "good"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));

    let out = judge(&config, &api.url, None, &["rejudge", "--problem", "good"]).await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("0 submission(s) re-queued"),
        "{}",
        text(&out.stdout)
    );
    let out = judge(&config, &api.url, None, &["rejudge", "no-such-submission"]).await;
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
