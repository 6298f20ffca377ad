//! A submission's source files and the program they make.
//!
//! A submission is one file or several (a directory in a package's
//! `submissions/` folder, or `judge submit a.cpp b.h`). Files keep the names
//! they were submitted under: Java wants a public class in a file of its own
//! name, Kotlin names its entry class after the file, and some solutions read
//! `sys.argv[0]`. [`Program::new`] checks the names and finds the entry point
//! by the problem package format's rules (the spec's languages table, as
//! Kattis and DOMjudge apply it).

use serde::{Deserialize, Serialize};

use crate::language::{Entry, Language};

/// Most files one submission may have.
pub const MAX_FILES: usize = 64;
/// Longest file name.
pub const MAX_NAME_LEN: usize = 128;

/// One submitted file.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    pub name: String,
    pub content: String,
}

/// Why a set of files is not a program the judge can build. Shown to the
/// submitter as a compilation error or a refused request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SourceError(pub String);

/// File names become paths in the sandbox's build directory: plain names
/// only, no directories, nothing hidden.
pub fn check_file_name(name: &str) -> Result<(), SourceError> {
    let ok = (1..=MAX_NAME_LEN).contains(&name.len())
        && !name.starts_with('.')
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-' | b'+'));
    if ok {
        Ok(())
    } else {
        Err(SourceError(format!(
            "file name {name:?}: use 1-{MAX_NAME_LEN} of A-Z a-z 0-9 _ . - + (no folders, not starting with a dot)"
        )))
    }
}

/// What can be checked of submitted files before the package's included
/// files join them (the entry point may be in those): how many, their names,
/// and at least one source of the language.
pub fn check_files(lang: &Language, files: &[SourceFile]) -> Result<(), SourceError> {
    if files.is_empty() {
        return Err(SourceError("no source files".into()));
    }
    if files.len() > MAX_FILES {
        return Err(SourceError(format!(
            "{} files; at most {MAX_FILES}",
            files.len()
        )));
    }
    for (i, file) in files.iter().enumerate() {
        check_file_name(&file.name)?;
        if files[..i].iter().any(|f| f.name == file.name) {
            return Err(SourceError(format!("file {:?} given twice", file.name)));
        }
    }
    if !files.iter().any(|f| lang.owns(&f.name)) {
        return Err(SourceError(format!(
            "no {} source among the files (extensions: .{})",
            lang.name,
            lang.extensions.join(", .")
        )));
    }
    Ok(())
}

/// The files to build and how to start them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Program {
    /// Every file, in name order.
    pub files: Vec<SourceFile>,
    /// The file that is run or holds the main function.
    pub entry: String,
    /// Java's or Kotlin's class with `main` (qualified with its package).
    pub class: Option<String>,
}

impl Program {
    /// A single source without a file name (the editor, the API's `code`):
    /// named as the language's default file, or after Java's public class.
    pub fn from_code(lang: &Language, code: &str) -> Program {
        let name = match lang.entry {
            Entry::JavaClass => format!(
                "{}.java",
                java_public_class(code).unwrap_or_else(|| "Main".into())
            ),
            _ => lang.default_file.to_string(),
        };
        let file = SourceFile {
            name,
            content: code.to_string(),
        };
        Program::new(lang, vec![file], None).unwrap_or_else(|_| {
            // Only Java/Kotlin can fail to find a class; fall back to the
            // spec's default entry so the compiler gets to say what is wrong.
            let class = match lang.entry {
                Entry::JavaClass => Some("Main".into()),
                Entry::KotlinFile => Some(kotlin_class(lang.default_file, code)),
                _ => None,
            };
            Program {
                files: vec![SourceFile {
                    name: lang.default_file.to_string(),
                    content: code.to_string(),
                }],
                entry: lang.default_file.to_string(),
                class,
            }
        })
    }

