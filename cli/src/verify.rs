//! `judge problem verify DIR` and the time-limit derivation of
//! `judge problem add DIR` (admin), over the API.
//!
//! The package goes up as a **draft** version (`PUT ...?draft=true`), which
//! users neither see nor submit to. Every submission under `submissions/`
//! is submitted against it with `problem_version` (stored under the user id
//! `verify`, not in anyone's history) and checked against its folder's
//! permitted and required verdicts, and those of `submissions/submissions.yaml`
//! (2023-07 / 2025-09). Judging stops at a submission's first failing case
//! (`on_reject: break`), so "every case" means every case judged. On a
//! scoring problem the score is checked too: 2025-09 `score` (a number or an
//! inclusive range) and legacy `partially_accepted/` (verdict AC, score
//! below the maximum); a partial solution elsewhere is judged by its cases'
//! verdicts like any other.
//!
//! Time limits (see [`judge_core::timelimit`]): when the package gives none,
//! the submissions that bound the limit from below are judged first against
//! a draft with a generous probe limit ([`PROBE_TIME_LIMIT_MS`]); the limit
//! follows from their slowest case (CPU time divided by the language's time
//! multiplier) and is written into the package as a `.timelimit` file whose
//! comment says how it was reached. Submissions that must be too slow are
//! judged against a second draft whose limit is the format's higher one
//! (legacy `time_safety_margin`, 2025-09 `time_limit_to_tle`): they must be
//! TLE even there. Each submission is judged once.

use std::path::{Path, PathBuf};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use judge_core::problem::Problem;
use judge_core::timelimit::{self, Format, Timed, TimingRules};
use judge_core::{SubmissionState, Verdict};
use serde::Serialize;
use serde_json::{json, Value};
use tokio::time::Instant;

use crate::api_client::PackageAnswer;
use crate::commands::{self, Context};
use crate::error::{code, CliError};
use crate::output;
use crate::sources;

/// The limit lower-bound submissions are judged with while the real one is
/// not known yet: DOMjudge's default for a problem without a limit.
pub const PROBE_TIME_LIMIT_MS: u64 = 10_000;
/// After this long with every submission still queued, the CLI says so.
const STALL_NOTICE: Duration = Duration::from_secs(60);
/// How often pending submissions are polled.
const POLL_EVERY: Duration = Duration::from_millis(400);

/// A verdict class as the package format names them.
const AC: &str = "AC";
const WA: &str = "WA";
const TLE: &str = "TLE";
const RTE: &str = "RTE";

/// The format's verdict for a judge verdict: MLE and OLE are run-time
/// errors there (problemtools runs submissions under the memory limit and
/// reports a crash); a compilation or judge error is never permitted.
fn format_verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::AC => AC,
        Verdict::WA => WA,
        Verdict::TLE => TLE,
        Verdict::RE | Verdict::MLE | Verdict::OLE => RTE,
        Verdict::CE => "CE",
        Verdict::IE => "JE",
    }
}

/// One requirement a submission must meet.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Rule {
    /// Where it comes from: `accepted/` or `submissions.yaml: <glob>`.
    pub source: String,
    /// Every judged case must have one of these.
    pub permitted: Vec<String>,
    /// At least one judged case must have one of these.
    pub required: Vec<String>,
    /// `use_for_time_limit` of this rule, if given.
    #[serde(skip)]
    pub use_for_time_limit: Option<UseForTimeLimit>,
    /// The submission's score must lie in this inclusive range (2025-09
    /// `score` in `submissions.yaml`: a number, or two).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub score: Option<(f64, f64)>,
    /// Legacy `partially_accepted/`: the submission's verdict is AC and its
    /// score is not the maximum.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub partially_accepted: bool,
    /// `grading.objective: min`: `partially_accepted/` must then not get the
    /// range's minimum, which the judge does not report, so only its AC is
    /// checked (with a note).
    #[serde(skip)]
    pub minimize: bool,
}

/// Scores within this of a bound are at the bound (sums of fractions).
const SCORE_EPSILON: f64 = 1e-6;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UseForTimeLimit {
    No,
    Lower,
    Upper,
}

impl Rule {
    fn new(source: &str, permitted: &[&str], required: &[&str]) -> Rule {
        Rule {
            source: source.into(),
            permitted: permitted.iter().map(|s| s.to_string()).collect(),
            required: required.iter().map(|s| s.to_string()).collect(),
            use_for_time_limit: None,
            score: None,
            partially_accepted: false,
            minimize: false,
        }
    }

    /// Why the submission's score breaks this rule, if it does. A scoring
    /// rule on a pass-fail problem is broken: the package is inconsistent.
    fn score_broken_by(&self, state: &SubmissionState) -> Option<String> {
        if self.score.is_none() && !self.partially_accepted {
            return None;
        }
        let Some(score) = state.score.filter(|_| state.is_scoring()) else {
            if state.verdict == Some(Verdict::CE) && state.is_scoring() {
                return Some(format!(
                    "{} expects a score, and a compilation error scores nothing",
                    self.source
                ));
            }
            return Some(format!(
                "{} is for scoring problems, and this one is pass-fail",
                self.source
            ));
        };
        let shown = output::format_score(score);
        if let Some((lo, hi)) = self.score {
            if score < lo - SCORE_EPSILON || score > hi + SCORE_EPSILON {
                return Some(format!(
                    "score {shown} is not {} required by {}",
                    score_range(lo, hi),
                    self.source
                ));
            }
        }
        if self.partially_accepted {
            if state.verdict != Some(Verdict::AC) {
                return Some(format!(
                    "{} requires the verdict AC (with less than the maximum score)",
                    self.source
                ));
            }
            if let Some(max) = state.max_score.filter(|_| !self.minimize) {
                if score >= max - SCORE_EPSILON {
                    return Some(format!(
                        "score {shown} is the maximum, which {} must not get",
                        self.source
                    ));
                }
            }
        }
        None
    }

    /// Why `seen` (the judged cases' verdicts) breaks this rule, if it does.
    fn broken_by(&self, seen: &[&str]) -> Option<String> {
        if let Some(bad) = seen
            .iter()
            .find(|v| !self.permitted.iter().any(|p| p == *v))
        {
            return Some(format!(
                "{bad} is not permitted by {} (permitted: {})",
                self.source,
                self.permitted.join(", ")
            ));
        }
        if !seen.iter().any(|v| self.required.iter().any(|r| r == v)) {
            return Some(format!(
                "{} requires one of {} on some case",
                self.source,
                self.required.join(", ")
            ));
        }
        None
    }

    fn bounds_from_below(&self) -> bool {
        match self.use_for_time_limit {
            Some(UseForTimeLimit::No) | Some(UseForTimeLimit::Upper) => false,
            Some(UseForTimeLimit::Lower) => true,
            None => !self.permitted.iter().any(|p| p == TLE),
        }
    }

    fn bounds_from_above(&self) -> bool {
        match self.use_for_time_limit {
            Some(UseForTimeLimit::No) | Some(UseForTimeLimit::Lower) => false,
            Some(UseForTimeLimit::Upper) => true,
            None => self.required == [TLE],
        }
    }
}

const ALL: &[&str] = &[AC, WA, TLE, RTE];

/// `40`, or `30..50`.
fn score_range(lo: f64, hi: f64) -> String {
    if (hi - lo).abs() < SCORE_EPSILON {
        output::format_score(lo)
    } else {
        format!("{}..{}", output::format_score(lo), output::format_score(hi))
    }
}

