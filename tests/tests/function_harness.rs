//! Function problems through the whole pipeline, in the real sandbox
//! images: every bundled function problem (one per shape of the type
//! language: arrays, 64-bit integers, strings, matrices, floats with a
//! tolerance, `string[]` + `char` + `bool`, trees and linked lists) is
//! judged with its accepted solution in each language that has a harness
//! (C++, Python on PyPy and CPython, Java, JavaScript, Go, C, Haskell,
//! Rust, Kotlin, TypeScript, C#, Ruby) and with its wrong answers (one
//! at least in each of the last three); then the ways a submission can
//! miss the function (a wrong name or signature is a compilation error
//! that names it), and "Run" with arguments typed in LeetCode's notation.
//! Everything is submitted first and followed after, so the two cores
//! work through one queue (three to five minutes on a loaded machine).

use std::path::Path;
use std::time::Duration;

use judge_tests::{bundled_problems, Stack};
use problem_package::source::SourceFile;
use submission::{SubmissionState, Verdict};
use testkit::client::{final_state, follow, submit_files};

/// The bundled function problems.
const PROBLEMS: &[&str] = &[
    "filter-words",
    "invert-tree",
    "max-subarray",
    "reverse-list",
    "reverse-words",
    "std-dev",
    "transpose",
    "two-sum",
];

/// One submission and what it must get.
struct Case {
    what: String,
    problem: &'static str,
    language: &'static str,
    file: SourceFile,
    verdict: Verdict,
    /// Words the compile output (CE) or the message must hold.
    says: Vec<&'static str>,
}

fn file(name: &str, content: String) -> SourceFile {
    SourceFile {
        name: name.into(),
        content,
    }
}

fn read(path: &Path) -> SourceFile {
    file(
        &path.file_name().unwrap().to_string_lossy(),
        std::fs::read_to_string(path).unwrap(),
    )
}

/// Copies the function problems alone into a problems directory, with a
/// time limit of 5 s: the two shared cores judge other tests' submissions
/// too, and a verdict here must not depend on their load.
fn function_problems() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for id in PROBLEMS {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(bundled_problems().join(id))
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let yaml = dir.path().join(id).join("problem.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        assert!(text.contains("time_limit: 1\n"), "{text}");
        std::fs::write(&yaml, text.replace("time_limit: 1\n", "time_limit: 5\n")).unwrap();
    }
    dir
}

/// Every accepted solution in every harness language (for two problems
/// the Python ones also on CPython, and the C++ ones also as C++17 and
/// C++23 once), and every wrong answer.
fn package_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for &problem in PROBLEMS {
        let root = bundled_problems().join(problem).join("submissions");
        for (folder, verdict) in [("accepted", Verdict::AC), ("wrong_answer", Verdict::WA)] {
            let mut paths: Vec<_> = std::fs::read_dir(root.join(folder))
                .unwrap()
                .flatten()
                .map(|e| e.path())
                .collect();
            paths.sort();
            for path in paths {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                let languages: &[&'static str] = match path.extension().unwrap().to_str().unwrap() {
                    "cpp" if problem == "two-sum" => &["cpp", "cpp17", "cpp23"],
                    "cpp" => &["cpp"],
                    "py" if verdict == Verdict::AC
                        && ["two-sum", "invert-tree"].contains(&problem) =>
                    {
                        &["python3", "cpython3"]
                    }
                    "py" => &["python3"],
                    "java" => &["java"],
                    "js" => &["javascript"],
                    "go" => &["go"],
                    "c" => &["c"],
                    "hs" => &["haskell"],
                    "kt" => &["kotlin"],
                    "rs" => &["rust"],
                    "ts" => &["typescript"],
                    "cs" => &["csharp"],
                    "rb" => &["ruby"],
                    other => panic!("{problem}/{name}: no harness language for .{other}"),
                };
                for &language in languages {
                    cases.push(Case {
                        what: format!("{problem}/{folder}/{name} as {language}"),
                        problem,
                        language,
                        file: read(&path),
                        verdict,
                        says: vec![],
                    });
                }
            }
        }
    }
    cases
}

