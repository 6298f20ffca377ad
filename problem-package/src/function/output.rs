//! A harness prints the returned value after a separator line, once the
//! user's function has returned and its output is flushed: what comes
//! before the last separator is the user's own stdout (shown to them as
//! "stdout"), what follows is the result. Taking the last separator means
//! nothing the user prints can stand in for the harness's result, which is
//! always printed after it.

/// The separator line (without its newlines): unlikely in any output.
pub const SEPARATOR: &str = "\u{1e}judge-function-result\u{1e}";

/// A run's stdout split into the user's output and the returned value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Split {
    /// What the user's code printed.
    pub stdout: String,
    /// The returned value in the harness's JSON; `None` when the program
    /// ended without the harness printing one (the user's code exited).
    pub result: Option<String>,
}

/// Splits a harness run's stdout (see the module doc).
pub fn split(stdout: &[u8]) -> Split {
    let text = String::from_utf8_lossy(stdout);
    let marker = format!("\n{SEPARATOR}\n");
    match text.rfind(&marker) {
        Some(at) => Split {
            stdout: text[..at].to_string(),
            result: Some(text[at + marker.len()..].trim_end().to_string()),
        },
        None => Split {
            stdout: text.into_owned(),
            result: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_separator_wins() {
        let out = format!("debug\n{SEPARATOR}\n[9]\n\n{SEPARATOR}\n[1,2]\n");
        let s = split(out.as_bytes());
        assert_eq!(s.result.as_deref(), Some("[1,2]"));
        assert_eq!(s.stdout, format!("debug\n{SEPARATOR}\n[9]\n"));
        let s = split(b"no result");
        assert_eq!((s.stdout.as_str(), s.result), ("no result", None));
        let s = split(format!("\n{SEPARATOR}\n7\n").as_bytes());
        assert_eq!((s.stdout.as_str(), s.result.as_deref()), ("", Some("7")));
    }
}
