//! `Reset`: making a used sandbox as it was before its submission, so that
//! the worker may give the container to the next one (see docs/security.md
//! for the threat model).
//!
//! The reset does, then checks, each of these; any check that fails is an
//! error, and the worker destroys the container instead of reusing it:
//! - processes: every process of the sandbox user is killed, and no process
//!   of any user but root is left (the container's PID namespace holds only
//!   its init, its main process, this runner and what the judging started);
//! - files: every read-write mount ([`crate::mounts`]) is swept. `/work` and
//!   every world-writable mount (`/tmp`, `/dev/shm`, `/dev/mqueue`, so POSIX
//!   shared memory and message queues) are emptied whole; on the others
//!   (`/dev`, `/dev/pts`, ...) whatever the sandbox user owns goes. Then no
//!   inode of the sandbox user may remain on any of them;
//! - System V IPC: every shared memory segment, semaphore set and message
//!   queue removed; `/proc/sysvipc/*` must list none (the container has its
//!   own IPC namespace, so these are only the judging's);
//! - memory: the emptied tmpfs mounts use no blocks, and the cgroup's shared
//!   memory (`shmem`: tmpfs pages and SysV segments) is back to what it was
//!   when the runner started, but for the input cache's own pages; a
//!   container whose OOM killer fired since then is not reused at all.
//!
//! The input cache ([`crate::input_cache`], `/inputs`) is kept on purpose:
//! it is neither `/work` nor world-writable, so the sweep only removes what
//! the sandbox user owns there, which is nothing (it cannot write there);
//! the check that no inode of the sandbox user remains covers it like any
//! mount, and its directory must still be root's and closed to others.
//!
//! The environment and working directory need no reset: every process gets
//! an explicit environment and `/work/build` as its directory from the
//! request, never from an earlier one.

use std::fs;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use judge_protocol::{SANDBOX_UID, WORK_DIR};

use crate::cgroup::Cgroup;
use crate::cleanup;
use crate::input_cache::InputCache;
use crate::mounts::{self, Mount};

/// Slack on the cgroup's shared memory over its level at the start: the
/// kernel's own accounting may keep a few pages.
const SHMEM_SLACK_KB: u64 = 1024;
/// Leftovers named in an error, at most.
const NAMED: usize = 5;

/// What the container looked like when the runner started.
#[derive(Debug)]
pub struct Resetter {
    cgroup: Cgroup,
    shmem_kb: Option<u64>,
    /// The input cache's pages at start, within `shmem_kb`.
    cache_kb: u64,
    oom_kills: Option<u64>,
    generation: u64,
}

impl Resetter {
    /// Records the container's clean state (call it at start, before any request).
    pub fn new(cache: &InputCache) -> Resetter {
        let cgroup = Cgroup::system();
        Resetter {
            shmem_kb: cgroup.shmem_kb(),
            cache_kb: cache.resident_kb(),
            oom_kills: cgroup.oom_kills(),
            cgroup,
            generation: 0,
        }
    }

    /// Resets the sandbox and checks it; returns the new generation (resets done).
    pub fn reset(&mut self, cache: &InputCache) -> Result<u64, String> {
        if self.cgroup.oom_kills() > self.oom_kills {
            return Err("the container's OOM killer fired: not reusable".into());
        }
        if !cleanup::kill_sandbox_processes() {
            return Err("processes of the sandbox user survived the kill loop".into());
        }
        let others = foreign_processes();
        if !others.is_empty() {
            return Err(format!(
                "processes of other users than root remain: {others:?}"
            ));
        }
        let mounts = mounts::writable()?;
        let work = Path::new(WORK_DIR);
        if !mounts.iter().any(|m| m.point == work) {
            return Err(format!("{WORK_DIR} is not a read-write mount"));
        }
        // SysV objects can only be removed by their owner (root lacks
        // CAP_SYS_ADMIN here), so that part runs as the sandbox user.
        cleanup::wipe_as_sandbox(&[]);
        for mount in &mounts {
            let Some(dev) = device_of(&mount.point) else {
                continue;
            };
            if emptied_whole(mount) {
                empty(&mount.point, dev);
            } else {
                sweep_owned(&mount.point, dev);
            }
        }
        self.check(&mounts, cache)?;
        self.generation += 1;
        Ok(self.generation)
    }

