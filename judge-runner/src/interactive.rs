//! `RunInteractive`: a process whose stdin and stdout are relayed through the
//! worker, one chunk at a time, while it runs.
//!
//! One single-threaded loop polls, together: the runner's own stdin
//! (requests: `Input`, `CloseInput`, `Kill`), the child's stdout (sent on as
//! `Output` messages) and stderr (captured), the child's stdin (written
//! without blocking from a pending buffer), the runner's stdout (written in
//! chunks of at most `PIPE_BUF` only when poll says there is room, so a
//! worker that is busy never stalls the loop) and the child's exit (pidfd).
//! Nothing in it blocks but reading the rest of a request whose first byte
//! has arrived (the worker always writes whole requests).
//!
//! Back-pressure instead of unbounded buffers: the child's stdout is not read
//! while too much output waits for the worker, and requests are not read
//! while too much input waits for the child. Either stall ends at the wall
//! limit, when the child is killed.
//!
//! With named pipes (`fifos`, see [`crate::fifo`]) the worker relays
//! nothing. The child's stdin is the pipe from the peer; its stdout, still a
//! pipe to the runner (where the output limit is counted), goes on into the
//! pipe to the peer from the same loop, in the same container: no `Output`
//! messages, `Input` ignored. `CloseInput` closes the runner's placeholder
//! writer of the child's stdin ([`crate::fifo`]), so that the child reads
//! EOF, as in the relay, only once the worker has the peer's report. When
//! the peer has ended (`EPIPE`), what the child writes next is dropped, as
//! in the relay: both ways give the same verdicts.

use std::io::{self, BufReader, Read, Write};
use std::os::fd::{AsRawFd, OwnedFd, RawFd};
use std::path::{Component, Path};
use std::time::{Duration, Instant};

use judge_protocol::{
    Fifos, Limits, Report, Request, Response, FEEDBACK_DIR, FEEDBACK_FILE_KEEP, MAX_NEXTPASS_BYTES,
    MAX_OUTPUT_CHUNK, NEXTPASS_FILE, SANDBOX_GID, SANDBOX_UID,
};

use crate::classify::classify_run;
use crate::cleanup;
use crate::exec::{self, Capture, Spec};
use crate::protocol_io::{read_request, write_response, Incoming};

/// Output waiting for the worker above which the child's stdout is not read.
const OUTGOING_CAP: usize = 1 << 20;
/// Output waiting for the peer's pipe above which the child's stdout is not
/// read: small, so that a peer that does not read holds the child back about
/// as a direct pipe would.
const TO_PEER_CAP: usize = 64 * 1024;
/// Input waiting for the child above which no request is read.
const PENDING_CAP: usize = 4 << 20;
/// Largest write to the runner's stdout after a POLLOUT (cannot block on a pipe).
const OUT_WRITE_CHUNK: usize = 4096;
/// How long the child's pipes are drained after it exited.
const DRAIN: Duration = Duration::from_secs(2);
/// Most feedback files returned.
const MAX_FEEDBACK_FILES: usize = 16;

/// What the serve loop does after an interactive run.
#[derive(Debug, PartialEq, Eq)]
pub enum After {
    /// Serve the next request.
    Continue,
    /// The worker closed the runner's stdin.
    Eof,
    /// The worker sent `Exit` during the run.
    Exit,
}

/// Checks that `dir` is an absolute path without `..`, below /tmp or
/// [`FEEDBACK_DIR`] itself or below it (never the build or tests directory).
pub fn valid_feedback_dir(dir: &str) -> Result<&Path, String> {
    let path = Path::new(dir);
    let place = (path.starts_with("/tmp") && path.components().count() > 2)
        || path.starts_with(FEEDBACK_DIR);
    let ok = place
        && path
            .components()
            .all(|c| matches!(c, Component::RootDir | Component::Normal(_)));
    if ok {
        Ok(path)
    } else {
        Err(format!(
            "invalid feedback directory {dir:?}: must be below /tmp or {FEEDBACK_DIR}"
        ))
    }
}

