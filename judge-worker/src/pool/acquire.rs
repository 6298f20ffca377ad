//! Handing a sandbox out for a submission (or a validator): a pooled one
//! ([`super::take`]) pinned to a CPU of its own, or, failing that, a new
//! one; for validators, a new one is made as a pooled container, so that it
//! is reset and kept after its use.

use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::Instant;

use super::cpuset::CpuLease;
use super::kind::Kind;
use super::reuse::Taken;
use super::state::SandboxPool;
use crate::sandbox::error::SandboxError;
use crate::sandbox::{short, Sandbox, SandboxSpec};

/// Where a sandbox came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    Pool,
    Fresh,
}

impl SandboxPool {
    /// A started sandbox for `spec`, pinned to a CPU of its own: a pooled
    /// one (renamed after the submission, its memory and CPU set for it) or,
    /// failing that, a new one.
    pub async fn acquire(
        self: &Arc<Self>,
        spec: &SandboxSpec,
    ) -> Result<(Sandbox, Origin), SandboxError> {
        let started = Instant::now();
        let lease = self.cpus.as_ref().map(|cpus| {
            let idle_on = self.idle_cpus(&spec.image);
            cpus.lease(|cpu| idle_on.contains(&cpu))
        });
        let cpu = lease.as_ref().map(CpuLease::cpu);
        let mut taken = self.take(spec, cpu).await;
        if taken.is_none() && self.kind == Kind::Validator && self.size > 0 {
            // Validators' containers are made when needed, as pooled ones.
            taken = match self.create_idle(&spec.image).await {
                Ok(idle) => {
                    self.stats.created.fetch_add(1, Ordering::Relaxed);
                    self.stats.bump(&spec.image, |c| c.created += 1);
                    self.hand_out(idle, spec, cpu).await
                }
                Err(e) => return Err(e),
            };
        }
        if let Some((mut sandbox, taken)) = taken {
            self.stats.taken.fetch_add(1, Ordering::Relaxed);
            self.stats.bump(&spec.image, |c| c.taken += 1);
            tracing::debug!(
                submission = %spec.submission_id,
                image = %spec.image,
                container = %short(sandbox.id()),
                cpu,
                uses = taken.uses,
                take_ms = started.elapsed().as_millis() as u64,
                "took a pooled sandbox"
            );
            sandbox.set_tag(Box::new(Taken {
                pooled: Some(taken),
                lease,
            }));
            return Ok((sandbox, Origin::Pool));
        }
        let mut sandbox =
            Sandbox::create_on(&self.docker, spec, cpu.map(|c| c.to_string())).await?;
        sandbox.set_tag(Box::new(Taken {
            pooled: None,
            lease,
        }));
        self.stats.fresh.fetch_add(1, Ordering::Relaxed);
        self.stats.bump(&spec.image, |c| c.fresh += 1);
        tracing::debug!(
            submission = %spec.submission_id,
            image = %spec.image,
            cpu,
            create_ms = started.elapsed().as_millis() as u64,
            "created a sandbox"
        );
        Ok((sandbox, Origin::Fresh))
    }
}
