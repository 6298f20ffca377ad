//! Custom output validators (Kattis / ICPC `validation: custom`).
//!
//! A validator is compiled once per problem version, in a sandbox of its own
//! (never the submission's), and the result is cached in memory and on disk
//! (`<cache>/<version>/.validator-<problem>/`). The cached result is the
//! validator's whole build directory after compiling, as a tar of `build/...`
//! entries, plus the command that runs it and the image it runs in.
//!
//! Judging a submission with a custom validator uses a second sandbox,
//! created from the validator's image at the first output to check, holding
//! the validator and nothing of the submission's but its output. For each
//! test the worker uploads the input and answer under `build/judge-data/`
//! (the validator runs as the sandbox user and must read them; the build
//! directory is read-only to it while it runs) and the team output under
//! `tests/`, where the runner opens it as root and pipes it to stdin. The
//! validator runs under a small `sh` wrapper, because the runner returns a
//! process's stdout but no files:
//!
//! ```text
//! exit <code>\n
//! teammessage.txt <len>\n<len bytes>      (if the validator wrote it)
//! judgemessage.txt <len>\n<len bytes>     (if the validator wrote it)
//! ```
//!
//! The validator's own stdout goes to /dev/null, so only the wrapper writes
//! the framing. Exit 42 is AC, 43 is WA, anything else (0 included, a crash, a
//! limit) is a judge error, never WA.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex, OnceLock};
use std::time::Duration;

use judge_core::language::{self, Language};
use judge_core::problem::{Problem, TestCase};
use judge_core::protocol::{Limits, Report, Termination, BUILD_DIR};
use judge_core::source::Program;
use judge_core::Verdict;
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::sandbox::{Sandbox, SandboxError, SandboxSpec};

const MIB: u64 = 1 << 20;
/// Memory of the validator's processes (and, with the headroom, its container).
pub const VALIDATOR_MEMORY_MB: u64 = 512;
/// Limits of one validator run.
pub const VALIDATOR_CPU_MS: u64 = 10_000;
pub const VALIDATOR_WALL_MS: u64 = 20_000;
/// Limits of compiling a validator.
const COMPILE_CPU_MS: u64 = 60_000;
const COMPILE_WALL_MS: u64 = 120_000;
/// Largest compiled validator (its build directory as a tar).
const MAX_ARTIFACT_BYTES: u64 = 128 * MIB;
/// Feedback kept of each feedback file.
const FEEDBACK_KEEP: usize = 16 * 1024;
/// Where the feedback directory is inside the validator's sandbox. /tmp is
/// wiped by the runner after every process, so each test starts empty.
const FEEDBACK_DIR: &str = "/tmp/feedback/";
pub(crate) const DATA_DIR: &str = "judge-data";
const TEAM_OUTPUT: &str = "team-output";

/// The wrapper: runs `"$@"` (validator input answer feedback_dir flags...)
/// with the team output on stdin and prints the framing described above.
const WRAPPER: &str = r#"mkdir -p /tmp/feedback || exit 120
"$@" >/dev/null
code=$?
printf 'exit %d\n' "$code"
for f in teammessage.txt judgemessage.txt; do
  if [ -f "/tmp/feedback/$f" ]; then
    head -c 16384 "/tmp/feedback/$f" > /tmp/feedback-msg
    printf '%s %d\n' "$f" "$(wc -c < /tmp/feedback-msg)"
    cat /tmp/feedback-msg
  fi
done
exit 0
"#;

/// A validator ready to run: its build directory and how to start it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompiledValidator {
    /// Full image reference the validator was compiled in and runs in.
    pub image: String,
    /// Argument vector run in the build directory (the wrapper appends the arguments).
    pub run: Vec<String>,
    /// A tar of `build/...` entries: the build directory after compiling.
    #[serde(skip)]
    pub files: Vec<u8>,
}

/// What the package gives: files for the build directory and commands.
#[derive(Debug)]
pub struct ValidatorSource {
    pub language: &'static Language,
    /// (path below the build directory, contents, executable)
    pub files: Vec<(String, Vec<u8>, bool)>,
    pub compile: Option<Vec<String>>,
    pub run: Vec<String>,
}

