//! Building a validator once per problem version, in a sandbox of its
//! own; the result is kept by the cache ([`super::cache`]).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use judge_protocol::Limits;
use problem_package::problem::Problem;

use super::cache::{compilation_counts, read_disk, write_disk, ValidatorCache};
use super::compiled::CompiledValidator;
use super::run::tar_of;
use super::source::{read_source, ValidatorSource};
use crate::sandbox::error::SandboxError;
use crate::sandbox::{Sandbox, SandboxSpec};
use crate::verdict::describe;

const MIB: u64 = 1 << 20;
/// Limits of compiling a validator (its memory is the validation memory).
const COMPILE_CPU_MS: u64 = 60_000;
const COMPILE_WALL_MS: u64 = 120_000;
/// Largest compiled validator (its build directory as a tar).
const MAX_ARTIFACT_BYTES: u64 = 128 * MIB;

impl ValidatorCache {
    /// The compiled validator of `problem` at `version`: from memory, from
    /// disk, or compiled now (once, however many jobs ask at the same time).
    /// For a submission any `Err` is a judge error (IE); an import's check
    /// tells the two kinds apart. A validator that cannot be built stays
    /// cached as such for the version.
    pub async fn get(
        &self,
        worker: &crate::worker::Worker,
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
    worker: &crate::worker::Worker,
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
        memory_mb: problem.validation_limits.memory_mb,
    };
    let work = async {
        // In the validators' pool: the package's code never runs in a
        // container that submissions get, and the container, reset, then
        // checks outputs with the validator it built.
        let pool = &worker.validator_sandboxes;
        let (sandbox, _) = pool.acquire(&spec).await?;
        let result = compile_in(&sandbox, &source, problem.validation_limits.memory_mb).await;
        pool.dispose(sandbox);
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
        limits: problem.validation_limits,
        files,
    })
}

async fn compile_in(
    sandbox: &Sandbox,
    source: &ValidatorSource,
    memory_mb: u64,
) -> Result<Vec<u8>, CompileError> {
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
        memory_kb: memory_mb * 1024,
        output_bytes: MIB,
        file_size_bytes: 256 * MIB,
        open_files: 256,
    };
    if let Some(argv) = &source.compile {
        let report = runner
            .compile(argv.clone(), env.clone(), limits.clone())
            .await?;
        if !report.success() {
            sandbox.park_runner(runner);
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
    // Back with the container for its reset and reuse.
    sandbox.park_runner(runner);
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
