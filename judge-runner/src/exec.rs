//! Fork, drop privileges, apply limits, exec, watch and measure one process.
//!
//! The runner is single-threaded, so forking without exec is safe; still, the
//! child only makes raw syscalls on data prepared before the fork.

use std::ffi::CString;
use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd, RawFd};
use std::path::Path;
use std::time::{Duration, Instant};

use judge_protocol::{Limits, BUILD_DIR, SANDBOX_GID, SANDBOX_UID};

use crate::cgroup::Cgroup;
use crate::classify::{Ended, Measured};
use crate::memory;

/// The PATH every compile and run gets.
pub const DEFAULT_PATH: &str = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

/// What to run and how.
pub struct Spec<'a> {
    pub argv: &'a [String],
    pub env: &'a [(String, String)],
    pub limits: &'a Limits,
    /// Standard input; `None` is /dev/null (unless `pipe_stdin`).
    pub stdin: Option<File>,
    /// Interactive: stdin is a pipe whose write end [`spawn`] returns.
    pub pipe_stdin: bool,
    /// Compile mode: stdout and stderr share one pipe, kept up to `stdout_keep`,
    /// and more output is drained, not an error.
    pub merge_output: bool,
    /// Bytes of stdout kept.
    pub stdout_keep: usize,
    /// Whether one byte more than `stdout_keep` kills the process (output limit).
    pub enforce_output: bool,
    /// Bytes of stderr kept (ignored when merged).
    pub stderr_keep: usize,
}

/// The raw result of one execution.
pub struct Executed {
    pub measured: Measured,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
}

fn cstr(s: &str, what: &str) -> Result<CString, String> {
    CString::new(s).map_err(|_| format!("{what} contains a NUL byte: {s:?}"))
}

/// The environment: defaults, then the request's variables (which win).
pub fn build_env(env: &[(String, String)]) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = vec![
        ("PATH".into(), DEFAULT_PATH.into()),
        ("HOME".into(), "/tmp".into()),
        ("LANG".into(), "C.UTF-8".into()),
    ];
    for (k, v) in env {
        out.retain(|(k2, _)| k2 != k);
        out.push((k.clone(), v.clone()));
    }
    out
}

/// Finds the executable for `argv0` like execvp would, with `path`.
/// Names containing `/` are used as they are (relative to the build dir).
pub fn resolve_program(argv0: &str, path: &str) -> Result<String, String> {
    use std::os::unix::fs::PermissionsExt;
    if argv0.is_empty() {
        return Err("empty argv[0]".into());
    }
    if argv0.contains('/') {
        return Ok(argv0.to_string());
    }
    for dir in path.split(':').filter(|d| !d.is_empty()) {
        let cand = Path::new(dir).join(argv0);
        if let Ok(md) = std::fs::metadata(&cand) {
            if md.is_file() && md.permissions().mode() & 0o111 != 0 {
                return Ok(cand.to_string_lossy().into_owned());
            }
        }
    }
    Err(format!("command not found in PATH: {argv0}"))
}

fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as RawFd; 2];
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}

/// CPU time used by the whole container so far, in nanoseconds, from its
/// cgroup, if readable.
///
/// `wait4` only reports the child and the descendants it waited for; a
/// submission that leaves the work to a child it never waits for (reading its
/// result from a pipe instead) would hide that child's CPU time. The
/// container holds nothing else that runs meanwhile (the runner itself only
/// polls), so the cgroup's growth during the run bounds the tree's CPU time.
pub fn read_cgroup_cpu_ns() -> Option<u64> {
    Cgroup::system().cpu_ns()
}

// Steps the child reports on the status pipe when it fails before exec.
const STEP_NAMES: &[&str] = &[
    "dup2",
    "setrlimit",
    "chdir",
    "setgroups",
    "setgid",
    "setuid",
    "verify uid",
    "execve",
];

struct ChildPlan {
    program: CString,
    /// The strings `argv_ptrs` and `envp_ptrs` point into, kept alive.
    _argv: Vec<CString>,
    _envp: Vec<CString>,
    /// `argv` and `envp` as the null-terminated arrays `execve` takes, built
    /// before the clone: the child shares the runner's memory and must not
    /// allocate.
    argv_ptrs: Vec<*const libc::c_char>,
    envp_ptrs: Vec<*const libc::c_char>,
    workdir: CString,
    rlimits: Vec<(libc::__rlimit_resource_t, libc::rlim_t, libc::rlim_t, bool)>,
    stdin_fd: RawFd,
    stdout_fd: RawFd,
    stderr_fd: RawFd,
    status_fd: RawFd,
}

