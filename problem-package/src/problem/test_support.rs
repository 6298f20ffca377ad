//! Packages for the tests of this module's parts.

use std::fs;
use std::path::Path;

/// Writes `text` at `path` below `root`, creating folders.
pub(super) fn write(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    fs::create_dir_all(p.parent().unwrap()).unwrap();
    fs::write(p, text).unwrap();
}

/// A package `prob` in a temporary directory with these files.
pub(super) fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("prob");
    fs::create_dir(&root).unwrap();
    for (path, text) in files {
        write(&root, path, text);
    }
    dir
}
