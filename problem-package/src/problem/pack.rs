//! The package tar: [`pack`] makes a deterministic one whose hash is the
//! problem's version, [`unpack`] extracts it.

use std::path::Path;

use sha2::{Digest, Sha256};

use super::entries::{file_name, sorted_entries};
use super::error::ProblemError;

/// Largest package [`pack`] accepts.
pub const MAX_PACKAGE_BYTES: u64 = 256 << 20;

/// Packs a package directory into a deterministic tar (sorted, zero times,
/// owner root) and returns it with its hex SHA-256, the problem's version.
/// `submissions/` and VCS folders stay out: workers never need them.
pub fn pack(root: &Path) -> Result<(Vec<u8>, String), ProblemError> {
    pack_with(root, &[])
}

/// [`pack`] with `extra` files after the folder's: paths below the package
/// root (made at import, such as a statement's rendered figures, see
/// [`super::figures`]) with their bytes, in the order given. Their size
/// counts toward [`MAX_PACKAGE_BYTES`] as well.
pub fn pack_with(
    root: &Path,
    extra: &[(String, Vec<u8>)],
) -> Result<(Vec<u8>, String), ProblemError> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut total = 0u64;
    pack_dir(root, root, &mut builder, &mut total)?;
    for (path, bytes) in extra {
        total += bytes.len() as u64;
        if total > MAX_PACKAGE_BYTES {
            return Err(ProblemError::new(
                root,
                format!("package is larger than {} MiB", MAX_PACKAGE_BYTES >> 20),
            ));
        }
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(0o644);
        header.set_size(bytes.len() as u64);
        builder
            .append_data(&mut header, path, bytes.as_slice())
            .map_err(|e| ProblemError::new(root.join(path), e.to_string()))?;
    }
    let bytes = builder
        .into_inner()
        .map_err(|e| ProblemError::new(root, e.to_string()))?;
    let version = hex::encode(Sha256::digest(&bytes));
    Ok((bytes, version))
}

fn pack_dir(
    root: &Path,
    dir: &Path,
    builder: &mut tar::Builder<Vec<u8>>,
    total: &mut u64,
) -> Result<(), ProblemError> {
    for entry in sorted_entries(dir)? {
        let name = file_name(&entry);
        let relative = entry.strip_prefix(root).unwrap_or(&entry);
        if dir == root && matches!(name.as_str(), "submissions" | ".git" | ".svn" | ".hg") {
            continue;
        }
        let meta = std::fs::symlink_metadata(&entry)
            .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        header.set_uid(0);
        header.set_gid(0);
        if meta.is_dir() {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(0o755);
            header.set_size(0);
            builder
                .append_data(&mut header, relative, std::io::empty())
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
            pack_dir(root, &entry, builder, total)?;
        } else if meta.is_file() {
            *total += meta.len();
            if *total > MAX_PACKAGE_BYTES {
                return Err(ProblemError::new(
                    root,
                    format!("package is larger than {} MiB", MAX_PACKAGE_BYTES >> 20),
                ));
            }
            use std::os::unix::fs::PermissionsExt;
            let executable = meta.permissions().mode() & 0o111 != 0;
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(if executable { 0o755 } else { 0o644 });
            header.set_size(meta.len());
            let file = std::fs::File::open(&entry)
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
            builder
                .append_data(&mut header, relative, file)
                .map_err(|e| ProblemError::new(&entry, e.to_string()))?;
        }
        // Symlinks and special files are left out: a package must not point outside itself.
    }
    Ok(())
}

/// Unpacks a tar made by [`pack`] into `dest`, refusing paths that escape it.
pub fn unpack(bytes: &[u8], dest: &Path) -> std::io::Result<()> {
    let mut archive = tar::Archive::new(bytes);
    std::fs::create_dir_all(dest)?;
    for entry in archive.entries()? {
        let mut entry = entry?;
        // unpack_in refuses `..` and absolute paths.
        entry.unpack_in(dest)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::fs;

    use super::super::test_support::{package, write};
    use super::*;

    #[test]
    fn pack_is_deterministic_and_round_trips() {
        let dir = package(&[
            ("problem.yaml", "name: x\n"),
            ("data/secret/1.in", "1"),
            ("data/secret/1.ans", "1"),
            ("submissions/accepted/a.py", "print(1)"),
        ]);
        let root = dir.path().join("prob");
        let (a, va) = pack(&root).unwrap();
        let (_, vb) = pack(&root).unwrap();
        assert_eq!(va, vb);
        let out = tempfile::tempdir().unwrap();
        unpack(&a, out.path()).unwrap();
        assert_eq!(
            fs::read_to_string(out.path().join("data/secret/1.ans")).unwrap(),
            "1"
        );
        assert!(!out.path().join("submissions").exists());
        write(&root, "data/secret/1.ans", "2");
        assert_ne!(pack(&root).unwrap().1, va);
    }
}
