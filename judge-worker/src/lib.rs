//! The judge worker: takes submissions from the Redis job stream, judges
//! each in a fresh Docker sandbox and stores every state change.
//!
//! - [`config`]: settings from flags and environment.
//! - [`queue`]: the consumer-group loop (at-least-once, takeover of dead workers' jobs).
//! - [`packages`]: the cache of problem packages by version.
//! - [`sandbox`]: the container and the session with `judge-runner` inside it.
//! - [`judge`]: compile, run, compare, verdicts and events.
//! - [`validator`]: custom output validators, compiled once per problem version.

pub mod config;
pub mod judge;
pub mod packages;
pub mod queue;
pub mod sandbox;
pub mod validator;

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
    pub pool: deadpool_redis::Pool,
    pub docker: Docker,
    pub packages: packages::PackageCache,
    pub validators: validator::ValidatorCache,
}

/// Runs the worker until `shutdown` is cancelled and the jobs in progress are
/// finished. Fails only if Docker or the configuration is unusable at start;
/// Redis outages are waited out.
pub async fn run(config: Config, shutdown: CancellationToken) -> anyhow::Result<()> {
    let consumer = config.consumer_name();
    let docker = Docker::connect_with_local_defaults()
        .context("connecting to Docker")?
        .negotiate_version()
        .await
        .context("negotiating the Docker API version")?;
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
    for lang in judge_core::language::LANGUAGES {
        let image = config.image_for(lang);
        if docker.inspect_image(&image).await.is_err() {
            missing.push(image);
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
    let pool = judge_core::store::pool(&config.redis_url, config.concurrency.max(1) * 2 + 2)
        .map_err(anyhow::Error::msg)?;
    let packages = packages::PackageCache::new(config.cache_dir.clone(), config.redis_url.clone());
    let validators = validator::ValidatorCache::new(config.cache_dir.clone());
    tracing::info!(
        consumer,
        concurrency = config.concurrency,
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
    });
    queue::consume(worker, shutdown).await;
    tracing::info!("judge worker stopped");
    Ok(())
}
