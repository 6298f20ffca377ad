//! The request loop of `judge-runner serve`.

use std::io::{self, BufReader, Write};
use std::os::unix::fs::MetadataExt;
use std::path::Path;

use judge_protocol::{Limits, Report, Request, Response, BUILD_DIR, SANDBOX_UID, TESTS_DIR};

use crate::classify::{classify, classify_run};
use crate::exec::{self, Spec};
use crate::input_cache::InputCache;
use crate::protocol_io::{read_request, write_response, Incoming};
use crate::reset::Resetter;
use crate::{cleanup, fstree, interactive, upload};

fn report(
    limits: &Limits,
    ex: &exec::Executed,
    stdout_len: u64,
    stderr: &[u8],
    run: bool,
) -> Report {
    // A compile's output is the compiler's (it may quote the source), so only
    // a run's stderr is read for a runtime's out-of-memory message.
    let o = if run {
        classify_run(limits, &ex.measured, stderr)
    } else {
        classify(limits, &ex.measured)
    };
    Report {
        termination: o.termination,
        exit_code: o.exit_code,
        signal: o.signal,
        cpu_ms: ex.measured.cpu_ms,
        wall_ms: ex.measured.wall_ms,
        memory_kb: ex.measured.memory_kb,
        stdout_len,
        stderr: String::from_utf8_lossy(stderr).into_owned(),
    }
}

/// After a compile (or before a run if no compile happened): the build tree
/// becomes root's, read-only to the sandbox user.
fn lock_build_if_needed() -> Result<(), String> {
    let md = std::fs::symlink_metadata(BUILD_DIR).map_err(|e| format!("{BUILD_DIR}: {e}"))?;
    if md.uid() == 0 {
        // Already locked at the top; lock_tree is still cheap, but a locked
        // tree cannot have changed (nobody but root can write it).
        return Ok(());
    }
    fstree::lock_tree(Path::new(BUILD_DIR)).map_err(|e| format!("lock {BUILD_DIR}: {e}"))
}

fn compile(argv: &[String], env: &[(String, String)], limits: &Limits) -> Result<Report, String> {
    if !Path::new(BUILD_DIR).is_dir() {
        return Err(format!(
            "{BUILD_DIR} does not exist: upload the sources first"
        ));
    }
    let ex = exec::execute(Spec {
        argv,
        env,
        limits,
        stdin: None,
        pipe_stdin: false,
        merge_output: true,
        stdout_keep: exec::COMPILE_OUTPUT_KEEP,
        enforce_output: false,
        stderr_keep: 0,
    });
    cleanup::after_execute(&ex);
    let ex = ex?;
    // The build is locked whatever the compiler's outcome.
    fstree::lock_tree(Path::new(BUILD_DIR)).map_err(|e| format!("lock {BUILD_DIR}: {e}"))?;
    Ok(report(limits, &ex, 0, &ex.stdout, false))
}

fn run(
    argv: &[String],
    env: &[(String, String)],
    input: &str,
    limits: &Limits,
    cache: &InputCache,
) -> Result<(Report, Vec<u8>), String> {
    let stdin = cache.open(Path::new(TESTS_DIR), input)?;
    lock_build_if_needed()?;
    let keep =
        usize::try_from(limits.output_bytes).map_err(|_| "output_bytes too large".to_string())?;
    let ex = exec::execute(Spec {
        argv,
        env,
        limits,
        stdin: Some(stdin),
        pipe_stdin: false,
        merge_output: false,
        stdout_keep: keep,
        enforce_output: true,
        stderr_keep: exec::RUN_STDERR_KEEP,
    });
    cleanup::after_execute(&ex);
    let mut ex = ex?;
    let stdout = std::mem::take(&mut ex.stdout);
    let rep = report(limits, &ex, stdout.len() as u64, &ex.stderr, true);
    Ok((rep, stdout))
}

/// `Validate`: runs an output validator on the team output `input` with its
/// feedback directory; returns the `Feedback` (and its payload) and the
/// report. The validator's stdout is read and dropped: only its exit code
/// and feedback files mean something.
fn validate(
    argv: &[String],
    env: &[(String, String)],
    input: &str,
    limits: &Limits,
    feedback_dir: &str,
    keep_feedback: bool,
) -> Result<((Response, Vec<u8>), Report), String> {
    let dir = interactive::valid_feedback_dir(feedback_dir)?;
    let stdin = exec::open_test_input(Path::new(TESTS_DIR), input)?;
    lock_build_if_needed()?;
    interactive::prepare_feedback_dir(dir, keep_feedback)?;
    let ex = exec::execute(Spec {
        argv,
        env,
        limits,
        stdin: Some(stdin),
        pipe_stdin: false,
        merge_output: false,
        stdout_keep: 0,
        enforce_output: false,
        stderr_keep: exec::RUN_STDERR_KEEP,
    });
    // Read before the clean-up, though it spares the feedback directory.
    let feedback = interactive::feedback_response(dir);
    cleanup::after_execute(&ex);
    let ex = ex?;
    let rep = report(limits, &ex, 0, &ex.stderr, true);
    Ok((feedback?, rep))
}

