//! `judge`: submit solutions to the online judge and follow their verdicts.
//!
//! Exit codes (also in `judge --help`):
//!
//! | code | meaning |
//! |------|---------|
//! | 0 | accepted (or the command succeeded) |
//! | 1 | rejected: WA, TLE, MLE, OLE or RE; for `problem verify` (and `add --verify`), a submission that did not get its folder's verdict |
//! | 2 | usage error: bad arguments, unreadable or non-UTF-8 file, unknown extension |
//! | 3 | compilation error |
//! | 4 | the API refused the request (unknown problem or language, too large, not logged in (401), forbidden (403), invalid problem package, ...) |
//! | 5 | judge or connection error: IE, API unreachable or failing, timeout |

mod api_client;
mod cancel;
mod commands;
mod config;
mod contest;
mod error;
mod follow;
mod login;
mod output;
mod sources;
mod stub;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

const AFTER_HELP: &str = "\
Exit codes:
  0  accepted (or the command succeeded)
  1  rejected: WA, TLE, MLE, OLE or RE; for problem verify, a mismatch
  2  usage error: bad arguments, unreadable or non-UTF-8 file, unknown extension
  3  compilation error
  4  the API refused the request (unknown problem or language, too large, ...),
     not logged in (401) or forbidden (403), or an invalid problem package
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
    /// Your user id, only used by a judge running with JUDGE_AUTH=open
    /// (otherwise the token decides) [default: $USER, or "anonymous"].
    #[arg(long, global = true, env = "JUDGE_USER")]
    user: Option<String>,
    /// Bearer token [default: the one saved by `judge login`].
    #[arg(long, global = true, env = "JUDGE_TOKEN", hide_env_values = true)]
    token: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Submit source files and follow them to the verdict.
    #[command(after_help = AFTER_HELP)]
    Submit {
        /// The source: one file, several files (`a.cpp b.h`), or a folder
        /// whose files make one submission (UTF-8).
        #[arg(required = true)]
        files: Vec<PathBuf>,
        /// The problem id.
        #[arg(long, short)]
        problem: String,
        /// Language id (see `judge languages`); by default taken from the files' extensions.
        #[arg(long, short)]
        lang: Option<String>,
        /// The entry point among several files: a file name, or a Java/Kotlin
        /// class; by default found by the problem package format's rules.
        #[arg(long)]
        entry: Option<String>,
        /// Give up waiting for the verdict after this many seconds (exit 5).
        #[arg(long, default_value_t = 300)]
        timeout: u64,
        /// Submit to this contest (by default: the one running contest you
        /// take part in that has the problem, else practice).
        #[arg(long)]
        contest: Option<String>,
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
    /// Show a problem (`judge problem ID`), or add / validate a package (admin).
    #[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
    Problem {
        /// The problem id to show.
        #[arg(required = true)]
        id: Option<String>,
        /// Print a function problem's starter code in this language instead.
        #[arg(long, value_name = "LANG")]
        stub: Option<String>,
        #[command(subcommand)]
        action: Option<ProblemAction>,
    },
    /// List the languages and the extensions that select them.
    Languages,
    /// Log in: asks for your user name and password and saves a token for
    /// later commands (~/.config/judge/config.toml, mode 0600); with the
    /// global --token, saves that token instead.
    Login {
        /// Your user name [default: asked for].
        #[arg(long, short)]
        username: Option<String>,
        /// Read the password from the first line of stdin (for scripts).
        #[arg(long)]
        password_stdin: bool,
    },
    /// Revoke and forget the saved token.
    Logout,
    /// Admin commands.
    Admin {
        #[command(subcommand)]
        action: AdminAction,
    },
    /// Contests: add a contest package (admin), list, show, scoreboard.
    Contest {
        #[command(subcommand)]
        action: ContestAction,
    },
    /// Re-queue a finished submission, or every submission of a problem (admin);
    /// they are judged against the problem's current version.
    Rejudge {
        /// The submission id.
        #[arg(required_unless_present = "problem", conflicts_with = "problem")]
        id: Option<String>,
        /// Rejudge every submission of this problem.
        #[arg(long)]
        problem: Option<String>,
    },
}

#[derive(Subcommand, Debug)]
enum ContestAction {
    /// Upload a contest package folder (contest.yaml, problems.yaml,
    /// teams.json, accounts.yaml, ...; its problems must be on the judge)
    /// and print the contest's id (admin). Exit 4 if refused.
    #[command(after_help = AFTER_HELP)]
    Add { dir: PathBuf },
    /// List the contests.
    List,
    /// Show a contest: times, rules, problems (once started) and your results.
    Show { id: String },
    /// Print the scoreboard: rank, team, solved, penalty, tries/minute per problem.
    Scoreboard {
        id: String,
        /// Print it again every 2 s until interrupted.
        #[arg(long)]
        follow: bool,
    },
}

