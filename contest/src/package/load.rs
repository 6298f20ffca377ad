//! Reading a contest package directory (Contest_Package.md): the API's
//! objects stored as `<endpoint>.json`, with YAML allowed for the files
//! people write by hand (`contest`, `problems`, `accounts`).

use std::path::Path;

use serde::de::DeserializeOwned;

use crate::api::{Contest, Problem, ScoreboardType, Team};
use crate::board::{BoardConfig, BoardTeam};
use crate::package::error::PackageError;
use crate::package::model::{ContestPackage, SourceFiles};
use crate::package::validate::validate;
use crate::rules::{PassFail, Rules, ScoreRules};
use crate::time::RelTime;

#[derive(Clone, Copy)]
enum Format {
    Yaml,
    Json,
}

/// Finds `<base>.yaml` / `<base>.yml` (when YAML is allowed) or `<base>.json`.
fn find(dir: &Path, base: &str, yaml: bool) -> Result<Option<(String, Format)>, PackageError> {
    let mut names = vec![(format!("{base}.json"), Format::Json)];
    if yaml {
        names.insert(0, (format!("{base}.yml"), Format::Yaml));
        names.insert(0, (format!("{base}.yaml"), Format::Yaml));
    }
    let present: Vec<_> = names
        .into_iter()
        .filter(|(n, _)| dir.join(n).is_file())
        .collect();
    match present.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [a, b, ..] => Err(PackageError::Ambiguous {
            file: a.0.clone(),
            other: b.0.clone(),
        }),
    }
}

fn parse<T: DeserializeOwned>(dir: &Path, file: &str, format: Format) -> Result<T, PackageError> {
    let text = std::fs::read_to_string(dir.join(file)).map_err(|source| PackageError::Io {
        file: file.to_string(),
        source,
    })?;
    match format {
        Format::Json => serde_json::from_str(&text).map_err(|e| PackageError::Parse {
            file: file.to_string(),
            line: Some(e.line() as u64).filter(|l| *l > 0),
            column: Some(e.column() as u64).filter(|c| *c > 0),
            message: e.to_string(),
        }),
        Format::Yaml => serde_saphyr::from_str(&text).map_err(|e| {
            let loc = e.location();
            PackageError::Parse {
                file: file.to_string(),
                line: loc.map(|l| l.line()),
                column: loc.map(|l| l.column()),
                message: e.to_string(),
            }
        }),
    }
}

fn load<T: DeserializeOwned>(
    dir: &Path,
    base: &str,
    yaml: bool,
) -> Result<Option<(String, T)>, PackageError> {
    match find(dir, base, yaml)? {
        None => Ok(None),
        Some((file, format)) => {
            let v = parse(dir, &file, format)?;
            Ok(Some((file, v)))
        }
    }
}

fn required<T: DeserializeOwned>(
    dir: &Path,
    base: &str,
    yaml: bool,
) -> Result<(String, T), PackageError> {
    load(dir, base, yaml)?.ok_or_else(|| PackageError::Missing { base: base.into() })
}

fn optional<T: DeserializeOwned>(
    dir: &Path,
    base: &str,
    yaml: bool,
) -> Result<(String, Vec<T>), PackageError> {
    Ok(load(dir, base, yaml)?.unwrap_or_else(|| (format!("{base}.json"), Vec::new())))
}

impl ContestPackage {
    /// Loads and validates the package in `dir`. Required: `contest`,
    /// `problems` and `teams`; `organizations`, `groups`, `accounts`,
    /// `judgement-types` and `languages` default to empty.
    pub fn load(dir: impl AsRef<Path>) -> Result<ContestPackage, PackageError> {
        let dir = dir.as_ref();
        if !dir.is_dir() {
            return Err(PackageError::NotADirectory(dir.to_path_buf()));
        }
        let (contest_file, mut contest): (_, Contest) = required(dir, "contest", true)?;
        let (problems_file, mut problems): (_, Vec<Problem>) = required(dir, "problems", true)?;
        let (teams_file, mut teams): (_, Vec<Team>) = required(dir, "teams", false)?;
        let (organizations_file, organizations) = optional(dir, "organizations", false)?;
        let (groups_file, groups) = optional(dir, "groups", false)?;
        let (accounts_file, accounts) = optional(dir, "accounts", true)?;
        let (judgement_types_file, judgement_types) = optional(dir, "judgement-types", false)?;
        let (languages_file, languages) = optional(dir, "languages", false)?;

        // Fill what the schema requires but a hand-written package may omit.
        if contest.scoreboard_type == ScoreboardType::PassFail && contest.penalty_time.is_none() {
            contest.penalty_time = Some(RelTime::from_minutes(20));
        }
        for t in &mut teams {
            if t.label.is_empty() {
                t.label = t.id.0.clone();
            }
        }
        problems.sort_by_key(|p| p.ordinal);

        let files = SourceFiles {
            contest: contest_file,
            problems: problems_file,
            teams: teams_file,
            organizations: organizations_file,
            groups: groups_file,
            accounts: accounts_file,
            judgement_types: judgement_types_file,
            languages: languages_file,
        };
        let pkg = ContestPackage {
            dir: dir.to_path_buf(),
            contest,
            problems,
            teams,
            organizations,
            groups,
            accounts,
            judgement_types,
            languages,
        };
        validate(&pkg, &files)?;
        Ok(pkg)
    }

    /// The contest's default scoring rule: pass-fail with its penalty time,
    /// or score with the `max` aggregation (pick another in the settings).
    pub fn default_rules(&self) -> Rules {
        match self.contest.scoreboard_type {
            ScoreboardType::PassFail => Rules::PassFail(PassFail {
                penalty_time: self.contest.penalty_time.unwrap_or_default(),
            }),
            ScoreboardType::Score => Rules::Score(ScoreRules::default()),
        }
    }

    /// A scoreboard configuration for this package: problems in ordinal
    /// order, every team that is not hidden, the contest's freeze.
    pub fn board_config(&self, rules: Rules) -> BoardConfig {
        BoardConfig {
            rules,
            problems: self.problems.iter().map(|p| p.id.clone()).collect(),
            teams: self
                .teams
                .iter()
                .filter(|t| t.hidden != Some(true))
                .map(|t| BoardTeam {
                    id: t.id.clone(),
                    name: t.display_name.clone().unwrap_or_else(|| t.name.clone()),
                })
                .collect(),
            freeze_start: self.contest.freeze_start(),
            judgement_types: self.judgement_types.clone(),
        }
    }
}
