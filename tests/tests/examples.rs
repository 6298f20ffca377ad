//! Every example submission of every bundled problem but the function
//! problems (function_harness.rs judges those), through the whole
//! pipeline: API -> queue -> worker -> Docker -> pub/sub -> gateway -> client.
//! The verdict received over the WebSocket must be the one its folder names.

use std::path::Path;
use std::time::Duration;

use judge_tests::{bundled_problems, Stack};
use problem_package::language::{self, Undetected};
use problem_package::source::SourceFile;
use submission::{Status, SubmissionState, Verdict};
use testkit::client::{drained_metrics, final_state, follow, submit_files};

struct Example {
    problem: String,
    path: String,
    language: &'static str,
    /// The verdict the folder names, or `None` for a file the judge must
    /// refuse (Python 2), with the reason.
    expected: Option<Verdict>,
    files: Vec<SourceFile>,
}

/// A submission is a file or a folder of files, as in the package format.
fn read_submission(path: &Path) -> Vec<SourceFile> {
    let mut paths = if path.is_dir() {
        std::fs::read_dir(path)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect()
    } else {
        vec![path.to_path_buf()]
    };
    paths.sort();
    paths
        .into_iter()
        .map(|p| SourceFile {
            name: p.file_name().unwrap().to_string_lossy().into_owned(),
            content: std::fs::read_to_string(&p).unwrap(),
        })
        .collect()
}