/// Makes the feedback directory ready, owned by the sandbox user: empty, or
/// with `keep` as the last process left it but for `nextpass.in` (the next
/// pass of a multi-pass test: the format keeps every other file).
///
/// A directory the sandbox user owns is changed as the sandbox user: the
/// runner's root has no CAP_DAC_OVERRIDE, so it may not remove files there.
pub fn prepare_feedback_dir(path: &Path, keep: bool) -> Result<(), String> {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let md = std::fs::symlink_metadata(path).ok();
    if let Some(md) = md.as_ref().filter(|m| m.is_dir()) {
        let sandbox_owned = md.uid() == SANDBOX_UID;
        let present = |p: &Path| std::fs::symlink_metadata(p).is_ok();
        if keep {
            let nextpass = path.join(NEXTPASS_FILE);
            if present(&nextpass) {
                if sandbox_owned {
                    cleanup::remove_as_sandbox(&nextpass);
                } else {
                    let _ = std::fs::remove_file(&nextpass)
                        .or_else(|_| std::fs::remove_dir_all(&nextpass));
                }
            }
            if present(&nextpass) {
                return Err(format!("could not remove {}", nextpass.display()));
            }
            return Ok(());
        }
        if sandbox_owned {
            cleanup::empty_as_sandbox(path);
            let empty = std::fs::read_dir(path).is_ok_and(|mut d| d.next().is_none());
            if !empty {
                return Err(format!("could not empty {}", path.display()));
            }
            return Ok(());
        }
        let _ = std::fs::remove_dir_all(path);
    } else if md.is_some() {
        let _ = std::fs::remove_file(path);
    }
    std::fs::create_dir_all(path).map_err(|e| format!("{}: {e}", path.display()))?;
    // Mode first: without CAP_FOWNER, root may not chmod what it gave away.
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755))
        .map_err(|e| format!("chmod {}: {e}", path.display()))?;
    std::os::unix::fs::chown(path, Some(SANDBOX_UID), Some(SANDBOX_GID))
        .map_err(|e| format!("chown {}: {e}", path.display()))
}

/// The regular files in `dir` (sorted by name, at most 16, each cut at
/// [`FEEDBACK_FILE_KEEP`] bytes), lossily UTF-8. Links and special files
/// are left out.
pub fn read_feedback(dir: &Path) -> Vec<(String, String)> {
    use std::os::unix::fs::OpenOptionsExt;
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    // nextpass.in travels whole, on its own (read_nextpass).
    names.retain(|n| n != NEXTPASS_FILE);
    names.sort();
    names.truncate(MAX_FEEDBACK_FILES);
    let mut files = Vec::new();
    for name in names {
        let Ok(file) = std::fs::OpenOptions::new()
            .read(true)
            .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
            .open(dir.join(&name))
        else {
            continue;
        };
        if !file.metadata().is_ok_and(|m| m.is_file()) {
            continue;
        }
        let mut data = Vec::new();
        if file
            .take(FEEDBACK_FILE_KEEP as u64)
            .read_to_end(&mut data)
            .is_ok()
        {
            files.push((name, String::from_utf8_lossy(&data).into_owned()));
        }
    }
    files
}

/// The whole `nextpass.in` the process left in `dir`, if it is a regular
/// file; larger than [`MAX_NEXTPASS_BYTES`] is an error, never a cut one.
pub fn read_nextpass(dir: &Path) -> Result<Option<Vec<u8>>, String> {
    use std::os::unix::fs::OpenOptionsExt;
    let path = dir.join(NEXTPASS_FILE);
    let file = match std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK)
        .open(&path)
    {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{NEXTPASS_FILE}: {e}")),
    };
    if !file.metadata().is_ok_and(|m| m.is_file()) {
        return Err(format!("{NEXTPASS_FILE} is not a regular file"));
    }
    let mut data = Vec::new();
    file.take(MAX_NEXTPASS_BYTES + 1)
        .read_to_end(&mut data)
        .map_err(|e| format!("{NEXTPASS_FILE}: {e}"))?;
    if data.len() as u64 > MAX_NEXTPASS_BYTES {
        return Err(format!(
            "{NEXTPASS_FILE} is larger than {MAX_NEXTPASS_BYTES} bytes"
        ));
    }
    Ok(Some(data))
}

