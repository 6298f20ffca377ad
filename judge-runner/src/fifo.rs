//! The named pipes of an interactive run whose two processes talk through
//! the kernel rather than through the worker (`RunInteractive.fifos`).
//!
//! The worker makes, for each run, a directory below [`PIPES_DIR`] (root's,
//! mode 0700) holding two FIFOs (mode 0600); both sandboxes see it. Only the
//! runner (root, their owner) can open them: the sandbox user inherits
//! the descriptors and nothing else.
//!
//! Both processes must start with the peer's writer already at the other
//! end of their stdin (a FIFO without a writer reads EOF at once), and
//! neither side's reader may go away before the peer's writer has connected
//! (a write-only open fails without a reader). Hence the order of the opens:
//! - the first side (the validator) opens its read end without blocking,
//!   then its write end, retried while `ENXIO` says the peer has no reader
//!   there yet;
//! - the second side (`after_peer`, the submission) opens its write end
//!   likewise, then its read end blocking until the first side's writer
//!   arrives (a timer interrupts the wait to look at the bound and at the
//!   worker).
//!
//! When the second side's read end opens, all four ends are open, and each
//! runner starts its process only after its own opens: no process runs
//! before both are connected. The runners see `EPIPE` once the peer's
//! reader is gone.
//!
//! Each runner also holds a writer of its own child's stdin (the
//! placeholder) until the worker sends `CloseInput`, which it does once it
//! has the peer's report, as when it relays. Without it, the end of one
//! process would reach the other through the kernel at once, and the other
//! (a validator that takes EOF for a wrong answer) could report before the
//! first one's report had reached the worker: which side ended first
//! decides the verdict, and the worker knows it by the order of the reports.

use std::fs::File;
use std::io;
use std::os::fd::{AsRawFd, FromRawFd, OwnedFd};
use std::path::{Component, Path};
use std::time::{Duration, Instant};

use judge_protocol::{Fifos, PIPES_DIR};

/// How often the blocking open of the second side is interrupted.
const TICK: Duration = Duration::from_millis(10);

/// The open ends, for one side.
pub struct Ends {
    /// The child's stdin (blocking).
    pub stdin: File,
    /// A writer of the child's stdin held by the runner until `CloseInput`
    /// (see the module doc).
    pub placeholder: OwnedFd,
    /// Where the child's stdout goes, written by the runner (non-blocking).
    pub stdout: OwnedFd,
}

/// Checks that `path` names something below [`PIPES_DIR`] (not the
/// directory itself), absolute, without `.` or `..`.
pub fn valid_path(path: &str) -> Result<&Path, String> {
    let p = Path::new(path);
    let ok = p.starts_with(PIPES_DIR)
        && p.components().count() > 2
        && p.components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
    if ok {
        Ok(p)
    } else {
        Err(format!(
            "invalid pipe {path:?}: must be a path below {PIPES_DIR}"
        ))
    }
}

/// `open(2)` with `O_NOFOLLOW | O_CLOEXEC` (and `access`'s flags), then a
/// check that it is a FIFO; `Err` carries the `io::Error` for retries.
fn open_fifo(path: &Path, access: libc::c_int) -> io::Result<OwnedFd> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes())
        .map_err(|_| io::Error::from(io::ErrorKind::InvalidInput))?;
    let flags = access | libc::O_NOFOLLOW | libc::O_CLOEXEC;
    let fd = unsafe { libc::open(c.as_ptr(), flags) };
    if fd < 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: a descriptor we just opened and own.
    let fd = unsafe { OwnedFd::from_raw_fd(fd) };
    let st = fstat(&fd)?;
    if st.st_mode & libc::S_IFMT != libc::S_IFIFO {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "not a named pipe",
        ));
    }
    Ok(fd)
}

fn fstat(fd: &OwnedFd) -> io::Result<libc::stat> {
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(fd.as_raw_fd(), &mut st) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(st)
}

