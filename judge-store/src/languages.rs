//! Which languages can be judged now: a language is ready when a live
//! worker's Docker engine holds its sandbox image. Workers say which in
//! their heartbeat ([`crate::stats::WorkerHealth::languages`]); the API reads
//! it to list languages and to refuse a submission no worker could judge.
//! An admin's request to enable a language is recorded here too.

use std::collections::{BTreeMap, BTreeSet};

use redis::aio::ConnectionLike;
use redis::AsyncCommands;

use crate::keys;
use crate::stats::{WorkerHealth, HEARTBEAT_STALE_MS};

/// The languages the live workers can judge.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadyLanguages {
    /// Whether any live worker said which languages it has. When none did
    /// (no worker running yet, its engine down, or workers older than this
    /// field), readiness is unknown and nothing is refused for it: the job
    /// waits for a worker as any job does.
    pub known: bool,
    /// Language ids whose image at least one live worker holds.
    pub ids: BTreeSet<String>,
}

impl ReadyLanguages {
    /// From the workers' heartbeats at `now_ms` (stale ones are ignored).
    pub fn from_health(health: &[WorkerHealth], now_ms: u64) -> ReadyLanguages {
        let mut ready = ReadyLanguages::default();
        for beat in health {
            if now_ms.saturating_sub(beat.at_ms) > HEARTBEAT_STALE_MS {
                continue;
            }
            if let Some(languages) = &beat.languages {
                ready.known = true;
                ready.ids.extend(languages.iter().cloned());
            }
        }
        ready
    }

    /// `Some(true/false)` when known, `None` when no live worker said.
    pub fn is_ready(&self, id: &str) -> Option<bool> {
        self.known.then(|| self.ids.contains(id))
    }
}

/// Reads the workers' heartbeats and says which languages are ready.
pub async fn ready<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<ReadyLanguages> {
    let beats: Vec<(String, String)> = conn.hgetall(keys::WORKER_HEALTH).await?;
    let health: Vec<WorkerHealth> = beats
        .iter()
        .filter_map(|(worker, json)| WorkerHealth::parse(worker, json))
        .collect();
    Ok(ReadyLanguages::from_health(&health, submission::now_ms()))
}

/// An admin's request to enable a language.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EnableRequest {
    /// Who asked (the admin's user id, or `admin` for the admin token).
    pub by: String,
    pub at_ms: u64,
}

/// Records (or renews) a request to enable `id`.
pub async fn request_enable<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    id: &str,
    request: &EnableRequest,
) -> redis::RedisResult<()> {
    let json = serde_json::to_string(request).expect("a request serializes");
    conn.hset(keys::LANGUAGE_REQUESTS, id, json).await
}

/// The recorded requests, by language id.
pub async fn enable_requests<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
) -> redis::RedisResult<BTreeMap<String, EnableRequest>> {
    let all: Vec<(String, String)> = conn.hgetall(keys::LANGUAGE_REQUESTS).await?;
    Ok(all
        .into_iter()
        .filter_map(|(id, json)| Some((id, serde_json::from_str(&json).ok()?)))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn beat(at_ms: u64, languages: Option<&[&str]>) -> WorkerHealth {
        WorkerHealth {
            worker: "w".into(),
            engine_up: true,
            at_ms,
            pools: vec![],
            languages: languages.map(|l| l.iter().map(|s| s.to_string()).collect()),
        }
    }

    #[test]
    fn a_language_is_ready_when_a_live_worker_holds_its_image() {
        let now = 100_000;
        let ready = ReadyLanguages::from_health(
            &[
                beat(now - 1_000, Some(&["cpp", "python3"])),
                beat(now - 500, Some(&["lua"])),
                // Stale: a killed worker's images count for nothing.
                beat(now - HEARTBEAT_STALE_MS - 1, Some(&["ruby"])),
            ],
            now,
        );
        assert_eq!(ready.is_ready("cpp"), Some(true));
        assert_eq!(ready.is_ready("lua"), Some(true));
        assert_eq!(ready.is_ready("ruby"), Some(false));
        // No worker said (none running, or an older one): unknown.
        let unknown = ReadyLanguages::from_health(&[beat(now, None)], now);
        assert_eq!(unknown.is_ready("cpp"), None);
        assert_eq!(ReadyLanguages::from_health(&[], now).is_ready("cpp"), None);
    }

    #[test]
    fn older_heartbeats_parse_without_languages() {
        let old = r#"{"engine_up":true,"at_ms":5,"pools":[]}"#;
        assert_eq!(WorkerHealth::parse("w", old).unwrap().languages, None);
    }
}
