//! The feedback directory of an output validator, and what one validator
//! run decides: one mechanism for the custom validator (`Validate`) and the
//! interactive one (`RunInteractive`).
//!
//! The runner creates [`FEEDBACK_DIR`] for the validator, sends back what it
//! left there (a `Feedback` response right before the report: the start of
//! each file, and `nextpass.in` whole) and, for the next pass of a
//! multi-pass test (`keep_feedback`), keeps the directory as it was but for
//! `nextpass.in`. So feedback files persist between passes and a validator
//! may append to `judgemessage.txt`, as the format says.
//!
//! [`judge_pass`] reads a validator's exit code and feedback by the format's
//! rules: 42 accepts, 43 rejects, anything else (0 included, a crash, a
//! limit) is a judge error, never WA. In a multi-pass problem, 42 with a
//! `nextpass.in` asks for another pass on that input; writing `nextpass.in`
//! with another exit code, or asking for more passes than
//! `limits.validation_passes`, is a judge error.

use judge_protocol::{Report, Response, Termination, NEXTPASS_FILE};
use submission::Verdict;

pub use judge_protocol::FEEDBACK_DIR;

use crate::sandbox::error::SandboxError;
use crate::sandbox::runner_session::RunnerSession;

/// What a validator left in its feedback directory after one run.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Feedback {
    /// Every file but `nextpass.in`: name and the start of its contents.
    pub files: Vec<(String, String)>,
    /// `nextpass.in`, whole, if the validator wrote one.
    pub nextpass: Option<Vec<u8>>,
}

impl Feedback {
    /// A feedback file's text, trimmed; `None` if absent or blank.
    pub fn file(&self, name: &str) -> Option<String> {
        self.files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, t)| t.trim_end().to_string())
            .filter(|t| !t.is_empty())
    }

    /// `teammessage.txt`: may be shown to the submitter.
    pub fn team_message(&self) -> Option<String> {
        self.file("teammessage.txt")
    }

    /// `judgemessage.txt`: for admins only (logs and IE messages).
    pub fn judge_message(&self) -> Option<String> {
        self.file("judgemessage.txt")
    }

    /// `score.txt` or `score_multiplier.txt` (scoring problems); `Err`
    /// (a judge error) for both, or for a text that is not one number.
    pub fn score(&self) -> Result<crate::grader::ScoreFile, String> {
        crate::grader::score_file(
            self.file("score.txt").as_deref(),
            self.file("score_multiplier.txt").as_deref(),
        )
    }

    /// Takes a `Feedback` response and its payload (`nextpass.in`).
    pub fn from_response(response: Response, payload: Vec<u8>) -> Option<Feedback> {
        match response {
            Response::Feedback {
                files,
                nextpass_len,
            } => Some(Feedback {
                files,
                nextpass: nextpass_len.map(|_| payload),
            }),
            _ => None,
        }
    }
}

/// What one pass of a test decided.
#[derive(Clone, Debug, PartialEq)]
pub enum PassOutcome {
    /// The test's verdict.
    Final(Verdict),
    /// Accepted so far: the submission runs again, on this input.
    Next(Vec<u8>),
}

/// The exit code of a validator that ended by itself with 42 or 43, or
/// why it is a judge error (its own limits, a crash, another code).
pub fn validator_exit(report: &Report) -> Result<i32, String> {
    match (report.termination, report.exit_code) {
        (Termination::Exited, Some(code @ (42 | 43))) => Ok(code),
        (Termination::Exited, Some(code)) => Err(format!(
            "the output validator exited with code {code} (42 = accepted, 43 = wrong answer)"
        )),
        _ => Err(format!(
            "the output validator failed ({}; 42 = accepted, 43 = wrong answer)",
            crate::verdict::describe(report)
        )),
    }
}

/// Appends the validator's judgemessage and stderr to a judge error.
pub fn explain(mut message: String, report: &Report, feedback: &Feedback) -> String {
    if let Some(judge) = feedback.judge_message() {
        message.push_str(&format!("; judgemessage: {judge}"));
    }
    let stderr = report.stderr.trim();
    if !stderr.is_empty() {
        message.push_str(&format!("; stderr: {stderr}"));
    }
    message
}

/// The outcome of pass `pass` (1-based) from the validator's exit code:
/// `passes` is the problem's `validation_passes` (`None`: not multi-pass,
/// where `nextpass.in` means nothing). `Err` is a judge error for admins.
pub fn pass_from_exit(
    code: i32,
    feedback: &Feedback,
    passes: Option<u32>,
    pass: u32,
) -> Result<PassOutcome, String> {
    match (code, passes, &feedback.nextpass) {
        (43, Some(_), Some(_)) => Err(format!(
            "the output validator wrote {NEXTPASS_FILE} but exited with 43 (pass {pass}); \
             another pass is asked for with 42 only"
        )),
        (43, _, _) => Ok(PassOutcome::Final(Verdict::WA)),
        (42, Some(max), Some(_)) if pass >= max => Err(format!(
            "the output validator asked for pass {} but limits.validation_passes is {max}",
            pass + 1
        )),
        (42, Some(_), Some(next)) => Ok(PassOutcome::Next(next.clone())),
        (42, _, _) => Ok(PassOutcome::Final(Verdict::AC)),
        (code, _, _) => Err(format!(
            "the output validator exited with code {code} (42 = accepted, 43 = wrong answer)"
        )),
    }
}

