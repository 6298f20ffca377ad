//! C#: the user's `class Solution` goes in `Solution.cs` with the `using`s
//! LeetCode gives every solution put on its first line (so its line
//! numbers stay as written); `Main.cs` defines `ListNode` and `TreeNode`
//! and holds `Main`. The method is LeetCode's PascalCase name
//! (`TwoSum`); a missing method or a wrong signature fails to compile on
//! the harness's call, whose line says what the judge expected.
//!
//! Each argument's reader and the result's writer are generated for its
//! type (`ReadArray<int>(() => ReadInt())`), so no reflection is needed.
//! The result is written as ASCII (strings' other characters escaped), so
//! the console's encoding cannot change it.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

const MAIN: &str = "Main.cs";
const USER: &str = "Solution.cs";
/// On the user's first line: no line moves.
const USINGS: &str =
    "using System; using System.Collections.Generic; using System.Linq; using System.Text; ";

const HEAD: &str = r#"// The judge's harness: reads the arguments, calls Solution's method, prints the result.
using System;
using System.Globalization;
using System.IO;
using System.Text;

public class ListNode {
    public int val;
    public ListNode next;
    public ListNode(int val = 0, ListNode next = null) { this.val = val; this.next = next; }
}

public class TreeNode {
    public int val;
    public TreeNode left;
    public TreeNode right;
    public TreeNode(int val = 0, TreeNode left = null, TreeNode right = null) { this.val = val; this.left = left; this.right = right; }
}

static class JudgeHarness {
    static string[] tokens;
    static int at;

    static string Next() {
        if (at >= tokens.Length) { Console.Error.WriteLine("judge harness: the input ended early"); Environment.Exit(97); }
        return tokens[at++];
    }

    static int ReadInt() { return int.Parse(Next(), CultureInfo.InvariantCulture); }
    static long ReadLong() { return long.Parse(Next(), CultureInfo.InvariantCulture); }
    static double ReadDouble() { return double.Parse(Next(), NumberStyles.Float, CultureInfo.InvariantCulture); }
    static bool ReadBool() { return Next() == "1"; }
    static char ReadChar() { return (char) ReadInt(); }

    static string ReadString() {
        string h = Next();
        byte[] b = new byte[(h.Length - 1) / 2];
        for (int i = 0; i < b.Length; i++) b[i] = Convert.ToByte(h.Substring(1 + 2 * i, 2), 16);
        return Encoding.UTF8.GetString(b);
    }

    static T[] ReadArray<T>(Func<T> item) {
        int n = ReadInt();
        T[] a = new T[n];
        for (int i = 0; i < n; i++) a[i] = item();
        return a;
    }

    static ListNode ReadListNode() {
        int n = ReadInt();
        ListNode dummy = new ListNode(), tail = dummy;
        for (int i = 0; i < n; i++) { tail.next = new ListNode(ReadInt()); tail = tail.next; }
        return dummy.next;
    }

    static TreeNode ReadTreeNode() {
        int n = ReadInt();
        TreeNode[] nodes = new TreeNode[n];
        for (int i = 0; i < n; i++) { string v = Next(); nodes[i] = v == "n" ? null : new TreeNode(int.Parse(v, CultureInfo.InvariantCulture)); }
        int child = 1;
        for (int i = 0; i < n && child < n; i++) {
            if (nodes[i] == null) continue;
            nodes[i].left = nodes[child++];
            if (child < n) nodes[i].right = nodes[child++];
        }
        return n == 0 ? null : nodes[0];
    }

    static void Write(StringBuilder o, int v) { o.Append(v.ToString(CultureInfo.InvariantCulture)); }
    static void Write(StringBuilder o, long v) { o.Append(v.ToString(CultureInfo.InvariantCulture)); }
    static void Write(StringBuilder o, double v) { o.Append(v.ToString("R", CultureInfo.InvariantCulture)); }
    static void Write(StringBuilder o, bool v) { o.Append(v ? "true" : "false"); }
    static void Write(StringBuilder o, char v) { Write(o, v.ToString()); }

