//! The Docker container a submission is judged in (one submission at a
//! time), and starting the `judge-runner` inside it; the protocol session
//! with the runner is [`runner_session`].
//!
//! The container does nothing by itself (`sleep infinity` under an init); the
//! worker starts the runner with one `docker exec` and speaks
//! [`judge_protocol`] over the exec's stdin and stdout. Files travel
//! inside the protocol (`Upload`), not through Docker's archive API, because
//! the root filesystem is read-only and `/work` is a tmpfs.
//!
//! A container must never outlive its use: [`Sandbox`] removes it
//! explicitly on every normal and error path, unless the pool takes it back
//! after its runner's reset ([`Sandbox::release`], see [`crate::pool`]), and
//! its `Drop` spawns the removal when the judging future was dropped
//! (timeout) or panicked. Labels
//! name the submission and the worker, so a crashed worker's containers are
//! removed when it starts again ([`remove_orphans`]).

use std::collections::HashMap;

use bollard::exec::{CreateExecOptions, StartExecResults};
use bollard::models::{ContainerCreateBody, HostConfig, HostConfigLogConfig, ResourcesUlimits};
use bollard::query_parameters::{
    CreateContainerOptionsBuilder, ListContainersOptionsBuilder, RemoveContainerOptionsBuilder,
};
use bollard::Docker;
use judge_protocol::{Response, INPUTS_DIR, RUNNER_PATH, WORK_DIR};

pub mod error;
pub mod pipes;
pub mod runner_session;
pub mod seccomp;

pub use error::SandboxError;
pub use runner_session::RunnerSession;

/// Label naming the submission a container judges.
pub const LABEL_SUBMISSION: &str = "judge.submission";
/// Label naming the worker (consumer) that created a container.
pub const LABEL_WORKER: &str = "judge.worker";

const MIB: i64 = 1 << 20;
/// Room above the problem's memory limit for the runner, the compiler's
/// peaks and the tmpfs pages, so the runner (not the kernel) reports MLE.
pub const CONTAINER_MEMORY_HEADROOM_MB: u64 = 256;

/// The input cache's mount: room for an eager set of inputs (the worker's
/// `inputs::EAGER_INPUT_BYTES`, 64 MiB) and more, never executable, root's
/// with mode 0700.
const INPUTS_TMPFS: &str = "rw,noexec,nosuid,nodev,size=80m,mode=0700";

/// What a sandbox is created with.
#[derive(Clone, Debug)]
pub struct SandboxSpec {
    /// Full image reference, `judge-lang-cpp:latest`.
    pub image: String,
    pub submission_id: String,
    pub worker: String,
    /// The problem's memory limit; the container gets the headroom on top.
    pub memory_mb: u64,
}

impl SandboxSpec {
    pub fn container_memory_bytes(&self) -> i64 {
        (self.memory_mb + CONTAINER_MEMORY_HEADROOM_MB) as i64 * MIB
    }
}

/// A created container, removed when this is removed or dropped.
pub struct Sandbox {
    docker: Docker,
    id: String,
    removed: bool,
    /// A runner started ahead of time (the warm pool), handed out by the
    /// first [`Sandbox::start_runner`]; or, after the submission, the runner
    /// given back with [`Sandbox::park_runner`] for the container's reuse.
    prestarted: std::sync::Mutex<Option<RunnerSession>>,
    /// What the owner of the container (the warm pool) needs to know of it
    /// when it is given back, carried opaquely: a sandbox knows nothing of
    /// pools. Dropped with the sandbox, once its container is removed.
    tag: Option<Box<dyn std::any::Any + Send + Sync>>,
}

impl Sandbox {
    /// Takes charge of a container created elsewhere (the warm pool,
    /// [`crate::pool`]): from now on it is removed like any sandbox.
    pub(crate) fn adopt(docker: &Docker, id: String) -> Sandbox {
        Sandbox::adopt_with_runner(docker, id, None)
    }

