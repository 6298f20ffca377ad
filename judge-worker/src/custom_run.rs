//! Custom runs: the editor's "Run" button. A run is a submission with a
//! custom input ([`keys::FIELD_RUN_INPUT`]) and no problem; the worker judges it
//! as a one-test problem built on the spot, with no output comparison, and
//! keeps what the program printed in the state for the person who ran it.
//!
//! A run of a function problem's function names the problem in its
//! record ([`problem_package::function::run_target`]): its input is the
//! arguments, one per line as in a `.in` file, and what it shows is the
//! user's stdout followed by the returned value.
//!
//! [`keys::FIELD_RUN_INPUT`]: judge_store::keys::FIELD_RUN_INPUT

use std::path::Path;

use judge_protocol::Report;
use problem_package::function::FunctionSpec;
use problem_package::problem::{Problem, TestCase, ValidationKind, DEFAULT_OUTPUT_MB};
use submission::{
    RunOutput, RUN_MEMORY_MB, RUN_OUTPUT_SHOWN_BYTES, RUN_PROBLEM_ID, RUN_TIME_LIMIT_MS,
};

/// The one test's input file name below the run's directory.
const INPUT_FILE: &str = "custom.in";

/// Writes `input` under `dir` and describes it as a problem with one test;
/// with `function`, a call of that function on the arguments in `input`
/// (`Err` of kind `InvalidInput` when they do not fit its signature).
pub fn problem(
    dir: &Path,
    input: &str,
    function: Option<FunctionSpec>,
) -> std::io::Result<Problem> {
    if let Some(spec) = &function {
        spec.parse_input(input).map_err(|e| {
            std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("the input does not fit {}: {e}", spec.signature()),
            )
        })?;
    }
    std::fs::create_dir_all(dir)?;
    std::fs::write(dir.join(INPUT_FILE), input)?;
    Ok(Problem {
        id: RUN_PROBLEM_ID.to_string(),
        name: "custom run".to_string(),
        root: dir.to_path_buf(),
        time_limit_ms: RUN_TIME_LIMIT_MS,
        time_limit_source: "custom run".to_string(),
        memory_mb: RUN_MEMORY_MB,
        output_mb: DEFAULT_OUTPUT_MB,
        code_kib: problem_package::problem::DEFAULT_CODE_KIB,
        validation_limits: Default::default(),
        validation: ValidationKind::Default,
        validation_passes: None,
        output_validator: None,
        statement: None,
        tests: vec![TestCase {
            name: "custom".to_string(),
            input: INPUT_FILE.into(),
            // Never read: a run's output is shown, not compared.
            answer: INPUT_FILE.into(),
            is_sample: true,
            validator_flags: Vec::new(),
        }],
        samples: Vec::new(),
        warnings: Vec::new(),
        grading: problem_package::groups::Grading::pass_fail(1),
        function,
    })
}

/// True for the problem [`problem`] builds.
pub fn is_run(problem: &Problem) -> bool {
    problem.id == RUN_PROBLEM_ID
}

/// What the program printed, cut to what is shown: for a function, the
/// user's stdout and then the returned value.
pub fn output(problem: &Problem, report: &Report, stdout: &[u8]) -> RunOutput {
    let stdout = match problem.function {
        Some(_) => crate::checker::function::run_stdout(stdout),
        None => stdout.to_vec(),
    };
    let shown = &stdout[..stdout.len().min(RUN_OUTPUT_SHOWN_BYTES)];
    RunOutput {
        stdout: String::from_utf8_lossy(shown).into_owned(),
        stderr: report.stderr.clone(),
        truncated: stdout.len() > RUN_OUTPUT_SHOWN_BYTES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_protocol::Termination;

    #[test]
    fn a_run_is_a_problem_with_one_test_on_the_given_input() {
        let dir = tempfile::tempdir().unwrap();
        let problem = problem(&dir.path().join("run"), "1 2\n", None).unwrap();
        assert!(is_run(&problem));
        assert_eq!(problem.tests.len(), 1);
        let input = std::fs::read_to_string(problem.root.join(&problem.tests[0].input)).unwrap();
        assert_eq!(input, "1 2\n");
        assert_eq!(problem.time_limit_ms, RUN_TIME_LIMIT_MS);
    }

    #[test]
    fn a_function_run_checks_its_arguments() {
        let spec: FunctionSpec = serde_json::from_str(
            r#"{"name":"add","params":[{"name":"a","type":"int"},{"name":"b","type":"int"}],"returns":"int"}"#,
        )
        .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let run = problem(&dir.path().join("run"), "1\n2\n", Some(spec.clone())).unwrap();
        assert!(run.function.is_some());
        let err = problem(&dir.path().join("bad"), "1\nx\n", Some(spec)).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
        assert!(err.to_string().contains("line 2: b:"), "{err}");
    }

    #[test]
    fn long_output_is_cut_and_marked() {
        let report = Report {
            termination: Termination::Exited,
            exit_code: Some(0),
            signal: None,
            cpu_ms: 1,
            wall_ms: 1,
            memory_kb: 1,
            stdout_len: 0,
            stderr: "warn".into(),
        };
        let dir = tempfile::tempdir().unwrap();
        let run = problem(&dir.path().join("run"), "", None).unwrap();
        let long = vec![b'x'; RUN_OUTPUT_SHOWN_BYTES + 1];
        let shown = output(&run, &report, &long);
        assert!(shown.truncated);
        assert_eq!(shown.stdout.len(), RUN_OUTPUT_SHOWN_BYTES);
        assert_eq!(shown.stderr, "warn");
        assert!(!output(&run, &report, b"3\n").truncated);
    }
}
