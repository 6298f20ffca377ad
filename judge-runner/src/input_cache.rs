//! The input cache ([`judge_protocol::INPUTS_DIR`]): one problem version's
//! test inputs, kept across the reset of a reused container so that the
//! next submission to the same version needs none uploaded (`Inputs`).
//!
//! The cache holds a key only once an upload carrying that key's inputs has
//! completely succeeded; any other outcome leaves it empty and holding
//! nothing, and a run then never reads from it. A runner starts holding
//! nothing, whatever the directory contains: it cannot know how those files
//! got there. The directory is root's with mode 0700 and its files 0600, like
//! the tests directory: the sandbox user can neither read nor write it; the
//! runner opens an input as root and hands the descriptor over as stdin.

use std::fs::{self, File};
use std::io;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};

use judge_protocol::{INPUTS_DIR, MAX_INPUTS_KEY};

use crate::exec;

/// The cache directory and the key of the set it holds, if any.
#[derive(Debug)]
pub struct InputCache {
    dir: PathBuf,
    key: Option<String>,
}

impl InputCache {
    /// The container's cache, holding nothing yet.
    pub fn system() -> InputCache {
        InputCache::at(INPUTS_DIR)
    }

    /// A cache at `dir` (the tests use temporary directories).
    pub fn at(dir: impl AsRef<Path>) -> InputCache {
        InputCache {
            dir: dir.as_ref().to_path_buf(),
            key: None,
        }
    }

    /// `Inputs`: true when the cache holds exactly `key`'s set; otherwise
    /// empties it (its pages count against the container's memory) and
    /// answers false. `Err` when it cannot be emptied, or when a key is
    /// asked for and there is no private cache directory to fill: the worker
    /// then uploads the inputs into the tests directory instead.
    pub fn ask(&mut self, key: Option<&str>) -> Result<bool, String> {
        if key.is_some() && self.key.as_deref() == key {
            return Ok(true);
        }
        self.key = None;
        self.clear()?;
        if let Some(key) = key {
            valid_key(key)?;
            self.check_private()?;
        }
        Ok(false)
    }

    /// `Upload`: runs `unpack` with the cache directory when the upload
    /// carries an `inputs_key` (the cache is emptied first, and holds the key
    /// only if `unpack` succeeds), without it otherwise (so `inputs/`
    /// entries are refused and the cache stays as it is).
    pub fn upload(
        &mut self,
        inputs_key: Option<String>,
        unpack: impl FnOnce(Option<&Path>) -> Result<usize, String>,
    ) -> Result<usize, String> {
        let Some(key) = inputs_key else {
            return unpack(None);
        };
        self.key = None;
        valid_key(&key)?;
        self.clear()?;
        self.check_private()?;
        match unpack(Some(&self.dir)) {
            Ok(files) => {
                self.key = Some(key);
                Ok(files)
            }
            Err(e) => {
                // Half a set must neither be read nor hold memory.
                if let Err(cleared) = self.clear() {
                    return Err(format!("{e}; {cleared}"));
                }
                Err(e)
            }
        }
    }

    /// Opens a run's input: `tests_dir/<input>` when there, else the cached
    /// one while the cache holds a set. The name is checked by
    /// [`exec::open_test_input`] whichever directory it is opened in.
    pub fn open(&self, tests_dir: &Path, input: &str) -> Result<File, String> {
        let in_tests = match fs::symlink_metadata(tests_dir.join(input)) {
            Err(e) => e.kind() != io::ErrorKind::NotFound,
            Ok(_) => true,
        };
        let dir = if in_tests || self.key.is_none() {
            tests_dir
        } else {
            &self.dir
        };
        exec::open_test_input(dir, input)
    }

    /// KiB of memory the cache's own tmpfs holds: what the reset discounts
    /// from the cgroup's shared memory. 0 when the directory is not a mount
    /// of its own (then its files are no tmpfs pages of ours) or is missing.
    pub fn resident_kb(&self) -> u64 {
        let own_mount = match (fs::metadata(&self.dir), self.dir.parent().map(fs::metadata)) {
            (Ok(dir), Some(Ok(parent))) => dir.dev() != parent.dev(),
            _ => false,
        };
        if !own_mount {
            return 0;
        }
        nix::sys::statvfs::statvfs(&self.dir)
            .map(|st| {
                let used = st.blocks().saturating_sub(st.blocks_free());
                used * st.fragment_size() / 1024
            })
            .unwrap_or(0)
    }

