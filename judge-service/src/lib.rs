//! What every service's `main` does before and around its work: logging to
//! stderr, and SIGTERM / Ctrl-C turned into a graceful stop.

use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

/// Logs to stderr with the filter of `RUST_LOG`, or `default_filter` when it
/// is unset or invalid.
pub fn init_tracing(default_filter: &str) {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter)),
        )
        .init();
}

/// Cancels `token` at the first SIGTERM or Ctrl-C.
pub async fn cancel_on_signal(token: CancellationToken) {
    let mut signals = Signals::new();
    signals.recv().await;
    tracing::info!("shutting down");
    token.cancel();
}

/// Cancels `token` at the first SIGTERM or Ctrl-C, so the jobs in progress
/// are finished, and quits at once (exit status 1) at the second.
pub async fn cancel_on_signal_then_exit(token: CancellationToken) {
    let mut signals = Signals::new();
    signals.recv().await;
    tracing::info!("stopping: finishing the jobs in progress (signal again to quit now)");
    token.cancel();
    signals.recv().await;
    // Sandboxes left now are removed when the worker starts again.
    tracing::warn!("quitting without finishing the jobs in progress");
    std::process::exit(1);
}

/// SIGTERM (on Unix) and Ctrl-C, listened to from creation on.
struct Signals {
    #[cfg(unix)]
    term: Option<tokio::signal::unix::Signal>,
}

impl Signals {
    fn new() -> Signals {
        Signals {
            #[cfg(unix)]
            term: tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok(),
        }
    }

    /// Waits for the next SIGTERM or Ctrl-C. Without a SIGTERM handler (it
    /// could not be installed, or not Unix) only Ctrl-C ends the wait.
    async fn recv(&mut self) {
        #[cfg(unix)]
        let term = async {
            match &mut self.term {
                Some(term) => {
                    term.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            _ = tokio::signal::ctrl_c() => {}
            _ = term => {}
        }
    }
}
