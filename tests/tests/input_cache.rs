//! Issue 20: a reused sandbox container keeps a problem version's test
//! inputs in the runner's input cache (`/inputs`) across its reset, so the
//! next submission to that version gets none uploaded again.
//!
//! One worker with a C pool of one container: every submission below is
//! judged in that same container (Docker creates none meanwhile). Two
//! submissions to problem `cachea` (AC, and a WA that fails exactly at the
//! test whose input has a negative first number: a stale or misplaced input
//! would move or hide the failure) leave the cache holding `cachea`'s inputs,
//! not uploaded twice (the cached file is the same inode after the second);
//! then a submission to `cacheb`, whose inputs differ, is judged right and
//! the cache holds `cachea`'s set no more. Finally a hostile C submission
//! that tries to list, read and write `/inputs` must find it there and be
//! refused each time: it prints the sum (AC) only then.

use std::path::Path;
use std::time::{Duration, Instant};

use judge_tests::{bundled_problems, Stack};
use submission::{SubmissionState, Verdict};
use testkit::client::{final_state, follow, submit};
use testkit::{docker, require_images, worker_containers, Creations};

const C_IMAGE: &str = "judge-lang-c:latest";

/// Sums `t` pairs of 64-bit numbers.
const SUM: &str = r#"#include <stdio.h>
int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long a, b;
        if (scanf("%lld %lld", &a, &b) != 2) return 1;
        printf("%lld\n", a + b);
    }
    return 0;
}
"#;

/// Wrong (one too many) whenever the first number is negative.
const WRONG_ON_NEGATIVE: &str = r#"#include <stdio.h>
int main(void) {
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long a, b;
        if (scanf("%lld %lld", &a, &b) != 2) return 1;
        printf("%lld\n", a + b + (a < 0));
    }
    return 0;
}
"#;

/// Sums like [`SUM`] only if the input cache exists and refuses to be
/// listed, read or written; prints a wrong answer otherwise.
const HOSTILE: &str = r#"#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
int main(void) {
    int sealed = 1;
    struct stat st;
    if (stat("/inputs", &st) != 0 || st.st_uid != 0 || (st.st_mode & 0777) != 0700) sealed = 0;
    if (opendir("/inputs") != NULL || errno != EACCES) sealed = 0;
    if (open("/inputs/1.in", O_RDONLY) >= 0 || errno != EACCES) sealed = 0;
    if (stat("/inputs/1.in", &st) == 0 || errno != EACCES) sealed = 0;
    if (open("/inputs/planted", O_WRONLY | O_CREAT, 0644) >= 0 || errno != EACCES) sealed = 0;
    if (!sealed) {
        printf("the input cache is open to the sandbox user\n");
        return 0;
    }
    int t;
    if (scanf("%d", &t) != 1) return 1;
    while (t--) {
        long long a, b;
        if (scanf("%lld %lld", &a, &b) != 2) return 1;
        printf("%lld\n", a + b);
    }
    return 0;
}
"#;

/// A problem like `aplusb` (its statement and limits, a 10 s time limit
/// against load) with these tests (`sample/1`, then `secret/1...`).
fn problem(root: &Path, id: &str, tests: &[(&str, &str, &str)]) {
    let dir = root.join(id);
    let status = std::process::Command::new("cp")
        .arg("-r")
        .arg(bundled_problems().join("aplusb"))
        .arg(&dir)
        .status()
        .unwrap();
    assert!(status.success());
    std::fs::remove_dir_all(dir.join("data")).unwrap();
    std::fs::remove_dir_all(dir.join("submissions")).unwrap();
    let yaml = dir.join("problem.yaml");
    let text = std::fs::read_to_string(&yaml).unwrap();
    std::fs::write(&yaml, text.replace("time_limit: 1\n", "time_limit: 10\n")).unwrap();
    for (name, input, answer) in tests {
        let path = dir.join("data").join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path.with_extension("in"), input).unwrap();
        std::fs::write(path.with_extension("ans"), answer).unwrap();
    }
}