/// What a process left in its feedback directory: the `Feedback` response
/// and its payload (the whole `nextpass.in`), or why it cannot be read.
pub fn feedback_response(dir: &Path) -> Result<(Response, Vec<u8>), String> {
    let files = read_feedback(dir);
    let nextpass = read_nextpass(dir)?;
    let nextpass_len = nextpass.as_ref().map(|n| n.len() as u64);
    Ok((
        Response::Feedback {
            files,
            nextpass_len,
        },
        nextpass.unwrap_or_default(),
    ))
}

/// Appends one response line (and its payload) to an outgoing buffer.
pub fn frame(out: &mut Vec<u8>, resp: &Response, payload: &[u8]) {
    out.extend(serde_json::to_vec(resp).expect("responses serialize"));
    out.push(b'\n');
    out.extend_from_slice(payload);
}

/// How much of a chunk of `n` bytes may be passed on when `before` bytes
/// were read already and `limit` are allowed (one more is how OLE is seen).
pub fn forwardable(before: u64, n: usize, limit: u64) -> usize {
    let room = limit.saturating_sub(before);
    (n as u64).min(room) as usize
}

/// A byte buffer written from the front.
#[derive(Default)]
struct Queue {
    data: Vec<u8>,
    pos: usize,
}

impl Queue {
    fn len(&self) -> usize {
        self.data.len() - self.pos
    }
    fn push(&mut self, bytes: &[u8]) {
        if self.pos > 0 && self.pos == self.data.len() {
            self.data.clear();
            self.pos = 0;
        }
        self.data.extend_from_slice(bytes);
    }
    fn front(&self, max: usize) -> &[u8] {
        &self.data[self.pos..self.pos.saturating_add(max).min(self.data.len())]
    }
    fn consume(&mut self, n: usize) {
        self.pos += n;
        if self.pos == self.data.len() {
            self.data.clear();
            self.pos = 0;
        } else if self.pos > (1 << 20) {
            self.data.drain(..self.pos);
            self.pos = 0;
        }
    }
    fn clear(&mut self) {
        self.data.clear();
        self.pos = 0;
    }
}

fn raw_write(fd: RawFd, bytes: &[u8]) -> io::Result<usize> {
    let n = unsafe { libc::write(fd, bytes.as_ptr().cast(), bytes.len()) };
    if n < 0 {
        Err(io::Error::last_os_error())
    } else {
        Ok(n as usize)
    }
}

