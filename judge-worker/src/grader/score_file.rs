//! What a validator left about a case's score: `score.txt` (both formats)
//! or `score_multiplier.txt` (2025-09), read from the feedback directory.

/// What a validator left about a case's score.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum ScoreFile {
    #[default]
    None,
    /// `score.txt`.
    Score(f64),
    /// `score_multiplier.txt` (2025-09).
    Multiplier(f64),
}

/// Reads a validator's `score.txt` / `score_multiplier.txt` (their text as
/// the feedback directory gave it back). Both, or a text that is not one
/// number, is a judge error.
pub fn score_file(score: Option<&str>, multiplier: Option<&str>) -> Result<ScoreFile, String> {
    let parse = |name: &str, text: &str| -> Result<f64, String> {
        let t = text.trim();
        t.parse::<f64>()
            .ok()
            .filter(|x| x.is_finite())
            .ok_or_else(|| format!("{name}: expected one number, found {t:?}"))
    };
    match (score, multiplier) {
        (Some(_), Some(_)) => {
            Err("the validator wrote both score.txt and score_multiplier.txt".into())
        }
        (Some(s), None) => Ok(ScoreFile::Score(parse("score.txt", s)?)),
        (None, Some(m)) => Ok(ScoreFile::Multiplier(parse("score_multiplier.txt", m)?)),
        (None, None) => Ok(ScoreFile::None),
    }
}
