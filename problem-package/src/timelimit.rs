//! Deriving a problem's time limit from its own example submissions, by the
//! rules of the package's format version, for a package that gives no limit.
//!
//! Pure functions: the caller (the `judge` CLI, see `cli/src/verify/`)
//! judges the submissions and passes their times in; nothing here runs or
//! stores anything.
//!
//! * **legacy** (problemtools' `verifyproblem`): TL = slowest accepted time ×
//!   `limits.time_multiplier` (default 5), rounded to the nearest whole second
//!   (`int(0.5 + x)`, as problemtools does), at least 1 s. A
//!   `time_limit_exceeded/` submission is then judged with the higher limit
//!   `max(TL + 1, round(exact × time_safety_margin))` (default margin 2) and
//!   must still be too slow; problemtools only warns when it is not.
//! * **2023-07 draft and 2025-09**: TL is the smallest multiple of
//!   `limits.time_resolution` (default 1 s) with `T_ac × ac_to_time_limit ≤ TL`
//!   (default 2) and `TL × time_limit_to_tle ≤ T_tle` (default 1.5), where
//!   `T_ac` is the slowest run of the submissions that bound the limit from
//!   below and `T_tle` the fastest of those that bound it from above
//!   (infinite without any). No multiple fitting both makes the package invalid.
//!
//! Times are CPU seconds normalised to the problem's limit: a submission in
//! a language with a time multiplier `m` is judged with `TL × m`, so its time
//! counts as `time / m` (the caller divides).

use std::path::Path;

use serde::Deserialize;

use crate::problem::error::ProblemError;

/// Which set of rules a package follows, from `problem_format_version`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// No `problem_format_version`, `legacy` or `legacy-icpc`.
    Legacy,
    /// `2023-07-draft`, `2025-09` and later: `time_multipliers`, `time_resolution`.
    Modern,
}

/// The timing keys of `problem.yaml`, with the format's defaults filled in.
#[derive(Clone, Debug, PartialEq)]
pub struct TimingRules {
    pub format: Format,
    /// The version string as written (`legacy` when absent), for messages.
    pub version: String,
    /// Legacy `limits.time_multiplier`.
    pub time_multiplier: f64,
    /// Legacy `limits.time_safety_margin`.
    pub time_safety_margin: f64,
    /// `limits.time_multipliers.ac_to_time_limit`.
    pub ac_to_time_limit: f64,
    /// `limits.time_multipliers.time_limit_to_tle`.
    pub time_limit_to_tle: f64,
    /// `limits.time_resolution`, seconds.
    pub time_resolution: f64,
}

