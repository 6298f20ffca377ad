//! The container's writable places, read from `/proc/self/mountinfo` rather
//! than listed by hand: whatever Docker (or a future container
//! configuration) mounts read-write is found, so the reset between two
//! submissions ([`crate::reset`]) cannot miss a place a submission could
//! write to.

use std::path::{Path, PathBuf};

use judge_protocol::PIPES_DIR;

/// One mount as the container sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mount {
    pub point: PathBuf,
    pub fstype: String,
}

/// File systems that hold no files a process can leave behind: the kernel's
/// views (`/proc`, `/sys`, the cgroup controllers). A write there either
/// fails (read-only in the container) or changes kernel state that the
/// container's own namespaces and limits already scope.
const KERNEL_VIEWS: &[&str] = &["proc", "sysfs", "cgroup", "cgroup2"];

/// The read-write mounts of the current mount namespace, but the kernel's
/// views and [`PIPES_DIR`], in mount order.
///
/// The pipe directory is left out on purpose: it is one host directory that
/// every sandbox of the worker shares (root's, mode 0700), holding the named
/// pipes of interactive runs going on in other containers. The sandbox user
/// cannot create anything there (it cannot even enter it), so there is
/// nothing of a submission to sweep; walking it would race with other runs
/// making and removing their directories, and sweeping it could remove
/// their pipes. The worker removes each run's directory itself.
pub fn writable() -> Result<Vec<Mount>, String> {
    let text = std::fs::read_to_string("/proc/self/mountinfo")
        .map_err(|e| format!("/proc/self/mountinfo: {e}"))?;
    Ok(parse_writable(&text))
}

/// [`writable`] on the text of a mountinfo file.
pub fn parse_writable(text: &str) -> Vec<Mount> {
    text.lines()
        .filter_map(parse_line)
        .filter(|(mount, rw)| *rw && !KERNEL_VIEWS.contains(&mount.fstype.as_str()))
        .filter(|(mount, _)| mount.point != Path::new(PIPES_DIR))
        .map(|(mount, _)| mount)
        .collect()
}

/// `id parent maj:min root point options [optional...] - fstype source super`:
/// the mount and whether its per-mount options say `rw`.
fn parse_line(line: &str) -> Option<(Mount, bool)> {
    let (left, right) = line.split_once(" - ")?;
    let fields: Vec<&str> = left.split(' ').collect();
    let point = unescape(fields.get(4)?);
    let rw = fields.get(5)?.split(',').any(|o| o == "rw");
    let fstype = right.split(' ').next()?.to_string();
    Some((
        Mount {
            point: PathBuf::from(point),
            fstype,
        },
        rw,
    ))
}

/// Mountinfo writes space, tab, newline and backslash as `\ooo` octal.
fn unescape(field: &str) -> String {
    let bytes = field.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let digits = &bytes[(i + 1).min(bytes.len())..(i + 4).min(bytes.len())];
        if bytes[i] == b'\\'
            && digits.len() == 3
            && digits.iter().all(|d| (b'0'..=b'7').contains(d))
        {
            out.push(
                digits
                    .iter()
                    .fold(0u8, |n, d| n.wrapping_mul(8).wrapping_add(d - b'0')),
            );
            i += 4;
            continue;
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a sandbox container shows (docker.io 20.10, cgroup v1 host), cut.
    const SANDBOX: &str = "\
74 50 0:39 / / ro,relatime master:2 - overlay overlay rw,lowerdir=/l
75 74 0:42 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw
76 74 0:43 / /dev rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755
77 76 0:44 / /dev/pts rw,nosuid,noexec,relatime - devpts devpts rw,gid=5,mode=620,ptmxmode=666
78 74 0:45 / /sys ro,nosuid,nodev,noexec,relatime - sysfs sysfs ro
79 78 0:46 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw,mode=755
83 79 0:32 /docker/5b15 /sys/fs/cgroup/memory ro,nosuid,nodev,noexec,relatime - cgroup cgroup rw,memory
89 76 0:41 / /dev/mqueue rw,nosuid,nodev,noexec,relatime - mqueue mqueue rw
90 76 0:47 / /dev/shm rw,nosuid,nodev,noexec,relatime - tmpfs shm rw,size=65536k
91 74 0:48 / /work rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw
92 74 0:49 / /tmp rw,nosuid,nodev,noexec,relatime - tmpfs tmpfs rw
93 74 254:0 /var/lib/docker/containers/5b15/hosts /etc/hosts ro,relatime - ext4 /dev/vda rw
56 75 0:43 /null /proc/keys rw,nosuid - tmpfs tmpfs rw,size=65536k,mode=755
57 74 0:52 / /my\\040dir rw - tmpfs tmpfs rw
58 74 254:0 /tmp/judge-cache/pipes /pipes rw,relatime - ext4 /dev/vda rw
";

    #[test]
    fn finds_every_read_write_mount_but_the_kernel_views() {
        let points: Vec<String> = parse_writable(SANDBOX)
            .iter()
            .map(|m| m.point.display().to_string())
            .collect();
        assert_eq!(
            points,
            [
                "/dev",
                "/dev/pts",
                "/sys/fs/cgroup",
                "/dev/mqueue",
                "/dev/shm",
                "/work",
                "/tmp",
                "/proc/keys",
                "/my dir"
            ]
        );
        let mqueue = parse_writable(SANDBOX).remove(3);
        assert_eq!(mqueue.fstype, "mqueue");
    }

    #[test]
    fn garbage_lines_are_skipped() {
        assert!(parse_writable("nonsense\n\n1 2 3\n").is_empty());
        assert_eq!(unescape("a\\134b\\040"), "a\\b ");
        assert_eq!(unescape("trailing\\04"), "trailing\\04");
    }
}
