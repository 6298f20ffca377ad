//! `submissions/submissions.yaml` (2023-07 / 2025-09): its globs (with
//! `{a,b}` braces), its entries' keys, and how an entry changes the rules of
//! the submissions it matches.

use indexmap::IndexMap;
use problem_package::timelimit::Format;
use problem_package::yaml::{self, Value};

use super::planned::Planned;
use super::rules::{folder_rule, Rule, UseForTimeLimit, ALL};

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

fn verdict_list(value: &Value, key: &str, glob: &str) -> Result<Vec<String>, String> {
    let items: Vec<String> = match value {
        Value::String(s) => vec![s.clone()],
        Value::Array(seq) => seq
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
fn score_key(value: &Value, glob: &str) -> Result<(f64, f64), String> {
    let number = |v: &Value| v.as_f64().filter(|x| x.is_finite());
    let range = match value {
        Value::Array(items) if items.len() == 2 => number(&items[0]).zip(number(&items[1])),
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

/// `use_for_time_limit: false | true | lower | upper`; `true` (and no key)
/// leaves it to the rule's verdicts.
fn use_for_time_limit_key(
    value: Option<&Value>,
    glob: &str,
) -> Result<Option<UseForTimeLimit>, String> {
    Ok(match value {
        None => None,
        Some(Value::Bool(false)) => Some(UseForTimeLimit::No),
        Some(Value::Bool(true)) => None,
        Some(Value::String(s)) if s == "lower" => Some(UseForTimeLimit::Lower),
        Some(Value::String(s)) if s == "upper" => Some(UseForTimeLimit::Upper),
        Some(other) => {
            return Err(format!(
                "{glob}: use_for_time_limit must be true, false, lower or upper, found {other:?}"
            ))
        }
    })
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

/// One entry of `submissions.yaml`, its keys read and checked.
struct Entry<'a> {
    glob: &'a str,
    permitted: Option<Vec<String>>,
    required: Option<Vec<String>>,
    use_for_time_limit: Option<UseForTimeLimit>,
    score: Option<(f64, f64)>,
    language: Option<String>,
    entry_point: Option<String>,
    /// Keys that name test data groups: their requirements are not checked.
    groups: Vec<String>,
}

impl<'a> Entry<'a> {
    fn read(glob: &'a str, value: &Value) -> Result<Entry<'a>, String> {
        let Value::Object(entry) = value else {
            return Err(format!("{glob}: expected a map of keys"));
        };
        let get = |k: &str| entry.get(k);
        let permitted = get("permitted")
            .map(|v| verdict_list(v, "permitted", glob))
            .transpose()?;
        let required = get("required")
            .map(|v| verdict_list(v, "required", glob))
            .transpose()?;
        let use_for_time_limit = use_for_time_limit_key(get("use_for_time_limit"), glob)?;
        let score = get("score").map(|v| score_key(v, glob)).transpose()?;
        let language = get("language").and_then(|v| v.as_str()).map(str::to_string);
        let entry_point = get("entrypoint")
            .and_then(|v| v.as_str())
            .map(str::to_string);
        let groups: Vec<String> = entry
            .keys()
            .map(String::as_str)
            .filter(|k| !ENTRY_KEYS.contains(k))
            .map(str::to_string)
            .collect();
        Ok(Entry {
            glob,
            permitted,
            required,
            use_for_time_limit,
            score,
            language,
            entry_point,
            groups,
        })
    }

    /// Whether the glob is a default folder's name: the entry then changes
    /// that folder's rule instead of adding one.
    fn replaces_folder(&self) -> bool {
        let glob = self.glob;
        !glob.contains('/')
            && !glob.contains('*')
            && !glob.contains('{')
            && folder_rule(Format::Modern, glob).is_some()
    }

    /// Whether the entry says anything about verdicts, score or timing.
    fn has_rule(&self) -> bool {
        self.permitted.is_some()
            || self.required.is_some()
            || self.use_for_time_limit.is_some()
            || self.score.is_some()
    }

    /// Applies this entry to a submission its glob matches.
    fn apply(&self, p: &mut Planned) {
        let glob = self.glob;
        if self.language.is_some() {
            p.language = self.language.clone();
        }
        if self.entry_point.is_some() {
            p.entry_point = self.entry_point.clone();
        }
        if !self.groups.is_empty() {
            p.notes.push(format!(
                "submissions.yaml {glob}: requirements for test groups ({}) are not checked",
                self.groups.join(", ")
            ));
        }
        let source = format!("submissions.yaml {glob}");
        if self.replaces_folder() {
            if let Some(rule) = p.rules.iter_mut().find(|r| r.source == format!("{glob}/")) {
                self.override_keys(rule);
                rule.source = source;
                return;
            }
        }
        if self.has_rule() {
            let mut rule = Rule::new(&source, ALL, ALL);
            if let Some(permitted) = &self.permitted {
                rule.permitted = permitted.clone();
            }
            if let Some(required) = &self.required {
                rule.required = required.clone();
            }
            rule.use_for_time_limit = self.use_for_time_limit;
            rule.score = self.score;
            p.rules.push(rule);
        }
    }

    /// Replaces the keys of a folder's rule that this entry gives.
    fn override_keys(&self, rule: &mut Rule) {
        if let Some(permitted) = &self.permitted {
            rule.permitted = permitted.clone();
        }
        if let Some(required) = &self.required {
            rule.required = required.clone();
        }
        if self.use_for_time_limit.is_some() {
            rule.use_for_time_limit = self.use_for_time_limit;
        }
        if self.score.is_some() {
            rule.score = self.score;
        }
    }
}

/// Applies `submissions/submissions.yaml` to the planned submissions: a key
/// that is a default folder's name replaces that folder's rule (keys it
/// does not give are kept); every other glob adds a rule.
pub(super) fn apply_submissions_yaml(text: &str, planned: &mut [Planned]) -> Result<(), String> {
    // Globs apply in the file's order, so the top level keeps it.
    let yaml: Option<IndexMap<String, Value>> = match yaml::from_str(text) {
        Ok(map) => map,
        Err(e) if yaml::from_str::<Value>(text).is_ok() => {
            return Err(format!(
                "the top level must be a map of globs ({})",
                e.message
            ))
        }
        Err(e) => return Err(e.message),
    };
    let Some(map) = yaml else {
        return Ok(());
    };
    for (key, value) in &map {
        let entry = Entry::read(key, value)?;
        for p in planned
            .iter_mut()
            .filter(|p| glob_matches(entry.glob, &p.name))
        {
            entry.apply(p);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::planned::planned;
    use super::super::rules::{AC, TLE, WA};
    use super::*;

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
}