    /// `Err` unless the directory exists, belongs to the runner's user and is
    /// closed to everyone else: the reset checks it too.
    pub fn check_private(&self) -> Result<(), String> {
        let dir = self.dir.display();
        let md = fs::symlink_metadata(&self.dir).map_err(|e| format!("input cache {dir}: {e}"))?;
        let euid = unsafe { libc::geteuid() };
        if !md.is_dir() || md.uid() != euid || md.mode() & 0o077 != 0 {
            return Err(format!(
                "input cache {dir} is not a directory of uid {euid} closed to others (uid {}, mode {:o})",
                md.uid(),
                md.mode() & 0o7777
            ));
        }
        Ok(())
    }

    /// Whether the directory exists (a container created without the mount
    /// has no cache; nothing about it is checked then).
    pub fn exists(&self) -> bool {
        self.dir.is_dir()
    }

    /// Removes everything in the directory (all of it root's: no other user
    /// can write there). A missing directory holds nothing.
    fn clear(&self) -> Result<(), String> {
        let rd = match fs::read_dir(&self.dir) {
            Ok(rd) => rd,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(format!("input cache {}: {e}", self.dir.display())),
        };
        for entry in rd {
            let path = entry
                .map_err(|e| format!("input cache {}: {e}", self.dir.display()))?
                .path();
            let removed = match fs::symlink_metadata(&path) {
                Ok(md) if md.is_dir() => fs::remove_dir_all(&path),
                _ => fs::remove_file(&path),
            };
            removed.map_err(|e| format!("empty the input cache: {}: {e}", path.display()))?;
        }
        Ok(())
    }
}

