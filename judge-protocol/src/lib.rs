//! The protocol between the worker and `judge-runner` inside a sandbox.
//!
//! The worker starts the runner with one `docker exec` and talks to it over
//! the exec's stdin and stdout. Each message is one line of JSON; a message
//! that announces a payload (`Upload.len`, `Report.stdout_len`) is followed by
//! exactly that many raw bytes (likewise `Input.len`, `Output.len` and
//! `Feedback.nextpass_len`; [`Response::payload_len`] says how many follow a
//! response). The runner writes nothing else to stdout (its diagnostics go to
//! stderr), so the submission can never forge a message: its own stdout is a
//! pipe the runner reads, never the runner's stdout.

use serde::{Deserialize, Serialize};

/// Where the runner is installed in every sandbox image.
pub const RUNNER_PATH: &str = "/usr/local/bin/judge-runner";
/// A size-limited tmpfs; the only place the runner writes.
pub const WORK_DIR: &str = "/work";
/// Sources and build output; the working directory of compile and run.
/// Writable by the sandbox user while compiling, read-only to it afterwards.
pub const BUILD_DIR: &str = "/work/build";
/// Test inputs; readable by the runner only (mode 0700, owner root).
pub const TESTS_DIR: &str = "/work/tests";
/// A validator's test data (`data/input`, `data/answer`): root's, readable by
/// the sandbox user, never writable by it. Apart from the build directory so
/// that writing them leaves the validator's locked build alone (taking the
/// build back and locking it again walked the whole tree at every test).
pub const DATA_DIR: &str = "/work/data";
/// A cache of one problem version's test inputs, kept across the reset of a
/// reused container (see [`Request::Inputs`]): re-uploading a package's
/// inputs (up to 64 MiB) with every submission cost more CPU than judging a
/// fast one. A tmpfs mount of its own, outside [`WORK_DIR`] (which the reset
/// empties whole); root's and mode 0700 like [`TESTS_DIR`], so the sandbox
/// user can neither read nor write it: the runner opens an input as root
/// and hands the descriptor to the program as stdin.
pub const INPUTS_DIR: &str = "/inputs";
/// Longest key of [`Request::Inputs`] and `Upload.inputs_key`.
pub const MAX_INPUTS_KEY: usize = 512;
/// The feedback directory of an output validator (`feedback_dir` of
/// `Validate` and `RunInteractive`). Outside /tmp, which is wiped after
/// every process, so that a multi-pass test's feedback files persist from
/// one pass to the next (`keep_feedback`).
pub const FEEDBACK_DIR: &str = "/work/feedback/";
/// The file a multi-pass validator writes to ask for another pass: the next
/// pass's input. Returned whole, never cut (see [`Response::Feedback`]).
pub const NEXTPASS_FILE: &str = "nextpass.in";
/// Largest `nextpass.in` the runner returns; a larger one is an error.
pub const MAX_NEXTPASS_BYTES: u64 = 64 << 20;
/// Where every sandbox container sees the worker's pipe directory (a bind
/// mount of a host directory, root's, mode 0700). An interactive run's two
/// named pipes lie in a fresh subdirectory of it; only the runner (root, the
/// owner) can open them, and hands the ends to its child as stdin and
/// stdout: the sandbox user never opens anything here, it only inherits
/// file descriptors (see [`Fifos`]).
pub const PIPES_DIR: &str = "/pipes";
/// The unprivileged user compilers and submissions run as (`nobody`).
pub const SANDBOX_UID: u32 = 65534;
pub const SANDBOX_GID: u32 = 65534;

/// Resource limits of one compile or run, enforced by the runner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Limits {
    /// CPU time (user + system) of the process tree.
    pub cpu_ms: u64,
    /// Wall-clock time after which the process group is killed.
    pub wall_ms: u64,
    /// Peak resident memory above which the run is MLE; the container's
    /// cgroup limit is the hard stop behind it.
    pub memory_kb: u64,
    /// Bytes of stdout kept; one more byte ends the run as output limit exceeded.
    pub output_bytes: u64,
    /// Largest file the process may write (RLIMIT_FSIZE).
    pub file_size_bytes: u64,
    /// Open files (RLIMIT_NOFILE).
    pub open_files: u64,
}