fn set_blocking(fd: &OwnedFd) -> io::Result<()> {
    unsafe {
        let flags = libc::fcntl(fd.as_raw_fd(), libc::F_GETFL);
        if flags < 0 || libc::fcntl(fd.as_raw_fd(), libc::F_SETFL, flags & !libc::O_NONBLOCK) < 0 {
            return Err(io::Error::last_os_error());
        }
    }
    Ok(())
}

/// Opens both ends (see the module doc). Each wait ends after `bound`;
/// `wait(d)` sleeps at most `d` between tries and returns true when the
/// wait must end (the worker sent a request: it gave up on this run).
pub fn open(
    fifos: &Fifos,
    bound: Duration,
    mut wait: impl FnMut(Duration) -> bool,
) -> Result<Ends, String> {
    let read_path = valid_path(&fifos.stdin)?;
    let write_path = valid_path(&fifos.stdout)?;
    if read_path == write_path {
        return Err("the two pipes of an interactive run must differ".into());
    }
    open_paths(read_path, write_path, fifos.after_peer, bound, &mut wait)
}

/// [`open`] on paths already checked.
fn open_paths(
    read_path: &Path,
    write_path: &Path,
    after_peer: bool,
    bound: Duration,
    wait: &mut dyn FnMut(Duration) -> bool,
) -> Result<Ends, String> {
    let what = |path: &Path, e: io::Error| format!("pipe {}: {e}", path.display());
    let give_up = Instant::now() + bound;
    let (read, write) = if after_peer {
        let write = open_writer(write_path, give_up, bound, wait)?;
        let read = open_reader_waiting(read_path, give_up, bound, wait)?;
        (read, write)
    } else {
        let read = open_fifo(read_path, libc::O_RDONLY | libc::O_NONBLOCK)
            .map_err(|e| what(read_path, e))?;
        let write = open_writer(write_path, give_up, bound, wait)?;
        set_blocking(&read).map_err(|e| what(read_path, e))?;
        (read, write)
    };
    // Non-blocking: there is a reader (ours), and nothing is written to it.
    let placeholder =
        open_fifo(read_path, libc::O_WRONLY | libc::O_NONBLOCK).map_err(|e| what(read_path, e))?;
    let (a, b) = (
        fstat(&read).map_err(|e| what(read_path, e))?,
        fstat(&placeholder).map_err(|e| what(read_path, e))?,
    );
    if (a.st_dev, a.st_ino) != (b.st_dev, b.st_ino) {
        return Err(format!("pipe {} changed while opened", read_path.display()));
    }
    Ok(Ends {
        stdin: File::from(read),
        placeholder,
        stdout: write,
    })
}

fn late(path: &Path, bound: Duration) -> String {
    format!(
        "pipe {}: the other side did not open it within {} ms",
        path.display(),
        bound.as_millis()
    )
}

fn given_up(path: &Path) -> String {
    format!(
        "pipe {}: the worker ended the run before the other side opened it",
        path.display()
    )
}

/// The write end (non-blocking), retried while the peer has no reader.
fn open_writer(
    path: &Path,
    give_up: Instant,
    bound: Duration,
    wait: &mut dyn FnMut(Duration) -> bool,
) -> Result<OwnedFd, String> {
    let mut pause = Duration::from_micros(100);
    loop {
        match open_fifo(path, libc::O_WRONLY | libc::O_NONBLOCK) {
            Ok(fd) => return Ok(fd),
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                let now = Instant::now();
                if now >= give_up {
                    return Err(late(path, bound));
                }
                if wait(pause.min(give_up - now)) {
                    return Err(given_up(path));
                }
                pause = (pause * 2).min(Duration::from_millis(5));
            }
            Err(e) => return Err(format!("pipe {}: {e}", path.display())),
        }
    }
}

extern "C" fn on_alarm(_: libc::c_int) {}