    /// Checks `files` and finds the entry point: `entry_point` if given (a
    /// file name, or for Java/Kotlin a class name), else by the language.
    pub fn new(
        lang: &Language,
        mut files: Vec<SourceFile>,
        entry_point: Option<&str>,
    ) -> Result<Program, SourceError> {
        files.sort_by(|a, b| a.name.cmp(&b.name));
        check_files(lang, &files)?;
        let own: Vec<&SourceFile> = files.iter().filter(|f| lang.owns(&f.name)).collect();
        let (entry, class) = match lang.entry {
            Entry::Build => (own[0].name.clone(), None),
            Entry::Script | Entry::MainFile => (
                script_entry(lang, &files, &own, entry_point)?.name.clone(),
                None,
            ),
            Entry::JavaClass => {
                let (file, class) = java_entry(&own, entry_point)?;
                (file, Some(class))
            }
            Entry::KotlinFile => {
                let file = kotlin_entry(&own, entry_point)?;
                let class = kotlin_class(&file.name, &file.content);
                (file.name.clone(), Some(class))
            }
        };
        Ok(Program {
            files,
            entry,
            class,
        })
    }

    /// The sources of the language, in name order (headers and other files
    /// are uploaded but not named on the compiler's command line).
    pub fn sources<'a>(&'a self, lang: &'a Language) -> impl Iterator<Item = &'a SourceFile> {
        self.files.iter().filter(|f| lang.owns(&f.name))
    }
}

/// The entry file of a script language (or of a language whose compiler
/// takes the main module): the named one, else the only one, else the one a
/// JavaScript `package.json` names in `main` (as Node.js runs a folder),
/// else the one that defines `main`, else the spec's default name
/// (`main.py`, `main.js`).
fn script_entry<'a>(
    lang: &Language,
    files: &[SourceFile],
    own: &[&'a SourceFile],
    entry_point: Option<&str>,
) -> Result<&'a SourceFile, SourceError> {
    if let Some(name) = entry_point {
        return own.iter().copied().find(|f| f.name == name).ok_or_else(|| {
            SourceError(format!(
                "entry point {name:?} is not one of the {} files",
                lang.name
            ))
        });
    }
    if own.len() == 1 {
        return Ok(own[0]);
    }
    if let Some(main) = package_json_main(lang, files)? {
        return own.iter().copied().find(|f| f.name == main).ok_or_else(|| {
            SourceError(format!(
                "package.json names {main:?} as its main, which is not one of the {} files",
                lang.name
            ))
        });
    }
    if let Some(file) = own.iter().find(|f| f.name == lang.default_file) {
        return Ok(file);
    }
    let with_main: Vec<&&SourceFile> = own
        .iter()
        .filter(|f| lang.entry == Entry::MainFile && defines_main(lang, &f.content))
        .collect();
    match with_main.as_slice() {
        [one] => Ok(one),
        _ => Err(SourceError(format!(
            "cannot tell the entry point among {} {} files: name one {} or give the entry point",
            own.len(),
            lang.name,
            lang.default_file
        ))),
    }
}

/// The file a JavaScript submission's `package.json` names in `main`
/// (`./` and all), if it has one.
fn package_json_main(lang: &Language, files: &[SourceFile]) -> Result<Option<String>, SourceError> {
    if lang.id != "javascript" {
        return Ok(None);
    }
    let Some(package) = files.iter().find(|f| f.name == "package.json") else {
        return Ok(None);
    };
    let json: serde_json::Value = serde_json::from_str(&package.content)
        .map_err(|e| SourceError(format!("package.json: {e}")))?;
    Ok(json
        .get("main")
        .and_then(|m| m.as_str())
        .map(|m| m.trim_start_matches("./").to_string()))
}

/// Whether a compiled language's file holds the program's `main`.
fn defines_main(lang: &Language, code: &str) -> bool {
    let code = strip_comments(code);
    match lang.id {
        "rust" => code.contains("fn main"),
        "haskell" => code
            .lines()
            .any(|l| l.starts_with("main ") || l.starts_with("main=")),
        _ => false,
    }
}