/// A request from the worker.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Request {
    /// A tar of `len` bytes follows. `build/...` entries land in [`BUILD_DIR`]
    /// owned by the sandbox user, `tests/...` entries in [`TESTS_DIR`] readable
    /// by root only, `data/...` entries in [`DATA_DIR`] root's and readable by all.
    ///
    /// `inputs/...` entries go to the input cache ([`INPUTS_DIR`], root's
    /// only) and are allowed only with `inputs_key`: such an upload first
    /// empties the cache, and the cache holds `inputs_key`'s set once the
    /// whole upload has succeeded. A failed upload leaves the cache empty and
    /// holding nothing.
    Upload {
        len: u64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        inputs_key: Option<String>,
    },
    /// Asks whether the input cache holds exactly `key`'s complete set of
    /// inputs (`key` names a problem version's test data). Answered by
    /// `Inputs { held: true }` when it does; otherwise the runner empties
    /// the cache (its memory counts against the container) and answers
    /// `held: false`. `key: None` only empties it. Sent before the first
    /// upload of a judging. A `Run`'s `input` is read from [`TESTS_DIR`]
    /// when there, else from the cache while it holds a set.
    Inputs {
        #[serde(default)]
        key: Option<String>,
    },
    /// Runs the compiler in [`BUILD_DIR`] as the sandbox user, stdin empty.
    /// Afterwards the build directory becomes read-only to the sandbox user.
    Compile {
        argv: Vec<String>,
        env: Vec<(String, String)>,
        limits: Limits,
    },
    /// Runs one test: stdin is `TESTS_DIR/<input>` (or, when not there, the
    /// input cache's `<input>`; see `Inputs`), stdout is captured and returned.
    Run {
        argv: Vec<String>,
        env: Vec<(String, String)>,
        input: String,
        limits: Limits,
    },
    /// Starts an interactive process: its stdin and stdout are pipes to the
    /// runner, its stderr is captured as for `Run`. Answered by `Started`;
    /// then each chunk the process writes to stdout comes as `Output`, and the
    /// end as the usual `Report` (with `stdout_len` 0). While it runs, the
    /// worker may send `Input`, `CloseInput` and `Kill`.
    ///
    /// With `feedback_dir` (an absolute path below `/tmp`), the runner creates
    /// that directory for the sandbox user before starting the process and,
    /// once it has ended, sends a `Feedback` with the files the process left
    /// there, right before the `Report`.
    ///
    /// With `keep_feedback`, what an earlier process left in `feedback_dir`
    /// stays (the next pass of a multi-pass test), all but `nextpass.in`,
    /// which the format says is removed before the next pass.
    ///
    /// With `fifos`, the process talks to its peer through two named pipes
    /// below [`PIPES_DIR`] instead of through the worker: no `Output` comes
    /// and `Input` is ignored; `CloseInput`, sent once the peer has ended,
    /// lets the process read EOF, as when relayed (see [`Fifos`]).
    RunInteractive {
        argv: Vec<String>,
        env: Vec<(String, String)>,
        limits: Limits,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        feedback_dir: Option<String>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        keep_feedback: bool,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        fifos: Option<Fifos>,
    },
    /// Runs an output validator: like `Run` (stdin is `TESTS_DIR/<input>`,
    /// the team output), with a feedback directory as for `RunInteractive`
    /// (`feedback_dir`, `keep_feedback`). Answered by a `Feedback`, then the
    /// `Report` with the validator's stdout (which means nothing to the
    /// judge and is not kept: `stdout_len` 0).
    Validate {
        argv: Vec<String>,
        env: Vec<(String, String)>,
        input: String,
        limits: Limits,
        feedback_dir: String,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        keep_feedback: bool,
    },
    /// `len` raw bytes follow, for the interactive process's stdin. Written
    /// without blocking the runner. Ignored (no response) when no interactive
    /// process is running: it may have ended while this was on its way.
    Input { len: u64 },
    /// Closes the interactive process's stdin once what was sent is written.
    /// No response; ignored when no interactive process is running.
    CloseInput,
    /// Kills the interactive process's group: the worker's wall clock for the
    /// interaction ran out. The `Report` says `WallLimit`. No other response;
    /// ignored when no interactive process is running.
    Kill,
    /// Makes the sandbox as it was before the submission, so that the
    /// container can serve another one: every process of the sandbox user
    /// killed (and none left), every writable mount emptied of what the
    /// submission or the judging put there, System V IPC objects and POSIX
    /// message queues and shared memory removed, the tmpfs memory given back.
    /// Answered by `Reset` when all of it is verified, or by `Error` (the
    /// worker then destroys the container). A runner that predates this
    /// request answers `Error` too, so the worker never reuses its container.
    Reset,
    /// Ends the runner.
    Exit,
}