/// The read end, blocking until a writer arrives: `open` waits in the
/// kernel, and a periodic SIGALRM aimed at this thread (its handler does
/// nothing, and without `SA_RESTART` the open returns `EINTR`) lets the
/// bound and the worker be looked at. The handler stays: nothing else in
/// the runner uses SIGALRM, and a child gets the default back at exec.
fn open_reader_waiting(
    path: &Path,
    give_up: Instant,
    bound: Duration,
    wait: &mut dyn FnMut(Duration) -> bool,
) -> Result<OwnedFd, String> {
    let ticker = Ticker::start(TICK).map_err(|e| format!("timer: {e}"))?;
    let opened = loop {
        match open_fifo(path, libc::O_RDONLY) {
            Ok(fd) => break Ok(fd),
            Err(e) if e.raw_os_error() == Some(libc::EINTR) => {
                if Instant::now() >= give_up {
                    break Err(late(path, bound));
                }
                if wait(Duration::ZERO) {
                    break Err(given_up(path));
                }
            }
            Err(e) => break Err(format!("pipe {}: {e}", path.display())),
        }
    };
    drop(ticker);
    opened
}

/// A POSIX timer sending SIGALRM to the calling thread every period,
/// deleted on drop.
struct Ticker(libc::timer_t);

impl Ticker {
    fn start(period: Duration) -> io::Result<Ticker> {
        unsafe {
            let mut action: libc::sigaction = std::mem::zeroed();
            action.sa_sigaction = on_alarm as extern "C" fn(libc::c_int) as usize;
            libc::sigemptyset(&mut action.sa_mask);
            if libc::sigaction(libc::SIGALRM, &action, std::ptr::null_mut()) < 0 {
                return Err(io::Error::last_os_error());
            }
            let mut event: libc::sigevent = std::mem::zeroed();
            event.sigev_notify = libc::SIGEV_THREAD_ID;
            event.sigev_signo = libc::SIGALRM;
            event.sigev_notify_thread_id = libc::gettid();
            let mut id: libc::timer_t = std::mem::zeroed();
            if libc::timer_create(libc::CLOCK_MONOTONIC, &mut event, &mut id) < 0 {
                return Err(io::Error::last_os_error());
            }
            let tick = libc::timespec {
                tv_sec: period.as_secs() as libc::time_t,
                tv_nsec: period.subsec_nanos() as libc::c_long,
            };
            let spec = libc::itimerspec {
                it_interval: tick,
                it_value: tick,
            };
            if libc::timer_settime(id, 0, &spec, std::ptr::null_mut()) < 0 {
                let e = io::Error::last_os_error();
                libc::timer_delete(id);
                return Err(e);
            }
            Ok(Ticker(id))
        }
    }
}

