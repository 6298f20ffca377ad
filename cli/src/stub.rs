//! `judge problem ID --stub LANG`: a function problem's starter code (the
//! signature in that language, as the editor shows it). Made here from
//! the problem's JSON (its `function` field) with the judge's own
//! [`problem_package::function::starter`], so it is exactly what the API's
//! `GET /api/problems/{id}/stub/{language}` and the editor give.

use problem_package::function::{starter, FunctionSpec};

use crate::commands::{print_json, Context};
use crate::error::{code, CliError};

/// Prints the starter code of problem `id` in `language`.
pub async fn print(ctx: &Context, id: &str, language: &str) -> Result<u8, CliError> {
    let problem = ctx.client.problem(id).await?;
    let code = stub_of(id, &problem, language)?;
    if ctx.json {
        print_json(&serde_json::json!({ "language": language, "code": code }))?;
    } else {
        print!("{code}");
    }
    Ok(code::OK)
}

/// The starter code from a problem's JSON; a problem without a function
/// is refused (exit 4), a language without a harness is a usage error.
fn stub_of(id: &str, problem: &serde_json::Value, language: &str) -> Result<String, CliError> {
    let Some(function) = problem.get("function") else {
        return Err(CliError::Refused(format!(
            "problem {id} is not a function problem: it reads stdin, so there is no starter code"
        )));
    };
    let spec: FunctionSpec = serde_json::from_value(function.clone())
        .map_err(|e| CliError::Judge(format!("the problem's function is not understood: {e}")))?;
    if problem_package::language::by_id(language).is_none() {
        return Err(CliError::Usage(format!(
            "unknown language {language:?} (see `judge languages`)"
        )));
    }
    starter::stub(&spec, language).map_err(|e| CliError::Usage(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn two_sum() -> serde_json::Value {
        serde_json::json!({
            "id": "two-sum",
            "function": {
                "name": "twoSum",
                "params": [{"name": "nums", "type": "int[]"}, {"name": "target", "type": "int"}],
                "returns": "int[]",
                "compare": "unordered",
                "show_all_cases": false
            }
        })
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
        let err = stub_of("aplusb", &serde_json::json!({"id": "aplusb"}), "cpp").unwrap_err();
        assert_eq!(err.exit_code(), code::REFUSED);
        assert!(err.message().contains("not a function problem"));
        let err = stub_of("two-sum", &two_sum(), "cobra").unwrap_err();
        assert_eq!(err.exit_code(), code::USAGE);
    }
}
