//! The one Redis pub/sub connection of a gateway (`PSUBSCRIBE
//! judge:events:*`), kept up across Redis blips, each event handed to the
//! [`Hub`] for the sockets that watch its submission or user.

use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use judge_store::keys;
use serde::Deserialize;
use tokio_util::sync::CancellationToken;

use crate::hub::{Hub, Update};

const PUBSUB_PING_INTERVAL: Duration = Duration::from_secs(15);
const MAX_BACKOFF: Duration = Duration::from_secs(5);

/// The fields of a published event the gateway routes by.
#[derive(Deserialize)]
struct RoutingEvent {
    state: RoutingState,
}
#[derive(Deserialize)]
struct RoutingState {
    id: String,
    user_id: String,
    seq: u64,
}

pub(crate) async fn pubsub_loop(url: String, hub: Arc<Hub>, shutdown: CancellationToken) {
    if let Err(e) = judge_store::connect::Target::parse(&url) {
        tracing::error!(error = %e, "invalid REDIS_URL; no live events");
        return;
    }
    let mut delay = Duration::from_millis(100);
    loop {
        let connect = async {
            // Resolved at every reconnection: behind Sentinel, the primary
            // the lost connection went to may have been replaced.
            let client = judge_store::connect::client(&url).await?;
            let mut pubsub = client.get_async_pubsub().await?;
            pubsub.psubscribe(keys::EVENTS_PATTERN).await?;
            Ok::<_, redis::RedisError>(pubsub)
        };
        let result = tokio::select! {
            _ = shutdown.cancelled() => return,
            r = tokio::time::timeout(Duration::from_secs(5), connect) => r,
        };
        match result {
            Ok(Ok(pubsub)) => {
                tracing::info!(pattern = keys::EVENTS_PATTERN, "subscribed to events");
                delay = Duration::from_millis(100);
                hub.resubscribed();
                let (mut sink, mut stream) = pubsub.split();
                let mut ping = tokio::time::interval(PUBSUB_PING_INTERVAL);
                ping.tick().await;
                loop {
                    tokio::select! {
                        _ = shutdown.cancelled() => return,
                        msg = stream.next() => match msg {
                            Some(msg) => dispatch(&hub, msg),
                            None => {
                                tracing::warn!("redis pub/sub connection lost; reconnecting");
                                break;
                            }
                        },
                        _ = ping.tick() => {
                            let pong = tokio::time::timeout(Duration::from_secs(5), sink.ping::<String>()).await;
                            if !matches!(pong, Ok(Ok(_))) {
                                tracing::warn!("redis pub/sub connection stopped answering; reconnecting");
                                break;
                            }
                        }
                    }
                }
            }
            Ok(Err(e)) => tracing::warn!(error = %e, ?delay, "redis pub/sub connect failed"),
            Err(_) => tracing::warn!(?delay, "redis pub/sub connect timed out"),
        }
        tokio::select! {
            _ = shutdown.cancelled() => return,
            _ = tokio::time::sleep(delay) => {}
        }
        delay = (delay * 2).min(MAX_BACKOFF);
    }
}

fn dispatch(hub: &Hub, msg: redis::Msg) {
    let payload: String = match msg.get_payload() {
        Ok(p) => p,
        Err(e) => {
            tracing::warn!(error = %e, channel = msg.get_channel_name(), "non-text event payload");
            return;
        }
    };
    let routing: RoutingEvent = match serde_json::from_str(&payload) {
        Ok(r) => r,
        Err(e) => {
            tracing::warn!(error = %e, channel = msg.get_channel_name(), "unparsable event");
            return;
        }
    };
    if msg.get_channel_name() != keys::events(&routing.state.id) {
        tracing::warn!(channel = msg.get_channel_name(), id = %routing.state.id,
            "event published on another submission's channel; dropped");
        return;
    }
    hub.dispatch(Update {
        submission_id: routing.state.id,
        user_id: routing.state.user_id,
        seq: routing.state.seq,
        json: payload.into(),
        refresh: None,
    });
}
