//! C++: `main.cpp` holds the harness and includes the user's code as
//! `solution.hpp` after the prelude LeetCode gives every solution
//! (`<bits/stdc++.h>`, `using namespace std`, `ListNode`, `TreeNode`), so
//! the compiler's messages name the user's lines as they wrote them.

use crate::function::declaration::cpp_declaration;
use crate::function::output::SEPARATOR;
use crate::function::spec::FunctionSpec;
use crate::source::SourceFile;

const USER: &str = "solution.hpp";
const MAIN: &str = "main.cpp";

const PRELUDE: &str = r#"// The judge's harness: reads the arguments, calls Solution's method, prints the result.
#include <bits/stdc++.h>
using namespace std;
struct ListNode {
    int val;
    ListNode *next;
    ListNode() : val(0), next(nullptr) {}
    ListNode(int x) : val(x), next(nullptr) {}
    ListNode(int x, ListNode *next) : val(x), next(next) {}
};
struct TreeNode {
    int val;
    TreeNode *left;
    TreeNode *right;
    TreeNode() : val(0), left(nullptr), right(nullptr) {}
    TreeNode(int x) : val(x), left(nullptr), right(nullptr) {}
    TreeNode(int x, TreeNode *left, TreeNode *right) : val(x), left(left), right(right) {}
};
namespace judge_harness {
static string tok() {
    string s;
    if (!(cin >> s)) { fputs("judge harness: the input ended early\n", stderr); exit(97); }
    return s;
}
static void rd(int& v) { v = (int)stoll(tok()); }
static void rd(long long& v) { v = stoll(tok()); }
static void rd(double& v) { v = strtod(tok().c_str(), nullptr); }
static void rd(bool& v) { v = tok() == "1"; }
static void rd(char& v) { v = (char)stoi(tok()); }
static void rd(string& v) {
    string t = tok();
    v.clear();
    for (size_t i = 1; i + 1 < t.size(); i += 2) v.push_back((char)stoi(t.substr(i, 2), nullptr, 16));
}
template <class T> static void rd(vector<T>& v) {
    long long n; rd(n);
    v.clear();
    for (long long i = 0; i < n; i++) { T x; rd(x); v.push_back(x); }
}
static void rd(ListNode*& head) {
    long long n; rd(n);
    ListNode dummy; ListNode* tail = &dummy;
    for (long long i = 0; i < n; i++) { int x; rd(x); tail->next = new ListNode(x); tail = tail->next; }
    head = dummy.next;
}
static void rd(TreeNode*& root) {
    long long n; rd(n);
    vector<TreeNode*> nodes;
    for (long long i = 0; i < n; i++) { string t = tok(); nodes.push_back(t == "n" ? nullptr : new TreeNode((int)stoll(t))); }
    root = nodes.empty() ? nullptr : nodes[0];
    size_t child = 1;
    for (size_t i = 0; i < nodes.size() && child < nodes.size(); i++) {
        if (!nodes[i]) continue;
        nodes[i]->left = nodes[child++];
        if (child < nodes.size()) nodes[i]->right = nodes[child++];
    }
}
}  // namespace judge_harness
"#;

const WRITERS: &str = r#"namespace judge_harness {
static void w(string& o, int v) { o += to_string(v); }
static void w(string& o, long long v) { o += to_string(v); }
static void w(string& o, double v) { char b[64]; snprintf(b, sizeof b, "%.17g", v); o += b; }
static void w(string& o, bool v) { o += v ? "true" : "false"; }
static void w(string& o, const string& v) {
    o += '"';
    for (unsigned char c : v) {
        if (c == '"' || c == '\\') { o += '\\'; o += (char)c; }
        else if (c < 0x20) { char b[8]; snprintf(b, sizeof b, "\\u%04x", c); o += b; }
        else o += (char)c;
    }
    o += '"';
}
static void w(string& o, char v) { w(o, string(1, v)); }
template <class T> static void w(string& o, const vector<T>& v) {
    o += '[';
    for (size_t i = 0; i < v.size(); i++) { if (i) o += ','; T x = v[i]; w(o, x); }
    o += ']';
}
static void w(string& o, ListNode* p) {
    o += '[';
    for (long long n = 0; p && n < 10000000; p = p->next, n++) { if (n) o += ','; o += to_string(p->val); }
    o += ']';
}
static void w(string& o, TreeNode* root) {
    vector<string> out;
    deque<TreeNode*> q;
    if (root) q.push_back(root);
    while (!q.empty() && out.size() < 10000000) {
        TreeNode* t = q.front(); q.pop_front();
        if (!t) { out.push_back("null"); continue; }
        out.push_back(to_string(t->val));
        q.push_back(t->left); q.push_back(t->right);
    }
    while (!out.empty() && out.back() == "null") out.pop_back();
    o += '[';
    for (size_t i = 0; i < out.size(); i++) { if (i) o += ','; o += out[i]; }
    o += ']';
}
}  // namespace judge_harness
"#;

/// The files and the entry (the compiled file named first).
pub(super) fn files(spec: &FunctionSpec, user: String) -> (Vec<SourceFile>, &'static str) {
    let mut main = String::from(PRELUDE);
    main.push_str(&format!("#include \"{USER}\"\n"));
    main.push_str(WRITERS);
    main.push_str("int main() {\n    using namespace judge_harness;\n");
    let mut args = Vec::new();
    for (i, p) in spec.params.iter().enumerate() {
        main.push_str(&format!("    {} a{i}{{}}; rd(a{i});\n", p.ty.cpp()));
        args.push(format!("a{i}"));
    }
    main.push_str("    Solution solution;\n");
    main.push_str(&format!(
        "    {} result = solution.{}({}); // the judge calls: {}\n",
        spec.returns.cpp(),
        spec.name,
        args.join(", "),
        cpp_declaration(spec)
    ));
    main.push_str("    cout.flush(); fflush(stdout);\n    string o; w(o, result);\n");
    main.push_str(&format!(
        "    printf(\"\\n%s\\n%s\\n\", \"{}\", o.c_str());\n    return 0;\n}}\n",
        SEPARATOR.replace('\u{1e}', "\\x1e\" \"")
    ));
    (super::files::harness_files(MAIN, main, USER, user), MAIN)
}