/// The requirements of a submission folder with no `submissions.yaml`
/// entry: the 2025-09 defaults, and the legacy folders' descriptions
/// (legacy `time_limit_exceeded/` may also give a wrong answer).
fn folder_rule(format: Format, folder: &str) -> Option<Rule> {
    let source = format!("{folder}/");
    Some(match (format, folder) {
        (_, "accepted") => Rule::new(&source, &[AC], &[AC]),
        (_, "wrong_answer") => Rule::new(&source, &[AC, WA], &[WA]),
        (Format::Legacy, "time_limit_exceeded") => Rule::new(&source, &[AC, WA, TLE], &[TLE]),
        (_, "time_limit_exceeded") => Rule::new(&source, &[AC, TLE], &[TLE]),
        (Format::Legacy, "run_time_error") => Rule::new(&source, ALL, &[RTE]),
        (_, "run_time_error") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "rejected") => Rule::new(&source, ALL, &[RTE, TLE, WA]),
        (_, "brute_force") => Rule::new(&source, &[AC, RTE, TLE], &[RTE, TLE]),
        // DOMjudge-style folders, checked by the nearest format verdict.
        (_, "memory_limit_exceeded") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "output_limit_exceeded") => Rule::new(&source, &[AC, RTE], &[RTE]),
        (_, "compile_error") => Rule::new(&source, &["CE"], &["CE"]),
        // Legacy scoring problems: accepted, with less than the maximum
        // score; its cases may have any verdict (the grader may accept a
        // group that rejected some, e.g. `accept_if_any_accepted`).
        (Format::Legacy, "partially_accepted") => {
            let mut rule = Rule::new(&source, ALL, ALL);
            rule.partially_accepted = true;
            rule
        }
        _ => return None,
    })
}

/// A submission found in the package and what it must get.
#[derive(Clone, Debug)]
pub struct Planned {
    /// Path below `submissions/`, e.g. `accepted/sol.py` or `accepted/multi`.
    pub name: String,
    pub path: PathBuf,
    pub rules: Vec<Rule>,
    /// `language` / `entrypoint` from `submissions.yaml`.
    pub language: Option<String>,
    pub entry_point: Option<String>,
    /// Things about this submission that are not checked (per-group keys).
    pub notes: Vec<String>,
}

impl Planned {
    fn lower(&self, format: Format) -> bool {
        match format {
            // problemtools: the accepted submissions, nothing else.
            Format::Legacy => self.name.starts_with("accepted/"),
            Format::Modern => self.rules.iter().any(Rule::bounds_from_below),
        }
    }

    fn upper(&self, format: Format) -> bool {
        match format {
            Format::Legacy => self.name.starts_with("time_limit_exceeded/"),
            Format::Modern => self.rules.iter().any(Rule::bounds_from_above),
        }
    }

    /// `AC`, `WA`, `TLE`, or `RTE|TLE`: what the submission must get, short.
    fn expected(&self) -> String {
        let mut required: Vec<&str> = Vec::new();
        // A rule that requires nothing in particular (a `score` alone) says
        // nothing here when another rule is more precise.
        let precise: Vec<&Rule> = self.rules.iter().filter(|r| r.required != ALL).collect();
        let rules = if precise.is_empty() {
            self.rules.iter().collect()
        } else {
            precise
        };
        for rule in rules {
            for r in &rule.required {
                if !required.contains(&r.as_str()) {
                    required.push(r);
                }
            }
        }
        let mut text = if required.is_empty() {
            "-".into()
        } else {
            required.join("|")
        };
        if self.rules.iter().any(|r| r.partially_accepted) {
            text = "AC, score < max".into();
        }
        for rule in &self.rules {
            if let Some((lo, hi)) = rule.score {
                text.push_str(&format!(", score {}", score_range(lo, hi)));
            }
        }
        text
    }
}

// ---- submissions.yaml ----

/// Expands `{a,b}` (nested braces too) into every alternative.
fn expand_braces(pattern: &str) -> Vec<String> {
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut close = None;
    let mut splits = Vec::new();
    for (i, c) in pattern[open..].char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(open + i);
                    break;
                }
            }
            ',' if depth == 1 => splits.push(open + i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    let mut bounds = vec![open];
    bounds.extend(&splits);
    bounds.push(close);
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let alternative = &pattern[pair[0] + 1..pair[1]];
        out.extend(expand_braces(&format!("{head}{alternative}{tail}")));
    }
    out
}

/// `*` matches any run of characters within one path segment.
fn segment_matches(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if pi < p.len() && p[pi] == t[ti] {
            pi += 1;
            ti += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// Whether a `submissions.yaml` glob matches a submission (`folder/name`):
/// the submission itself or one of its parent directories, as the spec says.
pub fn glob_matches(pattern: &str, submission: &str) -> bool {
    let parts: Vec<&str> = submission.split('/').collect();
    expand_braces(pattern.trim_matches('/')).iter().any(|p| {
        let pattern: Vec<&str> = p.split('/').collect();
        pattern.len() <= parts.len()
            && pattern
                .iter()
                .zip(&parts)
                .all(|(p, t)| segment_matches(p, t))
    })
}

fn verdict_list(value: &serde_yaml::Value, key: &str, glob: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = match value {
        serde_yaml::Value::String(s) => vec![s.clone()],
        serde_yaml::Value::Sequence(seq) => seq
            .iter()
            .map(|v| v.as_str().map(str::to_string))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| format!("{glob}: {key} must be a list of verdicts"))?,
        _ => return Err(format!("{glob}: {key} must be a list of verdicts")),
    };
    for item in &items {
        if !ALL.contains(&item.as_str()) {
            return Err(format!(
                "{glob}: {key}: unknown verdict {item:?} (expected AC, WA, TLE or RTE)"
            ));
        }
    }
    Ok(items)
}

/// `score: 40` or `score: [30, 50]`, as an inclusive range.
fn score_key(value: &serde_yaml::Value, glob: &str) -> Result<(f64, f64), String> {
    let number = |v: &serde_yaml::Value| v.as_f64().filter(|x| x.is_finite());
    let range = match value {
        serde_yaml::Value::Sequence(items) if items.len() == 2 => {
            number(&items[0]).zip(number(&items[1]))
        }
        other => number(other).map(|x| (x, x)),
    };
    match range {
        Some((lo, hi)) if lo <= hi => Ok((lo, hi)),
        Some((lo, hi)) => Err(format!(
            "{glob}: score: the range [{lo}, {hi}] is empty (the first number must not exceed the second)"
        )),
        None => Err(format!(
            "{glob}: score must be a number or a list of two numbers, found {value:?}"
        )),
    }
}

/// Keys of a `submissions.yaml` entry that are about the submission itself;
/// any other key names a test data group.
const ENTRY_KEYS: &[&str] = &[
    "language",
    "entrypoint",
    "authors",
    "model_solution",
    "permitted",
    "required",
    "score",
    "message",
    "use_for_time_limit",
];

/// Applies `submissions/submissions.yaml` to the planned submissions: a key
/// that is a default folder's name replaces that folder's rule (keys it
/// does not give are kept); every other glob adds a rule.
fn apply_submissions_yaml(text: &str, planned: &mut [Planned]) -> Result<(), String> {
    let yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| e.to_string())?;
    let serde_yaml::Value::Mapping(map) = yaml else {
        if yaml.is_null() {
            return Ok(());
        }
        return Err("the top level must be a map of globs".into());
    };
    for (key, value) in &map {
        let glob = key
            .as_str()
            .ok_or_else(|| format!("{key:?}: a glob must be a string"))?;
        let serde_yaml::Value::Mapping(entry) = value else {
            return Err(format!("{glob}: expected a map of keys"));
        };
        let get = |k: &str| entry.get(serde_yaml::Value::String(k.into()));
        let permitted = get("permitted")
            .map(|v| verdict_list(v, "permitted", glob))
            .transpose()?;
        let required = get("required")
            .map(|v| verdict_list(v, "required", glob))
            .transpose()?;
        let use_for_time_limit = match get("use_for_time_limit") {
            None => None,
            Some(serde_yaml::Value::Bool(false)) => Some(UseForTimeLimit::No),
            Some(serde_yaml::Value::Bool(true)) => None,
            Some(serde_yaml::Value::String(s)) if s == "lower" => Some(UseForTimeLimit::Lower),
            Some(serde_yaml::Value::String(s)) if s == "upper" => Some(UseForTimeLimit::Upper),
            Some(other) => {
                return Err(format!(
                "{glob}: use_for_time_limit must be true, false, lower or upper, found {other:?}"
            ))
            }
        };
        let score = get("score").map(|v| score_key(v, glob)).transpose()?;
        let language = get("language").and_then(|v| v.as_str()).map(str::to_string);
        let entry_point = get("entrypoint")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let groups: Vec<String> = entry
            .keys()
            .filter_map(|k| k.as_str())
            .filter(|k| !ENTRY_KEYS.contains(k))
            .map(str::to_string)
            .collect();
        let replaces_folder = !glob.contains('/')
            && !glob.contains('*')
            && !glob.contains('{')
            && folder_rule(Format::Modern, glob).is_some();
        for p in planned.iter_mut().filter(|p| glob_matches(glob, &p.name)) {
            if language.is_some() {
                p.language = language.clone();
            }
            if entry_point.is_some() {
                p.entry_point = entry_point.clone();
            }
            if !groups.is_empty() {
                p.notes.push(format!(
                    "submissions.yaml {glob}: requirements for test groups ({}) are not checked",
                    groups.join(", ")
                ));
            }
            let source = format!("submissions.yaml {glob}");
            if replaces_folder {
                if let Some(rule) = p.rules.iter_mut().find(|r| r.source == format!("{glob}/")) {
                    if let Some(permitted) = &permitted {
                        rule.permitted = permitted.clone();
                    }
                    if let Some(required) = &required {
                        rule.required = required.clone();
                    }
                    if use_for_time_limit.is_some() {
                        rule.use_for_time_limit = use_for_time_limit;
                    }
                    if score.is_some() {
                        rule.score = score;
                    }
                    rule.source = source;
                    continue;
                }
            }
            if permitted.is_some()
                || required.is_some()
                || use_for_time_limit.is_some()
                || score.is_some()
            {
                let mut rule = Rule::new(&source, ALL, ALL);
                if let Some(permitted) = &permitted {
                    rule.permitted = permitted.clone();
                }
                if let Some(required) = &required {
                    rule.required = required.clone();
                }
                rule.use_for_time_limit = use_for_time_limit;
                rule.score = score;
                p.rules.push(rule);
            }
        }
    }
    Ok(())
}

