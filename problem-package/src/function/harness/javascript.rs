//! JavaScript: `main.js` runs the user's `solution.js` as a script in the
//! global context (so `var twoSum = function ...` is found as LeetCode
//! finds it, and errors name `solution.js`), with `ListNode` and
//! `TreeNode` defined.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

pub(super) const MAIN: &str = "main.js";
const USER: &str = "solution.js";

const HARNESS: &str = r#"// The judge's harness: reads the arguments, calls the function, prints the result.
"use strict";
const fs = require("fs");
const vm = require("vm");
const path = require("path");

globalThis.ListNode = function ListNode(val, next) {
    this.val = val === undefined ? 0 : val;
    this.next = next === undefined ? null : next;
};
globalThis.TreeNode = function TreeNode(val, left, right) {
    this.val = val === undefined ? 0 : val;
    this.left = left === undefined ? null : left;
    this.right = right === undefined ? null : right;
};

function load() {
    const source = fs.readFileSync(path.join(__dirname, "solution.js"), "utf8");
    vm.runInThisContext(source, { filename: "solution.js" });
    const fn = vm.runInThisContext(`typeof ${NAME} === "function" ? ${NAME} : undefined`);
    if (typeof fn !== "function") {
        process.stderr.write("solution.js: " + EXPECTED + "\n");
        process.exit(1);
    }
    return fn;
}

function read(tokens, t) {
    if (t.endsWith("[]")) {
        const n = Number(tokens.next());
        const out = [];
        for (let i = 0; i < n; i++) out.push(read(tokens, t.slice(0, -2)));
        return out;
    }
    switch (t) {
        case "int": case "long": case "double": return Number(tokens.next());
        case "bool": return tokens.next() === "1";
        case "char": return String.fromCharCode(Number(tokens.next()));
        case "string": return Buffer.from(tokens.next().slice(1), "hex").toString("utf8");
        case "ListNode": {
            const n = Number(tokens.next());
            const dummy = new ListNode();
            let tail = dummy;
            for (let i = 0; i < n; i++) { tail.next = new ListNode(Number(tokens.next())); tail = tail.next; }
            return dummy.next;
        }
        default: {
            const n = Number(tokens.next());
            const nodes = [];
            for (let i = 0; i < n; i++) { const v = tokens.next(); nodes.push(v === "n" ? null : new TreeNode(Number(v))); }
            let child = 1;
            for (let i = 0; i < n && child < n; i++) {
                if (nodes[i] === null) continue;
                nodes[i].left = nodes[child++];
                if (child < n) nodes[i].right = nodes[child++];
            }
            return n === 0 ? null : nodes[0];
        }
    }
}

function plain(t, v) {
    if (t.endsWith("[]") && Array.isArray(v)) return v.map((x) => plain(t.slice(0, -2), x));
    if (t === "ListNode" && (v === null || v instanceof ListNode)) {
        const out = [];
        for (let p = v; p !== null && p !== undefined && out.length < 10000000; p = p.next) out.push(p.val);
        return out;
    }
    if (t === "TreeNode" && (v === null || v instanceof TreeNode)) {
        const out = [];
        const queue = v === null ? [] : [v];
        for (let i = 0; i < queue.length && out.length < 10000000; i++) {
            const node = queue[i];
            if (node === null || node === undefined) { out.push(null); continue; }
            out.push(node.val);
            queue.push(node.left, node.right);
        }
        while (out.length > 0 && out[out.length - 1] === null) out.pop();
        return out;
    }
    return v;
}

function main() {
    const fn = load();
    if (process.argv[2] === "--check") return;
    const words = fs.readFileSync(0, "utf8").split(/\s+/).filter((w) => w.length > 0);
    let at = 0;
    const tokens = { next: () => words[at++] };
    const args = PARAMS.map((t) => read(tokens, t));
    const result = fn(...args);
    let text = JSON.stringify(plain(RETURNS, result));
    if (text === undefined) text = "(not a JSON value: " + typeof result + ")";
    process.stdout.write("\n" + SEPARATOR + "\n" + text + "\n");
}

"#;

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| quote(&p.ty.to_string()))
        .collect();
    let mut main = String::from(HARNESS);
    main.push_str(&format!("const NAME = {};\n", quote(&spec.name)));
    main.push_str(&format!("const PARAMS = [{}];\n", params.join(", ")));
    main.push_str(&format!(
        "const RETURNS = {};\n",
        quote(&spec.returns.to_string())
    ));
    main.push_str(&format!(
        "const EXPECTED = {};\n",
        quote(&format!(
            "the judge calls {}(...): define `{}`",
            spec.name,
            crate::function::declaration::javascript_declaration(spec)
        ))
    ));
    main.push_str(&format!(
        "const SEPARATOR = \"{}\";\nmain();\n",
        SEPARATOR.replace('\u{1e}', "\\u001e")
    ));
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}