fn valid_key(key: &str) -> Result<(), String> {
    if key.is_empty() || key.len() > MAX_INPUTS_KEY {
        return Err(format!(
            "an inputs key must have 1 to {MAX_INPUTS_KEY} bytes, not {}",
            key.len()
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::upload::{unpack_into, Dirs};
    use std::io::Read;
    use std::os::unix::fs::PermissionsExt;

    struct Fixture {
        _root: tempfile::TempDir,
        build: PathBuf,
        tests: PathBuf,
        data: PathBuf,
        cache: InputCache,
    }

    impl Fixture {
        fn new() -> Fixture {
            let root = tempfile::tempdir().unwrap();
            let dir = root.path().join("inputs");
            fs::create_dir(&dir).unwrap();
            fs::set_permissions(&dir, fs::Permissions::from_mode(0o700)).unwrap();
            Fixture {
                build: root.path().join("build"),
                tests: root.path().join("tests"),
                data: root.path().join("data"),
                cache: InputCache::at(&dir),
                _root: root,
            }
        }

        fn upload(&mut self, tar: &[u8], key: Option<&str>) -> Result<usize, String> {
            let (build, tests, data) = (&self.build, &self.tests, &self.data);
            self.cache.upload(key.map(String::from), |inputs| {
                let dirs = Dirs {
                    build,
                    tests,
                    data,
                    inputs,
                };
                unpack_into(tar, &dirs, None)
            })
        }

        fn read(&self, input: &str) -> Result<String, String> {
            let mut text = String::new();
            self.cache
                .open(&self.tests, input)?
                .read_to_string(&mut text)
                .unwrap();
            Ok(text)
        }
    }

    fn tar_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(0o644);
            h.set_entry_type(tar::EntryType::Regular);
            b.append_data(&mut h, path, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn a_key_is_held_only_after_its_whole_upload_succeeded() {
        let mut f = Fixture::new();
        assert!(!f.cache.ask(Some("p/v1")).unwrap());
        // An upload that fails half-way (its second entry escapes) holds
        // nothing and leaves nothing.
        let bad = tar_of(&[("inputs/1.in", b"1\n"), ("other/x", b"x")]);
        assert!(f.upload(&bad, Some("p/v1")).is_err());
        assert_eq!(f.cache.key, None);
        assert!(fs::read_dir(&f.cache.dir).unwrap().next().is_none());
        assert!(!f.cache.ask(Some("p/v1")).unwrap());
        let good = tar_of(&[("build/main.c", b"x"), ("inputs/1.in", b"1\n")]);
        assert_eq!(f.upload(&good, Some("p/v1")).unwrap(), 2);
        assert!(f.cache.ask(Some("p/v1")).unwrap());
        assert_eq!(f.read("1.in").unwrap(), "1\n");
        // Asking for another set (or none) empties it.
        assert!(!f.cache.ask(Some("q/v1")).unwrap());
        assert!(f.read("1.in").is_err());
        assert!(!f.cache.dir.join("1.in").exists());
        assert_eq!(f.upload(&good, Some("p/v1")).unwrap(), 2);
        assert!(!f.cache.ask(None).unwrap());
        assert!(!f.cache.ask(Some("p/v1")).unwrap());
    }

    #[test]
    fn an_upload_with_a_key_replaces_the_whole_set() {
        let mut f = Fixture::new();
        let two = tar_of(&[("inputs/1.in", b"a"), ("inputs/2.in", b"b")]);
        f.upload(&two, Some("p/v1")).unwrap();
        let one = tar_of(&[("inputs/1.in", b"c")]);
        f.upload(&one, Some("p/v2")).unwrap();
        assert_eq!(f.read("1.in").unwrap(), "c");
        assert!(f.read("2.in").is_err(), "the older set's file stayed");
        // An upload without a key may not touch the cache, nor drop its key.
        assert!(f.upload(&tar_of(&[("inputs/1.in", b"d")]), None).is_err());
        f.upload(&tar_of(&[("tests/9.in", b"t")]), None).unwrap();
        assert!(f.cache.ask(Some("p/v2")).unwrap());
        assert_eq!(f.read("1.in").unwrap(), "c");
    }

    #[test]
    fn a_run_reads_the_tests_directory_first_then_a_held_cache() {
        let mut f = Fixture::new();
        f.upload(
            &tar_of(&[("inputs/1.in", b"cached"), ("inputs/2.in", b"2")]),
            Some("k"),
        )
        .unwrap();
        f.upload(&tar_of(&[("tests/1.in", b"staged")]), None)
            .unwrap();
        assert_eq!(f.read("1.in").unwrap(), "staged");
        assert_eq!(f.read("2.in").unwrap(), "2");
        assert!(f.read("3.in").is_err());
        for bad in ["../inputs/2.in", "", "a/b"] {
            assert!(f.read(bad).unwrap_err().contains("invalid"), "{bad}");
        }
        // A cache that holds no key is never read, whatever it contains.
        fs::write(f.cache.dir.join("5.in"), "stray").unwrap();
        f.cache.key = None;
        assert!(f.read("2.in").is_err());
        assert!(f.read("5.in").is_err());
    }

    #[test]
    fn a_cache_open_to_others_or_missing_is_not_filled() {
        let mut f = Fixture::new();
        fs::set_permissions(&f.cache.dir, fs::Permissions::from_mode(0o755)).unwrap();
        assert!(f.cache.ask(Some("k")).unwrap_err().contains("closed"));
        let e = f
            .upload(&tar_of(&[("inputs/1.in", b"x")]), Some("k"))
            .unwrap_err();
        assert!(e.contains("closed"), "{e}");
        assert!(!f.cache.dir.join("1.in").exists());
        let mut missing = InputCache::at(f.cache.dir.join("nowhere"));
        assert!(!missing.ask(None).unwrap());
        assert!(missing.ask(Some("k")).is_err());
        assert!(f.cache.ask(Some(&"k".repeat(MAX_INPUTS_KEY + 1))).is_err());
        // Not a mount of its own: nothing to discount.
        assert_eq!(f.cache.resident_kb(), 0);
    }
}