    /// As [`Sandbox::adopt`], with the runner already started in it (its
    /// `Ready` received); [`Sandbox::start_runner`] hands it out.
    pub(crate) fn adopt_with_runner(
        docker: &Docker,
        id: String,
        runner: Option<RunnerSession>,
    ) -> Sandbox {
        Sandbox {
            docker: docker.clone(),
            id,
            removed: false,
            prestarted: std::sync::Mutex::new(runner),
            tag: None,
        }
    }

    /// Creates and starts the container.
    pub async fn create(docker: &Docker, spec: &SandboxSpec) -> Result<Sandbox, SandboxError> {
        Sandbox::create_on(docker, spec, None).await
    }

    /// As [`Sandbox::create`], pinned to the CPUs `cpuset` (`"1"`, `"0-3"`).
    pub async fn create_on(
        docker: &Docker,
        spec: &SandboxSpec,
        cpuset: Option<String>,
    ) -> Result<Sandbox, SandboxError> {
        let mut body = container_body(spec);
        if let Some(host) = body.host_config.as_mut() {
            host.cpuset_cpus = cpuset;
        }
        let options = CreateContainerOptionsBuilder::default()
            .name(&format!(
                "judge-{}-{}",
                sanitize(&spec.submission_id),
                unique_suffix()
            ))
            .build();
        let created = match docker.create_container(Some(options), body).await {
            Ok(created) => created,
            Err(bollard::errors::Error::DockerResponseServerError {
                status_code: 404, ..
            }) => return Err(SandboxError::MissingImage(spec.image.clone())),
            Err(e) => return Err(e.into()),
        };
        // From here on the guard owns the container, whatever happens.
        let sandbox = Sandbox::adopt(docker, created.id);
        if let Err(e) = docker.start_container(&sandbox.id, None).await {
            sandbox.remove().await;
            return Err(e.into());
        }
        Ok(sandbox)
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Starts `judge-runner serve` and waits for its `Ready`, or hands out
    /// the runner started ahead of time if it is still alive.
    pub async fn start_runner(&self) -> Result<RunnerSession, SandboxError> {
        let prestarted = self.prestarted.lock().unwrap().take();
        if let Some(mut session) = prestarted {
            if session.is_alive() {
                return Ok(session);
            }
            tracing::warn!(
                container = short(&self.id),
                "the pre-started runner has ended; starting another"
            );
        }
        exec_runner(&self.docker, &self.id).await
    }

    /// Gives the submission's runner back once the judging is over, so that
    /// the container may be reset and reused ([`crate::pool`]); a sandbox
    /// whose runner is not given back (a judge fault dropped it) is removed.
    pub fn park_runner(&self, runner: RunnerSession) {
        *self.prestarted.lock().unwrap() = Some(runner);
    }

    /// The runner given back by [`Sandbox::park_runner`] (or never taken).
    pub(crate) fn take_runner(&mut self) -> Option<RunnerSession> {
        self.prestarted.get_mut().unwrap().take()
    }

    pub(crate) fn set_tag(&mut self, tag: Box<dyn std::any::Any + Send + Sync>) {
        self.tag = Some(tag);
    }

    pub(crate) fn take_tag(&mut self) -> Option<Box<dyn std::any::Any + Send + Sync>> {
        self.tag.take()
    }

    /// Gives up the guard without removing the container (it goes back to
    /// the pool); returns its id.
    pub(crate) fn release(mut self) -> String {
        self.removed = true;
        std::mem::take(&mut self.id)
    }

    /// Removes the container (force, with its anonymous volumes) and waits for it.
    pub async fn remove(mut self) {
        self.removed = true;
        self.prestarted.get_mut().unwrap().take();
        remove_container(&self.docker, &self.id).await;
    }
}

/// Starts `judge-runner serve` in container `id` with one `docker exec` and
/// waits for its `Ready`.
pub(crate) async fn exec_runner(docker: &Docker, id: &str) -> Result<RunnerSession, SandboxError> {
    let started = std::time::Instant::now();
    let exec = docker
        .create_exec(
            id,
            CreateExecOptions {
                cmd: Some(vec![RUNNER_PATH.to_string(), "serve".to_string()]),
                user: Some("0".to_string()),
                working_dir: Some(WORK_DIR.to_string()),
                attach_stdin: Some(true),
                attach_stdout: Some(true),
                attach_stderr: Some(true),
                tty: Some(false),
                ..Default::default()
            },
        )
        .await?;
    let created_us = started.elapsed().as_micros() as u64;
    match docker.start_exec(&exec.id, None).await? {
        StartExecResults::Attached { output, input } => {
            let attached_us = started.elapsed().as_micros() as u64;
            let mut session = RunnerSession::new(output, input, short(id));
            match session.receive().await? {
                (Response::Ready { version }, _) => {
                    tracing::debug!(
                        container = short(id),
                        version,
                        exec_create_ms = created_us / 1000,
                        exec_start_ms = (attached_us - created_us) / 1000,
                        ready_ms = (started.elapsed().as_micros() as u64 - attached_us) / 1000,
                        "runner ready"
                    );
                    Ok(session)
                }
                (other, _) => Err(SandboxError::Protocol(format!(
                    "expected ready, got {other:?}"
                ))),
            }
        }
        StartExecResults::Detached => Err(SandboxError::Protocol(
            "the runner exec started detached".into(),
        )),
    }
}

impl Drop for Sandbox {
    fn drop(&mut self) {
        if self.removed {
            return;
        }
        // Dropped without `remove`: the judging future timed out or panicked.
        let docker = self.docker.clone();
        let id = std::mem::take(&mut self.id);
        // The owner's tag (a pooled container's place in the pool) goes
        // once the container is, as it does after `remove`.
        let tag = self.tag.take();
        match tokio::runtime::Handle::try_current() {
            Ok(handle) => {
                handle.spawn(async move {
                    remove_container(&docker, &id).await;
                    drop(tag);
                });
            }
            Err(_) => {
                tracing::error!(container = %id, "sandbox dropped outside a runtime; not removed")
            }
        }
    }
}

pub(crate) async fn remove_container(docker: &Docker, id: &str) {
    let options = RemoveContainerOptionsBuilder::default()
        .force(true)
        .v(true)
        .build();
    match docker.remove_container(id, Some(options)).await {
        Ok(()) => tracing::debug!(container = short(id), "sandbox removed"),
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 404, ..
        }) => {}
        // Already being removed (an auto-removed pool container that stopped).
        Err(bollard::errors::Error::DockerResponseServerError {
            status_code: 409, ..
        }) => tracing::debug!(container = short(id), "sandbox removal already in progress"),
        Err(e) => tracing::error!(container = short(id), error = %e, "could not remove sandbox"),
    }
}

