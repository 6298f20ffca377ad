//! The Docker engine's state as this worker sees it (up or down, outages so
//! far) and the heartbeat it publishes: what the worker holds and the
//! engine monitor ([`crate::engine`]) updates, in a module of its own so that
//! the worker's state does not import the monitor that uses it.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use submission::now_ms;
use tokio::sync::watch;

/// What a worker publishes about itself in [`judge_store::keys::WORKER_HEALTH`].
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Heartbeat {
    pub engine_up: bool,
    /// `DOCKER_HOST`, or the local default socket.
    pub docker_host: String,
    /// Times the engine was seen going down since the worker started.
    pub outages: u64,
    pub at_ms: u64,
    /// Its sandbox pools per image ([`crate::pool::health`]).
    #[serde(default)]
    pub pools: Vec<judge_store::stats::PoolHealth>,
    /// Ids of the languages whose image the engine holds ([`crate::images`]);
    /// `None` while the engine is down or before the first look.
    #[serde(default)]
    pub languages: Option<Vec<String>>,
}

/// The engine's state as this worker sees it.
pub struct EngineHealth {
    up: watch::Sender<bool>,
    outages: AtomicU64,
    pub docker_host: String,
    /// The languages it can judge now (served, image there): what the
    /// queue takes jobs in; `None` before the first look.
    languages: Mutex<Option<Arc<[String]>>>,
}

impl EngineHealth {
    pub fn new(up: bool) -> Arc<EngineHealth> {
        Arc::new(EngineHealth {
            up: watch::Sender::new(up),
            outages: AtomicU64::new(0),
            docker_host: std::env::var("DOCKER_HOST")
                .unwrap_or_else(|_| "unix:///var/run/docker.sock".to_string()),
            languages: Mutex::new(None),
        })
    }

    /// Records the languages this worker can judge (after a look at the
    /// engine's images).
    pub fn set_languages(&self, languages: &[String]) {
        *self.languages.lock().unwrap() = Some(languages.into());
    }

    /// The languages this worker can judge, as last looked at; `None`
    /// before the first look. Kept through an outage: no job is taken then.
    pub fn languages(&self) -> Option<Arc<[String]>> {
        self.languages.lock().unwrap().clone()
    }

    /// The engine answered at start (the version was negotiated).
    pub fn started(&self) {
        self.up.send_replace(true);
    }

    pub fn is_up(&self) -> bool {
        *self.up.borrow()
    }

    /// Times the engine went down so far: a judging that sees it change
    /// lived through an outage.
    pub fn outages(&self) -> u64 {
        self.outages.load(Ordering::SeqCst)
    }

    /// Waits until the engine is up.
    pub async fn wait_up(&self) {
        let mut rx = self.up.subscribe();
        let _ = rx.wait_for(|up| *up).await;
    }

    /// Records a down engine (from the monitor or a failed judging); returns
    /// whether it was up until now.
    pub fn mark_down(&self, why: &str) -> bool {
        let was_up = self.up.send_replace(false);
        if was_up {
            self.outages.fetch_add(1, Ordering::SeqCst);
            tracing::error!(
                docker_host = %self.docker_host,
                error = why,
                "Docker engine unreachable: unhealthy, taking no jobs until it answers again"
            );
        }
        was_up
    }

    pub(crate) fn mark_up(&self) -> bool {
        let was_up = self.up.send_replace(true);
        if !was_up {
            tracing::info!(docker_host = %self.docker_host, "Docker engine answers again: healthy, taking jobs");
        }
        !was_up
    }

    /// The heartbeat, with the pools' state (`pools`, none before they
    /// exist) and the languages whose image the engine holds.
    pub(crate) fn heartbeat(
        &self,
        pools: Vec<judge_store::stats::PoolHealth>,
        languages: Option<Vec<String>>,
    ) -> Heartbeat {
        Heartbeat {
            engine_up: self.is_up(),
            docker_host: self.docker_host.clone(),
            outages: self.outages(),
            at_ms: now_ms(),
            pools,
            languages,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_heartbeat_is_what_metrics_reads() {
        let health = EngineHealth::new(true);
        let json = serde_json::to_string(&health.heartbeat(vec![], None)).unwrap();
        let read = judge_store::stats::WorkerHealth::parse("w1", &json).unwrap();
        assert!(read.engine_up && read.worker == "w1" && read.at_ms > 0);
        assert!(health.mark_down("refused"));
        assert!(
            !health.mark_down("still refused"),
            "one outage, counted once"
        );
        assert_eq!(health.outages(), 1);
        let json = serde_json::to_string(&health.heartbeat(vec![], None)).unwrap();
        assert!(
            !judge_store::stats::WorkerHealth::parse("w1", &json)
                .unwrap()
                .engine_up
        );
        assert!(health.mark_up());
        assert!(health.is_up());
    }

    #[test]
    fn the_pools_reach_metrics_through_the_heartbeat() {
        let health = EngineHealth::new(true);
        let pool = judge_store::stats::PoolHealth {
            pool: "validator".into(),
            image: "judge-lang-cpp:latest".into(),
            idle: 1,
            reused: 7,
            ..Default::default()
        };
        let json = serde_json::to_string(&health.heartbeat(vec![pool.clone()], None)).unwrap();
        let read = judge_store::stats::WorkerHealth::parse("w1", &json).unwrap();
        assert_eq!(read.pools, [pool]);
        let text = judge_store::stats::render(
            &judge_store::stats::QueueSnapshot {
                health: vec![read],
                ..Default::default()
            },
            &Default::default(),
        );
        assert!(
            text.contains(
                "judge_pool_reused_total{worker=\"w1\",pool=\"validator\",image=\"judge-lang-cpp:latest\"} 7\n"
            ),
            "{text}"
        );
    }
}
