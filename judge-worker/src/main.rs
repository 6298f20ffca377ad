//! `judge-worker`: parses the configuration, sets up logging and turns
//! SIGTERM / Ctrl-C into a graceful stop (finish the current jobs, take no new ones).

use clap::Parser;
use judge_worker::Config;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::EnvFilter;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info")),
        )
        .init();
    let config = Config::parse();
    let shutdown = CancellationToken::new();
    tokio::spawn(stop_on_signal(shutdown.clone()));
    judge_worker::run(config, shutdown).await
}

async fn stop_on_signal(shutdown: CancellationToken) {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    for round in 0.. {
        tokio::select! {
            _ = term.recv() => {}
            _ = tokio::signal::ctrl_c() => {}
        }
        if round == 0 {
            tracing::info!("stopping: finishing the jobs in progress (signal again to quit now)");
            shutdown.cancel();
        } else {
            // Sandboxes left now are removed when this worker starts again.
            tracing::warn!("quitting without finishing the jobs in progress");
            std::process::exit(1);
        }
    }
}
