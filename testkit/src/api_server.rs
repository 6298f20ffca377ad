//! The API in-process, configured from the command line as deployed
//! (`JUDGE_AUTH=required`, the default), on a free port, with empty problems
//! and web directories: what the API's and the CLI's tests talk to.
//!
//! This crate depends on no service, so the caller hands in the API's
//! `serve` (`ApiServer::start(api::serve, ...)`): the flags are parsed into
//! its config type, and it is run on a task of its own.

use std::future::Future;
use std::path::Path;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

pub struct ApiServer {
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    pub shutdown: CancellationToken,
    pub task: tokio::task::JoinHandle<anyhow::Result<()>>,
    _dir: tempfile::TempDir,
}

impl ApiServer {
    /// Starts the API and waits (up to 5 s) until `/healthz` answers 200.
    pub async fn start<C, S, F>(serve: S, redis_url: &str, admin_token: &str) -> ApiServer
    where
        C: clap::Parser,
        S: FnOnce(C, TcpListener, CancellationToken) -> F,
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Self::start_with(serve, redis_url, admin_token, &[]).await
    }

    /// As [`ApiServer::start`], with more command-line flags.
    pub async fn start_with<C, S, F>(
        serve: S,
        redis_url: &str,
        admin_token: &str,
        extra: &[&str],
    ) -> ApiServer
    where
        C: clap::Parser,
        S: FnOnce(C, TcpListener, CancellationToken) -> F,
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Self::start_with_problems(serve, redis_url, admin_token, extra, |_| {}).await
    }

    /// As [`ApiServer::start_with`], with the problem packages `problems`
    /// writes into the problems directory (a folder each) before the API
    /// starts: it loads and stores them before it answers `/healthz`.
    pub async fn start_with_problems<C, S, F>(
        serve: S,
        redis_url: &str,
        admin_token: &str,
        extra: &[&str],
        problems: impl FnOnce(&Path),
    ) -> ApiServer
    where
        C: clap::Parser,
        S: FnOnce(C, TcpListener, CancellationToken) -> F,
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("problems")).unwrap();
        std::fs::create_dir(dir.path().join("web")).unwrap();
        problems(&dir.path().join("problems"));
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
        let config = C::parse_from(args);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn(serve(config, listener, shutdown.clone()));
        let http = reqwest::Client::new();
        for _ in 0..100 {
            if let Ok(r) = http.get(format!("{base}/healthz")).send().await {
                if r.status() == 200 {
                    break;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        // Without credentials, who-am-I is refused: sign-in is required,
        // as it is by default (unless `extra` sets `--auth`).
        if !extra.contains(&"--auth") {
            let me = http.get(format!("{base}/api/me")).send().await.unwrap();
            assert_eq!(me.status(), 401, "required is the default");
        }
        ApiServer {
            base,
            shutdown,
            task,
            _dir: dir,
        }
    }

    /// The problems directory the API loaded at start.
    pub fn problems_dir(&self) -> std::path::PathBuf {
        self._dir.path().join("problems")
    }

    /// Cancels the API and waits up to 10 s for it to stop.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }
}
