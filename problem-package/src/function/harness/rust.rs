//! Rust, LeetCode's way: the user writes `impl Solution { pub fn
//! two_sum(nums: Vec<i32>, target: i32) -> Vec<i32> { ... } }` (the name in
//! snake_case), with `Vec<..>` for arrays, `Option<Box<ListNode>>` for a
//! list and `Option<Rc<RefCell<TreeNode>>>` for a tree.
//!
//! `main.rs` defines LeetCode's `ListNode`, `TreeNode` and `struct
//! Solution;`, then `include!`s the user's `solution.rs` (so rustc's
//! messages name the user's file and lines as written), then reads the
//! arguments with the `JudgeRead` impls of their types and calls
//! `Solution::two_sum(..)` with the result's type written out: a missing
//! function or another signature is a compilation error on that line,
//! which quotes the expected declaration. The harness imports nothing at
//! the crate root, so the user's own `use std::rc::Rc;` cannot clash.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

const USER: &str = "solution.rs";
const MAIN: &str = "main.rs";

const PRELUDE: &str = r#"// The judge's harness: LeetCode's definitions, the user's code, then main (reads the arguments, calls Solution's function, prints the result).
#![allow(dead_code)]
#[derive(PartialEq, Eq, Clone, Debug)]
pub struct ListNode {
    pub val: i32,
    pub next: Option<Box<ListNode>>,
}
impl ListNode {
    #[inline]
    pub fn new(val: i32) -> Self {
        ListNode { next: None, val }
    }
}
#[derive(Debug, PartialEq, Eq)]
pub struct TreeNode {
    pub val: i32,
    pub left: Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>,
    pub right: Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>,
}
impl TreeNode {
    #[inline]
    pub fn new(val: i32) -> Self {
        TreeNode { val, left: None, right: None }
    }
}
pub struct Solution;
"#;

const HELPERS: &str = r#"
mod judge_harness {
    use super::{ListNode, TreeNode};
    use std::cell::RefCell;
    use std::collections::VecDeque;
    use std::io::Read;
    use std::rc::Rc;

    pub struct Tokens {
        text: String,
        at: usize,
    }
    impl Tokens {
        pub fn from_stdin() -> Tokens {
            let mut text = String::new();
            let _ = std::io::stdin().read_to_string(&mut text);
            Tokens { text, at: 0 }
        }
        fn next(&mut self) -> &str {
            let rest = &self.text[self.at..];
            let start = rest.len() - rest.trim_start().len();
            let len = rest[start..].find(|c: char| c.is_ascii_whitespace()).unwrap_or(rest.len() - start);
            if len == 0 {
                eprintln!("judge harness: the input ended early");
                std::process::exit(97);
            }
            let from = self.at + start;
            self.at = from + len;
            &self.text[from..from + len]
        }
        fn int(&mut self) -> i64 {
            self.next().parse().unwrap_or_default()
        }
    }

    pub trait JudgeRead: Sized {
        fn judge_read(input: &mut Tokens) -> Self;
    }
    impl JudgeRead for i32 {
        fn judge_read(input: &mut Tokens) -> Self { input.int() as i32 }
    }
    impl JudgeRead for i64 {
        fn judge_read(input: &mut Tokens) -> Self { input.int() }
    }
    impl JudgeRead for f64 {
        fn judge_read(input: &mut Tokens) -> Self { input.next().parse().unwrap_or_default() }
    }
    impl JudgeRead for bool {
        fn judge_read(input: &mut Tokens) -> Self { input.next() == "1" }
    }
    impl JudgeRead for char {
        fn judge_read(input: &mut Tokens) -> Self { input.int() as u8 as char }
    }
    impl JudgeRead for String {
        fn judge_read(input: &mut Tokens) -> Self {
            let hex = input.next().as_bytes();
            let bytes: Vec<u8> = hex[1..]
                .chunks(2)
                .map(|p| u8::from_str_radix(std::str::from_utf8(p).unwrap_or("0"), 16).unwrap_or(0))
                .collect();
            String::from_utf8_lossy(&bytes).into_owned()
        }
    }
    impl<T: JudgeRead> JudgeRead for Vec<T> {
        fn judge_read(input: &mut Tokens) -> Self {
            let n = input.int();
            (0..n).map(|_| T::judge_read(input)).collect()
        }
    }
    impl JudgeRead for Option<Box<ListNode>> {
        fn judge_read(input: &mut Tokens) -> Self {
            let values: Vec<i32> = Vec::judge_read(input);
            let mut head = None;
            for val in values.into_iter().rev() {
                head = Some(Box::new(ListNode { val, next: head }));
            }
            head
        }
    }
    impl JudgeRead for Option<Rc<RefCell<TreeNode>>> {
        fn judge_read(input: &mut Tokens) -> Self {
            let n = input.int();
            let nodes: Vec<Option<Rc<RefCell<TreeNode>>>> = (0..n)
                .map(|_| match input.next() {
                    "n" => None,
                    t => Some(Rc::new(RefCell::new(TreeNode::new(t.parse().unwrap_or_default())))),
                })
                .collect();
            let mut child = 1;
            for node in nodes.iter().flatten() {
                if child >= nodes.len() {
                    break;
                }
                let mut node = node.borrow_mut();
                node.left = nodes[child].clone();
                child += 1;
                if child < nodes.len() {
                    node.right = nodes[child].clone();
                    child += 1;
                }
            }
            nodes.into_iter().next().flatten()
        }
    }

