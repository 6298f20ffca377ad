//! What every part shares: the services as processes, submitting and
//! following, statistics and the result table.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};
use futures_util::StreamExt;
use serde_json::json;
use submission::{Event, SubmissionState};
use testkit::redis_server::{free_port, RedisServer};
use tokio_tungstenite::tungstenite::Message;

/// The benchmark problem (Kattis layout), 20 secret test cases.
pub const PROBLEM: &str = "benchsum";

pub fn problems_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("problems")
}

pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A language the benchmark submits in, with its accepted solution.
#[derive(Clone, Copy, Debug)]
pub struct Lang {
    pub id: &'static str,
    pub label: &'static str,
    pub file: &'static str,
}

pub const LANGS: [Lang; 2] = [
    Lang {
        id: "python3",
        label: "Python 3 (PyPy)",
        file: "sum.py",
    },
    Lang {
        id: "cpp",
        label: "C++17",
        file: "sum.cpp",
    },
];

/// The same Python solution judged by CPython (`cpython3`), which starts
/// far faster than PyPy: the short Python submission of the throughput
/// part, where the judge's own costs weigh most.
pub const CPYTHON: Lang = Lang {
    id: "cpython3",
    label: "Python 3 (CPython)",
    file: "sum.py",
};

impl Lang {
    pub fn code(&self) -> String {
        let path = problems_dir()
            .join(PROBLEM)
            .join("submissions/accepted")
            .join(self.file);
        std::fs::read_to_string(&path).expect("bench solution")
    }
    pub fn spec(&self) -> &'static problem_package::language::Language {
        problem_package::language::by_id(self.id).expect("known language")
    }
}

/// The test cases of the benchmark problem: (name, input, answer), sorted.
pub fn test_cases() -> Vec<(String, PathBuf, String)> {
    let dir = problems_dir().join(PROBLEM).join("data/secret");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("bench problem data")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter_map(|n| n.strip_suffix(".in").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let ans = std::fs::read_to_string(dir.join(format!("{n}.ans"))).unwrap();
            (n.clone(), dir.join(format!("{n}.in")), ans)
        })
        .collect()
}

/// Whitespace-separated tokens equal: the default validator's rule for this problem.
pub fn same_tokens(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}

// ---- services ----

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
            let problems = problems_dir();
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

// ---- client ----

/// POSTs a submission; returns its id.
pub async fn submit(
    client: &reqwest::Client,
    api_url: &str,
    user: &str,
    lang: &str,
    code: &str,
) -> Result<String> {
    let response = client
        .post(format!("{api_url}/api/submissions"))
        .json(&json!({"user_id": user, "problem_id": PROBLEM, "language": lang, "code": code}))
        .send()
        .await?;
    let status = response.status();
    let body: serde_json::Value = response.json().await?;
    if status.as_u16() != 202 {
        bail!("submission refused: {status} {body}");
    }
    Ok(body["id"].as_str().context("no id")?.to_string())
}

/// Follows a submission over the gateway until its final state.
pub async fn follow(gateway_url: &str, id: &str, within: Duration) -> Result<SubmissionState> {
    let url = format!("{gateway_url}/ws/submissions/{id}");
    let run = async {
        let (mut socket, _) = tokio_tungstenite::connect_async(&url).await?;
        while let Some(message) = socket.next().await {
            let Message::Text(text) = message? else {
                continue;
            };
            let event: Event =
                serde_json::from_str(&text).with_context(|| format!("not an event: {text}"))?;
            if event.state.is_final() {
                return Ok(event.state);
            }
        }
        bail!("the gateway closed {url} before a final state")
    };
    tokio::time::timeout(within, run)
        .await
        .with_context(|| format!("no final state for {id} within {within:?}"))?
}

/// Submits and follows; returns the final state and the client-observed time
/// from just before the POST to the final event.
pub async fn judge_once(
    client: &reqwest::Client,
    s: &Services,
    lang: &Lang,
    code: &str,
) -> Result<(SubmissionState, Duration)> {
    let started = Instant::now();
    let id = submit(client, &s.api_url, "bench", lang.id, code).await?;
    let state = follow(&s.gateway_url, &id, Duration::from_secs(120)).await?;
    let elapsed = started.elapsed();
    if state.verdict != Some(submission::Verdict::AC) {
        bail!(
            "{} submission {id} ended {:?}: {:?}",
            lang.label,
            state.verdict,
            state.message
        );
    }
    Ok((state, elapsed))
}

// ---- statistics ----

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Nearest-rank percentile (`p` in 0..=100) of unsorted values.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    let mut v = values.to_vec();
    v.sort_by(|a, b| a.total_cmp(b));
    let rank = ((p / 100.0) * v.len() as f64).ceil() as usize;
    v[rank.clamp(1, v.len()) - 1]
}

pub fn median(values: &[f64]) -> f64 {
    percentile(values, 50.0)
}

// ---- the table ----

/// One line of the result table.
#[derive(Clone, Debug)]
pub struct Row {
    pub part: String,
    pub metric: String,
    pub ours: String,
    pub baseline: String,
    pub ratio: String,
    pub note: String,
}

pub fn row(
    part: &str,
    metric: &str,
    ours: String,
    baseline: String,
    ratio: String,
    note: &str,
) -> Row {
    Row {
        part: part.into(),
        metric: metric.into(),
        ours,
        baseline,
        ratio,
        note: note.into(),
    }
}

pub fn print_table(rows: &[Row]) {
    let heads = ["part", "metric", "ours", "baseline", "ratio", "note"];
    let cells: Vec<[&str; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.part.as_str(),
                r.metric.as_str(),
                r.ours.as_str(),
                r.baseline.as_str(),
                r.ratio.as_str(),
                r.note.as_str(),
            ]
        })
        .collect();
    let mut widths = heads.map(str::len);
    for c in &cells {
        for (i, cell) in c.iter().enumerate() {
            widths[i] = widths[i].max(cell.chars().count());
        }
    }
    let line = |c: [&str; 6]| {
        let mut out = String::new();
        for (i, cell) in c.iter().enumerate() {
            out.push_str(&format!("{:<w$}  ", cell, w = widths[i]));
        }
        println!("{}", out.trim_end());
    };
    println!();
    line(heads);
    println!("{}", "-".repeat(widths.iter().sum::<usize>() + 10));
    for c in cells {
        line(c);
    }
}

pub fn markdown_table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| part | metric | ours | baseline | ratio | note |\n|---|---|---|---|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} |\n",
            r.part,
            r.metric,
            r.ours,
            r.baseline,
            r.ratio,
            r.note.replace('|', "\\|")
        ));
    }
    out
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
