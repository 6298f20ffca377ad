//! Listing a package's folders.

use std::path::{Path, PathBuf};

use super::error::ProblemError;

/// The entries of `dir`, sorted by path.
pub(super) fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, ProblemError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| ProblemError::new(dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// The last component of `path`, lossily as text.
pub(super) fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