/// Waits up to `d` for a request from the worker; true if one is there.
fn worker_waiting<R: Read>(input: &BufReader<R>, in_fd: RawFd, d: Duration) -> bool {
    if !input.buffer().is_empty() {
        return true;
    }
    let mut fd = libc::pollfd {
        fd: in_fd,
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = d.as_millis().clamp(1, i32::MAX as u128) as i32;
    unsafe { libc::poll(&mut fd, 1, ms) > 0 }
}

fn retryable(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}

/// Runs one interactive process to its end and sends `Started`, the
/// `Output`s, the `Feedback` (if asked for) and the `Report`, or an `Error`
/// if it could not be started. `Err` only when the runner's own stdio fails.
#[allow(clippy::too_many_arguments)]
pub fn run<R: Read, W: Write>(
    input: &mut BufReader<R>,
    in_fd: RawFd,
    out: &mut W,
    out_fd: RawFd,
    argv: &[String],
    env: &[(String, String)],
    limits: &Limits,
    feedback_dir: Option<&str>,
    keep_feedback: bool,
    fifos: Option<&Fifos>,
) -> io::Result<After> {
    let feedback = match feedback_dir.map(valid_feedback_dir).transpose() {
        Ok(dir) => dir,
        Err(message) => {
            write_response(out, &Response::Error { message }, b"")?;
            return Ok(After::Continue);
        }
    };
    if let Some(dir) = feedback {
        if let Err(message) = prepare_feedback_dir(dir, keep_feedback) {
            write_response(out, &Response::Error { message }, b"")?;
            return Ok(After::Continue);
        }
    }
    let ends = match fifos {
        Some(fifos) => {
            let bound = Duration::from_millis(limits.wall_ms);
            match crate::fifo::open(fifos, bound, |d| worker_waiting(input, in_fd, d)) {
                Ok(ends) => Some(ends),
                Err(message) => {
                    write_response(out, &Response::Error { message }, b"")?;
                    return Ok(After::Continue);
                }
            }
        }
        None => None,
    };
    let fifo_mode = ends.is_some();
    let (fifo_stdin, placeholder, mut peer) = match ends {
        Some(e) => (Some(e.stdin), Some(e.placeholder), Some(e.stdout)),
        None => (None, None, None),
    };
    let spawned = exec::spawn(Spec {
        argv,
        env,
        limits,
        stdin: fifo_stdin,
        pipe_stdin: !fifo_mode,
        merge_output: false,
        stdout_keep: 0,
        enforce_output: true,
        stderr_keep: exec::RUN_STDERR_KEEP,
    });
    let spawned = match spawned {
        Ok(s) => s,
        Err(message) => {
            cleanup::after_process();
            write_response(out, &Response::Error { message }, b"")?;
            return Ok(After::Continue);
        }
    };
    write_response(out, &Response::Started, b"")?;

    let exec::Spawned {
        pid,
        pidfd,
        start,
        stdin_w,
        out_r,
        err_r,
        baseline,
    } = spawned;
    // With pipes, what the loop holds of the child's stdin is the placeholder:
    // nothing is written to it, `CloseInput` or the child's end closes it.
    let mut stdin_w: Option<OwnedFd> = stdin_w.or(placeholder);
    let mut to_peer = Queue::default();
    let mut out_r: Option<OwnedFd> = Some(out_r);
    let mut err = Capture::new(err_r.expect("stderr is a pipe"), exec::RUN_STDERR_KEEP);
    let deadline = start + Duration::from_millis(limits.wall_ms);
    let mut outgoing = Queue::default();
    let mut pending = Queue::default();
    let mut close_requested = false;
    let mut total_out: u64 = 0;
    let mut wall_killed = false;
    let mut output_killed = false;
    let mut killed = false;
    let mut worker_open = true;
    let mut after = After::Continue;
    let mut reaped: Option<exec::Reaped> = None;
    let mut drain_deadline = None;
    let mut chunk = vec![0u8; MAX_OUTPUT_CHUNK as usize];

    let result: Result<(), String> = 'relay: loop {
        if reaped.is_none() {
            match exec::try_reap(pid, start) {
                Ok(Some(r)) => {
                    reaped = Some(r);
                    // Whatever the child left behind dies now; then the pipes reach EOF.
                    cleanup::kill_sandbox_processes();
                    drain_deadline = Some(Instant::now() + DRAIN);
                    stdin_w = None;
                    pending.clear();
                }
                Ok(None) => {}
                Err(e) => {
                    exec::kill_tree(pid);
                    break 'relay Err(e);
                }
            }
        }
        let now = Instant::now();
        if let Some(d) = drain_deadline {
            if now >= d {
                out_r = None;
                err.fd = None;
                peer = None;
            }
            let peer_done = to_peer.len() == 0 || peer.is_none();
            if out_r.is_none() && err.fd.is_none() && outgoing.len() == 0 && peer_done {
                break 'relay Ok(());
            }
        }
        if reaped.is_none() && !killed && now >= deadline {
            exec::kill_tree(pid);
            wall_killed = true;
            killed = true;
        }
        if close_requested && pending.len() == 0 {
            stdin_w = None;
        }

        // What to wait for.
        let buffered = worker_open && !input.buffer().is_empty();
        let mut fds: Vec<libc::pollfd> = Vec::with_capacity(6);
        let mut add = |fd: RawFd, events: libc::c_short| -> usize {
            fds.push(libc::pollfd {
                fd,
                events,
                revents: 0,
            });
            fds.len() - 1
        };
        let read_worker = worker_open && !buffered && pending.len() < PENDING_CAP;
        let i_worker = read_worker.then(|| add(in_fd, libc::POLLIN));
        let i_out = match &out_r {
            Some(fd) if outgoing.len() < OUTGOING_CAP && to_peer.len() < TO_PEER_CAP => {
                Some(add(fd.as_raw_fd(), libc::POLLIN))
            }
            _ => None,
        };
        let i_peer = match &peer {
            Some(fd) if to_peer.len() > 0 => Some(add(fd.as_raw_fd(), libc::POLLOUT)),
            _ => None,
        };
        let i_err = err.fd.as_ref().map(|fd| add(fd.as_raw_fd(), libc::POLLIN));
        let i_stdin = match &stdin_w {
            Some(fd) if pending.len() > 0 => Some(add(fd.as_raw_fd(), libc::POLLOUT)),
            _ => None,
        };
        let i_stdout = (outgoing.len() > 0).then(|| add(out_fd, libc::POLLOUT));
        // Its readiness only ends the wait; the reap is tried at the top.
        if let (Some(fd), None) = (&pidfd, &reaped) {
            add(fd.as_raw_fd(), libc::POLLIN);
        }
        let mut timeout = if buffered {
            Duration::ZERO
        } else if let Some(d) = drain_deadline {
            d.saturating_duration_since(now)
                .min(Duration::from_millis(100))
        } else if killed {
            Duration::from_millis(20)
        } else {
            deadline.saturating_duration_since(now)
        };
        if pidfd.is_none() && reaped.is_none() {
            timeout = timeout.min(Duration::from_millis(5));
        }
        let ms = timeout.as_millis().min(i32::MAX as u128) as i32;
        let n = unsafe { libc::poll(fds.as_mut_ptr(), fds.len() as libc::nfds_t, ms) };
        if n < 0 {
            let e = io::Error::last_os_error();
            if e.kind() == io::ErrorKind::Interrupted {
                continue;
            }
            exec::kill_tree(pid);
            break 'relay Err(format!("poll: {e}"));
        }
        let ready = |i: Option<usize>| i.is_some_and(|i| fds[i].revents != 0);

        // A request from the worker.
        if buffered || ready(i_worker) {
            match read_request(input)? {
                Incoming::Eof => {
                    // The worker is gone: nothing will read the report.
                    worker_open = false;
                    after = After::Eof;
                    if reaped.is_none() {
                        exec::kill_tree(pid);
                        killed = true;
                    }
                }
                Incoming::Invalid(message) => {
                    frame(
                        outgoing_vec(&mut outgoing),
                        &Response::Error { message },
                        b"",
                    );
                }
                Incoming::Request(Request::Input { .. }, payload) => {
                    if stdin_w.is_some() && !close_requested && !fifo_mode {
                        pending.push(&payload);
                    }
                }
                Incoming::Request(Request::CloseInput, _) => close_requested = true,
                Incoming::Request(Request::Kill, _) => {
                    if reaped.is_none() && !killed {
                        exec::kill_tree(pid);
                        wall_killed = true;
                        killed = true;
                    }
                }
                Incoming::Request(Request::Exit, _) => {
                    after = After::Exit;
                    if reaped.is_none() {
                        exec::kill_tree(pid);
                        killed = true;
                    }
                }
                Incoming::Request(other, _) => {
                    let message = format!(
                        "{other:?} is not allowed while an interactive process runs \
                         (only input, close_input and kill)"
                    );
                    frame(
                        outgoing_vec(&mut outgoing),
                        &Response::Error { message },
                        b"",
                    );
                }
            }
        }

        // The child's stdout, passed on up to the output limit.
        if ready(i_out) {
            let fd = out_r.as_ref().expect("polled").as_raw_fd();
            let n = unsafe { libc::read(fd, chunk.as_mut_ptr().cast(), chunk.len()) };
            if n > 0 {
                let n = n as usize;
                let pass = forwardable(total_out, n, limits.output_bytes);
                total_out += n as u64;
                if pass > 0 && fifo_mode {
                    if peer.is_some() {
                        to_peer.push(&chunk[..pass]);
                    }
                } else if pass > 0 {
                    let resp = Response::Output { len: pass as u64 };
                    frame(outgoing_vec(&mut outgoing), &resp, &chunk[..pass]);
                }
                if total_out > limits.output_bytes && !output_killed {
                    output_killed = true;
                    if reaped.is_none() && !killed {
                        exec::kill_tree(pid);
                        killed = true;
                    }
                }
            } else if n == 0 || !retryable(&io::Error::last_os_error()) {
                out_r = None;
            }
        }
        if ready(i_err) {
            err.read_once();
        }

        // The child's stdin.
        if ready(i_stdin) {
            let fd = stdin_w.as_ref().expect("polled").as_raw_fd();
            match raw_write(fd, pending.front(usize::MAX)) {
                Ok(n) => pending.consume(n),
                Err(e) if retryable(&e) => {}
                Err(_) => {
                    // EPIPE: the child closed its stdin; the rest is dropped.
                    stdin_w = None;
                    pending.clear();
                }
            }
        }

        // The pipe to the peer.
        if ready(i_peer) {
            let fd = peer.as_ref().expect("polled").as_raw_fd();
            match raw_write(fd, to_peer.front(usize::MAX)) {
                Ok(n) => to_peer.consume(n),
                Err(e) if retryable(&e) => {}
                Err(_) => {
                    // EPIPE: the peer has ended. What the child writes from
                    // now on is read and dropped, as the worker drops it when
                    // it relays: a validator killed by SIGPIPE for writing to
                    // a submission that gave up would be a judge error.
                    peer = None;
                    to_peer.clear();
                }
            }
        }

        // The runner's stdout.
        if ready(i_stdout) {
            match raw_write(out_fd, outgoing.front(OUT_WRITE_CHUNK)) {
                Ok(n) => outgoing.consume(n),
                Err(e) if retryable(&e) => {}
                Err(e) => {
                    exec::kill_tree(pid);
                    cleanup::after_process();
                    return Err(e);
                }
            }
        }
    };

    // The peer reads EOF once this and the child's copies are closed.
    drop(peer);
    let measured = match (result, reaped) {
        (Ok(()), Some(reaped)) => exec::measure(baseline, &reaped, wall_killed, output_killed),
        (Err(e), _) => Err(e),
        (Ok(()), None) => Err("the interactive process was not reaped".into()),
    };
    let files = feedback.map(feedback_response);
    cleanup::after_process();
    // Anything still queued (an error) goes first, blocking: the loop is over.
    out.write_all(outgoing.front(usize::MAX))?;
    if after == After::Eof {
        return Ok(After::Eof);
    }
    match measured {
        Ok(measured) => {
            match files {
                Some(Ok((feedback, nextpass))) => write_response(out, &feedback, &nextpass)?,
                Some(Err(message)) => {
                    write_response(out, &Response::Error { message }, b"")?;
                    out.flush()?;
                    return Ok(after);
                }
                None => {}
            }
            let o = classify_run(limits, &measured, &err.buf);
            let report = Report {
                termination: o.termination,
                exit_code: o.exit_code,
                signal: o.signal,
                cpu_ms: measured.cpu_ms,
                wall_ms: measured.wall_ms,
                memory_kb: measured.memory_kb,
                stdout_len: 0,
                stderr: String::from_utf8_lossy(&err.buf).into_owned(),
            };
            write_response(out, &Response::Report(report), b"")?;
        }
        Err(message) => write_response(out, &Response::Error { message }, b"")?,
    }
    out.flush()?;
    Ok(after)
}

