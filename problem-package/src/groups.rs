//! Test groups and how their results are graded, as a package declares them.
//!
//! The tree is `data` (the root) with `sample` and `secret` below it and the
//! folders below those, each listing its test cases and subgroups in the
//! format's order (lexicographic, samples first). This module only reads
//! the package; walking the tree while a submission is judged and
//! aggregating verdicts and scores is the worker's grader.
//!
//! Two rule sets, after `problem_format_version`:
//! - **legacy**: every folder is a group graded by the default grader with
//!   its `testdata.yaml` (the closest ancestor's when it has none):
//!   `on_reject`, `grader_flags`, `accept_score`, `reject_score`, `range`;
//! - **2025-09**: the groups are `sample`, `secret` and the folders right
//!   below `secret` (deeper folders only organise a group's cases), with
//!   `max_score`, `score_aggregation` and `require_pass` in
//!   `test_group.yaml`.
//!
//! A 2023-07 draft scoring package follows one of the draft's two texts,
//! which its files tell apart ([`draft_2023_reading`]): the early text,
//! whose scoring is the legacy one word for word (`testdata.yaml` with the
//! default grader's keys; problemtools' own `oddecho` example), is graded
//! by the legacy rules; the late text, whose `test_group.yaml` has a
//! `scoring:` map (`score`, `aggregation`, `require_pass`), means what
//! 2025-09 means for `secret` and the groups right below it, and is graded
//! by the 2025-09 rules with its keys read from the map and a group's
//! omitted `score` inferred as that text says. What the late text allows
//! and 2025-09 does not (scored groups nested deeper, `secret` with both
//! cases and groups, `require_pass` on a test case) is refused.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use crate::problem::cases::TestCase;
use crate::problem::error::ProblemError;
use crate::problem::summary::GroupSummary;
use crate::yaml::{self, Value};

/// Which rules grade the groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rules {
    Legacy,
    /// 2025-09 (and the 2023-07 draft for pass-fail problems).
    Modern,
}

/// How a package's submissions are graded.
#[derive(Clone, Debug, PartialEq)]
pub struct Grading {
    pub rules: Rules,
    /// `type: scoring`.
    pub scoring: bool,
    /// Legacy `grading.objective: min`: a lower score is better (only what
    /// `partially_accepted` means changes).
    pub minimize: bool,
    /// The output validator may give a case its score (`score.txt`):
    /// legacy `validation: custom score`, any custom validator in 2025-09.
    pub validator_scores: bool,
    /// `groups[0]` is `data`; every other group is an item of exactly one
    /// group before it.
    pub groups: Vec<Group>,
}

/// One test group.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Path below `data/` (`sample`, `secret/g1`), or `data` for the root.
    pub name: String,
    pub items: Vec<Item>,
    pub settings: Settings,
}

/// A group's member, in judging order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Item {
    /// 0-based index into [`crate::problem::Problem::tests`].
    Case(usize),
    /// Index into [`Grading::groups`].
    Group(usize),
}

#[derive(Clone, Debug, PartialEq)]
pub enum Settings {
    Legacy(LegacySettings),
    Modern(ModernSettings),
}

/// The default grader's settings of a legacy group.
#[derive(Clone, Debug, PartialEq)]
pub struct LegacySettings {
    /// `on_reject: continue`: judging goes on after a rejected item.
    pub on_reject_continue: bool,
    pub verdict_mode: VerdictMode,
    pub score_mode: ScoreMode,
    /// Only read on the root: its result is `secret`'s.
    pub ignore_sample: bool,
    pub accept_if_any_accepted: bool,
    pub accept_score: f64,
    pub reject_score: f64,
    /// `range`: the group's score is clamped into it.
    pub range: (f64, f64),
}

