//! A submission found under `submissions/` and the rules it must meet:
//! which of them bound the time limit, and what it must get, as shown.

use std::path::PathBuf;

use problem_package::timelimit::Format;

use super::rules::{folder_rule, score_range, Rule, ALL};

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
    /// The submission `name` (`folder/entry`) at `path`, with its folder's
    /// rule if the format describes the folder.
    pub(super) fn new(name: String, path: PathBuf, format: Format) -> Planned {
        let folder = name.split('/').next().unwrap_or_default();
        Planned {
            rules: folder_rule(format, folder).into_iter().collect(),
            name,
            path,
            language: None,
            entry_point: None,
            notes: Vec::new(),
        }
    }

    /// Whether the submission bounds the time limit from below.
    pub(super) fn lower(&self, format: Format) -> bool {
        match format {
            // problemtools: the accepted submissions, nothing else.
            Format::Legacy => self.name.starts_with("accepted/"),
            Format::Modern => self.rules.iter().any(Rule::bounds_from_below),
        }
    }

    /// Whether the submission bounds the time limit from above (it must be
    /// too slow).
    pub(super) fn upper(&self, format: Format) -> bool {
        match format {
            Format::Legacy => self.name.starts_with("time_limit_exceeded/"),
            Format::Modern => self.rules.iter().any(Rule::bounds_from_above),
        }
    }

    /// `AC`, `WA`, `TLE`, or `RTE|TLE`: what the submission must get, short.
    pub(super) fn expected(&self) -> String {
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

/// A planned submission at `name`, as [`crate::verify::plan::plan`] finds it, for tests.
#[cfg(test)]
pub(super) fn planned(name: &str, format: Format) -> Planned {
    Planned::new(name.into(), PathBuf::from(name), format)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legacy_bounds_are_the_accepted_and_tle_folders() {
        assert!(planned("accepted/a.py", Format::Legacy).lower(Format::Legacy));
        assert!(!planned("wrong_answer/a.py", Format::Legacy).lower(Format::Legacy));
        assert!(planned("wrong_answer/a.py", Format::Modern).lower(Format::Modern));
        assert!(planned("time_limit_exceeded/a.py", Format::Legacy).upper(Format::Legacy));
    }
}
