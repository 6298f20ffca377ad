//! The pool's size accounting: a taken container counts towards its image's
//! pool (`out`) until it is back or gone, whichever way it goes. These run
//! against a fake engine on the loopback (every request answered `204 No
//! Content`, which is what a rename and a removal return) and fake runners,
//! so no container exists: what is checked is the pool's counting.

use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use bytes::Bytes;
use futures_util::StreamExt;
use judge_protocol::Response;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::state::Idle;
use super::*;
use crate::sandbox::runner_session::RunnerSession;
use crate::sandbox::SandboxSpec;

const CPP: &str = "judge-lang-cpp:latest";

/// An engine that answers every request with `204 No Content`, and counts
/// the requests it saw by method and path (ids and queries cut off).
struct FakeEngine {
    docker: Docker,
    seen: Arc<Mutex<Vec<String>>>,
}

async fn fake_engine() -> FakeEngine {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut conn, _)) = listener.accept().await {
            let log = log.clone();
            tokio::spawn(async move {
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match conn.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                let line = String::from_utf8_lossy(&request);
                let line = line.lines().next().unwrap_or_default().to_string();
                log.lock().unwrap().push(line);
                let _ = conn
                    .write_all(b"HTTP/1.1 204 No Content\r\nConnection: close\r\n\r\n")
                    .await;
                let _ = conn.shutdown().await;
            });
        }
    });
    let docker =
        Docker::connect_with_http(&format!("http://{addr}"), 5, bollard::API_DEFAULT_VERSION)
            .unwrap();
    FakeEngine { docker, seen }
}

impl FakeEngine {
    fn count(&self, method: &str, action: &str) -> usize {
        self.seen
            .lock()
            .unwrap()
            .iter()
            .filter(|l| l.starts_with(method) && l.contains(action))
            .count()
    }
}

/// A runner that answers the first request it reads, whatever it is, with
/// `Reset`, then stays silent (like an idle `judge-runner serve`).
fn resettable_runner() -> RunnerSession {
    let mut line = serde_json::to_vec(&Response::Reset { generation: 1 }).unwrap();
    line.push(b'\n');
    let frames = vec![Ok(bollard::container::LogOutput::StdOut {
        message: Bytes::from(line),
    })];
    let output = futures_util::stream::iter(frames).chain(futures_util::stream::pending());
    RunnerSession::new(Box::pin(output), Box::pin(tokio::io::sink()), "fake".into())
}

/// A pool of `size` for the C++ image, filled by hand with `size` idle
/// containers (no refill loop: it would ask the fake engine to create).
fn pool_with_idle(docker: &Docker, size: usize) -> Arc<SandboxPool> {
    let pool = SandboxPool::new(
        docker.clone(),
        "w1".into(),
        size,
        vec![CPP.into()],
        Duration::from_secs(3600),
        Reuse {
            max_uses: 100,
            cpus: None,
        },
    );
    let memory = spec("none").container_memory_bytes();
    let mut idle = pool.idle.lock().unwrap();
    let queue = idle.entry(CPP.to_string()).or_default();
    for n in 0..size {
        queue.push_back(Idle {
            id: format!("pooled{n}"),
            created: Instant::now(),
            memory,
            runner: Some(resettable_runner()),
            cpu: None,
            uses: 0,
            named_since: None,
        });
    }
    drop(idle);
    pool
}

fn spec(submission: &str) -> SandboxSpec {
    SandboxSpec {
        image: CPP.into(),
        submission_id: submission.into(),
        worker: "w1".into(),
        memory_mb: 256,
    }
}

/// What the refill compares with the pool size: containers idle or coming back.
fn counted(pool: &SandboxPool) -> usize {
    pool.idle_count(CPP) + pool.out_count(CPP)
}