impl Default for LegacySettings {
    fn default() -> Self {
        LegacySettings {
            on_reject_continue: false,
            verdict_mode: VerdictMode::WorstError,
            score_mode: ScoreMode::Sum,
            ignore_sample: false,
            accept_if_any_accepted: false,
            accept_score: 1.0,
            reject_score: 0.0,
            range: (f64::NEG_INFINITY, f64::INFINITY),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerdictMode {
    WorstError,
    FirstError,
    AlwaysAccept,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScoreMode {
    Sum,
    Avg,
    Min,
    Max,
}

/// A 2025-09 group's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct ModernSettings {
    pub aggregation: Aggregation,
    /// `None`: unbounded.
    pub max_score: Option<f64>,
    /// Groups (or `sample`) that must be passed in full for this one to be judged.
    pub require_pass: Vec<String>,
    /// False for `data` and `sample`, whose results score nothing.
    pub scores: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aggregation {
    PassFail,
    Sum,
    Min,
}

impl Aggregation {
    pub fn name(self) -> &'static str {
        match self {
            Aggregation::PassFail => "pass-fail",
            Aggregation::Sum => "sum",
            Aggregation::Min => "min",
        }
    }
}

/// The group settings files' keys this module reads (the others are the
/// output validator's, read with the cases).
#[derive(Debug, Default, Deserialize)]
struct GroupYaml {
    on_reject: Option<String>,
    grading: Option<String>,
    grader_flags: Option<Value>,
    accept_score: Option<f64>,
    reject_score: Option<f64>,
    range: Option<Value>,
    max_score: Option<Value>,
    score_aggregation: Option<String>,
    require_pass: Option<Value>,
    static_validation_score: Option<Value>,
    /// The late 2023-07 draft's map: `score`, `aggregation`, `require_pass`.
    scoring: Option<Value>,
}

/// The grading keys of the early 2023-07 draft text, which are legacy's.
const LEGACY_KEYS: [&str; 6] = [
    "on_reject",
    "grading",
    "grader_flags",
    "accept_score",
    "reject_score",
    "range",
];

impl GroupYaml {
    fn legacy_key(&self) -> Option<&'static str> {
        let set = [
            self.on_reject.is_some(),
            self.grading.is_some(),
            self.grader_flags.is_some(),
            self.accept_score.is_some(),
            self.reject_score.is_some(),
            self.range.is_some(),
        ];
        LEGACY_KEYS
            .iter()
            .zip(set)
            .find_map(|(k, set)| set.then_some(*k))
    }

    fn flat_key(&self) -> Option<&'static str> {
        [
            ("max_score", self.max_score.is_some()),
            ("score_aggregation", self.score_aggregation.is_some()),
            ("require_pass", self.require_pass.is_some()),
        ]
        .iter()
        .find_map(|(k, set)| set.then_some(*k))
    }
}

/// A fault of the package, naming the file.
fn perr(file: impl Into<std::path::PathBuf>, message: impl Into<String>) -> ProblemError {
    ProblemError {
        file: file.into(),
        line: None,
        message: message.into(),
    }
}

fn read_yaml(dir: &Path) -> Result<Option<(std::path::PathBuf, GroupYaml)>, ProblemError> {
    for name in ["testdata.yaml", "test_group.yaml"] {
        let path = dir.join(name);
        if !path.is_file() {
            continue;
        }
        let text = std::fs::read_to_string(&path).map_err(|e| perr(&path, e.to_string()))?;
        if text.trim().is_empty() {
            return Ok(Some((path, GroupYaml::default())));
        }
        let parsed: GroupYaml = yaml::from_str(&text).map_err(|e| ProblemError {
            file: path.clone(),
            line: e.line,
            message: e.message,
        })?;
        return Ok(Some((path, parsed)));
    }
    Ok(None)
}

fn words(value: &Value) -> Vec<String> {
    match value {
        Value::String(s) => s.split_whitespace().map(String::from).collect(),
        Value::Array(items) => items.iter().map(yaml::to_text).collect(),
        Value::Null => Vec::new(),
        other => vec![yaml::to_text(other)],
    }
}

fn legacy_settings(path: &Path, yaml: &GroupYaml) -> Result<LegacySettings, ProblemError> {
    let err = |m: String| perr(path, m);
    let mut s = LegacySettings::default();
    match yaml.on_reject.as_deref() {
        None | Some("break") => {}
        Some("continue") => s.on_reject_continue = true,
        Some(other) => {
            return Err(err(format!(
                "on_reject: expected break or continue, found {other:?}"
            )))
        }
    }
    match yaml.grading.as_deref() {
        None | Some("default") => {}
        // A custom grader is a program of the package's (`graders/`); this
        // judge does not run one, and the default grader would judge the
        // package other than declared.
        Some("custom") => {
            return Err(err(
                "grading: custom: custom graders (graders/) are not supported by this judge".into(),
            ))
        }
        Some(other) => {
            return Err(err(format!(
                "grading: expected default or custom, found {other:?}"
            )))
        }
    }
    // Conflicting modes: the last one given wins, as the spec says.
    for flag in yaml.grader_flags.as_ref().map(words).unwrap_or_default() {
        match flag.as_str() {
            "worst_error" => s.verdict_mode = VerdictMode::WorstError,
            "first_error" => s.verdict_mode = VerdictMode::FirstError,
            "always_accept" => s.verdict_mode = VerdictMode::AlwaysAccept,
            "sum" => s.score_mode = ScoreMode::Sum,
            "avg" => s.score_mode = ScoreMode::Avg,
            "min" => s.score_mode = ScoreMode::Min,
            "max" => s.score_mode = ScoreMode::Max,
            "ignore_sample" => s.ignore_sample = true,
            "accept_if_any_accepted" => s.accept_if_any_accepted = true,
            other => {
                return Err(err(format!(
                    "grader_flags: unknown flag {other:?} for the default grader"
                )))
            }
        }
    }
    if let Some(a) = yaml.accept_score {
        s.accept_score = a;
    }
    if let Some(r) = yaml.reject_score {
        s.reject_score = r;
    }
    if let Some(range) = &yaml.range {
        let parts = words(range);
        let bound = |t: &str| -> Option<f64> {
            match t {
                "inf" | "+inf" => Some(f64::INFINITY),
                "-inf" => Some(f64::NEG_INFINITY),
                t => t.parse().ok().filter(|v: &f64| v.is_finite()),
            }
        };
        match parts.as_slice() {
            [lo, hi] => match (bound(lo), bound(hi)) {
                (Some(lo), Some(hi)) if lo <= hi => s.range = (lo, hi),
                _ => {
                    return Err(err(format!(
                        "range: expected two numbers, the first not above the second, found {:?}",
                        parts.join(" ")
                    )))
                }
            },
            _ => {
                return Err(err(format!(
                    "range: expected two space-separated numbers, found {:?}",
                    parts.join(" ")
                )))
            }
        }
    }
    Ok(s)
}

/// Where a modern group's settings are written in its settings file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ModernKeys {
    /// 2025-09: `max_score`, `score_aggregation`, `require_pass`.
    Flat,
    /// The late 2023-07 draft text: a `scoring:` map with `score`,
    /// `aggregation` and `require_pass`, and omitted scores inferred.
    DraftScoringMap,
}