    static void Write(StringBuilder o, string s) {
        if (s == null) { o.Append("null"); return; }
        o.Append('"');
        foreach (char c in s) {
            if (c == '"' || c == '\\') o.Append('\\').Append(c);
            else if (c < 0x20 || c > 0x7e) o.Append("\\u").Append(((int) c).ToString("x4"));
            else o.Append(c);
        }
        o.Append('"');
    }

    static void Write(StringBuilder o, ListNode v) {
        o.Append('[');
        for (int n = 0; v != null && n < 10000000; v = v.next, n++) { if (n > 0) o.Append(','); Write(o, v.val); }
        o.Append(']');
    }

    static void Write(StringBuilder o, TreeNode v) {
        var out_ = new System.Collections.Generic.List<string>();
        var q = new System.Collections.Generic.Queue<TreeNode>();
        if (v != null) q.Enqueue(v);
        while (q.Count > 0 && out_.Count < 10000000) {
            TreeNode x = q.Dequeue();
            if (x == null) { out_.Add("null"); continue; }
            out_.Add(x.val.ToString(CultureInfo.InvariantCulture));
            q.Enqueue(x.left);
            q.Enqueue(x.right);
        }
        while (out_.Count > 0 && out_[out_.Count - 1] == "null") out_.RemoveAt(out_.Count - 1);
        o.Append('[').Append(string.Join(",", out_)).Append(']');
    }

    static void WriteArray<T>(StringBuilder o, T[] a, Action<StringBuilder, T> item) {
        if (a == null) { o.Append("null"); return; }
        o.Append('[');
        for (int i = 0; i < a.Length; i++) { if (i > 0) o.Append(','); item(o, a[i]); }
        o.Append(']');
    }

