//! Hostile submissions through the real stack: each must get the verdict it
//! deserves (never IE, never AC for a bomb), and the host must be unharmed:
//! no container of the submission left, no process of the sandbox user that
//! came from one of our containers left on the host.
//!
//! The programs live in `tests/fixtures/hostile/`, the problems in
//! `tests/fixtures/problems/` (`echo`: print 2n; `spy`: print `clean 2n`).
//! Programs that probe the sandbox print the right answer only when the
//! probe found the sandbox shut, so AC means "blocked" and WA means "leaked".
//! `refused_syscalls.*` print it only when every call the seccomp profile
//! refuses (judge-worker/src/sandbox/seccomp.json) got EPERM.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use judge_tests::Stack;
use submission::{Status, SubmissionState, Verdict};
use testkit::client::{final_state, follow, submit};
use testkit::containers_of;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")
}

struct Case {
    name: &'static str,
    file: &'static str,
    problem: &'static str,
    /// Any of these is right.
    expected: &'static [Verdict],
}

const fn case(
    name: &'static str,
    file: &'static str,
    problem: &'static str,
    expected: &'static [Verdict],
) -> Case {
    Case {
        name,
        file,
        problem,
        expected,
    }
}

use Verdict::*;

/// In submission order. The victim and the spy come first, so that the
/// worker's two slots judge them at the same time.
const CASES: &[Case] = &[
    case("victim (bystander)", "victim.c", "echo", &[TLE]),
    case("spy: answers / other submission", "spy.c", "spy", &[AC]),
    case("fork bomb (C)", "fork_bomb.c", "echo", &[TLE, RE]),
    case("fork bomb (Python)", "fork_bomb.py", "echo", &[TLE, RE]),
    case("memory bomb (C)", "memory_bomb.c", "echo", &[MLE]),
    case("memory bomb (Python)", "memory_bomb.py", "echo", &[MLE]),
    case("infinite loop", "infinite_loop.c", "echo", &[TLE]),
    case("sleep forever", "sleep_forever.c", "echo", &[TLE]),
    case("huge output", "huge_output.c", "echo", &[OLE]),
    case("fill /tmp", "fill_tmp.c", "echo", &[AC, RE]),
    case("network access", "network.py", "echo", &[AC]),
    case("many threads", "many_threads.c", "echo", &[AC, RE]),
    case(
        "close stdout after answering",
        "close_stdout_after.c",
        "echo",
        &[AC],
    ),
    case(
        "close stdout before answering",
        "close_stdout_before.c",
        "echo",
        &[WA],
    ),
    case("kill parent and init", "kill_parent.c", "echo", &[AC]),
    case("kill(-1, SIGKILL)", "kill_all.c", "echo", &[AC]),
    case(
        "non-dumpable detached child",
        "undumpable_survivor.c",
        "echo",
        &[AC],
    ),
    case(
        "#include \"/dev/random\"",
        "dev_random_include.cpp",
        "echo",
        &[CE],
    ),
    case("template bomb", "template_bomb.cpp", "echo", &[CE]),
    case(
        "#include the test input",
        "include_tests.cpp",
        "echo",
        &[CE],
    ),
    case(
        "write own binary / build dir",
        "write_build.c",
        "echo",
        &[AC],
    ),
    case(
        "CPU time hidden in an unwaited child",
        "hidden_cpu.c",
        "echo",
        &[TLE],
    ),
    case(
        "state left for the next test",
        "persist_state.c",
        "echo",
        &[AC],
    ),
    case("seccomp refusals (C)", "refused_syscalls.c", "echo", &[AC]),
    case(
        "seccomp refusals (Python)",
        "refused_syscalls.py",
        "echo",
        &[AC],
    ),
    case("SIGSTOP the parent", "stop_parent.c", "echo", &[AC]),
    case("SIGSTOP itself", "stop_self.c", "echo", &[TLE]),
    case(
        "rewrite / delete its input",
        "rewrite_input.c",
        "echo",
        &[AC],
    ),
    case(
        "plant feedback files",
        "write_feedback.c",
        "nested-validator",
        &[WA],
    ),
    case(
        "look for tests and validators",
        "find_tests.c",
        "echo",
        &[AC],
    ),
];

/// What `write_feedback.c` writes into every feedback directory it reaches:
/// it must never show up in what the judge reports.
const PLANTED: &str = "PLANTED-BY-SUBMISSION";

fn language_of(file: &str) -> &'static str {
    problem_package::language::by_file_name(file)
        .unwrap_or_else(|| panic!("no language for {file}"))
        .id
}

/// Pids of the sandbox user (65534) on the host.
fn sandbox_user_pids() -> HashSet<i32> {
    let mut pids = HashSet::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Some(pid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else {
            continue;
        };
        let Ok(status) = std::fs::read_to_string(entry.path().join("status")) else {
            continue;
        };
        let uid = status
            .lines()
            .find_map(|l| l.strip_prefix("Uid:"))
            .and_then(|l| l.split_whitespace().next().map(str::to_string));
        if uid.as_deref() == Some("65534") {
            pids.insert(pid);
        }
    }
    pids
}

