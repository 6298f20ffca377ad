//! Submissions, jobs, verdicts and the events that report them.

use serde::{Deserialize, Serialize};

use problem_package::language::Language;
use problem_package::problem::ProblemSummary;
use problem_package::source::{Program, SourceError, SourceFile};

/// The outcome of a test case or of a whole submission, in ICPC terms.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Verdict {
    /// Accepted.
    AC,
    /// Wrong answer.
    WA,
    /// Time limit exceeded (CPU or wall clock).
    TLE,
    /// Memory limit exceeded.
    MLE,
    /// Output limit exceeded.
    OLE,
    /// Run-time error: non-zero exit or killed by a signal.
    RE,
    /// Compilation error.
    CE,
    /// Internal error: the judge failed, not the submission.
    IE,
}

impl Verdict {
    pub fn long_name(self) -> &'static str {
        match self {
            Verdict::AC => "Accepted",
            Verdict::WA => "Wrong Answer",
            Verdict::TLE => "Time Limit Exceeded",
            Verdict::MLE => "Memory Limit Exceeded",
            Verdict::OLE => "Output Limit Exceeded",
            Verdict::RE => "Run-Time Error",
            Verdict::CE => "Compilation Error",
            Verdict::IE => "Internal Error",
        }
    }

    /// The verdict that the Kattis `submissions/<folder>` convention expects.
    pub fn from_submission_folder(folder: &str) -> Option<Verdict> {
        Some(match folder {
            "accepted" => Verdict::AC,
            "wrong_answer" => Verdict::WA,
            "time_limit_exceeded" => Verdict::TLE,
            "run_time_error" => Verdict::RE,
            "memory_limit_exceeded" => Verdict::MLE,
            "output_limit_exceeded" => Verdict::OLE,
            "compile_error" => Verdict::CE,
            _ => return None,
        })
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self, f)
    }
}

/// Where a submission is in its life.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Queued,
    Compiling,
    Running,
    /// Final: `verdict` is set and never changes again.
    Finished,
    /// Final, without a verdict: an admin (or the submitter of a package
    /// check) cancelled it before it was judged; `message` says who. It is
    /// never judged afterwards and counts nowhere (no statistics, no best
    /// result, not on a contest's board).
    Cancelled,
}

/// What the API stores once when it accepts a submission. Never modified.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmissionRecord {
    pub id: String,
    pub user_id: String,
    pub problem_id: String,
    /// Content hash of the problem package current at submission time.
    pub problem_version: String,
    pub language: String,
    /// The source of a single-file submission (the editor's), or the entry
    /// file's when `files` is given, so that a listing can show it.
    pub code: String,
    /// Every file of a submission made of named files (a package's
    /// submission, `judge submit a.cpp b.h`); empty for a single `code`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<SourceFile>,
    /// The entry point the submitter named (a file, or a Java/Kotlin class).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<String>,
    pub created_at_ms: u64,
    /// The contest this submission was made in (it then counts on that
    /// contest's board); absent for practice. Records stored before
    /// contests existed have none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contest_id: Option<String>,
    /// The contest team that made it (with `contest_id`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub team_id: Option<String>,
}

impl SubmissionRecord {
    /// The program to build: the named files, or `code` under the
    /// language's default name. `Err` explains why the files make no
    /// program (a compilation error for the submitter).
    pub fn program(&self, lang: &Language) -> Result<Program, SourceError> {
        self.program_with(lang, Vec::new())
    }

    /// The program with the package's included files laid over the
    /// submission's (see [`problem_package::include`]).
    pub fn program_with(
        &self,
        lang: &Language,
        included: Vec<SourceFile>,
    ) -> Result<Program, SourceError> {
        if self.files.is_empty() && included.is_empty() {
            return Ok(Program::from_code(lang, &self.code));
        }
        let submitted = if self.files.is_empty() {
            // Named as the editor's code would be (`Solution.java` after its
            // public class), so a driver beside it can refer to it.
            Program::from_code(lang, &self.code).files
        } else {
            self.files.clone()
        };
        let files = problem_package::include::merge(submitted, included);
        Program::new(lang, files, self.entry_point.as_deref())
    }
}

/// The stream entry a worker takes. The code stays in the record so that the
/// stream stays small and a re-delivered job reads the same record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Job {
    pub submission_id: String,
}

