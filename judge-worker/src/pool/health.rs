//! What operators see of a pool: a snapshot per image for the worker's
//! heartbeat (rendered by `/metrics`, see `judge_store::stats`), and a
//! warning in the log when a pool stays below its size or its judgings
//! create containers because it had none to give.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use judge_store::stats::PoolHealth;

use super::kind::Kind;
use super::state::SandboxPool;

/// How long a pool may stay below its size before the log says so.
pub const BELOW_SIZE_WARNING: Duration = Duration::from_secs(30);
/// How often the sizes are looked at.
const WATCH_EVERY: Duration = Duration::from_secs(1);

impl SandboxPool {
    /// Per image, the pool's containers by state and its counters.
    pub fn health(&self) -> Vec<PoolHealth> {
        let idle: HashMap<String, usize> = self
            .idle
            .lock()
            .unwrap()
            .iter()
            .map(|(image, q)| (image.clone(), q.len()))
            .collect();
        let counts = self.stats.per_image.lock().unwrap().clone();
        let mut images: Vec<String> = self.images.clone();
        for image in idle
            .keys()
            .chain(counts.keys())
            .chain(self.out.lock().unwrap().keys())
        {
            if !images.contains(image) {
                images.push(image.clone());
            }
        }
        images
            .into_iter()
            .map(|image| {
                let out = self.out_count(&image);
                let resetting = self.resetting_count(&image);
                let c = counts.get(&image).copied().unwrap_or_default();
                PoolHealth {
                    pool: self.kind.name().to_string(),
                    size: if self.kind == Kind::Validator || self.images.contains(&image) {
                        self.size as u64
                    } else {
                        0
                    },
                    idle: idle.get(&image).copied().unwrap_or(0) as u64,
                    taken: out.saturating_sub(resetting) as u64,
                    resetting: resetting as u64,
                    created: c.created,
                    taken_total: c.taken,
                    bypassed: c.fresh,
                    reused: c.reused,
                    reset_failed: c.reset_failed,
                    image,
                }
            })
            .collect()
    }

    /// Watches the pooled images until the pool stops: see [`SizeWatch`].
    pub(super) async fn watch_sizes(self: Arc<Self>) {
        let mut watch = SizeWatch::default();
        loop {
            tokio::select! {
                _ = self.stop.cancelled() => break,
                _ = tokio::time::sleep(WATCH_EVERY) => {}
            }
            for image in &self.images {
                let counts = self
                    .stats
                    .per_image
                    .lock()
                    .unwrap()
                    .get(image)
                    .copied()
                    .unwrap_or_default();
                let present = self.idle_count(image) + self.out_count(image);
                watch.look(
                    image,
                    self.size,
                    present,
                    counts.fresh,
                    Instant::now(),
                    |line| match line {
                        Said::Below { since } => tracing::warn!(
                            pool = self.kind.name(),
                            image,
                            size = self.size,
                            idle = self.idle_count(image),
                            taken = self.out_count(image),
                            below_for_s = since.as_secs(),
                            "the sandbox pool has stayed below its size: its containers are not being replaced"
                        ),
                        Said::Bypassed { created } => tracing::warn!(
                            pool = self.kind.name(),
                            image,
                            size = self.size,
                            idle = self.idle_count(image),
                            taken = self.out_count(image),
                            created,
                            "sandboxes were created on the judgings' path: the pool had none to give"
                        ),
                        Said::Back => tracing::info!(
                            pool = self.kind.name(),
                            image,
                            size = self.size,
                            "the sandbox pool is back at its size"
                        ),
                    },
                );
            }
        }
    }

    pub(super) fn resetting_count(&self, image: &str) -> usize {
        self.resetting
            .lock()
            .unwrap()
            .get(image)
            .copied()
            .unwrap_or(0)
    }
}

/// What the watch says about one image.
#[derive(Debug, PartialEq)]
pub(super) enum Said {
    /// Below its size (idle and taken together) for this long.
    Below { since: Duration },
    /// This many sandboxes were created on demand in the last window.
    Bypassed { created: u64 },
    /// Back at its size after a warning.
    Back,
}

/// Per image, since when it is below its size and whether that was said,
/// and how many on-demand creations were already reported.
#[derive(Default)]
pub(super) struct SizeWatch {
    below: HashMap<String, (Instant, bool)>,
    bypassed: HashMap<String, (u64, Instant)>,
}

impl SizeWatch {
    /// Looks at one image: `present` containers (idle or taken) of `size`,
    /// `fresh` on-demand creations so far. Says each condition at most once
    /// per [`BELOW_SIZE_WARNING`].
    pub(super) fn look(
        &mut self,
        image: &str,
        size: usize,
        present: usize,
        fresh: u64,
        now: Instant,
        mut say: impl FnMut(Said),
    ) {
        if present < size {
            let (since, said) = self.below.entry(image.to_string()).or_insert((now, false));
            if !*said && now.duration_since(*since) >= BELOW_SIZE_WARNING {
                *said = true;
                say(Said::Below {
                    since: now.duration_since(*since),
                });
            }
        } else if let Some((_, said)) = self.below.remove(image) {
            if said {
                say(Said::Back);
            }
        }
        let (reported, at) = self
            .bypassed
            .entry(image.to_string())
            .or_insert((fresh, now));
        if fresh > *reported && now.duration_since(*at) >= BELOW_SIZE_WARNING {
            say(Said::Bypassed {
                created: fresh - *reported,
            });
            *reported = fresh;
            *at = now;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn below_its_size_for_30_s_is_said_once_then_back() {
        let mut watch = SizeWatch::default();
        let t0 = Instant::now();
        let mut said = Vec::new();
        for s in [0, 10, 29] {
            watch.look("cpp", 2, 1, 0, t0 + Duration::from_secs(s), |l| {
                said.push(l)
            });
        }
        assert!(said.is_empty(), "{said:?}");
        for s in [30, 31, 60] {
            watch.look("cpp", 2, 1, 0, t0 + Duration::from_secs(s), |l| {
                said.push(l)
            });
        }
        assert_eq!(
            said,
            [Said::Below {
                since: Duration::from_secs(30)
            }]
        );
        watch.look("cpp", 2, 2, 0, t0 + Duration::from_secs(61), |l| {
            said.push(l)
        });
        assert_eq!(said.last(), Some(&Said::Back));
        // A short dip says nothing.
        said.clear();
        watch.look("cpp", 2, 1, 0, t0 + Duration::from_secs(70), |l| {
            said.push(l)
        });
        watch.look("cpp", 2, 2, 0, t0 + Duration::from_secs(75), |l| {
            said.push(l)
        });
        assert!(said.is_empty(), "{said:?}");
    }

    #[test]
    fn creations_on_demand_are_said_at_most_every_30_s() {
        let mut watch = SizeWatch::default();
        let t0 = Instant::now();
        let mut said = Vec::new();
        watch.look("cpp", 1, 1, 0, t0, |l| said.push(l));
        watch.look("cpp", 1, 1, 3, t0 + Duration::from_secs(30), |l| {
            said.push(l)
        });
        watch.look("cpp", 1, 1, 4, t0 + Duration::from_secs(40), |l| {
            said.push(l)
        });
        assert_eq!(said, [Said::Bypassed { created: 3 }]);
        watch.look("cpp", 1, 1, 5, t0 + Duration::from_secs(60), |l| {
            said.push(l)
        });
        assert_eq!(said.last(), Some(&Said::Bypassed { created: 2 }));
    }
}
