//! The files a problem statement refers to: figures (`\includegraphics`,
//! `\illustration`, Markdown `![..](fig.png)`) and attachments in the
//! statement folder (`problem_statement/` or `statement/`).
//!
//! At load, [`collect`] lists the files the judge will serve, by name only,
//! into [`Statement::assets`]: the summary stays small because every problem
//! list carries it. The bytes stay in the package tar that is already stored
//! by version; [`extract`] takes them out of it when the API first serves
//! one, so every way of storing a version (the problems directory at start,
//! an admin import, whatever comes later) gets its figures for free.
//!
//! What is served is limited on purpose, since it is shown to every user:
//! image, PDF and text types only, plain relative names (no `..`, no absolute
//! paths, no hidden files, no links), and size caps so that a statement
//! folder full of sources or a huge scan cannot bloat Redis.

use std::collections::BTreeSet;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::problem::error::ProblemError;

/// The statement text and its format.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Statement {
    /// `md` or `tex`.
    pub format: String,
    pub text: String,
    /// The folder it was found in (`problem_statement` or `statement`), where its files are.
    #[serde(default)]
    pub dir: String,
    /// Its files that the API serves (figures, attachments), relative to `dir`;
    /// see [`crate::statement`]. Absent in summaries stored before there were any.
    #[serde(default)]
    pub assets: Vec<String>,
}

/// Largest single statement file that is served.
pub const MAX_ASSET_BYTES: u64 = 4 << 20;
/// Largest total of a statement's served files.
pub const MAX_ASSETS_TOTAL_BYTES: u64 = 16 << 20;
/// Most files served per statement.
pub const MAX_ASSETS: usize = 100;
/// How deep below the statement folder files are looked for (`fig/a.png` is depth 2).
const MAX_DEPTH: usize = 3;

/// Served extensions (lower case) and their content types.
pub const CONTENT_TYPES: &[(&str, &str)] = &[
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("pdf", "application/pdf"),
    ("txt", "text/plain; charset=utf-8"),
];

/// The content type a statement file is served with, by its extension
/// (case-insensitive); `None` for a type that is not served.
pub fn content_type(name: &str) -> Option<&'static str> {
    let (_, ext) = name.rsplit_once('.')?;
    let ext = ext.to_ascii_lowercase();
    CONTENT_TYPES
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, t)| *t)
}

/// Whether `name` is a safe relative name below the statement folder:
/// 1 to [`MAX_DEPTH`] `/`-separated parts of `[A-Za-z0-9._+-]`, none empty,
/// none starting with a dot (so no `.`, `..` or hidden files), at most 200
/// bytes in all. Nothing else can name a file outside the folder, and the
/// name can go into a URL and a header without escaping trouble.
pub fn is_safe_name(name: &str) -> bool {
    if name.is_empty() || name.len() > 200 {
        return false;
    }
    let parts: Vec<&str> = name.split('/').collect();
    parts.len() <= MAX_DEPTH
        && parts.iter().all(|p| {
            !p.is_empty()
                && !p.starts_with('.')
                && p.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+'))
        })
}

/// Lists the files of the statement folder `dir` that are served (see the
/// module doc), sorted, as names relative to `dir`. Files of a served type
/// that are left out (unsafe name, too large, too many) get a warning naming
/// them; other files (the statement sources, other languages' statements,
/// `.sty` files) are not statement assets and are passed over silently.
pub fn collect(dir: &Path, warnings: &mut Vec<String>) -> Result<Vec<String>, ProblemError> {
    let mut found = Vec::new();
    walk(dir, dir, 1, &mut found)?;
    found.sort();
    let shown = |rel: &str| format!("{}/{rel}", file_name(dir));
    let mut assets = Vec::new();
    let mut total = 0u64;
    for (rel, size) in found {
        if content_type(&rel).is_none() {
            continue;
        }
        if !is_safe_name(&rel) {
            warnings.push(format!(
                "{}: not served with the statement: names may hold only letters, digits and . _ + - (and at most {} folder levels)",
                shown(&rel),
                MAX_DEPTH - 1
            ));
        } else if size > MAX_ASSET_BYTES {
            warnings.push(format!(
                "{}: not served with the statement: {} bytes, the limit is {} MiB per file",
                shown(&rel),
                size,
                MAX_ASSET_BYTES >> 20
            ));
        } else if total + size > MAX_ASSETS_TOTAL_BYTES || assets.len() == MAX_ASSETS {
            warnings.push(format!(
                "{}: not served with the statement: the statement's files may be at most {} and {} MiB in all",
                shown(&rel),
                MAX_ASSETS,
                MAX_ASSETS_TOTAL_BYTES >> 20
            ));
        } else {
            total += size;
            assets.push(rel);
        }
    }
    Ok(assets)
}