/// The Docker container a host process belongs to, from its cgroup path.
fn container_of(pid: i32) -> Option<String> {
    let cgroup = std::fs::read_to_string(format!("/proc/{pid}/cgroup")).ok()?;
    cgroup.lines().find_map(|line| {
        // cgroupfs: `/docker/<id>`; systemd: `/system.slice/docker-<id>.scope`.
        let path = line.rsplit(':').next()?;
        path.split('/').find_map(|segment| {
            let id = segment
                .trim_start_matches("docker-")
                .trim_end_matches(".scope");
            (id.len() == 64 && id.chars().all(|c| c.is_ascii_hexdigit())).then(|| id.to_string())
        })
    })
}

/// The `judge.submission` label of a container, `None` if it does not exist.
fn submission_label(container: &str) -> Option<String> {
    let out = Command::new("docker")
        .args([
            "inspect",
            "--format",
            "{{index .Config.Labels \"judge.submission\"}}",
            container,
        ])
        .output()
        .ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// Sandbox-user processes that are not from before the test and that belong
/// to one of our submissions' containers or to a container that is gone.
fn leftover_processes(before: &HashSet<i32>, ours: &HashSet<String>) -> Vec<String> {
    let mut leaks = Vec::new();
    for pid in sandbox_user_pids().difference(before) {
        let comm = std::fs::read_to_string(format!("/proc/{pid}/comm")).unwrap_or_default();
        match container_of(*pid) {
            Some(container) => match submission_label(&container) {
                Some(label) if !ours.contains(&label) => {} // someone else's judge
                Some(label) => leaks.push(format!(
                    "pid {pid} ({}) in {label}'s container",
                    comm.trim()
                )),
                None => leaks.push(format!(
                    "pid {pid} ({}) of removed container {}",
                    comm.trim(),
                    &container[..12]
                )),
            },
            None => {
                // Not in a container: only ours if it runs a submission binary.
                let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
                if exe.starts_with("/work") {
                    leaks.push(format!("pid {pid} ({}) outside any container", comm.trim()));
                }
            }
        }
    }
    leaks.sort();
    leaks
}

fn describe(state: &SubmissionState) -> String {
    let last = state.results.last().map(|r| {
        format!(
            "{} {} cpu={}ms wall={}ms mem={}KiB exit={:?} signal={:?} {:?}",
            r.name, r.verdict, r.time_ms, r.wall_ms, r.memory_kb, r.exit_code, r.signal, r.message
        )
    });
    format!(
        "{:?} message={:?} last={:?} compile_output={} bytes",
        state.verdict,
        state.message,
        last,
        state.compile_output.as_ref().map_or(0, String::len)
    )
}

/// The API's open mode (no tokens), unless the harness already chose one.
fn open_auth() {
    if std::env::var_os("JUDGE_AUTH").is_none() {
        std::env::set_var("JUDGE_AUTH", "open");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hostile_submissions_get_their_verdicts_and_leave_the_host_alone() {
    open_auth();
    let before = sandbox_user_pids();
    let stack = Stack::start(&fixtures().join("problems"), 1).await;
    let started = Instant::now();

    let mut submitted = Vec::new();
    for (n, case) in CASES.iter().enumerate() {
        let code = std::fs::read_to_string(fixtures().join("hostile").join(case.file)).unwrap();
        let (status, body) = submit(
            &stack.api_url,
            &format!("hostile{n}"),
            case.problem,
            language_of(case.file),
            &code,
        )
        .await;
        assert_eq!(status, 202, "{}: {body}", case.name);
        let id = body["state"]["id"].as_str().expect("id").to_string();
        let url = body["watch_url"].as_str().expect("watch_url").to_string();
        let follow = tokio::spawn(async move { follow(&url, Duration::from_secs(400)).await });
        submitted.push((case, id, follow));
    }

    let ours: HashSet<String> = submitted.iter().map(|(_, id, _)| id.clone()).collect();
    let mut failures = Vec::new();
    let mut report = Vec::new();
    for (case, id, follow) in submitted {
        let events = follow.await.unwrap();
        let state = final_state(&events).clone();
        assert_eq!(state.status, Status::Finished);
        let verdict = state.verdict.unwrap();
        report.push(format!(
            "{:<34} {verdict}  ({})",
            case.name,
            describe(&state)
        ));
        if !case.expected.contains(&verdict) {
            failures.push(format!(
                "{}: expected one of {:?}, got {}",
                case.name,
                case.expected,
                describe(&state)
            ));
        }
        let reported = serde_json::to_string(&state).unwrap();
        if reported.contains(PLANTED) {
            failures.push(format!(
                "{}: the submission's planted feedback was reported: {reported}",
                case.name
            ));
        }
        // A submission's container is gone by the time its verdict is final.
        let left = containers_of(&id);
        if !left.is_empty() {
            failures.push(format!("{}: containers left: {left:?}", case.name));
        }
        if verdict == CE {
            let output = state.compile_output.as_deref().unwrap_or("");
            // The runner keeps 64 KiB of compiler output, plus a note.
            if output.len() > 64 * 1024 + 200 {
                failures.push(format!(
                    "{}: compile output of {} bytes",
                    case.name,
                    output.len()
                ));
            }
        }
    }
    let elapsed = started.elapsed();

    // Nothing of ours survives on the host (a killed process may take a moment to go).
    let mut leaks = leftover_processes(&before, &ours);
    for _ in 0..20 {
        if leaks.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(250));
        leaks = leftover_processes(&before, &ours);
    }
    if !leaks.is_empty() {
        failures.push(format!("sandbox processes left on the host: {leaks:?}"));
    }
    stack.stop().await;

    eprintln!(
        "hostile submissions judged in {:.1} s:\n  {}",
        elapsed.as_secs_f64(),
        report.join("\n  ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
