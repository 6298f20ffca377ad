//! A Redis Sentinel deployment on free ports: a primary, one replica and
//! three sentinels (Debian's `redis-sentinel`), each with its own temporary
//! directory, killed when dropped. Timeouts are short (a primary is judged
//! down after 1 s, a failover may take 5 s) so failover tests stay bounded.

use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use crate::redis_server::{free_port, RedisServer};

pub struct SentinelSet {
    pub master_name: String,
    pub primary: RedisServer,
    pub replica: RedisServer,
    pub sentinels: Vec<Sentinel>,
}

pub struct Sentinel {
    pub port: u16,
    child: Child,
    dir: tempfile::TempDir,
}

impl SentinelSet {
    /// Starts everything and waits until the replica is in sync and every
    /// sentinel knows the replica and the two other sentinels (without which
    /// no failover can be agreed on).
    pub fn start(master_name: &str) -> SentinelSet {
        let primary = RedisServer::start_with(&["--save", "", "--appendonly", "no"]);
        let replica = RedisServer::start_with(&[
            "--save",
            "",
            "--appendonly",
            "no",
            "--replicaof",
            "127.0.0.1",
            &primary.port.to_string(),
        ]);
        let sentinels = (0..3)
            .map(|_| Sentinel::start(master_name, primary.port))
            .collect();
        let set = SentinelSet {
            master_name: master_name.to_string(),
            primary,
            replica,
            sentinels,
        };
        set.wait_ready(Duration::from_secs(30));
        set
    }

    /// `redis+sentinel://127.0.0.1:a,127.0.0.1:b,127.0.0.1:c/<master>`: the
    /// `REDIS_URL` of a service behind these sentinels.
    pub fn url(&self) -> String {
        let hosts: Vec<String> = self
            .sentinels
            .iter()
            .map(|s| format!("127.0.0.1:{}", s.port))
            .collect();
        format!("redis+sentinel://{}/{}", hosts.join(","), self.master_name)
    }

    /// `host:port,host:port,...`, as `REDIS_SENTINELS` takes them.
    pub fn addresses(&self) -> String {
        self.sentinels
            .iter()
            .map(|s| format!("127.0.0.1:{}", s.port))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The primary's port as the first sentinel that answers names it.
    pub fn master_port(&self) -> Option<u16> {
        let ports: Vec<u16> = self.sentinels.iter().map(|s| s.port).collect();
        master_port(&ports, &self.master_name)
    }

    /// Measures a failover from now on, in a thread of its own (so the
    /// caller can keep loading the system): how long until the sentinels
    /// name a primary other than `old_port`, or `None` after `within`.
    pub fn watch_failover(
        &self,
        old_port: u16,
        within: Duration,
    ) -> std::thread::JoinHandle<Option<(Duration, u16)>> {
        let ports: Vec<u16> = self.sentinels.iter().map(|s| s.port).collect();
        let name = self.master_name.clone();
        let started = Instant::now();
        std::thread::spawn(move || {
            while started.elapsed() < within {
                if let Some(port) = master_port(&ports, &name).filter(|p| *p != old_port) {
                    return Some((started.elapsed(), port));
                }
                std::thread::sleep(Duration::from_millis(50));
            }
            None
        })
    }

    fn wait_ready(&self, within: Duration) {
        let deadline = Instant::now() + within;
        loop {
            let synced = cli(self.replica.port, &["INFO", "replication"])
                .is_some_and(|info| info.contains("master_link_status:up"));
            let known = self.sentinels.iter().all(|s| {
                let replicas = cli(s.port, &["SENTINEL", "replicas", &self.master_name])
                    .map(|o| o.lines().filter(|l| l.trim() == "name").count())
                    .unwrap_or(0);
                let peers = cli(s.port, &["SENTINEL", "sentinels", &self.master_name])
                    .map(|o| o.lines().filter(|l| l.trim() == "name").count())
                    .unwrap_or(0);
                replicas >= 1 && peers >= 2
            });
            if synced && known {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the sentinels did not see the replica and each other within {within:?}"
            );
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Sentinel {
    fn start(master_name: &str, primary_port: u16) -> Sentinel {
        let dir = tempfile::tempdir().expect("temp dir for a sentinel");
        let port = free_port();
        // Sentinel rewrites its configuration file, so it must be its own.
        let config: PathBuf = dir.path().join("sentinel.conf");
        std::fs::write(
            &config,
            format!(
                "port {port}\nbind 127.0.0.1\ndir {dir}\nlogfile {dir}/sentinel.log\n\
                 sentinel monitor {master_name} 127.0.0.1 {primary_port} 2\n\
                 sentinel down-after-milliseconds {master_name} 1000\n\
                 sentinel failover-timeout {master_name} 5000\n\
                 sentinel parallel-syncs {master_name} 1\n",
                dir = dir.path().display()
            ),
        )
        .unwrap();
        let child = Command::new("redis-sentinel")
            .arg(&config)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("redis-sentinel must be installed (scripts/test.sh installs it)");
        let sentinel = Sentinel { port, child, dir };
        let deadline = Instant::now() + Duration::from_secs(10);
        while cli(port, &["PING"]).is_none_or(|o| !o.contains("PONG")) {
            assert!(
                Instant::now() < deadline,
                "redis-sentinel on port {port} did not answer within 10 s"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        sentinel
    }

    /// The sentinel's log, for a failing test.
    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("sentinel.log")).unwrap_or_default()
    }
}

impl Drop for Sentinel {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The primary's port as the first of these sentinels that answers names it.
fn master_port(sentinel_ports: &[u16], master_name: &str) -> Option<u16> {
    sentinel_ports.iter().find_map(|port| {
        let out = cli(*port, &["SENTINEL", "get-master-addr-by-name", master_name])?;
        out.lines().nth(1)?.trim().parse().ok()
    })
}

/// `redis-cli -p port args...`, its output if it ran.
pub fn cli(port: u16, args: &[&str]) -> Option<String> {
    let out = Command::new("redis-cli")
        .args(["-h", "127.0.0.1", "-p", &port.to_string()])
        .args(args)
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).to_string())
}
