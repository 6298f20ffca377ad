//! C, with LeetCode's conventions: an array parameter is a pointer and its
//! size (`int* nums, int numsSize`; a matrix adds its rows' sizes,
//! `int* matrixColSize`), a returned array's size is written through
//! `int* returnSize` (and a matrix's rows' sizes through
//! `int** returnColumnSizes`), strings are `char*`, lists and trees are
//! `struct ListNode*` / `struct TreeNode*`.
//!
//! `main.c` holds the harness and includes the user's code as
//! `solution.h` after the headers LeetCode's C environment includes and
//! the two structs, so the compiler's messages name the user's lines as
//! they wrote them. The harness then declares the function as the judge
//! calls it: another signature is a "conflicting types" error on that line
//! (which quotes the expected declaration), and a missing function an
//! "undefined reference" from the linker.
//!
//! C has no generics, so the reading and printing code of each parameter
//! and of the result is generated here from the type language. Arrays
//! nested more than twice have no LeetCode convention: their harness is
//! an `#error` that says so.

use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::function::types::Type;
use crate::source::SourceFile;

const USER: &str = "solution.h";
const MAIN: &str = "main.c";

const PRELUDE: &str = r#"/* The judge's harness: reads the arguments, calls the function, prints the result. */
#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
struct ListNode {
    int val;
    struct ListNode *next;
};
struct TreeNode {
    int val;
    struct TreeNode *left;
    struct TreeNode *right;
};
"#;

