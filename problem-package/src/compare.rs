//! The Kattis default output validator.
//!
//! Tokens are split on whitespace and compared pairwise, ASCII
//! case-insensitively unless `case_sensitive`; `space_change_sensitive` makes
//! the whitespace itself significant; float tolerances accept a numeric token
//! within an absolute *or* relative error of the judge's.

/// The default validator's flags (`validator_flags` / `output_validator_args`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DefaultValidatorFlags {
    pub case_sensitive: bool,
    pub space_change_sensitive: bool,
    pub float_absolute_tolerance: Option<f64>,
    pub float_relative_tolerance: Option<f64>,
}

impl DefaultValidatorFlags {
    /// Parses flags such as `["float_tolerance", "1e-6", "case_sensitive"]`.
    pub fn parse<S: AsRef<str>>(flags: &[S]) -> Result<Self, String> {
        let mut parsed = DefaultValidatorFlags::default();
        let mut words = flags.iter().map(AsRef::as_ref);
        while let Some(flag) = words.next() {
            let mut value = || -> Result<f64, String> {
                let text = words
                    .next()
                    .ok_or_else(|| format!("{flag} needs a number after it"))?;
                text.parse::<f64>()
                    .ok()
                    .filter(|v| v.is_finite() && *v >= 0.0)
                    .ok_or_else(|| format!("{flag} needs a non-negative number, not {text:?}"))
            };
            match flag {
                "case_sensitive" => parsed.case_sensitive = true,
                "space_change_sensitive" => parsed.space_change_sensitive = true,
                "float_absolute_tolerance" => parsed.float_absolute_tolerance = Some(value()?),
                "float_relative_tolerance" => parsed.float_relative_tolerance = Some(value()?),
                "float_tolerance" => {
                    let tolerance = value()?;
                    parsed.float_absolute_tolerance = Some(tolerance);
                    parsed.float_relative_tolerance = Some(tolerance);
                }
                other => return Err(format!("unknown default validator flag {other:?}")),
            }
        }
        Ok(parsed)
    }

    fn has_float_tolerance(&self) -> bool {
        self.float_absolute_tolerance.is_some() || self.float_relative_tolerance.is_some()
    }
}

/// The default validator's decision.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    Accepted,
    /// With a message for judges: it may quote the expected answer.
    WrongAnswer(String),
}

/// Compares a team's output with the judge's answer.
pub fn compare(answer: &[u8], output: &[u8], flags: &DefaultValidatorFlags) -> Outcome {
    let (judge, team) = if flags.space_change_sensitive {
        (split_keeping_space(answer), split_keeping_space(output))
    } else {
        (split_on_space(answer), split_on_space(output))
    };
    for (position, (j, t)) in judge.iter().zip(team.iter()).enumerate() {
        if let Err(why) = tokens_match(j, t, flags) {
            return Outcome::WrongAnswer(format!("token {}: {why}", position + 1));
        }
    }
    match team.len().cmp(&judge.len()) {
        std::cmp::Ordering::Equal => Outcome::Accepted,
        std::cmp::Ordering::Less => Outcome::WrongAnswer(format!(
            "output ended after {} tokens; expected {} more, starting with {}",
            team.len(),
            judge.len() - team.len(),
            show(judge[team.len()])
        )),
        std::cmp::Ordering::Greater => Outcome::WrongAnswer(format!(
            "expected {} tokens; output has more, starting with {}",
            judge.len(),
            show(team[judge.len()])
        )),
    }
}

/// Where the team's output first differs from the judge's answer, by the
/// same token rules as [`compare`] (case, whitespace and float flags), as a
/// 1-based line and column (in characters) of the team's output: the start
/// of the first mismatching token, or the end of the output when it stops
/// early. `None` when [`compare`] accepts. Shown to the submitter for
/// samples only (it points into the answer's structure).
pub fn first_difference(
    answer: &[u8],
    output: &[u8],
    flags: &DefaultValidatorFlags,
) -> Option<TextPosition> {
    let (judge, team) = if flags.space_change_sensitive {
        (split_keeping_space(answer), split_keeping_space(output))
    } else {
        (split_on_space(answer), split_on_space(output))
    };
    let mismatch = judge
        .iter()
        .zip(team.iter())
        .position(|(j, t)| tokens_match(j, t, flags).is_err());
    let offset = match mismatch {
        Some(i) => offset_in(output, team[i]),
        None if team.len() == judge.len() => return None,
        None if team.len() > judge.len() => offset_in(output, team[judge.len()]),
        None => output.len(),
    };
    Some(TextPosition::of_offset(output, offset))
}

/// A 1-based line and column (in characters) in a text.
#[cfg_attr(feature = "utoipa", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct TextPosition {
    pub line: usize,
    pub column: usize,
}