impl Drop for Ticker {
    fn drop(&mut self) {
        // A tick already sent is delivered by the time this returns, to
        // the handler that stays installed.
        unsafe { libc::timer_delete(self.0) };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_stay_below_the_pipes_directory() {
        assert!(valid_path("/pipes/abc/to-validator").is_ok());
        assert!(valid_path("/pipes/x").is_ok());
        for bad in [
            "/pipes",
            "/pipes/",
            "pipes/x",
            "/pipes/../etc/passwd",
            "/pipes/a/../../x",
            "/pipesx/a",
            "/tmp/x",
            "",
        ] {
            assert!(valid_path(bad).is_err(), "{bad}");
        }
    }

    fn mkfifo(path: &Path) {
        use std::os::unix::ffi::OsStrExt;
        let c = std::ffi::CString::new(path.as_os_str().as_bytes()).unwrap();
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    }

    fn temp_dir(name: &str) -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!("runner-fifo-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn sleep(d: Duration) -> bool {
        std::thread::sleep(d);
        false
    }

    #[test]
    fn two_sides_connect_and_see_eof_and_epipe_when_the_other_ends() {
        use std::io::{Read, Write};
        let dir = temp_dir("connect");
        let (ab, ba) = (dir.join("a-to-b"), dir.join("b-to-a"));
        mkfifo(&ab);
        mkfifo(&ba);
        let (ab2, ba2) = (ab.clone(), ba.clone());
        // B (second) may start before A (first): it waits for A.
        let b = std::thread::spawn(move || {
            open_paths(&ab2, &ba2, true, Duration::from_secs(10), &mut sleep).unwrap()
        });
        std::thread::sleep(Duration::from_millis(50));
        let a = open_paths(&ba, &ab, false, Duration::from_secs(10), &mut sleep).unwrap();
        let b = b.join().unwrap();
        let mut a_out = File::from(a.stdout);
        a_out.write_all(b"ping\n").unwrap();
        let mut b_in = b.stdin;
        let mut buf = [0u8; 5];
        b_in.read_exact(&mut buf).unwrap();
        assert_eq!(&buf, b"ping\n");
        // A's writer and B's placeholder go: B reads EOF.
        drop(a_out);
        drop(b.placeholder);
        let mut rest = Vec::new();
        b_in.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty());
        // A's reader goes: B's writes fail with EPIPE.
        drop(a.stdin);
        drop(a.placeholder);
        let mut b_out = File::from(b.stdout);
        let err = b_out.write_all(b"pong\n").unwrap_err();
        assert_eq!(err.raw_os_error(), Some(libc::EPIPE));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn the_second_side_waits_for_the_first_sides_writer() {
        let dir = temp_dir("second");
        let (r, w) = (dir.join("in"), dir.join("out"));
        mkfifo(&r);
        mkfifo(&w);
        // A reader at the other end of its write end, no writer at its read end.
        let _reader = open_fifo(&w, libc::O_RDONLY | libc::O_NONBLOCK).unwrap();
        let started = Instant::now();
        let err = open_paths(&r, &w, true, Duration::from_millis(100), &mut sleep)
            .err()
            .unwrap();
        assert!(err.contains("did not open it"), "{err}");
        assert!(started.elapsed() >= Duration::from_millis(100));
        let err = open_paths(&r, &w, true, Duration::from_secs(60), &mut |_| true)
            .err()
            .unwrap();
        assert!(err.contains("ended the run"), "{err}");
        // A writer that comes later ends the wait.
        let r2 = r.clone();
        let writer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(50));
            // Blocks until the reader below has opened (then both return).
            File::options().write(true).open(&r2).unwrap()
        });
        let ends = open_paths(&r, &w, true, Duration::from_secs(10), &mut sleep).unwrap();
        let _writer = writer.join().unwrap();
        drop(ends);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_missing_peer_is_waited_for_only_up_to_the_bound_and_the_worker() {
        let dir = temp_dir("alone");
        let (r, w) = (dir.join("in"), dir.join("out"));
        mkfifo(&r);
        mkfifo(&w);
        for after_peer in [false, true] {
            let err = open_paths(&r, &w, after_peer, Duration::from_millis(50), &mut sleep)
                .err()
                .unwrap();
            assert!(err.contains("did not open it"), "{err}");
            let err = open_paths(&r, &w, after_peer, Duration::from_secs(60), &mut |_| true)
                .err()
                .unwrap();
            assert!(err.contains("ended the run"), "{err}");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_and_links_are_refused() {
        let dir = temp_dir("refuse");
        let (fifo, file, link) = (dir.join("fifo"), dir.join("file"), dir.join("link"));
        mkfifo(&fifo);
        std::fs::write(&file, b"secret").unwrap();
        std::os::unix::fs::symlink(&fifo, &link).unwrap();
        let err = open_paths(&file, &fifo, false, Duration::ZERO, &mut sleep)
            .err()
            .unwrap();
        assert!(err.contains("not a named pipe"), "{err}");
        let err = open_paths(&link, &fifo, false, Duration::ZERO, &mut sleep)
            .err()
            .unwrap();
        assert!(err.contains("link"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
