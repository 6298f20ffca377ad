//! The problems directory read at start-up (`JUDGE_PROBLEMS_DIR`): every
//! package in it is loaded, packed and stored as its problem's current version.

use std::path::{Path, PathBuf};
use std::time::Duration;

use judge_store::store;
use problem_package::problem::{self, Problem, ProblemError};
use tokio_util::sync::CancellationToken;

use crate::config::Config;
use crate::error::ApiError;
use crate::state::dedicated;

/// A loaded, packed problem: the problem, its package tar and its version hash.
pub type LoadedProblem = (Problem, Vec<u8>, String);

/// Loads and packs every subdirectory of `dir` (sorted by name; hidden ones
/// skipped). Malformed packages are returned as errors naming the file at fault.
pub fn load_problems_dir(dir: &Path) -> (Vec<LoadedProblem>, Vec<ProblemError>) {
    let mut loaded = Vec::new();
    let mut errors = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            errors.push(ProblemError {
                file: dir.to_path_buf(),
                line: None,
                message: format!("cannot read the problems directory: {e}"),
            });
            return (loaded, errors);
        }
    };
    let mut dirs: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .collect();
    dirs.sort();
    for root in dirs {
        // Imported as an admin import is: PDF figures rendered as PNG.
        let imported = Problem::load(&root)
            .and_then(|mut p| problem::pack_for_import(&root, &mut p).map(|(b, v)| (p, b, v)));
        match imported {
            Ok(triple) => loaded.push(triple),
            Err(e) => errors.push(e),
        }
    }
    (loaded, errors)
}

/// Stores every loaded problem as the current version. Packages can be
/// large, so this uses a connection of its own, without the pooled 500 ms reply timeout.
async fn store_problems_dedicated(url: &str, problems: &[LoadedProblem]) -> Result<(), ApiError> {
    let mut conn = dedicated(url).await?;
    for (p, bytes, version) in problems {
        store::store_problem(&mut conn, &p.summary(version), bytes).await?;
        tracing::info!(problem = %p.id, %version, tests = p.tests.len(), "problem stored");
    }
    Ok(())
}

/// Loads the problems directory, logs what is wrong in it, and stores the
/// good problems; if Redis is down, keeps retrying in the background.
pub(crate) async fn load_and_store_problems(config: &Config, shutdown: &CancellationToken) {
    let dir = config.problems_dir.clone();
    let (loaded, errors) = tokio::task::spawn_blocking(move || load_problems_dir(&dir))
        .await
        .unwrap_or_else(|e| {
            (
                Vec::new(),
                vec![ProblemError {
                    file: config.problems_dir.clone(),
                    line: None,
                    message: format!("loading panicked: {e}"),
                }],
            )
        });
    for e in &errors {
        tracing::error!(error = %e, "problem skipped");
    }
    for (p, _, _) in &loaded {
        for w in &p.warnings {
            tracing::warn!(problem = %p.id, "{w}");
        }
    }
    if loaded.is_empty() {
        tracing::warn!(dir = %config.problems_dir.display(), "no problems loaded");
        return;
    }
    if let Err(e) = store_problems_dedicated(&config.redis_url, &loaded).await {
        tracing::warn!(error = %e, "storing problems failed; retrying in the background");
        let url = config.redis_url.clone();
        let shutdown = shutdown.clone();
        tokio::spawn(async move {
            let mut delay = Duration::from_millis(500);
            loop {
                tokio::select! {
                    _ = shutdown.cancelled() => return,
                    _ = tokio::time::sleep(delay) => {}
                }
                match store_problems_dedicated(&url, &loaded).await {
                    Ok(()) => return,
                    Err(e) => tracing::warn!(error = %e, "storing problems failed again"),
                }
                delay = (delay * 2).min(Duration::from_secs(10));
            }
        });
    }
}
