//! The languages outside the default set that Debian ships small (issue 22):
//! bash, awk (gawk), Lua, Perl, Ruby, PHP and Pascal (Free Pascal), each
//! judged through the real stack on `tests/fixtures/problems/echo` (read n,
//! print 2n; n is up to 1.2·10^17, so 2n still fits in 64 bits): a
//! hello-world that is AC, a wrong answer, a run-time error, and a compile
//! error where the language checks or compiles before running (awk has no
//! syntax check, as DOMjudge says). Then what enabling a language means: `GET
//! /api/languages` says these are ready and one that no worker serves is
//! not (the worker is told to serve only these with `JUDGE_WORKER_LANGUAGES`,
//! so the test holds whichever images are built), and a submission in that
//! one is refused with 422 `language_not_ready`, naming it and the command
//! that enables it.
//!
//! A binary of its own so that the main suites do not need these images;
//! `scripts/test.sh` builds them first (`MORE_LANGUAGES` there).

use std::path::Path;
use std::time::{Duration, Instant};

use judge_tests::languages::{open_auth, wait_until_ready, wrong_verdicts, Program};
use judge_tests::Stack;
use serde_json::Value;
use submission::Verdict;
use testkit::client::submit;

use Verdict::*;

/// The languages of this binary; their images are built by scripts/test.sh.
const LANGUAGES: &[&str] = &["bash", "awk", "lua", "perl", "ruby", "php", "pascal"];

/// `(language, verdict, code)`.
const PROGRAMS: &[(&str, Verdict, &str)] = &[
    ("bash", AC, "read n\necho $((2 * n))\n"),
    ("bash", WA, "read n\necho $((2 * n + 1))\n"),
    ("bash", RE, "read n\nexit 3\n"),
    ("bash", CE, "read n\nif then fi (\n"),
    // awk's numbers are doubles: 2n past 2^53 is doubled digit by digit.
    ("awk", AC, AWK_DOUBLE),
    ("awk", WA, "{ print 2 * $1 }\n"),
    ("awk", RE, "{ exit 2 }\n"),
    ("lua", AC, "local n = io.read(\"n\")\nprint(2 * n)\n"),
    ("lua", WA, "local n = io.read(\"n\")\nprint(2 * n + 1)\n"),
    (
        "lua",
        RE,
        "local n = io.read(\"n\")\nerror(\"boom \" .. n)\n",
    ),
    ("lua", CE, "local n = = io.read(\"n\")\n"),
    ("perl", AC, "my $n = <STDIN>;\nprint 2 * $n, \"\\n\";\n"),
    ("perl", WA, "my $n = <STDIN>;\nprint 2 * $n + 1, \"\\n\";\n"),
    ("perl", RE, "my $n = <STDIN>;\ndie \"boom\\n\";\n"),
    ("perl", CE, "my $n = <STDIN>\nprint 2 * $n;\n}\n"),
    ("ruby", AC, "n = gets.to_i\nputs 2 * n\n"),
    ("ruby", WA, "n = gets.to_i\nputs 2 * n + 1\n"),
    ("ruby", RE, "n = gets.to_i\nraise \"boom #{n}\"\n"),
    ("ruby", CE, "def broken(\n  puts 1\n"),
    (
        "php",
        AC,
        "<?php\n$n = intval(trim(fgets(STDIN)));\necho 2 * $n, \"\\n\";\n",
    ),
    (
        "php",
        WA,
        "<?php\n$n = intval(trim(fgets(STDIN)));\necho 2 * $n + 1, \"\\n\";\n",
    ),
    (
        "php",
        RE,
        "<?php\n$n = intval(trim(fgets(STDIN)));\nthrow new Exception(\"boom\");\n",
    ),
    ("php", CE, "<?php\n$n = = 1;\n"),
    (
        "pascal",
        AC,
        "program echo;\nvar n: int64;\nbegin\n  readln(n);\n  writeln(2 * n);\nend.\n",
    ),
    (
        "pascal",
        WA,
        "program echo;\nvar n: int64;\nbegin\n  readln(n);\n  writeln(2 * n + 1);\nend.\n",
    ),
    (
        "pascal",
        RE,
        "program echo;\nvar n: int64;\nbegin\n  readln(n);\n  halt(3);\nend.\n",
    ),
    (
        "pascal",
        CE,
        "program echo;\nbegin\n  writeln(undefined_name);\nend.\n",
    ),
];

const AWK_DOUBLE: &str = "{ s = $1; sign = \"\"; if (substr(s, 1, 1) == \"-\") { sign = \"-\"; s = substr(s, 2) }\n  r = \"\"; c = 0\n  for (i = length(s); i > 0; i--) { d = substr(s, i, 1) * 2 + c; r = (d % 10) r; c = int(d / 10) }\n  if (c) r = c r\n  print sign r }\n";

/// A language the worker does not serve (whether or not its image is
/// built): its submissions are refused.
const NOT_SERVED: &str = "cobol";

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn hello_wrong_answer_runtime_and_compile_errors_in_more_languages() {
    open_auth();
    testkit::require_images(LANGUAGES);
    let problems = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/problems");
    let mut stack = Stack::start(&problems, 0).await;
    // JUDGE_WORKER_LANGUAGES: this binary's languages only.
    stack.add_worker_with(&["--languages", &LANGUAGES.join(",")]);
    let started = Instant::now();

    // The worker's heartbeat says which images it holds.
    let list = wait_until_ready(&stack.api_url, LANGUAGES, Duration::from_secs(30)).await;
    let cobol = list.iter().find(|l| l["id"] == NOT_SERVED).unwrap();
    assert_eq!(cobol["ready"], Value::Bool(false));
    assert_eq!(cobol["default"], Value::Bool(false));
    assert!(cobol["version"].as_str().unwrap().contains("3.1"));
    assert_eq!(cobol["enable_command"], "scripts/build-images.sh cobol");

    // Refused at once, with the way to enable it; nothing is queued.
    let (status, body) = submit(
        &stack.api_url,
        "more",
        "echo",
        NOT_SERVED,
        "       IDENTIFICATION DIVISION.\n",
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["code"], "language_not_ready");
    assert_eq!(body["error"]["field"], "language");
    let message = body["error"]["message"].as_str().unwrap();
    assert!(
        message.contains("judge admin languages enable cobol")
            && message.contains("scripts/build-images.sh cobol"),
        "{message}"
    );

    let programs = PROGRAMS
        .iter()
        .map(|(language, expected, code)| Program::code(language, *expected, code))
        .collect();
    let wrong = wrong_verdicts(
        &stack.api_url,
        "more",
        "echo",
        programs,
        Duration::from_secs(300),
    )
    .await;
    eprintln!(
        "{} submissions in {} languages judged in {:.1} s",
        PROGRAMS.len(),
        LANGUAGES.len(),
        started.elapsed().as_secs_f64()
    );
    stack.stop().await;
    assert!(wrong.is_empty(), "wrong verdicts:\n{}", wrong.join("\n"));
}