/// Every submission under `root/submissions/<folder>/` (files and
/// directories, hidden ones left out), with its requirements.
pub fn plan(root: &Path, format: Format) -> Result<Vec<Planned>, CliError> {
    let dir = root.join("submissions");
    let list = |dir: &Path| -> Result<Vec<PathBuf>, CliError> {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| {
                CliError::Usage(format!(
                    "cannot list {}: {}",
                    dir.display(),
                    sources::io_reason(&e)
                ))
            })?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                !p.file_name()
                    .and_then(|n| n.to_str())
                    .is_none_or(|n| n.starts_with('.'))
            })
            .collect();
        entries.sort();
        Ok(entries)
    };
    if !dir.is_dir() {
        return Err(CliError::Refused(format!(
            "{}: no submissions/ folder; a package needs at least one accepted submission",
            dir.display()
        )));
    }
    let mut planned = Vec::new();
    for folder in list(&dir)?.into_iter().filter(|p| p.is_dir()) {
        let folder_name = folder
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for path in list(&folder)? {
            let entry = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            planned.push(Planned {
                name: format!("{folder_name}/{entry}"),
                path,
                rules: folder_rule(format, &folder_name).into_iter().collect(),
                language: None,
                entry_point: None,
                notes: Vec::new(),
            });
        }
    }
    let yaml = dir.join("submissions.yaml");
    if yaml.is_file() {
        if format == Format::Legacy {
            eprintln!("note: submissions/submissions.yaml is a 2023-07 / 2025-09 file; this legacy package's folders decide");
        } else {
            let text = std::fs::read_to_string(&yaml)
                .map_err(|e| CliError::Usage(format!("cannot read {}: {e}", yaml.display())))?;
            apply_submissions_yaml(&text, &mut planned)
                .map_err(|e| CliError::Refused(format!("{}: {e}", yaml.display())))?;
        }
    }
    if !planned.iter().any(|p| p.name.starts_with("accepted/")) {
        return Err(CliError::Refused(format!(
            "{}: no submission under submissions/accepted/; the format requires at least one",
            dir.display()
        )));
    }
    Ok(planned)
}

// ---- judging ----

/// How a submission fared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Ok,
    /// Passes, with something the admin should know (legacy TLE margin).
    Warning,
    Mismatch,
    /// Not judged: the language is not supported (Python 2), or no rule applies.
    Skipped,
}

/// A row of the table.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub submission: String,
    pub language: String,
    pub expected: String,
    /// The verdict (the format's name), or empty when not judged.
    pub got: String,
    pub max_time_ms: Option<u64>,
    /// The failing case, or for an accepted submission its slowest.
    pub test_case: Option<String>,
    /// The problem time limit it was judged with (before the language's multiplier).
    pub time_limit_ms: Option<u64>,
    pub outcome: Outcome,
    pub reason: Option<String>,
    pub submission_id: Option<String>,
}

/// A submission being judged: where its state will come from.
struct Pending {
    index: usize,
    id: String,
    limit_ms: u64,
}

/// What judging one planned submission gave.
#[derive(Clone, Debug)]
enum Judged {
    Done {
        state: Box<SubmissionState>,
        limit_ms: u64,
    },
    NotJudged(String),
}

fn progress(ctx: &Context, total: usize) -> ProgressBar {
    if !ctx.interactive || total == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner:.cyan} {msg} {wide_bar:.cyan/blue} {pos}/{len} {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// A stored version to judge against, and its time limit.
#[derive(Clone, Copy)]
struct Target<'a> {
    problem_id: &'a str,
    version: &'a str,
    limit_ms: u64,
}