/// Null-terminated pointers to `strings`, for `execve`.
fn pointers(strings: &[CString]) -> Vec<*const libc::c_char> {
    strings
        .iter()
        .map(|a| a.as_ptr())
        .chain(std::iter::once(std::ptr::null()))
        .collect()
}

/// The child's entry point for `clone`.
extern "C" fn child_entry(plan: *mut libc::c_void) -> libc::c_int {
    // SAFETY: `spawn` passes its `ChildPlan`, alive until the child execs or exits.
    unsafe { child_main(&*(plan as *const ChildPlan)) }
}

/// Stack of the cloned child until it execs: [`child_main`] needs little.
const CHILD_STACK: usize = 256 * 1024;

/// Starts [`child_main`] in a child that shares the runner's memory until it
/// execs (`CLONE_VM | CLONE_VFORK`, as `posix_spawn` does): a `fork` copied
/// the runner's page tables for every run and then took copy-on-write
/// faults in both processes, a fifth of the runner's CPU per test. Signals
/// are blocked around the clone so that no handler of the runner ever runs
/// on the child's stack; the child resets them before it unblocks.
fn clone_child(plan: &ChildPlan) -> libc::pid_t {
    // One stack for every child, allocated once: the runner is
    // single-threaded and each child is done with it when `clone` returns.
    static STACK: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    let base = *STACK
        .get_or_init(|| Box::leak(vec![0u8; CHILD_STACK].into_boxed_slice()).as_mut_ptr() as usize);
    // SAFETY: nothing else uses the stack (see above); the top is 16-aligned.
    unsafe {
        let top = (base as *mut u8).add(CHILD_STACK);
        let top = top.sub(top as usize % 16);
        let mut all: libc::sigset_t = std::mem::zeroed();
        let mut old: libc::sigset_t = std::mem::zeroed();
        libc::sigfillset(&mut all);
        libc::pthread_sigmask(libc::SIG_SETMASK, &all, &mut old);
        let pid = libc::clone(
            child_entry,
            top.cast(),
            libc::CLONE_VM | libc::CLONE_VFORK | libc::SIGCHLD,
            plan as *const ChildPlan as *mut libc::c_void,
        );
        libc::pthread_sigmask(libc::SIG_SETMASK, &old, std::ptr::null_mut());
        pid
    }
}

/// In the cloned child: never returns. It runs on the runner's memory
/// ([`clone_child`]), so it allocates nothing and changes credentials with
/// raw system calls (per task), not glibc's wrappers, which would try to
/// change every thread of the runner's process.
unsafe fn child_main(p: &ChildPlan) -> ! {
    let fail = |step: u8| -> ! {
        let errno = *libc::__errno_location();
        let mut msg = [0u8; 5];
        msg[0] = step;
        msg[1..].copy_from_slice(&errno.to_ne_bytes());
        libc::write(p.status_fd, msg.as_ptr().cast(), msg.len());
        libc::_exit(127);
    };
    // Default signal dispositions (the runner ignores SIGPIPE), then an
    // empty mask: signals stay blocked until no handler of the runner's is left.
    for sig in 1..32 {
        if sig != libc::SIGKILL && sig != libc::SIGSTOP {
            libc::signal(sig, libc::SIG_DFL);
        }
    }
    let mut set: libc::sigset_t = std::mem::zeroed();
    libc::sigemptyset(&mut set);
    libc::sigprocmask(libc::SIG_SETMASK, &set, std::ptr::null_mut());
    libc::setsid();
    // Be the OOM killer's first choice, never the runner.
    let oom = c"/proc/self/oom_score_adj";
    let fd = libc::open(oom.as_ptr(), libc::O_WRONLY | libc::O_CLOEXEC);
    if fd >= 0 {
        libc::write(fd, b"1000".as_ptr().cast(), 4);
        libc::close(fd);
    }
    if libc::dup2(p.stdin_fd, 0) < 0
        || libc::dup2(p.stdout_fd, 1) < 0
        || libc::dup2(p.stderr_fd, 2) < 0
    {
        fail(0);
    }
    close_from(3, p.status_fd);
    libc::umask(0o022);
    for &(res, soft, hard, required) in &p.rlimits {
        let lim = libc::rlimit {
            rlim_cur: soft,
            rlim_max: hard,
        };
        if libc::setrlimit(res, &lim) != 0 && required {
            fail(1);
        }
    }
    if libc::chdir(p.workdir.as_ptr()) != 0 {
        fail(2);
    }
    if libc::syscall(libc::SYS_setgroups, 0, std::ptr::null::<libc::gid_t>()) != 0 {
        fail(3);
    }
    if libc::syscall(libc::SYS_setgid, SANDBOX_GID) != 0 {
        fail(4);
    }
    if libc::syscall(libc::SYS_setuid, SANDBOX_UID) != 0 {
        fail(5);
    }
    if libc::getuid() != SANDBOX_UID
        || libc::geteuid() != SANDBOX_UID
        || libc::getegid() != SANDBOX_GID
    {
        fail(6);
    }
    // Dies with the runner (set after setuid: credential changes clear it).
    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong);
    libc::execve(
        p.program.as_ptr(),
        p.argv_ptrs.as_ptr(),
        p.envp_ptrs.as_ptr(),
    );
    fail(7);
}