/// The result of one test case.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestResult {
    /// 1-based position in judging order.
    pub index: usize,
    /// `sample/1`, `secret/group1/big`: the case's path below `data/` without extension.
    pub name: String,
    pub verdict: Verdict,
    /// CPU time (user + system) in milliseconds.
    pub time_ms: u64,
    pub wall_ms: u64,
    /// Peak resident memory in KiB.
    pub memory_kb: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub exit_code: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub signal: Option<i32>,
    /// A message the submitter may see (validator's teammessage, comparison diff).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
    /// Scoring problems only: the case's score (its validator's `score.txt`,
    /// or what the format gives an accepted / rejected case). Absent on
    /// pass-fail problems, on samples of 2025-09 problems (they score
    /// nothing) and in states stored before scoring existed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
    /// Why a failing test failed, in full: only for samples (and every test
    /// of a function problem whose spec says `show_all_cases`), since it
    /// quotes the expected answer. Absent on accepted and secret tests.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub detail: Option<TestDetail>,
}

/// The failing case shown to the submitter: what went in, what was
/// expected, what came out, each cut to [`DETAIL_SHOWN_BYTES`].
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TestDetail {
    /// The test's input (the `.in` file).
    pub input: String,
    /// The expected answer (the `.ans` file).
    pub expected: String,
    /// The submission's stdout.
    pub received: String,
    /// The start of the submission's stderr.
    pub stderr: String,
    /// Function problems: what the user's code printed to stdout (then
    /// `received` is the value its function returned).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub stdout: Option<String>,
    /// True when any of the four texts was cut.
    pub truncated: bool,
    /// Where `received` first differs from `expected` by the default
    /// validator's rules; absent when it cannot say (a crash, a custom
    /// validator that accepts what the token rules would not).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub first_difference: Option<problem_package::compare::TextPosition>,
}

/// How much of each text a [`TestDetail`] keeps.
pub const DETAIL_SHOWN_BYTES: usize = 4 << 10;

impl TestDetail {
    /// The start of `bytes`, at most [`DETAIL_SHOWN_BYTES`] cut at a
    /// character boundary, lossily UTF-8; and whether it was cut.
    pub fn excerpt(bytes: &[u8]) -> (String, bool) {
        if bytes.len() <= DETAIL_SHOWN_BYTES {
            return (String::from_utf8_lossy(bytes).into_owned(), false);
        }
        let mut text = String::from_utf8_lossy(&bytes[..DETAIL_SHOWN_BYTES]).into_owned();
        // A character cut in half decodes as U+FFFD at the end: drop it.
        if text.ends_with('\u{FFFD}') && std::str::from_utf8(&bytes[..DETAIL_SHOWN_BYTES]).is_err()
        {
            text.pop();
        }
        (text, true)
    }
}

/// One test group of a scoring problem, as judged so far: `sample`,
/// `secret` and every group below it (`secret/group1`, nested ones in
/// legacy packages), in the order the format walks them (a group before
/// its subgroups). A group's parent is the name before its last `/`.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupResult {
    /// The group's path below `data/`: `sample`, `secret`, `secret/group1`.
    pub name: String,
    /// 1-based indices ([`TestResult::index`]) of the group's test cases,
    /// those of its subgroups included.
    pub tests: Vec<usize>,
    /// The most the group can score; `None` when unbounded (legacy groups
    /// without a `range`, 2025-09 `max_score: unbounded`) or when the group
    /// scores nothing (samples of 2025-09 problems).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_score: Option<f64>,
    /// The group's score once it is graded; `None` while it is being judged
    /// and for a group that scores nothing.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
    /// The group's verdict once it is graded (AC, or the verdict its
    /// rejection counts as).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub verdict: Option<Verdict>,
    /// Test cases of the group judged AC so far.
    pub passed: usize,
    /// Test cases in the group (`tests.len()`).
    pub total: usize,
    /// Why the group was not judged in full, e.g. a `require_pass` group
    /// that failed, or an earlier rejection with `on_reject: break`.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
}

impl GroupResult {
    /// The groups of a scoring problem's submission before anything is
    /// judged (empty for pass-fail problems): what a queued state carries.
    pub fn unjudged(summary: &ProblemSummary) -> Vec<GroupResult> {
        summary
            .groups
            .iter()
            .map(|g| GroupResult {
                name: g.name.clone(),
                tests: g.tests.clone(),
                max_score: g.max_score,
                score: None,
                verdict: None,
                passed: 0,
                total: g.tests.len(),
                message: None,
            })
            .collect()
    }
}