/// The named pipes of one side of an interactive run (paths below
/// [`PIPES_DIR`], made by the worker for that run alone). The runner opens
/// them and gives them to the process: the kernel carries the bytes between
/// the two containers (the process's stdout passes through its own runner,
/// which counts it for the output limit). Neither process starts before all
/// four ends are open. As when relayed, a process reads EOF only once the
/// worker has sent `CloseInput` (the runner holds a writer of its stdin
/// until then, so that the worker sees the reports in the order the two
/// processes ended), and what it writes once the peer has ended is dropped
/// by its runner.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fifos {
    /// The pipe read as the process's stdin (the peer's output).
    pub stdin: String,
    /// The pipe the process's stdout goes to (the peer's input).
    pub stdout: String,
    /// The side that opens its write end first and waits for the peer's
    /// writer on its read end before it starts (the submission); the other
    /// side opens its read end first. One side of a run has it, the other
    /// not: that order connects them without a deadlock, and no side can end
    /// (closing its reader) before the other has opened its writer.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub after_peer: bool,
}

/// Largest `Input` payload the runner accepts.
pub const MAX_INPUT_CHUNK: u64 = 1 << 20;
/// Largest `Output` payload the runner sends.
pub const MAX_OUTPUT_CHUNK: u64 = 64 * 1024;
/// Bytes kept of each feedback file.
pub const FEEDBACK_FILE_KEEP: usize = 16 * 1024;

/// How a process ended, as the runner saw it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Termination {
    /// Exited by itself; see `exit_code`.
    Exited,
    /// Killed by a signal it did not get from the runner; see `signal`.
    Signaled,
    /// Used more CPU time than allowed (including SIGXCPU).
    CpuLimit,
    /// Ran longer than the wall-clock limit and was killed.
    WallLimit,
    /// Peak memory above the limit, or killed by the cgroup's OOM killer.
    MemoryLimit,
    /// Wrote more than `output_bytes` to stdout.
    OutputLimit,
}

/// What the runner measured for one compile or run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub termination: Termination,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exit_code: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<i32>,
    pub cpu_ms: u64,
    pub wall_ms: u64,
    pub memory_kb: u64,
    /// Bytes of stdout that follow this line (always 0 for a compile).
    pub stdout_len: u64,
    /// The start of stderr (for a compile: the compiler's stdout and stderr), lossily UTF-8.
    pub stderr: String,
}

impl Report {
    /// True when the process exited with code 0 within every limit.
    pub fn success(&self) -> bool {
        self.termination == Termination::Exited && self.exit_code == Some(0)
    }
}

