//! The judge's services as release processes around a private Redis, and
//! waiting for the workers' warm pools to fill.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use testkit::redis_server::{free_port, RedisServer};

use super::workload::{problems_dir, repo_dir};

/// Directory of the release binaries (`api`, `judge-worker`, `ws-gateway`):
/// `BENCH_BIN_DIR`, else the directory of this executable.
pub fn bin_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("BENCH_BIN_DIR") {
        return PathBuf::from(dir);
    }
    std::env::current_exe()
        .ok()
        .and_then(|p| p.parent().map(Path::to_path_buf))
        .unwrap_or_else(|| PathBuf::from("target/release"))
}

/// A service process; killed (by its own pid) when dropped.
pub struct Proc {
    pub child: Child,
    pub log: PathBuf,
    /// For a worker: its name, whose sandboxes and idle pool are removed on
    /// drop, so one part's warm containers do not load the next part.
    pub worker_name: Option<String>,
}

impl Proc {
    pub fn spawn(binary: &str, args: &[String], log_dir: &Path) -> Result<Proc> {
        let path = bin_dir().join(binary);
        if !path.exists() {
            bail!(
                "{} is not built: run `cargo build --release --workspace` (scripts/bench.sh does)",
                path.display()
            );
        }
        let log = log_dir.join(format!("{binary}-{}.log", free_port()));
        let file = std::fs::File::create(&log)?;
        let child = Command::new(&path)
            .args(args)
            // Info logging costs a little; only kept logs are worth it.
            .env(
                "RUST_LOG",
                if std::env::var_os("BENCH_LOGS").is_some() {
                    "info"
                } else {
                    "warn"
                },
            )
            .env_remove("REDIS_URL")
            .stdin(Stdio::null())
            .stdout(file.try_clone()?)
            .stderr(file)
            .spawn()
            .with_context(|| format!("spawn {}", path.display()))?;
        Ok(Proc {
            child,
            log,
            worker_name: None,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Resident memory now (VmRSS), in KiB.
    pub fn rss_kb(&self) -> u64 {
        proc_status_kb(self.pid(), "VmRSS:")
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(name) = &self.worker_name {
            testkit::docker::remove_worker_containers(name);
        }
    }
}

pub fn proc_status_kb(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix(field))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

/// A private Redis and the judge's services as release processes.
pub struct Services {
    pub redis: RedisServer,
    pub api_url: String,
    pub gateway_url: String,
    pub api: Option<Proc>,
    pub gateway: Option<Proc>,
    pub workers: Vec<Proc>,
    pub dir: tempfile::TempDir,
}

impl Services {
    /// Redis, plus the API if `api`, the gateway if `gateway`, and `workers`
    /// workers (concurrency 1 each).
    pub async fn start(api: bool, gateway: bool, workers: usize) -> Result<Services> {
        Self::start_with(api, gateway, workers, &[]).await
    }

    /// As [`Services::start`], with extra worker arguments.
    pub async fn start_with(
        api: bool,
        gateway: bool,
        workers: usize,
        worker_args: &[&str],
    ) -> Result<Services> {
        Self::start_serving(&problems_dir(), api, gateway, workers, worker_args).await
    }

    /// As [`Services::start_with`], the API serving the packages in `problems`.
    pub async fn start_serving(
        problems: &Path,
        api: bool,
        gateway: bool,
        workers: usize,
        worker_args: &[&str],
    ) -> Result<Services> {
        let redis = RedisServer::start();
        // BENCH_LOGS=DIR keeps the services' logs (the worker's "sandbox
        // timings" lines break a submission's time down) in a directory
        // under DIR; otherwise they go with the run.
        let dir = match std::env::var_os("BENCH_LOGS") {
            Some(parent) => {
                std::fs::create_dir_all(&parent)?;
                let dir = tempfile::Builder::new()
                    .prefix("services-")
                    .disable_cleanup(true)
                    .tempdir_in(parent)?;
                eprintln!("service logs kept in {}", dir.path().display());
                dir
            }
            None => tempfile::tempdir()?,
        };
        let gateway_addr = format!("127.0.0.1:{}", free_port());
        let api_addr = format!("127.0.0.1:{}", free_port());
        let mut s = Services {
            api_url: format!("http://{api_addr}"),
            gateway_url: format!("ws://{gateway_addr}"),
            api: None,
            gateway: None,
            workers: Vec::new(),
            redis,
            dir,
        };
        if gateway {
            let args = [
                "--redis-url",
                &s.redis.url(),
                "--addr",
                &gateway_addr,
                "--auth",
                "open",
            ];
            s.gateway = Some(Proc::spawn("ws-gateway", &strings(&args), s.dir.path())?);
        }
        if api {
            let token_file = s.dir.path().join("admin-token");
            let web = repo_dir().join("web");
            let args = [
                "--redis-url",
                &s.redis.url(),
                "--addr",
                &api_addr,
                "--problems-dir",
                problems.to_str().unwrap(),
                "--gateway-url",
                &s.gateway_url,
                "--web-dir",
                web.to_str().unwrap(),
                "--admin-token-file",
                token_file.to_str().unwrap(),
                "--auth",
                "open",
            ];
            s.api = Some(Proc::spawn("api", &strings(&args), s.dir.path())?);
            s.wait_api().await?;
        }
        if gateway {
            wait_port(&gateway_addr).await?;
        }
        for n in 0..workers {
            let cache = s.dir.path().join(format!("cache-{n}"));
            let name = format!("bench-{}-{n}", std::process::id());
            let args = [
                "--redis-url",
                &s.redis.url(),
                "--worker-name",
                &name,
                "--cache-dir",
                cache.to_str().unwrap(),
            ];
            let mut args = strings(&args);
            // Concurrency 1 unless the caller sets it.
            if !worker_args.contains(&"--concurrency") {
                args.extend(strings(&["--concurrency", "1"]));
            }
            args.extend(strings(worker_args));
            let mut worker = Proc::spawn("judge-worker", &args, s.dir.path())?;
            worker.worker_name = Some(name);
            s.workers.push(worker);
        }
        Ok(s)
    }

    async fn wait_api(&self) -> Result<()> {
        let client = reqwest::Client::new();
        for _ in 0..300 {
            if let Ok(r) = client.get(format!("{}/healthz", self.api_url)).send().await {
                if r.status().is_success() {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let log = self
            .api
            .as_ref()
            .map(|p| std::fs::read_to_string(&p.log).unwrap_or_default())
            .unwrap_or_default();
        bail!(
            "the API at {} never became healthy; its log:\n{log}",
            self.api_url
        )
    }
}

async fn wait_port(addr: &str) -> Result<()> {
    for _ in 0..200 {
        if tokio::net::TcpStream::connect(addr).await.is_ok() {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    bail!("nothing listens on {addr}")
}

pub fn strings(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

/// Whether the worker binary has `--pool-size` (the warm container pool).
pub fn worker_has_pool() -> bool {
    Command::new(bin_dir().join("judge-worker"))
        .arg("--help")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).contains("--pool-size"))
        .unwrap_or(false)
}

/// Waits (at most 90 s) until the number of running containers has not
/// changed for 3 s: the workers' warm pools are filled before measuring.
pub async fn settle_containers() {
    let count = || {
        Command::new("docker")
            .args(["ps", "-q"])
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).lines().count())
            .unwrap_or(0)
    };
    let deadline = Instant::now() + Duration::from_secs(90);
    let (mut last, mut since) = (count(), Instant::now());
    while Instant::now() < deadline && since.elapsed() < Duration::from_secs(3) {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = count();
        if now != last {
            (last, since) = (now, Instant::now());
        }
    }
}
