//! Support shared by the API's tests and the CLI's (`cli/tests/admin.rs`
//! includes this file): a private Redis, and the API in-process as deployed.

// Each test file that includes this module uses only part of it.
#![allow(dead_code)]

use std::time::Duration;

use clap::Parser;
use tokio_util::sync::CancellationToken;

pub use testkit::RedisServer;

/// The API in-process, configured from the command line as deployed
/// (`JUDGE_AUTH=required`, the default), on a free port, with empty problems
/// and web directories.
pub struct ApiServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl ApiServer {
    /// Starts the API and waits (up to 5 s) until `/healthz` answers 200.
    pub async fn start(redis_url: &str, admin_token: &str) -> ApiServer {
        Self::start_with(redis_url, admin_token, &[]).await
    }

    /// As [`ApiServer::start`], with more command-line flags.
    pub async fn start_with(redis_url: &str, admin_token: &str, extra: &[&str]) -> ApiServer {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("problems")).unwrap();
        std::fs::create_dir(dir.path().join("web")).unwrap();
        let problems = dir.path().join("problems");
        let web = dir.path().join("web");
        let mut args = vec![
            "api",
            "--redis-url",
            redis_url,
            "--problems-dir",
            problems.to_str().unwrap(),
            "--web-dir",
            web.to_str().unwrap(),
            "--admin-token",
            admin_token,
            // No worker runs in these tests to compile validators.
            "--validator-check-secs",
            "0",
        ];
        args.extend_from_slice(extra);
        let config = api::Config::parse_from(args);
        assert_eq!(
            config.auth,
            api::AuthMode::Required,
            "required is the default"
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(api::serve(config, listener, shutdown.clone()));
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/healthz")).send().await {
                if r.status() == 200 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        ApiServer {
            base,
            shutdown,
            task,
            _dir: dir,
        }
    }

    /// Cancels the API and waits up to 10 s for it to stop.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }
}
