//! The declaration of the user's function in each language, as LeetCode
//! writes it: what the starter code shows and what each harness calls.

use super::spec::FunctionSpec;

/// The class definitions a signature needs, one line each, for a comment.
/// `lines` as a `/** ... */` comment, or nothing when there are none.
pub fn block_comment(lines: &[String]) -> String {
    if lines.is_empty() {
        return String::new();
    }
    let mut out = String::from("/**\n");
    for l in lines {
        out.push_str(l);
        out.push('\n');
    }
    out.push_str(" */\n");
    out
}

/// `class Solution { public: int twoSum(vector<int>& nums, int target) { } };`
pub fn cpp_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.cpp_param(), p.name))
        .collect();
    format!(
        "{} {}({})",
        spec.returns.cpp(),
        spec.name,
        params.join(", ")
    )
}

/// `def twoSum(self, nums: List[int], target: int) -> int:`
pub fn python_declaration(spec: &FunctionSpec) -> String {
    let mut params = vec!["self".to_string()];
    params.extend(
        spec.params
            .iter()
            .map(|p| format!("{}: {}", p.name, p.ty.python())),
    );
    format!(
        "def {}({}) -> {}:",
        spec.name,
        params.join(", "),
        spec.returns.python()
    )
}

/// `public int twoSum(int[] nums, int target)`
pub fn java_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.java(), p.name))
        .collect();
    format!(
        "public {} {}({})",
        spec.returns.java(),
        spec.name,
        params.join(", ")
    )
}

/// `var twoSum = function(nums, target)`
pub fn javascript_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<&str> = spec.params.iter().map(|p| p.name.as_str()).collect();
    format!("var {} = function({})", spec.name, params.join(", "))
}

/// `fun twoSum(nums: IntArray, target: Int): IntArray`
pub fn kotlin_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty.kotlin()))
        .collect();
    format!(
        "fun {}({}): {}",
        spec.name,
        params.join(", "),
        spec.returns.kotlin()
    )
}

/// `func twoSum(nums []int, target int) []int`
pub fn go_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{} {}", p.name, p.ty.go()))
        .collect();
    format!(
        "func {}({}) {}",
        spec.name,
        params.join(", "),
        spec.returns.go()
    )
}

/// `function twoSum(nums: number[], target: number): number[]`
pub fn typescript_declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{}: {}", p.name, p.ty.typescript()))
        .collect();
    format!(
        "function {}({}): {}",
        spec.name,
        params.join(", "),
        spec.returns.typescript()
    )
}