/// Reads the validator of `problem`: a single source file, a directory with
/// `build` and/or `run` scripts, or a directory with exactly one source file
/// (plus headers or other files it needs).
pub fn read_source(problem: &Problem) -> Result<ValidatorSource, String> {
    let relative = problem
        .output_validator
        .as_ref()
        .ok_or("the problem has no output validator")?;
    let path = problem.root.join(relative);
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if path.is_file() {
        let lang = language::by_file_name(&name(&path))
            .ok_or_else(|| format!("{}: unknown validator language", relative.display()))?;
        let code = std::fs::read(&path).map_err(|e| format!("{}: {e}", relative.display()))?;
        return Ok(single_source(lang, code, Vec::new()));
    }
    let mut files = Vec::new();
    collect_files(&path, &path, &mut files).map_err(|e| format!("{}: {e}", relative.display()))?;
    let has = |n: &str| files.iter().any(|(p, _, _)| p == n);
    let (has_build, has_run) = (has("build"), has("run"));
    if has_build || has_run {
        let lang = language::by_id("cpp").expect("cpp is a language");
        let files = files
            .into_iter()
            .map(|(p, data, exec)| {
                let exec = exec || p == "build" || p == "run";
                (p, data, exec)
            })
            .collect();
        return Ok(ValidatorSource {
            language: lang,
            files,
            compile: has_build.then(|| vec!["./build".to_string()]),
            run: vec!["./run".to_string()],
        });
    }
    let sources: Vec<usize> = files
        .iter()
        .enumerate()
        .filter(|(_, (p, _, _))| !p.contains('/') && language::by_file_name(p).is_some())
        .map(|(i, _)| i)
        .collect();
    match sources.as_slice() {
        [one] => {
            let (file, code, _) = files.remove(*one);
            let lang = language::by_file_name(&file).expect("filtered above");
            Ok(single_source(lang, code, files))
        }
        [] => Err(format!(
            "{}: no validator source and no build/run script",
            relative.display()
        )),
        _ => Err(format!(
            "{}: several source files; give a build/run script",
            relative.display()
        )),
    }
}

fn single_source(
    lang: &'static Language,
    code: Vec<u8>,
    mut others: Vec<(String, Vec<u8>, bool)>,
) -> ValidatorSource {
    let text = String::from_utf8_lossy(&code).into_owned();
    let program = Program::from_code(lang, &text);
    let source = program.entry.clone();
    others.retain(|(p, _, _)| *p != source);
    others.push((source, code, false));
    ValidatorSource {
        language: lang,
        files: others,
        compile: (!lang.compile.is_empty())
            .then(|| lang.command(lang.compile, &program, VALIDATOR_MEMORY_MB)),
        run: lang.command(lang.run, &program, VALIDATOR_MEMORY_MB),
    }
}

fn collect_files(
    base: &Path,
    dir: &Path,
    out: &mut Vec<(String, Vec<u8>, bool)>,
) -> std::io::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        let file_name = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if file_name.starts_with('.') {
            continue;
        }
        let meta = std::fs::symlink_metadata(&entry)?;
        if meta.is_dir() {
            collect_files(base, &entry, out)?;
        } else if meta.is_file() {
            let rel = entry.strip_prefix(base).unwrap_or(&entry);
            let exec = meta.permissions().mode() & 0o111 != 0;
            out.push((
                rel.to_string_lossy().into_owned(),
                std::fs::read(&entry)?,
                exec,
            ));
        }
    }
    Ok(())
}

/// A result kept for a version: the validator or why it cannot be used.
type Slot = Arc<Mutex<Option<Result<Arc<CompiledValidator>, String>>>>;

/// Compiled validators by problem version.
pub struct ValidatorCache {
    dir: PathBuf,
    slots: Mutex<HashMap<String, Slot>>,
}

/// Compilations per problem version in this process, for tests and logs.
fn compilation_counts() -> &'static StdMutex<HashMap<String, usize>> {
    static COUNTS: OnceLock<StdMutex<HashMap<String, usize>>> = OnceLock::new();
    COUNTS.get_or_init(Default::default)
}

/// How many times this process compiled the validator of `version`.
pub fn compilations(version: &str) -> usize {
    compilation_counts()
        .lock()
        .unwrap()
        .get(version)
        .copied()
        .unwrap_or(0)
}

impl ValidatorCache {
    pub fn new(dir: PathBuf) -> ValidatorCache {
        ValidatorCache {
            dir,
            slots: Mutex::new(HashMap::new()),
        }
    }