/// The facts of `problem.yaml` grading depends on.
pub struct Declared {
    pub rules: Rules,
    pub scoring: bool,
    pub minimize: bool,
    pub validator_scores: bool,
    /// Only read with [`Rules::Modern`].
    pub keys: ModernKeys,
}

/// Which text of the 2023-07 draft a scoring package follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftReading {
    /// The early text: legacy `testdata.yaml` grading keys.
    Legacy,
    /// The late text: `scoring:` maps in `test_group.yaml`.
    ScoringMap,
}

/// Every group settings file below `data/` (the root's included), in order.
fn settings_files(
    dir: &Path,
    out: &mut Vec<(std::path::PathBuf, GroupYaml)>,
) -> Result<(), ProblemError> {
    if let Some(found) = read_yaml(dir)? {
        out.push(found);
    }
    for entry in sorted(dir)? {
        if entry.is_dir() {
            settings_files(&entry, out)?;
        }
    }
    Ok(())
}

/// Tells which of the 2023-07 draft's texts the scoring package at `root`
/// follows, from the keys of its group settings files. The draft's text
/// changed while it was a draft: at first its scoring was legacy's (the
/// `testdata.yaml` table with `on_reject`, `grading`, `grader_flags`,
/// `accept_score`, `reject_score`, `range`, and the default grader), later
/// `test_group.yaml` got a `scoring:` map instead. Refused: both in one
/// package, 2025-09's keys (no draft text has them), and neither, since the
/// two texts disagree on what a package that says nothing scores (1 per
/// accepted case summed, or 100 for `secret` shared among its groups).
pub fn draft_2023_reading(root: &Path) -> Result<DraftReading, ProblemError> {
    let data = root.join("data");
    let mut files = Vec::new();
    if data.is_dir() {
        settings_files(&data, &mut files)?;
    }
    let mut legacy = None;
    let mut map = None;
    for (path, yaml) in &files {
        if let Some(key) = yaml.flat_key() {
            return Err(perr(
                path,
                format!("{key}: a 2025-09 key; a 2023-07-draft package scores with legacy testdata.yaml keys (on_reject, grader_flags, accept_score, range, ...) or with a scoring: map (score, aggregation, require_pass); give problem_format_version: 2025-09 to use max_score, score_aggregation and require_pass"),
            ));
        }
        if let Some(key) = yaml.legacy_key() {
            legacy.get_or_insert((path.clone(), key));
        }
        if yaml.scoring.is_some() {
            map.get_or_insert(path.clone());
        }
    }
    match (legacy, map) {
        (Some(_), None) => Ok(DraftReading::Legacy),
        (None, Some(_)) => Ok(DraftReading::ScoringMap),
        (Some((legacy_path, key)), Some(map_path)) => Err(perr(
            &map_path,
            format!(
                "scoring: a 2023-07-draft package scores either with legacy keys or with scoring: maps, not both ({} has {key})",
                legacy_path.display()
            ),
        )),
        (None, None) => Err(perr(
            data.join("secret"),
            "type: scoring in a 2023-07-draft package that does not say how its groups score: \
             the draft's early text scores it as legacy packages (1 per accepted case, summed) and its \
             late text gives secret 100 points shared among its groups; add legacy testdata.yaml keys \
             (accept_score, grader_flags, range) or a scoring: map in data/secret/test_group.yaml",
        )),
    }
}

