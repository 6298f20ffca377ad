//! The subcommands. Each returns the process exit code or a [`CliError`].

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Duration;

use api_types::{ErrorBody, LanguageEnabled, ProblemRejudge, SubmissionRejudge, UserToken};
use submission::SubmissionState;
use tokio::time::Instant;

use crate::api_client::{ApiClient, NewSubmission, PackageAnswer};
use crate::error::{code, exit_code_for_verdict, CliError};
use crate::follow::{Follower, Tracker};
use crate::output::{self, reporter::Reporter};
use crate::sources::{self, io_reason};

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
    pub fn new(
        url: &str,
        json: bool,
        user: String,
        token: Option<String>,
    ) -> Result<Self, CliError> {
        let terminal = std::io::stdout().is_terminal();
        let interactive = terminal && !json;
        let color = interactive && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());
        Ok(Context {
            client: ApiClient::with_token(url, token)?,
            json,
            user,
            color,
            interactive,
        })
    }
}

pub(crate) fn print_json(value: &impl serde::Serialize) -> Result<(), CliError> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::Judge(format!("cannot write JSON: {e}")))?;
    println!("{text}");
    Ok(())
}

/// `--json` of an API answer: as the API sent it, keys sorted (the CLI
/// printed the untyped answer that way before it read the typed one).
pub(crate) fn print_answer(answer: &impl serde::Serialize) -> Result<(), CliError> {
    let value = serde_json::to_value(answer)
        .map_err(|e| CliError::Judge(format!("cannot write JSON: {e}")))?;
    print_json(&value)
}

/// `judge submit FILE... --problem P`: one file, several, or a folder.
pub async fn submit(
    ctx: &Context,
    paths: &[PathBuf],
    problem: &str,
    lang: Option<&str>,
    entry_point: Option<&str>,
    wait: Duration,
) -> Result<u8, CliError> {
    let submission = sources::collect(paths, lang, entry_point)?;
    let language = submission.language.clone();
    let submitted = ctx
        .client
        .submit(&NewSubmission::of(&ctx.user, problem, &submission))
        .await?;
    let shown: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    let reporter = Reporter::new(ctx.interactive, ctx.color, ctx.json);
    reporter.line(&format!(
        "Submission {} ({}, {}, {})",
        submitted.id,
        problem,
        language,
        shown.join(" ")
    ));
    let mut tracker = Tracker::default();
    if let Some(new) = tracker.apply(submitted.state.clone()) {
        if let Some(current) = tracker.state() {
            reporter.update(current, &new, tracker.new_groups());
        }
    }
    let websocket = ctx.client.authenticated_websocket_url(&submitted.watch_url);
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
        println!("{}", output::verdict::final_report(state, ctx.color));
    }
    Ok(exit_code_for_verdict(state.verdict))
}