    /// The compiled validator of `problem` at `version`: from memory, from
    /// disk, or compiled now (once, however many jobs ask at the same time).
    /// `Err` is a judge fault (IE): a validator that does not compile stays
    /// cached as such for the version.
    pub async fn get(
        &self,
        worker: &crate::Worker,
        problem: &Problem,
        version: &str,
        submission_id: &str,
    ) -> Result<Arc<CompiledValidator>, String> {
        let key = format!("{version}/{}", problem.id);
        let slot = self.slots.lock().await.entry(key).or_default().clone();
        let mut slot = slot.lock().await;
        if let Some(result) = slot.as_ref() {
            return result.clone();
        }
        let disk = self
            .dir
            .join(version)
            .join(format!(".validator-{}", problem.id));
        if let Some(compiled) = read_disk(&disk) {
            let compiled = Arc::new(compiled);
            *slot = Some(Ok(compiled.clone()));
            return Ok(compiled);
        }
        let result = match compile(worker, problem, version, submission_id).await {
            Ok(compiled) => {
                if let Err(e) = write_disk(&disk, &compiled) {
                    tracing::warn!(version, error = %e, "could not cache the compiled validator on disk");
                }
                Ok(Arc::new(compiled))
            }
            // A Docker or runner fault may pass: only keep verdicts about the validator itself.
            Err(CompileError::Fault(e)) => return Err(e),
            Err(CompileError::Invalid(e)) => Err(e),
        };
        *slot = Some(result.clone());
        result
    }
}

fn read_disk(dir: &Path) -> Option<CompiledValidator> {
    let meta = std::fs::read(dir.join("meta.json")).ok()?;
    let mut compiled: CompiledValidator = serde_json::from_slice(&meta).ok()?;
    compiled.files = std::fs::read(dir.join("build.tar")).ok()?;
    Some(compiled)
}

fn write_disk(dir: &Path, compiled: &CompiledValidator) -> std::io::Result<()> {
    let parent = dir.parent().expect("has a parent");
    std::fs::create_dir_all(parent)?;
    let staging = tempfile::Builder::new()
        .prefix(".validator-")
        .tempdir_in(parent)?;
    std::fs::write(staging.path().join("build.tar"), &compiled.files)?;
    std::fs::write(
        staging.path().join("meta.json"),
        serde_json::to_vec(compiled).map_err(std::io::Error::other)?,
    )?;
    let staged = staging.keep();
    match std::fs::rename(&staged, dir) {
        Ok(()) => Ok(()),
        Err(_) if dir.is_dir() => {
            let _ = std::fs::remove_dir_all(&staged);
            Ok(())
        }
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staged);
            Err(e)
        }
    }
}

enum CompileError {
    /// The validator itself is broken (no source, does not compile).
    Invalid(String),
    /// Docker, the runner or a timeout: may work next time.
    Fault(String),
}

impl From<SandboxError> for CompileError {
    fn from(e: SandboxError) -> Self {
        CompileError::Fault(format!("compiling the output validator: {e}"))
    }
}

async fn compile(
    worker: &crate::Worker,
    problem: &Problem,
    version: &str,
    submission_id: &str,
) -> Result<CompiledValidator, CompileError> {
    let source = {
        let problem = problem.clone();
        tokio::task::spawn_blocking(move || read_source(&problem))
            .await
            .map_err(|e| CompileError::Fault(e.to_string()))?
            .map_err(|e| CompileError::Invalid(format!("output validator: {e}")))?
    };
    *compilation_counts()
        .lock()
        .unwrap()
        .entry(version.to_string())
        .or_default() += 1;
    tracing::info!(problem = %problem.id, version, language = source.language.id, "compiling the output validator");
    let image = worker.config.image_for(source.language);
    let spec = SandboxSpec {
        image: image.clone(),
        submission_id: submission_id.to_string(),
        worker: worker.consumer.clone(),
        memory_mb: VALIDATOR_MEMORY_MB,
    };
    let work = async {
        let (sandbox, _) = worker.sandboxes.acquire(&spec).await?;
        let result = compile_in(&sandbox, &source).await;
        worker.sandboxes.dispose(sandbox);
        result
    };
    let files = tokio::time::timeout(Duration::from_millis(COMPILE_WALL_MS * 2 + 30_000), work)
        .await
        .map_err(|_| {
            CompileError::Fault("compiling the output validator took too long".into())
        })??;
    Ok(CompiledValidator {
        image,
        run: source.run,
        files,
    })
}