    static void Main() {
        tokens = Console.In.ReadToEnd().Split((char[]) null, StringSplitOptions.RemoveEmptyEntries);
"#;

const KEYWORDS: &[&str] = &[
    "abstract",
    "as",
    "base",
    "bool",
    "break",
    "byte",
    "case",
    "catch",
    "char",
    "checked",
    "class",
    "const",
    "continue",
    "decimal",
    "default",
    "delegate",
    "do",
    "double",
    "else",
    "enum",
    "event",
    "explicit",
    "extern",
    "false",
    "finally",
    "fixed",
    "float",
    "for",
    "foreach",
    "goto",
    "if",
    "implicit",
    "in",
    "int",
    "interface",
    "internal",
    "is",
    "lock",
    "long",
    "namespace",
    "new",
    "null",
    "object",
    "operator",
    "out",
    "override",
    "params",
    "private",
    "protected",
    "public",
    "readonly",
    "ref",
    "return",
    "sbyte",
    "sealed",
    "short",
    "sizeof",
    "stackalloc",
    "static",
    "string",
    "struct",
    "switch",
    "this",
    "throw",
    "true",
    "try",
    "typeof",
    "uint",
    "ulong",
    "unchecked",
    "unsafe",
    "ushort",
    "using",
    "virtual",
    "void",
    "volatile",
    "while",
];

/// LeetCode's C# method name: PascalCase (`twoSum` → `TwoSum`).
pub(crate) fn method_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// A parameter's name, a keyword escaped as a verbatim identifier (`@params`).
fn param_name(name: &str) -> String {
    if KEYWORDS.contains(&name) {
        format!("@{name}")
    } else {
        name.to_string()
    }
}

/// `public int[] TwoSum(int[] nums, int target)`
pub(crate) fn declaration(spec: &FunctionSpec) -> String {
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| format!("{} {}", p.ty.csharp(), param_name(&p.name)))
        .collect();
    format!(
        "public {} {}({})",
        spec.returns.csharp(),
        method_name(&spec.name),
        params.join(", ")
    )
}

/// The starter code: `defs` (the node classes it uses) in a comment, then
/// the class with the method.
pub(crate) fn stub(spec: &FunctionSpec, defs: Vec<String>) -> String {
    let mut out = crate::function::declaration::block_comment(&defs);
    out.push_str(&format!(
        "public class Solution {{\n    {} {{\n        \n    }}\n}}\n",
        declaration(spec)
    ));
    out
}

/// An expression reading a value of `ty`.
fn reader(ty: &Type) -> String {
    match ty {
        Type::Int => "ReadInt()".into(),
        Type::Long => "ReadLong()".into(),
        Type::Double => "ReadDouble()".into(),
        Type::Bool => "ReadBool()".into(),
        Type::String => "ReadString()".into(),
        Type::Char => "ReadChar()".into(),
        Type::ListNode => "ReadListNode()".into(),
        Type::TreeNode => "ReadTreeNode()".into(),
        Type::Array(inner) => format!("ReadArray<{}>(() => {})", inner.csharp(), reader(inner)),
    }
}

/// A statement appending `value` (of `ty`) to the builder `out`; `depth`
/// keeps nested lambdas' parameter names apart (C# forbids shadowing).
fn writer(ty: &Type, out: &str, value: &str, depth: usize) -> String {
    match ty {
        Type::Array(inner) => {
            let (o, x) = (format!("o{depth}"), format!("x{depth}"));
            format!(
                "WriteArray<{}>({out}, {value}, ({o}, {x}) => {})",
                inner.csharp(),
                writer(inner, &o, &x, depth + 1)
            )
        }
        _ => format!("Write({out}, {value})"),
    }
}

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(HEAD);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "        {} a{i} = {};\n",
            p.ty.csharp(),
            reader(&p.ty)
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "        {} result = new Solution().{}({}); // the judge calls: {}\n",
        spec.returns.csharp(),
        method_name(&spec.name),
        args.join(", "),
        declaration(spec)
    ));
    main.push_str("        Console.Out.Flush();\n        StringBuilder o = new StringBuilder();\n");
    main.push_str(&format!(
        "        {};\n",
        writer(&spec.returns, "o", "result", 1)
    ));
    main.push_str(&format!(
        "        byte[] text = Encoding.ASCII.GetBytes(\"\\n{}\\n\" + o + \"\\n\");\n",
        SEPARATOR.replace('\u{1e}', "\\u001e")
    ));
    main.push_str(
        "        using (Stream stdout = Console.OpenStandardOutput()) stdout.Write(text, 0, text.Length);\n    }\n}\n",
    );
    (
        super::files::harness_files(MAIN, main, USER, format!("{USINGS}{user}")),
        MAIN,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn declarations_are_pascal_case_with_escaped_keywords() {
        let spec = FunctionSpec::of(
            "twoSum",
            &[("nums", "int[]"), ("params", "string[][]"), ("c", "char")],
            "TreeNode",
        );
        assert_eq!(
            declaration(&spec),
            "public TreeNode TwoSum(int[] nums, string[][] @params, char c)"
        );
        assert_eq!(method_name("_f"), "_f");
    }

    #[test]
    fn readers_and_writers_are_generated_per_type() {
        let spec = FunctionSpec::of("transpose", &[("matrix", "int[][]")], "long[][]");
        let (files, entry) = files(&spec, "public class Solution {}\n".into());
        assert_eq!(entry, "Main.cs");
        let main = &files[0].content;
        assert!(
            main.contains(
                "        int[][] a0 = ReadArray<int[]>(() => ReadArray<int>(() => ReadInt()));\n"
            ),
            "{main}"
        );
        assert!(
            main.contains("        long[][] result = new Solution().Transpose(a0); // the judge calls: public long[][] Transpose(int[][] matrix)\n"),
            "{main}"
        );
        assert!(
            main.contains("WriteArray<long[]>(o, result, (o1, x1) => WriteArray<long>(o1, x1, (o2, x2) => Write(o2, x2)));"),
            "{main}"
        );
        // The usings share the user's first line: compiler messages keep its line numbers.
        assert_eq!(files[1].name, "Solution.cs");
        assert_eq!(files[1].content.lines().count(), 1);
        assert!(files[1].content.starts_with("using System; "));
    }
}
