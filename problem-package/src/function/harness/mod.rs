//! The program judged for a function problem: the user's code under a
//! fixed name beside the judge's harness, which reads the arguments (the
//! token form of [`crate::function::value`]), calls the function and
//! prints the returned value as compact JSON after the separator of
//! [`crate::function::output`].
//!
//! A missing function or a wrong signature is a compilation error: in C++,
//! Java, Kotlin and Go the harness's call does not compile (the line the compiler
//! quotes says what the judge expected); in Python and JavaScript the
//! compile step runs the harness with `--check`, which loads the user's
//! code and checks the function is there.
//! In C another signature conflicts with the harness's declaration of the
//! function and a missing one fails to link; in Haskell the harness's call,
//! annotated with the expected type, does not type-check; in Rust the
//! harness's call `Solution::name(..)`, its result's type written out,
//! does not compile. In TypeScript tsc type-checks the harness's typed call
//! with the user's script; in C# the call does not compile; in Ruby the
//! compile step runs the harness with `--check`, as in Python.

pub(super) mod c;
mod cpp;
pub(super) mod csharp;
mod files;
mod go;
pub(super) mod haskell;
mod java;
mod javascript;
mod kotlin;
mod python;
pub(super) mod ruby;
pub(super) mod rust;
mod typescript;

use crate::language::Language;
use crate::source::{Program, SourceFile};

use super::declaration;
use super::spec::FunctionSpec;
use super::support::{supports, FunctionError};

/// The program for `submitted` (one source file) in `lang`.
pub fn program(
    spec: &FunctionSpec,
    lang: &Language,
    submitted: Vec<SourceFile>,
) -> Result<Program, FunctionError> {
    if !supports(lang.id) {
        return Err(FunctionError::UnsupportedLanguage {
            language: lang.id.to_string(),
        });
    }
    let mut own = submitted.into_iter().filter(|f| lang.owns(&f.name));
    let (Some(user), None) = (own.next(), own.next()) else {
        return Err(FunctionError::Files(format!(
            "a function problem takes one {} source file with the function",
            lang.name
        )));
    };
    let (files, entry) = match lang.id {
        "python3" | "cpython3" => python::files(spec, user.content),
        "java" => java::files(spec, user.content),
        "javascript" => javascript::files(spec, user.content),
        "go" => go::files(spec, user.content),
        "c" => c::files(spec, user.content),
        "haskell" => haskell::files(spec, user.content),
        "kotlin" => kotlin::files(spec, user.content),
        "rust" => rust::files(spec, user.content),
        "typescript" => typescript::files(spec, user.content),
        "csharp" => csharp::files(spec, user.content),
        "ruby" => ruby::files(spec, user.content),
        _ => cpp::files(spec, user.content),
    };
    Program::new(lang, files, Some(entry)).map_err(|e| FunctionError::Files(e.to_string()))
}

/// The compile command of a language whose compiler cannot see a missing
/// function (Python, JavaScript, Ruby): the harness in `--check` mode. `None`:
/// the language's own.
pub fn compile_argv(lang: &Language) -> Option<Vec<String>> {
    let argv: &[&str] = match lang.id {
        "python3" => &["pypy3", python::MAIN, "--check"],
        "cpython3" => &["python3", python::MAIN, "--check"],
        "javascript" => &["node", javascript::MAIN, "--check"],
        "ruby" => &["ruby", ruby::MAIN, "--check"],
        _ => return None,
    };
    Some(argv.iter().map(|s| s.to_string()).collect())
}

/// What the judge calls, in the language's words: added to a compilation
/// error's output so the message names the function.
pub fn expected(spec: &FunctionSpec, lang: &Language) -> String {
    match lang.id {
        "python3" | "cpython3" => format!(
            "the judge calls `Solution().{}(...)`: class Solution with `{}`",
            spec.name,
            declaration::python_declaration(spec)
        ),
        "java" => format!(
            "the judge calls `new Solution().{}(...)`: class Solution with `{}`",
            spec.name,
            declaration::java_declaration(spec)
        ),
        "javascript" => format!(
            "the judge calls `{}(...)`: `{}`",
            spec.name,
            declaration::javascript_declaration(spec)
        ),
        "kotlin" => format!(
            "the judge calls `Solution().{}(...)`: class Solution with `{}`",
            spec.name,
            declaration::kotlin_declaration(spec)
        ),
        "go" => format!(
            "the judge calls `{}(...)`: `{}`",
            spec.name,
            declaration::go_declaration(spec)
        ),
        "c" => format!(
            "the judge calls `{}(...)`: `{}`",
            spec.name,
            c::declaration(spec)
        ),
        "haskell" => format!(
            "the judge calls `Solution.{}`: a top-level `{}`",
            haskell::hs_name(&spec.name),
            haskell::declaration(spec)
        ),
        "rust" => format!(
            "the judge calls `Solution::{}(...)`: `impl Solution {{ {} }}`",
            rust::snake_name(&spec.name),
            rust::declaration(spec)
        ),
        "typescript" => format!(
            "the judge calls `{}(...)`: `{}`",
            spec.name,
            declaration::typescript_declaration(spec)
        ),
        "csharp" => format!(
            "the judge calls `new Solution().{}(...)`: class Solution with `{}`",
            csharp::method_name(&spec.name),
            csharp::declaration(spec)
        ),
        "ruby" => format!(
            "the judge calls `{}(...)`: a top-level `{}`",
            ruby::method_name(&spec.name),
            ruby::declaration(spec)
        ),
        _ => format!(
            "the judge calls `Solution().{}(...)`: class Solution with `{}`",
            spec.name,
            declaration::cpp_declaration(spec)
        ),
    }
}
