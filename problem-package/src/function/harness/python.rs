//! Python: `main.py` runs the user's `solution.py` in a namespace that has
//! what LeetCode gives every solution (`typing`'s names, `ListNode`,
//! `TreeNode`, the usual modules), so `List[int]` works without an import
//! and tracebacks name `solution.py` and its lines.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

pub(super) const MAIN: &str = "main.py";
const USER: &str = "solution.py";

const HARNESS: &str = r#"# The judge's harness: reads the arguments, calls Solution's method, prints the result.
import sys, json
from typing import *
import collections, heapq, math, bisect, itertools, functools, re, string, random, operator
from collections import *
from functools import *
from itertools import *
from heapq import *
from bisect import *


class ListNode:
    def __init__(self, val=0, next=None):
        self.val = val
        self.next = next


class TreeNode:
    def __init__(self, val=0, left=None, right=None):
        self.val = val
        self.left = left
        self.right = right


def _judge_load():
    namespace = dict(globals())
    namespace["__name__"] = "solution"
    with open("solution.py", encoding="utf-8") as f:
        source = f.read()
    exec(compile(source, "solution.py", "exec"), namespace)
    solution = namespace.get("Solution")
    if not isinstance(solution, type) or not callable(getattr(solution, NAME, None)):
        sys.stderr.write("solution.py: " + EXPECTED + "\n")
        sys.exit(1)
    return solution


def _judge_read(tokens, t):
    if t.endswith("[]"):
        return [_judge_read(tokens, t[:-2]) for _ in range(int(next(tokens)))]
    if t in ("int", "long"):
        return int(next(tokens))
    if t == "double":
        return float(next(tokens))
    if t == "bool":
        return next(tokens) == "1"
    if t == "char":
        return chr(int(next(tokens)))
    if t == "string":
        return bytes.fromhex(next(tokens)[1:]).decode("utf-8")
    if t == "ListNode":
        head = tail = ListNode()
        for _ in range(int(next(tokens))):
            tail.next = ListNode(int(next(tokens)))
            tail = tail.next
        return head.next
    if t == "TreeNode":
        values = [next(tokens) for _ in range(int(next(tokens)))]
        nodes = [None if v == "n" else TreeNode(int(v)) for v in values]
        child = 1
        for node in nodes:
            if child >= len(nodes):
                break
            if node is None:
                continue
            node.left = nodes[child]
            child += 1
            if child < len(nodes):
                node.right = nodes[child]
                child += 1
        return nodes[0] if nodes else None
    raise ValueError(t)


def _judge_plain(t, v):
    if t.endswith("[]") and isinstance(v, (list, tuple)):
        return [_judge_plain(t[:-2], x) for x in v]
    if t == "ListNode" and (v is None or isinstance(v, ListNode)):
        out = []
        while v is not None and len(out) < 10000000:
            out.append(v.val)
            v = v.next
        return out
    if t == "TreeNode" and (v is None or isinstance(v, TreeNode)):
        out, queue, i = [], [v] if v is not None else [], 0
        while i < len(queue):
            node = queue[i]
            i += 1
            if node is None:
                out.append(None)
                continue
            out.append(node.val)
            queue.append(node.left)
            queue.append(node.right)
        while out and out[-1] is None:
            out.pop()
        return out
    return v


def _judge_main():
    sys.setrecursionlimit(1000000)
    solution = _judge_load()
    if len(sys.argv) > 1 and sys.argv[1] == "--check":
        return
    tokens = iter(sys.stdin.read().split())
    args = [_judge_read(tokens, t) for t in PARAMS]
    result = getattr(solution(), NAME)(*args)
    try:
        text = json.dumps(_judge_plain(RETURNS, result), separators=(",", ":"), ensure_ascii=False)
    except (TypeError, ValueError):
        text = "(not a JSON value: " + type(result).__name__ + ")"
    sys.stdout.flush()
    sys.stdout.write("\n" + SEPARATOR + "\n" + text + "\n")
    sys.stdout.flush()


"#;

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| quote(&p.ty.to_string()))
        .collect();
    let mut main = String::from(HARNESS);
    main.push_str(&format!("NAME = {}\n", quote(&spec.name)));
    main.push_str(&format!("PARAMS = [{}]\n", params.join(", ")));
    main.push_str(&format!("RETURNS = {}\n", quote(&spec.returns.to_string())));
    main.push_str(&format!(
        "EXPECTED = {}\n",
        quote(&format!(
            "the judge calls Solution().{}(...): define class Solution with `{}`",
            spec.name,
            crate::function::declaration::python_declaration(spec)
        ))
    ));
    main.push_str(&format!(
        "SEPARATOR = \"{}\"\n",
        SEPARATOR.replace('\u{1e}', "\\x1e")
    ));
    main.push_str("_judge_main()\n");
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}