const HELPERS: &str = r#"static char *judge_tok_buf;
static size_t judge_tok_cap;
static char *judge_tok(void) {
    int c;
    size_t n = 0;
    while ((c = getchar()) != EOF && isspace(c)) {}
    if (c == EOF) { fputs("judge harness: the input ended early\n", stderr); exit(97); }
    do {
        if (n + 1 >= judge_tok_cap) {
            judge_tok_cap = judge_tok_cap ? 2 * judge_tok_cap : 64;
            judge_tok_buf = realloc(judge_tok_buf, judge_tok_cap);
        }
        judge_tok_buf[n++] = (char)c;
    } while ((c = getchar()) != EOF && !isspace(c));
    judge_tok_buf[n] = 0;
    return judge_tok_buf;
}
static void *judge_alloc(long long n, size_t size) { return calloc((size_t)n + 1, size); }
static int judge_rd_int(void) { return (int)strtoll(judge_tok(), NULL, 10); }
static long long judge_rd_long(void) { return strtoll(judge_tok(), NULL, 10); }
static double judge_rd_double(void) { return strtod(judge_tok(), NULL); }
static bool judge_rd_bool(void) { return strcmp(judge_tok(), "1") == 0; }
static char judge_rd_char(void) { return (char)judge_rd_int(); }
static char *judge_rd_string(void) {
    const char *t = judge_tok() + 1;
    size_t n = strlen(t) / 2;
    char *s = judge_alloc((long long)n, 1);
    for (size_t i = 0; i < n; i++) { char h[3] = {t[2 * i], t[2 * i + 1], 0}; s[i] = (char)strtol(h, NULL, 16); }
    return s;
}
static struct ListNode *judge_rd_list(void) {
    long long n = judge_rd_long();
    struct ListNode dummy = {0, NULL}, *tail = &dummy;
    for (long long i = 0; i < n; i++) {
        tail->next = judge_alloc(0, sizeof(struct ListNode));
        tail = tail->next;
        tail->val = judge_rd_int();
    }
    return dummy.next;
}
static struct TreeNode *judge_rd_tree(void) {
    long long n = judge_rd_long();
    struct TreeNode **nodes = judge_alloc(n, sizeof *nodes);
    for (long long i = 0; i < n; i++) {
        const char *t = judge_tok();
        if (strcmp(t, "n") == 0) continue;
        nodes[i] = judge_alloc(0, sizeof(struct TreeNode));
        nodes[i]->val = (int)strtoll(t, NULL, 10);
    }
    long long child = 1;
    for (long long i = 0; i < n && child < n; i++) {
        if (!nodes[i]) continue;
        nodes[i]->left = nodes[child++];
        if (child < n) nodes[i]->right = nodes[child++];
    }
    return n ? nodes[0] : NULL;
}
static char *judge_out;
static size_t judge_out_len, judge_out_cap;
static void judge_put(const char *s, size_t n) {
    if (judge_out_len + n + 1 > judge_out_cap) {
        while (judge_out_len + n + 1 > judge_out_cap) judge_out_cap = judge_out_cap ? 2 * judge_out_cap : 256;
        judge_out = realloc(judge_out, judge_out_cap);
    }
    memcpy(judge_out + judge_out_len, s, n);
    judge_out_len += n;
    judge_out[judge_out_len] = 0;
}
static void judge_puts(const char *s) { judge_put(s, strlen(s)); }
static void judge_w_int(int v) { char b[32]; snprintf(b, sizeof b, "%d", v); judge_puts(b); }
static void judge_w_long(long long v) { char b[32]; snprintf(b, sizeof b, "%lld", v); judge_puts(b); }
static void judge_w_double(double v) { char b[64]; snprintf(b, sizeof b, "%.17g", v); judge_puts(b); }
static void judge_w_bool(bool v) { judge_puts(v ? "true" : "false"); }
static void judge_w_bytes(const char *s, size_t n) {
    judge_put("\"", 1);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') { char b[2] = {'\\', (char)c}; judge_put(b, 2); }
        else if (c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\u%04x", c); judge_puts(b); }
        else judge_put((const char *)&s[i], 1);
    }
    judge_put("\"", 1);
}
static void judge_w_string(const char *s) { if (s) judge_w_bytes(s, strlen(s)); else judge_puts("null"); }
static void judge_w_char(char c) { judge_w_bytes(&c, 1); }
static void judge_w_list(struct ListNode *p) {
    judge_puts("[");
    for (long long n = 0; p && n < 10000000; p = p->next, n++) { if (n) judge_puts(","); judge_w_int(p->val); }
    judge_puts("]");
}
static void judge_w_tree(struct TreeNode *root) {
    size_t cap = 1024, head = 0, tail = 0, printed = 0, kept = 0;
    struct TreeNode **q = malloc(cap * sizeof *q);
    if (root) q[tail++] = root;
    judge_puts("[");
    /* Nulls are printed only when a value follows them (no trailing nulls). */
    size_t pending = 0;
    while (head < tail && printed < 10000000) {
        struct TreeNode *t = q[head++];
        if (!t) { pending++; continue; }
        for (; pending; pending--) { judge_puts(kept++ ? ",null" : "null"); }
        if (kept++) judge_puts(",");
        judge_w_int(t->val);
        printed++;
        if (tail + 2 > cap) {
            memmove(q, q + head, (tail - head) * sizeof *q);
            tail -= head; head = 0;
            if (tail + 2 > cap) { cap *= 2; q = realloc(q, cap * sizeof *q); }
        }
        q[tail++] = t->left;
        q[tail++] = t->right;
    }
    judge_puts("]");
    free(q);
}
"#;

/// The scalar a C harness reads and writes with `judge_rd_*` / `judge_w_*`.
fn scalar(ty: &Type) -> (&'static str, &'static str) {
    match ty {
        Type::Int => ("int", "int"),
        Type::Long => ("long long", "long"),
        Type::Double => ("double", "double"),
        Type::Bool => ("bool", "bool"),
        Type::String => ("char*", "string"),
        Type::Char => ("char", "char"),
        Type::ListNode => ("struct ListNode*", "list"),
        Type::TreeNode => ("struct TreeNode*", "tree"),
        Type::Array(_) => ("", ""),
    }
}

/// How deep arrays nest (`int` 0, `int[][]` 2) and their scalar.
fn depth(ty: &Type) -> (usize, &Type) {
    match ty {
        Type::Array(inner) => {
            let (d, s) = depth(inner);
            (d + 1, s)
        }
        other => (0, other),
    }
}

/// The C type: `int`, `char**`, `struct TreeNode*`.
fn c_type(ty: &Type) -> String {
    let (d, s) = depth(ty);
    format!("{}{}", scalar(s).0, "*".repeat(d))
}

