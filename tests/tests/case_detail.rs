//! The failing case's detail through the whole pipeline: a wrong answer on
//! a sample shows the input, the expected answer, the output, where it
//! first differs and the stderr; a wrong answer on a secret test shows
//! only its verdict and resources, so that no secret answer reaches a user.
//!
//! The tests share one stack ([`shared_stack`]), each with a user of its own.

use std::time::Duration;

use judge_tests::{bundled_problems, shared_stack, SharedStack};
use submission::Verdict;
use testkit::client::{final_state, follow, submit};

/// Right on sample 1, wrong on the second line of sample 2 (16 for 15).
const WRONG_ON_A_SAMPLE: &str = "import sys
t = int(input())
for _ in range(t):
    a, b = map(int, input().split())
    s = a + b
    print(s + 1 if s == 15 else s)
print('debugging', file=sys.stderr)
";

/// Right on both samples, wrong on secret/01-single-zero (one case, 0 0).
const WRONG_ON_A_SECRET: &str = "t = int(input())
for _ in range(t):
    a, b = map(int, input().split())
    print(1 if t == 1 and a == 0 and b == 0 else a + b)
";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sample_shows_its_detail_and_a_failing_secret_test_does_not() {
    let stack = stack().await;
    let user = "detail-sample-user";

    let state = judged_on(stack, user, "aplusb", WRONG_ON_A_SAMPLE).await;
    assert_eq!(state.verdict, Some(Verdict::WA));
    let failed = state.results.last().unwrap();
    assert_eq!(
        (failed.name.as_str(), failed.verdict),
        ("sample/2", Verdict::WA)
    );
    let detail = failed
        .detail
        .as_ref()
        .expect("a failing sample has its detail");
    assert_eq!(detail.input, "3\n3 4\n-10 25\n0 0\n");
    assert_eq!(detail.expected, "7\n15\n0\n");
    assert_eq!(detail.received, "7\n16\n0\n");
    assert_eq!(detail.stderr.trim(), "debugging");
    assert!(!detail.truncated);
    let at = detail.first_difference.expect("where it differs");
    assert_eq!((at.line, at.column), (2, 1));
    // The accepted sample before it has none.
    assert!(state.results[0].detail.is_none());

    let state = judged_on(stack, user, "aplusb", WRONG_ON_A_SECRET).await;
    assert_eq!(state.verdict, Some(Verdict::WA));
    let failed = state.results.last().unwrap();
    assert_eq!(
        (failed.name.as_str(), failed.verdict),
        ("secret/01-single-zero", Verdict::WA)
    );
    assert!(failed.detail.is_none(), "{:?}", failed.detail);
    assert!(failed.message.is_none(), "{:?}", failed.message);
    // Nor does the stored state, as the API serves it.
    let served: serde_json::Value =
        reqwest::get(format!("{}/api/submissions/{}", stack.api_url, state.id))
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
    let text = served.to_string();
    assert!(!text.contains("\"detail\""), "{text}");
    assert!(
        served["results"]
            .as_array()
            .is_some_and(|r| r.len() == state.results.len()),
        "{text}"
    );
}

/// two-sum: right on example 1 only, printing as it goes.
const TWO_SUM_WRONG_ON_AN_EXAMPLE: &str = "class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        print('looking at', len(nums))
        return [0, 1]
";

/// two-sum: right on both examples, wrong on every secret test.
const TWO_SUM_WRONG_ON_A_SECRET: &str = "class Solution:
    def twoSum(self, nums: List[int], target: int) -> List[int]:
        return {4: [0, 1], 3: [1, 2]}.get(len(nums), [0, 0])
";

/// invert-tree (`show_all_cases: true`): right but for a root of 1 with
/// children (secret/03-left-chain).
const INVERT_WRONG_ON_A_SECRET: &str = "class Solution:
    def invertTree(self, root: Optional[TreeNode]) -> Optional[TreeNode]:
        if root is None or (root.val == 1 and root.left):
            return root
        root.left, root.right = self.invertTree(root.right), self.invertTree(root.left)
        return root
";

/// The binary's stack: one worker, the problems of both tests.
async fn stack() -> &'static SharedStack {
    shared_stack(
        || problems_with_time_to_spare(&["aplusb", "two-sum", "invert-tree"]),
        1,
    )
    .await
}

async fn judged_on(
    stack: &SharedStack,
    user: &str,
    problem: &str,
    code: &str,
) -> submission::SubmissionState {
    let (status, body) = submit(&stack.api_url, user, problem, "python3", code).await;
    assert_eq!(status, 202, "{body}");
    let url = body["watch_url"].as_str().expect("watch_url");
    final_state(&follow(url, Duration::from_secs(120)).await).clone()
}

/// Copies of bundled problems with a time limit of 5 s: this 2-core
/// machine is shared by other tests, and Python's start-up on a loaded
/// host must not turn these wrong answers into wall-clock TLEs.
fn problems_with_time_to_spare(names: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for name in names {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(bundled_problems().join(name))
            .arg(dir.path())
            .status()
            .unwrap();
        assert!(status.success());
        let yaml = dir.path().join(name).join("problem.yaml");
        let text = std::fs::read_to_string(&yaml).unwrap();
        assert!(text.contains("time_limit: 1\n"), "{text}");
        std::fs::write(&yaml, text.replace("time_limit: 1\n", "time_limit: 5\n")).unwrap();
    }
    dir
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_function_problem_shows_the_returned_value_and_stdout_apart_and_all_cases_when_allowed() {
    let stack = stack().await;
    let user = "detail-function-user";

    let state = judged_on(stack, user, "two-sum", TWO_SUM_WRONG_ON_AN_EXAMPLE).await;
    assert_eq!(state.verdict, Some(Verdict::WA), "{state:?}");
    let failed = state.results.last().unwrap();
    assert_eq!(failed.name, "sample/2");
    let detail = failed
        .detail
        .as_ref()
        .expect("a failing example has its detail");
    assert_eq!(detail.input.trim(), "[3,2,4]\n6");
    assert_eq!(detail.expected, "[1,2]");
    assert_eq!(detail.received, "[0,1]");
    assert_eq!(
        detail.stdout.as_deref().map(str::trim),
        Some("looking at 3")
    );
    let at = detail.first_difference.expect("where it differs");
    assert_eq!((at.line, at.column), (1, 2));

    // A secret test of a problem that does not allow it: nothing.
    let state = judged_on(stack, user, "two-sum", TWO_SUM_WRONG_ON_A_SECRET).await;
    assert_eq!(state.verdict, Some(Verdict::WA), "{state:?}");
    let failed = state.results.last().unwrap();
    assert!(failed.name.starts_with("secret/"), "{}", failed.name);
    assert!(failed.detail.is_none(), "{:?}", failed.detail);

    // `show_all_cases: true`: a failing secret test shows its detail too.
    let state = judged_on(stack, user, "invert-tree", INVERT_WRONG_ON_A_SECRET).await;
    assert_eq!(state.verdict, Some(Verdict::WA), "{state:?}");
    let failed = state.results.last().unwrap();
    assert_eq!(failed.name, "secret/03-left-chain");
    let detail = failed
        .detail
        .as_ref()
        .expect("show_all_cases shows a secret case");
    assert_eq!(detail.expected, "[1,null,2,null,3,null,4]");
    assert_eq!(detail.received, "[1,2,null,3,null,4]");
    assert!(state
        .results
        .iter()
        .filter(|r| r.verdict == Verdict::AC)
        .all(|r| r.detail.is_none()));
}