/// Regular files below `dir` (relative to `base`, with `/`) and their sizes.
/// Links are not followed: [`crate::problem::pack`] leaves them out too.
fn walk(
    base: &Path,
    dir: &Path,
    depth: usize,
    found: &mut Vec<(String, u64)>,
) -> Result<(), ProblemError> {
    let entries = std::fs::read_dir(dir).map_err(|e| ProblemError {
        file: dir.to_path_buf(),
        line: None,
        message: format!("cannot list: {e}"),
    })?;
    for entry in entries.filter_map(|e| e.ok()) {
        let path = entry.path();
        let Ok(meta) = std::fs::symlink_metadata(&path) else {
            continue;
        };
        let rel: PathBuf = path.strip_prefix(base).unwrap_or(&path).to_path_buf();
        let rel = rel.to_string_lossy().replace('\\', "/");
        if meta.is_dir() {
            // Hidden folders (.git, .svn) hold nothing a statement shows.
            if depth < MAX_DEPTH && !file_name(&path).starts_with('.') {
                walk(base, &path, depth + 1, found)?;
            }
        } else if meta.is_file() && !file_name(&path).starts_with('.') {
            found.push((rel, meta.len()));
        }
    }
    Ok(())
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Takes the statement's served files out of a package tar made by
/// [`crate::problem::pack`]: `(name, bytes)` for every name in
/// `statement.assets` found under `statement.dir`, with the size caps
/// applied again (the tar is trusted no more than the folder was).
pub fn extract(package: &[u8], statement: &Statement) -> std::io::Result<Vec<(String, Vec<u8>)>> {
    let wanted: BTreeSet<&str> = statement.assets.iter().map(String::as_str).collect();
    let mut out = Vec::new();
    if wanted.is_empty() || statement.dir.is_empty() {
        return Ok(out);
    }
    let prefix = format!("{}/", statement.dir.trim_end_matches('/'));
    let mut total = 0u64;
    let mut archive = tar::Archive::new(package);
    for entry in archive.entries()? {
        let entry = entry?;
        if entry.header().entry_type() != tar::EntryType::Regular {
            continue;
        }
        let path = entry.path()?.to_string_lossy().replace('\\', "/");
        let Some(name) = path.strip_prefix(&prefix) else {
            continue;
        };
        let size = entry.header().size()?;
        if !wanted.contains(name) || size > MAX_ASSET_BYTES || total + size > MAX_ASSETS_TOTAL_BYTES
        {
            continue;
        }
        total += size;
        let name = name.to_string();
        let mut bytes = Vec::with_capacity(size as usize);
        entry.take(size).read_to_end(&mut bytes)?;
        out.push((name, bytes));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_plain_relative_paths() {
        for good in [
            "fig.png",
            "Figure_1.PNG",
            "img/a-b+c.svg",
            "a/b/c.txt",
            "x.tar.gz",
        ] {
            assert!(is_safe_name(good), "{good}");
        }
        for bad in [
            "",
            "../secret.png",
            "a/../b.png",
            "/etc/passwd",
            ".hidden.png",
            "img/.x.png",
            "a//b.png",
            "a/b/c/d.png",
            "with space.png",
            "quote\".png",
            "back\\slash.png",
            "new\nline.png",
            "ünïcode.png",
            "./fig.png",
            "fig.png/",
        ] {
            assert!(!is_safe_name(bad), "{bad:?}");
        }
        assert!(!is_safe_name(&"a".repeat(201)));
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type("a.png"), Some("image/png"));
        assert_eq!(content_type("a.JPG"), Some("image/jpeg"));
        assert_eq!(content_type("a.jpeg"), Some("image/jpeg"));
        assert_eq!(content_type("a.svg"), Some("image/svg+xml"));
        assert_eq!(content_type("a.pdf"), Some("application/pdf"));
        assert_eq!(content_type("a.txt"), Some("text/plain; charset=utf-8"));
        assert_eq!(content_type("a.gif"), Some("image/gif"));
        for none in ["a.tex", "a.html", "a.js", "png", "a.png.exe", "a."] {
            assert_eq!(content_type(none), None, "{none}");
        }
    }

    fn write(root: &Path, rel: &str, bytes: &[u8]) {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }

    #[test]
    fn collect_lists_served_files_and_warns_about_the_ones_left_out() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("problem_statement");
        write(&dir, "problem.en.tex", b"\\problemname{X}");
        write(&dir, "problem.sv.tex", b"");
        write(&dir, "fig.png", b"png");
        write(&dir, "img/b.svg", b"<svg/>");
        write(&dir, "a/b/c/too-deep.png", b"x");
        write(&dir, ".DS_Store", b"x");
        write(&dir, ".git/x.png", b"x");
        write(&dir, "my figure.png", b"x");
        write(&dir, "notes.txt", b"hello");
        write(&dir, "huge.pdf", &vec![0u8; MAX_ASSET_BYTES as usize + 1]);
        std::os::unix::fs::symlink("/etc/hostname", dir.join("link.png")).unwrap();
        let mut warnings = Vec::new();
        let assets = collect(&dir, &mut warnings).unwrap();
        assert_eq!(assets, ["fig.png", "img/b.svg", "notes.txt"]);
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings
            .iter()
            .any(|w| w.starts_with("problem_statement/my figure.png: not served")));
        assert!(warnings
            .iter()
            .any(|w| w.starts_with("problem_statement/huge.pdf:") && w.contains("4 MiB")));
    }

    #[test]
    fn collect_caps_the_count() {
        let tmp = tempfile::tempdir().unwrap();
        for i in 0..MAX_ASSETS + 2 {
            write(tmp.path(), &format!("f{i:03}.png"), b"x");
        }
        let mut warnings = Vec::new();
        let assets = collect(tmp.path(), &mut warnings).unwrap();
        assert_eq!(assets.len(), MAX_ASSETS);
        assert_eq!(warnings.len(), 2);
    }

    #[test]
    fn extract_takes_only_the_listed_files_from_the_statement_folder() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path().join("p");
        write(&root, "statement/problem.en.md", b"![x](fig.png)");
        write(&root, "statement/fig.png", b"PNGDATA");
        write(&root, "statement/img/b.svg", b"<svg/>");
        write(&root, "statement/unlisted.png", b"no");
        write(&root, "data/secret/fig.png", b"SECRET");
        let (tar, _) = crate::problem::pack::pack(&root).unwrap();
        let statement = Statement {
            format: "md".into(),
            text: String::new(),
            dir: "statement".into(),
            assets: vec!["fig.png".into(), "img/b.svg".into(), "gone.png".into()],
        };
        let files = extract(&tar, &statement).unwrap();
        assert_eq!(
            files,
            [
                ("fig.png".to_string(), b"PNGDATA".to_vec()),
                ("img/b.svg".to_string(), b"<svg/>".to_vec())
            ]
        );
        let none = Statement {
            assets: Vec::new(),
            ..statement
        };
        assert!(extract(&tar, &none).unwrap().is_empty());
    }
}