async fn judge_one(stack: &Stack, problem: &str, code: &str) -> SubmissionState {
    let (status, body) = submit(&stack.api_url, "cache-user", problem, "c", code).await;
    assert_eq!(status, 202, "{body}");
    let url = body["watch_url"].as_str().expect("watch_url").to_string();
    final_state(&follow(&url, Duration::from_secs(120)).await).clone()
}

/// Runs `sh -c script` as root in `container` (root may read the cache).
fn in_container(container: &str, script: &str) -> String {
    docker(&["exec", container, "sh", "-c", script])
}

/// The first test that was not accepted: (name, verdict).
fn first_rejected(state: &SubmissionState) -> Option<(String, Verdict)> {
    state
        .results
        .iter()
        .find(|r| r.verdict != Verdict::AC)
        .map(|r| (r.name.clone(), r.verdict))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_reused_container_keeps_a_problems_inputs_and_hides_them() {
    require_images(&["c"]);
    let problems = tempfile::tempdir().unwrap();
    problem(
        problems.path(),
        "cachea",
        &[
            ("sample/1", "1\n1 2\n", "3\n"),
            ("secret/1", "2\n5 6\n7 8\n", "11\n15\n"),
            ("secret/2", "1\n-4 1\n", "-3\n"),
            ("secret/3", "1\n100 1\n", "101\n"),
        ],
    );
    problem(
        problems.path(),
        "cacheb",
        &[
            ("sample/1", "1\n1000 2000\n", "3000\n"),
            ("secret/1", "1\n-7 -8\n", "-15\n"),
            ("secret/2", "3\n1 1\n2 2\n3 3\n", "2\n4\n6\n"),
        ],
    );
    let mut stack = Stack::start(problems.path(), 0).await;
    let worker = stack.add_worker_with(&["--pool-size", "1", "--pool-languages", "c"]);
    let pool = format!("label=judge.pool={C_IMAGE}");
    let deadline = Instant::now() + Duration::from_secs(60);
    let container = loop {
        let ids = worker_containers(&worker, &["status=running", &pool]);
        if let [id] = ids.as_slice() {
            break id.clone();
        }
        assert!(
            Instant::now() < deadline,
            "the C pool never filled: {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    // Its runner starts right after the container.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let creations = Creations::since_now(&worker);

    let first = judge_one(&stack, "cachea", SUM).await;
    assert_eq!(first.verdict, Some(Verdict::AC), "{first:?}");
    // The cache survived the reset, root's and closed, with cachea's inputs.
    assert_eq!(
        in_container(&container, "stat -c '%a %u' /inputs; ls /inputs | sort"),
        "700 0\n1.in\n2.in\n3.in\n4.in"
    );
    assert_eq!(
        in_container(&container, "stat -c '%a %u' /inputs/3.in; cat /inputs/3.in"),
        "600 0\n1\n-4 1"
    );
    let inode = in_container(&container, "stat -c %i /inputs/1.in");

    let wrong = judge_one(&stack, "cachea", WRONG_ON_NEGATIVE).await;
    assert_eq!(wrong.verdict, Some(Verdict::WA), "{wrong:?}");
    assert_eq!(
        first_rejected(&wrong),
        Some(("secret/2".to_string(), Verdict::WA)),
        "{wrong:?}"
    );
    assert_eq!(
        in_container(&container, "stat -c %i /inputs/1.in"),
        inode,
        "cachea's inputs were uploaded again into a container that held them"
    );

    let other = judge_one(&stack, "cacheb", SUM).await;
    assert_eq!(other.verdict, Some(Verdict::AC), "{other:?}");
    assert_eq!(first_rejected(&other), None, "{other:?}");
    assert_eq!(
        in_container(&container, "ls /inputs | sort; cat /inputs/1.in"),
        "1.in\n2.in\n3.in\n1\n1000 2000"
    );

    let hostile = judge_one(&stack, "cacheb", HOSTILE).await;
    assert_eq!(
        hostile.verdict,
        Some(Verdict::AC),
        "the hostile submission reached the input cache (or it was missing): {hostile:?}"
    );
    assert_eq!(
        in_container(&container, "ls /inputs | sort"),
        "1.in\n2.in\n3.in"
    );

    let created = creations.list();
    stack.stop().await;
    assert!(
        created.is_empty(),
        "containers were created for the submissions (not all judged in the pooled one): {created}"
    );
}
