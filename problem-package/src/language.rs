//! The one table of supported languages.
//!
//! Commands are argument vectors run by the in-container runner with the
//! working directory `/work/build`. Placeholders, filled from the
//! submission's [`Program`]: `{files}` becomes one argument per source file
//! of the language (in name order), `{entry}` the entry file's name (scripts
//! run under their submitted name, so `argv[0]` is what the author expects),
//! `{class}` the Java or Kotlin main class, and `{memory_mb}` the problem's
//! memory limit.

/// A language the judge compiles and runs.
#[derive(Debug, PartialEq)]
pub struct Language {
    /// Stable id used in the API and the job (`cpp`, `python3`, ...).
    pub id: &'static str,
    /// Human name with the compiler and flags.
    pub name: &'static str,
    /// File extensions that select this language, as in the Kattis languages appendix.
    pub extensions: &'static [&'static str],
    /// Sandbox image built from `sandbox-images/<id>/Dockerfile`.
    pub image: &'static str,
    /// The name of a source given without one (the editor's code), and the
    /// spec's default entry file where it names one (`main.py`, `main.js`).
    pub default_file: &'static str,
    /// How the program's entry point is found among its files.
    pub entry: Entry,
    /// Empty when there is nothing to compile.
    pub compile: &'static [&'static str],
    pub run: &'static [&'static str],
    /// Extra environment for compile and run.
    pub env: &'static [(&'static str, &'static str)],
    /// The problem's time limit is multiplied by this for the language.
    pub time_multiplier: f64,
    /// Editor mode name for the web editor.
    pub editor_mode: &'static str,
}