async fn compile_in(sandbox: &Sandbox, source: &ValidatorSource) -> Result<Vec<u8>, CompileError> {
    let mut runner = sandbox.start_runner().await?;
    let mut entries: Vec<(String, &[u8], bool)> = source
        .files
        .iter()
        .map(|(p, d, x)| (format!("build/{p}"), d.as_slice(), *x))
        .collect();
    entries.push(("tests/empty".into(), b"", false));
    runner
        .upload(&tar_of(&entries).map_err(|e| CompileError::Fault(e.to_string()))?)
        .await?;
    let env: Vec<(String, String)> = source
        .language
        .env
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let limits = Limits {
        cpu_ms: COMPILE_CPU_MS,
        wall_ms: COMPILE_WALL_MS,
        memory_kb: VALIDATOR_MEMORY_MB * 1024,
        output_bytes: MIB,
        file_size_bytes: 256 * MIB,
        open_files: 256,
    };
    if let Some(argv) = &source.compile {
        let report = runner
            .compile(argv.clone(), env.clone(), limits.clone())
            .await?;
        if !report.success() {
            runner.exit().await;
            return Err(CompileError::Invalid(format!(
                "the output validator does not compile ({}): {}",
                describe(&report),
                report.stderr.trim()
            )));
        }
    }
    // Read the build directory back: the runner returns a run's stdout.
    let limits = Limits {
        output_bytes: MAX_ARTIFACT_BYTES,
        file_size_bytes: MIB,
        ..limits
    };
    let (report, tar) = runner
        .run(
            vec!["tar".into(), "-cf".into(), "-".into(), ".".into()],
            vec![],
            "empty".into(),
            limits,
        )
        .await?;
    runner.exit().await;
    if !report.success() {
        return Err(CompileError::Fault(format!(
            "reading the compiled validator back failed ({}): {}",
            describe(&report),
            report.stderr.trim()
        )));
    }
    rebase_tar(&tar).map_err(|e| CompileError::Fault(format!("the compiled validator: {e}")))
}

/// `./x` entries of `tar -c .` become `build/x`, keeping the executable bit.
fn rebase_tar(tar: &[u8]) -> std::io::Result<Vec<u8>> {
    let mut archive = tar::Archive::new(tar);
    let mut out = tar::Builder::new(Vec::new());
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        let rel: PathBuf = path
            .components()
            .filter(|c| matches!(c, std::path::Component::Normal(_)))
            .collect();
        if rel.as_os_str().is_empty() {
            continue;
        }
        let kind = entry.header().entry_type();
        let exec = entry
            .header()
            .mode()
            .map(|m| m & 0o111 != 0)
            .unwrap_or(false);
        let mut header = tar::Header::new_gnu();
        header.set_mtime(0);
        if kind.is_dir() {
            header.set_entry_type(tar::EntryType::Directory);
            header.set_mode(0o755);
            header.set_size(0);
            out.append_data(&mut header, Path::new("build").join(&rel), std::io::empty())?;
        } else if kind.is_file() {
            let mut data = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut data)?;
            header.set_entry_type(tar::EntryType::Regular);
            header.set_mode(if exec { 0o755 } else { 0o644 });
            header.set_size(data.len() as u64);
            out.append_data(&mut header, Path::new("build").join(&rel), data.as_slice())?;
        }
        // Links and special files are left out.
    }
    out.into_inner()
}

pub fn tar_of(entries: &[(String, &[u8], bool)]) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, data, exec) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_entry_type(tar::EntryType::Regular);
        header.set_mode(if *exec { 0o755 } else { 0o644 });
        header.set_mtime(0);
        header.set_size(data.len() as u64);
        builder.append_data(&mut header, path, *data)?;
    }
    builder.into_inner()
}

pub(crate) fn describe(report: &Report) -> String {
    match report.termination {
        Termination::Exited => format!("exit code {}", report.exit_code.unwrap_or(-1)),
        Termination::Signaled => format!("signal {}", report.signal.unwrap_or(0)),
        Termination::CpuLimit => "CPU time limit".into(),
        Termination::WallLimit => "wall time limit".into(),
        Termination::MemoryLimit => "memory limit".into(),
        Termination::OutputLimit => "output limit".into(),
    }
}

