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

    /// Submissions judged at the same time (one sandbox each, pinned to a
    /// CPU of its own, see `--cpus`); defaults to the number of CPUs this
    /// process may run on. More slots than CPUs share CPUs evenly, and CPU
    /// times then vary with the load.
    #[arg(long, env = "JUDGE_CONCURRENCY", default_value_t = default_concurrency())]
    pub concurrency: usize,

    /// Started sandboxes kept ready per language (the warm pool); 0 disables it.
    #[arg(long, env = "JUDGE_POOL_SIZE", default_value_t = 2)]
    pub pool_size: usize,

    /// Language ids this worker judges, comma-separated (a dedicated host:
    /// `java,kotlin`); by default every language whose sandbox image the
    /// engine holds. Its heartbeat lists only these, and it takes only
    /// jobs in them (see `judge_store::queue`).
    #[arg(
        long = "languages",
        env = "JUDGE_WORKER_LANGUAGES",
        value_delimiter = ','
    )]
    pub serve_languages: Option<Vec<String>>,

    /// Language ids with a warm pool, comma-separated; by default every
    /// language whose sandbox image exists.
    #[arg(long, env = "JUDGE_POOL_LANGUAGES", value_delimiter = ',')]
    pub pool_languages: Option<Vec<String>>,

    /// Longest life of an idle pooled container, in seconds: one left by a
    /// worker that died (and never restarted under its name) goes away by
    /// itself after this; the pool replaces its containers before then.
    #[arg(long, env = "JUDGE_POOL_MAX_AGE_SECS", default_value_t = 3600)]
    pub pool_max_age_secs: u64,

    /// Submissions one pooled sandbox container may serve, reset in between
    /// by its runner (see docs/security.md, the reset); 1 gives every
    /// submission a new container.
    #[arg(long, env = "JUDGE_SANDBOX_REUSE", default_value_t = DEFAULT_SANDBOX_REUSE,
          value_parser = clap::value_parser!(u32).range(1..))]
    pub sandbox_reuse: u32,

    /// CPUs the sandboxes are pinned to, one per sandbox: `auto` (the CPUs
    /// this process may run on), `none` (not pinned) or a list (`0-3,6`).
    #[arg(long, env = "JUDGE_CPUS", default_value = "auto", value_parser = parse_cpus)]
    pub cpus: CpuPinning,

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

    /// Relays interactive runs through the worker (`1`) even where the two
    /// processes could talk through named pipes (see docs/operators.md).
    #[arg(long, env = "JUDGE_INTERACTIVE_RELAY",
          value_parser = clap::builder::BoolishValueParser::new())]
    pub interactive_relay: bool,
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
            serve_languages: None,
            pool_languages: None,
            pool_max_age_secs: 3600,
            sandbox_reuse: DEFAULT_SANDBOX_REUSE,
            cpus: CpuPinning::Auto,
            max_attempts: 3,
            claim_idle_ms: 60_000,
            image_prefix: None,
            interactive_relay: false,
        }
    }

    /// How the pool shares out and reuses its containers.
    pub fn reuse(&self) -> crate::pool::reuse::Reuse {
        crate::pool::reuse::Reuse {
            max_uses: self.sandbox_reuse,
            cpus: match &self.cpus {
                CpuPinning::Auto => crate::pool::cpuset::allowed(),
                CpuPinning::None => None,
                CpuPinning::List(cpus) => Some(cpus.clone()),
            },
        }
    }

    /// The consumer name: the configured one or `<hostname>-<pid>`.
    pub fn consumer_name(&self) -> String {
        match &self.worker_name {
            Some(name) if !name.trim().is_empty() => name.trim().to_string(),
            _ => format!("{}-{}", hostname(), std::process::id()),
        }
    }

    /// Whether this worker judges language `id` when its image is there:
    /// it is one of `--languages` (all when unset).
    pub fn serves(&self, id: &str) -> bool {
        match &self.serve_languages {
            None => true,
            Some(ids) => ids.iter().any(|l| l.trim() == id),
        }
    }

    /// Checks `--languages`: every id a known language, and at least one.
    pub fn check_languages(&self) -> Result<(), String> {
        let Some(ids) = &self.serve_languages else {
            return Ok(());
        };
        let ids: Vec<&str> = ids
            .iter()
            .map(|i| i.trim())
            .filter(|i| !i.is_empty())
            .collect();
        if ids.is_empty() {
            return Err("JUDGE_WORKER_LANGUAGES (--languages) names no language; unset it to serve every language whose image is there".into());
        }
        let unknown: Vec<&str> = ids
            .iter()
            .copied()
            .filter(|id| problem_package::language::by_id(id).is_none())
            .collect();
        if !unknown.is_empty() {
            return Err(format!(
                "JUDGE_WORKER_LANGUAGES (--languages): unknown language id(s) {}",
                unknown.join(", ")
            ));
        }
        Ok(())
    }

    /// The full image reference of a language's sandbox.
    pub fn image_for(&self, language: &problem_package::language::Language) -> String {
        format!(
            "{}{}:latest",
            self.image_prefix.as_deref().unwrap_or(""),
            language.image
        )
    }
}

