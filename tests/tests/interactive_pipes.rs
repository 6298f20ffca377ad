//! Interactive problems through the whole stack, both ways the worker
//! connects the submission and the interactor: named pipes between the two
//! sandboxes (the default where the engine is local and the worker root,
//! as here) and the worker's relay (`--interactive-relay`, which is
//! `JUDGE_INTERACTIVE_RELAY=1`). Each way judges the same submissions and
//! must give the same verdicts:
//! - right answers (AC) and wrong ones (WA);
//! - a submission that exits at once without reading: the interactor reads
//!   EOF and says WA (no hang);
//! - a wrong answer, then waiting for input that never comes: the
//!   interactor exits first with 43, WA, and the submission reads EOF;
//! - answers never flushed: both sides wait, the pair's wall clock ends it
//!   (TLE);
//! - a hostile submission that tries to list `/pipes` and to open the
//!   pipes behind its own stdin: all fails, so it answers right (AC);
//! - a probe that answers right only when its stdin is a named pipe below
//!   `/pipes`: AC with pipes, WA when relayed (the mode really differs).
//!
//! Each way has a stack of its own (one worker); the two run side by side.

use std::path::Path;
use std::time::Duration;

use judge_tests::Stack;
use submission::{SubmissionState, Verdict};
use testkit::client::{submit, wait_for};

/// Says each number of the input, wants its double back; 42 when all were
/// right, 43 (with a team message) at the first wrong or missing answer.
const INTERACTOR: &str = r#"import sys

numbers = open(sys.argv[1]).read().split()
for n in numbers:
    print(n, flush=True)
    reply = sys.stdin.readline()
    if reply.strip() != str(2 * int(n)):
        open(sys.argv[3] + "teammessage.txt", "w").write("expected %d, got %r\n" % (2 * int(n), reply))
        sys.exit(43)
sys.exit(42)
"#;

const DOUBLE: &str = r#"import sys
for line in sys.stdin:
    print(2 * int(line), flush=True)
"#;

const TRIPLE: &str = r#"import sys
for line in sys.stdin:
    print(3 * int(line), flush=True)
"#;

const EXITS_AT_ONCE: &str = "import sys\nsys.exit(0)\n";

const WRONG_THEN_WAITS: &str = r#"import sys
sys.stdin.readline()
print(-1, flush=True)
sys.stdin.read()
"#;

const NEVER_FLUSHES: &str = r#"import sys
while True:
    line = sys.stdin.readline()
    sys.stdout.write("%d\n" % (2 * int(line)))
"#;

/// Answers right only when nothing of the pipe directory opens to it.
const HOSTILE: &str = r#"import os, sys
opened = []
def attempt(what, f):
    try:
        f()
        opened.append(what)
    except OSError:
        pass
attempt("list /pipes", lambda: os.listdir("/pipes"))
link = os.readlink("/proc/self/fd/0")
if link.startswith("/pipes/"):
    attempt("reopen stdin", lambda: open("/proc/self/fd/0", "rb"))
    attempt("open " + link, lambda: open(link, "rb"))
    peer = link.replace("to-submission", "to-validator")
    attempt("open " + peer, lambda: os.open(peer, os.O_RDONLY | os.O_NONBLOCK))
    attempt("list " + os.path.dirname(link), lambda: os.listdir(os.path.dirname(link)))
sys.stderr.write("opened: %r\n" % opened)
for line in sys.stdin:
    print(2 * int(line) + (1 if opened else 0), flush=True)
"#;

/// Answers right only when its stdin is a named pipe below /pipes.
const PROBE: &str = r#"import os, sys
piped = os.readlink("/proc/self/fd/0").startswith("/pipes/")
for line in sys.stdin:
    print(2 * int(line) + (0 if piped else 1), flush=True)
"#;

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

/// A problems directory with the one interactive problem `doubles`.
fn problems() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("doubles");
    write(
        &p,
        "problem.yaml",
        "name: Doubles\nvalidation: custom interactive\nlimits:\n  time_limit: 2\n",
    );
    write(
        &p,
        "problem_statement/problem.en.md",
        "Double each number.\n",
    );
    write(&p, "output_validators/doubler/validator.py", INTERACTOR);
    write(&p, "data/sample/1.in", "4\n");
    write(&p, "data/sample/1.ans", "\n");
    write(&p, "data/secret/1.in", "3 5 8\n");
    write(&p, "data/secret/1.ans", "\n");
    write(&p, "data/secret/2.in", "1 10 100 1000 7 11\n");
    write(&p, "data/secret/2.ans", "\n");
    dir
}

async fn judge_all(relay: bool) {
    let problems = problems();
    let mut stack = Stack::start(problems.path(), 0).await;
    stack.add_worker_with(if relay { &["--interactive-relay"] } else { &[] });
    let probe = if relay { Verdict::WA } else { Verdict::AC };
    let cases = [
        ("double", DOUBLE, Verdict::AC),
        ("triple", TRIPLE, Verdict::WA),
        ("exits at once", EXITS_AT_ONCE, Verdict::WA),
        ("wrong then waits", WRONG_THEN_WAITS, Verdict::WA),
        ("never flushes", NEVER_FLUSHES, Verdict::TLE),
        ("hostile", HOSTILE, Verdict::AC),
        ("probe", PROBE, probe),
    ];
    let user = if relay { "relayed" } else { "piped" };
    let mut ids = Vec::new();
    for (name, code, expected) in cases {
        let (status, body) = submit(&stack.api_url, user, "doubles", "python3", code).await;
        assert_eq!(status, 202, "{name}: {body}");
        ids.push((name, body["id"].as_str().unwrap().to_string(), expected));
    }
    let mut wrong = Vec::new();
    for (name, id, expected) in &ids {
        let state: SubmissionState = wait_for(
            &stack.api_url,
            id,
            Duration::from_secs(300),
            SubmissionState::is_final,
        )
        .await;
        if state.verdict != Some(*expected) {
            wrong.push(format!(
                "{name}: expected {expected}, got {:?} ({:?}; {:?})",
                state.verdict,
                state.message,
                state.results.last()
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "relay {relay}: verdicts differ:\n{}",
        wrong.join("\n")
    );
    stack.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn submissions_and_interactor_talk_through_named_pipes() {
    judge_all(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn submissions_and_interactor_talk_through_the_worker_when_told_to() {
    judge_all(true).await;
}
