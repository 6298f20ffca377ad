//! The worker's life: at start, the Docker engine (waited for), orphaned
//! sandboxes removed, the images looked for, the caches and the warm pool;
//! then the engine monitor and the queue until the shutdown; then the pool
//! removed.

use std::sync::Arc;

use anyhow::Context;
use bollard::Docker;
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::engine_health::EngineHealth;
use crate::packages::PackageCache;
use crate::pool::state::SandboxPool;
use crate::validator::cache::ValidatorCache;
use crate::worker::Worker;
use crate::{engine, queue, sandbox};

/// Runs the worker until `shutdown` is cancelled and the jobs in progress are
/// finished. Fails only if Docker or the configuration is unusable at start;
/// Redis outages are waited out.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    config.check_languages().map_err(anyhow::Error::msg)?;
    let consumer = config.consumer_name();
    let pool = judge_store::store::pool(&config.redis_url, config.concurrency.max(1) * 2 + 2)
        .map_err(anyhow::Error::msg)?;
    let health = EngineHealth::new(false);
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
                engine::write_heartbeat(&pool, &consumer, &health, vec![], None).await;
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
        if !config.serves(lang.id) {
            continue;
        }
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
            "sandbox images missing: their languages are not ready, and the API refuses submissions in them until an image is built (scripts/build-images.sh)"
        );
    }
    std::fs::create_dir_all(&config.cache_dir).with_context(|| {
        format!(
            "creating the cache directory {}",
            config.cache_dir.display()
        )
    })?;
    crate::sandbox::pipes::init();
    if config.interactive_relay {
        tracing::info!(
            "interactive runs are relayed by the worker: JUDGE_INTERACTIVE_RELAY is set"
        );
    }
    let packages = PackageCache::new(config.cache_dir.clone(), config.redis_url.clone());
    let validators = ValidatorCache::new(config.cache_dir.clone());
    // The queue takes jobs in these until the engine monitor looks again.
    health.set_languages(
        &present
            .iter()
            .map(|(id, _)| id.to_string())
            .collect::<Vec<_>>(),
    );
    let pool_images = pool_images(&config, &present);
    let sandboxes = SandboxPool::new(
        docker.clone(),
        consumer.clone(),
        config.pool_size,
        pool_images.clone(),
        std::time::Duration::from_secs(config.pool_max_age_secs),
        config.reuse(),
    );
    sandboxes.start();
    // One validator container per slot and image at most is kept idle: a
    // judging needs one at a time.
    let validator_sandboxes = SandboxPool::for_validators(
        docker.clone(),
        consumer.clone(),
        config.concurrency.max(1),
        std::time::Duration::from_secs(config.pool_max_age_secs),
        config.sandbox_reuse,
    );
    validator_sandboxes.start();
    tracing::info!(
        consumer,
        concurrency = config.concurrency,
        pool_size = config.pool_size,
        pool = ?pool_images,
        languages = ?present.iter().map(|(id, _)| *id).collect::<Vec<_>>(),
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
        validator_sandboxes,
        health,
    });
    let stop_monitor = CancellationToken::new();
    let monitor = tokio::spawn(engine::monitor(worker.clone(), stop_monitor.clone()));
    queue::consume(worker.clone(), shutdown).await;
    stop_monitor.cancel();
    let _ = monitor.await;
    // No job runs any more: remove the idle pool and wait for the removals.
    worker.sandboxes.shutdown().await;
    worker.validator_sandboxes.shutdown().await;
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