/// Submits `which` of `planned` against `target` and waits for every verdict.
async fn judge(
    ctx: &Context,
    target: Target<'_>,
    planned: &[Planned],
    which: &[usize],
    deadline: Instant,
    bar: &ProgressBar,
) -> Result<Vec<(usize, Judged)>, CliError> {
    let mut done = Vec::new();
    let mut pending = Vec::new();
    for &index in which {
        let p = &planned[index];
        let submission = match sources::collect(
            std::slice::from_ref(&p.path),
            p.language.as_deref(),
            p.entry_point.as_deref(),
        ) {
            Ok(s) => s,
            Err(e) => {
                bar.inc(1);
                done.push((index, Judged::NotJudged(e.message().to_string())));
                continue;
            }
        };
        bar.set_message(format!("submitting {}", p.name));
        let body = json!({
            "user_id": ctx.user,
            "problem_id": target.problem_id,
            "language": submission.language,
            "files": submission.files,
            "entry_point": submission.entry_point,
            "problem_version": target.version,
        });
        match ctx.client.post_json("api/submissions", Some(body)).await {
            Ok(answer) => {
                let id = answer["id"].as_str().unwrap_or_default().to_string();
                pending.push(Pending {
                    index,
                    id,
                    limit_ms: target.limit_ms,
                });
            }
            // The API refused this one (an entry point it cannot find, a
            // file too large): a row with the reason, not the end of the check.
            Err(CliError::Refused(message)) => {
                bar.inc(1);
                done.push((index, Judged::NotJudged(message)));
            }
            Err(e) => return Err(e),
        }
    }
    bar.set_message("judging");
    let started = Instant::now();
    let mut warned = false;
    while !pending.is_empty() {
        if Instant::now() >= deadline {
            let left: Vec<&str> = pending
                .iter()
                .map(|p| planned[p.index].name.as_str())
                .collect();
            return Err(CliError::Judge(format!(
                "timed out waiting for the verdicts of {} (raise --timeout)",
                left.join(", ")
            )));
        }
        tokio::time::sleep(POLL_EVERY).await;
        let mut still = Vec::new();
        let mut all_queued = true;
        for p in pending {
            let state = ctx.client.submission(&p.id).await?;
            all_queued &= state.status == judge_core::Status::Queued;
            if state.is_final() {
                bar.inc(1);
                bar.set_message(format!(
                    "{} {}",
                    planned[p.index].name,
                    verdict_text(&state)
                ));
                done.push((
                    p.index,
                    Judged::Done {
                        state: Box::new(state),
                        limit_ms: p.limit_ms,
                    },
                ));
            } else {
                still.push(p);
            }
        }
        // Nothing taken after a while: say so once, since the likely cause
        // (no worker running) is not something waiting longer fixes.
        if !warned && all_queued && !still.is_empty() && started.elapsed() > STALL_NOTICE {
            warned = true;
            let text = format!(
                "note: {} submission(s) still queued after {} s; is a judge worker running? (waiting up to --timeout)",
                still.len(),
                STALL_NOTICE.as_secs()
            );
            if bar.is_hidden() {
                eprintln!("{text}");
            } else {
                bar.println(text);
            }
        }
        pending = still;
    }
    Ok(done)
}

fn verdict_text(state: &SubmissionState) -> String {
    state
        .verdict
        .map(|v| with_score(format_verdict(v), state))
        .unwrap_or_default()
}

/// `WA`, or `WA 40` for a submission to a scoring problem.
fn with_score(verdict: &str, state: &SubmissionState) -> String {
    match state.score.filter(|_| state.is_scoring()) {
        Some(score) => format!("{verdict} {}", output::format_score(score)),
        None => verdict.to_string(),
    }
}

/// The time that bounds the limit: the slowest judged case, divided by the
/// language's multiplier (the language is judged with limit × multiplier).
fn normalised_seconds(state: &SubmissionState) -> f64 {
    let multiplier = judge_core::language::by_id(&state.language)
        .map(|l| l.time_multiplier)
        .filter(|m| *m > 0.0)
        .unwrap_or(1.0);
    state.time_ms as f64 / 1000.0 / multiplier
}

/// The row for a judged (or not judged) submission.
fn row(p: &Planned, judged: &Judged, rules: &TimingRules, time_limit_ms: u64) -> Row {
    let expected = p.expected();
    let (state, limit_ms) = match judged {
        Judged::NotJudged(reason) => {
            return Row {
                submission: p.name.clone(),
                language: p.language.clone().unwrap_or_default(),
                expected,
                got: String::new(),
                max_time_ms: None,
                test_case: None,
                time_limit_ms: None,
                outcome: Outcome::Skipped,
                reason: Some({
                    // The reader names the file by its full path; the row already says which.
                    let reason = reason
                        .replace(&format!("{}: ", p.path.display()), "")
                        .replace(&format!("{}/", p.path.display()), "");
                    if reason.contains("not supported") {
                        format!("unsupported language: {reason}")
                    } else {
                        reason
                    }
                }),
                submission_id: None,
            };
        }
        Judged::Done { state, limit_ms } => (state, *limit_ms),
    };
    let verdict = state.verdict.unwrap_or(Verdict::IE);
    let mut seen: Vec<&str> = state
        .results
        .iter()
        .map(|r| format_verdict(r.verdict))
        .collect();
    if seen.is_empty() || verdict != Verdict::AC && !seen.contains(&format_verdict(verdict)) {
        seen.push(format_verdict(verdict));
    }
    let test_case = if verdict == Verdict::AC {
        state
            .results
            .iter()
            .max_by_key(|r| r.time_ms)
            .map(|r| format!("{} (slowest)", r.name))
    } else {
        match state.results.last() {
            Some(last) if last.verdict == verdict => Some(last.name.clone()),
            // The deciding case left no result (a judge error while
            // validating, a compilation error): its place in judging order.
            _ if verdict == Verdict::CE => None,
            _ => Some(format!("case #{}", state.results.len() + 1)),
        }
    };
    let broken: Vec<String> = p
        .rules
        .iter()
        .filter_map(|r| r.broken_by(&seen).or_else(|| r.score_broken_by(state)))
        .collect();
    let mut outcome = if p.rules.is_empty() {
        Outcome::Skipped
    } else if broken.is_empty() {
        Outcome::Ok
    } else {
        Outcome::Mismatch
    };
    let mut reason = if p.rules.is_empty() {
        Some(format!(
            "no expectation: {} is not a known submissions folder and no submissions.yaml rule matches",
            p.name.split('/').next().unwrap_or("")
        ))
    } else if broken.is_empty() {
        None
    } else {
        Some(broken.join("; "))
    };
    if verdict == Verdict::CE {
        let first = state
            .compile_output
            .as_deref()
            .and_then(|o| o.lines().find(|l| !l.trim().is_empty()))
            .unwrap_or("");
        reason = Some(format!(
            "{}{}compilation error: {first}",
            reason.as_deref().unwrap_or(""),
            if reason.is_some() { "; " } else { "" }
        ));
    }
    if verdict == Verdict::IE {
        reason = Some(format!(
            "judge error: {}",
            state.message.as_deref().unwrap_or("no message")
        ));
    }
    // Judged at the higher limit and not too slow there, though too slow
    // at the limit itself: problemtools warns ("sensitive to time limit")
    // for a legacy package; 2025-09 makes the margin a rule.
    let at_margin = limit_ms > time_limit_ms;
    if outcome == Outcome::Mismatch
        && at_margin
        && !rules.tle_margin_is_required()
        && normalised_seconds(state) * 1000.0 > time_limit_ms as f64
        && !seen.iter().any(|v| *v == RTE || *v == "CE" || *v == "JE")
    {
        outcome = Outcome::Warning;
        reason = Some(format!(
            "too slow at the time limit, but not at the safety margin ({}): sensitive to the time limit",
            timelimit::seconds(limit_ms as f64 / 1000.0)
        ));
    }
    // A TLE by the wall clock with the CPU time under the limit: the
    // submission waited rather than computed, which a loaded host can cause
    // as well as a sleeping program. The admin should know which it was.
    if outcome == Outcome::Mismatch && verdict == Verdict::TLE {
        if let Some(last) = state.results.last().filter(|r| r.verdict == Verdict::TLE) {
            let cpu_limit = judge_core::language::by_id(&state.language)
                .map(|l| l.time_limit_ms(limit_ms))
                .unwrap_or(limit_ms);
            if last.time_ms < cpu_limit {
                reason = Some(format!(
                    "{}; by the wall clock: {} used {} ms of CPU of its {cpu_limit} ms, in {} ms of wall time (a loaded judge host can cause this)",
                    reason.as_deref().unwrap_or(""),
                    last.name,
                    last.time_ms,
                    last.wall_ms
                ));
            }
        }
    }
    if outcome == Outcome::Ok && !p.notes.is_empty() {
        reason = Some(p.notes.join("; "));
    }
    Row {
        submission: p.name.clone(),
        language: state.language.clone(),
        expected: if at_margin {
            format!(
                "{expected} (at {})",
                timelimit::seconds(limit_ms as f64 / 1000.0)
            )
        } else {
            expected
        },
        got: with_score(format_verdict(verdict), state),
        max_time_ms: Some(state.time_ms),
        test_case,
        time_limit_ms: Some(limit_ms),
        outcome,
        reason,
        submission_id: Some(state.id.clone()),
    }
}