/// A response from the runner.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Response {
    /// Sent once when the runner starts.
    Ready {
        version: String,
    },
    Uploaded {
        files: usize,
    },
    /// The answer to `Request::Inputs`: whether the cache holds the key's set
    /// (when false, the cache is empty now).
    Inputs {
        held: bool,
    },
    /// The outcome of a `Compile` or `Run`; for `Run`, `stdout_len` bytes follow.
    Report(Report),
    /// The interactive process of a `RunInteractive` has started.
    Started,
    /// `len` bytes the interactive process wrote to stdout follow.
    Output {
        len: u64,
    },
    /// The files (name, start of the contents, lossily UTF-8) found in the
    /// `feedback_dir` of a `RunInteractive` or `Validate`; sent right before
    /// its `Report`. `nextpass.in` is not among them: when the process wrote
    /// one, its whole contents follow as `nextpass_len` raw bytes.
    Feedback {
        files: Vec<(String, String)>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        nextpass_len: Option<u64>,
    },
    /// The sandbox is clean again (see `Request::Reset`). `generation` counts
    /// the resets this runner has done: the number of earlier submissions
    /// the container served.
    Reset {
        generation: u64,
    },
    /// The runner could not do what was asked: a judge fault, never a verdict.
    Error {
        message: String,
    },
}

impl Response {
    /// Bytes of payload that follow the response line.
    pub fn payload_len(&self) -> u64 {
        match self {
            Response::Report(report) => report.stdout_len,
            Response::Output { len } => *len,
            Response::Feedback { nextpass_len, .. } => nextpass_len.unwrap_or(0),
            _ => 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<T>(value: &T, json: &str)
    where
        T: Serialize + for<'de> Deserialize<'de> + PartialEq + std::fmt::Debug,
    {
        assert_eq!(serde_json::to_string(value).unwrap(), json);
        assert_eq!(&serde_json::from_str::<T>(json).unwrap(), value);
    }

    #[test]
    fn an_upload_names_its_inputs_key_only_when_it_has_one() {
        round_trip(
            &Request::Upload {
                len: 5,
                inputs_key: None,
            },
            r#"{"op":"upload","len":5}"#,
        );
        round_trip(
            &Request::Upload {
                len: 7,
                inputs_key: Some("p/v".into()),
            },
            r#"{"op":"upload","len":7,"inputs_key":"p/v"}"#,
        );
    }

    #[test]
    fn inputs_asks_with_a_key_or_none_and_is_answered_held_or_not() {
        round_trip(
            &Request::Inputs {
                key: Some("p/v".into()),
            },
            r#"{"op":"inputs","key":"p/v"}"#,
        );
        round_trip(
            &Request::Inputs { key: None },
            r#"{"op":"inputs","key":null}"#,
        );
        assert_eq!(
            serde_json::from_str::<Request>(r#"{"op":"inputs"}"#).unwrap(),
            Request::Inputs { key: None }
        );
        round_trip(
            &Response::Inputs { held: true },
            r#"{"type":"inputs","held":true}"#,
        );
        assert_eq!(Response::Inputs { held: false }.payload_len(), 0);
    }

    #[test]
    fn run_interactive_names_its_pipes_only_when_it_has_them() {
        let run = |fifos| Request::RunInteractive {
            argv: vec!["./a".into()],
            env: vec![],
            limits: Limits {
                cpu_ms: 1,
                wall_ms: 2,
                memory_kb: 3,
                output_bytes: 4,
                file_size_bytes: 5,
                open_files: 6,
            },
            feedback_dir: None,
            keep_feedback: false,
            fifos,
        };
        let limits = r#""limits":{"cpu_ms":1,"wall_ms":2,"memory_kb":3,"output_bytes":4,"file_size_bytes":5,"open_files":6}"#;
        round_trip(
            &run(None),
            &format!(r#"{{"op":"run_interactive","argv":["./a"],"env":[],{limits}}}"#),
        );
        round_trip(
            &run(Some(Fifos {
                stdin: "/pipes/x/to-submission".into(),
                stdout: "/pipes/x/to-validator".into(),
                after_peer: true,
            })),
            &format!(
                r#"{{"op":"run_interactive","argv":["./a"],"env":[],{limits},"fifos":{{"stdin":"/pipes/x/to-submission","stdout":"/pipes/x/to-validator","after_peer":true}}}}"#
            ),
        );
        let first: Fifos =
            serde_json::from_str(r#"{"stdin":"/pipes/x/a","stdout":"/pipes/x/b"}"#).unwrap();
        assert!(!first.after_peer);
    }
}
