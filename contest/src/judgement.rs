//! Judgement types: the Contest API's known list (id, name, penalty, solved)
//! and the mapping from this judge's own verdicts.
//!
//! The judge's verdicts live in `judge-core` (`model::Verdict`). This crate
//! does not depend on it (it must stay pure and build alone), so it mirrors
//! the enum as [`JudgeVerdict`] and also accepts the verdict's string form.

use serde::{Deserialize, Serialize};

use crate::ids::JudgementTypeId;

/// One judgement type as the Contest API's `judgement-types` endpoint serves it.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgementType {
    pub id: JudgementTypeId,
    pub name: String,
    /// Whether a submission with this judgement costs penalty time when the
    /// problem is later solved. The spec's schema makes it optional; absent
    /// means no penalty.
    #[serde(default)]
    pub penalty: bool,
    pub solved: bool,
    /// 2026-01: the simpler type this one maps to (e.g. `TCO` -> `TLE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub simplified_judgement_type_id: Option<JudgementTypeId>,
}

impl JudgementType {
    /// A judging error is not the team's fault: the spec's scoring counts such
    /// a submission as pending (it will be rejudged), never as rejected.
    pub fn counts_as_pending(&self) -> bool {
        self.id.as_str() == "JE"
    }
}

/// The spec's list of known judgement types: (id, name, penalty, solved).
/// Compile errors, compile time limit, judging/submission errors and
/// "contact staff" carry no penalty; every other rejection does.
pub const KNOWN_JUDGEMENT_TYPES: &[(&str, &str, bool, bool)] = &[
    ("AC", "Accepted", false, true),
    ("RE", "Rejected", true, false),
    ("WA", "Wrong Answer", true, false),
    ("TLE", "Time Limit Exceeded", true, false),
    ("RTE", "Run-Time Error", true, false),
    ("CE", "Compile Error", false, false),
    ("APE", "Accepted - Presentation Error", false, true),
    ("OLE", "Output Limit Exceeded", true, false),
    ("PE", "Presentation Error", true, false),
    ("EO", "Excessive Output", true, false),
    ("IO", "Incomplete Output", true, false),
    ("NO", "No Output", true, false),
    ("WTL", "Wallclock Time Limit Exceeded", true, false),
    ("ILE", "Idleness Limit Exceeded", true, false),
    ("TCO", "Time Limit Exceeded - Correct Output", true, false),
    ("TWA", "Time Limit Exceeded - Wrong Answer", true, false),
    (
        "TPE",
        "Time Limit Exceeded - Presentation Error",
        true,
        false,
    ),
    ("TEO", "Time Limit Exceeded - Excessive Output", true, false),
    (
        "TIO",
        "Time Limit Exceeded - Incomplete Output",
        true,
        false,
    ),
    ("TNO", "Time Limit Exceeded - No Output", true, false),
    ("MLE", "Memory Limit Exceeded", true, false),
    ("SV", "Security Violation", true, false),
    ("IF", "Illegal Function", true, false),
    ("RCO", "Run-Time Error - Correct Output", true, false),
    ("RWA", "Run-Time Error - Wrong Answer", true, false),
    ("RPE", "Run-Time Error - Presentation Error", true, false),
    ("REO", "Run-Time Error - Excessive Output", true, false),
    ("RIO", "Run-Time Error - Incomplete Output", true, false),
    ("RNO", "Run-Time Error - No Output", true, false),
    ("CTL", "Compile Time Limit Exceeded", false, false),
    ("JE", "Judging Error", false, false),
    ("SE", "Submission Error", false, false),
    ("CS", "Contact Staff", false, false),
];

/// The known judgement type with this id, if the spec lists it.
pub fn known(id: &str) -> Option<JudgementType> {
    KNOWN_JUDGEMENT_TYPES
        .iter()
        .find(|(k, ..)| *k == id)
        .map(|&(id, name, penalty, solved)| JudgementType {
            id: id.into(),
            name: name.into(),
            penalty,
            solved,
            simplified_judgement_type_id: None,
        })
}