/// The whole observable state of a submission. Every event carries a copy, so
/// a client needs no earlier event to know where a submission stands.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SubmissionState {
    pub id: String,
    pub user_id: String,
    pub problem_id: String,
    pub language: String,
    pub status: Status,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub verdict: Option<Verdict>,
    /// Number of test cases the problem version has.
    pub tests_total: usize,
    /// Results of the cases judged so far, in order.
    pub results: Vec<TestResult>,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub compile_output: Option<String>,
    /// Maximum CPU time over the judged cases.
    pub time_ms: u64,
    /// Maximum memory over the judged cases.
    pub memory_kb: u64,
    /// Why the judge failed (IE) or a short explanation of the verdict.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub message: Option<String>,
    pub created_at_ms: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub finished_at_ms: Option<u64>,
    /// Increases with every stored change; clients drop anything older than what they have.
    pub seq: u64,
    /// Set by an admin rejudge: the verdict the submission had before it was re-queued.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub previous_verdict: Option<Verdict>,
    /// Only for a custom run ("Run" in the editor): what the program printed.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub run_output: Option<RunOutput>,
    /// Scoring problems only: the submission's score, set when it is
    /// finished (a rejudge recomputes it). Absent on pass-fail problems.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub score: Option<f64>,
    /// Scoring problems only: the most the submission can score (`None`
    /// when the package's score is unbounded, or on pass-fail problems).
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub max_score: Option<f64>,
    /// Scoring problems only: every test group with its tests, score and
    /// verdict, kept current as tests finish. Empty on pass-fail problems.
    #[serde(skip_serializing_if = "Vec::is_empty", default)]
    pub groups: Vec<GroupResult>,
    /// While queued: how many jobs will be judged before this one (see
    /// `judge_store::queue`). Never stored: filled in when the state is loaded
    /// for a client, and refreshed by the gateway while it waits.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub queue_position: Option<u64>,
    /// The contest the submission counts in (see [`SubmissionRecord::contest_id`]):
    /// a final state of such a submission is also a judgement on its board.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub contest_id: Option<String>,
    /// The contest team that made it.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub team_id: Option<String>,
}

/// The output of a custom run, shown to the person who ran it.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunOutput {
    /// The start of stdout (at most [`RUN_OUTPUT_SHOWN_BYTES`]), lossily UTF-8.
    pub stdout: String,
    /// The start of stderr, lossily UTF-8.
    pub stderr: String,
    /// True when stdout was longer than what is shown.
    pub truncated: bool,
}

/// Limits of a custom run: it belongs to no problem, so it gets these.
pub const RUN_TIME_LIMIT_MS: u64 = 2000;
pub const RUN_MEMORY_MB: u64 = 256;
/// Largest custom input accepted.
pub const RUN_MAX_INPUT_BYTES: usize = 1 << 20;
/// How much of a custom run's stdout is kept.
pub const RUN_OUTPUT_SHOWN_BYTES: usize = 64 << 10;
/// The `problem_id` of a custom run's record and state.
pub const RUN_PROBLEM_ID: &str = "(run)";
/// How long a custom run's record and state are kept, in seconds.
pub const RUN_TTL_SECS: u64 = 3600;

impl SubmissionState {
    /// The state of a freshly accepted submission.
    pub fn queued(record: &SubmissionRecord, tests_total: usize) -> Self {
        SubmissionState {
            id: record.id.clone(),
            user_id: record.user_id.clone(),
            problem_id: record.problem_id.clone(),
            language: record.language.clone(),
            status: Status::Queued,
            verdict: None,
            tests_total,
            results: Vec::new(),
            compile_output: None,
            time_ms: 0,
            memory_kb: 0,
            message: None,
            created_at_ms: record.created_at_ms,
            finished_at_ms: None,
            seq: 0,
            previous_verdict: None,
            run_output: None,
            score: None,
            max_score: None,
            groups: Vec::new(),
            queue_position: None,
            contest_id: record.contest_id.clone(),
            team_id: record.team_id.clone(),
        }
    }

    /// True for a submission to a scoring problem.
    pub fn is_scoring(&self) -> bool {
        !self.groups.is_empty()
    }

