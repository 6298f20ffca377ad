//! TypeScript: `main.ts` and the user's `solution.ts` are both scripts
//! (no `import`/`export`), so tsc type-checks them as one program: the
//! harness's call, its arguments and result typed as LeetCode declares
//! them, is a type error when the function is missing or its signature
//! differs (tsc's message names `main.ts`'s line, which says what the
//! judge calls). At run time `main.js` defines `ListNode` and `TreeNode`
//! globally and runs the compiled `solution.js` in the global context, as
//! the JavaScript harness does, so a `function` or a `var` is found.
//!
//! The harness's own names are local to one function: only `ListNode`,
//! `TreeNode` and `judgeHarness` are global beside the user's.

use crate::function::declaration::typescript_declaration;
use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

pub(super) const MAIN: &str = "main.ts";
const USER: &str = "solution.ts";

const HEAD: &str = r#"// The judge's harness: reads the arguments, calls the function, prints the result.
class ListNode {
    val: number
    next: ListNode | null
    constructor(val?: number, next?: ListNode | null) {
        this.val = (val === undefined ? 0 : val)
        this.next = (next === undefined ? null : next)
    }
}

class TreeNode {
    val: number
    left: TreeNode | null
    right: TreeNode | null
    constructor(val?: number, left?: TreeNode | null, right?: TreeNode | null) {
        this.val = (val === undefined ? 0 : val)
        this.left = (left === undefined ? null : left)
        this.right = (right === undefined ? null : right)
    }
}

function judgeHarness(): void {
    const judgeFs = require("fs");
    const judgeVm = require("vm");
    const judgePath = require("path");
    (globalThis as any).ListNode = ListNode;
    (globalThis as any).TreeNode = TreeNode;
    const judgeSource: string = judgeFs.readFileSync(judgePath.join(__dirname, "solution.js"), "utf8");
    judgeVm.runInThisContext(judgeSource, { filename: "solution.js" });

    const judgeWords: string[] = judgeFs.readFileSync(0, "utf8").split(/\s+/).filter((w: string) => w.length > 0);
    let judgeAt = 0;
    const judgeNext = (): string => {
        if (judgeAt >= judgeWords.length) {
            process.stderr.write("judge harness: the input ended early\n");
            process.exit(97);
        }
        return judgeWords[judgeAt++];
    };
    const judgeRead = (t: string): any => {
        if (t.endsWith("[]")) {
            const n = Number(judgeNext());
            const out: any[] = [];
            for (let i = 0; i < n; i++) out.push(judgeRead(t.slice(0, -2)));
            return out;
        }
        switch (t) {
            case "int": case "long": case "double": return Number(judgeNext());
            case "bool": return judgeNext() === "1";
            case "char": return String.fromCharCode(Number(judgeNext()));
            case "string": return Buffer.from(judgeNext().slice(1), "hex").toString("utf8");
            case "ListNode": {
                const n = Number(judgeNext());
                const dummy = new ListNode();
                let tail = dummy;
                for (let i = 0; i < n; i++) { tail.next = new ListNode(Number(judgeNext())); tail = tail.next; }
                return dummy.next;
            }
            default: {
                const n = Number(judgeNext());
                const nodes: (TreeNode | null)[] = [];
                for (let i = 0; i < n; i++) { const v = judgeNext(); nodes.push(v === "n" ? null : new TreeNode(Number(v))); }
                let child = 1;
                for (let i = 0; i < n && child < n; i++) {
                    const node = nodes[i];
                    if (node === null) continue;
                    node.left = nodes[child++];
                    if (child < n) node.right = nodes[child++];
                }
                return n === 0 ? null : nodes[0];
            }
        }
    };
    const judgePlain = (t: string, v: any): any => {
        if (t.endsWith("[]") && Array.isArray(v)) return v.map((x) => judgePlain(t.slice(0, -2), x));
        if (t === "ListNode" && (v === null || v instanceof ListNode)) {
            const out: number[] = [];
            for (let p = v; p !== null && p !== undefined && out.length < 10000000; p = p.next) out.push(p.val);
            return out;
        }
        if (t === "TreeNode" && (v === null || v instanceof TreeNode)) {
            const out: (number | null)[] = [];
            const queue: any[] = v === null ? [] : [v];
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
    };
"#;

pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let quote = |s: &str| serde_json::Value::from(s).to_string();
    let mut main = String::from(HEAD);
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!(
            "    const a{i}: {} = judgeRead({});\n",
            p.ty.typescript(),
            quote(&p.ty.to_string())
        ));
        args.push(format!("a{i}"));
    }
    main.push_str(&format!(
        "    const result: {} = {}({}); // the judge calls: {}\n",
        spec.returns.typescript(),
        spec.name,
        args.join(", "),
        typescript_declaration(spec)
    ));
    main.push_str(&format!(
        "    let text: string | undefined = JSON.stringify(judgePlain({}, result));\n",
        quote(&spec.returns.to_string())
    ));
    main.push_str(
        "    if (text === undefined) text = \"(not a JSON value: \" + typeof result + \")\";\n",
    );
    main.push_str(&format!(
        "    process.stdout.write(\"\\n{}\\n\" + text + \"\\n\");\n}}\n\njudgeHarness();\n",
        SEPARATOR.replace('\u{1e}', "\\u001e")
    ));
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_harness_calls_the_function_at_leetcodes_types() {
        let spec = FunctionSpec::of(
            "reverseList",
            &[("head", "ListNode"), ("k", "long[][]")],
            "ListNode",
        );
        let (files, entry) = files(&spec, "function reverseList() {}\n".into());
        assert_eq!(entry, "main.ts");
        let names: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["main.ts", "solution.ts"]);
        let main = &files[0].content;
        assert!(
            main.contains("    const a0: ListNode | null = judgeRead(\"ListNode\");\n    const a1: number[][] = judgeRead(\"long[][]\");\n"),
            "{main}"
        );
        assert!(
            main.contains("    const result: ListNode | null = reverseList(a0, a1); // the judge calls: function reverseList(head: ListNode | null, k: number[][]): ListNode | null\n"),
            "{main}"
        );
        // A script: an `export` would hide the user's function from the check.
        assert!(
            !main.contains("export") && !main.contains("import "),
            "{main}"
        );
        assert!(
            main.contains("\\u001ejudge-function-result\\u001e"),
            "{main}"
        );
        assert_eq!(files[1].content, "function reverseList() {}\n");
    }
}
