//! Ruby: LeetCode's Ruby solution is a top-level method with its name in
//! snake_case (`def two_sum(nums, target)`). `main.rb` defines `ListNode`
//! and `TreeNode`, evaluates the user's `solution.rb` at the top level
//! (so errors name `solution.rb` and its lines), checks the method is
//! there and takes the arguments, and calls it. The compile step runs it
//! with `--check`, which stops after that check.
//!
//! The harness's own methods live in `module JudgeHarness`, not on
//! `Object` beside the user's.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

pub(super) const MAIN: &str = "main.rb";
const USER: &str = "solution.rb";

const HARNESS: &str = r#"# The judge's harness: reads the arguments, calls the function, prints the result.
require 'json'
require 'set'

class ListNode
  attr_accessor :val, :next
  def initialize(val = 0, _next = nil)
    @val = val
    @next = _next
  end
end

class TreeNode
  attr_accessor :val, :left, :right
  def initialize(val = 0, left = nil, right = nil)
    @val = val
    @left = left
    @right = right
  end
end

module JudgeHarness
  module_function

  def load_solution
    source = File.read("solution.rb", encoding: "UTF-8")
    TOPLEVEL_BINDING.eval(source, "solution.rb", 1)
    defined = Object.private_method_defined?(NAME) || Object.method_defined?(NAME)
    arity = defined ? Object.instance_method(NAME).arity : nil
    takes = arity && (arity == PARAMS.size || (arity < 0 && -arity - 1 <= PARAMS.size))
    unless takes
      $stderr.puts("solution.rb: " + EXPECTED)
      exit(1)
    end
  end

  def read(tokens, t)
    if t.end_with?("[]")
      return Array.new(Integer(tokens.next)) { read(tokens, t[0...-2]) }
    end
    case t
    when "int", "long" then Integer(tokens.next)
    when "double" then Float(tokens.next)
    when "bool" then tokens.next == "1"
    when "char" then Integer(tokens.next).chr
    when "string" then [tokens.next[1..]].pack("H*").force_encoding(Encoding::UTF_8)
    when "ListNode"
      head = tail = ListNode.new
      Integer(tokens.next).times do
        tail.next = ListNode.new(Integer(tokens.next))
        tail = tail.next
      end
      head.next
    else
      values = Array.new(Integer(tokens.next)) { tokens.next }
      nodes = values.map { |v| v == "n" ? nil : TreeNode.new(Integer(v)) }
      child = 1
      nodes.each do |node|
        break if child >= nodes.size
        next if node.nil?
        node.left = nodes[child]
        child += 1
        if child < nodes.size
          node.right = nodes[child]
          child += 1
        end
      end
      nodes.first
    end
  end

  def plain(t, v)
    if t.end_with?("[]") && v.is_a?(Array)
      return v.map { |x| plain(t[0...-2], x) }
    end
    if t == "ListNode" && (v.nil? || v.is_a?(ListNode))
      out = []
      while !v.nil? && out.size < 10000000
        out << v.val
        v = v.next
      end
      return out
    end
    if t == "TreeNode" && (v.nil? || v.is_a?(TreeNode))
      out = []
      queue = v.nil? ? [] : [v]
      i = 0
      while i < queue.size && out.size < 10000000
        node = queue[i]
        i += 1
        if node.nil?
          out << nil
          next
        end
        out << node.val
        queue << node.left << node.right
      end
      out.pop while !out.empty? && out.last.nil?
      return out
    end
    v
  end

  def main
    load_solution
    return if ARGV[0] == "--check"
    tokens = $stdin.read.split.each
    args = PARAMS.map { |t| read(tokens, t) }
    result = TOPLEVEL_BINDING.receiver.send(NAME, *args)
    text = begin
      JSON.generate(plain(RETURNS, result))
    rescue StandardError
      "(not a JSON value: #{result.class})"
    end
    $stdout.flush
    $stdout.write("\n" + SEPARATOR + "\n" + text + "\n")
    $stdout.flush
  end
end
"#;

