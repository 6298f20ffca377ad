//! The judge worker: takes submissions from the Redis job stream, judges
//! each in a fresh Docker sandbox and stores every state change.
//!
//! - [`config`]: settings from flags and environment.
//! - [`queue`]: the consumer-group loop (at-least-once, takeover of dead workers' jobs).
//! - [`packages`]: the cache of problem packages by version.
//! - [`sandbox`]: the container and the session with `judge-runner` inside it.
//! - [`pool`]: the warm pool of started sandboxes, and their background removal.
//! - [`engine`]: the engine monitor, and jobs an engine failure broke put back in the queue.
//! - [`engine_health`]: whether the Docker engine is up, and the heartbeat that says so.
//! - [`job`]: one attempt at a job: attempts, the state, store-then-publish, the final state.
//! - [`judge`]: the problem, the sandbox, compiling; then the judging loop.
//! - [`inputs`]: test inputs in the sandbox: all in one upload, or one per run for large packages.
//! - [`session`]: the judging loop (pipelined runs, results, groups, score) behind a sandbox trait.
//! - [`grader`]: which test runs next, and verdicts and scores per group and for the submission.
//! - [`case_detail`]: the failing case shown to the submitter (samples only).
//! - [`checker`]: how one test is checked: default comparison, custom validator, interactive.
//! - [`retry`]: short Redis operations retried with back-off.
//! - [`validator`]: custom output validators, compiled once per problem version.
//! - [`interactive`]: interactive problems: the submission and the validator relayed.

pub mod case_detail;
pub mod checker;
pub mod config;
pub mod custom_run;
pub mod engine;
pub mod engine_health;
pub mod feedback;
pub mod grader;
pub mod inputs;
pub mod interactive;
pub mod job;
pub mod judge;
pub mod packages;
pub mod pool;
pub mod queue;
pub mod retry;
pub mod sandbox;
pub mod session;
pub mod validator;
pub mod verdict;

use std::sync::Arc;

use anyhow::Context;
use bollard::Docker;
pub use config::Config;
use tokio_util::sync::CancellationToken;

/// What every job of this worker shares.
pub struct Worker {
    pub config: Config,
    /// This worker's consumer name in the group, also its containers' label.
    pub consumer: String,
    /// Short commands only: pooled connections time out replies after 500 ms.
    pub pool: judge_store::store::Pool,
    pub docker: Docker,
    pub packages: packages::PackageCache,
    pub validators: validator::ValidatorCache,
    /// Where sandboxes come from (the warm pool) and go (background removal).
    pub sandboxes: Arc<pool::state::SandboxPool>,
    /// Whether the Docker engine answers; the queue takes no job while it does not.
    pub health: Arc<engine_health::EngineHealth>,
}

/// Runs the worker until `shutdown` is cancelled and the jobs in progress are
/// finished. Fails only if Docker or the configuration is unusable at start;
/// Redis outages are waited out.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    let consumer = config.consumer_name();
    let pool = judge_store::store::pool(&config.redis_url, config.concurrency.max(1) * 2 + 2)
        .map_err(anyhow::Error::msg)?;
    let health = engine_health::EngineHealth::new(false);
    // DOCKER_HOST (unix:// or tcp://) picks the engine, local or remote.
    let docker = Docker::connect_with_defaults().context("connecting to Docker")?;
    // An engine down at start is waited for, as one going down later is: the
    // API version is negotiated once it answers (this daemon speaks 1.41,
    // bollard asks for a newer one by default).
    let mut waited = false;
    let docker = loop {
        match docker.clone().negotiate_version().await {
            Ok(docker) => {
                health.started();
                break docker;
            }
            Err(e) => {
                if !waited {
                    tracing::error!(error = %e, "Docker engine unreachable; waiting for it");
                    waited = true;
                }
                // Unhealthy in /metrics while it waits, as later on.
                engine::write_heartbeat(&pool, &consumer, &health).await;
                tokio::select! {
                    _ = shutdown.cancelled() => return Ok(()),
                    _ = tokio::time::sleep(std::time::Duration::from_secs(1)) => {}
                }
            }
        }
    };
    match sandbox::remove_orphans(&docker, &consumer).await {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            consumer,
            removed = n,
            "removed sandboxes left by a previous run"
        ),
        Err(e) => tracing::error!(consumer, error = %e, "could not look for orphaned sandboxes"),
    }
    let mut missing = Vec::new();
    let mut present = Vec::new();
    for lang in problem_package::language::LANGUAGES {
        let image = config.image_for(lang);
        if docker.inspect_image(&image).await.is_err() {
            missing.push(image);
        } else {
            present.push((lang.id, image));
        }
    }
    if !missing.is_empty() {
        tracing::warn!(
            ?missing,
            "sandbox images missing: submissions in these languages end as IE"
        );
    }
    std::fs::create_dir_all(&config.cache_dir).with_context(|| {
        format!(
            "creating the cache directory {}",
            config.cache_dir.display()
        )
    })?;
    let packages = packages::PackageCache::new(config.cache_dir.clone(), config.redis_url.clone());
    let validators = validator::ValidatorCache::new(config.cache_dir.clone());
    let pool_images = pool_images(&config, &present);
    let sandboxes = pool::SandboxPool::new(
        docker.clone(),
        consumer.clone(),
        config.pool_size,
        pool_images.clone(),
        std::time::Duration::from_secs(config.pool_max_age_secs),
        config.reuse(),
    );
    sandboxes.start();
    tracing::info!(
        consumer,
        concurrency = config.concurrency,
        pool_size = config.pool_size,
        pool = ?pool_images,
        redis = %config.redis_url,
        "judge worker started"
    );
    let worker = Arc::new(Worker {
        config,
        consumer,
        pool,
        docker,
        packages,
        validators,
        sandboxes,
        health,
    });
    let stop_monitor = CancellationToken::new();
    let monitor = tokio::spawn(engine::monitor(worker.clone(), stop_monitor.clone()));
    queue::consume(worker.clone(), shutdown).await;
    stop_monitor.cancel();
    let _ = monitor.await;
    // No job runs any more: remove the idle pool and wait for the removals.
    worker.sandboxes.shutdown().await;
    tracing::info!("judge worker stopped");
    Ok(())
}

/// The images of the languages that get a warm pool: the configured ones (or
/// all) whose image exists.
fn pool_images(config: &Config, present: &[(&str, String)]) -> Vec<String> {
    if config.pool_size == 0 {
        return Vec::new();
    }
    match &config.pool_languages {
        None => present.iter().map(|(_, image)| image.clone()).collect(),
        Some(ids) => {
            let mut images = Vec::new();
            for id in ids.iter().map(|i| i.trim()).filter(|i| !i.is_empty()) {
                match present.iter().find(|(lang, _)| *lang == id) {
                    Some((_, image)) if !images.contains(image) => images.push(image.clone()),
                    Some(_) => {}
                    None => tracing::warn!(
                        language = id,
                        "no warm pool for this language: unknown, or its image is missing"
                    ),
                }
            }
            images
        }
    }
}
