//! Finding and reading a package's validator: one file, several of one
//! language, or a directory with `build` / `run` scripts.

use std::path::{Path, PathBuf};

use problem_package::language::{self, Language};
use problem_package::problem::Problem;
use problem_package::source::{Program, SourceFile};

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
    // JVM validators get their heap from the package's validation memory.
    let memory_mb = problem.validation_limits.memory_mb;
    let name = |p: &Path| {
        p.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    };
    if path.is_file() {
        let lang = language::by_file_name(&name(&path))
            .ok_or_else(|| format!("{}: unknown validator language", relative.display()))?;
        let code = std::fs::read(&path).map_err(|e| format!("{}: {e}", relative.display()))?;
        return Ok(single_source(lang, code, Vec::new(), memory_mb));
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
            Ok(single_source(lang, code, files, memory_mb))
        }
        [] => Err(format!(
            "{}: no validator source and no build/run script",
            relative.display()
        )),
        several => several_sources(relative, several, files, memory_mb),
    }
}

/// A validator of several source files of one language (the format allows
/// it for C and C++; for Python the entry is `__main__.py`): compiled
/// together, as a submission of several files is.
fn several_sources(
    relative: &Path,
    sources: &[usize],
    files: Vec<(String, Vec<u8>, bool)>,
    memory_mb: u64,
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
            .then(|| lang.command(lang.compile, &program, memory_mb)),
        run: lang.command(lang.run, &program, memory_mb),
    })
}

fn single_source(
    lang: &'static Language,
    code: Vec<u8>,
    mut others: Vec<(String, Vec<u8>, bool)>,
    memory_mb: u64,
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
            .then(|| lang.command(lang.compile, &program, memory_mb)),
        run: lang.command(lang.run, &program, memory_mb),
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

#[cfg(test)]
mod tests {
    use super::*;

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