/// Reads the group tree of the package at `root`, whose cases are `tests`
/// (as [`crate::problem::Problem::load`] collected them).
pub fn load(root: &Path, declared: Declared, tests: &[TestCase]) -> Result<Grading, ProblemError> {
    let index: HashMap<&str, usize> = tests
        .iter()
        .enumerate()
        .map(|(i, t)| (t.name.as_str(), i))
        .collect();
    let data = root.join("data");
    let mut groups = vec![Group {
        name: "data".into(),
        items: Vec::new(),
        settings: Settings::Legacy(LegacySettings::default()),
    }];
    match declared.rules {
        Rules::Legacy => {
            let inherited = match read_yaml(&data)? {
                Some((path, yaml)) => {
                    refuse_static(&path, &yaml)?;
                    legacy_settings(&path, &yaml)?
                }
                None => LegacySettings::default(),
            };
            groups[0].settings = Settings::Legacy(inherited.clone());
            for top in ["sample", "secret"] {
                if data.join(top).is_dir() {
                    let child =
                        legacy_group(&data.join(top), top, &inherited, &index, &mut groups)?;
                    groups[0].items.push(Item::Group(child));
                }
            }
        }
        Rules::Modern => {
            groups[0].settings = Settings::Modern(ModernSettings {
                aggregation: Aggregation::PassFail,
                max_score: None,
                require_pass: Vec::new(),
                scores: false,
            });
            modern_groups(&data, declared.scoring, declared.keys, &index, &mut groups)?;
        }
    }
    Ok(Grading {
        rules: declared.rules,
        scoring: declared.scoring,
        minimize: declared.minimize,
        validator_scores: declared.validator_scores,
        groups,
    })
}

fn refuse_static(path: &Path, yaml: &GroupYaml) -> Result<(), ProblemError> {
    if yaml.static_validation_score.is_some() {
        return Err(perr(
            path,
            "static_validation_score: static validation is not supported by this judge",
        ));
    }
    Ok(())
}

fn legacy_group(
    dir: &Path,
    name: &str,
    inherited: &LegacySettings,
    index: &HashMap<&str, usize>,
    groups: &mut Vec<Group>,
) -> Result<usize, ProblemError> {
    // A group without testdata.yaml takes its closest ancestor's, whole.
    let settings = match read_yaml(dir)? {
        Some((path, yaml)) => {
            refuse_static(&path, &yaml)?;
            legacy_settings(&path, &yaml)?
        }
        None => inherited.clone(),
    };
    let me = groups.len();
    groups.push(Group {
        name: name.to_string(),
        items: Vec::new(),
        settings: Settings::Legacy(settings.clone()),
    });
    for entry in sorted(dir)? {
        let file = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if entry.is_dir() {
            let child = legacy_group(&entry, &format!("{name}/{file}"), &settings, index, groups)?;
            groups[me].items.push(Item::Group(child));
        } else if let Some(stem) = file.strip_suffix(".in") {
            if let Some(&i) = index.get(format!("{name}/{stem}").as_str()) {
                groups[me].items.push(Item::Case(i));
            }
        }
    }
    Ok(me)
}

