//! API answers built from the `api_types` the API itself returns, for fake
//! APIs and output tests: a fake answers with the real shape (every
//! required field), so the CLI's typed reads are tested as they run.
//! Limits are the bundled problems' (1 s, 256 MB); tests set what they
//! look at on the returned value.

use api_types::{
    BestResult, LanguageInfo, ProblemDetail, ProblemListEntry, ProblemSummary, Verdict,
};
use problem_package::problem::{limits, GroupSummary, ValidationKind};

/// One pass-fail problem of `GET /api/problems`, without a caller's best.
pub fn problem_entry(id: &str, name: &str, tests: usize) -> ProblemListEntry {
    ProblemListEntry {
        best: None,
        id: id.into(),
        max_score: None,
        memory_mb: 256,
        name: name.into(),
        scoring: false,
        tests,
        time_limit_ms: 1000,
        validation: ValidationKind::Default,
        version: format!("{id}-v1"),
    }
}

/// `GET /api/problems/{id}` of a pass-fail problem without statement or samples.
pub fn problem_detail(id: &str, name: &str, tests: usize) -> ProblemDetail {
    ProblemDetail {
        summary: ProblemSummary {
            id: id.into(),
            name: name.into(),
            version: format!("{id}-v1"),
            time_limit_ms: 1000,
            memory_mb: 256,
            output_mb: limits::DEFAULT_OUTPUT_MB,
            code_kib: limits::DEFAULT_CODE_KIB,
            validation: ValidationKind::Default,
            validation_passes: None,
            tests,
            statement: None,
            samples: Vec::new(),
            scoring: false,
            max_score: None,
            groups: Vec::new(),
            function: None,
        },
        function_languages: None,
    }
}

/// One language of `GET /api/languages`, its image state unknown (`ready: null`).
pub fn language(id: &str, name: &str, extensions: &[&str]) -> LanguageInfo {
    LanguageInfo {
        default: true,
        editor_mode: id.into(),
        enable_command: format!("scripts/build-images.sh {id}"),
        extensions: extensions.iter().map(|e| e.to_string()).collect(),
        id: id.into(),
        name: name.into(),
        ready: None,
        requested: false,
        time_multiplier: 1.0,
        version: String::new(),
    }
}

/// A test group of a scoring problem's page.
pub fn group(
    name: &str,
    tests: &[usize],
    max_score: Option<f64>,
    aggregation: &str,
    require_pass: &[&str],
) -> GroupSummary {
    GroupSummary {
        name: name.into(),
        tests: tests.to_vec(),
        max_score,
        aggregation: aggregation.into(),
        require_pass: require_pass.iter().map(|r| r.to_string()).collect(),
    }
}

/// A caller's best on a problem; with `score`, out of 100 points.
pub fn best(submission: &str, verdict: Verdict, score: Option<f64>) -> BestResult {
    BestResult {
        max_score: score.map(|_| 100.0),
        score,
        solved: verdict == Verdict::AC,
        submission_id: submission.into(),
        verdict,
    }
}
