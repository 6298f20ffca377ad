//! Services as real processes, for tests that kill them.

use std::path::PathBuf;
use std::process::{Child, Command};
use std::time::Duration;

use testkit::cli::bin_dir;
use testkit::docker::remove_worker_containers;

/// A spawned service whose output goes to a log file the test can read.
pub struct Service {
    pub child: Child,
    pub log: PathBuf,
    _dir: tempfile::TempDir,
    /// For a worker: its name, whose containers (sandboxes and idle pool) are
    /// removed when the service is dropped, as a restart of it would.
    worker_name: Option<String>,
}

impl Service {
    /// Starts `binary` (from [`bin_dir`]) with `args`.
    pub fn spawn(binary: &str, args: &[&str]) -> Service {
        Self::spawn_with_env(binary, args, &[])
    }

    /// Starts `binary` with `args` and extra environment variables.
    pub fn spawn_with_env(binary: &str, args: &[&str], env: &[(&str, &str)]) -> Service {
        let path = bin_dir().join(binary);
        assert!(
            path.exists(),
            "{} is not built: run `cargo build --workspace` first",
            path.display()
        );
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join(format!("{binary}.log"));
        let file = std::fs::File::create(&log).unwrap();
        let child = Command::new(&path)
            .args(args)
            .env("RUST_LOG", "info")
            .env_remove("REDIS_URL")
            .envs(env.iter().copied())
            .stdout(file.try_clone().unwrap())
            .stderr(file)
            .spawn()
            .unwrap_or_else(|e| panic!("spawn {}: {e}", path.display()));
        Service {
            child,
            log,
            _dir: dir,
            worker_name: None,
        }
    }

    /// A worker process with its own consumer name and cache.
    pub fn worker(redis_url: &str, name: &str, extra: &[&str]) -> Service {
        Self::worker_with_env(redis_url, name, extra, &[])
    }

    /// A worker process on another Docker engine (`DOCKER_HOST`, e.g.
    /// `unix:///tmp/x/docker.sock`). Its containers live on that engine, so
    /// dropping it removes nothing from the machine's main one.
    pub fn worker_on(docker_host: &str, redis_url: &str, name: &str, extra: &[&str]) -> Service {
        let mut service =
            Self::worker_with_env(redis_url, name, extra, &[("DOCKER_HOST", docker_host)]);
        service.worker_name = None;
        service
    }

    fn worker_with_env(
        redis_url: &str,
        name: &str,
        extra: &[&str],
        env: &[(&str, &str)],
    ) -> Service {
        let cache = std::env::temp_dir().join(format!("judge-test-cache-{name}"));
        let mut args = vec![
            "--redis-url",
            redis_url,
            "--worker-name",
            name,
            "--cache-dir",
            cache.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let refs: Vec<&str> = args.iter().map(|s| s.as_str()).collect();
        let mut service = Service::spawn_with_env("judge-worker", &refs, env);
        service.worker_name = Some(name.to_string());
        service
    }

    pub fn pid(&self) -> i32 {
        self.child.id() as i32
    }

    /// Sends a signal (`"KILL"`, `"TERM"`).
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .args([&format!("-{signal}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} {}", self.pid());
    }

    /// Waits for the process to exit; `None` if it is still running after `within`.
    pub fn wait_exit(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        let deadline = std::time::Instant::now() + within;
        while std::time::Instant::now() < deadline {
            if let Some(status) = self.child.try_wait().unwrap() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        None
    }

    pub fn log_text(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if let Some(name) = &self.worker_name {
            remove_worker_containers(name);
        }
    }
}
