//! The failing case's detail through the whole pipeline: a wrong answer on
//! a sample shows the input, the expected answer, the output, where it
//! first differs and the stderr; a wrong answer on a secret test shows
//! only its verdict and resources, so that no secret answer reaches a user.

use std::time::Duration;

use judge_core::Verdict;
use judge_tests::client::{final_state, follow, submit};
use judge_tests::{bundled_problems, Stack};

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

async fn judged(stack: &Stack, code: &str) -> judge_core::SubmissionState {
    let (status, body) = submit(&stack.api_url, "detail-user", "aplusb", "python3", code).await;
    assert_eq!(status, 202, "{body}");
    let url = body["watch_url"].as_str().expect("watch_url");
    final_state(&follow(url, Duration::from_secs(120)).await).clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failing_sample_shows_its_detail_and_a_failing_secret_test_does_not() {
    let stack = Stack::start(&bundled_problems(), 1).await;

    let state = judged(&stack, WRONG_ON_A_SAMPLE).await;
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

    let state = judged(&stack, WRONG_ON_A_SECRET).await;
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

    stack.stop().await;
}
