//! One [`Stack`] for every test of a test binary: started once, by the
//! first test that asks, on a runtime of its own (each `#[tokio::test]`
//! has its own runtime, whose end would stop the services it spawned), and
//! torn down when the process exits (its workers' containers removed,
//! Redis killed), since a static is never dropped. The tests share its
//! Redis, so each uses users (and problems) of its own.
//!
//! A stack start (Redis, the API loading the problems, the gateway, the
//! workers filling their warm pools) is the costly part of a short test;
//! a binary whose tests share one pays it once.

use std::path::PathBuf;
use std::sync::Mutex;

use tokio::sync::OnceCell;

use crate::stack::Stack;

/// Where the shared stack answers.
pub struct SharedStack {
    /// `http://127.0.0.1:PORT`
    pub api_url: String,
    /// `ws://127.0.0.1:PORT`
    pub gateway_url: String,
    pub redis_url: String,
}

static SHARED: OnceCell<SharedStack> = OnceCell::const_new();
/// The stack and its problems directory, dropped at exit.
static HELD: Mutex<Option<(Stack, tempfile::TempDir)>> = Mutex::new(None);

/// The binary's shared stack, started on first use with the problems
/// `problems` makes and `workers` workers (later calls get that one stack,
/// whatever they pass).
pub async fn shared_stack(
    problems: impl FnOnce() -> tempfile::TempDir,
    workers: usize,
) -> &'static SharedStack {
    SHARED
        .get_or_init(|| async move {
            let dir = problems();
            let path: PathBuf = dir.path().to_path_buf();
            let (tx, rx) = tokio::sync::oneshot::channel();
            std::thread::Builder::new()
                .name("shared-stack".into())
                .spawn(move || {
                    let runtime = tokio::runtime::Builder::new_multi_thread()
                        .worker_threads(2)
                        .enable_all()
                        .build()
                        .expect("the shared stack's runtime");
                    runtime.block_on(async move {
                        let stack = Stack::start(&path, workers).await;
                        let shared = SharedStack {
                            api_url: stack.api_url.clone(),
                            gateway_url: stack.gateway_url.clone(),
                            redis_url: stack.redis.url(),
                        };
                        *HELD.lock().unwrap() = Some((stack, dir));
                        // SAFETY: `atexit` is libc's; the handler is a plain
                        // `extern "C" fn` that lives as long as the process.
                        unsafe { atexit(tear_down) };
                        let _ = tx.send(shared);
                        // The services run on this runtime until the process ends.
                        std::future::pending::<()>().await
                    })
                })
                .expect("the shared stack's thread");
            rx.await.expect("the shared stack started")
        })
        .await
}

extern "C" {
    fn atexit(handler: extern "C" fn()) -> std::os::raw::c_int;
}

/// At exit: drops the stack (its `Drop` stops the services and removes
/// its workers' containers; Redis is killed) and its problems directory.
extern "C" fn tear_down() {
    if let Ok(mut held) = HELD.lock() {
        drop(held.take());
    }
}