const KEYWORDS: &[&str] = &[
    "BEGIN",
    "END",
    "alias",
    "and",
    "begin",
    "break",
    "case",
    "class",
    "def",
    "defined",
    "do",
    "else",
    "elsif",
    "end",
    "ensure",
    "false",
    "for",
    "if",
    "in",
    "module",
    "next",
    "nil",
    "not",
    "or",
    "redo",
    "rescue",
    "retry",
    "return",
    "self",
    "super",
    "then",
    "true",
    "undef",
    "unless",
    "until",
    "when",
    "while",
    "yield",
    "__FILE__",
    "__LINE__",
    "__method__",
];

/// LeetCode's Ruby name: snake_case (`twoSum` → `two_sum`).
pub(crate) fn method_name(name: &str) -> String {
    let mut out = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if c.is_ascii_uppercase() && previous_lower {
            out.push('_');
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(c.to_ascii_lowercase());
    }
    out
}

/// A parameter's name: snake_case (a capital would make it a constant),
/// a keyword with a trailing `_`.
fn param_name(name: &str) -> String {
    let mut out = method_name(name);
    if KEYWORDS.contains(&out.as_str()) {
        out.push('_');
    }
    out
}

/// `def two_sum(nums, target)`
pub(crate) fn declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec.params.iter().map(|p| param_name(&p.name)).collect();
    format!("def {}({})", method_name(&spec.name), params.join(", "))
}

/// The starter code: `defs` (the node classes it uses, commented out),
/// the YARD tags LeetCode writes, the method.
pub(crate) fn stub(spec: &FunctionSpec, defs: Vec<String>) -> String {
    let mut out = String::new();
    for l in defs {
        out.push_str(&l);
        out.push('\n');
    }
    for p in &spec.params {
        out.push_str(&format!(
            "# @param {{{}}} {}\n",
            p.ty.ruby(),
            param_name(&p.name)
        ));
    }
    out.push_str(&format!("# @return {{{}}}\n", spec.returns.ruby()));
    out.push_str(&format!("{}\n    \nend\n", declaration(spec)));
    out
}

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| quote(&p.ty.to_string()))
        .collect();
    let mut main = String::from(HARNESS);
    main.push_str("\nmodule JudgeHarness\n");
    main.push_str(&format!("  NAME = :{}\n", method_name(&spec.name)));
    main.push_str(&format!("  PARAMS = [{}].freeze\n", params.join(", ")));
    main.push_str(&format!(
        "  RETURNS = {}\n",
        quote(&spec.returns.to_string())
    ));
    // Single quotes: a Ruby double-quoted string would read `#{`.
    let expected = format!(
        "the judge calls {}(...): define a top-level `{}`",
        method_name(&spec.name),
        declaration(spec)
    );
    main.push_str(&format!(
        "  EXPECTED = '{}'\n",
        expected.replace('\\', "\\\\").replace('\'', "\\'")
    ));
    main.push_str(&format!(
        "  SEPARATOR = \"{}\"\nend\n\nJudgeHarness.main\n",
        SEPARATOR.replace('\u{1e}', "\\x1e")
    ));
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_snake_case_and_keywords_are_renamed() {
        let spec = FunctionSpec::of(
            "maxSubArray",
            &[("Nums", "int[]"), ("next", "ListNode")],
            "long",
        );
        assert_eq!(declaration(&spec), "def max_sub_array(nums, next_)");
        let code = stub(&spec, vec!["# class ListNode".into()]);
        assert_eq!(
            code,
            "# class ListNode\n# @param {Integer[]} nums\n# @param {ListNode} next_\n# @return {Integer}\ndef max_sub_array(nums, next_)\n    \nend\n"
        );
    }

    #[test]
    fn the_harness_knows_the_method_and_the_types() {
        let spec = FunctionSpec::of(
            "filterWords",
            &[("words", "string[]"), ("c", "char")],
            "bool",
        );
        let (files, entry) = files(&spec, "def filter_words(w, c) end\n".into());
        assert_eq!(entry, "main.rb");
        let main = &files[0].content;
        assert!(
            main.contains("  NAME = :filter_words\n  PARAMS = [\"string[]\", \"char\"].freeze\n  RETURNS = \"bool\"\n"),
            "{main}"
        );
        assert!(
            main.contains("  EXPECTED = 'the judge calls filter_words(...): define a top-level `def filter_words(words, c)`'\n"),
            "{main}"
        );
        assert!(main.ends_with("JudgeHarness.main\n"), "{main}");
        assert_eq!(files[1].name, "solution.rb");
    }
}