/// Closes every descriptor from `first` up but `keep` (in the forked child).
/// `close_range` is two system calls where a loop is a thousand, each through
/// the seccomp filter: a tenth of the runner's CPU per run when it looped.
/// The loop stays for a kernel older than 5.9 (ENOSYS).
unsafe fn close_from(first: RawFd, keep: RawFd) {
    let range = |lo: RawFd, hi: libc::c_uint| {
        libc::syscall(
            libc::SYS_close_range,
            lo as libc::c_uint,
            hi,
            0 as libc::c_uint,
        ) == 0
    };
    let done = if keep >= first {
        (keep == first || range(first, (keep - 1) as libc::c_uint))
            && range(keep + 1, libc::c_uint::MAX)
    } else {
        range(first, libc::c_uint::MAX)
    };
    if !done {
        for fd in first..1024 {
            if fd != keep {
                libc::close(fd);
            }
        }
    }
}

/// `(resource, soft, hard, required)` with both values at most the current hard limit.
fn clamp_rlimit(
    res: libc::__rlimit_resource_t,
    soft: u64,
    hard: u64,
    required: bool,
) -> (libc::__rlimit_resource_t, libc::rlim_t, libc::rlim_t, bool) {
    let mut cur = libc::rlimit {
        rlim_cur: 0,
        rlim_max: libc::RLIM_INFINITY,
    };
    unsafe { libc::getrlimit(res, &mut cur) };
    let max = cur.rlim_max;
    (res, soft.min(max), hard.min(max), required)
}

fn rusage_ms(tv: libc::timeval) -> u64 {
    (tv.tv_sec as u64) * 1000 + (tv.tv_usec as u64) / 1000
}

/// Compiler output kept (stdout and stderr together).
pub const COMPILE_OUTPUT_KEEP: usize = 64 * 1024;
/// Program stderr kept.
pub const RUN_STDERR_KEEP: usize = 4 * 1024;

/// A capture buffer for one pipe.
pub struct Capture {
    pub fd: Option<OwnedFd>,
    pub buf: Vec<u8>,
    keep: usize,
    pub total: u64,
}

impl Capture {
    pub fn new(fd: OwnedFd, keep: usize) -> Self {
        Capture {
            fd: Some(fd),
            buf: Vec::new(),
            keep,
            total: 0,
        }
    }

    /// Reads once; closes the fd at EOF.
    pub fn read_once(&mut self) {
        let Some(fd) = &self.fd else { return };
        let mut chunk = [0u8; 65536];
        let n = unsafe { libc::read(fd.as_raw_fd(), chunk.as_mut_ptr().cast(), chunk.len()) };
        if n > 0 {
            let n = n as usize;
            self.total += n as u64;
            let room = self.keep.saturating_sub(self.buf.len());
            self.buf.extend_from_slice(&chunk[..n.min(room)]);
        } else if n == 0 {
            self.fd = None;
        } else {
            let e = io::Error::last_os_error();
            if e.kind() != io::ErrorKind::Interrupted && e.kind() != io::ErrorKind::WouldBlock {
                self.fd = None;
            }
        }
    }
}