impl TextPosition {
    /// The position of byte `offset` of `text` (lossily decoded).
    pub fn of_offset(text: &[u8], offset: usize) -> TextPosition {
        let before = &text[..offset.min(text.len())];
        let line_start = before
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        TextPosition {
            line: before.iter().filter(|&&b| b == b'\n').count() + 1,
            column: String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count()
                + 1,
        }
    }
}

/// The byte offset of `token`, a slice of `text`, within `text`.
fn offset_in(text: &[u8], token: &[u8]) -> usize {
    token.as_ptr() as usize - text.as_ptr() as usize
}

fn split_on_space(text: &[u8]) -> Vec<&[u8]> {
    text.split(|b| b.is_ascii_whitespace())
        .filter(|t| !t.is_empty())
        .collect()
}

/// Alternating runs of whitespace and non-whitespace, so whitespace compares too.
fn split_keeping_space(text: &[u8]) -> Vec<&[u8]> {
    let mut runs = Vec::new();
    let mut start = 0;
    for i in 1..=text.len() {
        if i == text.len() || text[i].is_ascii_whitespace() != text[start].is_ascii_whitespace() {
            runs.push(&text[start..i]);
            start = i;
        }
    }
    runs
}

fn tokens_match(judge: &[u8], team: &[u8], flags: &DefaultValidatorFlags) -> Result<(), String> {
    let equal = if flags.case_sensitive {
        judge == team
    } else {
        judge.eq_ignore_ascii_case(team)
    };
    if equal {
        return Ok(());
    }
    if flags.has_float_tolerance() {
        if let Some(expected) = parse_number(judge) {
            let Some(got) = parse_number(team) else {
                return Err(format!(
                    "expected the number {}, got {}",
                    show(judge),
                    show(team)
                ));
            };
            let error = (got - expected).abs();
            let within_abs = flags.float_absolute_tolerance.is_some_and(|t| error <= t);
            let within_rel = flags
                .float_relative_tolerance
                .is_some_and(|t| error <= t * expected.abs());
            return if within_abs || within_rel {
                Ok(())
            } else {
                Err(format!(
                    "expected {}, got {} (error {error:e})",
                    show(judge),
                    show(team)
                ))
            };
        }
    }
    Err(format!("expected {}, got {}", show(judge), show(team)))
}