/// Serves requests on stdin/stdout until `Exit` or EOF.
pub fn serve() -> io::Result<()> {
    // Orphans of the submission become our children, so we can reap them.
    unsafe { libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1) };
    if unsafe { libc::geteuid() } != 0 {
        eprintln!("judge-runner: warning: not running as root; uid drop will fail");
    }
    let _ = SANDBOX_UID;
    // Holds nothing yet, whatever the directory contains.
    let mut cache = InputCache::system();
    // The clean state that `Reset` returns to is the one at start.
    let mut resetter = Resetter::new(&cache);
    let stdin = io::stdin();
    let mut input = BufReader::with_capacity(1 << 16, stdin.lock());
    let stdout = io::stdout();
    let mut out = stdout.lock();
    write_response(
        &mut out,
        &Response::Ready {
            version: env!("CARGO_PKG_VERSION").to_string(),
        },
        b"",
    )?;
    loop {
        let (req, payload) = match read_request(&mut input)? {
            Incoming::Eof => return Ok(()),
            Incoming::Invalid(message) => {
                write_response(&mut out, &Response::Error { message }, b"")?;
                continue;
            }
            Incoming::Request(req, payload) => (req, payload),
        };
        let (resp, body) = match req {
            Request::Exit => return out.flush(),
            Request::Reset => match resetter.reset(&cache) {
                Ok(generation) => (Response::Reset { generation }, Vec::new()),
                Err(message) => (Response::Error { message }, Vec::new()),
            },
            Request::Upload { inputs_key, .. } => {
                match cache.upload(inputs_key, |inputs| upload::upload(&payload, inputs)) {
                    Ok(files) => (Response::Uploaded { files }, Vec::new()),
                    Err(message) => (Response::Error { message }, Vec::new()),
                }
            }
            Request::Inputs { key } => match cache.ask(key.as_deref()) {
                Ok(held) => (Response::Inputs { held }, Vec::new()),
                Err(message) => (Response::Error { message }, Vec::new()),
            },
            Request::Compile { argv, env, limits } => match compile(&argv, &env, &limits) {
                Ok(r) => (Response::Report(r), Vec::new()),
                Err(message) => (Response::Error { message }, Vec::new()),
            },
            Request::Run {
                argv,
                env,
                input: name,
                limits,
            } => match run(&argv, &env, &name, &limits, &cache) {
                Ok((r, stdout)) => (Response::Report(r), stdout),
                Err(message) => (Response::Error { message }, Vec::new()),
            },
            Request::Validate {
                argv,
                env,
                input: name,
                limits,
                feedback_dir,
                keep_feedback,
            } => match validate(&argv, &env, &name, &limits, &feedback_dir, keep_feedback) {
                Ok(((feedback, nextpass), r)) => {
                    write_response(&mut out, &feedback, &nextpass)?;
                    (Response::Report(r), Vec::new())
                }
                Err(message) => (Response::Error { message }, Vec::new()),
            },
            Request::RunInteractive {
                argv,
                env,
                limits,
                feedback_dir,
                keep_feedback,
                fifos,
            } => {
                if let Err(message) = lock_build_if_needed() {
                    eprintln!("judge-runner: error: {message}");
                    write_response(&mut out, &Response::Error { message }, b"")?;
                    continue;
                }
                match interactive::run(
                    &mut input,
                    libc::STDIN_FILENO,
                    &mut out,
                    libc::STDOUT_FILENO,
                    &argv,
                    &env,
                    &limits,
                    feedback_dir.as_deref(),
                    keep_feedback,
                    fifos.as_ref(),
                )? {
                    interactive::After::Continue => continue,
                    interactive::After::Eof => return Ok(()),
                    interactive::After::Exit => return out.flush(),
                }
            }
            // The interactive process they were meant for has ended (the
            // worker sent them before it saw the report): nothing to do.
            Request::Input { .. } | Request::CloseInput | Request::Kill => continue,
        };
        if let Response::Error { message } = &resp {
            eprintln!("judge-runner: error: {message}");
        }
        write_response(&mut out, &resp, &body)?;
    }
}