    /// Every check of the module doc after the sweep.
    fn check(&self, mounts: &[Mount], cache: &InputCache) -> Result<(), String> {
        let mut problems = Vec::new();
        for mount in mounts {
            let Some(dev) = device_of(&mount.point) else {
                continue;
            };
            if emptied_whole(mount) {
                let left = entries(&mount.point);
                if !left.is_empty() {
                    problems.push(format!("{} not empty: {left:?}", mount.point.display()));
                }
                if mount.fstype == "tmpfs" {
                    match used_blocks(&mount.point) {
                        Some(0) => {}
                        Some(n) => problems.push(format!(
                            "{} still uses {n} blocks once empty",
                            mount.point.display()
                        )),
                        None => problems.push(format!("statvfs {}", mount.point.display())),
                    }
                }
            }
            let mut owned = Vec::new();
            find_owned(&mount.point, dev, &mut owned);
            if !owned.is_empty() {
                problems.push(format!("left by the sandbox user: {owned:?}"));
            }
        }
        for table in ["shm", "sem", "msg"] {
            let text = fs::read_to_string(format!("/proc/sysvipc/{table}")).unwrap_or_default();
            let ids = cleanup::sysv_ids(&text);
            if !ids.is_empty() {
                problems.push(format!("System V {table} objects remain: {ids:?}"));
            }
        }
        if cache.exists() {
            if let Err(e) = cache.check_private() {
                problems.push(e);
            }
        }
        if let (Some(now), Some(start)) = (self.cgroup.shmem_kb(), self.shmem_kb) {
            let cache_now = cache.resident_kb();
            if let Err(e) = shmem_returned(start, self.cache_kb, now, cache_now) {
                problems.push(e);
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(format!("the sandbox is not clean: {}", problems.join("; ")))
        }
    }
}

/// `Err` unless the cgroup's shared memory (`now_kb`) is back to its level
/// at start (`start_kb`), each without the input cache's tmpfs pages at the
/// time: the cache is kept across resets by design, and its pages (up to the
/// eager input limit, 64 MiB) are shmem like any tmpfs page, so counting them
/// would fail the reset of every container that holds a problem's inputs.
/// What else a judging left in shared memory still counts.
fn shmem_returned(
    start_kb: u64,
    start_cache_kb: u64,
    now_kb: u64,
    now_cache_kb: u64,
) -> Result<(), String> {
    let start = start_kb.saturating_sub(start_cache_kb);
    let now = now_kb.saturating_sub(now_cache_kb);
    if now > start + SHMEM_SLACK_KB {
        return Err(format!(
            "shared memory did not return: {now} KiB, {start} KiB at start (the input cache's {now_cache_kb} KiB not counted)"
        ));
    }
    Ok(())
}

/// Whether the reset empties the whole mount: the runner's work area, and
/// any mount anyone may create files in (its root is world-writable).
fn emptied_whole(mount: &Mount) -> bool {
    mount.point == Path::new(WORK_DIR)
        || fs::metadata(&mount.point).is_ok_and(|md| md.is_dir() && md.mode() & 0o002 != 0)
}

fn device_of(path: &Path) -> Option<u64> {
    fs::symlink_metadata(path).ok().map(|md| md.dev())
}

fn entries(dir: &Path) -> Vec<PathBuf> {
    fs::read_dir(dir)
        .map(|rd| rd.flatten().map(|e| e.path()).take(NAMED).collect())
        .unwrap_or_default()
}

/// Removes everything in `dir` that is on device `dev` (not a mount inside it).
fn empty(dir: &Path, dev: u64) {
    if let Ok(rd) = fs::read_dir(dir) {
        for e in rd.flatten() {
            remove_tree(&e.path(), dev);
        }
    }
}

/// Removes `path` and all below it, as root. Root has no CAP_DAC_OVERRIDE
/// here, so a directory of the sandbox user is first made root's (CAP_CHOWN)
/// and opened to it; then its entries may be read and removed. Top-down, so
/// a directory the sandbox user closed (mode 0) is no obstacle.
fn remove_tree(path: &Path, dev: u64) {
    let Ok(md) = fs::symlink_metadata(path) else {
        return;
    };
    if md.dev() != dev {
        return; // another mount: swept as its own
    }
    if md.is_dir() {
        if md.uid() != 0 || md.gid() != 0 {
            let _ = std::os::unix::fs::lchown(path, Some(0), Some(0));
        }
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o700));
        empty(path, dev);
        let _ = fs::remove_dir(path);
    } else {
        let _ = fs::remove_file(path);
    }
}