/// A parameter's C parameters: `int* nums, int numsSize`, LeetCode's way.
fn c_params(name: &str, ty: &Type) -> Vec<String> {
    let mut out = vec![format!("{} {name}", c_type(ty))];
    let (d, _) = depth(ty);
    if d >= 1 {
        out.push(format!("int {name}Size"));
    }
    if d >= 2 {
        out.push(format!("int* {name}ColSize"));
    }
    out
}

/// `int* twoSum(int* nums, int numsSize, int target, int* returnSize)`
pub(crate) fn declaration(spec: &FunctionSpec) -> String {
    let mut params: Vec<String> = spec
        .params
        .iter()
        .flat_map(|p| c_params(&p.name, &p.ty))
        .collect();
    let (d, _) = depth(&spec.returns);
    if d >= 1 {
        params.push("int* returnSize".into());
    }
    if d >= 2 {
        params.push("int** returnColumnSizes".into());
    }
    format!(
        "{} {}({})",
        c_type(&spec.returns),
        spec.name,
        params.join(", ")
    )
}

/// The starter code: the structs in a comment when used, and LeetCode's
/// note on returned arrays.
pub(crate) fn stub(spec: &FunctionSpec, defs: Vec<String>) -> String {
    let mut comment = defs;
    match depth(&spec.returns).0 {
        0 => {}
        1 => comment.push(
            " * Note: The returned array must be malloced, assume caller calls free().".into(),
        ),
        _ => comment.extend(
            [
                " * Return an array of arrays of size *returnSize.",
                " * The sizes of the arrays are returned as *returnColumnSizes array.",
                " * Note: Both returned array and *columnSizes array must be malloced, assume caller calls free().",
            ]
            .map(String::from),
        ),
    }
    let mut out = String::new();
    out.push_str(&crate::function::declaration::block_comment(&comment));
    out.push_str(&format!("{} {{\n    \n}}\n", declaration(spec)));
    out
}

/// Reads parameter `i` into `a{i}` (with `a{i}_n`, `a{i}_c` for arrays).
fn read(out: &mut String, i: usize, ty: &Type) {
    let (d, s) = depth(ty);
    let (c, rd) = scalar(s);
    match d {
        0 => out.push_str(&format!("    {c} a{i} = judge_rd_{rd}();\n")),
        1 => out.push_str(&format!(
            "    int a{i}_n = (int)judge_rd_long();\n    {c}* a{i} = judge_alloc(a{i}_n, sizeof *a{i});\n    for (int k = 0; k < a{i}_n; k++) a{i}[k] = judge_rd_{rd}();\n"
        )),
        _ => out.push_str(&format!(
            "    int a{i}_n = (int)judge_rd_long();\n    {c}** a{i} = judge_alloc(a{i}_n, sizeof *a{i});\n    int* a{i}_c = judge_alloc(a{i}_n, sizeof *a{i}_c);\n    for (int k = 0; k < a{i}_n; k++) {{\n        a{i}_c[k] = (int)judge_rd_long();\n        a{i}[k] = judge_alloc(a{i}_c[k], sizeof **a{i});\n        for (int j = 0; j < a{i}_c[k]; j++) a{i}[k][j] = judge_rd_{rd}();\n    }}\n"
        )),
    }
}

/// Writes `result` (sizes in `judge_rs`, `judge_rcs`) into the output.
fn write(out: &mut String, ty: &Type) {
    let (d, s) = depth(ty);
    let w = scalar(s).1;
    match d {
        0 => out.push_str(&format!("    judge_w_{w}(result);\n")),
        1 => out.push_str(&format!(
            "    judge_puts(\"[\");\n    for (int k = 0; k < judge_rs; k++) {{ if (k) judge_puts(\",\"); judge_w_{w}(result[k]); }}\n    judge_puts(\"]\");\n"
        )),
        _ => out.push_str(&format!(
            "    judge_puts(\"[\");\n    for (int k = 0; k < judge_rs; k++) {{\n        if (k) judge_puts(\",\");\n        judge_puts(\"[\");\n        for (int j = 0; j < judge_rcs[k]; j++) {{ if (j) judge_puts(\",\"); judge_w_{w}(result[k][j]); }}\n        judge_puts(\"]\");\n    }}\n    judge_puts(\"]\");\n"
        )),
    }
}

