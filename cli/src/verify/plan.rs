//! What there is to verify: the package read from its folder, every
//! submission under `submissions/` with the rules it must meet, and which
//! of them bound the time limit.

use std::path::{Path, PathBuf};

use problem_package::problem::Problem;
use problem_package::timelimit::{Format, TimingRules};

use super::planned::Planned;
use super::submissions_yaml::apply_submissions_yaml;
use crate::commands;
use crate::error::CliError;
use crate::sources;

/// The entries of `dir` (files and directories, hidden ones left out), sorted.
fn list(dir: &Path) -> Result<Vec<PathBuf>, CliError> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| {
            CliError::Usage(format!(
                "cannot list {}: {}",
                dir.display(),
                sources::io_reason(&e)
            ))
        })?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_none_or(|n| n.starts_with('.'))
        })
        .collect();
    entries.sort();
    Ok(entries)
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Every submission under `root/submissions/<folder>/` (files and
/// directories, hidden ones left out), with its requirements.
pub fn plan(root: &Path, format: Format) -> Result<Vec<Planned>, CliError> {
    let dir = root.join("submissions");
    if !dir.is_dir() {
        return Err(CliError::Refused(format!(
            "{}: no submissions/ folder; a package needs at least one accepted submission",
            dir.display()
        )));
    }
    let mut planned = Vec::new();
    for folder in list(&dir)?.into_iter().filter(|p| p.is_dir()) {
        let folder_name = file_name(&folder);
        for path in list(&folder)? {
            let name = format!("{folder_name}/{}", file_name(&path));
            planned.push(Planned::new(name, path, format));
        }
    }
    read_submissions_yaml(&dir, format, &mut planned)?;
    if !planned.iter().any(|p| p.name.starts_with("accepted/")) {
        return Err(CliError::Refused(format!(
            "{}: no submission under submissions/accepted/; the format requires at least one",
            dir.display()
        )));
    }
    Ok(planned)
}

/// Applies `dir/submissions.yaml`, if there is one, to `planned`; a legacy
/// package's folders decide alone.
fn read_submissions_yaml(
    dir: &Path,
    format: Format,
    planned: &mut [Planned],
) -> Result<(), CliError> {
    let yaml = dir.join("submissions.yaml");
    if !yaml.is_file() {
        return Ok(());
    }
    if format == Format::Legacy {
        eprintln!("note: submissions/submissions.yaml is a 2023-07 / 2025-09 file; this legacy package's folders decide");
        return Ok(());
    }
    let text = std::fs::read_to_string(&yaml)
        .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", yaml.display())))?;
    apply_submissions_yaml(&text, planned)
        .map_err(|e| CliError::Refused(format!("{}: {e}", yaml.display())))
}

/// `grading.objective: min`: `partially_accepted/` is checked for its AC
/// alone, and says so.
fn mark_minimized(planned: &mut [Planned]) {
    for p in planned {
        if let Some(rule) = p.rules.iter_mut().find(|r| r.partially_accepted) {
            rule.minimize = true;
            p.notes.push(
                "grading objective min: partially_accepted/ is checked for AC only \
                 (the judge does not report the range's minimum)"
                    .into(),
            );
        }
    }
}

/// A package folder, read for verification.
pub(super) struct Package {
    pub id: String,
    pub problem: Problem,
    pub rules: TimingRules,
    pub planned: Vec<Planned>,
    /// The package as the folder has it.
    pub tar: Vec<u8>,
    /// Indices into `planned`: the submissions that bound the time limit
    /// from below, and those that bound it from above (and not from below).
    pub lower: Vec<usize>,
    pub upper: Vec<usize>,
}

impl Package {
    /// Reads the package at `dir`; an invalid one is refused.
    pub fn load(dir: &Path) -> Result<Package, CliError> {
        let (root, id) = commands::package_dir(dir)?;
        let problem = load_problem(&root, &id)?;
        let rules = TimingRules::read(&root).map_err(|e| CliError::Refused(e.to_string()))?;
        let mut planned = plan(&root, rules.format)?;
        if problem.grading.minimize {
            mark_minimized(&mut planned);
        }
        let tar = commands::pack(&root)?;
        let lower: Vec<usize> = (0..planned.len())
            .filter(|&i| planned[i].lower(rules.format))
            .collect();
        let upper: Vec<usize> = (0..planned.len())
            .filter(|&i| planned[i].upper(rules.format) && !lower.contains(&i))
            .collect();
        Ok(Package {
            id,
            problem,
            rules,
            planned,
            tar,
            lower,
            upper,
        })
    }

    /// Whether the package gives its time limit (rather than the default).
    pub fn gives_time_limit(&self) -> bool {
        self.problem.time_limit_source != "default"
    }
}

/// `problem.yaml` and the rest of the package; an error names its file
/// relative to the package.
fn load_problem(root: &Path, id: &str) -> Result<Problem, CliError> {
    Problem::load(root).map_err(|e| {
        let shown = problem_package::problem::ProblemError {
            file: e
                .file
                .strip_prefix(root)
                .map(Path::to_path_buf)
                .unwrap_or(e.file.clone()),
            ..e.clone()
        };
        CliError::Refused(format!("problem {id} is invalid: {shown}"))
    })
}
