//! `judge problem ID --stub LANG`: a function problem's starter code (the
//! signature in that language, as the editor shows it). Made here from
//! the problem's page (its `function` field) with the judge's own
//! [`problem_package::function::starter`], so it is exactly what the API's
//! `GET /api/problems/{id}/stub/{language}` and the editor give.

use api_types::{ProblemDetail, Stub};
use problem_package::function::starter;

use crate::commands::{print_answer, Context};
use crate::error::{code, CliError};

/// Prints the starter code of problem `id` in `language`.
pub async fn print(ctx: &Context, id: &str, language: &str) -> Result<u8, CliError> {
    let problem = ctx.client.problem(id).await?;
    let code = stub_of(id, &problem, language)?;
    if ctx.json {
        print_answer(&Stub {
            code,
            language: language.to_string(),
        })?;
    } else {
        print!("{code}");
    }
    Ok(code::OK)
}

/// The starter code from a problem's page; a problem without a function
/// is refused (exit 4), a language without a harness is a usage error.
fn stub_of(id: &str, problem: &ProblemDetail, language: &str) -> Result<String, CliError> {
    let Some(spec) = &problem.summary.function else {
        return Err(CliError::Refused(format!(
            "problem {id} is not a function problem: it reads stdin, so there is no starter code"
        )));
    };
    if problem_package::language::by_id(language).is_none() {
        return Err(CliError::Usage(format!(
            "unknown language {language:?} (see `judge languages`)"
        )));
    }
    starter::stub(spec, language).map_err(|e| CliError::Usage(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use testkit::answers::problem_detail;

    fn two_sum() -> ProblemDetail {
        let mut problem = problem_detail("two-sum", "Two Sum", 4);
        let spec = serde_json::json!({
            "name": "twoSum",
            "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
            "returns": "int[]",
            "compare": "unordered",
            "show_all_cases": false
        });
        problem.summary.function = Some(serde_json::from_value(spec).unwrap());
        problem
    }

    #[test]
    fn the_stub_comes_from_the_problems_signature() {
        let code = stub_of("two-sum", &two_sum(), "cpp").unwrap();
        assert!(
            code.contains("vector<int> twoSum(vector<int>& nums, int target)"),
            "{code}"
        );
        let code = stub_of("two-sum", &two_sum(), "python3").unwrap();
        assert!(code.contains("def twoSum(self, nums: List[int], target: int) -> List[int]:"));
    }

    #[test]
    fn refusals_say_why_with_their_exit_code() {
        let aplusb = problem_detail("aplusb", "A plus B", 8);
        let err = stub_of("aplusb", &aplusb, "cpp").unwrap_err();
        assert_eq!(err.exit_code(), code::REFUSED);
        assert!(err.message().contains("not a function problem"));
        let err = stub_of("two-sum", &two_sum(), "cobra").unwrap_err();
        assert_eq!(err.exit_code(), code::USAGE);
    }
}
