//! The gateway's listener: starts the pub/sub and queue-position tasks,
//! accepts sockets until shutdown, then waits for them to close.

use std::sync::Arc;
use std::time::Duration;

use judge_store::store;
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use crate::config::Config;
use crate::connection::handle_connection;
use crate::contest_follow::ContestHub;
use crate::context::Ctx;
use crate::hub::Hub;
use crate::position;
use crate::pubsub::pubsub_loop;

pub async fn serve(
    config: Config,
    listener: tokio::net::TcpListener,
    shutdown: CancellationToken,
) -> anyhow::Result<()> {
    let pool = store::pool(&config.redis_url, 16).map_err(anyhow::Error::msg)?;
    let hub = Hub::new();
    let tracker = TaskTracker::new();

    // Wait (briefly) for the first subscription so that events published
    // right after a client's snapshot are not lost; if Redis is down, the
    // subscriber keeps retrying and sockets resync once it is up.
    let mut generations = hub.generations();
    tracker.spawn(pubsub_loop(
        config.redis_url.clone(),
        hub.clone(),
        shutdown.clone(),
    ));
    if tokio::time::timeout(Duration::from_secs(3), generations.changed())
        .await
        .is_err()
    {
        tracing::warn!("redis pub/sub not subscribed yet; accepting connections anyway");
    }

    tracker.spawn(position::run(hub.clone(), pool.clone(), shutdown.clone()));
    let contests = ContestHub::new(config.redis_url.clone(), tracker.clone(), shutdown.clone());
    let ctx = Arc::new(Ctx {
        hub,
        contests,
        pool,
        shutdown: shutdown.clone(),
        ping_interval: Duration::from_secs(config.ping_secs.max(1)),
        auth: config.auth,
        allowed_origins: config.allowed_origins.clone(),
    });
    tracing::info!(addr = %listener.local_addr()?, "gateway listening");
    loop {
        tokio::select! {
            _ = shutdown.cancelled() => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    let _ = stream.set_nodelay(true);
                    let ctx = ctx.clone();
                    tracker.spawn(async move {
                        handle_connection(stream, ctx).await;
                        tracing::debug!(%peer, "connection closed");
                    });
                }
                Err(e) => {
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
            }
        }
    }
    drop(listener);
    tracker.close();
    if tokio::time::timeout(Duration::from_secs(10), tracker.wait())
        .await
        .is_err()
    {
        tracing::warn!("some connections did not close within 10 s");
    }
    tracing::info!("gateway stopped");
    Ok(())
}
