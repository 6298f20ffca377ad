//! Making sure nothing a submission started survives it.

use std::fs;
use std::os::unix::fs::MetadataExt;
use std::time::Duration;

use judge_protocol::{SANDBOX_GID, SANDBOX_UID};

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
        // The directory's owner is the process's effective uid even for a
        // non-dumpable process (only the files inside turn root's).
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
        // As root with CAP_KILL, kill each one seen in /proc; this works even
        // when the pids limit leaves no room for a helper. A scan that finds
        // no live process is the usual case after a test and ends the loop
        // without forking: with none alive, none can be created.
        let found = kill_from_proc();
        reap_zombies();
        if found == 0 {
            return true;
        }
        // kill(-1) as the sandbox user reaches all of its processes at once,
        // including any a fork bomb created after the scan, and nothing else
        // (it cannot signal root or other users).
        as_sandbox_user(|| unsafe {
            libc::kill(-1, libc::SIGKILL);
        });
        // Their zombies are reaped after the next scan, which skips them.
        std::thread::sleep(Duration::from_millis(if round < 50 { 1 } else { 10 }));
    }
    eprintln!("judge-runner: sandbox processes survived the kill loop");
    false
}

/// Directories anyone may write to even with a read-only root: the runner's
/// `/tmp` tmpfs and Docker's `/dev/shm` and `/dev/mqueue`. Whatever the
/// sandbox user leaves there is removed after every process, so nothing
/// carries over from one test to the next.
pub const SCRATCH_DIRS: &[&str] = &["/tmp", "/dev/shm", "/dev/mqueue"];

/// Removes, as the sandbox user, everything it may remove in `dirs` (its
/// own files) and its System V IPC objects (shared memory, message queues,
/// semaphores, which outlive their process). Best effort.
pub fn wipe_as_sandbox(dirs: &[&str]) {
    // Usually there is nothing to remove: then no helper is forked. Nothing
    // of the sandbox user runs any more, so what root sees cannot change.
    if nothing_to_wipe(dirs) {
        return;
    }
    let dirs: Vec<String> = dirs.iter().map(|d| d.to_string()).collect();
    as_sandbox_user(move || {
        for dir in &dirs {
            if let Ok(rd) = fs::read_dir(dir) {
                for e in rd.flatten() {
                    remove_all(&e.path());
                }
            }
        }
        remove_sysv_ipc();
    });
}

/// Whether `dirs` are all empty (as root sees them: they are world-readable)
/// and no System V IPC object exists. Anything unreadable counts as
/// something to wipe.
fn nothing_to_wipe(dirs: &[&str]) -> bool {
    let empty_dir = |dir: &&str| match fs::read_dir(dir) {
        Ok(mut rd) => rd.next().is_none(),
        // A directory that is not there holds nothing (e.g. no /dev/mqueue).
        Err(e) => e.kind() == std::io::ErrorKind::NotFound,
    };
    let no_ipc = |name: &str| {
        fs::read_to_string(format!("/proc/sysvipc/{name}"))
            .is_ok_and(|table| sysv_ids(&table).is_empty() && table.lines().nth(1).is_none())
    };
    dirs.iter().all(empty_dir) && ["shm", "msg", "sem"].into_iter().all(no_ipc)
}

/// The ids (second column) listed in a `/proc/sysvipc/*` file.
pub fn sysv_ids(table: &str) -> Vec<i32> {
    table
        .lines()
        .skip(1)
        .filter_map(|l| l.split_whitespace().nth(1)?.parse().ok())
        .collect()
}

/// IPC_RMID on every System V object the caller may remove.
fn remove_sysv_ipc() {
    let ids = |name: &str| {
        sysv_ids(&fs::read_to_string(format!("/proc/sysvipc/{name}")).unwrap_or_default())
    };
    for id in ids("shm") {
        unsafe { libc::shmctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
    }
    for id in ids("msg") {
        unsafe { libc::msgctl(id, libc::IPC_RMID, std::ptr::null_mut()) };
    }
    for id in ids("sem") {
        unsafe { libc::semctl(id, 0, libc::IPC_RMID) };
    }
}

/// Removes `path` (a file, or a directory and all in it) as the sandbox
/// user: root, without CAP_DAC_OVERRIDE, may not change what is in a
/// directory the sandbox user owns (a validator's feedback directory).
pub fn remove_as_sandbox(path: &std::path::Path) {
    let path = path.to_path_buf();
    as_sandbox_user(move || remove_all(&path));
}

/// Empties `dir` as the sandbox user (see [`remove_as_sandbox`]).
pub fn empty_as_sandbox(dir: &std::path::Path) {
    let dir = dir.to_path_buf();
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

/// The clean-up after any sandbox process: kills whatever it left running,
/// then clears the scratch directories and IPC objects and reaps zombies.
pub fn after_process() {
    kill_sandbox_processes();
    after_killed();
}

/// [`after_process`] once every sandbox process is known to be dead: a
/// successful [`crate::exec::execute`] killed them all (and checked /proc) after the
/// reap, so only the scratch directories and IPC objects are left to clear.
fn after_killed() {
    wipe_as_sandbox(SCRATCH_DIRS);
    reap_zombies();
}

/// The clean-up after [`crate::exec::execute`]: the whole of it if it failed (it
/// may have left processes), else only what it does not do itself.
pub fn after_execute<T>(ex: &Result<T, String>) {
    if ex.is_ok() {
        after_killed();
    } else {
        after_process();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sysv_tables_give_their_ids() {
        let shm = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n         0      32769   600                  4096   100   100      0 65534 65534 65534 65534          0          0 1700000000                     0                     0\n";
        assert_eq!(sysv_ids(shm), vec![32769]);
        assert!(sysv_ids("").is_empty());
    }
}
