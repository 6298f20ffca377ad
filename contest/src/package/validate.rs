//! Consistency checks of a loaded package: unique ids and labels, and every
//! reference pointing at something that exists. The API's referential
//! integrity rule makes these the server's invariants, so they are checked
//! once, at import, with an error that names the file and the object.

use std::collections::HashSet;

use crate::api::{AccountType, ScoreboardType};
use crate::ids::is_valid_id;
use crate::package::error::PackageError;
use crate::package::model::{ContestPackage, SourceFiles};

fn unique<'a>(
    file: &str,
    what: &'static str,
    values: impl IntoIterator<Item = &'a str>,
) -> Result<HashSet<&'a str>, PackageError> {
    let mut seen = HashSet::new();
    for v in values {
        if !seen.insert(v) {
            return Err(PackageError::Duplicate {
                file: file.into(),
                what,
                value: v.into(),
            });
        }
    }
    Ok(seen)
}

fn valid_ids<'a>(
    file: &str,
    what: &str,
    ids: impl IntoIterator<Item = &'a str>,
) -> Result<(), PackageError> {
    for id in ids {
        if !is_valid_id(id) {
            return Err(PackageError::Invalid {
                file: file.into(),
                message: format!("{what} id {id:?} is not a valid ID ([A-Za-z0-9_.-], at most 36)"),
            });
        }
    }
    Ok(())
}

pub(crate) fn validate(p: &ContestPackage, f: &SourceFiles) -> Result<(), PackageError> {
    let c = &p.contest;
    let invalid = |file: &str, message: String| PackageError::Invalid {
        file: file.into(),
        message,
    };
    valid_ids(&f.contest, "contest", [c.id.as_str()])?;
    if c.duration.is_negative() || c.duration == Default::default() {
        return Err(invalid(&f.contest, "duration must be positive".into()));
    }
    if let Some(fr) = c.scoreboard_freeze_duration {
        if fr.is_negative() || fr > c.duration {
            return Err(invalid(
                &f.contest,
                "scoreboard_freeze_duration must be between 0 and duration".into(),
            ));
        }
    }
    if c.scoreboard_type == ScoreboardType::Score && c.penalty_time.is_some() {
        return Err(invalid(
            &f.contest,
            "penalty_time is not allowed when scoreboard_type is score".into(),
        ));
    }

    valid_ids(
        &f.problems,
        "problem",
        p.problems.iter().map(|x| x.id.as_str()),
    )?;
    unique(
        &f.problems,
        "problem id",
        p.problems.iter().map(|x| x.id.as_str()),
    )?;
    unique(
        &f.problems,
        "problem label",
        p.problems.iter().map(|x| x.label.as_str()),
    )?;

    valid_ids(
        &f.organizations,
        "organization",
        p.organizations.iter().map(|x| x.id.as_str()),
    )?;
    let orgs = unique(
        &f.organizations,
        "organization id",
        p.organizations.iter().map(|x| x.id.as_str()),
    )?;
    valid_ids(&f.groups, "group", p.groups.iter().map(|x| x.id.as_str()))?;
    let groups = unique(
        &f.groups,
        "group id",
        p.groups.iter().map(|x| x.id.as_str()),
    )?;

    valid_ids(&f.teams, "team", p.teams.iter().map(|x| x.id.as_str()))?;
    let teams = unique(&f.teams, "team id", p.teams.iter().map(|x| x.id.as_str()))?;
    for t in &p.teams {
        if let Some(o) = &t.organization_id {
            if !orgs.contains(o.as_str()) {
                return Err(PackageError::UnknownReference {
                    file: f.teams.clone(),
                    object: format!("team {:?}", t.id.as_str()),
                    kind: "organization",
                    id: o.0.clone(),
                });
            }
        }
        for g in &t.group_ids {
            if !groups.contains(g.as_str()) {
                return Err(PackageError::UnknownReference {
                    file: f.teams.clone(),
                    object: format!("team {:?}", t.id.as_str()),
                    kind: "group",
                    id: g.0.clone(),
                });
            }
        }
    }

    unique(
        &f.accounts,
        "account id",
        p.accounts.iter().map(|x| x.id.as_str()),
    )?;
    unique(
        &f.accounts,
        "username",
        p.accounts.iter().map(|x| x.username.as_str()),
    )?;
    for a in &p.accounts {
        match (&a.team_id, a.account_type) {
            (Some(t), _) if !teams.contains(t.as_str()) => {
                return Err(PackageError::UnknownReference {
                    file: f.accounts.clone(),
                    object: format!("account {:?}", a.id),
                    kind: "team",
                    id: t.0.clone(),
                })
            }
            (None, Some(AccountType::Team)) => {
                return Err(invalid(
                    &f.accounts,
                    format!("account {:?} has type team but no team_id", a.id),
                ))
            }
            _ => {}
        }
    }

    unique(
        &f.judgement_types,
        "judgement type id",
        p.judgement_types.iter().map(|x| x.id.as_str()),
    )?;
    unique(
        &f.languages,
        "language id",
        p.languages.iter().map(|x| x.id.as_str()),
    )?;
    Ok(())
}
