//! Filling the pool: a background loop creates and starts containers (with
//! their runner) round-robin over the images until each has its size, idle
//! and taken together, and again whenever one is gone; it removes idle ones
//! close to the end of their life. For validators it only does the latter:
//! their containers are made when needed ([`super::acquire`]).

use std::collections::{HashMap, VecDeque};
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bollard::query_parameters::CreateContainerOptionsBuilder;

use super::kind::Kind;
use super::state::{Idle, SandboxPool, TAKE_MARGIN};
use crate::sandbox::error::SandboxError;
use crate::sandbox::{
    self, sanitize, short, unique_suffix, Sandbox, SandboxSpec, LABEL_SUBMISSION, LABEL_WORKER,
};

/// Memory a pooled container is created with (the default problem limit)
/// until a problem was judged in its image; the limit is set for the problem
/// when the container is taken, if it differs.
const POOL_MEMORY_MB: u64 = 2048;
/// How often the pool is looked over without being woken.
const IDLE_CHECK: Duration = Duration::from_secs(30);

impl SandboxPool {
    pub(super) async fn refill_loop(self: Arc<Self>) {
        let mut failing: HashMap<String, Instant> = HashMap::new();
        while !self.stop.is_cancelled() {
            if self.retry_failed.swap(false, Ordering::Relaxed) {
                failing.clear();
            }
            self.prune();
            // Round-robin, so every image gets a first container quickly.
            'fill: for round in 0..self.size {
                for image in &self.images {
                    if self.stop.is_cancelled() {
                        break 'fill;
                    }
                    if failing
                        .get(image)
                        .is_some_and(|at| at.elapsed() < IDLE_CHECK)
                    {
                        continue;
                    }
                    if self.idle_count(image) + self.out_count(image) > round {
                        continue;
                    }
                    let started = Instant::now();
                    match self.create_idle(image).await {
                        Ok(idle) => {
                            failing.remove(image);
                            self.stats.created.fetch_add(1, Ordering::Relaxed);
                            self.stats.bump(image, |c| c.created += 1);
                            tracing::debug!(
                                image,
                                container = %short(&idle.id),
                                create_ms = started.elapsed().as_millis() as u64,
                                "pooled sandbox ready"
                            );
                            self.idle
                                .lock()
                                .unwrap()
                                .entry(image.clone())
                                .or_default()
                                .push_back(idle);
                        }
                        Err(e) => {
                            tracing::warn!(image, error = %e, "could not create a pooled sandbox");
                            failing.insert(image.clone(), Instant::now());
                        }
                    }
                }
            }
            tokio::select! {
                _ = self.stop.cancelled() => break,
                _ = self.wake.notified() => {}
                _ = tokio::time::sleep(IDLE_CHECK) => {}
            }
        }
        let removed = self.remove_idle().await;
        tracing::debug!(removed, "idle sandbox pool removed");
    }

    /// Removes idle containers too close to the end of their life.
    fn prune(self: &Arc<Self>) {
        let expired: Vec<Idle> = {
            let mut idle = self.idle.lock().unwrap();
            let mut expired = Vec::new();
            for queue in idle.values_mut() {
                let (keep, old): (VecDeque<Idle>, VecDeque<Idle>) = queue
                    .drain(..)
                    .partition(|c| c.created.elapsed() + 2 * TAKE_MARGIN < self.max_age);
                *queue = keep;
                expired.extend(old);
            }
            expired
        };
        for c in expired {
            self.dispose(Sandbox::adopt(&self.docker, c.id));
        }
    }

    /// Creates and starts one pooled container.
    pub(super) async fn create_idle(&self, image: &str) -> Result<Idle, SandboxError> {
        let spec = SandboxSpec {
            image: image.to_string(),
            submission_id: String::new(),
            worker: self.worker.clone(),
            memory_mb: self
                .last_memory_mb
                .lock()
                .unwrap()
                .get(image)
                .copied()
                .unwrap_or(POOL_MEMORY_MB),
        };
        let mut body = pool_container_body(self.kind, &spec, self.max_age);
        let seq = self.created_seq.fetch_add(1, Ordering::Relaxed) as usize;
        let cpu = self.cpus.as_ref().map(|cpus| cpus.nth(seq));
        if let Some(host) = body.host_config.as_mut() {
            host.cpuset_cpus = cpu.map(|c| c.to_string());
        }
        let options = CreateContainerOptionsBuilder::default()
            .name(&format!(
                "{}{}.{}",
                self.kind.name_prefix(),
                sanitize(&self.worker),
                unique_suffix()
            ))
            .build();
        let created = match self.docker.create_container(Some(options), body).await {
            Ok(created) => created,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return Err(SandboxError::MissingImage(image.to_string())),
            Err(e) => return Err(e.into()),
        };
        let created_at = Instant::now();
        if let Err(e) = self.docker.start_container(&created.id, None).await {
            Sandbox::adopt(&self.docker, created.id).remove().await;
            return Err(e.into());
        }
        // The runner is started now, off the submission's path; it only
        // waits for requests (nothing reaches /work before the upload).
        let runner = match sandbox::exec_runner(&self.docker, &created.id).await {
            Ok(runner) => runner,
            Err(e) => {
                Sandbox::adopt(&self.docker, created.id).remove().await;
                return Err(e);
            }
        };
        Ok(Idle {
            id: created.id,
            created: created_at,
            memory: spec.container_memory_bytes(),
            runner: Some(runner),
            cpu,
            uses: 0,
            named_since: None,
        })
    }
}

/// A pooled container: the sandbox's configuration, labelled with the worker
/// and the pool of its kind (not a submission), auto-removed once its main
/// process ends.
/// That process sleeps `max_age`, then waits while `/work` holds anything
/// (a taken container's files), so only an idle container ever expires.
pub fn pool_container_body(
    kind: Kind,
    spec: &SandboxSpec,
    max_age: Duration,
) -> bollard::models::ContainerCreateBody {
    let mut body = sandbox::container_body(spec);
    if let Some(labels) = body.labels.as_mut() {
        labels.remove(LABEL_SUBMISSION);
        labels.insert(kind.label().to_string(), spec.image.clone());
        labels.insert(LABEL_WORKER.to_string(), spec.worker.clone());
    }
    body.cmd = Some(vec![
        "/bin/sh".into(),
        "-c".into(),
        r#"sleep "$0"; while [ -n "$(ls -A /work)" ]; do sleep 10; done"#.into(),
        max_age.as_secs().to_string(),
    ]);
    if let Some(host) = body.host_config.as_mut() {
        host.auto_remove = Some(true);
    }
    body
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pool::kind::LABEL_POOL;

    #[test]
    fn pooled_containers_carry_the_worker_not_a_submission() {
        let spec = SandboxSpec {
            image: "judge-lang-cpp:latest".into(),
            submission_id: String::new(),
            worker: "w1".into(),
            memory_mb: POOL_MEMORY_MB,
        };
        let body = pool_container_body(Kind::Submission, &spec, Duration::from_secs(3600));
        let labels = body.labels.unwrap();
        assert_eq!(labels[LABEL_WORKER], "w1");
        assert_eq!(labels[LABEL_POOL], "judge-lang-cpp:latest");
        assert!(!labels.contains_key(LABEL_SUBMISSION));
        let host = body.host_config.unwrap();
        assert_eq!(host.auto_remove, Some(true));
        // Locked down like any sandbox.
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.readonly_rootfs, Some(true));
        assert_eq!(host.memory, host.memory_swap);
        assert_eq!(body.cmd.unwrap().last().unwrap(), "3600");
    }
}
