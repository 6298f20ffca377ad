//! How much memory the sandbox user's largest process holds right now.
//!
//! The memory limit is a soft one for the runner (peak RSS from `wait4`)
//! with the container's cgroup as the hard stop some headroom above it. A
//! program that allocates past the limit would otherwise run on until the
//! cgroup's OOM killer ends it, and on a busy host it can stall in the
//! kernel's reclaim on the way there until the wall clock calls it a time
//! limit. So the wait loop polls the largest resident set among the sandbox
//! user's processes and ends the run at the limit, as a judge with a hard
//! memory limit (Kattis, DOMjudge) would. The largest, not the sum: forked
//! processes share their pages, which every process's RSS counts again (a
//! fork bomb is no memory hog), and it is what `wait4`'s peak measures; the
//! cgroup remains the hard stop for memory spread over many processes.

use std::fs;
use std::os::unix::fs::MetadataExt;

use judge_protocol::SANDBOX_UID;

/// How often the wait loop looks.
pub const POLL: std::time::Duration = std::time::Duration::from_millis(10);

/// The largest resident set of a process of the sandbox user, in KiB.
pub fn largest_rss_kb() -> u64 {
    let Ok(dir) = fs::read_dir("/proc") else {
        return 0;
    };
    let page_kb = page_size_kb();
    let mut largest = 0;
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
            largest = largest.max(resident_pages(&statm) * page_kb);
        }
    }
    largest
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
