//! The API in-process, configured from the command line as deployed
//! (`JUDGE_AUTH=required`, the default), on a free port, with empty problems
//! and web directories: what the API's and the CLI's tests talk to.
//!
//! This crate depends on no service, so the caller hands in the API's
//! `serve` (`ApiServer::start(api::serve, ...)`): the flags are parsed into
//! its config type, and it is run on a task of its own. A test that needs
//! more (problems, web pages, a config value changed) uses
//! [`ApiServer::builder`].

use std::future::Future;
use std::path::{Path, PathBuf};
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

/// What a directory of the API gets before it starts.
type Fill<'a> = Box<dyn FnOnce(&Path) + 'a>;

/// A change to the parsed config.
type Change<'a, C> = Box<dyn FnOnce(&mut C) + 'a>;

/// An [`ApiServer`] to start: flags, the problems and web directories'
/// contents, and a change to the parsed config. From [`ApiServer::builder`].
pub struct ApiBuilder<'a, C, S> {
    serve: S,
    redis_url: &'a str,
    admin_token: &'a str,
    flags: Vec<&'a str>,
    problems: Option<Fill<'a>>,
    web: Option<Fill<'a>>,
    configure: Option<Change<'a, C>>,
}

impl<'a, C, S, F> ApiBuilder<'a, C, S>
where
    C: clap::Parser,
    S: FnOnce(C, TcpListener, CancellationToken) -> F,
    F: Future<Output = anyhow::Result<()>> + Send + 'static,
{
    /// More command-line flags (`--auth open` also skips the check that
    /// sign-in is required).
    pub fn flags(mut self, flags: &[&'a str]) -> Self {
        self.flags.extend_from_slice(flags);
        self
    }

    /// The problem packages `write` puts into the problems directory (a
    /// folder each): the API loads and stores them before it answers
    /// `/healthz`.
    pub fn problems(mut self, write: impl FnOnce(&Path) + 'a) -> Self {
        self.problems = Some(Box::new(write));
        self
    }

    /// The pages `write` puts into the web directory the API serves at `/`.
    pub fn web(mut self, write: impl FnOnce(&Path) + 'a) -> Self {
        self.web = Some(Box::new(write));
        self
    }

    /// Changes the config after the flags are parsed, for what a test sets
    /// as a typed value rather than as text. Sign-in is checked as the
    /// flags say: set `--auth` by [`ApiBuilder::flags`].
    pub fn configure(mut self, change: impl FnOnce(&mut C) + 'a) -> Self {
        self.configure = Some(Box::new(change));
        self
    }

    /// Starts the API and waits (up to 5 s) until `/healthz` answers 200.
    pub async fn start(self) -> ApiServer {
        let dir = tempfile::tempdir().unwrap();
        let problems = dir.path().join("problems");
        let web = dir.path().join("web");
        std::fs::create_dir(&problems).unwrap();
        std::fs::create_dir(&web).unwrap();
        if let Some(write) = self.problems {
            write(&problems);
        }
        if let Some(write) = self.web {
            write(&web);
        }
        let mut args = vec![
            "api",
            "--redis-url",
            self.redis_url,
            "--problems-dir",
            problems.to_str().unwrap(),
            "--web-dir",
            web.to_str().unwrap(),
            "--admin-token",
            self.admin_token,
            // No worker runs in these tests to compile validators.
            "--validator-check-secs",
            "0",
        ];
        args.extend_from_slice(&self.flags);
        let mut config = C::parse_from(args);
        if let Some(change) = self.configure {
            change(&mut config);
        }
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let shutdown = CancellationToken::new();
        let task = tokio::spawn((self.serve)(config, listener, shutdown.clone()));
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
        // as it is by default (unless the flags set `--auth`).
        if !self.flags.contains(&"--auth") {
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
}

impl ApiServer {
    /// An API to start with `serve` on `redis_url`, `admin_token` its admin
    /// token; add flags, problems, web pages or a config change, then
    /// [`ApiBuilder::start`].
    pub fn builder<'a, C, S, F>(
        serve: S,
        redis_url: &'a str,
        admin_token: &'a str,
    ) -> ApiBuilder<'a, C, S>
    where
        C: clap::Parser,
        S: FnOnce(C, TcpListener, CancellationToken) -> F,
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        ApiBuilder {
            serve,
            redis_url,
            admin_token,
            flags: Vec::new(),
            problems: None,
            web: None,
            configure: None,
        }
    }

    /// Starts the API and waits (up to 5 s) until `/healthz` answers 200.
    pub async fn start<C, S, F>(serve: S, redis_url: &str, admin_token: &str) -> ApiServer
    where
        C: clap::Parser,
        S: FnOnce(C, TcpListener, CancellationToken) -> F,
        F: Future<Output = anyhow::Result<()>> + Send + 'static,
    {
        Self::builder(serve, redis_url, admin_token).start().await
    }

    /// The problems directory the API loaded at start.
    pub fn problems_dir(&self) -> PathBuf {
        self._dir.path().join("problems")
    }

    /// Cancels the API and waits up to 10 s for it to stop.
    pub async fn stop(self) {
        self.shutdown.cancel();
        let _ = tokio::time::timeout(Duration::from_secs(10), self.task).await;
    }

    /// As [`ApiServer::stop`], and asserts that it did stop in time and
    /// that `serve` returned no error: a shutdown is part of what is tested.
    pub async fn stop_cleanly(self) {
        self.shutdown.cancel();
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("api stops")
            .unwrap()
            .unwrap();
    }
}
