//! Ownership and permission changes of whole directory trees.
//!
//! The runner is root but has no CAP_DAC_OVERRIDE or CAP_FOWNER: it may
//! `chown` anything (CAP_CHOWN) but may only `chmod` files it owns and only
//! read directories its mode bits allow. So: to take a tree, chown each node
//! to root *before* chmod-ing and descending into it; to give a tree away,
//! chmod each node while root still owns it, then chown it.

use std::fs;
use std::io;
use std::os::unix::fs::{lchown, MetadataExt, PermissionsExt};
use std::path::Path;

/// Mode of a node after the build is locked: no write bit for group/other, no
/// set-id bits, and whatever the owner could read/execute becomes readable and
/// executable by everybody (the sandbox user is "other" once root owns it).
pub fn locked_mode(mode: u32, is_dir: bool) -> u32 {
    let owner_rx = mode & 0o500;
    let mut m = (mode & 0o755) | (owner_rx >> 3) | (owner_rx >> 6);
    if is_dir {
        m |= 0o755;
    }
    m
}

/// Chowns `path` and everything below it to root:root and applies
/// [`locked_mode`]. Symlinks are chowned themselves, never followed.
pub fn lock_tree(path: &Path) -> io::Result<()> {
    let md = fs::symlink_metadata(path)?;
    if md.file_type().is_symlink() {
        return lchown(path, Some(0), Some(0));
    }
    lchown(path, Some(0), Some(0))?;
    let is_dir = md.is_dir();
    // Re-read: chown by a non-owner clears set-id bits.
    let mode = fs::symlink_metadata(path)?.mode() & 0o7777;
    fs::set_permissions(path, fs::Permissions::from_mode(locked_mode(mode, is_dir)))?;
    if is_dir {
        for entry in fs::read_dir(path)? {
            lock_tree(&entry?.path())?;
        }
    }
    Ok(())
}

/// Gives a root-owned tree (see [`lock_tree`]) to `uid:gid`, with directories
/// 0755 and files 0644 (0755 if any execute bit was set).
pub fn give_tree(path: &Path, uid: u32, gid: u32) -> io::Result<()> {
    let md = fs::symlink_metadata(path)?;
    if md.file_type().is_symlink() {
        return lchown(path, Some(uid), Some(gid));
    }
    if md.is_dir() {
        fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
        for entry in fs::read_dir(path)? {
            give_tree(&entry?.path(), uid, gid)?;
        }
    } else {
        let mode = if md.mode() & 0o111 != 0 { 0o755 } else { 0o644 };
        fs::set_permissions(path, fs::Permissions::from_mode(mode))?;
    }
    lchown(path, Some(uid), Some(gid))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locked_modes_drop_write_and_setid_and_share_read_exec() {
        assert_eq!(locked_mode(0o755, false), 0o755);
        assert_eq!(locked_mode(0o777, false), 0o755);
        assert_eq!(locked_mode(0o700, false), 0o755);
        assert_eq!(locked_mode(0o600, false), 0o644);
        assert_eq!(locked_mode(0o4755, false), 0o755);
        assert_eq!(locked_mode(0o666, false), 0o644);
        assert_eq!(locked_mode(0o700, true), 0o755);
        assert_eq!(locked_mode(0o000, true), 0o755);
        assert_eq!(locked_mode(0o000, false), 0o000);
    }
}