/// Java: the class with `main`, public or not, as Kattis and DOMjudge find
/// it; `Main` (the spec's default) when several classes have one.
fn java_entry(
    own: &[&SourceFile],
    entry_point: Option<&str>,
) -> Result<(String, String), SourceError> {
    let mut found = Vec::new();
    for file in own {
        let code = strip_comments(&file.content);
        let package = java_package(&code);
        for class in java_main_classes(&code) {
            let qualified = match &package {
                Some(p) => format!("{p}.{class}"),
                None => class,
            };
            found.push((file.name.clone(), qualified));
        }
    }
    let simple = |q: &str| q.rsplit('.').next().unwrap_or(q).to_string();
    if let Some(wanted) = entry_point {
        let wanted = wanted.trim_end_matches(".java");
        return found
            .into_iter()
            .find(|(file, q)| q == wanted || simple(q) == wanted || file == wanted)
            .ok_or_else(|| {
                SourceError(format!(
                    "entry point {wanted:?}: no class of that name has a main method"
                ))
            });
    }
    match found.len() {
        0 => Err(SourceError(
            "no class has a `public static void main(String[] args)` method".into(),
        )),
        1 => Ok(found.remove(0)),
        _ => found
            .iter()
            .find(|(_, q)| simple(q) == "Main")
            .cloned()
            .ok_or_else(|| {
                let names: Vec<&str> = found.iter().map(|(_, q)| q.as_str()).collect();
                SourceError(format!(
                    "several classes have a main method ({}): name one Main or give the entry point",
                    names.join(", ")
                ))
            }),
    }
}

/// The class a single Java source declares public, for naming its file.
pub fn java_public_class(code: &str) -> Option<String> {
    let code = strip_comments(code);
    let words = java_words(&code);
    for (i, w) in words.iter().enumerate() {
        if *w == "public" {
            let mut j = i + 1;
            while matches!(
                words.get(j).copied(),
                Some("final" | "abstract" | "static" | "strictfp" | "sealed")
            ) {
                j += 1;
            }
            if matches!(
                words.get(j).copied(),
                Some("class" | "interface" | "enum" | "record")
            ) {
                return words.get(j + 1).map(|s| s.to_string());
            }
        }
    }
    None
}

fn java_words(code: &str) -> Vec<&str> {
    code.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .filter(|w| !w.is_empty())
        .collect()
}

fn java_package(code: &str) -> Option<String> {
    let start = code.find("package ")?;
    // Only a declaration before the first type counts.
    if code[..start].contains('{') {
        return None;
    }
    let rest = &code[start + "package ".len()..];
    let end = rest.find(';')?;
    Some(rest[..end].split_whitespace().collect::<String>())
}

/// Top-level and nested classes that declare a `static void main(` method:
/// the name of the innermost type declaration enclosing each `main`.
fn java_main_classes(code: &str) -> Vec<String> {
    // (name, brace depth at which its body opened)
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let mut pending: Option<String> = None;
    let mut found = Vec::new();
    let bytes = code.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_alphabetic() || c == b'_' || c == b'$' {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || matches!(bytes[i], b'_' | b'$'))
            {
                i += 1;
            }
            let word = &code[start..i];
            match word {
                "class" | "interface" | "enum" | "record" => {
                    let rest = code[i..].trim_start();
                    let name: String = rest
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == '$')
                        .collect();
                    if !name.is_empty() {
                        pending = Some(name);
                    }
                }
                "main" => {
                    let before = code[..start].trim_end();
                    let after = code[i..].trim_start();
                    if after.starts_with('(') && before.ends_with("void") {
                        let head =
                            &code[code[..start].rfind(['{', '}', ';']).map_or(0, |p| p + 1)..start];
                        if java_words(head).contains(&"static") {
                            if let Some((name, _)) = stack.last() {
                                if !found.contains(name) {
                                    found.push(name.clone());
                                }
                            }
                        }
                    }
                }
                _ => {}
            }
            continue;
        }
        match c {
            b'{' => {
                depth += 1;
                if let Some(name) = pending.take() {
                    stack.push((name, depth));
                }
            }
            b'}' => {
                if stack.last().is_some_and(|(_, d)| *d == depth) {
                    stack.pop();
                }
                depth = depth.saturating_sub(1);
            }
            b';' => pending = None,
            _ => {}
        }
        i += 1;
    }
    found
}