/// Removes every container carrying `label=value` (orphans of a crashed
/// worker, or a submission's leftover after a timeout). Returns how many.
pub async fn remove_labelled(
    docker: &Docker,
    label: &str,
    value: &str,
) -> Result<usize, SandboxError> {
    let filters = HashMap::from([("label".to_string(), vec![format!("{label}={value}")])]);
    let options = ListContainersOptionsBuilder::default()
        .all(true)
        .filters(&filters)
        .build();
    let containers = docker.list_containers(Some(options)).await?;
    let mut removed = 0;
    for id in containers.into_iter().filter_map(|c| c.id) {
        remove_container(docker, &id).await;
        removed += 1;
    }
    Ok(removed)
}

/// Removes the containers a previous run of this worker left behind.
pub async fn remove_orphans(docker: &Docker, worker: &str) -> Result<usize, SandboxError> {
    remove_labelled(docker, LABEL_WORKER, worker).await
}

/// The container's configuration: no network, read-only root, small tmpfs
/// work areas, memory without swap, one CPU, few processes, no capabilities
/// but those the runner needs to drop to the sandbox user and kill its tree,
/// our seccomp profile. Every container the worker creates (submissions,
/// compilers, validators, custom runs, the warm pool's) is built from this.
pub fn container_body(spec: &SandboxSpec) -> ContainerCreateBody {
    let memory = spec.container_memory_bytes();
    let host_config = HostConfig {
        network_mode: Some("none".into()),
        readonly_rootfs: Some(true),
        tmpfs: Some(HashMap::from([
            (
                "/work".to_string(),
                "rw,exec,nosuid,nodev,size=256m,mode=0755".to_string(),
            ),
            (
                "/tmp".to_string(),
                "rw,exec,nosuid,nodev,size=64m,mode=1777".to_string(),
            ),
            // The runner's input cache, kept across resets: root's and
            // closed to the sandbox user.
            (INPUTS_DIR.to_string(), INPUTS_TMPFS.to_string()),
        ])),
        memory: Some(memory),
        memory_swap: Some(memory),
        nano_cpus: Some(1_000_000_000),
        pids_limit: Some(128),
        cap_drop: Some(vec!["ALL".into()]),
        cap_add: Some(
            ["SETUID", "SETGID", "CHOWN", "KILL"]
                .map(String::from)
                .to_vec(),
        ),
        // Our own seccomp profile, not the engine's default (see `seccomp`).
        security_opt: Some(vec!["no-new-privileges".into(), seccomp::security_opt()]),
        init: Some(true),
        ulimits: Some(vec![
            ResourcesUlimits {
                name: Some("nofile".into()),
                soft: Some(256),
                hard: Some(256),
            },
            ResourcesUlimits {
                name: Some("fsize".into()),
                soft: Some(256 * MIB),
                hard: Some(256 * MIB),
            },
            // The runner gives each run a stack as large as its memory
            // limit, as Kattis does; an unlimited hard limit keeps that from
            // depending on what dockerd itself was started with.
            ResourcesUlimits {
                name: Some("stack".into()),
                soft: Some(-1),
                hard: Some(-1),
            },
        ]),
        // The directory of the interactive runs' named pipes, when the
        // engine shares the worker's file system (see `pipes`).
        binds: pipes::bind().map(|b| vec![b]),
        log_config: Some(HostConfigLogConfig {
            typ: Some("none".into()),
            config: None,
        }),
        ..Default::default()
    };
    ContainerCreateBody {
        image: Some(spec.image.clone()),
        cmd: Some(vec!["sleep".into(), "infinity".into()]),
        user: Some("0:0".into()),
        working_dir: Some(WORK_DIR.into()),
        labels: Some(HashMap::from([
            (LABEL_SUBMISSION.to_string(), spec.submission_id.clone()),
            (LABEL_WORKER.to_string(), spec.worker.clone()),
        ])),
        host_config: Some(host_config),
        ..Default::default()
    }
}