/// The table as printed: one line per submission, reasons below.
pub fn render(rows: &[Row], color: bool) -> String {
    let paint = |text: &str, outcome: Outcome| -> String {
        if !color {
            return text.to_string();
        }
        let style = match outcome {
            Outcome::Ok => console::Style::new().green(),
            Outcome::Warning => console::Style::new().yellow(),
            Outcome::Mismatch => console::Style::new().red().bold(),
            Outcome::Skipped => console::Style::new().dim(),
        };
        style.apply_to(text).to_string()
    };
    let cells: Vec<Vec<String>> = rows
        .iter()
        .map(|r| {
            vec![
                r.submission.clone(),
                if r.language.is_empty() {
                    "-".into()
                } else {
                    r.language.clone()
                },
                r.expected.clone(),
                if r.got.is_empty() {
                    "-".into()
                } else {
                    r.got.clone()
                },
                r.max_time_ms
                    .map(output::format_time)
                    .unwrap_or_else(|| "-".into()),
                r.test_case.clone().unwrap_or_else(|| "-".into()),
                match r.outcome {
                    Outcome::Ok => "ok",
                    Outcome::Warning => "WARNING",
                    Outcome::Mismatch => "MISMATCH",
                    Outcome::Skipped => "skipped",
                }
                .to_string(),
            ]
        })
        .collect();
    let table = output::table(
        &[
            "submission",
            "language",
            "expected",
            "got",
            "max time",
            "test case",
            "result",
        ],
        &cells,
    );
    let mut out = String::new();
    for (i, line) in table.lines().enumerate() {
        if i > 0 {
            out.push('\n');
            out.push_str(&paint(line, rows[i - 1].outcome));
        } else {
            out.push_str(line);
        }
    }
    let notes: Vec<String> = rows
        .iter()
        .filter_map(|r| {
            r.reason
                .as_ref()
                .map(|why| format!("  {}: {why}", r.submission))
        })
        .collect();
    if !notes.is_empty() {
        out.push_str("\n\n");
        out.push_str(&notes.join("\n"));
    }
    out
}

// ---- the commands ----

/// What the command is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// `judge problem verify DIR`: nothing is published.
    Verify,
    /// `judge problem add DIR [--verify]`: publishes (only if verification
    /// passes, with `verify`).
    Add { verify: bool },
}

/// Uploads `tar` as a draft; a refused package ends the command (exit 4).
async fn upload_draft(
    ctx: &Context,
    id: &str,
    tar: Vec<u8>,
) -> Result<Value, Result<u8, CliError>> {
    match ctx.client.upload_problem_draft(id, tar).await {
        Ok(PackageAnswer::Ok(answer)) => Ok(answer),
        Ok(PackageAnswer::Invalid(answer)) => Err(commands::report_invalid(ctx, id, &answer)),
        Err(e) => Err(Err(e)),
    }
}

fn with_limit(tar: &[u8], limit_ms: u64, note: &str) -> Result<Vec<u8>, CliError> {
    timelimit::with_timelimit(tar, &timelimit::timelimit_file(limit_ms, note))
        .map_err(|e| CliError::Judge(format!("cannot add .timelimit to the package: {e}")))
}

fn note(ctx: &Context, text: &str, bar: &ProgressBar) {
    if ctx.json {
        return;
    }
    if bar.is_hidden() {
        eprintln!("{text}");
    } else {
        bar.println(text);
    }
}