/// Waits (a bounded while) for the background work of the pool to settle
/// on `want` counted containers.
async fn settles_at(pool: &SandboxPool, want: usize) -> usize {
    for _ in 0..200 {
        if counted(pool) == want
            && pool
                .resetting
                .lock()
                .unwrap()
                .get(CPP)
                .copied()
                .unwrap_or(0)
                == 0
        {
            break;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    counted(pool)
}

/// Issue 20: a problem with a C++ output validator takes, for each judging
/// with an output to check, a C++ pooled container for the validator's
/// sandbox ([`crate::validator::ValidatorSandbox`]), which removes it
/// itself (`Sandbox::remove`) rather than through `dispose`. Each such
/// container counted as taken for ever: after `size` of them the C++ pool
/// was never refilled, and every C++ submission got a new container.
#[tokio::test]
async fn a_pooled_sandbox_removed_directly_frees_its_place() {
    let engine = fake_engine().await;
    let pool = pool_with_idle(&engine.docker, 2);
    for n in 0..2 {
        let (validator, origin) = pool.acquire(&spec(&format!("v{n}"))).await.unwrap();
        assert_eq!(origin, Origin::Pool);
        // What `ValidatorSandbox::close` does.
        validator.remove().await;
    }
    assert_eq!(pool.idle_count(CPP), 0);
    assert_eq!(
        pool.out_count(CPP),
        0,
        "removed validator sandboxes still count as taken: the refill would never replace them"
    );
    assert_eq!(engine.count("DELETE", "/containers/pooled"), 2);
}

/// A judging that timed out or panicked drops its sandboxes: their guard
/// removes them, and their place in the pool is freed once they are gone.
#[tokio::test]
async fn a_pooled_sandbox_dropped_by_a_judging_frees_its_place() {
    let engine = fake_engine().await;
    let pool = pool_with_idle(&engine.docker, 2);
    let (sandbox, _) = pool.acquire(&spec("s1")).await.unwrap();
    assert_eq!(pool.out_count(CPP), 1);
    drop(sandbox);
    assert_eq!(settles_at(&pool, 1).await, 1, "one idle, none taken");
    assert_eq!(pool.out_count(CPP), 0);
    assert_eq!(engine.count("DELETE", "/containers/pooled"), 1);
}

/// `dispose` of a sandbox whose runner the judging dropped removes it and
/// frees its place once, not twice: the other taken one still counts.
#[tokio::test]
async fn dispose_frees_a_removed_sandbox_place_once() {
    let engine = fake_engine().await;
    let pool = pool_with_idle(&engine.docker, 2);
    let (mut faulted, _) = pool.acquire(&spec("s1")).await.unwrap();
    let (busy, _) = pool.acquire(&spec("s2")).await.unwrap();
    assert_eq!(pool.out_count(CPP), 2);
    // A judge fault: the runner is not given back.
    drop(faulted.take_runner());
    pool.dispose(faulted);
    assert_eq!(settles_at(&pool, 1).await, 1);
    assert_eq!(pool.out_count(CPP), 1, "the sandbox still judging counts");
    pool.dispose(busy);
    assert_eq!(settles_at(&pool, 1).await, 1, "reset and back: idle");
    assert_eq!(pool.idle_count(CPP), 1);
    assert_eq!(pool.out_count(CPP), 0);
}

/// A used sandbox given back with its runner is reset and goes back to the
/// pool; its place moves from taken to idle, and the pool is full again.
#[tokio::test]
async fn a_reset_sandbox_goes_back_and_stops_counting_as_taken() {
    let engine = fake_engine().await;
    let pool = pool_with_idle(&engine.docker, 2);
    let (sandbox, _) = pool.acquire(&spec("s1")).await.unwrap();
    pool.dispose(sandbox);
    assert_eq!(settles_at(&pool, 2).await, 2);
    assert_eq!(pool.idle_count(CPP), 2);
    assert_eq!(pool.out_count(CPP), 0);
    assert_eq!(pool.stats.reused.load(Ordering::Relaxed), 1);
    assert_eq!(engine.count("DELETE", "/containers/"), 0);
}
