//! Files of test fixtures, such as problem packages.

use std::path::Path;

/// Writes `text` to `root/path`, creating the directories on the way.
pub fn write_file(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}
