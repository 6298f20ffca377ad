//! `judge-worker`: parses the configuration, sets up logging and turns
//! SIGTERM / Ctrl-C into a graceful stop (finish the current jobs, take no new
//! ones); a second signal quits at once.

use clap::Parser;
use judge_core::service::{cancel_on_signal_then_exit, init_tracing};
use judge_worker::Config;
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing("info");
    let config = Config::parse();
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal_then_exit(shutdown.clone()));
    judge_worker::run(config, shutdown).await
}
