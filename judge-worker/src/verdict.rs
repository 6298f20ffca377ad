//! The verdict of one run from the runner's report, and the stored result
//! of a test: one mapping for every way a test is judged (the default
//! comparison, a custom validator, an interactive run), so that the normal
//! and the interactive path cannot drift apart.

use judge_protocol::{Report, Termination};
use problem_package::compare::Outcome;
use problem_package::problem::TestCase;
use submission::{TestResult, Verdict};

/// The verdict the runner's report decides by itself, or `None` when the
/// program ended cleanly and its output must be judged.
pub fn verdict_from_report(report: &Report) -> Option<Verdict> {
    match report.termination {
        Termination::CpuLimit | Termination::WallLimit => Some(Verdict::TLE),
        Termination::MemoryLimit => Some(Verdict::MLE),
        Termination::OutputLimit => Some(Verdict::OLE),
        Termination::Signaled => Some(Verdict::RE),
        Termination::Exited if report.exit_code == Some(0) => None,
        Termination::Exited => Some(Verdict::RE),
    }
}

/// A test's verdict from the report and, if the output was compared, the outcome.
pub fn classify(report: &Report, outcome: &Outcome) -> Verdict {
    verdict_from_report(report).unwrap_or(match outcome {
        Outcome::Accepted => Verdict::AC,
        Outcome::WrongAnswer(_) => Verdict::WA,
    })
}

/// The stored result of a test. Only samples keep the comparison message:
/// it quotes the expected answer, which must stay secret for secret tests.
pub fn test_result(
    index: usize,
    test: &TestCase,
    report: &Report,
    verdict: Verdict,
    compare_message: Option<String>,
) -> TestResult {
    TestResult {
        index,
        name: test.name.clone(),
        verdict,
        time_ms: report.cpu_ms,
        wall_ms: report.wall_ms,
        memory_kb: report.memory_kb,
        exit_code: report.exit_code,
        signal: report.signal,
        message: if test.is_sample {
            compare_message
        } else {
            None
        },
        score: None,
        detail: None,
    }
}

/// The measurements shown for a multi-pass test: the last pass's report
/// (how it ended) with the most time and memory any pass took, since the
/// limits apply to each pass.
pub fn slowest_of(earlier: Option<Report>, last: Report) -> Report {
    match earlier {
        None => last,
        Some(e) => Report {
            cpu_ms: e.cpu_ms.max(last.cpu_ms),
            wall_ms: e.wall_ms.max(last.wall_ms),
            memory_kb: e.memory_kb.max(last.memory_kb),
            ..last
        },
    }
}

/// How a process ended, in words, for judge-error messages.
pub fn describe(report: &Report) -> String {
    match report.termination {
        Termination::Exited => format!("exit code {}", report.exit_code.unwrap_or(-1)),
        Termination::Signaled => format!("signal {}", report.signal.unwrap_or(0)),
        Termination::CpuLimit => "CPU time limit".into(),
        Termination::WallLimit => "wall time limit".into(),
        Termination::MemoryLimit => "memory limit".into(),
        Termination::OutputLimit => "output limit".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(termination: Termination, exit_code: Option<i32>) -> Report {
        Report {
            termination,
            exit_code,
            signal: None,
            cpu_ms: 10,
            wall_ms: 12,
            memory_kb: 2048,
            stdout_len: 0,
            stderr: String::new(),
        }
    }

    #[test]
    fn limits_decide_before_the_output() {
        let wa = Outcome::WrongAnswer("x".into());
        let ok = Outcome::Accepted;
        assert_eq!(
            classify(&report(Termination::CpuLimit, None), &ok),
            Verdict::TLE
        );
        assert_eq!(
            classify(&report(Termination::WallLimit, None), &ok),
            Verdict::TLE
        );
        assert_eq!(
            classify(&report(Termination::MemoryLimit, None), &ok),
            Verdict::MLE
        );
        assert_eq!(
            classify(&report(Termination::OutputLimit, None), &ok),
            Verdict::OLE
        );
        assert_eq!(
            classify(&report(Termination::Signaled, None), &ok),
            Verdict::RE
        );
        assert_eq!(
            classify(&report(Termination::Exited, Some(1)), &ok),
            Verdict::RE
        );
        assert_eq!(
            classify(&report(Termination::Exited, None), &ok),
            Verdict::RE
        );
        assert_eq!(
            classify(&report(Termination::Exited, Some(0)), &ok),
            Verdict::AC
        );
        assert_eq!(
            classify(&report(Termination::Exited, Some(0)), &wa),
            Verdict::WA
        );
        // A wrong answer that also crashed is a crash.
        assert_eq!(
            classify(&report(Termination::Exited, Some(3)), &wa),
            Verdict::RE
        );
    }

    fn case(is_sample: bool) -> TestCase {
        TestCase {
            name: "secret/1".into(),
            input: "data/secret/1.in".into(),
            answer: "data/secret/1.ans".into(),
            is_sample,
            validator_flags: vec![],
        }
    }

    #[test]
    fn only_samples_carry_the_comparison_message() {
        let r = report(Termination::Exited, Some(0));
        let secret = test_result(
            2,
            &case(false),
            &r,
            Verdict::WA,
            Some("expected \"42\"".into()),
        );
        assert_eq!(secret.message, None);
        assert_eq!(
            (
                secret.index,
                secret.time_ms,
                secret.wall_ms,
                secret.memory_kb
            ),
            (2, 10, 12, 2048)
        );
        let sample = test_result(
            1,
            &case(true),
            &r,
            Verdict::WA,
            Some("expected \"42\"".into()),
        );
        assert!(sample.message.unwrap().contains("42"));
    }

    #[test]
    fn the_slowest_pass_is_shown_with_the_last_ending() {
        let mut first = report(Termination::Exited, Some(0));
        first.cpu_ms = 900;
        first.memory_kb = 10;
        let mut last = report(Termination::CpuLimit, None);
        last.cpu_ms = 500;
        last.memory_kb = 20;
        let r = slowest_of(Some(first), last);
        assert_eq!(
            (r.termination, r.cpu_ms, r.memory_kb),
            (Termination::CpuLimit, 900, 20)
        );
    }
}