/// Submissions a pooled container serves by default.
pub const DEFAULT_SANDBOX_REUSE: u32 = 100;

/// Which CPUs sandboxes are pinned to (`--cpus`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CpuPinning {
    Auto,
    None,
    List(Vec<usize>),
}

fn parse_cpus(text: &str) -> Result<CpuPinning, String> {
    match text.trim() {
        "auto" | "" => Ok(CpuPinning::Auto),
        "none" => Ok(CpuPinning::None),
        list => crate::pool::cpuset::parse_list(list).map(CpuPinning::List),
    }
}

/// One judging per CPU this process may run on (its affinity and cgroup
/// quota): each sandbox is pinned to one of them.
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
        assert_eq!(
            (config.sandbox_reuse, &config.cpus),
            (DEFAULT_SANDBOX_REUSE, &CpuPinning::Auto)
        );
        assert!(config.reuse().cpus.is_some_and(|c| !c.is_empty()));
        let pinned =
            Config::try_parse_from(["judge-worker", "--cpus", "1,3", "--sandbox-reuse", "1"])
                .unwrap();
        assert_eq!(pinned.reuse().cpus, Some(vec![1, 3]));
        assert_eq!(pinned.reuse().max_uses, 1);
        assert!(!config.interactive_relay);
        let relay = Config::try_parse_from(["judge-worker", "--interactive-relay"]).unwrap();
        assert!(relay.interactive_relay);
        let unpinned = Config::try_parse_from(["judge-worker", "--cpus", "none"]).unwrap();
        assert_eq!(unpinned.reuse().cpus, None);
        let err = Config::try_parse_from(["judge-worker", "--cpus", "2-1"]).unwrap_err();
        assert!(err.to_string().contains("--cpus"), "{err}");
        assert!(Config::try_parse_from(["judge-worker", "--sandbox-reuse", "0"]).is_err());
        assert_eq!(config.serve_languages, None);
        assert!(config.serves("ocaml") && config.check_languages().is_ok());
        let dedicated =
            Config::try_parse_from(["judge-worker", "--languages", "java, kotlin"]).unwrap();
        assert!(dedicated.serves("kotlin") && !dedicated.serves("cpp"));
        assert!(dedicated.check_languages().is_ok());
        let typo = Config::try_parse_from(["judge-worker", "--languages", "java,jav"]).unwrap();
        let err = typo.check_languages().unwrap_err();
        assert!(
            err.contains("JUDGE_WORKER_LANGUAGES") && err.contains("jav"),
            "{err}"
        );
        let none = Config::try_parse_from(["judge-worker", "--languages", ","]).unwrap();
        assert!(none.check_languages().is_err());
        let parsed =
            Config::try_parse_from(["judge-worker", "--pool-languages", "cpp,python3"]).unwrap();
        assert_eq!(
            parsed.pool_languages,
            Some(vec!["cpp".to_string(), "python3".to_string()])
        );
        assert!(config
            .consumer_name()
            .ends_with(&format!("-{}", std::process::id())));
        let cpp = problem_package::language::by_id("cpp").unwrap();
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
