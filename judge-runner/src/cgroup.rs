//! What the runner reads from the container's own cgroup, on both layouts.
//!
//! Docker gives each container a cgroup namespace whose root is the
//! container's cgroup, mounted at `/sys/fs/cgroup`. On a cgroup v1 host that
//! holds one folder per controller (`memory/`, `cpuacct/` or
//! `cpu,cpuacct/`); on a cgroup v2 host (Debian 12, Ubuntu 22.04 and later by
//! default) it is one unified folder (`memory.events`, `memory.max`,
//! `cpu.stat`). Every reading tries v1 first, then v2, and is `None` when
//! neither is readable: the runner then judges by `wait4` alone.

use std::path::{Path, PathBuf};

/// A cgroup file system as the container sees it.
#[derive(Clone, Debug)]
pub struct Cgroup {
    root: PathBuf,
}

impl Cgroup {
    /// The container's own cgroup.
    pub fn system() -> Cgroup {
        Cgroup::at("/sys/fs/cgroup")
    }

    /// A cgroup mounted at `root` (the tests use fixture folders).
    pub fn at(root: impl AsRef<Path>) -> Cgroup {
        Cgroup {
            root: root.as_ref().to_path_buf(),
        }
    }

    fn read(&self, relative: &str) -> Option<String> {
        std::fs::read_to_string(self.root.join(relative)).ok()
    }

    /// How many processes the OOM killer has killed in this cgroup: v1
    /// `memory.oom_control`'s `oom_kill`, v2 `memory.events`' `oom_kill`.
    pub fn oom_kills(&self) -> Option<u64> {
        ["memory/memory.oom_control", "memory.events"]
            .iter()
            .find_map(|file| keyed(&self.read(file)?, "oom_kill"))
    }

    /// CPU time (user + system) used by the cgroup so far, in nanoseconds:
    /// v1 `cpuacct.usage` (ns), v2 `cpu.stat`'s `usage_usec` (µs).
    pub fn cpu_ns(&self) -> Option<u64> {
        ["cpuacct/cpuacct.usage", "cpu,cpuacct/cpuacct.usage"]
            .iter()
            .find_map(|file| self.read(file)?.trim().parse().ok())
            .or_else(|| keyed(&self.read("cpu.stat")?, "usage_usec").map(|us| us * 1000))
    }

    /// The memory limit in KiB, unless unlimited: v1
    /// `memory.limit_in_bytes` (a huge number when unlimited), v2
    /// `memory.max` (`max` when unlimited).
    pub fn memory_limit_kb(&self) -> Option<u64> {
        ["memory/memory.limit_in_bytes", "memory.max"]
            .iter()
            .find_map(|file| {
                let text = self.read(file)?;
                let bytes: u64 = text.trim().parse().ok()?;
                (bytes < (1 << 50)).then_some(bytes / 1024)
            })
    }
}

impl Cgroup {
    /// Memory of the cgroup's tmpfs and shared memory pages, in KiB: v1
    /// `memory.stat`'s `shmem`, v2 `memory.stat`'s `shmem`. What a file left
    /// in /tmp or /dev/shm costs the container, and must return once the
    /// file is removed.
    pub fn shmem_kb(&self) -> Option<u64> {
        ["memory/memory.stat", "memory.stat"]
            .iter()
            .find_map(|file| keyed(&self.read(file)?, "shmem"))
            .map(|bytes| bytes / 1024)
    }
}

/// The value of `key` in a flat-keyed file (`key value` per line).
fn keyed(text: &str, key: &str) -> Option<u64> {
    text.lines().find_map(|line| {
        let (k, v) = line.split_once(' ')?;
        (k == key).then(|| v.trim().parse().ok())?
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(files: &[(&str, &str)]) -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        for (path, text) in files {
            let path = dir.path().join(path);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        }
        dir
    }

    /// What Debian 12's docker.io shows inside a container on a cgroup v1 host.
    #[test]
    fn reads_the_v1_layout() {
        let dir = fixture(&[
            (
                "memory/memory.oom_control",
                "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n",
            ),
            ("memory/memory.limit_in_bytes", "536870912\n"),
            ("cpu,cpuacct/cpuacct.usage", "1234567890\n"),
        ]);
        let cg = Cgroup::at(dir.path());
        assert_eq!(cg.oom_kills(), Some(2));
        assert_eq!(cg.memory_limit_kb(), Some(512 * 1024));
        assert_eq!(cg.cpu_ns(), Some(1_234_567_890));
        assert_eq!(cg.shmem_kb(), None);
        let stat = fixture(&[("memory/memory.stat", "cache 8192\nshmem 4096\n")]);
        assert_eq!(Cgroup::at(stat.path()).shmem_kb(), Some(4));

        let unlimited = fixture(&[("memory/memory.limit_in_bytes", "9223372036854771712\n")]);
        assert_eq!(Cgroup::at(unlimited.path()).memory_limit_kb(), None);
    }

    /// What a cgroup v2 host shows (unified hierarchy, cgroup namespace).
    #[test]
    fn reads_the_v2_layout() {
        let dir = fixture(&[
            (
                "memory.events",
                "low 0\nhigh 0\nmax 17\noom 1\noom_kill 1\noom_group_kill 0\n",
            ),
            ("memory.max", "268435456\n"),
            (
                "cpu.stat",
                "usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\nnr_periods 0\n",
            ),
        ]);
        let cg = Cgroup::at(dir.path());
        assert_eq!(cg.oom_kills(), Some(1));
        assert_eq!(cg.memory_limit_kb(), Some(256 * 1024));
        assert_eq!(cg.cpu_ns(), Some(2_500_000_000));

        let unlimited = fixture(&[("memory.max", "max\n")]);
        assert_eq!(Cgroup::at(unlimited.path()).memory_limit_kb(), None);
    }

    #[test]
    fn nothing_readable_is_none() {
        let dir = fixture(&[("memory.events", "oom 3\n")]);
        let cg = Cgroup::at(dir.path());
        // `oom` is not `oom_kill`: a key must match whole.
        assert_eq!(cg.oom_kills(), None);
        assert_eq!(cg.cpu_ns(), None);
        assert_eq!(cg.memory_limit_kb(), None);
    }
}
