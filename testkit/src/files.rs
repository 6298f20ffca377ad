//! Files of test fixtures, such as problem packages, and where the
//! repository keeps its own.

use std::path::{Path, PathBuf};

/// Writes `text` to `root/path`, creating the directories on the way.
pub fn write_file(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// The repository's `problems/` directory: the bundled problems.
pub fn bundled_problems() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../problems")
}

/// `tests/fixtures/problems/`: the fixture packages of the tests.
pub fn fixture_problems() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/problems")
}
