//! Taking a container from the warm pool for a submission: the idle one
//! pinned to the submission's CPU if there is one, else the oldest (its CPU
//! and memory then updated in one `docker update`); with none idle but some
//! being reset, the take waits for one of those ([`super::reuse::RESET_WAIT`])
//! rather than have a container created.

use std::sync::Arc;
use std::time::Instant;

use bollard::models::ContainerUpdateBody;
use bollard::query_parameters::RenameContainerOptionsBuilder;

use super::reuse::{self, Taken};
use super::{submission_container_name, Idle, SandboxPool, TAKE_MARGIN};
use crate::sandbox::{short, Sandbox, SandboxSpec};

impl SandboxPool {
    /// Pops a usable idle container for the image (pinned to `cpu` if one
    /// is) and makes it the submission's; with none idle but some being
    /// reset, waits for one of those. `None` when there is none or it could
    /// not be prepared (it is then removed, and the caller creates a fresh
    /// sandbox).
    pub(super) async fn take(
        self: &Arc<Self>,
        spec: &SandboxSpec,
        cpu: Option<usize>,
    ) -> Option<(Sandbox, reuse::Pooled)> {
        if self.size == 0 {
            return None;
        }
        self.last_memory_mb
            .lock()
            .unwrap()
            .insert(spec.image.clone(), spec.memory_mb);
        let waited = Instant::now();
        let mut found = loop {
            let returned = self.returned.notified();
            tokio::pin!(returned);
            returned.as_mut().enable();
            if let Some(found) = self.pop_idle(&spec.image, cpu) {
                break found;
            }
            let resetting = self
                .resetting
                .lock()
                .unwrap()
                .get(&spec.image)
                .copied()
                .unwrap_or(0);
            let left = reuse::RESET_WAIT.checked_sub(waited.elapsed())?;
            if resetting == 0 || tokio::time::timeout(left, returned).await.is_err() {
                return None;
            }
        };
        // From here on the guard owns the container, whatever happens.
        let sandbox =
            Sandbox::adopt_with_runner(&self.docker, found.id.clone(), found.runner.take());
        self.count(&self.out, &spec.image, 1);
        let taken = reuse::Pooled {
            image: spec.image.clone(),
            created: found.created,
            memory: spec.container_memory_bytes(),
            cpu: cpu.or(found.cpu),
            uses: found.uses,
        };
        let name = submission_container_name(&spec.submission_id);
        let started = Instant::now();
        let rename = async {
            let renamed = self
                .docker
                .rename_container(
                    &found.id,
                    RenameContainerOptionsBuilder::default().name(&name).build(),
                )
                .await;
            tracing::debug!(
                container = %short(&found.id),
                rename_ms = started.elapsed().as_millis() as u64,
                "pooled sandbox renamed"
            );
            renamed
        };
        let new_memory = (found.memory != taken.memory).then_some(taken.memory);
        let new_cpu = cpu.filter(|c| found.cpu != Some(*c));
        let update = async {
            if new_memory.is_none() && new_cpu.is_none() {
                return Ok(());
            }
            // cgroup v1: Docker orders memory and memsw so that lowering works
            // too; it fails only if the container already uses more.
            let body = ContainerUpdateBody {
                memory: new_memory,
                memory_swap: new_memory,
                cpuset_cpus: new_cpu.map(|c| c.to_string()),
                ..Default::default()
            };
            let updated = self
                .docker
                .update_container(&found.id, body)
                .await
                .map(|_| ());
            tracing::debug!(
                container = %short(&found.id),
                update_ms = started.elapsed().as_millis() as u64,
                "pooled sandbox memory or CPU set"
            );
            updated
        };
        let (renamed, updated) = tokio::join!(rename, update);
        if let Err(e) = renamed.and(updated) {
            tracing::warn!(
                submission = %spec.submission_id,
                container = %short(&found.id),
                error = %e,
                "could not prepare a pooled sandbox; creating a fresh one"
            );
            let mut sandbox = sandbox;
            sandbox.set_tag(Box::new(Taken {
                pooled: Some(taken),
                lease: None,
            }));
            self.dispose(sandbox);
            return None;
        }
        Some((sandbox, taken))
    }

    /// Takes the idle container for `image` to use: pinned to `cpu` if one
    /// is, else the oldest. Containers too close to their end are removed.
    fn pop_idle(self: &Arc<Self>, image: &str, cpu: Option<usize>) -> Option<Idle> {
        let (found, expired) = {
            let mut idle = self.idle.lock().unwrap();
            let queue = idle.get_mut(image)?;
            let mut expired = Vec::new();
            queue.retain_mut(|c| {
                let usable = c.created.elapsed() + TAKE_MARGIN < self.max_age;
                if !usable {
                    expired.push(Idle {
                        id: std::mem::take(&mut c.id),
                        created: c.created,
                        memory: c.memory,
                        runner: c.runner.take(),
                        cpu: c.cpu,
                        uses: c.uses,
                    });
                }
                usable
            });
            let at = cpu
                .and_then(|cpu| queue.iter().position(|c| c.cpu == Some(cpu)))
                .unwrap_or(0);
            (queue.remove(at), expired)
        };
        for c in expired {
            self.dispose(Sandbox::adopt(&self.docker, c.id));
        }
        found
    }

    /// The CPUs idle containers of `image` are pinned to.
    pub(super) fn idle_cpus(&self, image: &str) -> Vec<usize> {
        self.idle
            .lock()
            .unwrap()
            .get(image)
            .map(|q| q.iter().filter_map(|c| c.cpu).collect())
            .unwrap_or_default()
    }
}
