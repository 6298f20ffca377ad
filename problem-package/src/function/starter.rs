//! The starter code the editor shows (and `judge problem ID --stub LANG`
//! prints): the function's signature in each language, as LeetCode shows
//! it, with the definitions of `ListNode` / `TreeNode` in a comment when
//! the signature uses them (the harness defines them).

use super::declaration::{
    block_comment, cpp_declaration, go_declaration, java_declaration, javascript_declaration,
    kotlin_declaration, python_declaration, typescript_declaration,
};
use super::spec::FunctionSpec;
use super::support::{supports, FunctionError};
use super::types::Type;
use crate::problem::load::Problem;

/// The starter code of `problem` in `language_id`.
pub fn starter_code(problem: &Problem, language_id: &str) -> Result<String, FunctionError> {
    let spec = problem
        .function
        .as_ref()
        .ok_or_else(|| FunctionError::NotAFunctionProblem(problem.id.clone()))?;
    stub(spec, language_id)
}

/// The starter code of a signature in `language_id`.
pub fn stub(spec: &FunctionSpec, language_id: &str) -> Result<String, FunctionError> {
    if !supports(language_id) {
        return Err(FunctionError::UnsupportedLanguage {
            language: language_id.to_string(),
        });
    }
    Ok(match language_id {
        "python3" | "cpython3" => python(spec),
        "java" => java(spec),
        "javascript" => javascript(spec),
        "go" => go(spec),
        "c" => c(spec),
        "haskell" => haskell(spec),
        "kotlin" => kotlin(spec),
        "rust" => super::harness::rust::stub(spec),
        "typescript" => typescript(spec),
        "csharp" => csharp(spec),
        "ruby" => ruby(spec),
        _ => cpp(spec),
    })
}

fn uses(spec: &FunctionSpec, what: &Type) -> bool {
    spec.returns.uses(what) || spec.params.iter().any(|p| p.ty.uses(what))
}

fn definitions(spec: &FunctionSpec, lines: [&[&str]; 2]) -> Vec<String> {
    let mut out = Vec::new();
    for (ty, text) in [Type::ListNode, Type::TreeNode].iter().zip(lines) {
        if uses(spec, ty) {
            out.extend(text.iter().map(|l| l.to_string()));
        }
    }
    out
}

fn cpp(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[" * Definition for singly-linked list.", " * struct ListNode {", " *     int val;", " *     ListNode *next;", " *     ListNode() : val(0), next(nullptr) {}", " *     ListNode(int x) : val(x), next(nullptr) {}", " *     ListNode(int x, ListNode *next) : val(x), next(next) {}", " * };"],
            &[" * Definition for a binary tree node.", " * struct TreeNode {", " *     int val;", " *     TreeNode *left;", " *     TreeNode *right;", " *     TreeNode() : val(0), left(nullptr), right(nullptr) {}", " *     TreeNode(int x) : val(x), left(nullptr), right(nullptr) {}", " *     TreeNode(int x, TreeNode *left, TreeNode *right) : val(x), left(left), right(right) {}", " * };"],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str(&format!(
        "class Solution {{\npublic:\n    {} {{\n        \n    }}\n}};\n",
        cpp_declaration(spec)
    ));
    out
}

fn python(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    for l in definitions(
        spec,
        [
            &[
                "# Definition for singly-linked list.",
                "# class ListNode:",
                "#     def __init__(self, val=0, next=None):",
                "#         self.val = val",
                "#         self.next = next",
            ],
            &[
                "# Definition for a binary tree node.",
                "# class TreeNode:",
                "#     def __init__(self, val=0, left=None, right=None):",
                "#         self.val = val",
                "#         self.left = left",
                "#         self.right = right",
            ],
        ],
    ) {
        out.push_str(&l);
        out.push('\n');
    }
    out.push_str(&format!(
        "class Solution:\n    {}\n        pass\n",
        python_declaration(spec)
    ));
    out
}

