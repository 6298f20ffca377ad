//! Java: the user's class goes in `Solution.java` with the imports LeetCode
//! gives every solution put on its first line (so its line numbers stay as
//! written); `JudgeHarness.java` defines `ListNode` and `TreeNode` and
//! holds `main`. A missing method or a wrong signature fails to compile on
//! the harness's call, whose line says what the judge expected.

use crate::function::declaration::java_declaration;
use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

const MAIN: &str = "JudgeHarness.java";
const CLASS: &str = "JudgeHarness";
const USER: &str = "Solution.java";
/// On the user's first line: no line moves.
const IMPORTS: &str = "import java.util.*; import java.util.function.*; import java.util.stream.*; import java.math.*; ";

// `main` comes first in its class: the judge finds the class with `main`
// by scanning the source, which the helpers' char literals would confuse.
const HEAD: &str = r#"// The judge's harness: reads the arguments, calls Solution's method, prints the result.
import java.io.*;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;

class ListNode {
    int val;
    ListNode next;
    ListNode() {}
    ListNode(int val) { this.val = val; }
    ListNode(int val, ListNode next) { this.val = val; this.next = next; }
}

class TreeNode {
    int val;
    TreeNode left;
    TreeNode right;
    TreeNode() {}
    TreeNode(int val) { this.val = val; }
    TreeNode(int val, TreeNode left, TreeNode right) { this.val = val; this.left = left; this.right = right; }
}

public class JudgeHarness {
    public static void main(String[] args) throws IOException {
        tokens = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).trim().split("\\s+");
        if (tokens.length == 1 && tokens[0].isEmpty()) tokens = new String[0];
"#;

const HELPERS: &str = r#"    private static String[] tokens;
    private static int at;

    private static String next() {
        if (at >= tokens.length) { System.err.println("judge harness: the input ended early"); System.exit(97); }
        return tokens[at++];
    }

    private static Class<?> type(String t) {
        if (t.endsWith("[]")) return type(t.substring(0, t.length() - 2)).arrayType();
        switch (t) {
            case "int": return int.class;
            case "long": return long.class;
            case "double": return double.class;
            case "bool": return boolean.class;
            case "char": return char.class;
            case "string": return String.class;
            case "ListNode": return ListNode.class;
            default: return TreeNode.class;
        }
    }

    private static Object read(String t) {
        if (t.endsWith("[]")) {
            String inner = t.substring(0, t.length() - 2);
            int n = Integer.parseInt(next());
            Object a = Array.newInstance(type(inner), n);
            for (int i = 0; i < n; i++) Array.set(a, i, read(inner));
            return a;
        }
        switch (t) {
            case "int": return Integer.parseInt(next());
            case "long": return Long.parseLong(next());
            case "double": return Double.parseDouble(next());
            case "bool": return next().equals("1");
            case "char": return (char) Integer.parseInt(next());
            case "string": {
                String h = next();
                byte[] b = new byte[(h.length() - 1) / 2];
                for (int i = 0; i < b.length; i++) b[i] = (byte) Integer.parseInt(h.substring(1 + 2 * i, 3 + 2 * i), 16);
                return new String(b, StandardCharsets.UTF_8);
            }
            case "ListNode": {
                int n = Integer.parseInt(next());
                ListNode dummy = new ListNode(), tail = dummy;
                for (int i = 0; i < n; i++) { tail.next = new ListNode(Integer.parseInt(next())); tail = tail.next; }
                return dummy.next;
            }
            default: {
                int n = Integer.parseInt(next());
                TreeNode[] nodes = new TreeNode[n];
                for (int i = 0; i < n; i++) { String v = next(); nodes[i] = v.equals("n") ? null : new TreeNode(Integer.parseInt(v)); }
                int child = 1;
                for (int i = 0; i < n && child < n; i++) {
                    if (nodes[i] == null) continue;
                    nodes[i].left = nodes[child++];
                    if (child < n) nodes[i].right = nodes[child++];
                }
                return n == 0 ? null : nodes[0];
            }
        }
    }

    private static void string(StringBuilder o, String s) {
        o.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') o.append('\\').append(c);
            else if (c < 0x20) o.append(String.format("\\u%04x", (int) c));
            else o.append(c);
        }
        o.append('"');
    }

    private static void write(StringBuilder o, String t, Object v) {
        if (t.endsWith("[]")) {
            if (v == null) { o.append("null"); return; }
            String inner = t.substring(0, t.length() - 2);
            o.append('[');
            for (int i = 0; i < Array.getLength(v); i++) { if (i > 0) o.append(','); write(o, inner, Array.get(v, i)); }
            o.append(']');
        } else if (t.equals("string")) {
            if (v == null) o.append("null"); else string(o, (String) v);
        } else if (t.equals("char")) {
            string(o, String.valueOf((char) (Character) v));
        } else if (t.equals("ListNode")) {
            o.append('[');
            ListNode p = (ListNode) v;
            for (int n = 0; p != null && n < 10000000; p = p.next, n++) { if (n > 0) o.append(','); o.append(p.val); }
            o.append(']');
        } else if (t.equals("TreeNode")) {
            java.util.ArrayList<String> out = new java.util.ArrayList<>();
            java.util.ArrayDeque<Object> q = new java.util.ArrayDeque<>();
            if (v != null) q.add(v);
            while (!q.isEmpty() && out.size() < 10000000) {
                Object x = q.poll();
                if (x == Boolean.FALSE) { out.add("null"); continue; }
                TreeNode n = (TreeNode) x;
                out.add(String.valueOf(n.val));
                q.add(n.left == null ? Boolean.FALSE : n.left);
                q.add(n.right == null ? Boolean.FALSE : n.right);
            }
            while (!out.isEmpty() && out.get(out.size() - 1).equals("null")) out.remove(out.size() - 1);
            o.append('[').append(String.join(",", out)).append(']');
        } else {
            o.append(v);
        }
    }

}
"#;

/// The boxed type a value read as `Object` is cast to.
fn cast(ty: &Type) -> String {
    match ty {
        Type::Int => "Integer".into(),
        Type::Long => "Long".into(),
        Type::Double => "Double".into(),
        Type::Bool => "Boolean".into(),
        Type::Char => "Character".into(),
        other => other.java(),
    }
}

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(HEAD);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "        {} a{i} = ({}) read(\"{}\");\n",
            p.ty.java(),
            cast(&p.ty),
            p.ty
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "        {} result = new Solution().{}({}); // the judge calls: {}\n",
        spec.returns.java(),
        spec.name,
        args.join(", "),
        java_declaration(spec)
    ));
    main.push_str(&format!(
        "        System.out.flush();\n        StringBuilder o = new StringBuilder();\n        write(o, \"{}\", result);\n",
        spec.returns
    ));
    main.push_str(&format!(
        "        System.out.print(\"\\n{}\\n\" + o + \"\\n\");\n        System.out.flush();\n    }}\n\n",
        SEPARATOR.replace('\u{1e}', "\\u001e")
    ));
    main.push_str(HELPERS);
    (
        super::files::harness_files(MAIN, main, USER, format!("{IMPORTS}{user}")),
        CLASS,
    )
}