pub async fn status(ctx: &Context, id: &str, wait: Option<Duration>) -> Result<u8, CliError> {
    let state = ctx.client.submission(id).await?;
    let Some(wait) = wait.filter(|_| !state.is_final()) else {
        if ctx.json {
            print_json(&state)?;
        } else {
            println!("{}", output::verdict::status_report(&state, ctx.color));
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
            reporter.update(current, &new, tracker.new_groups());
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
    // A token tells the API whose best results to show. Without one (a judge
    // in open mode) the user id is given; a judge that refuses it for that
    // still lists the problems, without results.
    let problems = if ctx.client.has_token() {
        ctx.client.problems(None).await?
    } else {
        match ctx.client.problems(Some(&ctx.user)).await {
            Ok(problems) => problems,
            Err(CliError::Refused(_)) => ctx.client.problems(None).await?,
            Err(e) => return Err(e),
        }
    };
    if ctx.json {
        print_answer(&problems)?;
    } else {
        println!("{}", output::catalog::problems_table(&problems));
    }
    Ok(code::OK)
}

pub async fn problem(ctx: &Context, id: &str) -> Result<u8, CliError> {
    let problem = ctx.client.problem(id).await?;
    if ctx.json {
        print_answer(&problem)?;
    } else {
        println!("{}", output::catalog::problem_details(&problem));
    }
    Ok(code::OK)
}

pub async fn languages(ctx: &Context) -> Result<u8, CliError> {
    let languages = ctx.client.languages().await?;
    if ctx.json {
        print_answer(&languages)?;
    } else {
        println!("{}", output::catalog::languages_table(&languages));
    }
    Ok(code::OK)
}

/// The package directory and its problem id (the directory's name).
pub(crate) fn package_dir(dir: &Path) -> Result<(std::path::PathBuf, String), CliError> {
    let root = dir.canonicalize().map_err(|e| {
        CliError::Usage(format!("cannot open {}: {}", dir.display(), io_reason(&e)))
    })?;
    if !root.is_dir() {
        return Err(CliError::Usage(format!(
            "{} is not a directory",
            dir.display()
        )));
    }
    let id = root
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if !problem_package::problem::is_valid_id(&id) {
        return Err(CliError::Usage(format!(
            "{}: the directory name is the problem id and must be 1-64 of [a-z0-9_-]",
            dir.display()
        )));
    }
    Ok((root, id))
}

/// Packs a package directory as the API takes it: `submissions/` and VCS folders left out.
pub(crate) fn pack(root: &Path) -> Result<Vec<u8>, CliError> {
    problem_package::problem::pack(root)
        .map(|(bytes, _)| bytes)
        .map_err(|e| CliError::Usage(format!("cannot pack the package: {e}")))
}

/// `file:line: message` for each problem of a 422 answer.
fn problem_lines(answer: &ErrorBody) -> Vec<String> {
    answer
        .problems
        .iter()
        .flatten()
        .map(|p| match p.line {
            Some(line) => format!("{}:{line}: {}", p.file, p.message),
            None => format!("{}: {}", p.file, p.message),
        })
        .collect()
}

/// The loader's warnings and the validator's notes, on stderr.
pub(crate) fn print_warnings(warnings: &[String], notes: &[String]) {
    for w in warnings {
        eprintln!("warning: {w}");
    }
    for n in notes {
        eprintln!("note: {n}");
    }
}

/// A refused package: every problem on stderr, exit 4.
pub(crate) fn report_invalid(ctx: &Context, id: &str, answer: &ErrorBody) -> Result<u8, CliError> {
    if ctx.json {
        print_answer(answer)?;
    }
    let lines = problem_lines(answer);
    eprintln!(
        "judge: problem {id} was refused: {} problem(s) in the package",
        lines.len()
    );
    for line in lines {
        eprintln!("  {line}");
    }
    print_warnings(answer.warnings.as_deref().unwrap_or_default(), &[]);
    Ok(code::REFUSED)
}

/// Whether `judge problem add DIR` must derive the time limit first: the
/// package loads and gives none. A package that does not load goes up as
/// it is, so the API lists every problem in it.
pub fn needs_time_limit(dir: &Path) -> bool {
    package_dir(dir)
        .ok()
        .and_then(|(root, _)| problem_package::problem::Problem::load(&root).ok())
        .is_some_and(|p| p.time_limit_source == "default")
}

/// `judge problem add DIR`: uploads the package (admin token).
pub async fn problem_add(ctx: &Context, dir: &Path) -> Result<u8, CliError> {
    let (root, id) = package_dir(dir)?;
    let tar = pack(&root)?;
    match ctx.client.upload_problem(&id, tar).await? {
        PackageAnswer::Invalid(answer) => report_invalid(ctx, &id, &answer),
        PackageAnswer::Ok(answer) => {
            if ctx.json {
                print_answer(&answer)?;
            } else {
                let (version, tests) = (&answer.version, answer.tests);
                let what = if answer.unchanged {
                    "unchanged".to_string()
                } else {
                    match &answer.previous_version {
                        Some(prev) => format!("replaces version {prev}"),
                        None => "new problem".to_string(),
                    }
                };
                println!("problem {id}: version {version} ({tests} tests; {what})");
            }
            print_warnings(&answer.warnings, &answer.validator.notes);
            Ok(code::OK)
        }
    }
}

/// `judge problem validate DIR`: checks locally with the judge's loader,
/// then on the API (admin token) unless `local_only` or it is unreachable.
pub async fn problem_validate(ctx: &Context, dir: &Path, local_only: bool) -> Result<u8, CliError> {
    let (root, id) = package_dir(dir)?;
    let local = problem_package::problem::Problem::load(&root);
    let mut failed = false;
    match &local {
        Ok(p) => {
            if !ctx.json {
                println!(
                    "local: problem {id} is valid ({} tests, time limit {} ms from {}, memory {} MiB)",
                    p.tests.len(),
                    p.time_limit_ms,
                    p.time_limit_source,
                    p.memory_mb
                );
            }
            for w in &p.warnings {
                eprintln!("warning: {w}");
            }
        }
        Err(e) => {
            failed = true;
            let shown = problem_package::problem::ProblemError {
                file: e
                    .file
                    .strip_prefix(&root)
                    .map(|p| p.to_path_buf())
                    .unwrap_or(e.file.clone()),
                ..e.clone()
            };
            eprintln!("judge: local: problem {id} is invalid: {shown}");
        }
    }
    if local_only {
        return Ok(if failed { code::REFUSED } else { code::OK });
    }
    let tar = pack(&root)?;
    match ctx.client.validate_problem(&id, tar).await {
        Ok(PackageAnswer::Ok(answer)) => {
            if ctx.json {
                print_answer(&answer)?;
            } else {
                println!(
                    "remote: problem {id} is valid (version {}, current version {})",
                    answer.version,
                    answer.current_version.as_deref().unwrap_or("none")
                );
            }
            print_warnings(&[], &answer.validator.notes);
        }
        Ok(PackageAnswer::Invalid(answer)) => {
            report_invalid(ctx, &id, &answer)?;
            failed = true;
        }
        Err(e) => eprintln!("note: remote check skipped: {e}"),
    }
    Ok(if failed { code::REFUSED } else { code::OK })
}

/// `judge admin user add USER`: prints the new token on stdout.
pub async fn admin_user_add(ctx: &Context, user: &str, admin: bool) -> Result<u8, CliError> {
    let answer: UserToken = ctx
        .client
        .post_json(
            "api/admin/users",
            Some(serde_json::json!({ "user_id": user, "admin": admin })),
        )
        .await?;
    if ctx.json {
        print_answer(&answer)?;
    } else {
        eprintln!("created a token for {user}; it is shown only once:");
        println!("{}", answer.token);
    }
    Ok(code::OK)
}

/// `judge admin languages enable LANG`: records the request; prints what
/// builds the image (stdout: the command, so it can be piped to a shell on
/// a worker host). Exit 0 either way: the request is made.
pub async fn admin_language_enable(ctx: &Context, language: &str) -> Result<u8, CliError> {
    let path = format!("api/admin/languages/{language}/enable");
    let answer: LanguageEnabled = ctx.client.post_json(&path, None).await?;
    if ctx.json {
        print_answer(&answer)?;
    } else {
        eprintln!("{}", answer.message);
        if answer.ready != Some(true) {
            println!("{}", answer.command);
        }
    }
    Ok(code::OK)
}

/// `judge rejudge ID` / `judge rejudge --problem P`.
pub async fn rejudge(
    ctx: &Context,
    submission: Option<&str>,
    problem: Option<&str>,
) -> Result<u8, CliError> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if !submission.into_iter().chain(problem).all(plain) {
        return Err(CliError::Usage("ids are letters, digits, - and _".into()));
    }
    let path = match (submission, problem) {
        (Some(id), None) => format!("api/admin/submissions/{id}/rejudge"),
        (None, Some(p)) => format!("api/admin/problems/{p}/rejudge"),
        _ => {
            return Err(CliError::Usage(
                "give a submission id or --problem ID (not both)".into(),
            ))
        }
    };
    if let Some(id) = submission {
        let answer: SubmissionRejudge = ctx.client.post_json(&path, None).await?;
        if ctx.json {
            return print_answer(&answer).map(|_| code::OK);
        }
        // A scoring submission's old score goes too: the rejudge recomputes it.
        let verdict = answer
            .previous_verdict
            .map_or_else(|| "?".to_string(), |v| v.to_string());
        let was = match answer.previous_score {
            Some(score) => format!("{verdict}, {} points", output::style::format_score(score)),
            None => verdict,
        };
        println!(
            "submission {id} re-queued (was {was}), judged against problem version {}",
            answer.problem_version
        );
    } else {
        let answer: ProblemRejudge = ctx.client.post_json(&path, None).await?;
        if ctx.json {
            return print_answer(&answer).map(|_| code::OK);
        }
        println!(
            "problem {}: {} submission(s) re-queued, {} skipped (still being judged)",
            problem.unwrap_or(""),
            answer.requeued.len(),
            answer.skipped.len()
        );
    }
    Ok(code::OK)
}