/// On a mount not emptied whole: removes every tree the sandbox user owns.
fn sweep_owned(dir: &Path, dev: u64) {
    let Ok(rd) = fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let path = e.path();
        let Ok(md) = fs::symlink_metadata(&path) else {
            continue;
        };
        if md.dev() != dev {
            continue;
        }
        if md.uid() == SANDBOX_UID || md.gid() == judge_protocol::SANDBOX_GID {
            remove_tree(&path, dev);
        } else if md.is_dir() {
            sweep_owned(&path, dev);
        }
    }
}

/// Paths on device `dev` below `dir` (and `dir` itself) owned by the sandbox
/// user or group; at most [`NAMED`].
fn find_owned(dir: &Path, dev: u64, found: &mut Vec<PathBuf>) {
    let Ok(md) = fs::symlink_metadata(dir) else {
        return;
    };
    if md.dev() != dev || found.len() >= NAMED {
        return;
    }
    if md.uid() == SANDBOX_UID || md.gid() == judge_protocol::SANDBOX_GID {
        found.push(dir.to_path_buf());
        return;
    }
    if md.is_dir() {
        if let Ok(rd) = fs::read_dir(dir) {
            for e in rd.flatten() {
                find_owned(&e.path(), dev, found);
            }
        }
    }
}

/// Blocks in use on the file system at `path`.
fn used_blocks(path: &Path) -> Option<u64> {
    let st = nix::sys::statvfs::statvfs(path).ok()?;
    Some((st.blocks() as u64).saturating_sub(st.blocks_free() as u64))
}

/// Live processes (not zombies) of any user but root: `pid (comm) uid`.
fn foreign_processes() -> Vec<String> {
    let mut found = Vec::new();
    let Ok(rd) = fs::read_dir("/proc") else {
        return found;
    };
    for e in rd.flatten() {
        let Some(pid) = e.file_name().to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(md) = fs::metadata(e.path()) else {
            continue;
        };
        if md.uid() == 0 {
            continue;
        }
        let stat = fs::read_to_string(e.path().join("stat")).unwrap_or_default();
        if stat
            .rsplit_once(')')
            .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
        {
            continue;
        }
        let comm = stat
            .split_once('(')
            .and_then(|(_, r)| r.rsplit_once(')'))
            .map_or("", |(c, _)| c);
        found.push(format!("{pid} ({comm}) uid {}", md.uid()));
        if found.len() >= NAMED {
            break;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn remove_tree_empties_closed_directories_it_owns() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a/b");
        fs::create_dir_all(&inner).unwrap();
        fs::write(inner.join("f"), "x").unwrap();
        fs::set_permissions(dir.path().join("a"), fs::Permissions::from_mode(0o000)).unwrap();
        let dev = device_of(dir.path()).unwrap();
        empty(dir.path(), dev);
        assert!(entries(dir.path()).is_empty());
    }

    #[test]
    fn the_input_caches_pages_are_not_counted_as_left_behind() {
        // 50 MiB of cached inputs, none at start: reusable.
        assert!(shmem_returned(2_000, 0, 2_000 + 51_200, 51_200).is_ok());
        // A cache filled before the runner started, emptied since.
        assert!(shmem_returned(10_000, 8_000, 2_100, 0).is_ok());
        // Shared memory the judging left on top of the cache still fails.
        let e = shmem_returned(2_000, 0, 2_000 + 51_200 + 4_096, 51_200).unwrap_err();
        assert!(e.contains("did not return"), "{e}");
        assert!(shmem_returned(2_000, 0, 2_000 + SHMEM_SLACK_KB, 0).is_ok());
        assert!(shmem_returned(2_000, 0, 2_001 + SHMEM_SLACK_KB, 0).is_err());
    }

    #[test]
    fn whole_emptying_is_for_the_work_area_and_world_writable_roots() {
        let dir = tempfile::tempdir().unwrap();
        let mount = |point: &Path| Mount {
            point: point.to_path_buf(),
            fstype: "tmpfs".into(),
        };
        assert!(emptied_whole(&mount(Path::new(WORK_DIR))));
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
        assert!(!emptied_whole(&mount(dir.path())));
        fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o1777)).unwrap();
        assert!(emptied_whole(&mount(dir.path())));
    }
}