    /// Finished or cancelled: the stored state never changes again (short
    /// of a rejudge of a finished one).
    pub fn is_final(&self) -> bool {
        matches!(self.status, Status::Finished | Status::Cancelled)
    }

    /// Appends a test result and keeps the time and memory maxima current.
    pub fn push_result(&mut self, result: TestResult) {
        self.time_ms = self.time_ms.max(result.time_ms);
        self.memory_kb = self.memory_kb.max(result.memory_kb);
        self.results.push(result);
    }

    /// Marks the submission cancelled, `message` saying by whom.
    pub fn cancel(&mut self, message: String, now_ms: u64) {
        self.status = Status::Cancelled;
        self.verdict = None;
        self.message = Some(message);
        self.finished_at_ms = Some(now_ms);
        self.queue_position = None;
    }

    /// Marks the submission finished with `verdict`.
    pub fn finish(&mut self, verdict: Verdict, now_ms: u64) {
        self.status = Status::Finished;
        self.verdict = Some(verdict);
        self.finished_at_ms = Some(now_ms);
    }
}

/// What happened, carried with the state it led to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    Queued,
    Compiling,
    /// A test case started; `state.results.len() + 1` is its index.
    Running,
    /// A test case finished; it is the last of `state.results`.
    TestFinished,
    Finished,
    /// Sent by the gateway on connect: the stored state, not a change.
    Snapshot,
}

/// A pub/sub and WebSocket message.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Event {
    pub kind: EventKind,
    pub state: SubmissionState,
}

/// Milliseconds since the Unix epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_stored_before_scoring_still_parse_and_pass_fail_states_keep_their_shape() {
        let old = r#"{"id":"s","user_id":"u","problem_id":"p","language":"cpp",
            "status":"finished","verdict":"AC","tests_total":1,
            "results":[{"index":1,"name":"secret/1","verdict":"AC","time_ms":1,"wall_ms":1,"memory_kb":1}],
            "time_ms":1,"memory_kb":1,"created_at_ms":0,"seq":3}"#;
        let state: SubmissionState = serde_json::from_str(old).unwrap();
        assert_eq!(state.score, None);
        assert!(state.groups.is_empty() && !state.is_scoring());
        assert_eq!(state.results[0].score, None);
        let json = serde_json::to_value(&state).unwrap();
        for key in ["score", "max_score", "groups"] {
            assert!(json.get(key).is_none(), "{key} in a pass-fail state");
        }
        assert!(json["results"][0].get("score").is_none());
        assert!(json["results"][0].get("detail").is_none());
        assert!(state.contest_id.is_none() && json.get("contest_id").is_none());
    }

    #[test]
    fn records_stored_before_contests_still_parse() {
        let old = r#"{"id":"s","user_id":"u","problem_id":"p","problem_version":"v",
            "language":"cpp","code":"x","created_at_ms":0}"#;
        let record: SubmissionRecord = serde_json::from_str(old).unwrap();
        assert_eq!((record.contest_id, record.team_id), (None, None));
        let mut record: SubmissionRecord = serde_json::from_str(old).unwrap();
        record.contest_id = Some("c".into());
        record.team_id = Some("t".into());
        let state = SubmissionState::queued(&record, 1);
        assert_eq!(state.contest_id.as_deref(), Some("c"));
        assert_eq!(state.team_id.as_deref(), Some("t"));
    }

    #[test]
    fn excerpts_are_cut_at_a_character_boundary() {
        assert_eq!(TestDetail::excerpt(b"42\n"), ("42\n".to_string(), false));
        let exact = vec![b'x'; DETAIL_SHOWN_BYTES];
        assert!(!TestDetail::excerpt(&exact).1);
        let (text, cut) = TestDetail::excerpt(&[b'y'; DETAIL_SHOWN_BYTES + 1]);
        assert!(cut && text.len() == DETAIL_SHOWN_BYTES);
        // "é" is two bytes; one straddles the limit and is left out whole.
        let mut straddling = vec![b'a'; DETAIL_SHOWN_BYTES - 1];
        straddling.extend("éé".as_bytes());
        let (text, cut) = TestDetail::excerpt(&straddling);
        assert!(cut);
        assert_eq!(text.len(), DETAIL_SHOWN_BYTES - 1);
        assert!(!text.contains('\u{FFFD}'));
    }
}