/// The judgement types this judge can produce (see [`JudgeVerdict`]), in the
/// order a `judgement-types` endpoint would list them.
pub fn judge_types() -> Vec<JudgementType> {
    JudgeVerdict::ALL
        .iter()
        .filter_map(|v| known(v.judgement_type_id()))
        .collect()
}

/// This judge's verdicts, mirroring `judge_core::model::Verdict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum JudgeVerdict {
    Accepted,
    WrongAnswer,
    TimeLimitExceeded,
    MemoryLimitExceeded,
    OutputLimitExceeded,
    RunTimeError,
    CompilationError,
    /// The judge failed, not the submission.
    InternalError,
}

impl JudgeVerdict {
    pub const ALL: [JudgeVerdict; 8] = [
        JudgeVerdict::Accepted,
        JudgeVerdict::WrongAnswer,
        JudgeVerdict::TimeLimitExceeded,
        JudgeVerdict::MemoryLimitExceeded,
        JudgeVerdict::OutputLimitExceeded,
        JudgeVerdict::RunTimeError,
        JudgeVerdict::CompilationError,
        JudgeVerdict::InternalError,
    ];

    /// The CCS judgement type id for this verdict. The names differ in two
    /// places: the judge's `RE` is the spec's `RTE` (the spec's `RE` means
    /// the generic "Rejected"), and the judge's `IE` (internal error) is the
    /// spec's `JE` (judging error), which scoring treats as pending.
    pub fn judgement_type_id(self) -> &'static str {
        match self {
            JudgeVerdict::Accepted => "AC",
            JudgeVerdict::WrongAnswer => "WA",
            JudgeVerdict::TimeLimitExceeded => "TLE",
            JudgeVerdict::MemoryLimitExceeded => "MLE",
            JudgeVerdict::OutputLimitExceeded => "OLE",
            JudgeVerdict::RunTimeError => "RTE",
            JudgeVerdict::CompilationError => "CE",
            JudgeVerdict::InternalError => "JE",
        }
    }

    /// Parses the judge's serialized verdict (`judge_core::model::Verdict`'s
    /// variant names: `AC WA TLE MLE OLE RE CE IE`).
    pub fn from_judge_str(s: &str) -> Option<JudgeVerdict> {
        Some(match s {
            "AC" => JudgeVerdict::Accepted,
            "WA" => JudgeVerdict::WrongAnswer,
            "TLE" => JudgeVerdict::TimeLimitExceeded,
            "MLE" => JudgeVerdict::MemoryLimitExceeded,
            "OLE" => JudgeVerdict::OutputLimitExceeded,
            "RE" => JudgeVerdict::RunTimeError,
            "CE" => JudgeVerdict::CompilationError,
            "IE" => JudgeVerdict::InternalError,
            _ => return None,
        })
    }
}

/// The judgement type id for a verdict string as the judge writes it.
pub fn judgement_type_for_verdict(verdict: &str) -> Option<JudgementTypeId> {
    JudgeVerdict::from_judge_str(verdict).map(|v| v.judgement_type_id().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_types_have_spec_penalties() {
        let p = |id| known(id).unwrap().penalty;
        assert!(p("WA") && p("TLE") && p("RTE") && p("MLE") && p("SV"));
        assert!(!p("CE") && !p("JE") && !p("AC") && !p("CTL"));
        assert!(known("AC").unwrap().solved && known("APE").unwrap().solved);
        assert!(known("XYZ").is_none());
        assert!(known("JE").unwrap().counts_as_pending());
        assert!(!known("CE").unwrap().counts_as_pending());
    }

    #[test]
    fn judge_verdicts_map_to_ccs_ids() {
        assert_eq!(judgement_type_for_verdict("RE").unwrap().as_str(), "RTE");
        assert_eq!(judgement_type_for_verdict("IE").unwrap().as_str(), "JE");
        assert_eq!(judgement_type_for_verdict("AC").unwrap().as_str(), "AC");
        assert!(judgement_type_for_verdict("Accepted").is_none());
        // Every verdict maps to a type the spec knows.
        assert_eq!(judge_types().len(), JudgeVerdict::ALL.len());
    }
}
