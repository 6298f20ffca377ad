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
//! runner's `Validate` runs it with its feedback directory and sends back
//! what it left there ([`crate::feedback`], the mechanism the interactive
//! validator shares), then its report; [`crate::feedback::judge_pass`]
//! decides. The validator's own stdout is dropped.
//!
//! In a multi-pass problem a further pass of a test uploads the pass's
//! input (the last pass's `nextpass.in`, which the submission just ran on)
//! as the validator's input file, and the new team output; the answer file
//! stays the test's, the feedback directory stays as the last pass left it.
//! This is what problemtools and DOMjudge do; the format says only that an
//! output visualizer still gets the test's own input.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex as StdMutex, OnceLock};
use std::time::Duration;

use judge_core::language::{self, Language};
use judge_core::problem::{Problem, TestCase};
use judge_core::protocol::{Limits, Request, BUILD_DIR};
use judge_core::source::{Program, SourceFile};
use serde::{Deserialize, Serialize};
use tokio::sync::Mutex;

use crate::feedback::{self, PassOutcome, FEEDBACK_DIR};
use crate::sandbox::{Sandbox, SandboxError, SandboxSpec};
use crate::verdict::describe;

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
pub(crate) const DATA_DIR: &str = "judge-data";
const TEAM_OUTPUT: &str = "team-output";

/// A validator ready to run: its build directory and how to start it.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct CompiledValidator {
    /// Full image reference the validator was compiled in and runs in.
    pub image: String,
    /// Argument vector run in the build directory ([`validator_argv`] appends the arguments).
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
        several => several_sources(relative, several, files),
    }
}