/// `judge problem verify DIR`, and `judge problem add DIR` for a package
/// without a time limit or with `--verify`.
pub async fn run(ctx: &Context, dir: &Path, mode: Mode, wait: Duration) -> Result<u8, CliError> {
    let deadline = Instant::now() + wait;
    let (root, id) = commands::package_dir(dir)?;
    let problem = Problem::load(&root).map_err(|e| {
        let shown = judge_core::problem::ProblemError {
            file: e
                .file
                .strip_prefix(&root)
                .map(Path::to_path_buf)
                .unwrap_or(e.file.clone()),
            ..e.clone()
        };
        CliError::Refused(format!("problem {id} is invalid: {shown}"))
    })?;
    let rules = TimingRules::read(&root).map_err(|e| CliError::Refused(e.to_string()))?;
    let mut planned = plan(&root, rules.format)?;
    if problem.grading.minimize {
        for p in &mut planned {
            if let Some(rule) = p.rules.iter_mut().find(|r| r.partially_accepted) {
                rule.minimize = true;
                p.notes.push(
                    "grading objective min: partially_accepted/ is checked for AC only \
                     (the judge does not report the range's minimum)"
                        .into(),
                );
            }
        }
    }
    let base_tar = commands::pack(&root)?;
    let given = problem.time_limit_source != "default";
    let verifying = matches!(mode, Mode::Verify | Mode::Add { verify: true });

    let lower: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].lower(rules.format))
        .collect();
    let upper: Vec<usize> = (0..planned.len())
        .filter(|&i| planned[i].upper(rules.format) && !lower.contains(&i))
        .collect();
    let mut judged: Vec<Option<Judged>> = vec![None; planned.len()];
    let to_judge = if verifying {
        planned.len()
    } else {
        lower.len()
            + if rules.format == Format::Modern {
                upper.len()
            } else {
                0
            }
    };
    let bar = progress(ctx, to_judge);

    // 1. The limit: given, or derived from the lower-bound submissions
    //    judged with the probe limit.
    let (time_limit_ms, exact_seconds, source, final_tar) = if given {
        let exact = problem.time_limit_ms as f64 / 1000.0;
        (
            problem.time_limit_ms,
            exact,
            problem.time_limit_source.clone(),
            base_tar.clone(),
        )
    } else {
        if lower.is_empty() {
            bar.finish_and_clear();
            return Err(CliError::Refused(format!(
                "problem {id} gives no time limit and no submission bounds it from below (accepted/); \
                 give limits.time_limit or .timelimit"
            )));
        }
        let probe = with_limit(
            &base_tar,
            PROBE_TIME_LIMIT_MS,
            "probe limit of judge problem add, while the time limit is derived",
        )?;
        let answer = match upload_draft(ctx, &id, probe).await {
            Ok(a) => a,
            Err(end) => {
                bar.finish_and_clear();
                return end;
            }
        };
        let probe_version = answer["version"].as_str().unwrap_or_default().to_string();
        note(
            ctx,
            &format!(
                "no time limit given: judging {} submission(s) that bound it from below with a {} probe limit (draft {})",
                lower.len(),
                timelimit::seconds(PROBE_TIME_LIMIT_MS as f64 / 1000.0),
                short(&probe_version)
            ),
            &bar,
        );
        for (i, j) in judge(
            ctx,
            Target {
                problem_id: &id,
                version: &probe_version,
                limit_ms: PROBE_TIME_LIMIT_MS,
            },
            &planned,
            &lower,
            deadline,
            &bar,
        )
        .await?
        {
            judged[i] = Some(j);
        }
        let mut times = Vec::new();
        let mut failures = Vec::new();
        for &i in &lower {
            // Not judged (Python 2): skipped here and in the table.
            if let Some(done @ Judged::Done { state, .. }) = &judged[i] {
                let r = row(&planned[i], done, &rules, PROBE_TIME_LIMIT_MS);
                if r.outcome == Outcome::Mismatch {
                    failures.push(r);
                } else {
                    times.push(Timed {
                        name: planned[i].name.clone(),
                        seconds: normalised_seconds(state),
                    });
                }
            }
        }
        if !failures.is_empty() {
            bar.finish_and_clear();
            return finish_failed_derivation(ctx, &id, &failures);
        }
        let derived = match timelimit::derive(&rules, &times, &[]) {
            Ok(d) => d,
            Err(e) => {
                bar.finish_and_clear();
                return Err(CliError::Refused(format!("problem {id}: {e}")));
            }
        };
        let tar = with_limit(&base_tar, derived.time_limit_ms, &derived.explanation)?;
        (
            derived.time_limit_ms,
            derived.exact_seconds,
            format!(".timelimit, {}", derived.explanation),
            tar,
        )
    };
    let check_ms = timelimit::tle_check_limit_ms(&rules, time_limit_ms, exact_seconds);

    // 2. The submissions that must be too slow, at the higher limit: for
    //    2025-09 they decide whether the derived limit fits at all.
    let judge_upper = verifying || (!given && rules.format == Format::Modern);
    if judge_upper && !upper.is_empty() {
        let check_tar = with_limit(
            &final_tar,
            check_ms,
            &format!(
                "TLE check of judge problem verify: the time limit {} × {}",
                timelimit::seconds(time_limit_ms as f64 / 1000.0),
                rules.tle_factor()
            ),
        )?;
        let answer = match upload_draft(ctx, &id, check_tar).await {
            Ok(a) => a,
            Err(end) => {
                bar.finish_and_clear();
                return end;
            }
        };
        let check_version = answer["version"].as_str().unwrap_or_default().to_string();
        note(
            ctx,
            &format!(
                "judging {} submission(s) that must be too slow with {} (the limit {} × {})",
                upper.len(),
                timelimit::seconds(check_ms as f64 / 1000.0),
                timelimit::seconds(time_limit_ms as f64 / 1000.0),
                rules.tle_factor()
            ),
            &bar,
        );
        for (i, j) in judge(
            ctx,
            Target {
                problem_id: &id,
                version: &check_version,
                limit_ms: check_ms,
            },
            &planned,
            &upper,
            deadline,
            &bar,
        )
        .await?
        {
            judged[i] = Some(j);
        }
        if !given && rules.format == Format::Modern {
            // Those that passed every case within the higher limit are upper
            // bounds below it: no multiple fits. One that fails otherwise (a
            // WA at case 1) ran only some cases, so its time bounds nothing;
            // it is a mismatch in the table instead.
            let lower_times: Vec<Timed> = lower
                .iter()
                .filter_map(|&i| match &judged[i] {
                    Some(Judged::Done { state, .. }) => Some(Timed {
                        name: planned[i].name.clone(),
                        seconds: normalised_seconds(state),
                    }),
                    _ => None,
                })
                .collect();
            let finished: Vec<Timed> = upper
                .iter()
                .filter_map(|&i| match &judged[i] {
                    Some(Judged::Done { state, .. }) if state.verdict == Some(Verdict::AC) => {
                        Some(Timed {
                            name: planned[i].name.clone(),
                            seconds: normalised_seconds(state),
                        })
                    }
                    _ => None,
                })
                .collect();
            if let Err(e) = timelimit::derive(&rules, &lower_times, &finished) {
                bar.finish_and_clear();
                return Err(CliError::Refused(format!("problem {id} is invalid: {e}")));
            }
        }
    }

    // 3. The version itself: published, or a draft to verify.
    let publish_now = matches!(mode, Mode::Add { verify: false });
    let answer = if publish_now {
        match ctx.client.upload_problem(&id, final_tar, false).await? {
            PackageAnswer::Ok(a) => a,
            PackageAnswer::Invalid(a) => {
                bar.finish_and_clear();
                return commands::report_invalid(ctx, &id, &a);
            }
        }
    } else {
        match upload_draft(ctx, &id, final_tar).await {
            Ok(a) => a,
            Err(end) => {
                bar.finish_and_clear();
                return end;
            }
        }
    };
    let version = answer["version"].as_str().unwrap_or_default().to_string();
    // The package may be the current version already (then it is no draft).
    let what = if answer["draft"] == true {
        "draft"
    } else {
        "current version"
    };
    if publish_now {
        bar.finish_and_clear();
        if ctx.json {
            commands::print_json(&json!({
                "id": id,
                "version": version,
                "published": true,
                "time_limit_ms": time_limit_ms,
                "time_limit_source": source,
                "import": answer,
            }))?;
        } else {
            println!(
                "problem {id}: version {version} published ({} tests), time limit {} ({source})",
                answer["tests"].as_u64().unwrap_or(0),
                timelimit::seconds(time_limit_ms as f64 / 1000.0),
            );
        }
        commands::print_warnings(&answer);
        return Ok(code::OK);
    }

    // 4. Everything not judged yet, against the draft with the limit.
    let rest: Vec<usize> = (0..planned.len())
        .filter(|&i| judged[i].is_none())
        .collect();
    note(
        ctx,
        &format!(
            "verifying problem {id}: {what} {}, time limit {} ({source}); judging {} more submission(s)",
            short(&version),
            timelimit::seconds(time_limit_ms as f64 / 1000.0),
            rest.len()
        ),
        &bar,
    );
    for (i, j) in judge(
        ctx,
        Target {
            problem_id: &id,
            version: &version,
            limit_ms: time_limit_ms,
        },
        &planned,
        &rest,
        deadline,
        &bar,
    )
    .await?
    {
        judged[i] = Some(j);
    }
    bar.finish_and_clear();
    let rows: Vec<Row> = planned
        .iter()
        .zip(&judged)
        .map(|(p, j)| {
            let j = j.clone().unwrap_or(Judged::NotJudged("not judged".into()));
            row(p, &j, &rules, time_limit_ms)
        })
        .collect();
    let count = |o: Outcome| rows.iter().filter(|r| r.outcome == o).count();
    let (mismatches, warnings, skipped) = (
        count(Outcome::Mismatch),
        count(Outcome::Warning),
        count(Outcome::Skipped),
    );
    let passed = mismatches == 0;
    let mut published = None;
    if let (Mode::Add { verify: true }, true) = (mode, passed) {
        let path = format!("api/admin/problems/{id}/versions/{version}/publish");
        published = Some(ctx.client.post_json(&path, None).await?);
    }
    if ctx.json {
        commands::print_json(&json!({
            "id": id,
            "version": version,
            "format": rules.version,
            "time_limit_ms": time_limit_ms,
            "time_limit_source": source,
            "tle_check_limit_ms": check_ms,
            "passed": passed,
            "mismatches": mismatches,
            "warnings": warnings,
            "skipped": skipped,
            "published": published.is_some(),
            "rows": rows,
        }))?;
    } else {
        println!("{}", render(&rows, ctx.color));
        println!();
        println!(
            "problem {id} ({} format), {what} {}: time limit {} ({source}); must-be-too-slow submissions judged with {}",
            rules.version,
            short(&version),
            timelimit::seconds(time_limit_ms as f64 / 1000.0),
            timelimit::seconds(check_ms as f64 / 1000.0),
        );
        let verdict = if passed {
            "verification passed"
        } else {
            "verification FAILED"
        };
        println!(
            "{verdict}: {} ok, {mismatches} mismatch(es), {warnings} warning(s), {skipped} skipped (not judged, not counted as failures)",
            count(Outcome::Ok)
        );
        match (mode, passed) {
            (Mode::Add { .. }, true) => println!("problem {id}: version {version} published"),
            (Mode::Add { .. }, false) => {
                println!(
                    "problem {id}: not published; the draft {} stays unseen by users",
                    short(&version)
                )
            }
            _ => {}
        }
    }
    Ok(if passed { code::OK } else { code::REJECTED })
}

