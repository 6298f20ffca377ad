//! What a language is: its id, files, image, entry-point rule and commands.
//!
//! Commands are argument vectors run by the in-container runner with the
//! working directory `/work/build`. Placeholders, filled from the
//! submission's [`Program`](crate::source::Program): `{files}` becomes one
//! argument per source file of the language (in name order), `{entry}` the
//! entry file's name (scripts run under their submitted name, so `argv[0]` is
//! what the author expects), `{stem}` the entry file's name without its
//! extension (Erlang's module, Scala's object, TypeScript's output),
//! `{class}` the Java or Kotlin main class, and `{memory_mb}` the problem's
//! memory limit.

/// A language the judge compiles and runs.
#[derive(Debug, PartialEq)]
pub struct Language {
    /// Stable id used in the API and the job (`cpp`, `python3`, ...).
    pub id: &'static str,
    /// Human name with the compiler and flags.
    pub name: &'static str,
    /// The compiler's or interpreter's version, as Debian 12 (or the
    /// registry it comes from) ships it.
    pub version: &'static str,
    /// File extensions that select this language, as in the format's
    /// languages table (`spec/languages.md`).
    pub extensions: &'static [&'static str],
    /// Extensions the table gives in parentheses: the language's files when
    /// it is chosen by id, never used to tell the language (Perl's `.pl` is
    /// Prolog's, Octave's `.m` Objective-C's).
    pub other_extensions: &'static [&'static str],
    /// Sandbox image, built from `sandbox-images/<image without
    /// judge-lang->/Dockerfile` ([`Language::image_folder`]).
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

impl Language {
    /// Whether a file is one of this language's sources (by extension).
    pub fn owns(&self, file_name: &str) -> bool {
        file_name.rsplit_once('.').is_some_and(|(_, ext)| {
            self.extensions.contains(&ext) || self.other_extensions.contains(&ext)
        })
    }

    /// The folder of `sandbox-images/` its image is built from, which is
    /// what `scripts/build-images.sh` takes (`python3` runs in
    /// `judge-lang-pypy3`, built from `sandbox-images/pypy3`).
    pub fn image_folder(&self) -> &'static str {
        self.image.strip_prefix("judge-lang-").unwrap_or(self.image)
    }

    /// The command that builds its image on a worker's Docker host.
    pub fn build_command(&self) -> String {
        format!("scripts/build-images.sh {}", self.image_folder())
    }

    /// Time limit for this language, given the problem's.
    pub fn time_limit_ms(&self, problem_ms: u64) -> u64 {
        (problem_ms as f64 * self.time_multiplier).round() as u64
    }
}
