//! judge-gateway: the WebSocket gateway of the online judge.

use clap::Parser;
use judge_service::{cancel_on_signal, init_tracing};
use tokio_util::sync::CancellationToken;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing("info");
    let mut config = ws_gateway::Config::parse();
    // REDIS_SENTINELS / REDIS_MASTER_NAME, when set, name the Redis to use.
    config.redis_url = judge_store::connect::url_from_env(config.redis_url);
    let listener = tokio::net::TcpListener::bind(&config.addr).await?;
    let shutdown = CancellationToken::new();
    tokio::spawn(cancel_on_signal(shutdown.clone()));
    ws_gateway::serve(config, listener, shutdown).await
}
