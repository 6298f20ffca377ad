//! What a submission is made of, read from disk: one file, several files,
//! or a directory (as a package's `submissions/<folder>/NAME/`), with the
//! language and the entry point.
//!
//! The language comes from `--lang`, else from the files as the problem
//! package format decides it ([`problem_package::language::detect`]: extensions,
//! and a `python2` shebang). Files that select no language (headers, data)
//! travel along; they are not compiled on their own.

use std::path::{Path, PathBuf};

use problem_package::language::{self, Undetected};
use problem_package::source::SourceFile;

use crate::error::CliError;

/// A submission ready to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Submission {
    pub language: String,
    pub files: Vec<SourceFile>,
    pub entry_point: Option<String>,
}

/// Reads `paths` (files, or directories whose files are taken, hidden ones
/// and subfolders left out) into a submission.
pub fn collect(
    paths: &[PathBuf],
    lang: Option<&str>,
    entry_point: Option<&str>,
) -> Result<Submission, CliError> {
    let mut named: Vec<(PathBuf, String)> = Vec::new();
    for path in paths {
        if path.is_dir() {
            let entries = std::fs::read_dir(path).map_err(|e| {
                CliError::Usage(format!("cannot list {}: {}", path.display(), io_reason(&e)))
            })?;
            let mut inside: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && !file_name(p).starts_with('.'))
                .collect();
            inside.sort();
            if inside.is_empty() {
                return Err(CliError::Usage(format!(
                    "{}: the folder has no files",
                    path.display()
                )));
            }
            named.extend(inside.into_iter().map(|p| {
                let name = file_name(&p);
                (p, name)
            }));
        } else {
            named.push((path.clone(), file_name(path)));
        }
    }
    let mut files = Vec::with_capacity(named.len());
    for (path, name) in &named {
        if files.iter().any(|f: &SourceFile| &f.name == name) {
            return Err(CliError::Usage(format!(
                "two files are named {name}: a submission's files need distinct names"
            )));
        }
        files.push(SourceFile {
            name: name.clone(),
            content: read_source(path)?,
        });
    }
    let language = match lang {
        Some(lang) => lang.trim().to_string(),
        None => detect(&named, &files)?,
    };
    Ok(Submission {
        language,
        files,
        entry_point: entry_point.map(str::to_string),
    })
}

/// The one language the files select; a refused language (Python 2) is an
/// error that says why.
fn detect(named: &[(PathBuf, String)], files: &[SourceFile]) -> Result<String, CliError> {
    let mut found: Vec<&str> = Vec::new();
    let mut first_problem = None;
    for ((path, _), file) in named.iter().zip(files) {
        match language::detect(&file.name, &file.content) {
            Ok(lang) => {
                if !found.contains(&lang.id) {
                    found.push(lang.id);
                }
            }
            Err(Undetected::Unsupported(why)) => {
                return Err(CliError::Usage(format!("{}: {why}", path.display())))
            }
            Err(other) => {
                first_problem.get_or_insert_with(|| format!("{}: {other}", path.display()));
            }
        }
    }
    match found.as_slice() {
        [one] => Ok(one.to_string()),
        [] => {
            let known: Vec<&str> = language::LANGUAGES.iter().map(|l| l.id).collect();
            Err(CliError::Usage(format!(
                "{}; pass --lang ({})",
                first_problem.unwrap_or_else(|| "no files".into()),
                known.join(", ")
            )))
        }
        several => Err(CliError::Usage(format!(
            "the files select several languages ({}); pass --lang",
            several.join(", ")
        ))),
    }
}

/// Reads a source: it must exist and be UTF-8.
pub fn read_source(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::Usage(format!("cannot read {}: {}", path.display(), io_reason(&e)))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{} is not UTF-8 text (invalid byte at offset {}); the judge accepts UTF-8 source only",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

pub fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &[u8]) -> PathBuf {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, text).unwrap();
        path
    }

    #[test]
    fn language_comes_from_the_files_unless_given() {
        let dir = tempfile::tempdir().unwrap();
        let cpp = write(dir.path(), "a/sol.cpp", b"int main(){}");
        let py = write(dir.path(), "sol.py", b"print(1)");
        let txt = write(dir.path(), "dir/sol.txt", b"x");
        let make = write(dir.path(), "Makefile", b"x");
        let one = |p: &PathBuf, lang| collect(std::slice::from_ref(p), lang, None);
        assert_eq!(one(&cpp, None).unwrap().language, "cpp");
        assert_eq!(one(&cpp, None).unwrap().files[0].name, "sol.cpp");
        assert_eq!(one(&py, None).unwrap().language, "python3");
        assert_eq!(one(&txt, Some("python3")).unwrap().language, "python3");
        let e = one(&txt, None).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.message().contains("dir/sol.txt") && e.message().contains(".txt"),
            "{e}"
        );
        let e = one(&make, None).unwrap_err();
        assert!(e.message().contains("no extension"), "{e}");
    }

    #[test]
    fn python2_is_refused_with_the_reason() {
        let dir = tempfile::tempdir().unwrap();
        let old = write(
            dir.path(),
            "old.py",
            b"#!/usr/bin/python2\nprint raw_input()\n",
        );
        let e = collect(&[old], None, None).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(e.message().contains("Python 2"), "{e}");
    }

    #[test]
    fn a_folder_or_several_files_make_one_submission() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "multi/main.cpp",
            b"#include \"util.h\"\nint main(){}",
        );
        write(dir.path(), "multi/util.h", b"int f();");
        write(dir.path(), "multi/util.cpp", b"int f(){return 1;}");
        write(dir.path(), "multi/.hidden", b"x");
        let s = collect(&[dir.path().join("multi")], None, None).unwrap();
        assert_eq!(s.language, "cpp");
        let names: Vec<&str> = s.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["main.cpp", "util.cpp", "util.h"]);

        let a = write(dir.path(), "x/A.java", b"class A {}");
        let b = write(dir.path(), "y/A.java", b"class A {}");
        let e = collect(&[a.clone(), b], None, None).unwrap_err();
        assert!(e.message().contains("two files are named A.java"), "{e}");

        let c = write(dir.path(), "z/b.c", b"int main(){}");
        let e = collect(&[a, c], None, None).unwrap_err();
        assert!(e.message().contains("several languages"), "{e}");

        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        assert!(collect(&[empty], None, None).is_err());
    }

    #[test]
    fn sources_must_exist_and_be_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.py");
        let e = read_source(&missing).unwrap_err();
        assert!(
            e.message().contains("nope.py") && e.message().contains("no such file"),
            "{e}"
        );
        let latin1 = dir.path().join("latin1.py");
        std::fs::write(&latin1, b"print('caf\xe9')").unwrap();
        let e = read_source(&latin1).unwrap_err();
        assert!(
            e.message().contains("latin1.py") && e.message().contains("UTF-8"),
            "{e}"
        );
        assert!(e.message().contains("offset 10"), "{e}");
    }
}
