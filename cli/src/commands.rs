//! The subcommands. Each returns the process exit code or a [`CliError`].

use std::io::IsTerminal;
use std::path::Path;
use std::time::Duration;

use judge_core::SubmissionState;
use tokio::time::Instant;

use crate::api_client::{ApiClient, NewSubmission};
use crate::error::{code, exit_code_for_verdict, CliError};
use crate::follow::{Follower, Tracker};
use crate::output::{self, Reporter};

/// Options every command sees.
pub struct Context {
    pub client: ApiClient,
    pub json: bool,
    pub user: String,
    /// Colours and the progress bar: stdout is a terminal, not `--json`, no `NO_COLOR`.
    pub color: bool,
    pub interactive: bool,
}

impl Context {
    pub fn new(url: &str, json: bool, user: String) -> Result<Self, CliError> {
        let terminal = std::io::stdout().is_terminal();
        let interactive = terminal && !json;
        let color = interactive && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Ok(Context {
            client: ApiClient::new(url)?,
            json,
            user,
            color,
            interactive,
        })
    }
}

fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Judge(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// Reads the source: it must exist and be UTF-8.
pub fn read_source(path: &Path) -> Result<String, CliError> {
    let bytes = std::fs::read(path).map_err(|e| {
        CliError::Usage(format!("cannot read {}: {}", path.display(), io_reason(&e)))
    })?;
    String::from_utf8(bytes).map_err(|e| {
        CliError::Usage(format!(
            "{} is not UTF-8 text (invalid byte at offset {}); the judge accepts UTF-8 source only",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

/// The language id: `--lang`, or the one the file's extension selects.
pub fn language_for(path: &Path, lang: Option<&str>) -> Result<String, CliError> {
    if let Some(lang) = lang {
        return Ok(lang.trim().to_string());
    }
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if let Some(language) = judge_core::language::by_file_name(&name) {
        return Ok(language.id.to_string());
    }
    let known: Vec<&str> = judge_core::language::LANGUAGES
        .iter()
        .map(|l| l.id)
        .collect();
    let what = match name.rsplit_once('.') {
        Some((_, ext)) => format!("the extension .{ext} selects no language"),
        None => "it has no extension to tell the language by".to_string(),
    };
    Err(CliError::Usage(format!(
        "{}: {what}; pass --lang ({})",
        path.display(),
        known.join(", ")
    )))
}

pub async fn submit(
    ctx: &Context,
    file: &Path,
    problem: &str,
    lang: Option<&str>,
    wait: Duration,
) -> Result<u8, CliError> {
    let code_text = read_source(file)?;
    let language = language_for(file, lang)?;
    let submitted = ctx
        .client
        .submit(&NewSubmission {
            user_id: &ctx.user,
            problem_id: problem,
            language: &language,
            code: &code_text,
        })
        .await?;
    let reporter = Reporter::new(ctx.interactive, ctx.color, ctx.json);
    reporter.line(&format!(
        "Submission {} ({}, {}, {})",
        submitted.id,
        problem,
        language,
        file.display()
    ));
    let mut tracker = Tracker::default();
    if let Some(state) = submitted.state.clone() {
        if let Some(new) = tracker.apply(state) {
            if let Some(current) = tracker.state() {
                reporter.update(current, &new);
            }
        }
    }
    let websocket = submitted
        .watch_url
        .as_deref()
        .and_then(|url| ctx.client.websocket_url(url));
    let follower = Follower {
        client: &ctx.client,
        reporter: &reporter,
        id: submitted.id.clone(),
        deadline: Instant::now() + wait,
        tracker,
    };
    let result = follower.run(websocket).await;
    reporter.finish();
    let state = result?;
    report_final(ctx, &state)
}

fn report_final(ctx: &Context, state: &SubmissionState) -> Result<u8, CliError> {
    if ctx.json {
        print_json(state)?;
    } else {
        println!("{}", output::final_report(state, ctx.color));
    }
    Ok(exit_code_for_verdict(state.verdict))
}

pub async fn status(ctx: &Context, id: &str, wait: Option<Duration>) -> Result<u8, CliError> {
    let state = ctx.client.submission(id).await?;
    let Some(wait) = wait.filter(|_| !state.is_final()) else {
        if ctx.json {
            print_json(&state)?;
        } else {
            println!("{}", output::status_report(&state, ctx.color));
        }
        return Ok(if wait.is_some() {
            exit_code_for_verdict(state.verdict)
        } else {
            code::OK
        });
    };
    let reporter = Reporter::new(ctx.interactive, ctx.color, ctx.json);
    let mut tracker = Tracker::default();
    if let Some(new) = tracker.apply(state) {
        if let Some(current) = tracker.state() {
            reporter.update(current, &new);
        }
    }
    let follower = Follower {
        client: &ctx.client,
        reporter: &reporter,
        id: id.to_string(),
        deadline: Instant::now() + wait,
        tracker,
    };
    let result = follower.run(None).await;
    reporter.finish();
    report_final(ctx, &result?)
}

pub async fn problems(ctx: &Context) -> Result<u8, CliError> {
    let value = ctx.client.problems().await?;
    if ctx.json {
        print_json(&value)?;
    } else {
        println!("{}", output::problems_table(&value));
    }
    Ok(code::OK)
}

pub async fn problem(ctx: &Context, id: &str) -> Result<u8, CliError> {
    let value = ctx.client.problem(id).await?;
    if ctx.json {
        print_json(&value)?;
    } else {
        println!("{}", output::problem_details(&value));
    }
    Ok(code::OK)
}

pub async fn languages(ctx: &Context) -> Result<u8, CliError> {
    let value = ctx.client.languages().await?;
    if ctx.json {
        print_json(&value)?;
    } else {
        println!("{}", output::languages_table(&value));
    }
    Ok(code::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_comes_from_the_extension_unless_given() {
        assert_eq!(language_for(Path::new("a/sol.cpp"), None).unwrap(), "cpp");
        assert_eq!(language_for(Path::new("sol.py"), None).unwrap(), "python3");
        assert_eq!(
            language_for(Path::new("sol.txt"), Some("python3")).unwrap(),
            "python3"
        );
        let e = language_for(Path::new("dir/sol.txt"), None).unwrap_err();
        assert_eq!(e.exit_code(), 2);
        assert!(
            e.message().contains("dir/sol.txt") && e.message().contains(".txt"),
            "{e}"
        );
        let e = language_for(Path::new("Makefile"), None).unwrap_err();
        assert!(e.message().contains("no extension"), "{e}");
    }

    #[test]
    fn sources_must_exist_and_be_utf8() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("nope.py");
        let e = read_source(&missing).unwrap_err();
        assert!(
            e.message().contains("nope.py") && e.message().contains("no such file"),
            "{e}"
        );
        let latin1 = dir.path().join("latin1.py");
        std::fs::write(&latin1, b"print('caf\xe9')").unwrap();
        let e = read_source(&latin1).unwrap_err();
        assert!(
            e.message().contains("latin1.py") && e.message().contains("UTF-8"),
            "{e}"
        );
        assert!(e.message().contains("offset 10"), "{e}");
    }
}