/// Submissions that miss the function: each a compilation error that says
/// what the judge calls.
fn missing_function_cases() -> Vec<Case> {
    let case = |language: &'static str, name: &str, code: &str, says: Vec<&'static str>| Case {
        what: format!("two-sum: {name} as {language}"),
        problem: "two-sum",
        language,
        file: file(name, code.to_string()),
        verdict: Verdict::CE,
        says,
    };
    vec![
        case(
            "cpp",
            "wrong_name.cpp",
            "class Solution {\npublic:\n    vector<int> twoSums(vector<int>& nums, int target) { return {}; }\n};\n",
            vec!["twoSum", "vector<int> twoSum(vector<int>& nums, int target)"],
        ),
        case(
            "python3",
            "wrong_name.py",
            "class Solution:\n    def two_sum(self, nums, target):\n        return []\n",
            vec!["twoSum", "def twoSum(self, nums: List[int], target: int) -> List[int]:"],
        ),
        case(
            "java",
            "Solution.java",
            "class Solution {\n    public int[] twoSum(long[] nums, int target) { return null; }\n}\n",
            vec!["twoSum", "public int[] twoSum(int[] nums, int target)"],
        ),
        case(
            "javascript",
            "solution.js",
            "var two_sum = function(nums, target) { return []; };\n",
            vec!["twoSum", "var twoSum = function(nums, target)"],
        ),
        case(
            "go",
            "solution.go",
            "func two_sum(nums []int, target int) []int { return nil }\n",
            vec!["undefined: twoSum", "func twoSum(nums []int, target int) []int"],
        ),
        case(
            "kotlin",
            "Solution.kt",
            "class Solution {\n    fun twoSums(nums: IntArray, target: Int): IntArray = nums\n}\n",
            vec!["twoSum", "fun twoSum(nums: IntArray, target: Int): IntArray"],
        ),
        case(
            "cpython3",
            "syntax.py",
            "class Solution:\n    def twoSum(self, nums, target)\n        return []\n",
            vec!["solution.py", "line 2"],
        ),
        case(
            "c",
            "wrong_name.c",
            "int* twoSums(int* nums, int numsSize, int target, int* returnSize) { *returnSize = 0; return nums; }\n",
            vec!["undefined reference", "int* twoSum(int* nums, int numsSize, int target, int* returnSize)"],
        ),
        case(
            "c",
            "wrong_type.c",
            "long* twoSum(int* nums, int numsSize, int target, int* returnSize) { *returnSize = 0; return 0; }\n",
            vec!["conflicting types", "the judge calls: int* twoSum("],
        ),
        case(
            "haskell",
            "wrong_type.hs",
            "twoSum :: [Int] -> [Int]\ntwoSum = id\n",
            vec!["Couldn't match", "twoSum :: [Int] -> Int -> [Int]"],
        ),
        case(
            "haskell",
            "wrong_name.hs",
            "two_sum :: [Int] -> Int -> [Int]\ntwo_sum _ _ = []\n",
            vec!["Not in scope", "Solution.twoSum"],
        ),
        case(
            "rust",
            "wrong_name.rs",
            "impl Solution {\n    pub fn two_sums(nums: Vec<i32>, target: i32) -> Vec<i32> { nums }\n}\n",
            vec!["named `two_sum` found", "pub fn two_sum(nums: Vec<i32>, target: i32) -> Vec<i32>"],
        ),
        case(
            "typescript",
            "wrong_name.ts",
            "var two_sum = function(nums: number[], target: number): number[] { return []; };\n",
            vec!["Cannot find name 'twoSum'", "function twoSum(nums: number[], target: number): number[]"],
        ),
        case(
            "typescript",
            "wrong_type.ts",
            "function twoSum(nums: string[], target: number): number[] { return []; }\n",
            vec!["TS2345", "main.ts"],
        ),
        case(
            "csharp",
            "wrong_name.cs",
            "public class Solution {\n    public int[] twoSum(int[] nums, int target) { return nums; }\n}\n",
            vec!["CS1061", "public int[] TwoSum(int[] nums, int target)"],
        ),
        case(
            "ruby",
            "wrong_name.rb",
            "def twoSum(nums, target)\n  []\nend\n",
            vec!["solution.rb: the judge calls two_sum(...)", "def two_sum(nums, target)"],
        ),
        case(
            "ruby",
            "wrong_arity.rb",
            "def two_sum(nums)\n  []\nend\n",
            vec!["def two_sum(nums, target)"],
        ),
        case(
            "ruby",
            "syntax.rb",
            "def two_sum(nums, target)\n  [\nend\n",
            vec!["solution.rb:3", "syntax error"],
        ),
        case(
            "rust",
            "wrong_type.rs",
            "impl Solution {\n    pub fn two_sum(nums: &[i32], target: i64) -> Vec<i32> { vec![] }\n}\n",
            vec!["E0308", "solution.rs:2", "Solution::two_sum(...)"],
        ),
    ]
}