/// What the validator said about one output.
#[derive(Debug, PartialEq)]
pub struct Judgement {
    /// AC or WA; a judge error is the `Err` of [`ValidatorSandbox::check`].
    pub verdict: Verdict,
    /// `teammessage.txt`: may be shown to the submitter.
    pub team_message: Option<String>,
    /// `judgemessage.txt`: for admins only (logged, and part of an IE message).
    pub judge_message: Option<String>,
}

/// The wrapper's stdout, parsed.
#[derive(Debug, PartialEq)]
pub struct WrapperOutput {
    pub exit_code: i32,
    pub team_message: Option<String>,
    pub judge_message: Option<String>,
}

pub fn parse_wrapper_output(mut out: &[u8]) -> Result<WrapperOutput, String> {
    fn line<'a>(out: &mut &'a [u8]) -> Option<&'a str> {
        let end = out.iter().position(|&b| b == b'\n')?;
        let text = std::str::from_utf8(&out[..end]).ok();
        *out = &out[end + 1..];
        text
    }
    let first = line(&mut out).ok_or("no exit status from the validator wrapper")?;
    let exit_code: i32 = first
        .strip_prefix("exit ")
        .and_then(|c| c.trim().parse().ok())
        .ok_or_else(|| format!("unexpected validator wrapper output {first:?}"))?;
    let mut parsed = WrapperOutput {
        exit_code,
        team_message: None,
        judge_message: None,
    };
    while !out.is_empty() {
        let header = line(&mut out).ok_or("truncated validator feedback")?;
        let (name, len) = header
            .split_once(' ')
            .and_then(|(n, l)| Some((n, l.trim().parse::<usize>().ok()?)))
            .ok_or_else(|| format!("unexpected feedback header {header:?}"))?;
        if out.len() < len {
            return Err("truncated validator feedback".into());
        }
        let mut text = String::from_utf8_lossy(&out[..len]).into_owned();
        out = &out[len..];
        if text.len() > FEEDBACK_KEEP {
            let mut cut = FEEDBACK_KEEP;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        let text = Some(text.trim_end().to_string()).filter(|t| !t.is_empty());
        match name {
            "teammessage.txt" => parsed.team_message = text,
            "judgemessage.txt" => parsed.judge_message = text,
            _ => {}
        }
    }
    Ok(parsed)
}

/// Decides a test from the validator's report and wrapper output: `Err` is a
/// judge error with a message for admins, never WA.
pub fn judge_from(report: &Report, stdout: &[u8]) -> Result<Judgement, String> {
    if !report.success() {
        return Err(format!(
            "the output validator failed ({}): {}",
            describe(report),
            report.stderr.trim()
        ));
    }
    let out = parse_wrapper_output(stdout)?;
    let verdict = match out.exit_code {
        42 => Verdict::AC,
        43 => Verdict::WA,
        code => {
            let mut message = format!(
                "the output validator exited with code {code} (42 = accepted, 43 = wrong answer)"
            );
            if let Some(judge) = &out.judge_message {
                message.push_str(&format!("; judgemessage: {judge}"));
            }
            let stderr = report.stderr.trim();
            if !stderr.is_empty() {
                message.push_str(&format!("; stderr: {stderr}"));
            }
            return Err(message);
        }
    };
    Ok(Judgement {
        verdict,
        team_message: out.team_message,
        judge_message: out.judge_message,
    })
}

/// The argument vector of one validator run.
pub fn validator_argv(compiled: &CompiledValidator, flags: &[String]) -> Vec<String> {
    let mut argv = vec![
        "/bin/sh".to_string(),
        "-c".to_string(),
        WRAPPER.to_string(),
        "judge-validator".to_string(),
    ];
    argv.extend(compiled.run.iter().cloned());
    argv.push(format!("{BUILD_DIR}/{DATA_DIR}/input"));
    argv.push(format!("{BUILD_DIR}/{DATA_DIR}/answer"));
    argv.push(FEEDBACK_DIR.to_string());
    argv.extend(flags.iter().cloned());
    argv
}

pub fn validator_limits() -> Limits {
    Limits {
        cpu_ms: VALIDATOR_CPU_MS,
        wall_ms: VALIDATOR_WALL_MS,
        memory_kb: VALIDATOR_MEMORY_MB * 1024,
        output_bytes: MIB,
        file_size_bytes: 64 * MIB,
        open_files: 64,
    }
}

/// The validator's own sandbox for one judging.
pub struct ValidatorSandbox {
    sandbox: Sandbox,
    runner: crate::sandbox::RunnerSession,
    compiled: Arc<CompiledValidator>,
}