fn sorted(dir: &Path) -> Result<Vec<std::path::PathBuf>, ProblemError> {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| perr(dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    Ok(entries)
}

/// Every case below `dir` (deeper folders included), in judging order.
fn cases_below(
    dir: &Path,
    name: &str,
    index: &HashMap<&str, usize>,
    out: &mut Vec<Item>,
) -> Result<(), ProblemError> {
    for entry in sorted(dir)? {
        let file = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if entry.is_dir() {
            cases_below(&entry, &format!("{name}/{file}"), index, out)?;
        } else if let Some(stem) = file.strip_suffix(".in") {
            if let Some(&i) = index.get(format!("{name}/{stem}").as_str()) {
                out.push(Item::Case(i));
            }
        }
    }
    Ok(())
}

fn max_score(
    path: &Path,
    key: &str,
    value: &Option<Value>,
) -> Result<Option<Option<f64>>, ProblemError> {
    match value {
        None => Ok(None),
        Some(Value::String(s)) if s == "unbounded" => Ok(Some(None)),
        Some(v) => match v.as_f64() {
            Some(x) if x >= 0.0 && x.is_finite() => Ok(Some(Some(x))),
            _ => Err(perr(
                path,
                format!(
                    "{key}: expected a non-negative number or unbounded, found {}",
                    yaml::to_text(v)
                ),
            )),
        },
    }
}

fn aggregation(
    path: &Path,
    key: &str,
    value: &Option<String>,
) -> Result<Option<Aggregation>, ProblemError> {
    Ok(match value.as_deref() {
        None => None,
        Some("pass-fail") => Some(Aggregation::PassFail),
        Some("sum") => Some(Aggregation::Sum),
        Some("min") => Some(Aggregation::Min),
        Some(other) => {
            return Err(perr(
                path,
                format!("{key}: expected pass-fail, sum or min, found {other:?}"),
            ))
        }
    })
}

/// A modern group's settings as its file gives them (`None`: not given).
#[derive(Default)]
struct GivenKeys {
    max_score: Option<Option<f64>>,
    aggregation: Option<Aggregation>,
    require_pass: Vec<String>,
    /// The first key given, for messages.
    first: Option<&'static str>,
}

const DRAFT_MAP_KEYS: [&str; 3] = ["score", "aggregation", "require_pass"];

/// Reads a modern group's settings where `keys` says they are written.
fn given_keys(
    path: &Path,
    yaml: &GroupYaml,
    keys: ModernKeys,
    scoring: bool,
) -> Result<GivenKeys, ProblemError> {
    match keys {
        ModernKeys::Flat => {
            if scoring && yaml.scoring.is_some() {
                return Err(perr(
                    path,
                    "scoring: the 2023-07 draft's map, not part of 2025-09 (which has max_score, score_aggregation and require_pass)",
                ));
            }
            Ok(GivenKeys {
                max_score: max_score(path, "max_score", &yaml.max_score)?,
                aggregation: aggregation(path, "score_aggregation", &yaml.score_aggregation)?,
                require_pass: names(&yaml.require_pass),
                first: yaml.flat_key(),
            })
        }
        ModernKeys::DraftScoringMap => {
            let Some(value) = &yaml.scoring else {
                return Ok(GivenKeys::default());
            };
            let map = match value {
                Value::Object(map) => map.clone(),
                Value::Null => Default::default(),
                other => {
                    return Err(perr(
                        path,
                        format!(
                            "scoring: expected a map with score, aggregation and require_pass, found {}",
                            yaml::to_text(other)
                        ),
                    ))
                }
            };
            if let Some(key) = map.keys().find(|k| !DRAFT_MAP_KEYS.contains(&k.as_str())) {
                return Err(perr(
                    path,
                    format!("scoring.{key}: unknown key (the 2023-07 draft's scoring map has score, aggregation and require_pass)"),
                ));
            }
            let aggregation_text = match map.get("aggregation") {
                None => None,
                Some(Value::String(s)) => Some(s.clone()),
                Some(other) => {
                    return Err(perr(
                        path,
                        format!(
                            "scoring.aggregation: expected pass-fail, sum or min, found {}",
                            yaml::to_text(other)
                        ),
                    ))
                }
            };
            Ok(GivenKeys {
                max_score: max_score(path, "scoring.score", &map.get("score").cloned())?,
                aggregation: aggregation(path, "scoring.aggregation", &aggregation_text)?,
                require_pass: names(&map.get("require_pass").cloned()),
                first: Some("scoring"),
            })
        }
    }
}

/// Whether a test case lies anywhere below `dir`.
fn has_cases(dir: &Path) -> Result<bool, ProblemError> {
    for entry in sorted(dir)? {
        if entry.is_dir() {
            if has_cases(&entry)? {
                return Ok(true);
            }
        } else if entry.extension().is_some_and(|e| e == "in") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The late 2023-07 draft scores every folder below `secret` as a group of
/// its own, at any depth; this judge scores the groups right below
/// `secret`. That is the same only when a deeper folder carries no scoring
/// of its own and its group is pass-fail (all its cases must pass either
/// way); anything else is refused, naming the folder.
fn refuse_draft_nesting(group_dir: &Path, aggregation: Aggregation) -> Result<(), ProblemError> {
    for entry in sorted(group_dir)? {
        if !entry.is_dir() {
            continue;
        }
        if let Some((path, yaml)) = read_yaml(&entry)? {
            if yaml.scoring.is_some() {
                return Err(perr(
                    path,
                    "scoring: a test group nested below a group of secret; the 2023-07 draft scores nested groups, this judge only secret's own groups",
                ));
            }
        }
        if aggregation != Aggregation::PassFail && has_cases(&entry)? {
            return Err(perr(
                &entry,
                format!(
                    "a test group nested in a group with {} aggregation: the 2023-07 draft scores it as a pass-fail group of its own with a share of the points, which this judge does not implement (move its cases up a folder, or make its parent pass-fail)",
                    aggregation.name()
                ),
            ));
        }
        refuse_draft_nesting(&entry, aggregation)?;
    }
    Ok(())
}

/// Refuses a legacy grading key in a 2025-09 group: it has no meaning
/// there, and a package that relies on it would not be judged as written.
fn refuse_legacy_keys(path: &Path, yaml: &GroupYaml) -> Result<(), ProblemError> {
    let legacy = [
        ("on_reject", yaml.on_reject.is_some()),
        ("grading", yaml.grading.is_some()),
        ("grader_flags", yaml.grader_flags.is_some()),
        ("accept_score", yaml.accept_score.is_some()),
        ("reject_score", yaml.reject_score.is_some()),
        ("range", yaml.range.is_some()),
    ];
    if let Some((key, _)) = legacy.iter().find(|(_, set)| *set) {
        return Err(perr(
            path,
            format!("{key}: a legacy grading key, not part of this package's format version (2025-09 uses max_score, score_aggregation, require_pass)"),
        ));
    }
    refuse_static(path, yaml)
}

fn modern_groups(
    data: &Path,
    scoring: bool,
    keys: ModernKeys,
    index: &HashMap<&str, usize>,
    groups: &mut Vec<Group>,
) -> Result<(), ProblemError> {
    let draft = keys == ModernKeys::DraftScoringMap;
    // sample: its cases, judged for their verdicts only.
    let sample = data.join("sample");
    if sample.is_dir() {
        if let Some((path, yaml)) = read_yaml(&sample)? {
            refuse_legacy_keys(&path, &yaml)?;
            if given_keys(&path, &yaml, keys, scoring)?.first.is_some() {
                return Err(perr(
                    &path,
                    if draft {
                        "scoring: not permitted in sample (only secret and its groups are scored)"
                    } else {
                        "max_score, score_aggregation and require_pass are not permitted in sample"
                    },
                ));
            }
        }
        let mut items = Vec::new();
        cases_below(&sample, "sample", index, &mut items)?;
        groups.push(Group {
            name: "sample".into(),
            items,
            settings: Settings::Modern(ModernSettings {
                aggregation: Aggregation::PassFail,
                max_score: None,
                require_pass: Vec::new(),
                scores: false,
            }),
        });
        let at = groups.len() - 1;
        groups[0].items.push(Item::Group(at));
    }
    if draft {
        if let Some((path, yaml)) = read_yaml(data)? {
            if yaml.scoring.is_some() {
                return Err(perr(
                    path,
                    "scoring: not permitted in data (only secret and its groups are scored)",
                ));
            }
        }
    }
    let secret = data.join("secret");
    if !secret.is_dir() {
        return Ok(());
    }
    let yaml_of = |dir: &Path| -> Result<(std::path::PathBuf, GroupYaml), ProblemError> {
        match read_yaml(dir)? {
            Some((path, yaml)) => {
                refuse_legacy_keys(&path, &yaml)?;
                Ok((path, yaml))
            }
            None => Ok((dir.join("test_group.yaml"), GroupYaml::default())),
        }
    };
    let (secret_path, secret_yaml) = yaml_of(&secret)?;
    let secret_keys = given_keys(&secret_path, &secret_yaml, keys, scoring)?;
    if !scoring {
        if let Some(key) = secret_keys.first {
            return Err(perr(
                &secret_path,
                format!("{key}: only scoring problems (type: scoring) have it"),
            ));
        }
    }
    let secret_max = secret_keys.max_score.unwrap_or(Some(100.0));
    let secret_agg = secret_keys.aggregation.unwrap_or(Aggregation::Sum);
    let secret_at = groups.len();
    groups.push(Group {
        name: "secret".into(),
        items: Vec::new(),
        settings: Settings::Modern(ModernSettings {
            aggregation: if scoring {
                secret_agg
            } else {
                Aggregation::PassFail
            },
            max_score: secret_max,
            require_pass: secret_keys.require_pass.clone(),
            scores: scoring,
        }),
    });
    groups[0].items.push(Item::Group(secret_at));
    let mut seen: Vec<(String, Aggregation)> = vec![("sample".into(), Aggregation::PassFail)];
    check_requires(
        &secret_path,
        "secret",
        &secret_keys.require_pass,
        &seen,
        true,
    )?;
    // The groups right below secret, with their settings.
    let mut subgroups = Vec::new();
    for entry in sorted(&secret)? {
        if entry.is_dir() {
            let (path, yaml) = yaml_of(&entry)?;
            let given = given_keys(&path, &yaml, keys, scoring)?;
            subgroups.push((entry, path, given));
        }
    }
    // The late 2023-07 draft's default score of a group of secret: a share
    // of what the groups that give theirs leave of secret's (sum), or
    // secret's (min); unbounded below an unbounded secret.
    let mut inferred = None;
    if draft && scoring {
        if let Some(m) = secret_max {
            match secret_agg {
                Aggregation::Sum => {
                    let given: f64 = subgroups
                        .iter()
                        .filter_map(|(_, _, g)| g.max_score.flatten())
                        .sum();
                    let missing = subgroups
                        .iter()
                        .filter(|(_, _, g)| g.max_score.is_none())
                        .count();
                    if given > m + 1e-9 {
                        return Err(perr(
                            &secret_path,
                            format!("scoring.score: secret's groups are worth {given} together, more than secret's {m}"),
                        ));
                    }
                    if missing > 0 {
                        inferred = Some((m - given) / missing as f64);
                    }
                }
                Aggregation::Min => inferred = Some(m),
                Aggregation::PassFail => {}
            }
        }
    }
    let mut subgroups = subgroups.into_iter();
    for entry in sorted(&secret)? {
        let file = entry
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if entry.is_dir() {
            let (_, path, given) = subgroups.next().expect("every folder was read");
            let name = format!("secret/{file}");
            if !scoring {
                if let Some(key) = given.first {
                    return Err(perr(
                        &path,
                        format!("{key}: only scoring problems (type: scoring) have it"),
                    ));
                }
            }
            let agg = given.aggregation.unwrap_or(Aggregation::PassFail);
            let max = match given.max_score {
                Some(max) => max,
                None if draft && secret_max.is_none() => None,
                None if draft => inferred,
                None => None,
            };
            if scoring {
                if secret_agg == Aggregation::PassFail && agg != Aggregation::PassFail {
                    return Err(perr(
                        &path,
                        if draft {
                            "scoring.aggregation: secret is pass-fail, so its groups must be too"
                        } else {
                            "score_aggregation: secret is pass-fail, so its groups must be too"
                        },
                    ));
                }
                if max.is_none() && secret_max.is_some() {
                    return Err(perr(
                        &path,
                        if draft {
                            "scoring.score: a group's score may be unbounded only when secret's is, and the 2023-07 draft infers an omitted one only below a sum or min secret: give score here"
                        } else {
                            "max_score: a test group's maximum score is unbounded unless given, and may only be when secret's is (secret's default is 100): give max_score here"
                        },
                    ));
                }
            }
            let requires = given.require_pass;
            if draft {
                if let Some(case) = requires
                    .iter()
                    .find(|r| data.join(format!("{r}.in")).is_file())
                {
                    return Err(perr(
                        &path,
                        format!("scoring.require_pass: {case} is a test case; the 2023-07 draft lets a group require single test cases, which this judge does not implement (require the group instead)"),
                    ));
                }
                refuse_draft_nesting(&entry, agg)?;
            }
            check_requires(&path, &name, &requires, &seen, false)?;
            let mut items = Vec::new();
            cases_below(&entry, &name, index, &mut items)?;
            groups.push(Group {
                name: name.clone(),
                items,
                settings: Settings::Modern(ModernSettings {
                    aggregation: if scoring { agg } else { Aggregation::PassFail },
                    max_score: max,
                    require_pass: requires,
                    scores: scoring,
                }),
            });
            let at = groups.len() - 1;
            groups[secret_at].items.push(Item::Group(at));
            seen.push((name, agg));
        } else if let Some(stem) = file.strip_suffix(".in") {
            if let Some(&i) = index.get(format!("secret/{stem}").as_str()) {
                groups[secret_at].items.push(Item::Case(i));
            }
        }
    }
    let items = &groups[secret_at].items;
    let has_groups = items.iter().any(|i| matches!(i, Item::Group(_)));
    let has_cases = items.iter().any(|i| matches!(i, Item::Case(_)));
    if scoring && has_groups && has_cases {
        return Err(perr(
            &secret,
            if draft {
                "data/secret has test cases and test groups: the 2023-07 draft scores them side by side with inferred shares, which this judge does not implement; put the cases in a group of their own"
            } else {
                "data/secret has test cases and test groups; it may have only one or the other"
            },
        ));
    }
    Ok(())
}

fn names(value: &Option<Value>) -> Vec<String> {
    value.as_ref().map(words).unwrap_or_default()
}

/// `require_pass` names earlier groups with pass-fail aggregation, or `sample`.
fn check_requires(
    path: &Path,
    me: &str,
    requires: &[String],
    seen: &[(String, Aggregation)],
    is_secret: bool,
) -> Result<(), ProblemError> {
    for r in requires {
        if is_secret && r != "sample" {
            return Err(perr(
                path,
                format!("require_pass: secret may only depend on sample, not {r:?}"),
            ));
        }
        match seen.iter().find(|(n, _)| n == r) {
            Some((_, Aggregation::PassFail)) => {}
            Some(_) => {
                return Err(perr(
                    path,
                    format!("require_pass: {r} must have pass-fail aggregation"),
                ))
            }
            None => {
                return Err(perr(
                    path,
                    format!(
                    "require_pass: {me} requires {r:?}, which is not a test group judged before it"
                ),
                ))
            }
        }
    }
    Ok(())
}

impl Grading {
    /// A pass-fail problem whose `tests` all sit in one group with the
    /// default settings (stop at the first rejected case): a custom run.
    pub fn pass_fail(tests: usize) -> Grading {
        Grading {
            rules: Rules::Legacy,
            scoring: false,
            minimize: false,
            validator_scores: false,
            groups: vec![Group {
                name: "data".into(),
                items: (0..tests).map(Item::Case).collect(),
                settings: Settings::Legacy(LegacySettings::default()),
            }],
        }
    }

    /// Every case below group `g`, subgroups included, in judging order.
    pub fn cases_of(&self, g: usize) -> Vec<usize> {
        let mut out = Vec::new();
        for item in &self.groups[g].items {
            match *item {
                Item::Case(i) => out.push(i),
                Item::Group(c) => out.extend(self.cases_of(c)),
            }
        }
        out
    }

    /// Whether group `g`'s score counts toward the submission's: not for
    /// samples of 2025-09 problems, nor below a legacy root that ignores
    /// its samples (`ignore_sample`).
    pub fn counts(&self, g: usize) -> bool {
        let name = &self.groups[g].name;
        match (&self.groups[0].settings, &self.groups[g].settings) {
            (_, Settings::Modern(m)) => m.scores,
            (Settings::Legacy(root), _) if root.ignore_sample => {
                name != "sample" && !name.starts_with("sample/")
            }
            _ => true,
        }
    }

    /// The points group `g` is shown with: its maximum when its score counts.
    pub fn points_of(&self, g: usize) -> Option<f64> {
        if self.counts(g) {
            self.max_of(g)
        } else {
            None
        }
    }

    /// The most group `g` can score, when bounded.
    pub fn max_of(&self, g: usize) -> Option<f64> {
        let group = &self.groups[g];
        match &group.settings {
            Settings::Modern(m) => {
                if !m.scores {
                    return None;
                }
                m.max_score
            }
            Settings::Legacy(s) => {
                if g == 0 && s.ignore_sample {
                    if let Some(secret) = self.child_named(0, "secret") {
                        return self.max_of(secret).map(|m| m.min(s.range.1));
                    }
                }
                if self.validator_scores {
                    // The validator's score.txt is the case's score: only
                    // the range bounds the group.
                    return s.range.1.is_finite().then_some(s.range.1);
                }
                let mut maxima = Vec::new();
                for item in &group.items {
                    maxima.push(match *item {
                        Item::Case(_) => s.accept_score.max(s.reject_score),
                        Item::Group(c) => self.max_of(c)?,
                    });
                }
                let raw = if maxima.is_empty() {
                    0.0
                } else {
                    match s.score_mode {
                        ScoreMode::Sum => maxima.iter().sum(),
                        ScoreMode::Avg => maxima.iter().sum::<f64>() / maxima.len() as f64,
                        ScoreMode::Min => maxima.iter().cloned().fold(f64::INFINITY, f64::min),
                        ScoreMode::Max => maxima.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                    }
                };
                let m = raw.clamp(s.range.0, s.range.1);
                m.is_finite().then_some(m)
            }
        }
    }

    fn child_named(&self, g: usize, name: &str) -> Option<usize> {
        self.groups[g].items.iter().find_map(|i| match *i {
            Item::Group(c) if self.groups[c].name == name => Some(c),
            _ => None,
        })
    }

    /// The submission's maximum score: the root's (legacy) or `secret`'s.
    pub fn max_score(&self) -> Option<f64> {
        match self.rules {
            Rules::Legacy => self.max_of(0),
            Rules::Modern => self.child_named(0, "secret").and_then(|s| self.max_of(s)),
        }
    }

    /// The groups a problem's page shows (all but the root `data`), empty
    /// for pass-fail problems.
    pub fn summary(&self) -> Vec<GroupSummary> {
        if !self.scoring {
            return Vec::new();
        }
        (1..self.groups.len())
            .map(|g| {
                let group = &self.groups[g];
                let (aggregation, require_pass) = match &group.settings {
                    _ if !self.counts(g) => ("none".to_string(), Vec::new()),
                    Settings::Modern(m) => {
                        (m.aggregation.name().to_string(), m.require_pass.clone())
                    }
                    Settings::Legacy(s) => (
                        match s.score_mode {
                            ScoreMode::Sum => "sum",
                            ScoreMode::Avg => "avg",
                            ScoreMode::Min => "min",
                            ScoreMode::Max => "max",
                        }
                        .to_string(),
                        Vec::new(),
                    ),
                };
                let max_score = self.points_of(g);
                GroupSummary {
                    name: group.name.clone(),
                    tests: self.cases_of(g).iter().map(|i| i + 1).collect(),
                    max_score,
                    aggregation,
                    require_pass,
                }
            })
            .collect()
    }
}