/// Kotlin: the file with a top-level `fun main`, else the only file.
fn kotlin_entry<'a>(
    own: &[&'a SourceFile],
    entry_point: Option<&str>,
) -> Result<&'a SourceFile, SourceError> {
    if let Some(wanted) = entry_point {
        return own
            .iter()
            .copied()
            .find(|f| f.name == wanted || kotlin_class(&f.name, &f.content) == wanted)
            .ok_or_else(|| SourceError(format!("entry point {wanted:?} is not one of the files")));
    }
    let with_main: Vec<&SourceFile> = own
        .iter()
        .copied()
        .filter(|f| {
            strip_comments(&f.content)
                .lines()
                .any(|l| l.starts_with("fun main") || l.starts_with("suspend fun main"))
        })
        .collect();
    match (with_main.as_slice(), own) {
        ([one], _) => Ok(one),
        ([], [only]) => Ok(only),
        _ => Err(SourceError(
            "cannot tell which Kotlin file has the top-level `fun main`: give the entry point"
                .into(),
        )),
    }
}

/// The JVM class Kotlin compiles a file's top-level functions into:
/// `sol.kt` → `SolKt`, with the file's package; `@file:JvmName("X")` wins.
pub fn kotlin_class(file_name: &str, raw: &str) -> String {
    let code = strip_comments(raw);
    let package = code
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("package "))
        .map(|p| p.trim().trim_end_matches(';').to_string());
    // String contents are stripped above; the annotation's is read raw.
    let jvm_name = raw.find("@file:JvmName(\"").and_then(|start| {
        let rest = &raw[start + "@file:JvmName(\"".len()..];
        rest.find('"').map(|end| rest[..end].to_string())
    });
    let class = jvm_name.unwrap_or_else(|| {
        let stem = file_name.strip_suffix(".kt").unwrap_or(file_name);
        // kotlinc capitalises the first letter and maps other characters
        // that cannot be in a name to `_`.
        let mut name: String = stem
            .chars()
            .map(|c| {
                if c.is_alphanumeric() || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        if let Some(first) = name.get(0..1) {
            name = first.to_uppercase() + &name[1..];
        }
        format!("{name}Kt")
    });
    match package {
        Some(p) if !p.is_empty() => format!("{p}.{class}"),
        _ => class,
    }
}

/// Removes `//` and `/* */` comments and the contents of string literals,
/// keeping line breaks, so that a `main` in a comment or a string does not
/// count. Good enough for the C-like languages this is used on.
fn strip_comments(code: &str) -> String {
    let mut out = String::with_capacity(code.len());
    let mut chars = code.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if last == '*' && c == '/' {
                        break;
                    }
                    last = c;
                }
            }
            '"' => {
                out.push('"');
                let mut escaped = false;
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                    }
                    if !escaped && c == '"' {
                        break;
                    }
                    escaped = !escaped && c == '\\';
                }
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::by_id;

    fn file(name: &str, content: &str) -> SourceFile {
        SourceFile {
            name: name.into(),
            content: content.into(),
        }
    }

    #[test]
    fn java_finds_the_class_with_main_public_or_not() {
        let java = by_id("java").unwrap();
        let p = Program::new(
            java,
            vec![file(
                "sol.java",
                "import java.util.*;\nclass Helper { void main2() {} }\nclass Solver {\n  // static void main(String[] a) in a comment\n  static void main(String[] args) { String s = \"void main(\"; }\n}\n",
            )],
            None,
        )
        .unwrap();
        assert_eq!(p.class.as_deref(), Some("Solver"));
        assert_eq!(p.entry, "sol.java");

        let p = Program::new(
            java,
            vec![
                file("Main.java", "package a.b;\npublic class Main { public static void main(String[] a) { Util.f(); } }"),
                file("Util.java", "package a.b;\nclass Util { static void f() {} }"),
            ],
            None,
        )
        .unwrap();
        assert_eq!(p.class.as_deref(), Some("a.b.Main"));

        let err = Program::new(java, vec![file("A.java", "class A {}")], None).unwrap_err();
        assert!(err.0.contains("main"), "{err}");

        let nested =
            "public class Outer { static class Inner { public static void main(String[] a) {} } }";
        let p = Program::new(java, vec![file("Outer.java", nested)], None).unwrap();
        assert_eq!(p.class.as_deref(), Some("Inner"));
    }

    #[test]
    fn code_without_a_name_is_named_after_the_public_class() {
        let java = by_id("java").unwrap();
        let p = Program::from_code(
            java,
            "public final class Hello { public static void main(String[] a){} }",
        );
        assert_eq!(p.files[0].name, "Hello.java");
        assert_eq!(p.class.as_deref(), Some("Hello"));
        let p = Program::from_code(java, "class A {}");
        assert_eq!(
            (p.files[0].name.as_str(), p.class.as_deref()),
            ("Main.java", Some("Main"))
        );
    }

    #[test]
    fn kotlin_classes_follow_the_file_name() {
        assert_eq!(kotlin_class("sol.kt", "fun main() {}"), "SolKt");
        assert_eq!(
            kotlin_class("my-sol.kt", "package x.y\nfun main() {}"),
            "x.y.My_solKt"
        );
        assert_eq!(
            kotlin_class("a.kt", "@file:JvmName(\"Runner\")\nfun main() {}"),
            "Runner"
        );
    }

    #[test]
    fn a_javascript_package_json_names_the_entry_point() {
        let js = by_id("javascript").unwrap();
        let files = |main: &str| {
            vec![
                file(
                    "package.json",
                    &format!("{{\"name\": \"x\", \"main\": \"{main}\"}}"),
                ),
                file("solve.js", "require('./util.js');"),
                file("util.js", "module.exports = 1;"),
            ]
        };
        let p = Program::new(js, files("./solve.js"), None).unwrap();
        assert_eq!(p.entry, "solve.js");
        let err = Program::new(js, files("index.js"), None).unwrap_err();
        assert!(err.0.contains("index.js"), "{err}");
        // An entry point given beside it still wins.
        let p = Program::new(js, files("solve.js"), Some("util.js")).unwrap();
        assert_eq!(p.entry, "util.js");
        // Without package.json, two files and no main.js are ambiguous.
        let two = vec![file("a.js", ""), file("b.js", "")];
        assert!(Program::new(js, two, None).is_err());
    }

    #[test]
    fn script_entry_points_follow_the_spec() {
        let py = by_id("python3").unwrap();
        let one = Program::new(py, vec![file("solve.py", "print(1)")], None).unwrap();
        assert_eq!(one.entry, "solve.py");
        let two = vec![file("main.py", "import util"), file("util.py", "")];
        assert_eq!(
            Program::new(py, two.clone(), None).unwrap().entry,
            "main.py"
        );
        let named = Program::new(py, two, Some("util.py")).unwrap();
        assert_eq!(named.entry, "util.py");
        let err = Program::new(py, vec![file("a.py", ""), file("b.py", "")], None).unwrap_err();
        assert!(err.0.contains("entry point"), "{err}");
    }

    #[test]
    fn bad_names_and_sets_are_refused() {
        let cpp = by_id("cpp").unwrap();
        for bad in ["../x.cpp", ".hidden.cpp", "a b.cpp", "", "dir/a.cpp"] {
            assert!(
                Program::new(cpp, vec![file(bad, "int main(){}")], None).is_err(),
                "{bad}"
            );
        }
        assert!(Program::new(cpp, vec![file("a.cpp", ""), file("a.cpp", "")], None).is_err());
        assert!(Program::new(cpp, vec![file("a.h", "")], None).is_err());
        let p = Program::new(
            cpp,
            vec![file("b.cpp", ""), file("a.h", ""), file("a.cpp", "")],
            None,
        )
        .unwrap();
        let sources: Vec<&str> = p.sources(cpp).map(|f| f.name.as_str()).collect();
        assert_eq!(sources, ["a.cpp", "b.cpp"]);
    }
}