impl ValidatorSandbox {
    pub async fn create(
        worker: &crate::Worker,
        compiled: Arc<CompiledValidator>,
        submission_id: &str,
    ) -> Result<ValidatorSandbox, SandboxError> {
        let spec = SandboxSpec {
            image: compiled.image.clone(),
            submission_id: submission_id.to_string(),
            worker: worker.consumer.clone(),
            memory_mb: VALIDATOR_MEMORY_MB,
        };
        let (sandbox, _) = worker.sandboxes.acquire(&spec).await?;
        let runner = match sandbox.start_runner().await {
            Ok(runner) => runner,
            Err(e) => {
                sandbox.remove().await;
                return Err(e);
            }
        };
        let mut this = ValidatorSandbox {
            sandbox,
            runner,
            compiled,
        };
        if let Err(e) = this.install().await {
            this.close().await;
            return Err(e);
        }
        Ok(this)
    }

    /// Uploads the validator, then runs `true` once: a run locks the build
    /// directory (root's, read-only to the sandbox user), and the runner
    /// accepts a further `build/` upload only into a locked build directory.
    async fn install(&mut self) -> Result<(), SandboxError> {
        let empty = tar_of(&[("tests/empty".to_string(), b"".as_slice(), false)])?;
        self.runner.upload(&empty).await?;
        self.runner.upload(&self.compiled.files).await?;
        let (report, _) = self
            .runner
            .run(
                vec!["true".into()],
                vec![],
                "empty".into(),
                validator_limits(),
            )
            .await?;
        if !report.success() {
            return Err(SandboxError::Runner(format!(
                "preparing the validator's sandbox failed ({})",
                describe(&report)
            )));
        }
        Ok(())
    }

    /// Checks one output. `Err` is a judge error (IE).
    pub async fn check(
        &mut self,
        problem: &Problem,
        test: &TestCase,
        output: &[u8],
    ) -> Result<Judgement, String> {
        let (input, answer) = read_test_data(problem, test).await?;
        let tar = tar_of(&[
            (format!("build/{DATA_DIR}/input"), input.as_slice(), false),
            (format!("build/{DATA_DIR}/answer"), answer.as_slice(), false),
            (format!("tests/{TEAM_OUTPUT}"), output, false),
        ])
        .map_err(|e| e.to_string())?;
        let fault = |e: SandboxError| format!("test {}: output validator sandbox: {e}", test.name);
        self.runner.upload(&tar).await.map_err(fault)?;
        let argv = validator_argv(&self.compiled, &test.validator_flags);
        let (report, stdout) = self
            .runner
            .run(argv, vec![], TEAM_OUTPUT.into(), validator_limits())
            .await
            .map_err(fault)?;
        let judgement =
            judge_from(&report, &stdout).map_err(|e| format!("test {}: {e}", test.name))?;
        if let Some(message) = &judgement.judge_message {
            tracing::info!(test = %test.name, verdict = %judgement.verdict, "validator judgemessage: {message}");
        }
        Ok(judgement)
    }

    /// The session with the validator's runner and the validator, for an
    /// interactive run ([`crate::interactive`]).
    pub(crate) fn parts(&mut self) -> (&mut crate::sandbox::RunnerSession, &CompiledValidator) {
        (&mut self.runner, &self.compiled)
    }

    pub async fn close(self) {
        self.runner.exit().await;
        self.sandbox.remove().await;
    }
}

