//! The compiled validators by problem version: in memory, and on the
//! worker's disk (`<cache>/<version>/.validator-<problem>/`). Building one
//! that is in neither is [`super::build`]'s ([`ValidatorCache::get`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex, OnceLock};

use tokio::sync::Mutex;

use super::compiled::CompiledValidator;

/// A result kept for a version: the validator or why it cannot be used.
pub(super) type Slot = Arc<Mutex<Option<Result<Arc<CompiledValidator>, String>>>>;

/// Compiled validators by problem version.
pub struct ValidatorCache {
    pub(super) dir: PathBuf,
    pub(super) slots: Mutex<HashMap<String, Slot>>,
}

/// Compilations per problem version in this process, for tests and logs.
pub(super) fn compilation_counts() -> &'static StdMutex<HashMap<String, usize>> {
    static COUNTS: OnceLock<StdMutex<HashMap<String, usize>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

/// How many times this process compiled the validator of `version`.
pub fn compilations(version: &str) -> usize {
    compilation_counts()
        .lock()
        .unwrap()
        .get(version)
        .copied()
        .unwrap_or(0)
}

impl ValidatorCache {
    pub fn new(dir: PathBuf) -> ValidatorCache {
        ValidatorCache {
            dir,
            slots: Mutex::new(HashMap::new()),
        }
    }
}

pub(super) fn read_disk(dir: &Path) -> Option<CompiledValidator> {
    let meta = std::fs::read(dir.join("meta.json")).ok()?;
    let mut compiled: CompiledValidator = serde_json::from_slice(&meta).ok()?;
    compiled.files = std::fs::read(dir.join("build.tar")).ok()?;
    Some(compiled)
}

pub(super) fn write_disk(dir: &Path, compiled: &CompiledValidator) -> std::io::Result<()> {
    let parent = dir.parent().expect("has a parent");
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".validator-")
        .tempdir_in(parent)?;
    std::fs::write(staging.path().join("build.tar"), &compiled.files)?;
    std::fs::write(
        staging.path().join("meta.json"),
        serde_json::to_vec(compiled).map_err(std::io::Error::other)?,
    )?;
    let staged = staging.keep();
    match std::fs::rename(&staged, dir) {
        Ok(()) => Ok(()),
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&staged);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged);
            Err(e)
        }
    }
}
