//! Making sure nothing a submission started survives it.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use judge_core::protocol::{SANDBOX_GID, SANDBOX_UID};

/// Forks a helper that becomes the sandbox user and runs `f`, then waits for
/// it. Returns false if the helper could not be forked (e.g. pids exhausted).
fn as_sandbox_user(f: impl FnOnce()) -> bool {
    // SAFETY: the runner is single-threaded, so the child may do anything the
    // parent could; it only makes syscalls and exits.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return false;
    }
    if pid == 0 {
        unsafe {
            if libc::setgroups(0, std::ptr::null()) != 0
                || libc::setgid(SANDBOX_GID) != 0
                || libc::setuid(SANDBOX_UID) != 0
            {
                libc::_exit(1);
            }
        }
        f();
        unsafe { libc::_exit(0) };
    }
    let mut status = 0;
    unsafe {
        while libc::waitpid(pid, &mut status, 0) < 0
            && std::io::Error::last_os_error().raw_os_error() == Some(libc::EINTR)
        {}
    }
    true
}

/// Kills (SIGKILL) every non-zombie process of the sandbox user found in
/// /proc; returns how many it found.
fn kill_from_proc() -> usize {
    let mut found = 0;
    let Ok(dir) = fs::read_dir("/proc") else {
        return 0;
    };
    for entry in dir.flatten() {
        let name = entry.file_name();
        let Some(pid) = name.to_str().and_then(|s| s.parse::<i32>().ok()) else {
            continue;
        };
        let Ok(md) = fs::metadata(entry.path()) else {
            continue;
        };
        if md.uid() != SANDBOX_UID {
            continue;
        }
        // Skip zombies: they are dead and wait for their parent to reap them.
        if let Ok(stat) = fs::read_to_string(entry.path().join("stat")) {
            if let Some(rest) = stat.rsplit_once(')') {
                if rest.1.trim_start().starts_with('Z') {
                    continue;
                }
            }
        }
        found += 1;
        unsafe { libc::kill(pid, libc::SIGKILL) };
    }
    found
}

/// Reaps every exited child of the runner (orphans are reparented to it: it
/// is a child subreaper).
pub fn reap_zombies() {
    let mut status = 0;
    while unsafe { libc::waitpid(-1, &mut status, libc::WNOHANG) } > 0 {}
}

/// Kills every process of the sandbox user, including daemonized leftovers and
/// fork bombs. Returns false if some survived all attempts.
pub fn kill_sandbox_processes() -> bool {
    for round in 0..500 {
        // kill(-1) as the sandbox user reaches all of its processes at once and
        // nothing else (it cannot signal root or other users).
        as_sandbox_user(|| unsafe {
            libc::kill(-1, libc::SIGKILL);
        });
        // As root with CAP_KILL, also kill each one seen in /proc; this works
        // even when the pids limit leaves no room for the helper.
        let found = kill_from_proc();
        reap_zombies();
        if found == 0 {
            return true;
        }
        std::thread::sleep(Duration::from_millis(if round < 50 { 1 } else { 10 }));
    }
    eprintln!("judge-runner: sandbox processes survived the kill loop");
    false
}

/// Removes everything in `dir` that the sandbox user may remove (its own
/// files in /tmp), as the sandbox user. Best effort.
pub fn wipe_dir_as_sandbox(dir: &str) {
    let dir = dir.to_string();
    as_sandbox_user(move || {
        if let Ok(rd) = fs::read_dir(&dir) {
            for e in rd.flatten() {
                remove_all(&e.path());
            }
        }
    });
}

fn remove_all(path: &std::path::Path) {
    use std::os::unix::fs::PermissionsExt;
    let Ok(md) = fs::symlink_metadata(path) else {
        return;
    };
    if md.is_dir() {
        let _ = fs::set_permissions(path, fs::Permissions::from_mode(0o700));
        if let Ok(rd) = fs::read_dir(path) {
            for e in rd.flatten() {
                remove_all(&e.path());
            }
        }
        let _ = fs::remove_dir(path);
    } else {
        let _ = fs::remove_file(path);
    }
}