/// Polls the open capture fds (plus `extra`), up to `timeout`; reads what is ready.
/// Returns whether `extra` became readable.
fn poll_once(caps: &mut [&mut Capture], extra: Option<RawFd>, timeout: Duration) -> bool {
    let mut fds: Vec<libc::pollfd> = Vec::new();
    let mut owners = Vec::new();
    for (i, c) in caps.iter().enumerate() {
        if let Some(fd) = &c.fd {
            fds.push(libc::pollfd {
                fd: fd.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            });
            owners.push(Some(i));
        }
    }
    if let Some(fd) = extra {
        fds.push(libc::pollfd {
            fd,
            events: libc::POLLIN,
            revents: 0,
        });
        owners.push(None);
    }
    let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
    if fds.is_empty() {
        std::thread::sleep(timeout);
        return false;
    }
    let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
    if n <= 0 {
        return false;
    }
    let mut extra_ready = false;
    for (pfd, owner) in fds.iter().zip(owners) {
        if pfd.revents == 0 {
            continue;
        }
        match owner {
            Some(i) => caps[i].read_once(),
            None => extra_ready = true,
        }
    }
    extra_ready
}

fn pidfd_open(pid: libc::pid_t) -> Option<OwnedFd> {
    let fd = unsafe { libc::syscall(libc::SYS_pidfd_open, pid, 0) };
    if fd < 0 {
        None
    } else {
        Some(unsafe { OwnedFd::from_raw_fd(fd as RawFd) })
    }
}

/// A started process and what is needed to measure it.
pub struct Spawned {
    pub pid: libc::pid_t,
    /// Readable when the process exits (None on old kernels: poll briefly).
    pub pidfd: Option<OwnedFd>,
    pub start: Instant,
    /// The write end of stdin, when `pipe_stdin` was asked for.
    pub stdin_w: Option<OwnedFd>,
    pub out_r: OwnedFd,
    /// None when stdout and stderr are merged.
    pub err_r: Option<OwnedFd>,
    pub baseline: Baseline,
}

/// Container counters read right before the fork.
#[derive(Clone, Copy)]
pub struct Baseline {
    oom_before: Option<u64>,
    cgroup_cpu_before: Option<u64>,
}

/// Kills the process group of `pid` and `pid` itself.
pub fn kill_tree(pid: libc::pid_t) {
    unsafe { libc::kill(-pid, libc::SIGKILL) };
    unsafe { libc::kill(pid, libc::SIGKILL) };
}