/// A validator of several source files of one language (the format allows
/// it for C and C++; for Python the entry is `__main__.py`): compiled
/// together, as a submission of several files is.
fn several_sources(
    relative: &Path,
    sources: &[usize],
    files: Vec<(String, Vec<u8>, bool)>,
) -> Result<ValidatorSource, String> {
    let lang = language::by_file_name(&files[sources[0]].0).expect("a source");
    let names = || {
        sources
            .iter()
            .map(|&i| files[i].0.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    if sources
        .iter()
        .any(|&i| language::by_file_name(&files[i].0).map(|l| l.id) != Some(lang.id))
    {
        return Err(format!(
            "{}: source files of several languages ({}); give a build/run script",
            relative.display(),
            names()
        ));
    }
    let top: Vec<SourceFile> = files
        .iter()
        .filter(|(p, _, _)| !p.contains('/'))
        .map(|(p, data, _)| SourceFile {
            name: p.clone(),
            content: String::from_utf8_lossy(data).into_owned(),
        })
        .collect();
    let entry = top
        .iter()
        .any(|f| f.name == "__main__.py")
        .then_some("__main__.py");
    let program = Program::new(lang, top, entry).map_err(|e| {
        format!(
            "{}: several source files ({}) and no build/run script: {e}",
            relative.display(),
            names()
        )
    })?;
    Ok(ValidatorSource {
        language: lang,
        files,
        compile: (!lang.compile.is_empty())
            .then(|| lang.command(lang.compile, &program, VALIDATOR_MEMORY_MB)),
        run: lang.command(lang.run, &program, VALIDATOR_MEMORY_MB),
    })
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
    /// For a submission any `Err` is a judge error (IE); an import's check
    /// tells the two kinds apart. A validator that cannot be built stays
    /// cached as such for the version.
    pub async fn get(
        &self,
        worker: &crate::Worker,
        problem: &Problem,
        version: &str,
        submission_id: &str,
    ) -> Result<Arc<CompiledValidator>, ValidatorError> {
        let key = format!("{version}/{}", problem.id);
        let slot = self.slots.lock().await.entry(key).or_default().clone();
        let mut slot = slot.lock().await;
        if let Some(result) = slot.as_ref() {
            return result.clone().map_err(ValidatorError::Invalid);
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
            Err(CompileError::Fault(e)) => return Err(ValidatorError::Fault(e)),
            Err(CompileError::Invalid(e)) => Err(e),
        };
        *slot = Some(result.clone());
        result.map_err(ValidatorError::Invalid)
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

/// Why a version's validator is not available.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ValidatorError {
    /// The package's validator cannot be built (no program, an unknown
    /// language, a compile error): the package's fault, with the reason.
    #[error("{0}")]
    Invalid(String),
    /// Docker, the runner, a timeout: the judge's, may pass.
    #[error("{0}")]
    Fault(String),
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

/// What the validator said about one pass over one output.
#[derive(Debug, PartialEq)]
pub struct Judgement {
    /// AC, WA or another pass; a judge error is the `Err` of [`ValidatorSandbox::check`].
    pub outcome: PassOutcome,
    /// `teammessage.txt`: may be shown to the submitter.
    pub team_message: Option<String>,
    /// `judgemessage.txt`: for admins only (logged, and part of an IE message).
    pub judge_message: Option<String>,
    /// `score.txt` / `score_multiplier.txt`, for the grader.
    pub score: crate::grader::ScoreFile,
}

/// The validator's argument vector: `validator input answer feedback_dir/
/// [flags]`, the same for a custom and an interactive validator.
pub fn validator_argv(compiled: &CompiledValidator, flags: &[String]) -> Vec<String> {
    let mut argv = compiled.run.clone();
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

    /// Checks one pass's output (`pass` is 1-based). The first pass starts
    /// with the test's input and answer and an empty feedback directory;
    /// a later one (`pass_input`: the input the submission just ran on, the
    /// last pass's `nextpass.in`) keeps the answer and the feedback directory.
    /// `Err` is a judge error (IE).
    pub async fn check(
        &mut self,
        problem: &Problem,
        test: &TestCase,
        output: &[u8],
        pass: u32,
        pass_input: Option<&[u8]>,
    ) -> Result<Judgement, String> {
        let fault = |e: SandboxError| format!("test {}: output validator sandbox: {e}", test.name);
        let tar = match pass_input {
            None => {
                let (input, answer) = read_test_data(problem, test).await?;
                tar_of(&[
                    (format!("build/{DATA_DIR}/input"), input.as_slice(), false),
                    (format!("build/{DATA_DIR}/answer"), answer.as_slice(), false),
                    (format!("tests/{TEAM_OUTPUT}"), output, false),
                ])
            }
            Some(input) => tar_of(&[
                (format!("build/{DATA_DIR}/input"), input, false),
                (format!("tests/{TEAM_OUTPUT}"), output, false),
            ]),
        }
        .map_err(|e| e.to_string())?;
        self.runner.upload(&tar).await.map_err(fault)?;
        let request = Request::Validate {
            argv: validator_argv(&self.compiled, &test.validator_flags),
            env: vec![],
            input: TEAM_OUTPUT.into(),
            limits: validator_limits(),
            feedback_dir: FEEDBACK_DIR.into(),
            keep_feedback: pass > 1,
        };
        self.runner.send(&request, &[]).await.map_err(fault)?;
        let (report, feedback) = feedback::receive_validation(&mut self.runner)
            .await
            .map_err(fault)?;
        let outcome = feedback::judge_pass(&report, &feedback, problem.validation_passes, pass)
            .map_err(|e| format!("test {}: {e}", test.name))?;
        let judge_message = feedback.judge_message();
        if let Some(message) = &judge_message {
            tracing::info!(test = %test.name, pass, ?outcome, "validator judgemessage: {message}");
        }
        let score = feedback
            .score()
            .map_err(|e| format!("test {}: {e}", test.name))?;
        Ok(Judgement {
            outcome,
            team_message: feedback.team_message(),
            judge_message,
            score,
        })
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

    #[test]
    fn argv_puts_the_flags_after_the_feedback_dir() {
        let compiled = CompiledValidator {
            image: "x".into(),
            run: vec!["./main".into()],
            files: vec![],
        };
        let argv = validator_argv(&compiled, &["float_tolerance".into(), "1e-6".into()]);
        assert_eq!(
            argv,
            [
                "./main",
                "/work/build/judge-data/input",
                "/work/build/judge-data/answer",
                "/work/feedback/",
                "float_tolerance",
                "1e-6"
            ]
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
            .contains("several languages"));
        std::fs::remove_file(root.join("output_validators/v/other.py")).unwrap();
        // Several C++ files compile together.
        write("output_validators/v/util.cpp", "int helper(){return 1;}");
        let s = read_source(&Problem::load(&root).unwrap()).unwrap();
        let compile = s.compile.unwrap();
        assert!(
            compile.ends_with(&["util.cpp".to_string(), "validator.cpp".to_string()]),
            "{compile:?}"
        );
        write("output_validators/v/build", "g++ -o run validator.cpp\n");
        let s = read_source(&Problem::load(&root).unwrap()).unwrap();
        assert_eq!(s.compile, Some(vec!["./build".to_string()]));
        assert!(s.files.iter().any(|(p, _, x)| p == "build" && *x));
    }
}