/// A test's input and answer, read off the worker's package cache; the
/// validator gets both, the submission neither.
pub(crate) async fn read_test_data(
    problem: &Problem,
    test: &TestCase,
) -> Result<(Vec<u8>, Vec<u8>), String> {
    let input = problem.root.join(&test.input);
    let answer = problem.root.join(&test.answer);
    tokio::task::spawn_blocking(move || {
        Ok::<_, std::io::Error>((std::fs::read(input)?, std::fs::read(answer)?))
    })
    .await
    .map_err(|e| e.to_string())?
    .map_err(|e| format!("test {}: cannot read the test data: {e}", test.name))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(termination: Termination, code: Option<i32>) -> Report {
        Report {
            termination,
            exit_code: code,
            signal: None,
            cpu_ms: 1,
            wall_ms: 1,
            memory_kb: 1,
            stdout_len: 0,
            stderr: "oops".into(),
        }
    }

    #[test]
    fn exit_codes_decide_and_other_codes_are_judge_errors() {
        let ok = report(Termination::Exited, Some(0));
        let j = judge_from(&ok, b"exit 42\n").unwrap();
        assert_eq!(j.verdict, Verdict::AC);
        let j = judge_from(
            &ok,
            b"exit 43\nteammessage.txt 9\nsum is 5\njudgemessage.txt 3\nabc",
        )
        .unwrap();
        assert_eq!(j.verdict, Verdict::WA);
        assert_eq!(j.team_message.as_deref(), Some("sum is 5"));
        assert_eq!(j.judge_message.as_deref(), Some("abc"));
        for code in [0, 1, 41, 44, 139] {
            let err = judge_from(&ok, format!("exit {code}\n").as_bytes()).unwrap_err();
            assert!(err.contains(&format!("code {code}")), "{err}");
        }
        // The wrapper itself failing or hitting a limit: never WA.
        for r in [
            report(Termination::WallLimit, None),
            report(Termination::CpuLimit, None),
            report(Termination::Signaled, None),
            report(Termination::Exited, Some(120)),
        ] {
            assert!(judge_from(&r, b"exit 43\n").is_err());
        }
        assert!(judge_from(&ok, b"").is_err());
        assert!(judge_from(&ok, b"garbage\n").is_err());
        assert!(judge_from(&ok, b"exit 43\nteammessage.txt 100\nshort").is_err());
    }

    #[test]
    fn argv_puts_the_flags_after_the_feedback_dir() {
        let compiled = CompiledValidator {
            image: "x".into(),
            run: vec!["./main".into()],
            files: vec![],
        };
        let argv = validator_argv(&compiled, &["float_tolerance".into(), "1e-6".into()]);
        assert_eq!(&argv[..2], ["/bin/sh", "-c"]);
        assert_eq!(
            &argv[3..],
            [
                "judge-validator",
                "./main",
                "/work/build/judge-data/input",
                "/work/build/judge-data/answer",
                "/tmp/feedback/",
                "float_tolerance",
                "1e-6"
            ]
        );
    }

    #[test]
    fn the_wrapper_frames_feedback() {
        // Run the wrapper with a fake validator on the host.
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("v.sh");
        std::fs::write(
            &script,
            "#!/bin/sh\necho noise\nprintf 'bad sum\\n' > \"$3/teammessage.txt\"\n[ \"$4\" = flag ] || exit 1\nexit 43\n",
        )
        .unwrap();
        let out = std::process::Command::new("/bin/sh")
            .args(["-c", WRAPPER, "judge-validator", "sh"])
            .arg(&script)
            .args(["in", "ans", FEEDBACK_DIR, "flag"])
            .output()
            .unwrap();
        let _ = std::fs::remove_dir_all("/tmp/feedback");
        let _ = std::fs::remove_file("/tmp/feedback-msg");
        let parsed = parse_wrapper_output(&out.stdout).unwrap();
        assert_eq!(
            parsed,
            WrapperOutput {
                exit_code: 43,
                team_message: Some("bad sum".into()),
                judge_message: None
            }
        );
    }

    #[test]
    fn sources_are_recognised() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("p");
        let write = |p: &str, t: &str| {
            let p = root.join(p);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, t).unwrap();
        };
        write("problem.yaml", "validation: custom\n");
        write("data/secret/1.in", "1\n");
        write("data/secret/1.ans", "1\n");
        write(
            "output_validators/v/validator.cpp",
            "#include \"h.h\"\nint main(){}",
        );
        write("output_validators/v/h.h", "");
        let p = Problem::load(&root).unwrap();
        let s = read_source(&p).unwrap();
        assert_eq!(s.language.id, "cpp");
        let names: Vec<_> = s.files.iter().map(|f| f.0.as_str()).collect();
        assert_eq!(names, ["h.h", "main.cpp"]);
        assert_eq!(s.run, ["./main"]);

        write("output_validators/v/other.py", "");
        assert!(read_source(&Problem::load(&root).unwrap())
            .unwrap_err()
            .contains("several"));
        write("output_validators/v/build", "g++ -o run validator.cpp\n");
        let s = read_source(&Problem::load(&root).unwrap()).unwrap();
        assert_eq!(s.compile, Some(vec!["./build".to_string()]));
        assert!(s.files.iter().any(|(p, _, x)| p == "build" && *x));
    }
}