/// Flags follow Kattis and DOMjudge, whose settings contest packages are
/// written and timed for (docs/problem-authors.md, "Languages", says why each):
/// `-O2` and static linking for C and C++, the stack protector and
/// `_FORTIFY_SOURCE` their Ubuntu compilers turn on by default, GNU dialects,
/// the JVM with its optimising JIT, a serial GC and a large thread stack, and
/// no per-language time multiplier.
///
/// An extension selects the first language listing it; later languages with
/// the same extensions are variants chosen by id (`cpp17`, `cpp23`,
/// `cpython3`), and they own the same files when given several.
pub const LANGUAGES: &[Language] = &[
    Language {
        id: "c",
        name: "C17 (gcc 12 -O2 -static)",
        extensions: &["c"],
        image: "judge-lang-c",
        default_file: "main.c",
        entry: Entry::Build,
        compile: &[
            "gcc",
            "-O2",
            "-std=gnu17",
            "-static",
            "-fstack-protector-strong",
            "-D_FORTIFY_SOURCE=2",
            "-DONLINE_JUDGE",
            "-pipe",
            "-o",
            "main",
            "{files}",
            "-lm",
        ],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "c",
    },
    Language {
        id: "cpp",
        name: "C++20 (g++ 12 -std=gnu++20 -O2 -static)",
        extensions: &["cc", "cpp", "cxx", "c++", "C"],
        image: "judge-lang-cpp",
        default_file: "main.cpp",
        entry: Entry::Build,
        compile: &[
            "g++",
            "-O2",
            "-std=gnu++20",
            "-static",
            "-fstack-protector-strong",
            "-D_FORTIFY_SOURCE=2",
            "-DONLINE_JUDGE",
            "-pipe",
            "-o",
            "main",
            "{files}",
        ],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "cpp",
    },
    Language {
        id: "cpp23",
        name: "C++23 (g++ 12 -std=gnu++23 -O2 -static; g++ 12 has part of C++23)",
        extensions: &["cc", "cpp", "cxx", "c++", "C"],
        image: "judge-lang-cpp",
        default_file: "main.cpp",
        entry: Entry::Build,
        compile: &[
            "g++",
            "-O2",
            "-std=gnu++23",
            "-static",
            "-fstack-protector-strong",
            "-D_FORTIFY_SOURCE=2",
            "-DONLINE_JUDGE",
            "-pipe",
            "-o",
            "main",
            "{files}",
        ],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "cpp",
    },
    Language {
        id: "cpp17",
        name: "C++17 (g++ 12 -std=gnu++17 -O2 -static)",
        extensions: &["cc", "cpp", "cxx", "c++", "C"],
        image: "judge-lang-cpp",
        default_file: "main.cpp",
        entry: Entry::Build,
        compile: &[
            "g++",
            "-O2",
            "-std=gnu++17",
            "-static",
            "-fstack-protector-strong",
            "-D_FORTIFY_SOURCE=2",
            "-DONLINE_JUDGE",
            "-pipe",
            "-o",
            "main",
            "{files}",
        ],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "cpp",
    },
    // Python 3 is PyPy, as on Kattis: contest time limits assume it.
    Language {
        id: "python3",
        name: "Python 3 (PyPy 7.3, Python 3.9)",
        extensions: &["py", "py3"],
        image: "judge-lang-pypy3",
        default_file: "main.py",
        entry: Entry::Script,
        compile: &["pypy3", "-m", "py_compile", "{files}"],
        run: &["pypy3", "{entry}"],
        env: &[
            ("PYTHONDONTWRITEBYTECODE", "1"),
            ("PYTHONIOENCODING", "utf-8"),
        ],
        time_multiplier: 1.0,
        editor_mode: "python",
    },
    Language {
        id: "cpython3",
        name: "Python 3 (CPython 3.11)",
        extensions: &["py", "py3"],
        image: "judge-lang-python3",
        default_file: "main.py",
        entry: Entry::Script,
        compile: &["python3", "-m", "py_compile", "{files}"],
        run: &["python3", "{entry}"],
        env: &[
            ("PYTHONDONTWRITEBYTECODE", "1"),
            ("PYTHONIOENCODING", "utf-8"),
        ],
        time_multiplier: 1.0,
        editor_mode: "python",
    },
    Language {
        id: "java",
        name: "Java 17 (OpenJDK)",
        extensions: &["java"],
        image: "judge-lang-java",
        default_file: "Main.java",
        entry: Entry::JavaClass,
        compile: &[
            "javac",
            "-encoding",
            "UTF-8",
            "-J-Xss64m",
            "-d",
            ".",
            "{files}",
        ],
        run: &[
            "java",
            "-Dfile.encoding=UTF-8",
            "-XX:+UseSerialGC",
            "-Xss128m",
            "-Xms{memory_mb}m",
            "-Xmx{memory_mb}m",
            "-cp",
            ".",
            "{class}",
        ],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "java",
    },
    Language {
        id: "kotlin",
        name: "Kotlin 2.4 (kotlinc, JVM 17)",
        extensions: &["kt"],
        image: "judge-lang-kotlin",
        default_file: "Main.kt",
        entry: Entry::KotlinFile,
        compile: &["kotlinc", "-d", ".", "{files}"],
        // The program runs on the JVM directly (as `kotlin` would, without
        // its launcher script), with Java's flags.
        run: &[
            "java",
            "-Dfile.encoding=UTF-8",
            "-XX:+UseSerialGC",
            "-Xss128m",
            "-Xms{memory_mb}m",
            "-Xmx{memory_mb}m",
            "-cp",
            ".:/opt/kotlinc/lib/kotlin-stdlib.jar",
            "{class}",
        ],
        // Read only by the kotlinc script, not by `java`: the compiler is a
        // short JVM run, so C1 alone compiles it faster, and a small first
        // heap keeps it within small problems' memory.
        env: &[(
            "JAVA_OPTS",
            "-Xms64m -Xmx512m -XX:+UseSerialGC -XX:TieredStopAtLevel=1",
        )],
        time_multiplier: 1.0,
        editor_mode: "kotlin",
    },
    Language {
        id: "rust",
        name: "Rust 2021 (rustc -O)",
        extensions: &["rs"],
        image: "judge-lang-rust",
        default_file: "main.rs",
        entry: Entry::MainFile,
        compile: &["rustc", "-O", "--edition", "2021", "-o", "main", "{entry}"],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "rust",
    },
    Language {
        id: "go",
        name: "Go",
        extensions: &["go"],
        image: "judge-lang-go",
        default_file: "main.go",
        entry: Entry::Build,
        compile: &["go", "build", "-o", "main", "{files}"],
        run: &["./main"],
        env: &[
            ("GOCACHE", "/tmp/gocache"),
            ("GOPATH", "/tmp/gopath"),
            ("GO111MODULE", "off"),
            ("CGO_ENABLED", "0"),
        ],
        time_multiplier: 1.0,
        editor_mode: "go",
    },
    Language {
        id: "javascript",
        name: "JavaScript (Node.js)",
        extensions: &["js"],
        image: "judge-lang-javascript",
        default_file: "main.js",
        entry: Entry::Script,
        compile: &["node", "--check", "{entry}"],
        run: &["node", "{entry}"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "javascript",
    },
    // GHC finds the modules the main file imports in the build directory.
    // -v0 keeps the compile output to errors and warnings.
    Language {
        id: "haskell",
        name: "Haskell (GHC 9.0 -O2)",
        extensions: &["hs"],
        image: "judge-lang-haskell",
        default_file: "Main.hs",
        entry: Entry::MainFile,
        compile: &["ghc", "-O2", "-v0", "-o", "main", "{entry}"],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "haskell",
    },
];

/// How a language's entry point is found among a submission's files
/// (see [`crate::source::Program::new`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Entry {
    /// Every source is compiled into one program (C, C++, Go).
    Build,
    /// The entry file is run by an interpreter: the one named, else the
    /// only one, else the default file (`main.py`, `main.js`).
    Script,
    /// The compiler is given the main file and finds the rest itself
    /// (Rust's crate root, Haskell's `Main`): as [`Entry::Script`], else the
    /// one file that defines `main`.
    MainFile,
    /// The class with a `main` method, public or not (Java).
    JavaClass,
    /// `<File>Kt` of the file with the top-level `fun main` (Kotlin).
    KotlinFile,
}

