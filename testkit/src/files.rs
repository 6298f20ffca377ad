//! Files of test fixtures, such as problem packages and their tars, and
//! where the repository keeps its own.

use std::path::{Path, PathBuf};

/// Writes `text` to `root/path`, creating the directories on the way.
pub fn write_file(root: &Path, path: &str, text: &str) {
    let p = root.join(path);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// A problem folder at `root`: `yaml` as its `problem.yaml` and one
/// secret case whose input and answer are `1`.
pub fn write_problem(root: &Path, yaml: &str) {
    write_file(root, "problem.yaml", yaml);
    write_file(root, "data/secret/1.in", "1\n");
    write_file(root, "data/secret/1.ans", "1\n");
}

/// A tar of `files` (path in the archive, text), regular files of mode 0644.
pub fn tar_of(files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, path, text.as_bytes())
            .unwrap();
    }
    builder.into_inner().unwrap()
}

/// The repository's `problems/` directory: the bundled problems.
pub fn bundled_problems() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../problems")
}

/// `tests/fixtures/problems/`: the fixture packages of the tests.
pub fn fixture_problems() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/fixtures/problems")
}