/// Forks, drops privileges, applies the limits and execs `spec`. `Err` is a
/// judge fault: nothing runs afterwards.
pub fn spawn(spec: Spec<'_>) -> Result<Spawned, String> {
    let limits = spec.limits;
    if spec.argv.is_empty() {
        return Err("empty argv".into());
    }
    let env = build_env(spec.env);
    let path = env
        .iter()
        .find(|(k, _)| k == "PATH")
        .map(|(_, v)| v.as_str())
        .unwrap_or(DEFAULT_PATH);
    let program = resolve_program(&spec.argv[0], path)?;
    let (stdin, stdin_w): (OwnedFd, Option<OwnedFd>) = if spec.pipe_stdin {
        let (r, w) = pipe().map_err(|e| format!("pipe: {e}"))?;
        // The runner must never block on a child that does not read.
        unsafe {
            let flags = libc::fcntl(w.as_raw_fd(), libc::F_GETFL);
            libc::fcntl(w.as_raw_fd(), libc::F_SETFL, flags | libc::O_NONBLOCK);
        }
        (r, Some(w))
    } else {
        let f = match spec.stdin {
            Some(f) => f,
            None => File::open("/dev/null").map_err(|e| format!("open /dev/null: {e}"))?,
        };
        (OwnedFd::from(f), None)
    };
    let (out_r, out_w) = pipe().map_err(|e| format!("pipe: {e}"))?;
    let err_pipe = if spec.merge_output {
        None
    } else {
        Some(pipe().map_err(|e| format!("pipe: {e}"))?)
    };
    let (status_r, status_w) = pipe().map_err(|e| format!("pipe: {e}"))?;

    let (cpu_soft, cpu_hard) = crate::classify::cpu_rlimit(limits.cpu_ms);
    let stack = limits.memory_kb.saturating_mul(1024).max(8 << 20);
    let argv: Vec<CString> = spec
        .argv
        .iter()
        .map(|a| cstr(a, "argument"))
        .collect::<Result<_, _>>()?;
    let envp: Vec<CString> = env
        .iter()
        .map(|(k, v)| {
            if k.is_empty() || k.contains('=') {
                Err(format!("invalid environment variable name {k:?}"))
            } else {
                cstr(&format!("{k}={v}"), "environment")
            }
        })
        .collect::<Result<_, _>>()?;
    let plan = ChildPlan {
        program: cstr(&program, "program")?,
        argv_ptrs: pointers(&argv),
        envp_ptrs: pointers(&envp),
        _argv: argv,
        _envp: envp,
        workdir: cstr(BUILD_DIR, "dir")?,
        // Each clamped to the runner's own hard limit (raising it needs
        // CAP_SYS_RESOURCE, e.g. the container's nofile/fsize ulimits).
        rlimits: vec![
            clamp_rlimit(libc::RLIMIT_CPU, cpu_soft, cpu_hard, true),
            clamp_rlimit(
                libc::RLIMIT_FSIZE,
                limits.file_size_bytes,
                limits.file_size_bytes,
                true,
            ),
            clamp_rlimit(
                libc::RLIMIT_NOFILE,
                limits.open_files,
                limits.open_files,
                true,
            ),
            clamp_rlimit(libc::RLIMIT_CORE, 0, 0, true),
            // As large as the memory limit (best effort).
            clamp_rlimit(libc::RLIMIT_STACK, stack, stack, false),
        ],
        stdin_fd: stdin.as_raw_fd(),
        stdout_fd: out_w.as_raw_fd(),
        stderr_fd: err_pipe
            .as_ref()
            .map(|p| p.1.as_raw_fd())
            .unwrap_or(out_w.as_raw_fd()),
        status_fd: status_w.as_raw_fd(),
    };

    let oom_before = Cgroup::system().oom_kills();
    let cgroup_cpu_before = read_cgroup_cpu_ns();
    let start = Instant::now();
    let pid = clone_child(&plan);
    if pid < 0 {
        return Err(format!("clone: {}", io::Error::last_os_error()));
    }
    drop(plan);
    drop(stdin);
    drop(out_w);
    drop(status_w);
    let (err_r, err_w) = match err_pipe {
        Some((r, w)) => (Some(r), Some(w)),
        None => (None, None),
    };
    drop(err_w);

    // Did the exec succeed? The status pipe closes on exec (CLOEXEC) or carries the failure.
    let mut msg = [0u8; 5];
    let mut got = 0;
    loop {
        let n = unsafe {
            libc::read(
                status_r.as_raw_fd(),
                msg[got..].as_mut_ptr().cast(),
                5 - got,
            )
        };
        if n > 0 {
            got += n as usize;
            if got == 5 {
                break;
            }
        } else if n == 0 || io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
            break;
        }
    }
    drop(status_r);
    if got > 0 {
        let mut status = 0;
        unsafe { libc::waitpid(pid, &mut status, 0) };
        crate::cleanup::kill_sandbox_processes();
        let step = STEP_NAMES.get(msg[0] as usize).copied().unwrap_or("setup");
        let errno = if got == 5 {
            i32::from_ne_bytes([msg[1], msg[2], msg[3], msg[4]])
        } else {
            0
        };
        return Err(format!(
            "could not start {program}: {step} failed: {}",
            io::Error::from_raw_os_error(errno)
        ));
    }

    Ok(Spawned {
        pid,
        pidfd: pidfd_open(pid),
        start,
        stdin_w,
        out_r,
        err_r,
        baseline: Baseline {
            oom_before,
            cgroup_cpu_before,
        },
    })
}

/// What the wait loop saw of a process that has been reaped.
pub struct Reaped {
    pub status: libc::c_int,
    pub rusage: libc::rusage,
    pub wall: Duration,
    /// CPU time of the container's cgroup right after the reap.
    pub cgroup_cpu_after: Option<u64>,
}

/// `wait4(pid, WNOHANG)`: `Ok(Some)` once the process has ended.
pub fn try_reap(pid: libc::pid_t, start: Instant) -> Result<Option<Reaped>, String> {
    let mut status = 0;
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    let r = unsafe { libc::wait4(pid, &mut status, libc::WNOHANG, &mut ru) };
    if r == pid {
        return Ok(Some(Reaped {
            status,
            rusage: ru,
            wall: start.elapsed(),
            cgroup_cpu_after: read_cgroup_cpu_ns(),
        }));
    }
    if r < 0 && io::Error::last_os_error().kind() != io::ErrorKind::Interrupted {
        return Err(format!("wait4: {}", io::Error::last_os_error()));
    }
    Ok(None)
}