/// One custom-validator run judged: the outcome of the pass or a judge error.
pub fn judge_pass(
    report: &Report,
    feedback: &Feedback,
    passes: Option<u32>,
    pass: u32,
) -> Result<PassOutcome, String> {
    let code = validator_exit(report).map_err(|m| explain(m, report, feedback))?;
    pass_from_exit(code, feedback, passes, pass).map_err(|m| explain(m, report, feedback))
}

/// Reads the `Feedback` and the `Report` that answer a `Validate`.
pub async fn receive_validation(
    session: &mut RunnerSession,
) -> Result<(Report, Feedback), SandboxError> {
    let mut feedback = None;
    loop {
        match session.receive().await? {
            (Response::Report(report), _) => {
                let feedback = feedback.ok_or_else(|| {
                    SandboxError::Protocol("a validation report without its feedback".into())
                })?;
                return Ok((report, feedback));
            }
            (Response::Error { message }, _) => return Err(SandboxError::Runner(message)),
            (response @ Response::Feedback { .. }, payload) => {
                feedback = Feedback::from_response(response, payload);
            }
            (other, _) => {
                return Err(SandboxError::Protocol(format!(
                    "expected feedback and a report, got {other:?}"
                )))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exited(code: i32) -> Report {
        Report {
            termination: Termination::Exited,
            exit_code: Some(code),
            signal: None,
            cpu_ms: 1,
            wall_ms: 1,
            memory_kb: 1,
            stdout_len: 0,
            stderr: "oops".into(),
        }
    }

    fn feedback(nextpass: Option<&[u8]>) -> Feedback {
        Feedback {
            files: vec![
                (
                    "judgemessage.txt".into(),
                    "pass 1 fine\npass 2 bad\n".into(),
                ),
                ("teammessage.txt".into(), "  \n".into()),
            ],
            nextpass: nextpass.map(<[u8]>::to_vec),
        }
    }

    #[test]
    fn exit_codes_decide_and_other_codes_are_judge_errors() {
        let none = feedback(None);
        assert_eq!(
            judge_pass(&exited(42), &none, None, 1),
            Ok(PassOutcome::Final(Verdict::AC))
        );
        assert_eq!(
            judge_pass(&exited(43), &none, None, 1),
            Ok(PassOutcome::Final(Verdict::WA))
        );
        for code in [0, 1, 41, 44, 139] {
            let err = judge_pass(&exited(code), &none, None, 1).unwrap_err();
            assert!(err.contains(&format!("code {code}")), "{err}");
            assert!(
                err.contains("judgemessage: pass 1 fine\npass 2 bad"),
                "{err}"
            );
            assert!(err.contains("stderr: oops"), "{err}");
        }
        for termination in [
            Termination::WallLimit,
            Termination::CpuLimit,
            Termination::Signaled,
            Termination::MemoryLimit,
        ] {
            let mut r = exited(43);
            r.termination = termination;
            assert!(judge_pass(&r, &none, None, 1).is_err(), "{termination:?}");
        }
        assert_eq!(none.team_message(), None);
        assert_eq!(
            none.judge_message().as_deref(),
            Some("pass 1 fine\npass 2 bad")
        );
    }

    #[test]
    fn multi_pass_rules() {
        let next = feedback(Some(b"7 8\n"));
        // 42 with nextpass.in: another pass on it, up to the limit.
        assert_eq!(
            judge_pass(&exited(42), &next, Some(3), 1),
            Ok(PassOutcome::Next(b"7 8\n".to_vec()))
        );
        assert_eq!(
            judge_pass(&exited(42), &next, Some(3), 2),
            Ok(PassOutcome::Next(b"7 8\n".to_vec()))
        );
        let err = judge_pass(&exited(42), &next, Some(3), 3).unwrap_err();
        assert!(
            err.contains("pass 4") && err.contains("validation_passes is 3"),
            "{err}"
        );
        // 42 without nextpass.in ends the test accepted, at any pass.
        assert_eq!(
            judge_pass(&exited(42), &feedback(None), Some(2), 2),
            Ok(PassOutcome::Final(Verdict::AC))
        );
        // A wrong answer in a later pass is WA, not AC.
        assert_eq!(
            judge_pass(&exited(43), &feedback(None), Some(2), 2),
            Ok(PassOutcome::Final(Verdict::WA))
        );
        // nextpass.in with another exit code: a judge error.
        let err = judge_pass(&exited(43), &next, Some(2), 1).unwrap_err();
        assert!(err.contains("nextpass.in") && err.contains("43"), "{err}");
        assert!(judge_pass(&exited(0), &next, Some(2), 1).is_err());
        // Outside multi-pass problems the file means nothing.
        assert_eq!(
            judge_pass(&exited(42), &next, None, 1),
            Ok(PassOutcome::Final(Verdict::AC))
        );
        assert_eq!(
            judge_pass(&exited(43), &next, None, 1),
            Ok(PassOutcome::Final(Verdict::WA))
        );
    }

    #[test]
    fn a_feedback_response_carries_nextpass_whole() {
        let f = Feedback::from_response(
            Response::Feedback {
                files: vec![],
                nextpass_len: Some(3),
            },
            b"abc".to_vec(),
        )
        .unwrap();
        assert_eq!(f.nextpass.as_deref(), Some(&b"abc"[..]));
        let f = Feedback::from_response(
            Response::Feedback {
                files: vec![],
                nextpass_len: None,
            },
            vec![],
        )
        .unwrap();
        assert_eq!(f.nextpass, None);
        assert!(Feedback::from_response(Response::Started, vec![]).is_none());
    }
}