/// Looks a language up by its id.
pub fn by_id(id: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.id == id)
}

/// Infers the language from a file name's extension (`sol.cpp` -> C++).
pub fn by_file_name(file_name: &str) -> Option<&'static Language> {
    let ext = file_name.rsplit_once('.')?.1;
    LANGUAGES.iter().find(|l| l.extensions.contains(&ext))
}

/// Why a file's language cannot be judged.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Undetected {
    #[error("{0}")]
    Unsupported(String),
    #[error("the extension .{0} selects no language")]
    UnknownExtension(String),
    #[error("it has no extension to tell the language by")]
    NoExtension,
}

/// The language of a file as the problem package format decides it: by
/// extension, and for Python by the shebang too (a `python2` shebang on a
/// `.py` file is Python 2, as problemtools reads it).
pub fn detect(file_name: &str, content: &str) -> Result<&'static Language, Undetected> {
    let Some((_, ext)) = file_name.rsplit_once('.') else {
        return Err(Undetected::NoExtension);
    };
    let first_line = content.lines().next().unwrap_or("");
    let python2_shebang = first_line.starts_with("#!") && first_line.contains("python2");
    if ext == "py2" || (ext == "py" && python2_shebang) {
        return Err(Undetected::Unsupported(
            "Python 2 is not supported: it reached its end of life in 2020 and Debian 12 no longer ships it; submit it as Python 3".into(),
        ));
    }
    by_file_name(file_name).ok_or_else(|| Undetected::UnknownExtension(ext.to_string()))
}

