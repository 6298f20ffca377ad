//! Included code: files a package adds to every submission before it is
//! compiled (a driver with `main`, a header, a grader library).
//!
//! The format keeps them in `include/<language>/`, by the language codes of
//! its languages table (`cpp`, `python3`, `java`, ...); `include/default/`
//! applies to every language. They are copied into the submission's files,
//! overwriting a submitted file of the same name, and a driver that is the
//! program's entry point carries the language's default entry name
//! (`main.py`, `Main.java`), so the usual entry-point rules find it.

use std::path::Path;

use crate::language::{Language, LANGUAGES};
use crate::problem::error::ProblemError;
use crate::source::{check_file_name, SourceFile};

/// The folder below the package root.
pub const DIR: &str = "include";
/// Files for every language.
pub const DEFAULT: &str = "default";
/// Largest total size of one language's included files.
const MAX_BYTES: u64 = 1 << 20;

/// The format's language code of a language: variants chosen by id share
/// their language's code (`cpp17` and `cpp23` are `cpp`, `cpython3` is
/// `python3`, as the package's authors name them).
pub fn package_code(lang: &Language) -> &str {
    match lang.id {
        "cpp17" | "cpp23" => "cpp",
        "cpython3" => "python3",
        id => id,
    }
}

/// Checks `include/` at load time: every folder a known language code (or
/// `default`), holding plain files with names a submission may have.
/// Returns warnings for folders of languages this judge does not run.
pub fn check(root: &Path) -> Result<Vec<String>, ProblemError> {
    let dir = root.join(DIR);
    if !dir.exists() {
        return Ok(Vec::new());
    }
    let mut warnings = Vec::new();
    for entry in read_dir(&dir)? {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_dir() {
            return Err(ProblemError::new(
                &path,
                "include/ holds one folder per language code (include/cpp/, include/default/)",
            ));
        }
        let known = name == DEFAULT || LANGUAGES.iter().any(|l| package_code(l) == name);
        if !known {
            warnings.push(format!(
                "include/{name}/: no language of this judge has the code {name:?}; ignored"
            ));
            continue;
        }
        read_files(&path)?;
    }
    Ok(warnings)
}

/// The files to add to a submission in `lang`: `include/default/`, then
/// `include/<code>/` over it.
pub fn files(root: &Path, lang: &Language) -> Result<Vec<SourceFile>, ProblemError> {
    let mut files: Vec<SourceFile> = Vec::new();
    for folder in [DEFAULT, package_code(lang)] {
        let dir = root.join(DIR).join(folder);
        if dir.is_dir() {
            for file in read_files(&dir)? {
                files.retain(|f| f.name != file.name);
                files.push(file);
            }
        }
    }
    Ok(files)
}

/// `files` laid over a submission's: an included file replaces a submitted
/// one of the same name, as the format says.
pub fn merge(submitted: Vec<SourceFile>, included: Vec<SourceFile>) -> Vec<SourceFile> {
    let mut merged: Vec<SourceFile> = submitted
        .into_iter()
        .filter(|s| !included.iter().any(|i| i.name == s.name))
        .collect();
    merged.extend(included);
    merged
}

fn read_dir(dir: &Path) -> Result<Vec<std::fs::DirEntry>, ProblemError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| ProblemError::new(dir, format!("cannot list: {e}")))?
        .filter_map(Result::ok)
        .filter(|e| !e.file_name().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort_by_key(|e| e.file_name());
    Ok(entries)
}

fn read_files(dir: &Path) -> Result<Vec<SourceFile>, ProblemError> {
    let mut files = Vec::new();
    let mut total = 0;
    for entry in read_dir(dir)? {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if !path.is_file() {
            return Err(ProblemError::new(
                &path,
                "included files must be plain files: submissions have no folders",
            ));
        }
        check_file_name(&name).map_err(|e| ProblemError::new(&path, e.to_string()))?;
        let bytes = std::fs::read(&path).map_err(|e| ProblemError::new(&path, e.to_string()))?;
        total += bytes.len() as u64;
        if total > MAX_BYTES {
            return Err(ProblemError::new(
                dir,
                format!("included files are larger than {} KiB", MAX_BYTES >> 10),
            ));
        }
        let content = String::from_utf8(bytes)
            .map_err(|_| ProblemError::new(&path, "included files must be UTF-8 text"))?;
        files.push(SourceFile { name, content });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::by_id;

    fn write(root: &Path, path: &str, text: &str) {
        let p = root.join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    fn file(name: &str, content: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            content: content.into(),
        }
    }

    #[test]
    fn language_files_lie_over_the_default_ones() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "include/default/common.h", "default");
        write(dir.path(), "include/cpp/common.h", "cpp");
        write(dir.path(), "include/cpp/driver.cpp", "int main(){}");
        write(dir.path(), "include/python3/main.py", "import solution");
        let cpp17 = by_id("cpp17").unwrap();
        let got = files(dir.path(), cpp17).unwrap();
        assert_eq!(
            got,
            [file("common.h", "cpp"), file("driver.cpp", "int main(){}")]
        );
        let py = by_id("cpython3").unwrap();
        let names: Vec<String> = files(dir.path(), py)
            .unwrap()
            .into_iter()
            .map(|f| f.name)
            .collect();
        assert_eq!(names, ["common.h", "main.py"]);
        assert!(files(dir.path(), by_id("go").unwrap())
            .unwrap()
            .iter()
            .all(|f| f.content == "default"));
        assert_eq!(check(dir.path()).unwrap(), Vec::<String>::new());
    }

    #[test]
    fn included_files_replace_submitted_ones() {
        let merged = merge(
            vec![file("main.py", "mine"), file("solution.py", "mine")],
            vec![file("main.py", "driver")],
        );
        assert_eq!(
            merged,
            [file("solution.py", "mine"), file("main.py", "driver")]
        );
    }

    #[test]
    fn bad_folders_are_named() {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "include/cobra/x.cob", "");
        assert!(check(dir.path()).unwrap()[0].contains("cobra"));
        write(dir.path(), "include/cpp/sub/x.h", "");
        let err = check(dir.path()).unwrap_err();
        assert!(err.file.ends_with("include/cpp/sub"), "{err}");

        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "include/stray.h", "");
        assert!(check(dir.path()).is_err());
    }
}