/// The measurement of a reaped process (call after its output is drained).
pub fn measure(
    baseline: Baseline,
    reaped: &Reaped,
    wall_killed: bool,
    output_killed: bool,
) -> Result<Measured, String> {
    let status = reaped.status;
    let oom_after = Cgroup::system().oom_kills();
    let ended = if libc::WIFEXITED(status) {
        Ended::Exited(libc::WEXITSTATUS(status))
    } else if libc::WIFSIGNALED(status) {
        Ended::Signaled(libc::WTERMSIG(status))
    } else {
        return Err(format!("unexpected wait status {status:#x}"));
    };
    Ok(Measured {
        ended,
        cpu_ms: tree_cpu_ms(
            rusage_ms(reaped.rusage.ru_utime) + rusage_ms(reaped.rusage.ru_stime),
            baseline.cgroup_cpu_before,
            reaped.cgroup_cpu_after,
        ),
        wall_ms: nearest_ms(reaped.wall),
        memory_kb: reaped.rusage.ru_maxrss.max(0) as u64,
        wall_killed,
        output_killed,
        oom_killed: matches!((baseline.oom_before, oom_after), (Some(a), Some(b)) if b > a),
        cgroup_limit_kb: Cgroup::system().memory_limit_kb(),
    })
}

/// Runs `spec` to completion. `Err` is a judge fault (nothing could be run or
/// measured), never a verdict. Leftover sandbox processes are killed before
/// this returns.
pub fn execute(spec: Spec<'_>) -> Result<Executed, String> {
    let limits = spec.limits;
    let (stdout_keep, stderr_keep, enforce_output) =
        (spec.stdout_keep, spec.stderr_keep, spec.enforce_output);
    let Spawned {
        pid,
        pidfd,
        start,
        stdin_w: _,
        out_r,
        err_r,
        baseline,
    } = spawn(spec)?;
    let deadline = start + Duration::from_millis(limits.wall_ms);
    let mut out = Capture::new(out_r, stdout_keep);
    let mut err = err_r.map(|fd| Capture::new(fd, stderr_keep));
    let mut wall_killed = false;
    let mut output_killed = false;
    let mut killed = false;
    // The most the sandbox's processes held at once, as polled.
    let mut peak_polled_kb = 0;
    let mut next_memory_check = start;
    let reaped = loop {
        if let Some(reaped) = try_reap(pid, start)? {
            break reaped;
        }
        let now = Instant::now();
        if !killed && now >= deadline {
            kill_tree(pid);
            wall_killed = true;
            killed = true;
        }
        let mut timeout = if killed {
            Duration::from_millis(20)
        } else {
            deadline - now
        };
        if pidfd.is_none() {
            timeout = timeout.min(Duration::from_millis(5));
        }
        timeout = timeout.min(memory::POLL);
        {
            let mut caps: Vec<&mut Capture> = vec![&mut out];
            if let Some(e) = err.as_mut() {
                caps.push(e);
            }
            poll_once(&mut caps, pidfd.as_ref().map(|f| f.as_raw_fd()), timeout);
        }
        // At most once per poll interval: a program writing its output in
        // many small chunks wakes this loop far more often.
        if !killed && Instant::now() >= next_memory_check {
            next_memory_check = Instant::now() + memory::POLL;
            peak_polled_kb = peak_polled_kb.max(memory::largest_rss_kb());
            if peak_polled_kb > limits.memory_kb {
                // Ended at the memory limit. `classify` reads a SIGKILL the
                // runner did not send for time or output, with peak memory
                // over the limit, as the memory limit, as for the OOM killer.
                kill_tree(pid);
                killed = true;
            }
        }
        if enforce_output && !killed && out.total > stdout_keep as u64 {
            kill_tree(pid);
            output_killed = true;
            killed = true;
        }
    };

    // Whatever the child left behind dies now; then the pipes reach EOF.
    crate::cleanup::kill_sandbox_processes();
    let drain_deadline = Instant::now() + Duration::from_secs(2);
    while (out.fd.is_some() || err.as_ref().is_some_and(|e| e.fd.is_some()))
        && Instant::now() < drain_deadline
    {
        let mut caps: Vec<&mut Capture> = vec![&mut out];
        if let Some(e) = err.as_mut() {
            caps.push(e);
        }
        poll_once(&mut caps, None, Duration::from_millis(100));
    }
    if enforce_output && !output_killed && out.total > stdout_keep as u64 {
        // The excess arrived after the child exited (written just before, or by a leftover).
        output_killed = true;
    }
    let mut measured = measure(baseline, &reaped, wall_killed, output_killed)?;
    measured.memory_kb = measured.memory_kb.max(peak_polled_kb);
    let stdout = std::mem::take(&mut out.buf);
    let stderr = err
        .map(|mut e| std::mem::take(&mut e.buf))
        .unwrap_or_default();
    Ok(Executed {
        measured,
        stdout,
        stderr,
    })
}

