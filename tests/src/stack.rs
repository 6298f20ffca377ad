//! The whole judge in one test process: a private Redis, the API and the
//! gateway on port 0, and workers, all on the real Docker daemon.

use std::path::Path;
use std::time::Duration;

use clap::Parser;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use testkit::{bundled_problems, RedisServer};

/// The admin token of every test stack's API.
pub const ADMIN_TOKEN: &str = "e2e-admin-token";

pub struct Stack {
    pub redis: RedisServer,
    /// `http://127.0.0.1:PORT`
    pub api_url: String,
    /// `ws://127.0.0.1:PORT`
    pub gateway_url: String,
    pub cache_dir: tempfile::TempDir,
    shutdown: CancellationToken,
    workers: Vec<(CancellationToken, JoinHandle<anyhow::Result<()>>)>,
    /// Consumer names of the in-process workers, whose containers are removed on drop.
    worker_names: Vec<String>,
    services: Vec<JoinHandle<anyhow::Result<()>>>,
}

/// A problems directory holding only a copy of the bundled `aplusb` with a
/// time limit of `secs` seconds: this 2-core machine is shared by other
/// tests, and a verdict must not depend on their load.
pub fn aplusb_with_time_limit(secs: u32) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(bundled_problems().join("aplusb"))
        .arg(dir.path())
        .status()
        .unwrap();
    assert!(status.success());
    let yaml = dir.path().join("aplusb/problem.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    assert!(text.contains("time_limit: 1\n"), "{text}");
    std::fs::write(
        &yaml,
        text.replace("time_limit: 1\n", &format!("time_limit: {secs}\n")),
    )
    .unwrap();
    dir
}

impl Stack {
    /// Starts Redis, the API (loading `problems_dir`), one gateway and `workers` workers.
    pub async fn start(problems_dir: &Path, workers: usize) -> Stack {
        let redis = RedisServer::start();
        Self::start_on(redis, problems_dir, workers).await
    }

    pub async fn start_on(redis: RedisServer, problems_dir: &Path, workers: usize) -> Stack {
        Self::start_with_api(redis, problems_dir, workers, &[]).await
    }

    /// As [`Stack::start_on`], with `api_extra` flags for the API
    /// (`--check-lease-secs 2` is `JUDGE_CHECK_LEASE_SECS=2`, without
    /// changing this process's environment).
    pub async fn start_with_api(
        redis: RedisServer,
        problems_dir: &Path,
        workers: usize,
        api_extra: &[&str],
    ) -> Stack {
        let shutdown = CancellationToken::new();
        let gateway_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let gateway_url = format!("ws://{}", gateway_listener.local_addr().unwrap());
        let api_listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api_url = format!("http://{}", api_listener.local_addr().unwrap());

        // JUDGE_AUTH=open (insecure, tests only): submissions carry user_id, no token.
        let gateway_config = ws_gateway::Config::parse_from([
            "ws-gateway",
            "--redis-url",
            &redis.url(),
            "--auth",
            "open",
        ]);
        let redis_url = redis.url();
        let mut api_args = vec![
            "api",
            "--redis-url",
            &redis_url,
            "--problems-dir",
            problems_dir.to_str().unwrap(),
            "--gateway-url",
            &gateway_url,
            "--web-dir",
            concat!(env!("CARGO_MANIFEST_DIR"), "/../web/dist"),
            "--auth",
            "open",
            "--admin-token",
            ADMIN_TOKEN,
        ];
        api_args.extend_from_slice(api_extra);
        let api_config = api::Config::parse_from(api_args);
        let services = vec![
            tokio::spawn(ws_gateway::serve(
                gateway_config,
                gateway_listener,
                shutdown.clone(),
            )),
            tokio::spawn(api::serve(api_config, api_listener, shutdown.clone())),
        ];
        let mut stack = Stack {
            redis,
            api_url,
            gateway_url,
            cache_dir: tempfile::tempdir().unwrap(),
            shutdown,
            workers: Vec::new(),
            worker_names: Vec::new(),
            services,
        };
        stack.wait_healthy().await;
        for _ in 0..workers {
            stack.add_worker();
        }
        stack
    }

    /// Starts one more in-process worker with a fresh consumer name.
    pub fn add_worker(&mut self) {
        self.add_worker_with(&[]);
    }

    /// Starts one more in-process worker with `extra` flags (each setting
    /// has a flag and an environment variable: `--languages python3` is
    /// `JUDGE_WORKER_LANGUAGES=python3`, without changing this process's
    /// environment); returns its consumer name.
    pub fn add_worker_with(&mut self, extra: &[&str]) -> String {
        let name = format!("test-worker-{}-{}", std::process::id(), uuid_like());
        let redis_url = self.redis.url();
        let mut args = vec![
            "judge-worker",
            "--redis-url",
            &redis_url,
            "--worker-name",
            &name,
            "--cache-dir",
            self.cache_dir.path().to_str().unwrap(),
            "--concurrency",
            "2",
        ];
        args.extend_from_slice(extra);
        let config = judge_worker::Config::parse_from(args);
        let token = self.shutdown.child_token();
        let handle = tokio::spawn(judge_worker::run(config, token.clone()));
        self.workers.push((token, handle));
        self.worker_names.push(name.clone());
        name
    }

    /// Starts one more gateway on the same Redis and returns its `ws://` URL.
    pub async fn add_gateway(&mut self) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("ws://{}", listener.local_addr().unwrap());
        let config = ws_gateway::Config::parse_from([
            "ws-gateway",
            "--redis-url",
            &self.redis.url(),
            "--auth",
            "open",
        ]);
        self.services.push(tokio::spawn(ws_gateway::serve(
            config,
            listener,
            self.shutdown.clone(),
        )));
        url
    }

    async fn wait_healthy(&self) {
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if let Ok(response) = client.get(format!("{}/healthz", self.api_url)).send().await {
                if response.status().is_success() {
                    return;
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("the API at {} never became healthy", self.api_url);
    }

    /// Stops every service and waits for them to return.
    pub async fn stop(mut self) {
        self.shutdown.cancel();
        for (_, handle) in std::mem::take(&mut self.workers) {
            let _ = tokio::time::timeout(Duration::from_secs(60), handle).await;
        }
        for handle in std::mem::take(&mut self.services) {
            let _ = tokio::time::timeout(Duration::from_secs(10), handle).await;
        }
    }
}

impl Drop for Stack {
    /// A test that fails before [`Stack::stop`] must not leave its workers'
    /// sandboxes or idle pools behind on the host.
    fn drop(&mut self) {
        self.shutdown.cancel();
        for name in &self.worker_names {
            testkit::remove_worker_containers(name);
        }
    }
}

fn uuid_like() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(0);
    format!("{}", NEXT.fetch_add(1, Ordering::Relaxed))
}
