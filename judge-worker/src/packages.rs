//! The worker's cache of problem packages.
//!
//! A submission is judged against the exact package version it was submitted
//! against, so the cache is keyed by version (the package's SHA-256) and an
//! entry never changes once written: `<cache>/<version>/<problem_id>/`. A
//! package is unpacked into a temporary directory beside its final place and
//! renamed into it, so a concurrent job (or a second worker process sharing the
//! cache) sees either no package or a whole one, never half of one.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use judge_store::store;
use problem_package::problem::{self, Problem};
use sha2::{Digest, Sha256};
use tokio::sync::Mutex;

/// Why a package could not be provided. Always a judge fault (IE).
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("problem package {0} is not in Redis")]
    Missing(String),
    #[error("invalid problem reference {0:?}")]
    InvalidName(String),
    #[error("problem package {version} is corrupt: its hash is {actual}")]
    HashMismatch { version: String, actual: String },
    #[error("redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("problem package: {0}")]
    Io(#[from] std::io::Error),
    #[error("problem package does not load: {0}")]
    Load(#[from] problem::ProblemError),
}

/// A problem being loaded or loaded; its lock is held while fetching.
type Slot = Arc<Mutex<Option<Arc<Problem>>>>;

/// Loaded problems by version, backed by unpacked packages on disk.
pub struct PackageCache {
    dir: PathBuf,
    redis_url: String,
    /// One lock per version, so two jobs for a new version fetch it once.
    loaded: Mutex<HashMap<String, Slot>>,
}

impl PackageCache {
    pub fn new(dir: PathBuf, redis_url: String) -> PackageCache {
        PackageCache {
            dir,
            redis_url,
            loaded: Mutex::new(HashMap::new()),
        }
    }

    /// The problem `problem_id` at `version`, fetched and unpacked if needed.
    pub async fn get(&self, problem_id: &str, version: &str) -> Result<Arc<Problem>, PackageError> {
        if !problem::is_valid_id(problem_id) {
            return Err(PackageError::InvalidName(problem_id.to_string()));
        }
        // The version becomes a directory name: only a hex hash is acceptable.
        if version.is_empty()
            || version.len() > 128
            || !version.bytes().all(|b| b.is_ascii_hexdigit())
        {
            return Err(PackageError::InvalidName(version.to_string()));
        }
        let slot = {
            let mut loaded = self.loaded.lock().await;
            loaded
                .entry(format!("{version}/{problem_id}"))
                .or_default()
                .clone()
        };
        let mut slot = slot.lock().await;
        if let Some(problem) = slot.as_ref() {
            return Ok(problem.clone());
        }
        let root = self.dir.join(version).join(problem_id);
        if !root.is_dir() {
            self.fetch(problem_id, version, &root).await?;
        }
        let problem = tokio::task::spawn_blocking(move || Problem::load(&root))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))??;
        let problem = Arc::new(problem);
        *slot = Some(problem.clone());
        Ok(problem)
    }

    async fn fetch(
        &self,
        problem_id: &str,
        version: &str,
        root: &Path,
    ) -> Result<(), PackageError> {
        // Packages can be large: a dedicated connection has no reply timeout.
        let mut conn = store::dedicated(&self.redis_url).await?;
        let bytes = store::load_package(&mut conn, version)
            .await?
            .ok_or_else(|| PackageError::Missing(version.to_string()))?;
        tracing::info!(
            problem_id,
            version,
            bytes = bytes.len(),
            "fetched problem package"
        );
        let version = version.to_string();
        let root = root.to_path_buf();
        tokio::task::spawn_blocking(move || unpack_atomically(&bytes, &version, &root))
            .await
            .map_err(|e| std::io::Error::other(e.to_string()))?
    }
}

fn unpack_atomically(bytes: &[u8], version: &str, root: &Path) -> Result<(), PackageError> {
    let actual = hex::encode(Sha256::digest(bytes));
    if !actual.eq_ignore_ascii_case(version) {
        return Err(PackageError::HashMismatch {
            version: version.to_string(),
            actual,
        });
    }
    let parent = root.parent().expect("cache entries have a parent");
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".unpack-")
        .tempdir_in(parent)?;
    let unpacked = staging.path().join("package");
    problem::unpack(bytes, &unpacked)?;
    match std::fs::rename(&unpacked, root) {
        Ok(()) => Ok(()),
        // Someone else (another worker sharing the cache) got there first: theirs is whole.
        Err(_) if root.is_dir() => Ok(()),
        Err(e) => Err(e.into()),
    }
    // `staging` is removed when dropped.
}