/// A container id as Docker prints it.
pub(crate) fn short(id: &str) -> String {
    id.chars().take(12).collect()
}

/// What of a submission id or worker name may stand in a container name.
pub(crate) fn sanitize(id: &str) -> String {
    id.chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect()
}

/// Distinguishes two containers of one submission (a redelivered job on the
/// same host) or of one worker's pool.
pub(crate) fn unique_suffix() -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    format!(
        "{}-{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn containers_are_locked_down() {
        let spec = SandboxSpec {
            image: "judge-lang-cpp:latest".into(),
            submission_id: "s1".into(),
            worker: "w".into(),
            memory_mb: 256,
        };
        let body = container_body(&spec);
        let host = body.host_config.unwrap();
        assert_eq!(host.memory, Some(512 * MIB));
        assert_eq!(host.memory_swap, host.memory);
        assert_eq!(host.network_mode.as_deref(), Some("none"));
        assert_eq!(host.readonly_rootfs, Some(true));
        let opts = host.security_opt.unwrap();
        assert!(opts.contains(&"no-new-privileges".to_string()));
        assert!(opts.contains(&seccomp::security_opt()));
        assert_eq!(body.labels.unwrap()[LABEL_SUBMISSION], "s1");
        let tmpfs = host.tmpfs.unwrap();
        let cache = &tmpfs[INPUTS_DIR];
        assert!(
            cache.contains("mode=0700") && cache.contains("noexec"),
            "{cache}"
        );
        let size: u64 = cache
            .split(',')
            .find_map(|o| o.strip_prefix("size=")?.strip_suffix('m')?.parse().ok())
            .unwrap();
        // Above the eager input limit (64 MiB).
        assert!(size > 64, "{cache}");
    }
}
