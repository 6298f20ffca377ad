//! Finding the custom output validator's program: `output_validator/`
//! (2023-07, 2025-09) or `output_validators/<name>/` (legacy), possibly one
//! folder deeper.

use std::path::{Path, PathBuf};

use super::entries::{file_name, sorted_entries};
use super::error::ProblemError;

/// Where the custom output validator is, relative to the root.
///
/// 2023-07 and 2025-09 packages have `output_validator/` (the program
/// itself); legacy ones `output_validators/<name>/` or a single file there.
/// Several legacy validators (which the legacy format runs all of, each
/// having to accept) and a package with both folders are refused: this judge
/// runs one validator, and picking one would judge the package other than
/// declared. See [`program_dir`] for a program one folder deeper.
pub(super) fn find_output_validator(root: &Path) -> Result<Option<PathBuf>, ProblemError> {
    let single = root.join("output_validator");
    let legacy = root.join("output_validators");
    if single.exists() && legacy.exists() {
        return Err(ProblemError::new(
            root,
            "both output_validator/ (2023-07, 2025-09) and output_validators/ (legacy) exist; \
             which one is the validator is ambiguous, keep one",
        ));
    }
    if single.is_file() {
        return Ok(Some(PathBuf::from("output_validator")));
    }
    if single.is_dir() {
        return program_dir(root, Path::new("output_validator")).map(Some);
    }
    if !legacy.is_dir() {
        return Ok(None);
    }
    let entries = visible_entries(&legacy)?;
    match entries.as_slice() {
        [] => Ok(None),
        [only] if only.is_dir() => {
            program_dir(root, &Path::new("output_validators").join(file_name(only))).map(Some)
        }
        [only] => Ok(Some(PathBuf::from("output_validators").join(file_name(only)))),
        several => Err(ProblemError::new(
            &legacy,
            format!(
                "several output validators ({}): the legacy format runs every one and accepts \
                 only if all accept; this judge runs one, so it cannot judge this package as declared",
                several.iter().map(|p| file_name(p)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// A validator program directory: the directory itself when it holds a
/// `build`/`run` script or a source file of a known language, else its only
/// subdirectory when that one does (some tools put the program one folder
/// deeper, `output_validator/<name>/`). No program, or several folders that
/// could each be it, is refused with the reason: found now, not as a judge
/// error on every submission.
fn program_dir(root: &Path, relative: &Path) -> Result<PathBuf, ProblemError> {
    let holds_program = |dir: &Path| -> Result<bool, ProblemError> {
        Ok(visible_entries(dir)?.iter().any(|p| {
            let name = file_name(p);
            p.is_file()
                && (name == "build"
                    || name == "run"
                    || crate::language::by_file_name(&name).is_some())
        }))
    };
    let dir = root.join(relative);
    if holds_program(&dir)? {
        return Ok(relative.to_path_buf());
    }
    let folders: Vec<PathBuf> = visible_entries(&dir)?
        .into_iter()
        .filter(|p| p.is_dir())
        .collect();
    let missing = "no validator program: expected a build or run script, or source files \
                   (.c, .cpp, .py, ...)";
    match folders.as_slice() {
        [only] => {
            let nested = relative.join(file_name(only));
            if holds_program(only)? {
                Ok(nested)
            } else {
                Err(ProblemError::new(only, missing))
            }
        }
        [] => Err(ProblemError::new(&dir, missing)),
        several => Err(ProblemError::new(
            &dir,
            format!(
                "no validator program directly here, and several folders ({}) that could hold it: ambiguous",
                several.iter().map(|p| file_name(p)).collect::<Vec<_>>().join(", ")
            ),
        )),
    }
}

/// Entries of `dir` but hidden ones (`.git`, `.gitignore`), which the
/// format says a judge ignores.
fn visible_entries(dir: &Path) -> Result<Vec<PathBuf>, ProblemError> {
    let mut entries = sorted_entries(dir)?;
    entries.retain(|p| !file_name(p).starts_with('.'));
    Ok(entries)
}
