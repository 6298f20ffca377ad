//! Worker configuration, from flags or (as deployed) environment variables.

use std::path::PathBuf;

use clap::Parser;

/// Everything a worker needs to know. Every field has an environment
/// variable so that a container orchestrator can configure it without flags.
#[derive(Clone, Debug, Parser)]
#[command(
    name = "judge-worker",
    about = "Judges submissions taken from the Redis job stream"
)]
pub struct Config {
    /// Redis holding the job stream, submissions and problem packages.
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,

    /// Consumer name in the worker group. It must be stable across restarts
    /// of the same worker for orphaned sandboxes to be found; defaults to
    /// `<hostname>-<pid>`.
    #[arg(long, env = "JUDGE_WORKER_NAME")]
    pub worker_name: Option<String>,

    /// Where unpacked problem packages are cached, one directory per version.
    #[arg(long, env = "JUDGE_CACHE_DIR", default_value = "/tmp/judge-cache")]
    pub cache_dir: PathBuf,

    /// Submissions judged at the same time (one sandbox each, with one CPU
    /// of quota); defaults to the number of CPUs.
    #[arg(long, env = "JUDGE_CONCURRENCY", default_value_t = default_concurrency())]
    pub concurrency: usize,

    /// Started sandboxes kept ready per language (the warm pool); 0 disables it.
    #[arg(long, env = "JUDGE_POOL_SIZE", default_value_t = 2)]
    pub pool_size: usize,

    /// Language ids with a warm pool, comma-separated; by default every
    /// language whose sandbox image exists.
    #[arg(long, env = "JUDGE_POOL_LANGUAGES", value_delimiter = ',')]
    pub pool_languages: Option<Vec<String>>,

    /// Longest life of an idle pooled container, in seconds: one left by a
    /// worker that died (and never restarted under its name) goes away by
    /// itself after this; the pool replaces its containers before then.
    #[arg(long, env = "JUDGE_POOL_MAX_AGE_SECS", default_value_t = 3600)]
    pub pool_max_age_secs: u64,

    /// Starts of judging after which a submission that keeps killing its
    /// worker is given up as an internal error.
    #[arg(long, env = "JUDGE_MAX_ATTEMPTS", default_value_t = 3)]
    pub max_attempts: u32,

    /// A job delivered to another consumer and not acknowledged for this long
    /// is taken over (its worker is presumed dead).
    #[arg(long, env = "JUDGE_CLAIM_IDLE_MS", default_value_t = 60_000)]
    pub claim_idle_ms: u64,

    /// Prepended verbatim to sandbox image names (`registry:5000/` gives
    /// `registry:5000/judge-lang-cpp:latest`).
    #[arg(long, env = "JUDGE_IMAGE_PREFIX")]
    pub image_prefix: Option<String>,
}

impl Config {
    /// The defaults with the given Redis URL, for tests and embedding; it
    /// reads no environment variables.
    pub fn new(redis_url: impl Into<String>) -> Config {
        Config {
            redis_url: redis_url.into(),
            worker_name: None,
            cache_dir: PathBuf::from("/tmp/judge-cache"),
            concurrency: default_concurrency(),
            pool_size: 2,
            pool_languages: None,
            pool_max_age_secs: 3600,
            max_attempts: 3,
            claim_idle_ms: 60_000,
            image_prefix: None,
        }
    }

    /// The consumer name: the configured one or `<hostname>-<pid>`.
    pub fn consumer_name(&self) -> String {
        match &self.worker_name {
            Some(name) if !name.trim().is_empty() => name.trim().to_string(),
            _ => format!("{}-{}", hostname(), std::process::id()),
        }
    }

    /// The full image reference of a language's sandbox.
    pub fn image_for(&self, language: &judge_core::Language) -> String {
        format!(
            "{}{}:latest",
            self.image_prefix.as_deref().unwrap_or(""),
            language.image
        )
    }
}

/// One judging per CPU: each sandbox gets one CPU of quota.
pub fn default_concurrency() -> usize {
    std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .or_else(|_| std::fs::read_to_string("/etc/hostname"))
        .map(|h| h.trim().to_string())
        .ok()
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| "worker".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_match_the_documentation() {
        let config = Config::try_parse_from(["judge-worker"]).unwrap();
        // The environment of the test may set some; check those that are unlikely.
        assert!(config.concurrency >= 1);
        let config = Config::new("redis://x");
        assert_eq!(config.max_attempts, 3);
        assert_eq!(config.concurrency, default_concurrency());
        assert_eq!((config.pool_size, config.pool_max_age_secs), (2, 3600));
        assert_eq!(config.pool_languages, None);
        let parsed =
            Config::try_parse_from(["judge-worker", "--pool-languages", "cpp,python3"]).unwrap();
        assert_eq!(
            parsed.pool_languages,
            Some(vec!["cpp".to_string(), "python3".to_string()])
        );
        assert!(config
            .consumer_name()
            .ends_with(&format!("-{}", std::process::id())));
        let cpp = judge_core::language::by_id("cpp").unwrap();
        assert_eq!(config.image_for(cpp), "judge-lang-cpp:latest");
        let config = Config {
            image_prefix: Some("reg:5000/".into()),
            worker_name: Some("w1".into()),
            ..config
        };
        assert_eq!(config.image_for(cpp), "reg:5000/judge-lang-cpp:latest");
        assert_eq!(config.consumer_name(), "w1");
    }
}
