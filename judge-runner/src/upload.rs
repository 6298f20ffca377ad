//! `Upload`: unpacks the worker's tar into the build, tests and data
//! directories and the input cache.

use std::fs::{self, OpenOptions};
use std::io::{self, Cursor};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Component, Path, PathBuf};

use judge_protocol::{BUILD_DIR, DATA_DIR, SANDBOX_GID, SANDBOX_UID, TESTS_DIR};

use crate::fstree;

/// Where an archive entry goes.
#[derive(Debug, PartialEq, Eq)]
pub enum Dest {
    /// Relative path below the build directory (empty: the directory itself).
    Build(PathBuf),
    /// Relative path below the tests directory (empty: the directory itself).
    Tests(PathBuf),
    /// Relative path below the data directory (empty: the directory itself).
    Data(PathBuf),
    /// Relative path below the input cache (empty: the directory itself).
    Inputs(PathBuf),
}

/// Where the kinds of entries go.
pub struct Dirs<'a> {
    pub build: &'a Path,
    pub tests: &'a Path,
    pub data: &'a Path,
    /// The input cache, when this upload may fill it (it carries an
    /// `inputs_key`, see [`crate::input_cache`]); `inputs/` entries are
    /// refused otherwise.
    pub inputs: Option<&'a Path>,
}

/// Maps an archive path to its destination, refusing absolute paths, `..`
/// and anything outside `build/`, `tests/`, `data/` and `inputs/`.
pub fn classify_path(path: &Path) -> Result<Dest, String> {
    let mut parts = Vec::new();
    for c in path.components() {
        match c {
            Component::Normal(p) => parts.push(p.to_owned()),
            Component::CurDir => {}
            Component::ParentDir => return Err(format!("refusing `..` in {}", path.display())),
            Component::RootDir | Component::Prefix(_) => {
                return Err(format!("refusing absolute path {}", path.display()))
            }
        }
    }
    let Some(first) = parts.first() else {
        return Err(format!("empty path {:?}", path.display().to_string()));
    };
    let rest: PathBuf = parts[1..].iter().collect();
    match first.to_str() {
        Some("build") => Ok(Dest::Build(rest)),
        Some("tests") => Ok(Dest::Tests(rest)),
        Some("data") => Ok(Dest::Data(rest)),
        Some("inputs") => Ok(Dest::Inputs(rest)),
        _ => Err(format!(
            "entry {} is not under build/, tests/, data/ or inputs/",
            path.display()
        )),
    }
}

fn mkdir(path: &Path, mode: u32) -> io::Result<()> {
    match fs::DirBuilder::new().mode(mode).create(path) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {
            let md = fs::symlink_metadata(path)?;
            if !md.is_dir() {
                return Err(io::Error::other(format!(
                    "{} is not a directory",
                    path.display()
                )));
            }
        }
        Err(e) => return Err(e),
    }
    fs::set_permissions(path, fs::Permissions::from_mode(mode))
}

fn mkdir_all(base: &Path, rel: &Path, mode: u32) -> io::Result<()> {
    let mut cur = base.to_path_buf();
    for c in rel.components() {
        cur.push(c);
        mkdir(&cur, mode)?;
    }
    Ok(())
}