/// A token counts as a number when it is written like one (no `inf`/`nan` words).
fn parse_number(token: &[u8]) -> Option<f64> {
    let text = std::str::from_utf8(token).ok()?;
    if !text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b'.' | b'e' | b'E'))
    {
        return None;
    }
    text.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn show(token: &[u8]) -> String {
    const MAX: usize = 40;
    let text = String::from_utf8_lossy(&token[..token.len().min(MAX)]);
    let ellipsis = if token.len() > MAX { "…" } else { "" };
    format!("{:?}", format!("{text}{ellipsis}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn flags(words: &str) -> DefaultValidatorFlags {
        DefaultValidatorFlags::parse(&words.split_whitespace().collect::<Vec<_>>()).unwrap()
    }

    fn accepts(answer: &str, output: &str, words: &str) -> bool {
        compare(answer.as_bytes(), output.as_bytes(), &flags(words)) == Outcome::Accepted
    }

    #[test]
    fn whitespace_amount_does_not_matter_by_default() {
        assert!(accepts("1 2\n3\n", "  1\n\n2 3", ""));
        assert!(!accepts("1 2 3", "1 2", ""));
        assert!(!accepts("1 2", "1 2 3", ""));
        assert!(accepts("", "\n \n", ""));
    }

    #[test]
    fn case_is_ignored_unless_case_sensitive() {
        assert!(accepts("Yes", "YES", ""));
        assert!(!accepts("Yes", "YES", "case_sensitive"));
        assert!(accepts("Yes", "Yes", "case_sensitive"));
    }

    #[test]
    fn space_change_sensitive_compares_whitespace_exactly() {
        assert!(accepts("1 2\n", "1 2\n", "space_change_sensitive"));
        assert!(!accepts("1 2\n", "1  2\n", "space_change_sensitive"));
        assert!(!accepts("1 2\n", "1 2", "space_change_sensitive"));
        assert!(!accepts("1 2\n", " 1 2\n", "space_change_sensitive"));
    }

    #[test]
    fn floats_need_a_tolerance_flag() {
        assert!(!accepts("0.5", "0.50", ""));
        assert!(accepts("0.5", "0.50", "float_tolerance 1e-6"));
        assert!(accepts(
            "3.141592",
            "3.1415926535",
            "float_absolute_tolerance 1e-6"
        ));
        assert!(!accepts(
            "3.141592",
            "3.1416",
            "float_absolute_tolerance 1e-6"
        ));
        assert!(accepts(
            "1000000",
            "1000000.5",
            "float_relative_tolerance 1e-6"
        ));
        assert!(!accepts(
            "1000000",
            "1000002",
            "float_relative_tolerance 1e-6"
        ));
        // Either tolerance suffices when float_tolerance sets both.
        assert!(accepts("1e9", "1000000000.5", "float_tolerance 1e-6"));
        assert!(accepts("0", "0.0000001", "float_tolerance 1e-6"));
        assert!(!accepts("1.5", "abc", "float_tolerance 1e-6"));
        assert!(!accepts("1.5", "nan", "float_tolerance 1e-6"));
        // Non-numeric tokens still compare as words.
        assert!(accepts("impossible", "IMPOSSIBLE", "float_tolerance 1e-6"));
    }

    #[test]
    fn bad_flags_are_reported() {
        assert!(DefaultValidatorFlags::parse(&["float_tolerance"]).is_err());
        assert!(DefaultValidatorFlags::parse(&["float_tolerance", "x"]).is_err());
        assert!(DefaultValidatorFlags::parse(&["bogus"]).is_err());
    }

    #[test]
    fn wrong_answer_says_where() {
        let Outcome::WrongAnswer(why) = compare(b"1 2 3", b"1 5 3", &flags("")) else {
            panic!()
        };
        assert!(why.contains("token 2"), "{why}");
    }

    fn difference(answer: &str, output: &str, words: &str) -> Option<(usize, usize)> {
        first_difference(answer.as_bytes(), output.as_bytes(), &flags(words))
            .map(|p| (p.line, p.column))
    }

    #[test]
    fn first_difference_points_at_the_first_mismatching_token_of_the_output() {
        assert_eq!(difference("1 2\n3\n", "1 2\n3\n", ""), None);
        assert_eq!(difference("1 2\n3\n", "  1\n\n2 3", ""), None);
        assert_eq!(difference("1 2\n3 4\n", "1 2\n3 5\n", ""), Some((2, 3)));
        assert_eq!(difference("abc\n", "  xbc\n", ""), Some((1, 3)));
        // Columns count characters, not bytes.
        assert_eq!(difference("é 1", "é 2", ""), Some((1, 3)));
    }

    #[test]
    fn first_difference_follows_the_validator_flags() {
        assert_eq!(difference("Yes", "YES", ""), None);
        assert_eq!(difference("Yes", "YES", "case_sensitive"), Some((1, 1)));
        assert_eq!(
            difference("0.5 1", "0.50001 1", "float_tolerance 1e-3"),
            None
        );
        assert_eq!(
            difference("0.5 1", "0.6 1", "float_tolerance 1e-3"),
            Some((1, 1))
        );
        // With space_change_sensitive, the extra space is the difference.
        assert_eq!(
            difference("1 2\n", "1  2\n", "space_change_sensitive"),
            Some((1, 2))
        );
    }

    #[test]
    fn first_difference_of_a_short_or_long_output() {
        // Ended early: the end of the output.
        assert_eq!(difference("1 2 3", "1 2\n", ""), Some((2, 1)));
        assert_eq!(difference("1", "", ""), Some((1, 1)));
        // Too long: the first extra token.
        assert_eq!(difference("1 2", "1 2\n 3", ""), Some((2, 2)));
    }

    #[test]
    fn first_difference_agrees_with_compare() {
        for (answer, output) in [("1 2", "1 2"), ("a", "b"), ("1", "1 2"), ("x y", "x")] {
            let accepted = compare(answer.as_bytes(), output.as_bytes(), &flags(""));
            assert_eq!(
                accepted == Outcome::Accepted,
                difference(answer, output, "").is_none(),
                "{answer:?} vs {output:?}"
            );
        }
    }

    proptest::proptest! {
        #[test]
        fn output_always_matches_itself(text in "[ a-zA-Z0-9.\n-]{0,60}") {
            proptest::prop_assert_eq!(compare(text.as_bytes(), text.as_bytes(), &flags("")), Outcome::Accepted);
            proptest::prop_assert_eq!(compare(text.as_bytes(), text.as_bytes(), &flags("space_change_sensitive case_sensitive")), Outcome::Accepted);
        }

        #[test]
        fn reformatted_floats_pass_with_tolerance(x in -1e6f64..1e6) {
            let answer = format!("{x:.9}");
            let output = format!("{x:e}");
            proptest::prop_assert_eq!(compare(answer.as_bytes(), output.as_bytes(), &flags("float_tolerance 1e-6")), Outcome::Accepted);
        }
    }
}
