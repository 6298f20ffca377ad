//! `judge`: submit solutions to the online judge and follow their verdicts.
//!
//! Exit codes (also in `judge --help`):
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | accepted (or the command succeeded) |
//! | 1 | rejected: WA, TLE, MLE, OLE or RE |
//! | 2 | usage error: bad arguments, unreadable or non-UTF-8 file, unknown extension |
//! | 3 | compilation error |
//! | 4 | the API refused the request (unknown problem or language, too large, ...) |
//! | 5 | judge or connection error: IE, API unreachable or failing, timeout |

mod api_client;
mod commands;
mod error;
mod follow;
mod output;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

const AFTER_HELP: &str = "\
Exit codes:
  0  accepted (or the command succeeded)
  1  rejected: WA, TLE, MLE, OLE or RE
  2  usage error: bad arguments, unreadable or non-UTF-8 file, unknown extension
  3  compilation error
  4  the API refused the request (unknown problem or language, too large, ...)
  5  judge or connection error: IE, API unreachable or failing, timeout";

#[derive(Parser, Debug)]
#[command(name = "judge", version, about = "Submit solutions to the online judge and follow their verdicts", after_help = AFTER_HELP)]
struct Cli {
    /// Base URL of the judge API.
    #[arg(
        long,
        global = true,
        env = "JUDGE_URL",
        default_value = "http://127.0.0.1:8080"
    )]
    url: String,
    /// Machine-readable output: JSON on stdout only.
    #[arg(long, global = true)]
    json: bool,
    /// Your user id [default: $USER, or "anonymous"].
    #[arg(long, global = true, env = "JUDGE_USER")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Submit a source file and follow it to its verdict.
    #[command(after_help = AFTER_HELP)]
    Submit {
        /// The source file (UTF-8).
        file: PathBuf,
        /// The problem id.
        #[arg(long, short)]
        problem: String,
        /// Language id (see `judge languages`); by default taken from the file's extension.
        #[arg(long, short)]
        lang: Option<String>,
        /// Give up waiting for the verdict after this many seconds (exit 5).
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// Show a submission's state.
    Status {
        /// The submission id.
        id: String,
        /// Wait for the verdict and exit by it, as `submit` does.
        #[arg(long)]
        wait: bool,
        /// With --wait: give up after this many seconds (exit 5).
        #[arg(long, default_value_t = 300)]
        timeout: u64,
    },
    /// List the problems.
    Problems,
    /// Show a problem: limits, statement and samples.
    Problem {
        /// The problem id.
        id: String,
    },
    /// List the languages and the extensions that select them.
    Languages,
}

fn default_user() -> String {
    std::env::var("USER")
        .ok()
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(|| "anonymous".to_string())
}

async fn run(cli: Cli) -> Result<u8, error::CliError> {
    let user = cli
        .user
        .filter(|u| !u.trim().is_empty())
        .unwrap_or_else(default_user);
    let ctx = commands::Context::new(&cli.url, cli.json, user)?;
    match cli.command {
        Command::Submit {
            file,
            problem,
            lang,
            timeout,
        } => {
            commands::submit(
                &ctx,
                &file,
                &problem,
                lang.as_deref(),
                Duration::from_secs(timeout),
            )
            .await
        }
        Command::Status { id, wait, timeout } => {
            commands::status(&ctx, &id, wait.then(|| Duration::from_secs(timeout))).await
        }
        Command::Problems => commands::problems(&ctx).await,
        Command::Problem { id } => commands::problem(&ctx, &id).await,
        Command::Languages => commands::languages(&ctx).await,
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("judge: cannot start: {e}");
            return ExitCode::from(error::code::JUDGE_ERROR);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("judge: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn help_documents_exit_codes() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Exit codes:"), "{help}");
        assert!(help.contains("3  compilation error"), "{help}");
    }
}