    pub trait JudgeWrite {
        fn judge_write(&self, out: &mut String);
    }
    impl JudgeWrite for i32 {
        fn judge_write(&self, out: &mut String) { out.push_str(&self.to_string()) }
    }
    impl JudgeWrite for i64 {
        fn judge_write(&self, out: &mut String) { out.push_str(&self.to_string()) }
    }
    impl JudgeWrite for f64 {
        fn judge_write(&self, out: &mut String) { out.push_str(&format!("{:?}", self)) }
    }
    impl JudgeWrite for bool {
        fn judge_write(&self, out: &mut String) { out.push_str(if *self { "true" } else { "false" }) }
    }
    impl JudgeWrite for String {
        fn judge_write(&self, out: &mut String) {
            out.push('"');
            for c in self.chars() {
                match c {
                    '"' | '\\' => { out.push('\\'); out.push(c); }
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
    impl JudgeWrite for char {
        fn judge_write(&self, out: &mut String) { self.to_string().judge_write(out) }
    }
    impl<T: JudgeWrite> JudgeWrite for Vec<T> {
        fn judge_write(&self, out: &mut String) {
            out.push('[');
            for (i, item) in self.iter().enumerate() {
                if i > 0 { out.push(','); }
                item.judge_write(out);
            }
            out.push(']');
        }
    }
    impl JudgeWrite for Option<Box<ListNode>> {
        fn judge_write(&self, out: &mut String) {
            let mut values = Vec::new();
            let mut p = self.as_deref();
            while let Some(node) = p {
                values.push(node.val);
                p = node.next.as_deref();
            }
            values.judge_write(out);
        }
    }
    impl JudgeWrite for Option<Rc<RefCell<TreeNode>>> {
        fn judge_write(&self, out: &mut String) {
            let mut items: Vec<String> = Vec::new();
            let mut queue = VecDeque::new();
            queue.push_back(self.clone());
            // A cap, as the other harnesses have: a tree the user made cyclic must end.
            while let Some(node) = queue.pop_front() {
                if items.len() >= 10_000_000 { break; }
                match node {
                    None => items.push("null".into()),
                    Some(node) => {
                        let node = node.borrow();
                        items.push(node.val.to_string());
                        queue.push_back(node.left.clone());
                        queue.push_back(node.right.clone());
                    }
                }
            }
            while items.last().map(String::as_str) == Some("null") {
                items.pop();
            }
            out.push('[');
            out.push_str(&items.join(","));
            out.push(']');
        }
    }
}
"#;

/// Rust's spelling of a type, as LeetCode writes it.
pub(crate) fn rust_type(ty: &Type) -> String {
    match ty {
        Type::Int => "i32".into(),
        Type::Long => "i64".into(),
        Type::Double => "f64".into(),
        Type::Bool => "bool".into(),
        Type::String => "String".into(),
        Type::Char => "char".into(),
        Type::Array(inner) => format!("Vec<{}>", rust_type(inner)),
        Type::ListNode => "Option<Box<ListNode>>".into(),
        Type::TreeNode => "Option<Rc<RefCell<TreeNode>>>".into(),
    }
}

/// The full path form of [`rust_type`], for the harness (which imports
/// nothing at the root).
fn path_type(ty: &Type) -> String {
    match ty {
        Type::Array(inner) => format!("Vec<{}>", path_type(inner)),
        Type::TreeNode => "Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>".into(),
        other => rust_type(other),
    }
}

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "if", "impl", "in", "let", "loop", "macro", "match",
    "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait",
    "true", "try", "type", "typeof", "unsafe", "unsized", "use", "virtual", "where", "while",
    "yield", "abstract", "become",
];

/// LeetCode's Rust name of a camelCase name: `maxSubArray` →
/// `max_sub_array`; a keyword is a raw identifier (`r#type`), and the
/// few words that cannot be (`self`, ...) get a trailing `_`.
pub(crate) fn snake_name(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    if ["self", "super", "crate"].contains(&out.as_str()) {
        out.push('_');
    } else if KEYWORDS.contains(&out.as_str()) {
        out.insert_str(0, "r#");
    }
    out
}

/// `pub fn two_sum(nums: Vec<i32>, target: i32) -> Vec<i32>`
pub(crate) fn declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{}: {}", snake_name(&p.name), rust_type(&p.ty)))
        .collect();
    format!(
        "pub fn {}({}) -> {}",
        snake_name(&spec.name),
        params.join(", "),
        rust_type(&spec.returns)
    )
}

fn uses(spec: &FunctionSpec, what: &Type) -> bool {
    spec.returns.uses(what) || spec.params.iter().any(|p| p.ty.uses(what))
}

/// The starter code: LeetCode's comment with the definitions the
/// signature uses, the imports a tree needs, and `impl Solution`.
pub(crate) fn stub(spec: &FunctionSpec) -> String {
    let mut out = String::new();
    if uses(spec, &Type::ListNode) {
        out.push_str(concat!(
            "// Definition for singly-linked list.\n",
            "// #[derive(PartialEq, Eq, Clone, Debug)]\n",
            "// pub struct ListNode {\n",
            "//   pub val: i32,\n",
            "//   pub next: Option<Box<ListNode>>\n",
            "// }\n",
            "//\n",
            "// impl ListNode {\n",
            "//   #[inline]\n",
            "//   fn new(val: i32) -> Self {\n",
            "//     ListNode {\n",
            "//       next: None,\n",
            "//       val\n",
            "//     }\n",
            "//   }\n",
            "// }\n",
        ));
    }
    if uses(spec, &Type::TreeNode) {
        out.push_str(concat!(
            "// Definition for a binary tree node.\n",
            "// #[derive(Debug, PartialEq, Eq)]\n",
            "// pub struct TreeNode {\n",
            "//   pub val: i32,\n",
            "//   pub left: Option<Rc<RefCell<TreeNode>>>,\n",
            "//   pub right: Option<Rc<RefCell<TreeNode>>>,\n",
            "// }\n",
            "//\n",
            "// impl TreeNode {\n",
            "//   #[inline]\n",
            "//   pub fn new(val: i32) -> Self {\n",
            "//     TreeNode {\n",
            "//       val,\n",
            "//       left: None,\n",
            "//       right: None\n",
            "//     }\n",
            "//   }\n",
            "// }\n",
            "use std::rc::Rc;\n",
            "use std::cell::RefCell;\n",
        ));
    }
    out.push_str(&format!(
        "impl Solution {{\n    {} {{\n        \n    }}\n}}\n",
        declaration(spec)
    ));
    out
}

/// The files and the entry (the compiled file named first).
pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(PRELUDE);
    main.push_str(&format!("include!(\"{USER}\");\n"));
    main.push_str(HELPERS);
    main.push_str("\nfn main() {\n    use judge_harness::{JudgeRead, JudgeWrite};\n");
    main.push_str("    let mut input = judge_harness::Tokens::from_stdin();\n");
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "    let a{i}: {} = JudgeRead::judge_read(&mut input);\n",
            path_type(&p.ty)
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "    let result: {} = Solution::{}({}); // the judge calls: {}\n",
        path_type(&spec.returns),
        snake_name(&spec.name),
        args.join(", "),
        declaration(spec)
    ));
    main.push_str("    let mut out = String::new();\n    result.judge_write(&mut out);\n");
    main.push_str(&format!(
        "    print!(\"\\n{}\\n{{}}\\n\", out);\n",
        SEPARATOR.replace('\u{1e}', "\\x1e")
    ));
    // Exit without running destructors: dropping a long list recursively
    // could overflow the stack after the result is out.
    main.push_str(
        "    let _ = std::io::Write::flush(&mut std::io::stdout());\n    std::process::exit(0);\n}\n",
    );
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_keywords_raw() {
        assert_eq!(snake_name("maxSubArray"), "max_sub_array");
        assert_eq!(snake_name("twoSum"), "two_sum");
        assert_eq!(snake_name("transpose"), "transpose");
        assert_eq!(snake_name("type"), "r#type");
        assert_eq!(snake_name("self"), "self_");
    }

    #[test]
    fn types_are_leetcodes() {
        let matrix = Type::parse("int[][]").unwrap();
        assert_eq!(rust_type(&matrix), "Vec<Vec<i32>>");
        assert_eq!(rust_type(&Type::TreeNode), "Option<Rc<RefCell<TreeNode>>>");
        assert_eq!(
            path_type(&Type::parse("TreeNode[]").unwrap()),
            "Vec<Option<std::rc::Rc<std::cell::RefCell<TreeNode>>>>"
        );
        assert_eq!(rust_type(&Type::ListNode), "Option<Box<ListNode>>");
    }
}
