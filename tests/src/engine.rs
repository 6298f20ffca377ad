//! A second Docker engine on this machine, standing for a second judge host:
//! its own `dockerd` with its own data root, exec root (and so its own
//! containerd), pid file, Unix socket and local TCP port, a bridge of its
//! own and no iptables rules, so it touches nothing of the machine's main
//! engine (which other tests use and which is never stopped here). Killed
//! and its directory and bridge removed on drop.
//!
//! Not `--bridge none`: a dockerd started so deletes the interface named
//! `docker0` (moby's `removeDefaultBridgeInterface`), the main engine's
//! bridge, after which its `docker build` `RUN` steps have no network.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Engine {
    dir: tempfile::TempDir,
    child: Option<Child>,
    /// It also listens on `tcp://127.0.0.1:<tcp_port>` (plain HTTP, this
    /// machine only), as a judge host's engine reached over the network is.
    tcp_port: u16,
}

impl Engine {
    /// Starts the engine and waits until it answers.
    pub fn start() -> Engine {
        // Short paths: containerd's socket lives under the exec root, and a
        // Unix socket path must fit in 108 bytes.
        let dir = tempfile::Builder::new()
            .prefix("jd2.")
            .tempdir_in("/tmp")
            .expect("temp dir for the second engine");
        let mut engine = Engine {
            dir,
            child: None,
            tcp_port: testkit::free_port(),
        };
        engine.add_bridge();
        engine.start_again();
        engine
    }

    /// The bridge's interface name (at most 15 bytes) and its address.
    fn bridge(&self) -> (String, String) {
        let port = self.tcp_port;
        (format!("jd2b{port}"), format!("10.231.{}.1/24", port % 250))
    }