impl Language {
    /// Whether a file is one of this language's sources (by extension).
    pub fn owns(&self, file_name: &str) -> bool {
        file_name
            .rsplit_once('.')
            .is_some_and(|(_, ext)| self.extensions.contains(&ext))
    }

    /// Time limit for this language, given the problem's.
    pub fn time_limit_ms(&self, problem_ms: u64) -> u64 {
        (problem_ms as f64 * self.time_multiplier).round() as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_select_languages_as_kattis_does() {
        assert_eq!(by_file_name("a.cc").unwrap().id, "cpp");
        assert_eq!(by_file_name("x.y.cpp").unwrap().id, "cpp");
        assert_eq!(by_file_name("sol.py").unwrap().id, "python3");
        assert_eq!(by_file_name("Main.java").unwrap().id, "java");
        assert_eq!(by_file_name("a.rs").unwrap().id, "rust");
        assert_eq!(by_file_name("a.go").unwrap().id, "go");
        assert_eq!(by_file_name("a.js").unwrap().id, "javascript");
        assert_eq!(by_file_name("a.c").unwrap().id, "c");
        assert!(by_file_name("a.txt").is_none());
        assert!(by_file_name("noext").is_none());
    }

    #[test]
    fn python2_is_refused_with_the_reason() {
        let err = detect("a.py", "#!/usr/bin/python2\nprint raw_input()\n").unwrap_err();
        assert!(err.to_string().contains("Python 2"), "{err}");
        assert!(detect("a.py2", "print 1").is_err());
        assert_eq!(
            detect("a.py", "#!/usr/bin/env python3\nprint(1)")
                .unwrap()
                .id,
            "python3"
        );
        assert_eq!(detect("a.py", "print(1)").unwrap().id, "python3");
        assert_eq!(
            detect("a.txt", "").unwrap_err(),
            Undetected::UnknownExtension("txt".into())
        );
        assert_eq!(detect("noext", "").unwrap_err(), Undetected::NoExtension);
    }

    #[test]
    fn ids_are_unique_and_variants_share_the_default_extensions() {
        for (i, a) in LANGUAGES.iter().enumerate() {
            for b in &LANGUAGES[i + 1..] {
                assert_ne!(a.id, b.id);
                // Two languages with one extension: the later one is a
                // variant with exactly the default's extensions.
                if a.extensions.iter().any(|e| b.extensions.contains(e)) {
                    assert_eq!(a.extensions, b.extensions, "{} and {}", a.id, b.id);
                }
                // One image serves only variants of one toolchain.
                if a.image == b.image {
                    assert_eq!(a.extensions, b.extensions, "{} and {}", a.id, b.id);
                }
            }
        }
    }

    #[test]
    fn defaults_are_what_contest_judges_use() {
        // Kattis judges `python3` with PyPy and C++ with a current standard.
        assert_eq!(by_file_name("a.py").unwrap().image, "judge-lang-pypy3");
        assert_eq!(by_file_name("a.py3").unwrap().id, "python3");
        assert_eq!(by_id("cpython3").unwrap().run[0], "python3");
        assert!(by_file_name("a.cpp")
            .unwrap()
            .compile
            .contains(&"-std=gnu++20"));
        assert!(by_id("cpp17").unwrap().compile.contains(&"-std=gnu++17"));
        assert!(by_id("cpp23").unwrap().compile.contains(&"-std=gnu++23"));
        assert_eq!(by_file_name("Sol.kt").unwrap().id, "kotlin");
        assert_eq!(by_file_name("sol.hs").unwrap().id, "haskell");
        for lang in LANGUAGES {
            // No language is given more time than the package says.
            assert_eq!(lang.time_multiplier, 1.0, "{}", lang.id);
            // The optimising JIT stays on for long-running JVM programs.
            assert!(
                !lang.run.iter().any(|a| a.contains("TieredStopAtLevel")),
                "{}",
                lang.id
            );
        }
    }
}