fn examples() -> Vec<Example> {
    let mut examples = Vec::new();
    let mut problems: Vec<_> = std::fs::read_dir(bundled_problems())
        .unwrap()
        .flatten()
        .filter(|e| e.path().is_dir())
        .collect();
    problems.sort_by_key(|e| e.path());
    for problem in problems {
        // Function problems (function.yaml) are judged in every harness
        // language by tests/tests/function_harness.rs.
        if problem.path().join("function.yaml").exists() {
            continue;
        }
        let submissions = problem.path().join("submissions");
        let Ok(folders) = std::fs::read_dir(&submissions) else {
            continue;
        };
        // Folders only: `submissions.yaml` (2025-09) sets scores, which
        // `judge problem verify` checks (tests/tests/verify.rs).
        for folder in folders.flatten().filter(|f| f.path().is_dir()) {
            let folder_name = folder.file_name().to_string_lossy().into_owned();
            // A partially accepted submission is accepted with less than
            // the full score (legacy scoring problems).
            let expected = match folder_name.as_str() {
                "partially_accepted" => Some(Verdict::AC),
                name => Verdict::from_submission_folder(name),
            }
            .unwrap_or_else(|| panic!("unknown submissions folder {}", folder.path().display()));
            for entry in std::fs::read_dir(folder.path()).unwrap().flatten() {
                let path = entry.path();
                let files = read_submission(&path);
                let detected: Vec<_> = files
                    .iter()
                    .map(|f| language::detect(&f.name, &f.content))
                    .filter(|d| !matches!(d, Err(Undetected::UnknownExtension(_))))
                    .collect();
                let (language, expected) = match detected.first() {
                    Some(Ok(lang)) => (lang.id, Some(expected)),
                    Some(Err(Undetected::Unsupported(_))) => ("python3", None),
                    _ => panic!("no language for {}", path.display()),
                };
                examples.push(Example {
                    problem: problem.file_name().to_string_lossy().into_owned(),
                    path: path
                        .strip_prefix(bundled_problems())
                        .unwrap()
                        .display()
                        .to_string(),
                    language,
                    expected,
                    files,
                });
            }
        }
    }
    examples
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn every_example_submission_gets_its_folders_verdict() {
    let examples = examples();
    assert!(
        examples.len() >= 24,
        "expected at least 24 example submissions, found {}",
        examples.len()
    );
    let stack = Stack::start(&bundled_problems(), 1).await;

    // Submit everything first, as a burst of users would, then follow each.
    // A file the judge cannot run (Python 2) is refused with the reason.
    let (refused, examples): (Vec<_>, Vec<_>) =
        examples.into_iter().partition(|e| e.expected.is_none());
    assert!(!refused.is_empty(), "the corpus has a Python 2 file");
    for example in &refused {
        let (status, body) = submit_files(
            &stack.api_url,
            "user-refused",
            &example.problem,
            example.language,
            &example.files,
        )
        .await;
        assert_eq!(status, 422, "{}: {body}", example.path);
        assert_eq!(body["error"]["field"], "files", "{}: {body}", example.path);
        let message = body["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains("Python 2"), "{}: {body}", example.path);
    }
    let mut watches = Vec::new();
    for (n, example) in examples.iter().enumerate() {
        let (status, body) = submit_files(
            &stack.api_url,
            &format!("user{n}"),
            &example.problem,
            example.language,
            &example.files,
        )
        .await;
        assert_eq!(status, 202, "{}: {body}", example.path);
        assert_eq!(body["state"]["status"], "queued");
        watches.push(body["watch_url"].as_str().expect("watch_url").to_string());
    }
    let mut follows = Vec::new();
    for url in &watches {
        follows.push(tokio::spawn(follow_owned(url.clone())));
    }

    let mut wrong = Vec::new();
    for (example, handle) in examples.iter().zip(follows) {
        let events = handle.await.unwrap();
        let state = final_state(&events);
        assert_eq!(state.status, Status::Finished);
        // Every event is for this submission, with increasing seq; the one
        // repeat is the gateway's queue-position refresh, which re-sends
        // the same state with only its position changed.
        assert!(
            events.iter().all(|e| e.state.id == state.id),
            "{}: foreign event",
            example.path
        );
        assert!(
            events.windows(2).all(|w| {
                let (a, b) = (&w[0].state, &w[1].state);
                let refresh = SubmissionState {
                    queue_position: a.queue_position,
                    ..b.clone()
                } == *a
                    && a.queue_position != b.queue_position;
                a.seq < b.seq || (a.seq == b.seq && refresh)
            }),
            "{}: seq not increasing",
            example.path
        );
        let verdict = state.verdict.unwrap();
        let expected = example.expected.expect("refused ones are set apart");
        if verdict != expected {
            wrong.push(format!(
                "{}: expected {}, got {} ({:?}; {:?})",
                example.path,
                expected,
                verdict,
                state.message,
                state.results.last().map(|r| (
                    &r.name,
                    r.verdict,
                    r.time_ms,
                    r.exit_code,
                    r.signal
                ))
            ));
        }
        // A scoring problem's groups may go on past a rejected case
        // (on_reject: continue); its grading is checked in the worker's tests.
        let pass_fail = state.groups.is_empty();
        if verdict == Verdict::AC && pass_fail {
            assert_eq!(
                state.results.len(),
                state.tests_total,
                "{}: AC must run every test",
                example.path
            );
            assert!(state.results.iter().all(|r| r.verdict == Verdict::AC));
        } else if pass_fail && verdict != Verdict::CE && verdict != Verdict::IE {
            // Judging stops at the first failing case, and that case decides.
            assert_eq!(
                state.results.last().unwrap().verdict,
                verdict,
                "{}",
                example.path
            );
            assert!(state.results[..state.results.len() - 1]
                .iter()
                .all(|r| r.verdict == Verdict::AC));
        }
    }
    // /metrics counts each verdict exactly once, and the queue has drained.
    let metrics = drained_metrics(&stack.api_url).await;
    let counted: u64 = metrics
        .lines()
        .filter(|l| l.starts_with("judge_verdicts_total{"))
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counted, examples.len() as u64, "{metrics}");
    assert!(metrics.contains("judge_queue_depth 0\n"), "{metrics}");
    assert!(metrics.contains("judge_jobs_in_flight 0\n"), "{metrics}");
    assert!(
        metrics.contains(&format!("judge_latency_seconds_count {}\n", examples.len())),
        "{metrics}"
    );
    stack.stop().await;
    assert!(
        wrong.is_empty(),
        "verdicts differ from their folders:\n{}",
        wrong.join("\n")
    );
}

async fn follow_owned(url: String) -> Vec<submission::Event> {
    follow(&url, Duration::from_secs(600)).await
}