/// A duration in whole milliseconds, rounded to the nearest: truncating
/// would under-report every fast test by half a millisecond on average, and
/// a 20-test submission's summed wall time by about 10 ms.
fn nearest_ms(d: Duration) -> u64 {
    ((d.as_micros() + 500) / 1000) as u64
}

/// The CPU time of the process tree: what `wait4` saw, or the container's
/// cgroup growth if that is larger (children the process never waited for).
pub fn tree_cpu_ms(
    rusage_ms: u64,
    cgroup_before_ns: Option<u64>,
    cgroup_after_ns: Option<u64>,
) -> u64 {
    match (cgroup_before_ns, cgroup_after_ns) {
        (Some(a), Some(b)) if b >= a => rusage_ms.max((b - a) / 1_000_000),
        _ => rusage_ms,
    }
}

/// Opens a test input as root, refusing names that could leave the tests dir.
pub fn open_test_input(tests_dir: &Path, input: &str) -> Result<File, String> {
    if input.is_empty() || input.contains('/') || input.contains("..") || input.contains('\0') {
        return Err(format!("invalid test input name {input:?}"));
    }
    let path = tests_dir.join(input);
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW)
        .open(&path)
        .map_err(|e| format!("open test input {}: {e}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn env_has_defaults_and_request_values_win() {
        let env = build_env(&[
            ("LANG".into(), "en_US.UTF-8".into()),
            ("X".into(), "1".into()),
        ]);
        assert!(env.contains(&("PATH".into(), DEFAULT_PATH.into())));
        assert!(env.contains(&("HOME".into(), "/tmp".into())));
        assert!(env.contains(&("LANG".into(), "en_US.UTF-8".into())));
        assert!(!env.contains(&("LANG".into(), "C.UTF-8".into())));
        assert!(env.contains(&("X".into(), "1".into())));
    }

    #[test]
    fn wall_time_rounds_to_the_nearest_millisecond() {
        assert_eq!(nearest_ms(Duration::from_micros(1_499)), 1);
        assert_eq!(nearest_ms(Duration::from_micros(1_500)), 2);
        assert_eq!(nearest_ms(Duration::from_micros(300)), 0);
        assert_eq!(nearest_ms(Duration::from_secs(2)), 2000);
    }

    #[test]
    fn programs_resolve_like_execvp() {
        assert_eq!(resolve_program("./main", DEFAULT_PATH).unwrap(), "./main");
        assert_eq!(
            resolve_program("sh", DEFAULT_PATH)
                .unwrap()
                .rsplit('/')
                .next(),
            Some("sh")
        );
        assert!(resolve_program("no-such-program-xyz", DEFAULT_PATH).is_err());
    }

    #[test]
    fn cpu_time_counts_unwaited_children_through_the_cgroup() {
        assert_eq!(
            tree_cpu_ms(500, Some(1_000_000_000), Some(2_800_000_000)),
            1800
        );
        assert_eq!(
            tree_cpu_ms(500, Some(1_000_000_000), Some(1_200_000_000)),
            500
        );
        assert_eq!(tree_cpu_ms(500, None, Some(9_000_000_000)), 500);
        assert_eq!(tree_cpu_ms(500, Some(9), Some(1)), 500);
    }

    #[test]
    fn test_inputs_cannot_escape() {
        let d = Path::new("/nonexistent");
        for bad in ["", "../x", "a/b", "..", "/etc/passwd"] {
            assert!(
                open_test_input(d, bad).unwrap_err().contains("invalid"),
                "{bad}"
            );
        }
    }
}