    fn add_bridge(&self) {
        let (name, address) = self.bridge();
        for args in [
            vec!["link", "add", &name, "type", "bridge"],
            vec!["addr", "add", &address, "dev", &name],
            vec!["link", "set", &name, "up"],
        ] {
            let status = Command::new("ip").args(&args).status();
            assert!(
                status.is_ok_and(|s| s.success()),
                "ip {} failed (iproute2 and root are needed)",
                args.join(" ")
            );
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// `unix:///tmp/jd2.XXXX/docker.sock`, for `DOCKER_HOST` or `docker -H`.
    pub fn host(&self) -> String {
        format!("unix://{}", self.path("docker.sock").display())
    }

    /// `tcp://127.0.0.1:PORT`: the same engine over TCP.
    pub fn tcp_host(&self) -> String {
        format!("tcp://127.0.0.1:{}", self.tcp_port)
    }

    /// Starts dockerd (again, after [`Engine::kill`] or [`Engine::stop`]) on
    /// the same directories: the images loaded before are still there.
    pub fn start_again(&mut self) {
        assert!(self.child.is_none(), "the engine is running");
        let log = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.path("dockerd.log"))
            .unwrap();
        let child = Command::new("/usr/sbin/dockerd")
            .arg("--data-root")
            .arg(self.path("data"))
            .arg("--exec-root")
            .arg(self.path("exec"))
            .arg("--pidfile")
            .arg(self.path("docker.pid"))
            .args(["-H", &self.host(), "-H", &self.tcp_host()])
            .args(["--bridge", &self.bridge().0])
            .args(["--iptables=false", "--ip-masq=false"])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("dockerd must be installed (scripts/test.sh installs docker.io)");
        self.child = Some(child);
        let deadline = Instant::now() + Duration::from_secs(30);
        let mut last = String::new();
        while Instant::now() < deadline {
            let out = self.docker(&["version"]);
            if out.status.success() {
                return;
            }
            last = String::from_utf8_lossy(&out.stderr).to_string();
            std::thread::sleep(Duration::from_millis(200));
        }
        panic!(
            "the second dockerd did not answer within 30 s ({last}); its log:\n{}",
            std::fs::read_to_string(self.path("dockerd.log")).unwrap_or_default()
        );
    }

    /// SIGKILL: the engine dies as with a crash of its host's daemon.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM and wait: a clean `systemctl restart docker` stop (it stops
    /// its containers).
    pub fn stop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(30);
            while Instant::now() < deadline {
                if matches!(child.try_wait(), Ok(Some(_))) {
                    return;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// Copies images from the main engine (`docker save | docker -H load`).
    pub fn load_images(&self, images: &[&str]) {
        let started = Instant::now();
        let mut save = Command::new("docker")
            .arg("save")
            .args(images)
            .stdout(Stdio::piped())
            .spawn()
            .expect("docker save");
        let load = Command::new("docker")
            .args(["-H", &self.host(), "load", "-q"])
            .stdin(save.stdout.take().unwrap())
            .output()
            .expect("docker load");
        let saved = save.wait().unwrap();
        assert!(
            saved.success() && load.status.success(),
            "copying {images:?} to the second engine failed: {}",
            String::from_utf8_lossy(&load.stderr)
        );
        eprintln!(
            "second engine: loaded {images:?} in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }

    /// Runs `docker -H <this engine> args`.
    pub fn docker(&self, args: &[&str]) -> std::process::Output {
        Command::new("docker")
            .args(["-H", &self.host()])
            .args(args)
            .output()
            .expect("docker CLI")
    }

    /// Ids of the containers (any state) on this engine labelled for a worker.
    pub fn containers_of_worker(&self, worker: &str) -> Vec<String> {
        let out = self.docker(&[
            "ps",
            "-aq",
            "--filter",
            &format!("label=judge.worker={worker}"),
        ]);
        String::from_utf8_lossy(&out.stdout)
            .split_whitespace()
            .map(String::from)
            .collect()
    }
}

impl Drop for Engine {
    fn drop(&mut self) {
        if self.child.is_none() {
            // Start it once more so it cleans up what the killed one left
            // (containers, their shims and mounts) before it goes.
            let log = self.path("dockerd.log");
            if Path::new(&log).exists() {
                let restarted = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    self.start_again();
                }));
                if restarted.is_err() {
                    return;
                }
            }
        }
        let ids = self.docker(&["ps", "-aq"]);
        let ids: Vec<String> = String::from_utf8_lossy(&ids.stdout)
            .split_whitespace()
            .map(String::from)
            .collect();
        if !ids.is_empty() {
            let mut args = vec!["rm", "-f", "-v"];
            args.extend(ids.iter().map(String::as_str));
            let _ = self.docker(&args);
        }
        self.stop();
        // A dockerd killed with SIGKILL can leave container shims (and their
        // containers) that the next dockerd does not adopt: kill what runs
        // below this directory, containers first (killing a container's init
        // ends its whole pid namespace), then the shims.
        let root = self.dir.path().to_string_lossy().to_string();
        for shim in processes_mentioning(&root) {
            for child in children_of(shim) {
                let _ = Command::new("kill")
                    .args(["-KILL", &child.to_string()])
                    .status();
            }
            let _ = Command::new("kill")
                .args(["-KILL", &shim.to_string()])
                .status();
        }
        // dockerd leaves its data root bind-mounted on itself; unmount what
        // is under the directory (deepest first) so it can be removed.
        let mounts = std::fs::read_to_string("/proc/self/mountinfo").unwrap_or_default();
        let mut points: Vec<&str> = mounts
            .lines()
            .filter_map(|l| l.split(' ').nth(4))
            .filter(|p| p.starts_with(&root))
            .collect();
        points.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for point in points {
            let _ = Command::new("umount").args(["-l", point]).status();
        }
        let _ = Command::new("ip")
            .args(["link", "del", &self.bridge().0])
            .status();
    }
}

/// Processes whose command line mentions `needle`.
fn processes_mentioning(needle: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains(needle))
        })
        .collect()
}

/// The direct children of `pid` (from every process's parent in
/// `/proc/*/stat`: a Go shim forks from any of its threads).
fn children_of(pid: u32) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|child| {
            // `pid (comm) state ppid ...`; comm may hold spaces, so split after ')'.
            std::fs::read_to_string(format!("/proc/{child}/stat")).is_ok_and(|stat| {
                stat.rsplit_once(')')
                    .and_then(|(_, rest)| rest.split_whitespace().nth(1)?.parse::<u32>().ok())
                    == Some(pid)
            })
        })
        .collect()
}
