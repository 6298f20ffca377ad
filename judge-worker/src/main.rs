//! `judge-worker`: parses the configuration, sets up logging and turns
//! SIGTERM / Ctrl-C into a graceful stop (finish the current jobs, take no new
//! ones); a second signal quits at once.

use clap::Parser;
use judge_service::{cancel_on_signal_then_exit, init_tracing};
use judge_worker::Config;
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing("info");
    let mut config = Config::parse();
    // REDIS_SENTINELS / REDIS_MASTER_NAME, when set, name the Redis to use.
    config.redis_url = judge_store::connect::url_from_env(config.redis_url);
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal_then_exit(shutdown.clone()));
    judge_worker::run(config, shutdown).await
}