fn outgoing_vec(q: &mut Queue) -> &mut Vec<u8> {
    if q.pos > 0 && q.pos == q.data.len() {
        q.clear();
    }
    &mut q.data
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufRead;

    #[test]
    fn feedback_dirs_stay_below_tmp() {
        assert!(valid_feedback_dir("/tmp/feedback/").is_ok());
        assert!(valid_feedback_dir("/tmp/a/b").is_ok());
        assert!(valid_feedback_dir(FEEDBACK_DIR).is_ok());
        assert!(valid_feedback_dir("/work/feedback/x").is_ok());
        for bad in [
            "/tmp",
            "/tmp/",
            "tmp/x",
            "/tmp/../etc",
            "/work/x",
            "/work/build",
            "/work/feedback/../build",
            "/work/feedbackx",
            "",
        ] {
            assert!(valid_feedback_dir(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn feedback_files_are_read_cut_and_sorted_without_links() {
        let dir = tempfile_dir();
        std::fs::write(dir.join("teammessage.txt"), "too high\n").unwrap();
        std::fs::write(
            dir.join("judgemessage.txt"),
            vec![b'x'; FEEDBACK_FILE_KEEP + 10],
        )
        .unwrap();
        std::os::unix::fs::symlink("/etc/passwd", dir.join("link.txt")).unwrap();
        std::fs::create_dir(dir.join("sub")).unwrap();
        let files = read_feedback(&dir);
        let names: Vec<&str> = files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["judgemessage.txt", "teammessage.txt"]);
        assert_eq!(files[0].1.len(), FEEDBACK_FILE_KEEP);
        assert_eq!(files[1].1, "too high\n");
        assert!(read_feedback(&dir.join("missing")).is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn nextpass_travels_whole_and_is_removed_before_the_next_pass() {
        let dir = tempfile_dir().join("fb");
        std::fs::create_dir_all(&dir).unwrap();
        let big = vec![b'7'; FEEDBACK_FILE_KEEP * 3];
        std::fs::write(dir.join(NEXTPASS_FILE), &big).unwrap();
        std::fs::write(dir.join("judgemessage.txt"), "pass 1\n").unwrap();
        let (response, payload) = feedback_response(&dir).unwrap();
        assert_eq!(
            response,
            Response::Feedback {
                files: vec![("judgemessage.txt".into(), "pass 1\n".into())],
                nextpass_len: Some(big.len() as u64)
            }
        );
        assert_eq!(payload, big);
        // The next pass: judgemessage.txt stays, nextpass.in goes. (Not as
        // root here, so the chown of a fresh directory is not tried.)
        prepare_feedback_dir(&dir, true).unwrap();
        assert!(!dir.join(NEXTPASS_FILE).exists());
        assert!(dir.join("judgemessage.txt").exists());
        let (response, payload) = feedback_response(&dir).unwrap();
        assert!(matches!(
            response,
            Response::Feedback {
                nextpass_len: None,
                ..
            }
        ));
        assert!(payload.is_empty());
        // A link is refused, not followed.
        std::os::unix::fs::symlink("/etc/passwd", dir.join(NEXTPASS_FILE)).unwrap();
        assert!(read_nextpass(&dir).is_err());
        std::fs::remove_dir_all(dir.parent().unwrap()).unwrap();
    }

    fn tempfile_dir() -> std::path::PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "runner-feedback-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    #[test]
    fn output_is_passed_on_up_to_the_limit() {
        assert_eq!(forwardable(0, 10, 100), 10);
        assert_eq!(forwardable(95, 10, 100), 5);
        assert_eq!(forwardable(100, 10, 100), 0);
        assert_eq!(forwardable(150, 10, 100), 0);
    }

    #[test]
    fn output_frames_parse_back() {
        let mut out = Vec::new();
        frame(&mut out, &Response::Output { len: 3 }, b"a\nb");
        frame(&mut out, &Response::Started, b"");
        let mut r = io::Cursor::new(out);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        assert_eq!(
            serde_json::from_str::<Response>(&line).unwrap(),
            Response::Output { len: 3 }
        );
        let mut payload = [0u8; 3];
        r.read_exact(&mut payload).unwrap();
        assert_eq!(&payload, b"a\nb");
        line.clear();
        r.read_line(&mut line).unwrap();
        assert_eq!(
            serde_json::from_str::<Response>(&line).unwrap(),
            Response::Started
        );
    }

    #[test]
    fn queues_write_from_the_front() {
        let mut q = Queue::default();
        q.push(b"hello");
        assert_eq!(q.front(2), b"he");
        q.consume(2);
        q.push(b"!");
        assert_eq!(q.front(usize::MAX), b"llo!");
        q.consume(4);
        assert_eq!(q.len(), 0);
    }
}