impl Default for TimingRules {
    fn default() -> Self {
        TimingRules {
            format: Format::Legacy,
            version: "legacy".into(),
            time_multiplier: 5.0,
            time_safety_margin: 2.0,
            ac_to_time_limit: 2.0,
            time_limit_to_tle: 1.5,
            time_resolution: 1.0,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct Yaml {
    problem_format_version: Option<crate::yaml::Value>,
    limits: Option<LimitsYaml>,
}

#[derive(Debug, Default, Deserialize)]
struct LimitsYaml {
    time_multiplier: Option<f64>,
    time_safety_margin: Option<f64>,
    time_multipliers: Option<MultipliersYaml>,
    time_resolution: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
struct MultipliersYaml {
    ac_to_time_limit: Option<f64>,
    time_limit_to_tle: Option<f64>,
}

impl TimingRules {
    /// Reads the timing keys of `root/problem.yaml`. Keys of the other
    /// format version are ignored, as that version's tools would.
    pub fn read(root: &Path) -> Result<TimingRules, ProblemError> {
        let path = root.join("problem.yaml");
        let text = std::fs::read_to_string(&path).map_err(|e| ProblemError {
            file: path.clone(),
            line: None,
            message: format!("cannot read: {e}"),
        })?;
        Self::parse(&text).map_err(|(line, message)| ProblemError {
            file: path,
            line,
            message,
        })
    }

    /// [`Self::read`] on the text; `Err((line, message))`.
    pub fn parse(text: &str) -> Result<TimingRules, (Option<usize>, String)> {
        let yaml: Yaml = if text.trim().is_empty() {
            Yaml::default()
        } else {
            crate::yaml::from_str(text).map_err(|e| (e.line, e.message))?
        };
        let version = match &yaml.problem_format_version {
            None => "legacy".to_string(),
            Some(other) => crate::yaml::to_text(other),
        };
        let format = if version.starts_with("legacy") {
            Format::Legacy
        } else {
            Format::Modern
        };
        let mut rules = TimingRules {
            format,
            version,
            ..TimingRules::default()
        };
        let limits = yaml.limits.unwrap_or_default();
        let at_least = |value: Option<f64>, min: f64, key: &str, default: f64| match value {
            None => Ok(default),
            Some(v) if (min..=1000.0).contains(&v) => Ok(v),
            Some(v) => Err((
                None,
                format!("limits.{key} must be at least {min}, found {v}"),
            )),
        };
        match format {
            Format::Legacy => {
                rules.time_multiplier =
                    at_least(limits.time_multiplier, 1.0, "time_multiplier", 5.0)?;
                rules.time_safety_margin =
                    at_least(limits.time_safety_margin, 1.0, "time_safety_margin", 2.0)?;
            }
            Format::Modern => {
                let m = limits.time_multipliers.unwrap_or_default();
                rules.ac_to_time_limit = at_least(
                    m.ac_to_time_limit,
                    1.0,
                    "time_multipliers.ac_to_time_limit",
                    2.0,
                )?;
                rules.time_limit_to_tle = at_least(
                    m.time_limit_to_tle,
                    1.0,
                    "time_multipliers.time_limit_to_tle",
                    1.5,
                )?;
                rules.time_resolution = match limits.time_resolution {
                    None => 1.0,
                    Some(r) if (0.001..=60.0).contains(&r) => r,
                    Some(r) => {
                        return Err((
                            None,
                            format!(
                                "limits.time_resolution must be between 0.001 and 60 seconds, found {r}"
                            ),
                        ))
                    }
                };
            }
        }
        Ok(rules)
    }

    /// The factor above the limit at which a submission that must be too
    /// slow is judged: legacy `time_safety_margin`, else `time_limit_to_tle`.
    pub fn tle_factor(&self) -> f64 {
        match self.format {
            Format::Legacy => self.time_safety_margin,
            Format::Modern => self.time_limit_to_tle,
        }
    }

    /// Whether a submission that must be too slow but is not at the higher
    /// limit makes the package wrong (2025-09: the inequality is a rule) or
    /// is only a warning (legacy: problemtools warns "sensitive to time limit").
    pub fn tle_margin_is_required(&self) -> bool {
        self.format == Format::Modern
    }
}

/// A submission's time that bounds the limit: its slowest test case, in
/// seconds normalised by its language's multiplier, and its name.
#[derive(Clone, Debug, PartialEq)]
pub struct Timed {
    pub name: String,
    pub seconds: f64,
}

/// A derived limit and how it was reached.
#[derive(Clone, Debug, PartialEq)]
pub struct Derived {
    pub time_limit_ms: u64,
    /// The limit unrounded (legacy: slowest × multiplier), for the margin.
    pub exact_seconds: f64,
    /// One line for the admin: `derived (legacy rules): slowest accepted ...`.
    pub explanation: String,
}

/// Why no limit could be derived.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Underivable(pub String);

/// The slowest of `times` (the lower bound's submission).
fn slowest(times: &[Timed]) -> Option<&Timed> {
    times.iter().max_by(|a, b| a.seconds.total_cmp(&b.seconds))
}

/// Seconds as the admin reads them: `0.31 s`, `2 s`.
pub fn seconds(s: f64) -> String {
    let text = format!("{s:.3}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text} s")
}

fn ms(s: f64) -> u64 {
    (s * 1000.0).round() as u64
}

/// The limit from the submissions that bound it from below (`lower`: legacy
/// `accepted/`; 2025-09 those not permitted TLE, or `use_for_time_limit:
/// lower`) and, for 2025-09, those that bound it from above (`upper`: the
/// ones that must be TLE; known only as far as they were measured).
pub fn derive(
    rules: &TimingRules,
    lower: &[Timed],
    upper: &[Timed],
) -> Result<Derived, Underivable> {
    let Some(slow) = slowest(lower) else {
        return Err(Underivable(match rules.format {
            Format::Legacy => {
                "no accepted submission under submissions/accepted/ to derive the time limit from; \
                 give one, or a limit (.timelimit or limits.time_limit)"
                    .into()
            }
            Format::Modern => "no submission bounds the time limit from below (accepted/, \
                 wrong_answer/, run_time_error/ or use_for_time_limit: lower); give one, or \
                 limits.time_limit"
                .into(),
        }));
    };
    match rules.format {
        Format::Legacy => {
            let exact = slow.seconds * rules.time_multiplier;
            // problemtools: timelim = max(1, int(0.5 + exact_timelim)).
            let limit = (exact + 0.5).floor().max(1.0);
            Ok(Derived {
                time_limit_ms: ms(limit),
                exact_seconds: exact,
                explanation: format!(
                    "derived ({} rules): slowest accepted {} {} × time_multiplier {} = {}, rounded to whole seconds (at least 1 s): {}",
                    rules.version,
                    slow.name,
                    seconds(slow.seconds),
                    rules.time_multiplier,
                    seconds(exact),
                    seconds(limit)
                ),
            })
        }
        Format::Modern => {
            let res = rules.time_resolution;
            let exact = slow.seconds * rules.ac_to_time_limit;
            // The smallest k ≥ 1 with k·res ≥ exact; the epsilon keeps an
            // exact multiple (0.5 × 2 = 1.0) from rounding up to the next one.
            let k = ((exact / res) - 1e-9).ceil().max(1.0);
            let limit = k * res;
            let mut explanation = format!(
                "derived ({} rules): slowest lower-bound submission {} {} × ac_to_time_limit {} = {}; smallest multiple of time_resolution {} at least that: {}",
                rules.version,
                slow.name,
                seconds(slow.seconds),
                rules.ac_to_time_limit,
                seconds(exact),
                seconds(res),
                seconds(limit)
            );
            if let Some(fast) = upper.iter().min_by(|a, b| a.seconds.total_cmp(&b.seconds)) {
                // Every larger multiple is further from fitting, so the
                // smallest one is the only candidate.
                if limit * rules.time_limit_to_tle > fast.seconds + 1e-9 {
                    return Err(Underivable(format!(
                        "no time limit fits the package: the slowest lower-bound submission {} ({}) needs at least {} (× ac_to_time_limit {}), but the time-limit-exceeded submission {} ran in {}, which needs the limit to be at most {} (÷ time_limit_to_tle {})",
                        slow.name,
                        seconds(slow.seconds),
                        seconds(limit),
                        rules.ac_to_time_limit,
                        fast.name,
                        seconds(fast.seconds),
                        seconds(fast.seconds / rules.time_limit_to_tle),
                        rules.time_limit_to_tle
                    )));
                }
                explanation.push_str(&format!(
                    "; fastest time-limit-exceeded {} ran longer than {}",
                    fast.name,
                    seconds(fast.seconds)
                ));
            }
            Ok(Derived {
                time_limit_ms: ms(limit),
                exact_seconds: exact,
                explanation,
            })
        }
    }
}

/// The limit at which submissions that must be too slow are judged, in ms:
/// legacy `max(TL + 1, round(exact × time_safety_margin))` seconds as
/// problemtools computes it (`exact` is the unrounded derived limit, or the
/// given limit), 2025-09 `TL × time_limit_to_tle`.
pub fn tle_check_limit_ms(rules: &TimingRules, time_limit_ms: u64, exact_seconds: f64) -> u64 {
    let tl = time_limit_ms as f64 / 1000.0;
    match rules.format {
        Format::Legacy => {
            let margin = (exact_seconds * rules.time_safety_margin + 0.5).floor();
            if (tl - tl.round()).abs() < 1e-9 {
                ms(margin.max(tl + 1.0))
            } else {
                // A given limit that is not whole seconds: the margin as is.
                ms((tl * rules.time_safety_margin).max(tl))
            }
        }
        Format::Modern => ms(tl * rules.time_limit_to_tle),
    }
}

/// The `.timelimit` file the CLI adds to a package whose limit it derived:
/// the seconds on the first line (what BAPCtools and DOMjudge read), then the
/// explanation as a `#` comment, which [`crate::problem`] shows as the
/// limit's source.
pub fn timelimit_file(time_limit_ms: u64, explanation: &str) -> String {
    let text = format!("{:.3}", time_limit_ms as f64 / 1000.0);
    let text = text.trim_end_matches('0').trim_end_matches('.');
    format!("{text}\n# {}\n", explanation.replace('\n', " "))
}

/// A package tar made by [`crate::problem::pack`] with its `.timelimit`
/// replaced by `timelimit` (see [`timelimit_file`]), deterministic like `pack`
/// so the same limit gives the same version.
pub fn with_timelimit(package: &[u8], timelimit: &str) -> std::io::Result<Vec<u8>> {
    let mut builder = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_gnu();
    header.set_entry_type(tar::EntryType::Regular);
    header.set_mode(0o644);
    header.set_mtime(0);
    header.set_uid(0);
    header.set_gid(0);
    header.set_size(timelimit.len() as u64);
    builder.append_data(&mut header, ".timelimit", timelimit.as_bytes())?;
    let mut archive = tar::Archive::new(package);
    for entry in archive.entries()? {
        let mut entry = entry?;
        let path = entry.path()?.into_owned();
        if path == Path::new(".timelimit") || path == Path::new("./.timelimit") {
            continue;
        }
        let mut header = entry.header().clone();
        builder.append_data(&mut header, &path, &mut entry)?;
    }
    builder.into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(name: &str, seconds: f64) -> Timed {
        Timed {
            name: name.into(),
            seconds,
        }
    }

    fn legacy() -> TimingRules {
        TimingRules::parse("name: x\n").unwrap()
    }

    fn modern(extra: &str) -> TimingRules {
        TimingRules::parse(&format!("problem_format_version: 2025-09\n{extra}")).unwrap()
    }

    #[test]
    fn reads_the_keys_of_each_version_with_defaults() {
        let r = legacy();
        assert_eq!(r.format, Format::Legacy);
        assert_eq!((r.time_multiplier, r.time_safety_margin), (5.0, 2.0));
        let r = TimingRules::parse(
            "limits:\n  time_multiplier: 3\n  time_safety_margin: 1.5\n  time_resolution: 7\n",
        )
        .unwrap();
        assert_eq!((r.time_multiplier, r.time_safety_margin), (3.0, 1.5));
        // A 2025-09 key means nothing to a legacy package.
        assert_eq!(r.time_resolution, 1.0);
        let r = modern(
            "limits:\n  time_multipliers:\n    ac_to_time_limit: 3\n  time_resolution: 0.5\n",
        );
        assert_eq!(r.format, Format::Modern);
        assert_eq!(
            (r.ac_to_time_limit, r.time_limit_to_tle, r.time_resolution),
            (3.0, 1.5, 0.5)
        );
        assert_eq!(
            TimingRules::parse("problem_format_version: 2023-07-draft\n")
                .unwrap()
                .format,
            Format::Modern
        );
        assert_eq!(
            TimingRules::parse("problem_format_version: legacy-icpc\n")
                .unwrap()
                .format,
            Format::Legacy
        );
        let (_, message) = TimingRules::parse("limits:\n  time_multiplier: 0.5\n").unwrap_err();
        assert!(message.contains("time_multiplier"), "{message}");
        let (_, message) =
            TimingRules::parse("problem_format_version: 2025-09\nlimits:\n  time_resolution: 0\n")
                .unwrap_err();
        assert!(message.contains("time_resolution"), "{message}");
        let (line, _) = TimingRules::parse("limits:\n  time_multiplier: [\n").unwrap_err();
        assert!(line.is_some());
    }

    #[test]
    fn legacy_rounds_to_the_nearest_second_as_problemtools() {
        let r = legacy();
        // 0.31 × 5 = 1.55 → 2; 0.29 × 5 = 1.45 → 1; 0.05 × 5 → at least 1.
        let d = derive(
            &r,
            &[t("accepted/a.py", 0.1), t("accepted/b.cpp", 0.31)],
            &[],
        )
        .unwrap();
        assert_eq!(d.time_limit_ms, 2000);
        assert!((d.exact_seconds - 1.55).abs() < 1e-9);
        assert!(
            d.explanation.contains("accepted/b.cpp 0.31 s"),
            "{}",
            d.explanation
        );
        assert!(
            d.explanation.contains("time_multiplier 5"),
            "{}",
            d.explanation
        );
        assert!(d.explanation.ends_with(": 2 s"), "{}", d.explanation);
        assert_eq!(
            derive(&r, &[t("a", 0.29)], &[]).unwrap().time_limit_ms,
            1000
        );
        assert_eq!(
            derive(&r, &[t("a", 0.05)], &[]).unwrap().time_limit_ms,
            1000
        );
        assert_eq!(derive(&r, &[t("a", 0.5)], &[]).unwrap().time_limit_ms, 3000);
        let r3 = TimingRules::parse("limits:\n  time_multiplier: 3\n").unwrap();
        assert_eq!(
            derive(&r3, &[t("a", 1.2)], &[]).unwrap().time_limit_ms,
            4000
        );
        // Legacy ignores TLE submissions when deriving.
        assert_eq!(
            derive(&r, &[t("a", 0.5)], &[t("tle", 0.1)])
                .unwrap()
                .time_limit_ms,
            3000
        );
        let e = derive(&r, &[], &[]).unwrap_err();
        assert!(e.0.contains("accepted"), "{e}");
    }

    #[test]
    fn legacy_tle_submissions_are_judged_at_the_safety_margin() {
        let r = legacy();
        // exact 1.55 s → TL 2 s; margin max(3, round(3.1)) = 3 s.
        assert_eq!(tle_check_limit_ms(&r, 2000, 1.55), 3000);
        // exact 0.25 → TL 1; margin max(2, round(0.5)) = 2 s.
        assert_eq!(tle_check_limit_ms(&r, 1000, 0.25), 2000);
        // exact 4 → TL 4; margin max(5, 8) = 8 s.
        assert_eq!(tle_check_limit_ms(&r, 4000, 4.0), 8000);
        // A given 1.5 s limit: 1.5 × 2.
        assert_eq!(tle_check_limit_ms(&r, 1500, 1.5), 3000);
        assert!(!r.tle_margin_is_required());
    }

    #[test]
    fn modern_takes_the_smallest_multiple_of_the_resolution() {
        let r = modern("");
        // 0.3 × 2 = 0.6 → 1 s; exactly 0.5 × 2 = 1 → 1 s, not 2.
        let d = derive(&r, &[t("accepted/a.py", 0.3)], &[]).unwrap();
        assert_eq!(d.time_limit_ms, 1000);
        assert!(
            d.explanation.contains("ac_to_time_limit 2"),
            "{}",
            d.explanation
        );
        assert_eq!(derive(&r, &[t("a", 0.5)], &[]).unwrap().time_limit_ms, 1000);
        assert_eq!(
            derive(&r, &[t("a", 0.51)], &[]).unwrap().time_limit_ms,
            2000
        );
        assert_eq!(derive(&r, &[t("a", 0.0)], &[]).unwrap().time_limit_ms, 1000);
        let fine = modern("limits:\n  time_resolution: 0.1\n");
        assert_eq!(
            derive(&fine, &[t("a", 0.26)], &[]).unwrap().time_limit_ms,
            600
        );
        assert_eq!(
            derive(&fine, &[t("a", 0.25)], &[]).unwrap().time_limit_ms,
            500
        );
        assert_eq!(tle_check_limit_ms(&r, 1000, 0.6), 1500);
        assert!(r.tle_margin_is_required());
    }

    #[test]
    fn modern_refuses_a_package_no_limit_fits_and_says_why() {
        let r = modern("");
        // TL 1 s needs T_tle ≥ 1.5 s.
        let d = derive(
            &r,
            &[t("accepted/a.py", 0.4)],
            &[t("time_limit_exceeded/slow.py", 1.5)],
        )
        .unwrap();
        assert_eq!(d.time_limit_ms, 1000);
        assert!(
            d.explanation.contains("time_limit_exceeded/slow.py"),
            "{}",
            d.explanation
        );
        let e = derive(
            &r,
            &[t("accepted/a.py", 0.4)],
            &[
                t("time_limit_exceeded/slow.py", 1.2),
                t("time_limit_exceeded/b.py", 9.0),
            ],
        )
        .unwrap_err();
        assert!(e.0.contains("no time limit fits"), "{e}");
        assert!(
            e.0.contains("time_limit_exceeded/slow.py ran in 1.2 s"),
            "{e}"
        );
        assert!(e.0.contains("at most 0.8 s"), "{e}");
        assert!(derive(&r, &[], &[]).unwrap_err().0.contains("below"));
    }

    #[test]
    fn the_timelimit_file_carries_the_explanation_as_a_comment() {
        assert_eq!(timelimit_file(2000, "derived: x"), "2\n# derived: x\n");
        assert_eq!(timelimit_file(1500, "a\nb"), "1.5\n# a b\n");
        assert_eq!(seconds(0.31), "0.31 s");
        assert_eq!(seconds(2.0), "2 s");
    }
}
