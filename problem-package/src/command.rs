//! A program's command line: a language's command template with the
//! program's files, entry point and memory filled in. Apart from both
//! [`crate::language`] and [`crate::source`], which the command joins.

use crate::language::Language;
use crate::source::Program;

impl Language {
    /// Fills the placeholders of a command template for `program`.
    pub fn command(&self, template: &[&str], program: &Program, memory_mb: u64) -> Vec<String> {
        let class = program.class.as_deref().unwrap_or("Main");
        let mut argv = Vec::new();
        for arg in template {
            if *arg == "{files}" {
                argv.extend(program.sources(self).map(|f| f.name.clone()));
                continue;
            }
            let stem = program
                .entry
                .rsplit_once('.')
                .map_or(program.entry.as_str(), |(stem, _)| stem);
            argv.push(
                arg.replace("{entry}", &program.entry)
                    .replace("{stem}", stem)
                    .replace("{class}", class)
                    .replace("{memory_mb}", &memory_mb.to_string()),
            );
        }
        argv
    }
}

#[cfg(test)]
mod tests {
    use crate::language::by_id;
    use crate::source::{Program, SourceFile};

    #[test]
    fn commands_name_every_source_and_the_entry() {
        let file = |name: &str, content: &str| SourceFile {
            name: name.into(),
            content: content.into(),
        };
        let java = by_id("java").unwrap();
        let program = Program::from_code(
            java,
            "import java.util.*;\npublic final class Hello { public static void main(String[] a){} }",
        );
        assert_eq!(program.files[0].name, "Hello.java");
        let run = java.command(java.run, &program, 256);
        assert_eq!(run.last().unwrap(), "Hello");
        assert!(run.contains(&"-Xmx256m".to_string()));

        let cpp = by_id("cpp").unwrap();
        let program = Program::new(
            cpp,
            vec![file("b.cpp", ""), file("a.cpp", ""), file("a.h", "")],
            None,
        )
        .unwrap();
        let compile = cpp.command(cpp.compile, &program, 256);
        assert!(
            compile.ends_with(&["a.cpp".to_string(), "b.cpp".to_string()]),
            "{compile:?}"
        );

        let py = by_id("python3").unwrap();
        let program = Program::new(py, vec![file("solve.py", "")], None).unwrap();
        assert!(py
            .command(py.run, &program, 256)
            .contains(&"solve.py".to_string()));
    }

    #[test]
    fn variants_compile_every_source_of_their_extensions() {
        let file = |name: &str| SourceFile {
            name: name.into(),
            content: String::new(),
        };
        let cpp17 = by_id("cpp17").unwrap();
        let program =
            Program::new(cpp17, vec![file("b.cc"), file("a.cpp"), file("a.h")], None).unwrap();
        let compile = cpp17.command(cpp17.compile, &program, 256);
        assert!(
            compile.ends_with(&["a.cpp".to_string(), "b.cc".to_string()]),
            "{compile:?}"
        );

        let cpython = by_id("cpython3").unwrap();
        let program = Program::new(cpython, vec![file("sol.py")], None).unwrap();
        assert_eq!(
            cpython.command(cpython.run, &program, 256),
            ["python3", "sol.py"]
        );

        let kotlin = by_id("kotlin").unwrap();
        let program = Program::new(
            kotlin,
            vec![SourceFile {
                name: "stream.kt".into(),
                content: "fun main() {\n    println(readln())\n}\n".into(),
            }],
            None,
        )
        .unwrap();
        let run = kotlin.command(kotlin.run, &program, 512);
        assert_eq!(run.last().unwrap(), "StreamKt");
        assert!(run.contains(&"-Xmx512m".to_string()));
    }
}