/// Unpacks `tar_bytes` into `dirs`; returns the number of regular files
/// written. The build tree ends up owned by the sandbox user (dirs 0755,
/// files 0644/0755); the tests tree and the input cache by root (dirs 0700,
/// files 0600); the data tree by root, readable by all (dirs 0755, files 0644).
pub fn unpack_into(
    tar_bytes: &[u8],
    dirs: &Dirs,
    sandbox_owner: Option<(u32, u32)>,
) -> Result<usize, String> {
    let (build_dir, tests_dir) = (dirs.build, dirs.tests);
    let err = |what: &str, e: io::Error| format!("upload: {what}: {e}");
    // The build tree is taken back (it may belong to the sandbox user from an
    // earlier upload, or be locked after a compile) only when the archive has
    // build entries: a tests-only upload leaves a locked build locked.
    let build_taken = std::cell::Cell::new(false);
    let take_build = || -> Result<(), String> {
        if !build_taken.get() {
            mkdir(build_dir, 0o755).map_err(|e| err("create build dir", e))?;
            build_taken.set(true);
            if sandbox_owner.is_some() {
                fstree::lock_tree(build_dir).map_err(|e| err("take build dir", e))?;
            }
        }
        Ok(())
    };
    mkdir(tests_dir, 0o700).map_err(|e| err("create tests dir", e))?;
    // Made at the first data entry, once per upload.
    let data_made = std::cell::Cell::new(false);

    let mut files = 0usize;
    let mut archive = tar::Archive::new(Cursor::new(tar_bytes));
    let entries = archive.entries().map_err(|e| err("read tar", e))?;
    let result = (|| -> Result<(), String> {
        for entry in entries {
            let mut entry = entry.map_err(|e| err("read tar entry", e))?;
            let raw_path = entry.path().map_err(|e| err("entry path", e))?.into_owned();
            let dest = classify_path(&raw_path).map_err(|e| format!("upload: {e}"))?;
            if matches!(dest, Dest::Build(_)) {
                take_build()?;
            }
            let (base, rel, dir_mode, file_mode) = match &dest {
                Dest::Build(rel) => {
                    let exec = entry
                        .header()
                        .mode()
                        .map(|m| m & 0o111 != 0)
                        .unwrap_or(false);
                    (build_dir, rel, 0o755, if exec { 0o755 } else { 0o644 })
                }
                Dest::Tests(rel) => (tests_dir, rel, 0o700, 0o600),
                Dest::Inputs(rel) => {
                    let Some(inputs) = dirs.inputs else {
                        return Err(format!(
                            "upload: {} needs an inputs_key (the input cache)",
                            raw_path.display()
                        ));
                    };
                    (inputs, rel, 0o700, 0o600)
                }
                Dest::Data(rel) => {
                    if !data_made.get() {
                        mkdir(dirs.data, 0o755).map_err(|e| err("create data dir", e))?;
                        data_made.set(true);
                    }
                    (dirs.data, rel, 0o755, 0o644)
                }
            };
            let kind = entry.header().entry_type();
            if kind.is_dir() {
                mkdir_all(base, rel, dir_mode).map_err(|e| err("create dir", e))?;
            } else if kind.is_file() {
                if rel.as_os_str().is_empty() {
                    return Err(format!("upload: {} is a file", raw_path.display()));
                }
                if let Some(parent) = rel.parent() {
                    mkdir_all(base, parent, dir_mode).map_err(|e| err("create dir", e))?;
                }
                let target = base.join(rel);
                if fs::symlink_metadata(&target)
                    .map(|m| m.is_dir())
                    .unwrap_or(false)
                {
                    return Err(format!("upload: {} is a directory", target.display()));
                }
                let mut f = OpenOptions::new()
                    .write(true)
                    .create(true)
                    .truncate(true)
                    .mode(file_mode)
                    .custom_flags(libc::O_NOFOLLOW)
                    .open(&target)
                    .map_err(|e| err(&format!("create {}", target.display()), e))?;
                io::copy(&mut entry, &mut f)
                    .map_err(|e| err(&format!("write {}", target.display()), e))?;
                f.set_permissions(fs::Permissions::from_mode(file_mode))
                    .map_err(|e| err("chmod", e))?;
                files += 1;
            } else {
                return Err(format!(
                    "upload: unsupported entry type {:?} for {}",
                    kind,
                    raw_path.display()
                ));
            }
        }
        Ok(())
    })();
    // Give the build tree to the sandbox user even after a failed upload.
    if let (true, Some((uid, gid))) = (build_taken.get(), sandbox_owner) {
        fstree::give_tree(build_dir, uid, gid).map_err(|e| err("chown build dir", e))?;
    }
    result.map(|()| files)
}

