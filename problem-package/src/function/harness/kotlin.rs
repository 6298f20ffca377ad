//! Kotlin: the user's `class Solution` goes in `Solution.kt` (with
//! `import kotlin.math.*; ` put before its first line when it has no
//! package clause, so its line numbers stay as written); `JudgeHarness.kt`
//! defines `ListNode` and `TreeNode` as LeetCode's Kotlin does and holds
//! the top-level `main`, whose call fails to compile when the method is
//! missing or has another signature.

use crate::function::declaration::kotlin_declaration;
use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

const MAIN: &str = "JudgeHarness.kt";
const USER: &str = "Solution.kt";

const HARNESS: &str = r#"// The judge's harness: reads the arguments, calls Solution's method, prints the result.
class ListNode(var `val`: Int) {
    var next: ListNode? = null
}

class TreeNode(var `val`: Int) {
    var left: TreeNode? = null
    var right: TreeNode? = null
}

private var judgeTokens: List<String> = emptyList()
private var judgeAt = 0

private fun judgeNext(): String {
    if (judgeAt >= judgeTokens.size) {
        System.err.println("judge harness: the input ended early")
        kotlin.system.exitProcess(97)
    }
    return judgeTokens[judgeAt++]
}

private fun judgeInt(): Int = judgeNext().toLong().toInt()

private fun judgeStr(): String {
    val h = judgeNext().substring(1)
    val b = ByteArray(h.length / 2) { h.substring(2 * it, 2 * it + 2).toInt(16).toByte() }
    return String(b, Charsets.UTF_8)
}

private fun judgeList(): ListNode? {
    val n = judgeInt()
    val dummy = ListNode(0)
    var tail = dummy
    repeat(n) {
        val node = ListNode(judgeInt())
        tail.next = node
        tail = node
    }
    return dummy.next
}

private fun judgeTree(): TreeNode? {
    val n = judgeInt()
    val nodes = Array<TreeNode?>(n) {
        val v = judgeNext()
        if (v == "n") null else TreeNode(v.toInt())
    }
    var child = 1
    for (i in 0 until n) {
        if (child >= n) break
        val node = nodes[i] ?: continue
        node.left = nodes[child++]
        if (child < n) node.right = nodes[child++]
    }
    return if (n == 0) null else nodes[0]
}

private fun judgeString(b: StringBuilder, s: String) {
    b.append('"')
    for (c in s) {
        when {
            c == '"' || c == '\\' -> b.append('\\').append(c)
            c.code < 0x20 -> b.append(String.format("\\u%04x", c.code))
            else -> b.append(c)
        }
    }
    b.append('"')
}

private fun judgeSeq(b: StringBuilder, items: List<Any?>) {
    b.append('[')
    items.forEachIndexed { i, x ->
        if (i > 0) b.append(',')
        judgeWrite(b, x)
    }
    b.append(']')
}

private fun judgeWrite(b: StringBuilder, v: Any?) {
    when (v) {
        null -> b.append("[]")
        is Int, is Long, is Double, is Boolean -> b.append(v.toString())
        is Char -> judgeString(b, v.toString())
        is String -> judgeString(b, v)
        is IntArray -> judgeSeq(b, v.toList())
        is LongArray -> judgeSeq(b, v.toList())
        is DoubleArray -> judgeSeq(b, v.toList())
        is BooleanArray -> judgeSeq(b, v.toList())
        is CharArray -> judgeSeq(b, v.toList())
        is Array<*> -> judgeSeq(b, v.toList())
        is Iterable<*> -> judgeSeq(b, v.toList())
        is ListNode -> {
            val out = ArrayList<Any?>()
            var p: ListNode? = v
            while (p != null && out.size < 10000000) {
                out.add(p.`val`)
                p = p.next
            }
            judgeSeq(b, out)
        }
        is TreeNode -> {
            val out = ArrayList<String>()
            val queue = ArrayList<TreeNode?>()
            queue.add(v)
            var i = 0
            while (i < queue.size && out.size < 10000000) {
                val node = queue[i++]
                if (node == null) {
                    out.add("null")
                    continue
                }
                out.add(node.`val`.toString())
                queue.add(node.left)
                queue.add(node.right)
            }
            while (out.isNotEmpty() && out.last() == "null") out.removeAt(out.size - 1)
            b.append('[').append(out.joinToString(",")).append(']')
        }
        else -> b.append("(not a JSON value)")
    }
}

fun main() {
    judgeTokens = String(System.`in`.readBytes(), Charsets.UTF_8).split(Regex("\\s+")).filter { it.isNotEmpty() }
"#;

/// The expression that reads a value of `ty`.
fn read(ty: &Type) -> String {
    match ty {
        Type::Int => "judgeInt()".into(),
        Type::Long => "judgeNext().toLong()".into(),
        Type::Double => "judgeNext().toDouble()".into(),
        Type::Bool => "(judgeNext() == \"1\")".into(),
        Type::Char => "judgeInt().toChar()".into(),
        Type::String => "judgeStr()".into(),
        Type::ListNode => "judgeList()".into(),
        Type::TreeNode => "judgeTree()".into(),
        Type::Array(inner) => {
            let array = match **inner {
                Type::Int => "IntArray",
                Type::Long => "LongArray",
                Type::Double => "DoubleArray",
                Type::Bool => "BooleanArray",
                Type::Char => "CharArray",
                _ => "Array",
            };
            format!("{array}(judgeInt()) {{ {} }}", read(inner))
        }
    }
}

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(HARNESS);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "    val a{i}: {} = {}\n",
            p.ty.kotlin(),
            read(&p.ty)
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "    val result: {} = Solution().{}({}) // the judge calls: {}\n",
        spec.returns.kotlin(),
        spec.name,
        args.join(", "),
        kotlin_declaration(spec)
    ));
    main.push_str(
        "    System.out.flush()\n    val b = StringBuilder()\n    judgeWrite(b, result)\n",
    );
    main.push_str(&format!(
        "    print(\"\\n{}\\n\" + b + \"\\n\")\n    System.out.flush()\n}}\n",
        SEPARATOR.replace('\u{1e}', "\\u001e")
    ));
    let user = if user.trim_start().starts_with("package ") {
        user
    } else {
        format!("import kotlin.math.*; {user}")
    };
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}