/// The files and the entry (the compiled file named first).
pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(PRELUDE);
    main.push_str(&format!("#include \"{USER}\"\n"));
    let too_deep = spec
        .params
        .iter()
        .map(|p| &p.ty)
        .chain([&spec.returns])
        .any(|t| depth(t).0 > 2);
    if too_deep {
        main.push_str("#error \"the judge's C harness passes arrays nested at most twice (int[][]); this problem has deeper ones\"\n");
    }
    main.push_str(&format!(
        "{}; /* the judge calls: {} */\n",
        declaration(spec),
        declaration(spec)
    ));
    main.push_str(HELPERS);
    main.push_str("int main(void) {\n");
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        read(&mut main, i, &p.ty);
        args.push(format!("a{i}"));
        let d = depth(&p.ty).0;
        if d >= 1 {
            args.push(format!("a{i}_n"));
        }
        if d >= 2 {
            args.push(format!("a{i}_c"));
        }
    }
    let d = depth(&spec.returns).0;
    main.push_str("    int judge_rs = 0;\n    int* judge_rcs = NULL;\n");
    if d >= 1 {
        args.push("&judge_rs".into());
    }
    if d >= 2 {
        args.push("&judge_rcs".into());
    }
    main.push_str(&format!(
        "    {} result = {}({});\n",
        c_type(&spec.returns),
        spec.name,
        args.join(", ")
    ));
    main.push_str("    (void)judge_rcs;\n    fflush(stdout);\n    judge_puts(\"\");\n");
    write(&mut main, &spec.returns);
    main.push_str(&format!(
        "    printf(\"\\n%s\\n%s\\n\", \"{}\", judge_out);\n    return 0;\n}}\n",
        SEPARATOR.replace('\u{1e}', "\\x1e\" \"")
    ));
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(params: &[(&str, &str)], returns: &str) -> FunctionSpec {
        FunctionSpec::of("f", params, returns)
    }

    #[test]
    fn declarations_follow_leetcodes_c_conventions() {
        let two_sum = spec(&[("nums", "int[]"), ("target", "int")], "int[]");
        assert_eq!(
            declaration(&two_sum),
            "int* f(int* nums, int numsSize, int target, int* returnSize)"
        );
        let transpose = spec(&[("matrix", "int[][]")], "int[][]");
        assert_eq!(
            declaration(&transpose),
            "int** f(int** matrix, int matrixSize, int* matrixColSize, int* returnSize, int** returnColumnSizes)"
        );
        let words = spec(
            &[("words", "string[]"), ("c", "char"), ("b", "bool")],
            "string",
        );
        assert_eq!(
            declaration(&words),
            "char* f(char** words, int wordsSize, char c, bool b)"
        );
        let tree = spec(&[("root", "TreeNode"), ("n", "long")], "ListNode");
        assert_eq!(
            declaration(&tree),
            "struct ListNode* f(struct TreeNode* root, long long n)"
        );
    }

    #[test]
    fn the_harness_declares_the_call_and_refuses_deep_arrays() {
        let two_sum = spec(&[("nums", "int[]"), ("target", "int")], "int[]");
        let (files, entry) = files(&two_sum, "int* f() { return 0; }".into());
        assert_eq!(entry, MAIN);
        let main = &files[0].content;
        let include = main.find("#include \"solution.h\"").unwrap();
        let declared = main.find(&format!("{};", declaration(&two_sum))).unwrap();
        assert!(include < declared, "{main}");
        assert!(main.contains("f(a0, a0_n, a1, &judge_rs)"), "{main}");
        assert!(!main.contains("#error"));
        assert_eq!(files[1].name, USER);
        let deep = spec(&[("cube", "int[][][]")], "int");
        let (deep_files, _) = super::files(&deep, String::new());
        assert!(deep_files[0]
            .content
            .contains("#error \"the judge's C harness passes arrays nested at most twice"));
    }
}
