//! What the language suites share (`more_languages`, `languages_compiled`,
//! `languages_interpreted`, `language_routing`): waiting until the workers'
//! heartbeats make a set of languages ready, and judging a batch of
//! programs, all submitted at once and followed over their watch URLs, into
//! the list of those whose verdict was not the expected one (so a failing
//! run names every wrong language at once, not only the first).

use std::time::{Duration, Instant};

use problem_package::source::SourceFile;
use serde_json::Value;
use submission::{Status, Verdict};
use testkit::client::{final_state, follow, submit, submit_files};

/// Open sign-up, so that each program can be submitted by a user of its
/// own (unless the run says otherwise).
pub fn open_auth() {
    if std::env::var_os("JUDGE_AUTH").is_none() {
        std::env::set_var("JUDGE_AUTH", "open");
    }
}

/// `GET /api/languages`.
pub async fn languages(api_url: &str) -> Vec<Value> {
    reqwest::get(format!("{api_url}/api/languages"))
        .await
        .expect("the API answers")
        .json()
        .await
        .expect("a list of languages")
}

/// Language `id`'s `ready` in `list` (`null` while no worker has said).
pub fn ready(list: &[Value], id: &str) -> Value {
    list.iter()
        .find(|l| l["id"] == id)
        .unwrap_or_else(|| panic!("{id} is not in GET /api/languages"))["ready"]
        .clone()
}

/// Waits (up to `within`) until every language of `ids` is ready, and
/// asserts it: a worker looks at its images every few seconds and says so
/// in its heartbeat. Returns the last list read.
pub async fn wait_until_ready(api_url: &str, ids: &[&str], within: Duration) -> Vec<Value> {
    let deadline = Instant::now() + within;
    let list = loop {
        let list = languages(api_url).await;
        let all = ids.iter().all(|id| ready(&list, id) == Value::Bool(true));
        if all || Instant::now() > deadline {
            break list;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    for id in ids {
        assert_eq!(ready(&list, id), Value::Bool(true), "{id} is not ready");
    }
    list
}

/// What a program is submitted as: one piece of code, or named files.
pub enum Source {
    Code(String),
    Files(Vec<SourceFile>),
}

/// Files from `(name, content)` pairs.
pub fn files(pairs: &[(&str, &str)]) -> Source {
    Source::Files(
        pairs
            .iter()
            .map(|(name, content)| SourceFile {
                name: name.to_string(),
                content: content.to_string(),
            })
            .collect(),
    )
}

/// One program to judge and the verdict it must get.
pub struct Program {
    /// How a wrong verdict names it (`"ada WA"`, `"nim (multi-file)"`).
    pub label: String,
    pub language: String,
    pub source: Source,
    pub expected: Verdict,
}

impl Program {
    pub fn code(language: &str, expected: Verdict, code: &str) -> Program {
        Program {
            label: format!("{language} {expected}"),
            language: language.to_string(),
            source: Source::Code(code.to_string()),
            expected,
        }
    }
}

/// Submits every program to `problem` (each as user `{user_prefix}{n}`, so
/// that the fair queue interleaves them), waits up to `timeout` for each
/// verdict, and returns one line per program whose verdict differs from
/// the expected one, with the judge's message, test results and compile
/// output. Every submission must finish: none may be left queued or end
/// without a verdict.
pub async fn wrong_verdicts(
    api_url: &str,
    user_prefix: &str,
    problem: &str,
    programs: Vec<Program>,
    timeout: Duration,
) -> Vec<String> {
    let mut followed = Vec::new();
    for (n, program) in programs.into_iter().enumerate() {
        let user = format!("{user_prefix}{n}");
        let (status, body) = match &program.source {
            Source::Code(code) => submit(api_url, &user, problem, &program.language, code).await,
            Source::Files(files) => {
                submit_files(api_url, &user, problem, &program.language, files).await
            }
        };
        assert_eq!(status, 202, "{}: {body}", program.label);
        let url = body["watch_url"].as_str().expect("watch_url").to_string();
        let follow = tokio::spawn(async move { follow(&url, timeout).await });
        followed.push((program.label, program.expected, follow));
    }
    let mut wrong = Vec::new();
    for (label, expected, follow) in followed {
        let events = follow.await.expect("the follower ends");
        let state = final_state(&events);
        assert_eq!(state.status, Status::Finished, "{label}");
        let verdict = state.verdict.expect("a finished submission has a verdict");
        if verdict != expected {
            wrong.push(format!(
                "{label}: got {verdict} (message {:?}; tests {}; compile output {:?})",
                state.message,
                serde_json::to_string(&state.results).unwrap_or_default(),
                state
                    .compile_output
                    .as_deref()
                    .map(|o| o.chars().take(600).collect::<String>()),
            ));
        }
    }
    wrong
}
