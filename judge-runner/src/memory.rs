//! The memory the sandbox user's processes hold right now.
//!
//! The memory limit is a soft one for the runner (peak RSS from `wait4`)
//! with the container's cgroup as the hard stop some headroom above it. A
//! program that allocates past the limit would otherwise run on until the
//! cgroup's OOM killer ends it, and on a busy host it can stall in the
//! kernel's reclaim on the way there until the wall clock calls it a time
//! limit. So the wait loop polls this sum and ends the run at the limit, as
//! a judge with a hard memory limit (Kattis, DOMjudge) would.

use std::fs;
use std::os::unix::fs::MetadataExt;

use judge_core::protocol::SANDBOX_UID;

/// How often the wait loop looks.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(10);

/// Resident memory of every process of the sandbox user, in KiB. Pages
/// shared between processes count once per process: a conservative sum.
pub fn sandbox_rss_kb() -> u64 {
    let Ok(dir) = fs::read_dir("/proc") else {
        return 0;
    };
    let page_kb = page_size_kb();
    let mut total = 0;
    for entry in dir.flatten() {
        let is_pid = entry
            .file_name()
            .to_str()
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()));
        if !is_pid {
            continue;
        }
        // The directory's owner is the process's effective uid, even for a
        // non-dumpable process; statm stays world-readable.
        if !fs::metadata(entry.path()).is_ok_and(|m| m.uid() == SANDBOX_UID) {
            continue;
        }
        if let Ok(statm) = fs::read_to_string(entry.path().join("statm")) {
            total += resident_pages(&statm) * page_kb;
        }
    }
    total
}

/// The second field of `/proc/PID/statm`: resident pages.
fn resident_pages(statm: &str) -> u64 {
    statm
        .split_whitespace()
        .nth(1)
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

fn page_size_kb() -> u64 {
    let bytes = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    if bytes > 0 {
        bytes as u64 / 1024
    } else {
        4
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statm_gives_resident_pages() {
        assert_eq!(resident_pages("6189 1507 1115 187 0 420 0\n"), 1507);
        assert_eq!(resident_pages(""), 0);
        assert!(page_size_kb() >= 4);
    }
}