fn short(version: &str) -> &str {
    &version[..version.len().min(12)]
}

/// Lower-bound submissions that already fail at the probe limit: the
/// limit cannot be derived from them.
fn finish_failed_derivation(ctx: &Context, id: &str, failures: &[Row]) -> Result<u8, CliError> {
    if ctx.json {
        commands::print_json(&json!({
            "id": id,
            "passed": false,
            "error": "the time limit cannot be derived: submissions that bound it fail with the probe limit",
            "rows": failures,
        }))?;
    } else {
        println!("{}", render(failures, ctx.color));
        println!();
        println!(
            "problem {id}: the time limit cannot be derived: these submissions fail even with the {} probe limit; nothing was published",
            timelimit::seconds(PROBE_TIME_LIMIT_MS as f64 / 1000.0)
        );
    }
    Ok(code::REJECTED)
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_core::TestResult;

    fn planned(name: &str, format: Format) -> Planned {
        let folder = name.split('/').next().unwrap();
        Planned {
            name: name.into(),
            path: PathBuf::from(name),
            rules: folder_rule(format, folder).into_iter().collect(),
            language: None,
            entry_point: None,
            notes: Vec::new(),
        }
    }

    fn state(verdicts: &[(Verdict, u64)], verdict: Verdict) -> SubmissionState {
        SubmissionState {
            id: "s".into(),
            user_id: "verify".into(),
            problem_id: "p".into(),
            language: "cpp".into(),
            status: judge_core::Status::Finished,
            verdict: Some(verdict),
            tests_total: 3,
            results: verdicts
                .iter()
                .enumerate()
                .map(|(i, (v, t))| TestResult {
                    index: i + 1,
                    name: format!("secret/{}", i + 1),
                    verdict: *v,
                    time_ms: *t,
                    wall_ms: *t,
                    memory_kb: 1,
                    exit_code: None,
                    signal: None,
                    message: None,
                    score: None,
                })
                .collect(),
            compile_output: None,
            time_ms: verdicts.iter().map(|(_, t)| *t).max().unwrap_or(0),
            memory_kb: 1,
            message: None,
            created_at_ms: 0,
            finished_at_ms: Some(1),
            seq: 3,
            previous_verdict: None,
            run_output: None,
            score: None,
            max_score: None,
            groups: Vec::new(),
        }
    }

    fn done(s: SubmissionState, limit_ms: u64) -> Judged {
        Judged::Done {
            state: Box::new(s),
            limit_ms,
        }
    }

    #[test]
    fn globs_match_the_submission_or_a_parent_folder() {
        assert!(glob_matches("accepted", "accepted/a.py"));
        assert!(glob_matches("accepted/*", "accepted/a.py"));
        assert!(glob_matches("accepted/*.py", "accepted/a.py"));
        assert!(!glob_matches("accepted/*.py", "accepted/a.cpp"));
        assert!(glob_matches("*/a.{py,cpp}", "wrong_answer/a.cpp"));
        assert!(glob_matches(
            "time_limit_exceeded/{slow,x}*",
            "time_limit_exceeded/slow2.py"
        ));
        assert!(!glob_matches("accepted/*", "wrong_answer/a.py"));
        assert!(glob_matches("accepted/multi", "accepted/multi"));
        assert!(!glob_matches("accepted/a.py/x", "accepted/a.py"));
        assert_eq!(expand_braces("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
    }

    #[test]
    fn folders_have_the_formats_requirements() {
        let ac = planned("accepted/a.cpp", Format::Modern);
        let rows =
            |p: &Planned, s: SubmissionState| row(p, &done(s, 1000), &TimingRules::default(), 1000);
        let r = rows(
            &ac,
            state(&[(Verdict::AC, 10), (Verdict::AC, 30)], Verdict::AC),
        );
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(r.test_case.as_deref(), Some("secret/2 (slowest)"));
        assert_eq!(r.max_time_ms, Some(30));
        let r = rows(
            &ac,
            state(&[(Verdict::AC, 10), (Verdict::WA, 5)], Verdict::WA),
        );
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert_eq!(r.test_case.as_deref(), Some("secret/2"));
        assert!(r
            .reason
            .unwrap()
            .contains("WA is not permitted by accepted/"));

        let wa = planned("wrong_answer/w.py", Format::Modern);
        assert_eq!(
            rows(&wa, state(&[(Verdict::WA, 1)], Verdict::WA)).outcome,
            Outcome::Ok
        );
        let r = rows(&wa, state(&[(Verdict::AC, 1)], Verdict::AC));
        assert!(r.reason.unwrap().contains("requires one of WA"));
        // MLE is a run-time error in the format's terms.
        let re = planned("run_time_error/r.py", Format::Modern);
        assert_eq!(
            rows(&re, state(&[(Verdict::MLE, 1)], Verdict::MLE)).outcome,
            Outcome::Ok
        );
        // A TLE by the wall clock says so.
        let mut waited = state(&[(Verdict::AC, 10), (Verdict::TLE, 512)], Verdict::TLE);
        waited.results[1].wall_ms = 3100;
        let r = rows(&ac, waited);
        assert_eq!(r.outcome, Outcome::Mismatch);
        let why = r.reason.unwrap();
        assert!(
            why.contains("by the wall clock: secret/2 used 512 ms"),
            "{why}"
        );
        assert!(why.contains("3100 ms of wall time"), "{why}");
        // A compilation error never passes, and says why.
        let r = rows(&ac, state(&[], Verdict::CE));
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(r.reason.unwrap().contains("compilation error"));
        // A folder nobody describes is reported, not judged against a guess.
        let other = planned("slow/x.py", Format::Modern);
        assert_eq!(
            rows(&other, state(&[(Verdict::AC, 1)], Verdict::AC)).outcome,
            Outcome::Skipped
        );
        // Python 2 is a skipped row with the reason.
        let r = row(
            &ac,
            &Judged::NotJudged("a.py: Python 2 is not supported: ...".into()),
            &TimingRules::default(),
            1000,
        );
        assert_eq!(r.outcome, Outcome::Skipped);
        assert!(r.reason.unwrap().starts_with("unsupported language"));
    }

    #[test]
    fn tle_submissions_at_the_margin_warn_in_legacy_and_fail_in_2025() {
        let legacy = TimingRules::default();
        let modern = TimingRules::parse("problem_format_version: 2025-09\n").unwrap();
        let tle = planned("time_limit_exceeded/t.cpp", Format::Legacy);
        // TLE at the 2 s check limit: fine.
        let r = row(
            &tle,
            &done(state(&[(Verdict::TLE, 2000)], Verdict::TLE), 2000),
            &legacy,
            1000,
        );
        assert_eq!(r.outcome, Outcome::Ok);
        assert_eq!(r.expected, "TLE (at 2 s)");
        // AC at 2 s but slower than the 1 s limit: a warning in legacy ...
        let slow = state(&[(Verdict::AC, 1500)], Verdict::AC);
        let r = row(&tle, &done(slow.clone(), 2000), &legacy, 1000);
        assert_eq!(r.outcome, Outcome::Warning, "{r:?}");
        // ... a mismatch in 2025-09.
        let tle25 = planned("time_limit_exceeded/t.cpp", Format::Modern);
        assert_eq!(
            row(&tle25, &done(slow, 2000), &modern, 1000).outcome,
            Outcome::Mismatch
        );
        // AC within the limit: a mismatch in both.
        let fast = state(&[(Verdict::AC, 500)], Verdict::AC);
        assert_eq!(
            row(&tle, &done(fast, 2000), &legacy, 1000).outcome,
            Outcome::Mismatch
        );
    }

    /// `state` of a scoring problem (max 100) that scored `score`.
    fn scored(verdicts: &[(Verdict, u64)], verdict: Verdict, score: f64) -> SubmissionState {
        let mut s = state(verdicts, verdict);
        s.score = Some(score);
        s.max_score = Some(100.0);
        s.groups = vec![judge_core::model::GroupResult {
            name: "secret".into(),
            tests: (1..=verdicts.len()).collect(),
            max_score: Some(100.0),
            score: Some(score),
            verdict: Some(verdict),
            passed: 0,
            total: verdicts.len(),
            message: None,
        }];
        s
    }

    #[test]
    fn partially_accepted_submissions_are_checked_by_their_score() {
        let rows =
            |p: &Planned, s: SubmissionState| row(p, &done(s, 1000), &TimingRules::default(), 1000);
        // Legacy partially_accepted/: AC with less than the maximum.
        let partial = planned("partially_accepted/p.py", Format::Legacy);
        assert_eq!(partial.expected(), "AC, score < max");
        assert!(
            !partial.lower(Format::Legacy),
            "only accepted/ bounds the limit"
        );
        let r = rows(&partial, scored(&[(Verdict::AC, 10)], Verdict::AC, 40.0));
        assert_eq!(
            (r.outcome, r.got.as_str()),
            (Outcome::Ok, "AC 40"),
            "{:?}",
            r.reason
        );
        let r = rows(&partial, scored(&[(Verdict::AC, 10)], Verdict::AC, 100.0));
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(r.reason.unwrap().contains("score 100 is the maximum"));
        let r = rows(&partial, scored(&[(Verdict::WA, 10)], Verdict::WA, 0.0));
        assert!(r.reason.unwrap().contains("requires the verdict AC"));
        let r = rows(&partial, state(&[(Verdict::AC, 10)], Verdict::AC));
        assert!(
            r.reason.unwrap().contains("pass-fail"),
            "a pass-fail problem"
        );

        // 2025-09: a partial solution in wrong_answer/ with its score named.
        let mut p = vec![
            planned("wrong_answer/half.py", Format::Modern),
            planned("partial/third.py", Format::Modern),
        ];
        let yaml = "wrong_answer/half.py:
  score: 50
partial:
  score: [30, 40]
  permitted: [AC, WA]
";
        apply_submissions_yaml(yaml, &mut p).unwrap();
        assert_eq!(p[0].expected(), "WA, score 50");
        assert_eq!(p[1].expected(), "AC|WA|TLE|RTE, score 30..40");
        let half = scored(&[(Verdict::AC, 5), (Verdict::WA, 5)], Verdict::WA, 50.0);
        let r = rows(&p[0], half.clone());
        assert_eq!(
            (r.outcome, r.got.as_str()),
            (Outcome::Ok, "WA 50"),
            "{:?}",
            r.reason
        );
        let r = rows(&p[1], half);
        assert_eq!(r.outcome, Outcome::Mismatch);
        assert!(
            r.reason
                .as_deref()
                .unwrap()
                .contains("score 50 is not 30..40 required by submissions.yaml partial"),
            "{:?}",
            r.reason
        );
        let r = rows(
            &p[1],
            scored(
                &[(Verdict::AC, 5), (Verdict::WA, 5)],
                Verdict::WA,
                33.333333,
            ),
        );
        assert_eq!(r.outcome, Outcome::Ok, "{:?}", r.reason);
        for bad in ["score: lots", "score: [40, 30]", "score: [1, 2, 3]"] {
            let e = apply_submissions_yaml(&format!("partial:\n  {bad}\n"), &mut p).unwrap_err();
            assert!(e.starts_with("partial: score"), "{e}");
        }
    }

    #[test]
    fn submissions_yaml_overrides_folders_and_adds_rules() {
        let mut p = vec![
            planned("accepted/a.py", Format::Modern),
            planned("time_limit_exceeded/t.py", Format::Modern),
            planned("wrong_answer/w.py", Format::Modern),
            planned("brute_force/b.py", Format::Modern),
        ];
        let yaml = "time_limit_exceeded:\n  permitted: [AC, WA, TLE]\naccepted/a.py:\n  language: python3\n  entrypoint: a.py\n  sample:\n    permitted: [AC]\nwrong_answer/w.py:\n  use_for_time_limit: false\nbrute_force:\n  use_for_time_limit: upper\n";
        apply_submissions_yaml(yaml, &mut p).unwrap();
        assert_eq!(p[0].language.as_deref(), Some("python3"));
        assert_eq!(p[0].entry_point.as_deref(), Some("a.py"));
        assert!(p[0].notes[0].contains("sample"));
        assert_eq!(p[1].rules.len(), 1);
        assert_eq!(p[1].rules[0].permitted, [AC, WA, TLE]);
        assert_eq!(p[1].rules[0].required, [TLE]);
        assert!(p[0].lower(Format::Modern));
        assert!(p[1].upper(Format::Modern) && !p[1].lower(Format::Modern));
        // wrong_answer/ bounds from below by default; the extra rule opts
        // out only of itself, so the folder's rule still counts.
        assert!(p[2].lower(Format::Modern));
        assert!(p[3].upper(Format::Modern));
        let mut q = vec![planned("wrong_answer/w.py", Format::Modern)];
        apply_submissions_yaml("wrong_answer:\n  use_for_time_limit: false\n", &mut q).unwrap();
        assert!(!q[0].lower(Format::Modern));
        let e = apply_submissions_yaml("accepted:\n  permitted: [OK]\n", &mut q).unwrap_err();
        assert!(e.contains("OK"), "{e}");
    }

    #[test]
    fn legacy_bounds_are_the_accepted_and_tle_folders() {
        assert!(planned("accepted/a.py", Format::Legacy).lower(Format::Legacy));
        assert!(!planned("wrong_answer/a.py", Format::Legacy).lower(Format::Legacy));
        assert!(planned("wrong_answer/a.py", Format::Modern).lower(Format::Modern));
        assert!(planned("time_limit_exceeded/a.py", Format::Legacy).upper(Format::Legacy));
    }

    #[test]
    fn the_table_names_the_mismatch() {
        let rows = vec![Row {
            submission: "accepted/wrong.py".into(),
            language: "python3".into(),
            expected: "AC".into(),
            got: "WA".into(),
            max_time_ms: Some(20),
            test_case: Some("sample/1".into()),
            time_limit_ms: Some(1000),
            outcome: Outcome::Mismatch,
            reason: Some("WA is not permitted by accepted/".into()),
            submission_id: None,
        }];
        let text = render(&rows, false);
        assert!(text.starts_with("submission"), "{text}");
        assert!(
            text.contains("accepted/wrong.py  python3   AC        WA"),
            "{text}"
        );
        assert!(text.contains("MISMATCH"), "{text}");
        assert!(text.contains("sample/1"), "{text}");
        assert!(
            text.contains("accepted/wrong.py: WA is not permitted"),
            "{text}"
        );
    }
}
