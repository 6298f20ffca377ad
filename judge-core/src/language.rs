//! The one table of supported languages.
//!
//! Commands are argument vectors run by the in-container runner with the
//! working directory `/work/build`. Placeholders: `{src}` the source file name,
//! `{class}` the Java class name, `{memory_mb}` the problem's memory limit.

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
    /// File name of the source inside the sandbox.
    pub source_file: &'static str,
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

pub const LANGUAGES: &[Language] = &[
    Language {
        id: "c",
        name: "C17 (gcc -O2)",
        extensions: &["c"],
        image: "judge-lang-c",
        source_file: "main.c",
        compile: &[
            "gcc",
            "-O2",
            "-std=gnu17",
            "-pipe",
            "-o",
            "main",
            "{src}",
            "-lm",
        ],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "c",
    },
    Language {
        id: "cpp",
        name: "C++17 (g++ -O2)",
        extensions: &["cc", "cpp", "cxx", "c++", "C"],
        image: "judge-lang-cpp",
        source_file: "main.cpp",
        compile: &["g++", "-O2", "-std=gnu++17", "-pipe", "-o", "main", "{src}"],
        run: &["./main"],
        env: &[],
        time_multiplier: 1.0,
        editor_mode: "cpp",
    },
    Language {
        id: "python3",
        name: "Python 3",
        extensions: &["py", "py3"],
        image: "judge-lang-python3",
        source_file: "main.py",
        compile: &["python3", "-m", "py_compile", "{src}"],
        run: &["python3", "{src}"],
        env: &[
            ("PYTHONDONTWRITEBYTECODE", "1"),
            ("PYTHONIOENCODING", "utf-8"),
        ],
        time_multiplier: 2.0,
        editor_mode: "python",
    },
    Language {
        id: "java",
        name: "Java 17",
        extensions: &["java"],
        image: "judge-lang-java",
        source_file: "{class}.java",
        compile: &[
            "javac",
            "-encoding",
            "UTF-8",
            "-J-Xss64m",
            "-d",
            ".",
            "{src}",
        ],
        run: &[
            "java",
            "-Xss64m",
            "-Xmx{memory_mb}m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-cp",
            ".",
            "{class}",
        ],
        env: &[],
        time_multiplier: 1.5,
        editor_mode: "java",
    },
    Language {
        id: "rust",
        name: "Rust 2021 (rustc -O)",
        extensions: &["rs"],
        image: "judge-lang-rust",
        source_file: "main.rs",
        compile: &["rustc", "-O", "--edition", "2021", "-o", "main", "{src}"],
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
        source_file: "main.go",
        compile: &["go", "build", "-o", "main", "{src}"],
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
        source_file: "main.js",
        compile: &["node", "--check", "{src}"],
        run: &["node", "{src}"],
        env: &[],
        time_multiplier: 1.5,
        editor_mode: "javascript",
    },
];

/// Looks a language up by its id.
pub fn by_id(id: &str) -> Option<&'static Language> {
    LANGUAGES.iter().find(|l| l.id == id)
}

/// Infers the language from a file name's extension (`sol.cpp` -> C++).
pub fn by_file_name(file_name: &str) -> Option<&'static Language> {
    let ext = file_name.rsplit_once('.')?.1;
    LANGUAGES.iter().find(|l| l.extensions.contains(&ext))
}

/// The Java class the source declares public, or `Main`.
pub fn java_class_name(code: &str) -> String {
    let mut words = code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'));
    while let Some(word) = words.next() {
        if word == "public" {
            let mut rest = words.clone().filter(|w| !w.is_empty());
            // `public final class X`, `public class X`
            let mut next = rest.next();
            while matches!(next, Some("final") | Some("abstract") | Some("static")) {
                next = rest.next();
            }
            if next == Some("class") {
                if let Some(name) = rest.next() {
                    return name.to_string();
                }
            }
        }
    }
    "Main".to_string()
}

impl Language {
    /// The source file name for this code (Java's depends on the class name).
    pub fn source_file_for(&self, code: &str) -> String {
        self.source_file.replace("{class}", &java_class_name(code))
    }

    /// Fills the placeholders of a command template.
    pub fn expand(&self, template: &[&str], code: &str, memory_mb: u64) -> Vec<String> {
        let src = self.source_file_for(code);
        let class = java_class_name(code);
        template
            .iter()
            .map(|arg| {
                arg.replace("{src}", &src)
                    .replace("{class}", &class)
                    .replace("{memory_mb}", &memory_mb.to_string())
            })
            .collect()
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
    fn java_source_is_named_after_its_public_class() {
        let code = "import java.util.*;\npublic final class Hello { public static void main(String[] a){} }";
        let java = by_id("java").unwrap();
        assert_eq!(java.source_file_for(code), "Hello.java");
        assert_eq!(java.expand(java.run, code, 256).last().unwrap(), "Hello");
        assert!(java
            .expand(java.run, code, 256)
            .contains(&"-Xmx256m".to_string()));
        assert_eq!(java_class_name("class A {}"), "Main");
    }

    #[test]
    fn ids_and_images_are_unique() {
        for (i, a) in LANGUAGES.iter().enumerate() {
            for b in &LANGUAGES[i + 1..] {
                assert_ne!(a.id, b.id);
                assert_ne!(a.image, b.image);
                for ext in a.extensions {
                    assert!(!b.extensions.contains(ext), "{ext} selects two languages");
                }
            }
        }
    }
}