async fn follow_owned(url: String) -> SubmissionState {
    final_state(&follow(&url, Duration::from_secs(600)).await).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn function_problems_are_judged_in_every_harness_language() {
    // Outside the default set: scripts/test.sh builds them.
    testkit::require_images(&["typescript", "csharp", "ruby"]);
    let problems = function_problems();
    let stack = Stack::start(problems.path(), 1).await;

    // The problem's JSON carries its signature (what the editor builds
    // the starter code from).
    let problem: serde_json::Value =
        reqwest::get(format!("{}/api/problems/two-sum", stack.api_url))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    assert_eq!(problem["function"]["name"], "twoSum", "{problem}");
    assert_eq!(
        problem["function"]["params"][0]["type"], "int[]",
        "{problem}"
    );
    assert_eq!(problem["function"]["compare"], "unordered", "{problem}");
    // The page offers exactly the languages with a harness: every default
    // language, and none of those added since without one.
    let mut offered: Vec<&str> = problem["function_languages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l.as_str().unwrap())
        .collect();
    offered.sort_unstable();
    let mut harnessed = problem_package::function::SUPPORTED.to_vec();
    harnessed.sort_unstable();
    assert_eq!(offered, harnessed, "{problem}");
    assert!(!offered.contains(&"bash"), "{problem}");

    let cases: Vec<Case> = package_cases()
        .into_iter()
        .chain(missing_function_cases())
        .collect();
    assert!(cases.len() >= 130, "{} cases", cases.len());
    let mut watches = Vec::new();
    for (n, case) in cases.iter().enumerate() {
        let (status, body) = submit_files(
            &stack.api_url,
            &format!("fn-user{n}"),
            case.problem,
            case.language,
            std::slice::from_ref(&case.file),
        )
        .await;
        assert_eq!(status, 202, "{}: {body}", case.what);
        let url = body["watch_url"].as_str().expect("watch_url").to_string();
        watches.push(tokio::spawn(follow_owned(url)));
    }

    let mut wrong = Vec::new();
    for (case, watch) in cases.iter().zip(watches) {
        let state = watch.await.unwrap();
        let verdict = state.verdict.expect("final");
        let said = format!(
            "{}\n{}",
            state.compile_output.clone().unwrap_or_default(),
            state.message.clone().unwrap_or_default()
        );
        if verdict != case.verdict {
            wrong.push(format!(
                "{}: expected {}, got {verdict} ({said}; {:?})",
                case.what,
                case.verdict,
                state
                    .results
                    .last()
                    .map(|r| (&r.name, r.verdict, &r.message))
            ));
            continue;
        }
        if let Some(missing) = case.says.iter().find(|w| !said.contains(*w)) {
            wrong.push(format!("{}: does not say {missing:?}: {said}", case.what));
        }
        if verdict == Verdict::AC {
            assert_eq!(state.results.len(), state.tests_total, "{}", case.what);
        }
        // A wrong sample says where the returned value differs.
        if verdict == Verdict::WA {
            let last = state.results.last().unwrap();
            if last.name.starts_with("sample/") {
                let message = last.message.clone().unwrap_or_default();
                assert!(message.contains("expected"), "{}: {message}", case.what);
            }
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    custom_runs_call_the_function(&stack.api_url).await;
    stack.stop().await;
}

/// "Run" on a function problem: the input is a `.in`'s text, the output
/// the user's stdout and then the returned value; arguments that do not
/// fit the signature are refused before anything runs.
async fn custom_runs_call_the_function(api_url: &str) {
    let run = |language: &str, code: String, input: &str| {
        let body = serde_json::json!({
            "language": language, "code": code, "input": input, "problem_id": "two-sum",
        });
        async move {
            let response = reqwest::Client::new()
                .post(format!("{api_url}/api/run"))
                .json(&body)
                .send()
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let code = "class Solution:\n    def twoSum(self, nums, target):\n        print('looking at', nums)\n        return [1, 0]\n";
    let (status, body) = run("python3", code.into(), "[2,7,11,15]\n9\n").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verdict"], "AC", "{body}");
    assert_eq!(
        body["stdout"], "looking at [2, 7, 11, 15]\nreturned: [1,0]\n",
        "{body}"
    );
    let (status, body) = run("python3", code.into(), "[2,7,11,15]\nnine\n").await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(body["error"]["field"], "input", "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("line 2: target"),
        "{body}"
    );
    // Rust: what the user's println! wrote comes before the returned value.
    let code = "impl Solution {\n    pub fn two_sum(nums: Vec<i32>, _target: i32) -> Vec<i32> {\n        println!(\"looking at {:?}\", nums);\n        vec![1, 0]\n    }\n}\n";
    let (status, body) = run("rust", code.into(), "[2,7,11,15]\n9\n").await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["verdict"], "AC", "{body}");
    assert_eq!(
        body["stdout"], "looking at [2, 7, 11, 15]\nreturned: [1,0]\n",
        "{body}"
    );
}
