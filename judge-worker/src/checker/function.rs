//! Function problems on the worker (see [`problem_package::function`]): the
//! program is the user's code with the judge's harness, the tests' inputs
//! go into the sandbox in the harness's token form, and a test's output is
//! the value the harness printed after its separator, compared with the
//! expected one by type (exact, in any order, or within the float
//! tolerance) instead of token by token.

use problem_package::function::{self, harness, output, FunctionSpec};
use problem_package::language::Language;
use problem_package::problem::Problem;
use problem_package::source::Program;
use submission::{SubmissionRecord, Verdict};

use super::outcome::{Checked, Ran};
use crate::verdict::test_result;

/// The program to build for a function problem: the submitted source
/// under the harness's name, beside the harness. `Err` is a compilation
/// error for the submitter (no harness for the language, several files).
pub fn program(
    spec: &FunctionSpec,
    lang: &Language,
    record: &SubmissionRecord,
) -> Result<Program, String> {
    // Not `record.program`: the user's code has no entry point of its own.
    let submitted = if record.files.is_empty() {
        Program::from_code(lang, &record.code).files
    } else {
        record.files.clone()
    };
    harness::program(spec, lang, submitted).map_err(|e| e.to_string())
}

/// The compile command, when the harness checks the function itself
/// (Python, JavaScript); `None`: the language's own.
pub fn compile_argv(problem: &Problem, lang: &Language) -> Option<Vec<String>> {
    problem.function.as_ref().and(harness::compile_argv(lang))
}

/// A compilation error's output with what the judge calls, so the message
/// names the function even when the compiler's does not.
pub fn compile_output(problem: &Problem, lang: &Language, output: String) -> String {
    match &problem.function {
        Some(spec) => format!("{output}\n\nnote: {}", harness::expected(spec, lang))
            .trim_start()
            .to_string(),
        None => output,
    }
}

/// A test input as the sandbox gets it: the token form for a function
/// problem (the package's `.in` files were checked when it was loaded; a
/// failure here is the judge's), the file itself otherwise.
pub fn sandbox_input(problem: &Problem, input: Vec<u8>) -> std::io::Result<Vec<u8>> {
    let Some(spec) = &problem.function else {
        return Ok(input);
    };
    let text = String::from_utf8(input).map_err(|e| std::io::Error::other(e.to_string()))?;
    spec.harness_input(&text)
        .map(String::into_bytes)
        .map_err(|e| std::io::Error::other(format!("function arguments: {e}")))
}

/// Checks test `position`'s returned value against its `.ans`; `Err` is
/// a judge fault (unreadable answer, bad flags).
pub async fn check(
    problem: &Problem,
    spec: &FunctionSpec,
    position: usize,
    ran: Ran,
) -> Result<Checked, String> {
    let test = &problem.tests[position];
    let comparison = spec
        .comparison(&test.validator_flags)
        .map_err(|e| format!("test {}: validator flags: {e}", test.name))?;
    let answer_path = problem.root.join(&test.answer);
    let answer = tokio::fs::read_to_string(&answer_path)
        .await
        .map_err(|e| format!("test {}: cannot read the answer: {e}", test.name))?;
    let expected = spec
        .parse_return(&answer)
        .map_err(|e| format!("test {}: the answer: {e}", test.name))?;
    let split = output::split(&ran.stdout);
    let outcome = match &split.result {
        None => Err("the program ended before the function returned".to_string()),
        Some(text) => match spec.parse_return(text) {
            Err(why) => Err(format!("the returned value: {why}")),
            Ok(received) => comparison.check(&expected, &received),
        },
    };
    let (verdict, message) = match outcome {
        Ok(()) => (Verdict::AC, None),
        Err(why) => (Verdict::WA, Some(why)),
    };
    Ok(Checked::new(test_result(
        position + 1,
        test,
        &ran.report,
        verdict,
        message,
    )))
}

/// What a custom run of a function problem shows: the returned value (or
/// why there is none) after the user's own stdout.
pub fn run_stdout(stdout: &[u8]) -> Vec<u8> {
    let split = output::split(stdout);
    let mut shown = split.stdout.into_bytes();
    if !shown.is_empty() && !shown.ends_with(b"\n") {
        shown.push(b'\n');
    }
    match split.result {
        Some(result) => shown.extend_from_slice(format!("{RETURNED}{result}\n").as_bytes()),
        None => shown.extend_from_slice(b"(the program ended before the function returned)\n"),
    }
    shown
}

/// The line before the returned value in a custom run's output.
pub const RETURNED: &str = "returned: ";

/// `true` when `language_id` can be judged on a function problem.
pub fn supported(language_id: &str) -> bool {
    function::supports(language_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_protocol::{Report, Termination};

    /// A one-test function problem returning `int[]` in any order.
    fn package(dir: &std::path::Path) -> Problem {
        let root = dir.join("pairs");
        let write = |path: &str, text: &str| {
            let p = root.join(path);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(p, text).unwrap();
        };
        write("problem.yaml", "name: Pairs\n");
        write(
            "function.yaml",
            "name: pair\nparams:\n  - {name: n, type: int}\nreturns: \"int[]\"\ncompare: unordered\n",
        );
        write("data/sample/1.in", "3\n");
        write("data/sample/1.ans", "[1,2]\n");
        Problem::load(&root).unwrap()
    }

    fn ran(stdout: String) -> Ran {
        Ran {
            report: Report {
                termination: Termination::Exited,
                exit_code: Some(0),
                signal: None,
                cpu_ms: 1,
                wall_ms: 1,
                memory_kb: 1,
                stdout_len: stdout.len() as u64,
                stderr: String::new(),
            },
            stdout: stdout.into_bytes(),
        }
    }

    fn returned(value: &str) -> String {
        format!("debug line\n\n{}\n{value}\n", output::SEPARATOR)
    }

    #[tokio::test]
    async fn the_returned_value_is_compared_by_type() {
        let dir = tempfile::tempdir().unwrap();
        let problem = package(dir.path());
        let spec = problem.function.clone().unwrap();
        let check = |stdout: String| check(&problem, &spec, 0, ran(stdout));
        assert_eq!(check(returned("[2,1]")).await.unwrap().verdict, Verdict::AC);
        let wrong = check(returned("[1,3]")).await.unwrap();
        assert_eq!(wrong.verdict, Verdict::WA);
        let why = wrong.result.message.unwrap();
        assert!(
            why.contains("expected 2") && why.contains("any order"),
            "{why}"
        );
        let typed = check(returned("\"[1,2]\"")).await.unwrap();
        assert_eq!(typed.verdict, Verdict::WA);
        assert!(typed.result.message.unwrap().contains("expected int[]"));
        // What the user prints cannot stand in for the harness's result,
        // which comes last.
        let forged = check(format!("{}{}", returned("[1,2]"), returned("[9,9]")))
            .await
            .unwrap();
        assert_eq!(forged.verdict, Verdict::WA);
        let ended = check("[1,2]\n".into()).await.unwrap();
        assert!(ended
            .result
            .message
            .unwrap()
            .contains("ended before the function returned"));
    }

    #[test]
    fn a_runs_output_shows_the_returned_value_last() {
        let out = format!("dbg\n{}\n[1,2]\n", format_args!("\n{}", output::SEPARATOR));
        assert_eq!(run_stdout(out.as_bytes()), b"dbg\nreturned: [1,2]\n");
        assert!(String::from_utf8(run_stdout(b"oops"))
            .unwrap()
            .ends_with("before the function returned)\n"));
    }
}