#[derive(Subcommand, Debug)]
enum ProblemAction {
    /// Show a problem: limits, statement and samples.
    Show { id: String },
    /// Upload a problem package directory as the problem's new version (admin;
    /// the directory name is the id). Exit 4 lists every problem found. A
    /// package without a time limit has one derived from its submissions by
    /// the format's rules (they are judged first), and the output says how.
    #[command(after_help = AFTER_HELP)]
    Add {
        dir: PathBuf,
        /// Publish only if `judge problem verify` passes (exit 1 otherwise).
        #[arg(long)]
        verify: bool,
        /// Give up waiting for the submissions' verdicts after this many seconds (exit 5).
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
    },
    /// Judge every submission of a package against a draft version users do
    /// not see and check each against its folder's (and submissions.yaml's)
    /// verdicts; a table, exit 1 on any mismatch (admin).
    #[command(after_help = AFTER_HELP)]
    Verify {
        dir: PathBuf,
        /// Give up waiting for the verdicts after this many seconds (exit 5).
        #[arg(long, default_value_t = 1800)]
        timeout: u64,
    },
    /// Check a package directory locally with the judge's loader, then on the
    /// API (admin token) unless --local or unreachable. Exit 4 if invalid.
    #[command(after_help = AFTER_HELP)]
    Validate {
        dir: PathBuf,
        /// Only check locally.
        #[arg(long)]
        local: bool,
    },
}

#[derive(Subcommand, Debug)]
enum AdminAction {
    /// Manage users.
    User {
        #[command(subcommand)]
        action: UserAction,
    },
    /// Languages outside the default set.
    Languages {
        #[command(subcommand)]
        action: LanguagesAction,
    },
    /// Cancel a queued or running submission: it ends `cancelled`, is not
    /// judged, and counts nowhere (a contest drops it from its board).
    /// Exit 4 if it is unknown or already finished.
    Cancel {
        /// The submission id.
        id: String,
    },
}

#[derive(Subcommand, Debug)]
enum LanguagesAction {
    /// Ask for a language whose sandbox image is not built: the request is
    /// recorded and the command that builds the image on each worker host is
    /// printed (the API has no Docker access). Exit 0 if it is ready already.
    Enable { language: String },
}

#[derive(Subcommand, Debug)]
enum UserAction {
    /// Create a token for USER and print it.
    Add {
        user: String,
        /// Make it an admin token.
        #[arg(long)]
        admin: bool,
    },
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
    let flag_token = cli.token.filter(|t| !t.trim().is_empty());
    match cli.command {
        Command::Login {
            username,
            password_stdin,
        } => {
            let args = login::LoginArgs {
                username,
                password_stdin,
            };
            return login::login(&cli.url, cli.json, flag_token.as_deref(), args).await;
        }
        Command::Logout => return login::logout(&cli.url).await,
        _ => {}
    }
    let token = flag_token.or_else(config::load_token);
    let mut ctx = commands::Context::new(&cli.url, cli.json, user, token)?;
    match cli.command {
        Command::Submit {
            files,
            problem,
            lang,
            entry,
            timeout,
            contest,
        } => {
            ctx.client.contest = contest;
            commands::submit(
                &ctx,
                &files,
                &problem,
                lang.as_deref(),
                entry.as_deref(),
                Duration::from_secs(timeout),
            )
            .await
        }
        Command::Status { id, wait, timeout } => {
            commands::status(&ctx, &id, wait.then(|| Duration::from_secs(timeout))).await
        }
        Command::Problems => commands::problems(&ctx).await,
        Command::Problem {
            id: Some(id),
            stub: Some(language),
            action: None,
        } => stub::print(&ctx, &id, &language).await,
        Command::Problem { id, action, .. } => match action {
            Some(ProblemAction::Show { id }) => commands::problem(&ctx, &id).await,
            Some(ProblemAction::Add {
                dir,
                verify,
                timeout,
            }) => {
                if verify || commands::needs_time_limit(&dir) {
                    let mode = verify::mode::Mode::Add { verify };
                    verify::run(&ctx, &dir, mode, Duration::from_secs(timeout)).await
                } else {
                    commands::problem_add(&ctx, &dir).await
                }
            }
            Some(ProblemAction::Verify { dir, timeout }) => {
                verify::run(
                    &ctx,
                    &dir,
                    verify::mode::Mode::Verify,
                    Duration::from_secs(timeout),
                )
                .await
            }
            Some(ProblemAction::Validate { dir, local }) => {
                commands::problem_validate(&ctx, &dir, local).await
            }
            None => commands::problem(&ctx, id.as_deref().unwrap_or_default()).await,
        },
        Command::Languages => commands::languages(&ctx).await,
        Command::Login { .. } | Command::Logout => unreachable!("handled above"),
        Command::Admin {
            action:
                AdminAction::User {
                    action: UserAction::Add { user, admin },
                },
        } => commands::admin_user_add(&ctx, &user, admin).await,
        Command::Admin {
            action:
                AdminAction::Languages {
                    action: LanguagesAction::Enable { language },
                },
        } => commands::admin_language_enable(&ctx, &language).await,
        Command::Admin {
            action: AdminAction::Cancel { id },
        } => cancel::admin_cancel(&ctx, &id).await,
        Command::Contest { action } => match action {
            ContestAction::Add { dir } => contest::add(&ctx, &dir).await,
            ContestAction::List => contest::list(&ctx).await,
            ContestAction::Show { id } => contest::show(&ctx, &id).await,
            ContestAction::Scoreboard { id, follow } => {
                contest::scoreboard(&ctx, &id, follow).await
            }
        },
        Command::Rejudge { id, problem } => {
            commands::rejudge(&ctx, id.as_deref(), problem.as_deref()).await
        }
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
