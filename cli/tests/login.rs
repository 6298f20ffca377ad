//! `judge login` with a piped password and `judge logout`, the built binary
//! against an in-process API on a real Redis (JUDGE_AUTH=required).

use std::path::Path;
use std::process::Output;

use testkit::cli::{text, Judge};
use testkit::{ApiServer, RedisServer};

const JUDGE: &str = env!("CARGO_BIN_EXE_judge");
const ADMIN: &str = "cli-admin-token";

/// Runs `judge` with a private config dir, `stdin` piped in.
async fn judge(config: &Path, url: &str, args: &[&str], stdin: &str) -> Output {
    Judge::at(JUDGE)
        .args(args)
        .url(url)
        .config_dir(config)
        .output_with_stdin(stdin)
        .await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_with_a_piped_password_saves_a_working_token_and_logout_forgets_it() {
    let redis = RedisServer::start();
    let api = ApiServer::start(api::serve, &redis.url(), ADMIN).await;
    let http = reqwest::Client::new();
    let signup = http
        .post(format!("{}/api/auth/signup", api.base))
        .json(&serde_json::json!({ "username": "lena", "password": "correct horse" }))
        .send()
        .await
        .unwrap();
    assert_eq!(signup.status(), 201);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    let login = ["login", "--username", "lena", "--password-stdin"];

    let out = judge(&config, &api.base, &login, "wrong horse\n").await;
    assert_eq!(out.status.code(), Some(4), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("wrong user name or password"),
        "{}",
        text(&out.stderr)
    );
    assert!(!config.join("judge/config.toml").exists());

    let out = judge(&config, &api.base, &["login", "--password-stdin"], "x\n").await;
    assert_eq!(
        out.status.code(),
        Some(2),
        "needs --username: {}",
        text(&out.stderr)
    );

    let out = judge(&config, &api.base, &login, "correct horse\n").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("logged in as lena"),
        "{}",
        text(&out.stderr)
    );
    let saved = std::fs::read_to_string(config.join("judge/config.toml")).unwrap();
    let token = saved
        .lines()
        .find_map(|l| l.strip_prefix("token = "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(config.join("judge/config.toml"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
    let me: serde_json::Value = http
        .get(format!("{}/api/me", api.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["user_id"], "lena");

    let out = judge(&config, &api.base, &["logout"], "").await;
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let saved = std::fs::read_to_string(config.join("judge/config.toml")).unwrap();
    assert!(!saved.contains("token"), "{saved}");
    let me = http
        .get(format!("{}/api/me", api.base))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 401, "the token is revoked");
    let out = judge(&config, &api.base, &["logout"], "").await;
    assert!(
        text(&out.stderr).contains("not logged in"),
        "{}",
        text(&out.stderr)
    );
    api.stop().await;
}