fn java(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * public class ListNode {",
                " *     int val;",
                " *     ListNode next;",
                " *     ListNode() {}",
                " *     ListNode(int val) { this.val = val; }",
                " *     ListNode(int val, ListNode next) { this.val = val; this.next = next; }",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * public class TreeNode {",
                " *     int val;",
                " *     TreeNode left;",
                " *     TreeNode right;",
                " *     TreeNode() {}",
                " *     TreeNode(int val) { this.val = val; }",
                " *     TreeNode(int val, TreeNode left, TreeNode right) {",
                " *         this.val = val;",
                " *         this.left = left;",
                " *         this.right = right;",
                " *     }",
                " * }",
            ],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str(&format!(
        "class Solution {{\n    {} {{\n        \n    }}\n}}\n",
        java_declaration(spec)
    ));
    out
}

fn javascript(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * function ListNode(val, next) {",
                " *     this.val = (val===undefined ? 0 : val)",
                " *     this.next = (next===undefined ? null : next)",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * function TreeNode(val, left, right) {",
                " *     this.val = (val===undefined ? 0 : val)",
                " *     this.left = (left===undefined ? null : left)",
                " *     this.right = (right===undefined ? null : right)",
                " * }",
            ],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str("/**\n");
    for p in &spec.params {
        out.push_str(&format!(" * @param {{{}}} {}\n", p.ty.javascript(), p.name));
    }
    out.push_str(&format!(
        " * @return {{{}}}\n */\n",
        spec.returns.javascript()
    ));
    out.push_str(&format!("{} {{\n    \n}};\n", javascript_declaration(spec)));
    out
}

fn kotlin(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * class ListNode(var `val`: Int) {",
                " *     var next: ListNode? = null",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * class TreeNode(var `val`: Int) {",
                " *     var left: TreeNode? = null",
                " *     var right: TreeNode? = null",
                " * }",
            ],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str(&format!(
        "class Solution {{\n    {} {{\n        \n    }}\n}}\n",
        kotlin_declaration(spec)
    ));
    out
}

fn go(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * type ListNode struct {",
                " *     Val int",
                " *     Next *ListNode",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * type TreeNode struct {",
                " *     Val int",
                " *     Left *TreeNode",
                " *     Right *TreeNode",
                " * }",
            ],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str(&format!("{} {{\n    \n}}\n", go_declaration(spec)));
    out
}

fn typescript(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * class ListNode {",
                " *     val: number",
                " *     next: ListNode | null",
                " *     constructor(val?: number, next?: ListNode | null) {",
                " *         this.val = (val===undefined ? 0 : val)",
                " *         this.next = (next===undefined ? null : next)",
                " *     }",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * class TreeNode {",
                " *     val: number",
                " *     left: TreeNode | null",
                " *     right: TreeNode | null",
                " *     constructor(val?: number, left?: TreeNode | null, right?: TreeNode | null) {",
                " *         this.val = (val===undefined ? 0 : val)",
                " *         this.left = (left===undefined ? null : left)",
                " *         this.right = (right===undefined ? null : right)",
                " *     }",
                " * }",
            ],
        ],
    );
    out.push_str(&block_comment(&defs));
    out.push_str(&format!(
        "\n{} {{\n    \n}};\n",
        typescript_declaration(spec)
    ));
    out
}

/// C#: class Solution with a PascalCase method (see [`super::harness::csharp`]).
fn csharp(spec: &FunctionSpec) -> String {
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * public class ListNode {",
                " *     public int val;",
                " *     public ListNode next;",
                " *     public ListNode(int val=0, ListNode next=null) {",
                " *         this.val = val;",
                " *         this.next = next;",
                " *     }",
                " * }",
            ],
            &[
                " * Definition for a binary tree node.",
                " * public class TreeNode {",
                " *     public int val;",
                " *     public TreeNode left;",
                " *     public TreeNode right;",
                " *     public TreeNode(int val=0, TreeNode left=null, TreeNode right=null) {",
                " *         this.val = val;",
                " *         this.left = left;",
                " *         this.right = right;",
                " *     }",
                " * }",
            ],
        ],
    );
    super::harness::csharp::stub(spec, defs)
}

/// Ruby: a top-level method (see [`super::harness::ruby`]).
fn ruby(spec: &FunctionSpec) -> String {
    let defs = definitions(
        spec,
        [
            &[
                "# Definition for singly-linked list.",
                "# class ListNode",
                "#     attr_accessor :val, :next",
                "#     def initialize(val = 0, _next = nil)",
                "#         @val = val",
                "#         @next = _next",
                "#     end",
                "# end",
            ],
            &[
                "# Definition for a binary tree node.",
                "# class TreeNode",
                "#     attr_accessor :val, :left, :right",
                "#     def initialize(val = 0, left = nil, right = nil)",
                "#         @val = val",
                "#         @left = left",
                "#         @right = right",
                "#     end",
                "# end",
            ],
        ],
    );
    super::harness::ruby::stub(spec, defs)
}

/// C, LeetCode's way (see [`super::harness::c`]).
fn c(spec: &FunctionSpec) -> String {
    let defs = definitions(
        spec,
        [
            &[
                " * Definition for singly-linked list.",
                " * struct ListNode {",
                " *     int val;",
                " *     struct ListNode *next;",
                " * };",
            ],
            &[
                " * Definition for a binary tree node.",
                " * struct TreeNode {",
                " *     int val;",
                " *     struct TreeNode *left;",
                " *     struct TreeNode *right;",
                " * };",
            ],
        ],
    );
    super::harness::c::stub(spec, defs)
}

/// Haskell: a top-level function (see [`super::harness::haskell`]).
fn haskell(spec: &FunctionSpec) -> String {
    let defs = definitions(
        spec,
        [
            &[
                "-- Definition for singly-linked list (Nothing is the empty list):",
                "-- data ListNode = ListNode Int (Maybe ListNode)  -- value, next",
            ],
            &[
                "-- Definition for a binary tree node (Nothing is the empty tree):",
                "-- data TreeNode = TreeNode Int (Maybe TreeNode) (Maybe TreeNode)  -- value, left, right",
            ],
        ],
    );
    super::harness::haskell::stub(spec, defs)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::function::spec::Param;

    fn two_sum() -> FunctionSpec {
        FunctionSpec::of("twoSum", &[("nums", "int[]"), ("target", "int")], "int[]")
    }

    #[test]
    fn stubs_look_like_leetcodes() {
        let s = two_sum();
        let cpp = stub(&s, "cpp17").unwrap();
        assert!(cpp.contains("class Solution {\npublic:\n    vector<int> twoSum(vector<int>& nums, int target) {"), "{cpp}");
        assert!(!cpp.contains("ListNode"));
        let py = stub(&s, "python3").unwrap();
        assert!(
            py.contains(
                "class Solution:\n    def twoSum(self, nums: List[int], target: int) -> List[int]:"
            ),
            "{py}"
        );
        let java = stub(&s, "java").unwrap();
        assert!(
            java.contains("public int[] twoSum(int[] nums, int target) {"),
            "{java}"
        );
        let js = stub(&s, "javascript").unwrap();
        assert!(
            js.contains(" * @param {number[]} nums\n")
                && js.contains("var twoSum = function(nums, target) {"),
            "{js}"
        );
        let go = stub(&s, "go").unwrap();
        assert!(
            go.contains("func twoSum(nums []int, target int) []int {"),
            "{go}"
        );
        let kt = stub(&s, "kotlin").unwrap();
        assert!(
            kt.contains("    fun twoSum(nums: IntArray, target: Int): IntArray {"),
            "{kt}"
        );
        let rs = stub(&s, "rust").unwrap();
        assert!(
            rs.contains(
                "impl Solution {\n    pub fn two_sum(nums: Vec<i32>, target: i32) -> Vec<i32> {"
            ) && !rs.contains("use std"),
            "{rs}"
        );
        let ts = stub(&s, "typescript").unwrap();
        assert!(
            ts.ends_with("function twoSum(nums: number[], target: number): number[] {\n    \n};\n"),
            "{ts}"
        );
        let cs = stub(&s, "csharp").unwrap();
        assert!(
            cs.contains(
                "public class Solution {\n    public int[] TwoSum(int[] nums, int target) {"
            ),
            "{cs}"
        );
        let rb = stub(&s, "ruby").unwrap();
        assert_eq!(
            rb,
            "# @param {Integer[]} nums\n# @param {Integer} target\n# @return {Integer[]}\ndef two_sum(nums, target)\n    \nend\n"
        );
        let err = stub(&s, "bash").unwrap_err();
        assert!(
            err.to_string().contains("function problems support cpp"),
            "{err}"
        );
    }

    #[test]
    fn trees_bring_their_definition() {
        let mut s = two_sum();
        s.params = vec![Param {
            name: "root".into(),
            ty: Type::TreeNode,
        }];
        s.returns = Type::Int;
        assert!(stub(&s, "cpp").unwrap().contains(" * struct TreeNode {"));
        let ts = stub(&s, "typescript").unwrap();
        assert!(
            ts.contains(" * class TreeNode {\n *     val: number\n")
                && ts.contains("function twoSum(root: TreeNode | null): number {"),
            "{ts}"
        );
        let cs = stub(&s, "csharp").unwrap();
        assert!(
            cs.contains(" * public class TreeNode {")
                && cs.contains("public int TwoSum(TreeNode root)"),
            "{cs}"
        );
        let rb = stub(&s, "ruby").unwrap();
        assert!(
            rb.contains("# class TreeNode\n#     attr_accessor :val, :left, :right\n")
                && rb
                    .contains("# @param {TreeNode} root\n# @return {Integer}\ndef two_sum(root)\n"),
            "{rb}"
        );
        let py = stub(&s, "cpython3").unwrap();
        assert!(
            py.contains("# class TreeNode:") && py.contains("root: Optional[TreeNode]"),
            "{py}"
        );
        let rs = stub(&s, "rust").unwrap();
        assert!(
            rs.contains("// pub struct TreeNode {")
                && rs.contains("\nuse std::rc::Rc;\nuse std::cell::RefCell;\nimpl Solution {")
                && rs.contains("pub fn two_sum(root: Option<Rc<RefCell<TreeNode>>>) -> i32 {"),
            "{rs}"
        );
    }

    #[test]
    fn c_stub_has_the_structs_it_uses_and_the_note_on_returned_arrays() {
        let tree = FunctionSpec::of("f", &[("root", "TreeNode")], "double");
        let code = stub(&tree, "c").unwrap();
        assert!(
            code.contains(" * struct TreeNode {\n *     int val;\n *     struct TreeNode *left;"),
            "{code}"
        );
        assert!(
            !code.contains("ListNode") && !code.contains("malloced"),
            "{code}"
        );
        assert!(
            code.ends_with("double f(struct TreeNode* root) {\n    \n}\n"),
            "{code}"
        );
        let array = FunctionSpec::of("f", &[("nums", "int[]")], "int[]");
        let code = stub(&array, "c").unwrap();
        assert!(
            code.contains("The returned array must be malloced"),
            "{code}"
        );
        let matrix = FunctionSpec::of("f", &[("nums", "int[]")], "int[][]");
        let code = stub(&matrix, "c").unwrap();
        assert!(code.contains("*returnColumnSizes array"), "{code}");
    }

    #[test]
    fn haskell_stub_is_a_top_level_function_with_the_types_it_uses() {
        let tree = FunctionSpec::of(
            "invertTree",
            &[("root", "TreeNode"), ("data", "bool")],
            "TreeNode",
        );
        let code = stub(&tree, "haskell").unwrap();
        assert!(
            code.contains("-- data TreeNode = TreeNode Int (Maybe TreeNode) (Maybe TreeNode)"),
            "{code}"
        );
        assert!(!code.contains("ListNode"), "{code}");
        assert!(
            code.ends_with("invertTree :: Maybe TreeNode -> Bool -> Maybe TreeNode\ninvertTree root data' = undefined\n"),
            "{code}"
        );
        assert!(code.contains("`module Solution where`"), "{code}");
    }
}
