//! Support shared by the worker's test files: the sandbox image, a Docker
//! client, limits, and a private Redis with the worker's logs shown.

// Each test file that includes this module uses only part of it.
#![allow(dead_code)]

pub mod worker;

use bollard::Docker;
use judge_protocol::Limits;

use testkit::RedisServer;

/// The image the sandbox tests run in.
pub const IMAGE: &str = "judge-lang-python3:latest";

/// Fails (never skips) when [`IMAGE`] is not built.
pub fn require_image() {
    require_images(&["python3"]);
}

/// Fails (never skips) when the sandbox image of a language is not built.
pub fn require_images(languages: &[&str]) {
    testkit::require_images(languages);
}

/// A client of the local Docker daemon.
pub async fn docker() -> Docker {
    Docker::connect_with_local_defaults()
        .unwrap()
        .negotiate_version()
        .await
        .unwrap()
}

/// Small limits for a test run: 2 s CPU, `wall_ms` wall time, 128 MiB.
pub fn limits(wall_ms: u64) -> Limits {
    Limits {
        cpu_ms: 2000,
        wall_ms,
        memory_kb: 128 * 1024,
        output_bytes: 1 << 20,
        file_size_bytes: 1 << 20,
        open_files: 64,
    }
}

/// Logs of the worker, shown with `--nocapture` (`RUST_LOG` overrides the filter).
pub fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("judge_worker=info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_test_writer()
        .try_init();
}

/// A private redis-server for one test, with the worker's logs shown.
pub fn start_redis() -> RedisServer {
    init_tracing();
    RedisServer::start()
}
