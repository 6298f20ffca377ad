//! Taking a container from the warm pool for a submission: the idle one
//! pinned to the submission's CPU if there is one, else the oldest (its CPU
//! and memory then updated in one `docker update`); with none idle but some
//! being reset, the take waits for one of those ([`super::reuse::RESET_WAIT`])
//! rather than have a container created. It is renamed after the submission
//! in the background.

use std::sync::Arc;
use std::time::Instant;

use bollard::models::ContainerUpdateBody;
use bollard::query_parameters::RenameContainerOptionsBuilder;

use super::names::submission_container_name;
use super::reuse::{self, Taken};
use super::state::{Idle, Out, SandboxPool, TAKE_MARGIN};
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
        let found = loop {
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
        self.hand_out(found, spec, cpu).await
    }

    /// Makes a container out of the pool (idle, or just created for a
    /// validator) the submission's: counted as taken, renamed after the
    /// submission in the background, its memory and CPU set for it. `None`
    /// when it could not be prepared (it is then removed).
    pub(super) async fn hand_out(
        self: &Arc<Self>,
        mut found: Idle,
        spec: &SandboxSpec,
        cpu: Option<usize>,
    ) -> Option<(Sandbox, reuse::Pooled)> {
        // From here on the guard owns the container, whatever happens.
        let sandbox =
            Sandbox::adopt_with_runner(&self.docker, found.id.clone(), found.runner.take());
        let out = Out::take(self, &spec.image);
        let name = submission_container_name(&spec.submission_id);
        // The rename only serves a takeover after a crash (another worker
        // finds the submission's container by its name), so the judging does
        // not wait for it: it runs beside the upload and the compile, and
        // the container goes back to the pool only if it succeeded.
        let renamed = {
            let docker = self.docker.clone();
            let id = found.id.clone();
            tokio::spawn(async move {
                let started = Instant::now();
                let renamed = docker
                    .rename_container(
                        &id,
                        RenameContainerOptionsBuilder::default().name(&name).build(),
                    )
                    .await
                    .map_err(|e| format!("rename: {e}"));
                tracing::debug!(
                    container = %short(&id),
                    rename_ms = started.elapsed().as_millis() as u64,
                    "pooled sandbox renamed"
                );
                renamed
            })
        };
        let taken = reuse::Pooled {
            image: spec.image.clone(),
            created: found.created,
            memory: spec.container_memory_bytes(),
            cpu: cpu.or(found.cpu),
            uses: found.uses,
            renamed: Some(renamed),
            _out: out,
        };
        let new_memory = (found.memory != taken.memory).then_some(taken.memory);
        let new_cpu = cpu.filter(|c| found.cpu != Some(*c));
        if new_memory.is_some() || new_cpu.is_some() {
            let started = Instant::now();
            // cgroup v1: Docker orders memory and memsw so that lowering works
            // too; it fails only if the container already uses more.
            let body = ContainerUpdateBody {
                memory: new_memory,
                memory_swap: new_memory,
                cpuset_cpus: new_cpu.map(|c| c.to_string()),
                ..Default::default()
            };
            let updated = self.docker.update_container(&found.id, body).await;
            tracing::debug!(
                container = %short(&found.id),
                update_ms = started.elapsed().as_millis() as u64,
                "pooled sandbox memory or CPU set"
            );
            if let Err(e) = updated {
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
                        named_since: c.named_since,
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
