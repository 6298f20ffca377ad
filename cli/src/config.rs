//! The saved login: `$XDG_CONFIG_HOME/judge/config.toml` (or
//! `~/.config/judge/config.toml`), mode 0600, holding `token = "..."`.
//! `--token` / `JUDGE_TOKEN` take precedence over it. `judge login` writes
//! it ([`crate::login`]), `judge logout` removes it.

use std::path::PathBuf;

use crate::error::CliError;

pub fn path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|v| !v.is_empty())
                .map(|h| PathBuf::from(h).join(".config"))
        })?;
    Some(base.join("judge").join("config.toml"))
}

/// The saved token, if any.
pub fn load_token() -> Option<String> {
    let text = std::fs::read_to_string(path()?).ok()?;
    text.lines().find_map(|line| {
        let (key, value) = line.split_once('=')?;
        if key.trim() != "token" {
            return None;
        }
        let value = value.trim().trim_matches('"').trim();
        (!value.is_empty()).then(|| value.to_string())
    })
}

/// Saves `token`, readable by the owner only; returns the file written.
pub fn save_token(token: &str) -> Result<PathBuf, CliError> {
    if token.is_empty()
        || !token
            .bytes()
            .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\')
    {
        return Err(CliError::Usage(
            "the token must be printable ASCII without quotes or backslashes".into(),
        ));
    }
    let path = path().ok_or_else(|| {
        CliError::Usage("neither XDG_CONFIG_HOME nor HOME is set; use JUDGE_TOKEN instead".into())
    })?;
    let fail = |e: std::io::Error| CliError::Usage(format!("cannot write {}: {e}", path.display()));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(fail)?;
    }
    use std::io::Write;
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&path)
        .map_err(fail)?;
    // An existing file keeps its mode on open: tighten it.
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).map_err(fail)?;
    writeln!(file, "# written by `judge login`\ntoken = \"{token}\"").map_err(fail)?;
    Ok(path)
}

/// Removes the saved token (other lines stay); returns the file it was in,
/// or `None` when no token was saved.
pub fn forget_token() -> Result<Option<PathBuf>, CliError> {
    let Some(path) = path() else {
        return Ok(None);
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        return Ok(None);
    };
    let is_token = |line: &str| {
        line.split_once('=')
            .is_some_and(|(k, _)| k.trim() == "token")
    };
    if !text.lines().any(is_token) {
        return Ok(None);
    }
    let kept: String = text
        .lines()
        .filter(|line| !is_token(line))
        .map(|line| format!("{line}\n"))
        .collect();
    std::fs::write(&path, kept)
        .map_err(|e| CliError::Usage(format!("cannot write {}: {e}", path.display())))?;
    Ok(Some(path))
}
