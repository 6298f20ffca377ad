//! Checking an uploaded problem package (a tar or tar.gz of a problem
//! directory) before anything is stored.
//!
//! The archive is unpacked into a temporary directory; absolute paths, `..`,
//! links and special files are refused (all of them are reported, nothing of
//! such an archive is loaded). Then every `.in` without its `.ans` and every
//! YAML syntax error is collected, and [`Problem::load`] adds the first error
//! it finds, so one upload reports as many problems as can be found at once.
//! Paths in the report are relative to the package root.

use std::io::Read;
use std::path::{Component, Path, PathBuf};

use api_types::PackageProblem;
use problem_package::problem::{self, Problem, ProblemError, ValidationKind};

/// One thing wrong with a package.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub file: String,
    pub line: Option<usize>,
    pub message: String,
}

impl Finding {
    pub(crate) fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            file: file.into(),
            line: None,
            message: message.into(),
        }
    }

    /// As the API's 422 lists it.
    pub fn to_problem(&self) -> PackageProblem {
        PackageProblem {
            file: self.file.clone(),
            line: self.line,
            message: self.message.clone(),
        }
    }
}

/// A package that passed every check, packed as it will be stored.
pub struct Checked {
    pub problem: Problem,
    pub package: Vec<u8>,
    pub version: String,
    pub warnings: Vec<String>,
    /// Things the caller should know that are not problems (validator compilation).
    pub notes: Vec<String>,
    /// The custom output validator (of any kind: one file, several, a
    /// build/run script), which the import has a worker find and build
    /// before storing (see `admin::check_validator`). `None` for default
    /// validation.
    pub validator: Option<ValidatorRef>,
}

/// Where a package's custom output validator is, for messages.
pub struct ValidatorRef {
    /// Relative to the package root: the source file if the validator is
    /// one file (alone in its folder or not in one), else its folder.
    pub file: String,
}

/// Why a package was refused: every finding, and the warnings seen so far.
pub struct Refused {
    pub problems: Vec<Finding>,
    pub warnings: Vec<String>,
}

/// Unpacks, checks and packs the package `bytes` as problem `id`. Blocking.
pub fn check(id: &str, bytes: &[u8], max_bytes: u64) -> Result<Checked, Refused> {
    let refuse = |problems: Vec<Finding>| Refused {
        problems,
        warnings: Vec::new(),
    };
    if !problem::is_valid_id(id) {
        return Err(refuse(vec![Finding::new(
            id,
            "the problem id must be 1-64 of [a-z0-9_-]",
        )]));
    }
    let tmp = tempfile::tempdir().map_err(|e| {
        refuse(vec![Finding::new(
            "",
            format!("no temporary directory: {e}"),
        )])
    })?;
    let unpacked = tmp.path().join("unpacked");
    unpack(bytes, &unpacked, max_bytes).map_err(refuse)?;

    // The archive holds the package itself, or one directory holding it.
    let mut root = unpacked.clone();
    if !root.join("problem.yaml").exists() && !root.join("data").exists() {
        let entries: Vec<PathBuf> = std::fs::read_dir(&root)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        if let [only] = entries.as_slice() {
            if only.is_dir() {
                root = only.clone();
            }
        }
    }
    // Problem::load takes the id from the directory name.
    let named = tmp.path().join("packages").join(id);
    let moved = std::fs::create_dir_all(tmp.path().join("packages"))
        .and_then(|_| std::fs::rename(&root, &named));
    if let Err(e) = moved {
        return Err(refuse(vec![Finding::new(
            "",
            format!("cannot stage the package: {e}"),
        )]));
    }
    let root = named;

    let mut problems = lint(&root);
    let loaded = Problem::load(&root);
    let mut warnings = Vec::new();
    match &loaded {
        Ok(p) => warnings = p.warnings.clone(),
        Err(e) => {
            let f = finding_of(&root, e);
            let known = problems.iter().any(|p| {
                p.file == f.file
                    && (p.message == f.message || (p.line.is_some() && p.line == f.line))
            });
            if !known {
                problems.push(f);
            }
        }
    }
    if !problems.is_empty() {
        return Err(Refused { problems, warnings });
    }
    let mut problem = loaded.expect("no problems means it loaded");
    // The statement's PDF figures rendered as PNG into the stored tar.
    let (package, version) =
        problem::pack_for_import(&root, &mut problem).map_err(|e| Refused {
            problems: vec![finding_of(&root, &e)],
            warnings: warnings.clone(),
        })?;
    warnings = problem.warnings.clone();
    let validator = match (&problem.validation, &problem.output_validator) {
        (ValidationKind::Default, _) | (_, None) => None,
        (_, Some(path)) => Some(ValidatorRef {
            file: validator_file(&root, path),
        }),
    };
    Ok(Checked {
        problem,
        package,
        version,
        warnings,
        notes: Vec::new(),
        validator,
    })
}