/// The `Upload` request in the real directories; `inputs` is the input
/// cache when the upload may fill it.
pub fn upload(tar_bytes: &[u8], inputs: Option<&Path>) -> Result<usize, String> {
    let dirs = Dirs {
        build: Path::new(BUILD_DIR),
        tests: Path::new(TESTS_DIR),
        data: Path::new(DATA_DIR),
        inputs,
    };
    unpack_into(tar_bytes, &dirs, Some((SANDBOX_UID, SANDBOX_GID)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::MetadataExt;

    #[test]
    fn paths_are_confined() {
        assert_eq!(
            classify_path(Path::new("build/main.cpp")).unwrap(),
            Dest::Build("main.cpp".into())
        );
        assert_eq!(
            classify_path(Path::new("./tests/1.in")).unwrap(),
            Dest::Tests("1.in".into())
        );
        assert_eq!(
            classify_path(Path::new("build/")).unwrap(),
            Dest::Build("".into())
        );
        assert!(classify_path(Path::new("/etc/passwd")).is_err());
        assert!(classify_path(Path::new("build/../../etc/passwd")).is_err());
        assert!(classify_path(Path::new("tests/../build/x")).is_err());
        assert_eq!(
            classify_path(Path::new("data/answer")).unwrap(),
            Dest::Data("answer".into())
        );
        assert_eq!(
            classify_path(Path::new("inputs/3.in")).unwrap(),
            Dest::Inputs("3.in".into())
        );
        assert!(classify_path(Path::new("inputs/../tests/x")).is_err());
        assert!(classify_path(Path::new("other/x")).is_err());
        assert!(classify_path(Path::new("")).is_err());
        assert!(classify_path(Path::new(".")).is_err());
    }

    fn tar_of(entries: &[(&str, &[u8], u32)]) -> Vec<u8> {
        let mut b = tar::Builder::new(Vec::new());
        for (path, data, mode) in entries {
            let mut h = tar::Header::new_gnu();
            h.set_size(data.len() as u64);
            h.set_mode(*mode);
            h.set_entry_type(tar::EntryType::Regular);
            // set_path refuses `..`; write the raw name to test our own check.
            let name = &mut h.as_old_mut().name;
            name[..path.len()].copy_from_slice(path.as_bytes());
            h.set_cksum();
            b.append(&h, *data).unwrap();
        }
        b.into_inner().unwrap()
    }

    #[test]
    fn unpacks_build_and_tests_with_their_modes() {
        let dir = std::env::temp_dir().join(format!("judge-runner-upload-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        let (build, tests, data) = (dir.join("build"), dir.join("tests"), dir.join("data"));
        let dirs = Dirs {
            build: &build,
            tests: &tests,
            data: &data,
            inputs: None,
        };
        let tar = tar_of(&[
            ("build/main.cpp", b"int main(){}", 0o644),
            ("build/sub/run.sh", b"#!/bin/sh", 0o755),
            ("tests/1.in", b"1 2\n", 0o644),
            ("data/answer", b"3\n", 0o600),
        ]);
        let n = unpack_into(&tar, &dirs, None).unwrap();
        assert_eq!(n, 4);
        assert_eq!(
            fs::metadata(data.join("answer")).unwrap().mode() & 0o777,
            0o644
        );
        assert_eq!(fs::metadata(&data).unwrap().mode() & 0o777, 0o755);
        assert_eq!(fs::read(build.join("main.cpp")).unwrap(), b"int main(){}");
        assert_eq!(
            fs::metadata(build.join("sub/run.sh")).unwrap().mode() & 0o777,
            0o755
        );
        assert_eq!(
            fs::metadata(tests.join("1.in")).unwrap().mode() & 0o777,
            0o600
        );
        assert_eq!(fs::metadata(&tests).unwrap().mode() & 0o777, 0o700);

        let bad = tar_of(&[("build/../escape", b"x", 0o644)]);
        assert!(unpack_into(&bad, &dirs, None).is_err());
        assert!(!dir.join("escape").exists());
        let bad = tar_of(&[("/abs", b"x", 0o644)]);
        assert!(unpack_into(&bad, &dirs, None).is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn inputs_go_to_the_cache_root_only_and_only_when_allowed() {
        let dir = tempfile::tempdir().unwrap();
        let (build, tests, data) = (
            dir.path().join("build"),
            dir.path().join("tests"),
            dir.path().join("data"),
        );
        let cache = dir.path().join("cache");
        fs::create_dir(&cache).unwrap();
        let tar = tar_of(&[("inputs/1.in", b"1 2\n", 0o644)]);
        let refused = Dirs {
            build: &build,
            tests: &tests,
            data: &data,
            inputs: None,
        };
        let e = unpack_into(&tar, &refused, None).unwrap_err();
        assert!(e.contains("inputs_key"), "{e}");
        assert!(!cache.join("1.in").exists());
        let allowed = Dirs {
            inputs: Some(&cache),
            ..refused
        };
        assert_eq!(unpack_into(&tar, &allowed, None).unwrap(), 1);
        assert_eq!(fs::read(cache.join("1.in")).unwrap(), b"1 2\n");
        assert_eq!(
            fs::metadata(cache.join("1.in")).unwrap().mode() & 0o777,
            0o600
        );
        assert!(!tests.join("1.in").exists());
    }
}