/// The validator at `path` (relative to `root`) as a message names it: the
/// file itself when it is one file, alone or alone in its folder, else the folder.
fn validator_file(root: &Path, path: &Path) -> String {
    let full = root.join(path);
    let single = if full.is_file() {
        Some(full.clone())
    } else {
        let entries: Vec<PathBuf> = std::fs::read_dir(&full)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        match entries.as_slice() {
            [only] if only.is_file() => Some(only.clone()),
            _ => None,
        }
    };
    let shown = single.unwrap_or(full);
    shown
        .strip_prefix(root)
        .unwrap_or(&shown)
        .display()
        .to_string()
}

fn finding_of(root: &Path, e: &ProblemError) -> Finding {
    let file = e
        .file
        .strip_prefix(root)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| e.file.display().to_string());
    Finding {
        file: if file.is_empty() { ".".into() } else { file },
        line: e.line,
        message: e.message.clone(),
    }
}

/// Unpacks a tar (gzip-compressed or not) into `dest`. Every unsafe entry is
/// reported; if there is any, the caller must not use `dest`.
pub fn unpack(bytes: &[u8], dest: &Path, max_bytes: u64) -> Result<(), Vec<Finding>> {
    let reader: Box<dyn Read + '_> = if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(flate2::read::GzDecoder::new(bytes).take(max_bytes.saturating_mul(2) + 1))
    } else {
        Box::new(bytes)
    };
    let mut archive = tar::Archive::new(reader);
    let io = |e: std::io::Error| vec![Finding::new("", format!("not a readable tar archive: {e}"))];
    std::fs::create_dir_all(dest).map_err(io)?;
    let mut findings = Vec::new();
    let mut total = 0u64;
    let mut count = 0usize;
    for entry in archive.entries().map_err(io)? {
        let mut entry = entry.map_err(io)?;
        count += 1;
        let path = entry.path().map_err(io)?.into_owned();
        let shown = path.display().to_string();
        let escapes = path.components().any(|c| {
            matches!(
                c,
                Component::ParentDir | Component::RootDir | Component::Prefix(_)
            )
        });
        if escapes {
            findings.push(Finding::new(
                shown,
                "the path escapes the package (absolute or with ..); refused",
            ));
            continue;
        }
        let kind = entry.header().entry_type();
        if kind.is_symlink() || kind.is_hard_link() {
            findings.push(Finding::new(
                shown,
                "links are not allowed in a package; refused",
            ));
            continue;
        }
        if !(kind.is_file() || kind.is_dir()) {
            findings.push(Finding::new(
                shown,
                format!("unsupported entry type {kind:?}; only files and directories"),
            ));
            continue;
        }
        total += entry.header().size().unwrap_or(0);
        if total > max_bytes {
            return Err(vec![Finding::new(
                shown,
                format!("the package is larger than {max_bytes} bytes unpacked"),
            )]);
        }
        if findings.is_empty() {
            match entry.unpack_in(dest) {
                Ok(true) => {}
                Ok(false) => findings.push(Finding::new(shown, "the path escapes the package")),
                Err(e) => findings.push(Finding::new(shown, format!("cannot unpack: {e}"))),
            }
        }
    }
    if count == 0 {
        findings.push(Finding::new("", "the archive is empty (or not a tar)"));
    }
    if findings.is_empty() {
        Ok(())
    } else {
        Err(findings)
    }
}

/// Problems found without [`Problem::load`]: every `.in` without `.ans`
/// under `data/`, and YAML syntax errors in `problem.yaml` and every
/// `testdata.yaml` / `test_group.yaml`.
pub fn lint(root: &Path) -> Vec<Finding> {
    let mut findings = Vec::new();
    let rel = |p: &Path| p.strip_prefix(root).unwrap_or(p).display().to_string();
    let yaml = |path: &Path, findings: &mut Vec<Finding>| {
        if let Ok(text) = std::fs::read_to_string(path) {
            if let Err(e) = problem_package::yaml::from_str::<problem_package::yaml::Value>(&text) {
                findings.push(Finding {
                    file: rel(path),
                    line: e.line,
                    message: e.message,
                });
            }
        }
    };
    yaml(&root.join("problem.yaml"), &mut findings);
    let mut stack = vec![root.join("data")];
    while let Some(dir) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for path in entries {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            if path.is_dir() {
                stack.push(path);
            } else if name == "testdata.yaml" || name == "test_group.yaml" {
                yaml(&path, &mut findings);
            } else if let Some(stem) = name.strip_suffix(".in") {
                if !path.with_file_name(format!("{stem}.ans")).is_file() {
                    findings.push(Finding::new(
                        rel(&path),
                        format!("has no answer file {stem}.ans beside it"),
                    ));
                }
            }
        }
    }
    findings.sort_by(|a, b| a.file.cmp(&b.file));
    findings
}
