#!/usr/bin/env python3
"""Fails when the modules of any crate in the workspace import one another in a circle.

A module is one source file. `a.rs` depends on `b.rs` when it names a path into
`b` (`crate::b::X`, `super::b::X`, `self::b::X`, in a `use` or inline). A parent
declaring `mod child;` is not a dependency; a parent that *uses* its child is, so
a child that uses items of its parent through `super::` and a parent that uses
the child form a circle. Circles between crates are already refused by Cargo.

Usage: scripts/check-cycles.py [ROOT]   (prints each circle; exit 1 if any)
"""
import os
import re
import sys

ROOT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..")
SKIP = {"target", "node_modules", ".git", ".judge"}


def strip(src):
    """Source without comments, string and char literals (keeps line structure)."""
    out, i, n = [], 0, len(src)
    while i < n:
        c = src[i]
        if src.startswith("//", i):
            j = src.find("\n", i)
            i = n if j < 0 else j
        elif src.startswith("/*", i):
            depth, i = 1, i + 2
            while i < n and depth:
                if src.startswith("/*", i):
                    depth, i = depth + 1, i + 2
                elif src.startswith("*/", i):
                    depth, i = depth - 1, i + 2
                else:
                    i += 1
        elif c == "r" and re.match(r'r#*"', src[i:i + 40]) and (i == 0 or not (src[i - 1].isalnum() or src[i - 1] == "_")):
            m = re.match(r'r(#*)"', src[i:])
            end = src.find('"' + m.group(1), i + len(m.group(0)))
            i = n if end < 0 else end + 1 + len(m.group(1))
            out.append('""')
        elif c == '"':
            i += 1
            while i < n and src[i] != '"':
                i += 2 if src[i] == "\\" else 1
            i += 1
            out.append('""')
        elif c == "'" and re.match(r"'(\\.|[^\\'])'", src[i:i + 12]) or re.match(r"'\\u\{[0-9a-fA-F]+\}'", src[i:i + 12]):
            m = re.match(r"'(\\u\{[0-9a-fA-F]+\}|\\.|[^\\'])'", src[i:])
            i += len(m.group(0))
            out.append("' '")
        else:
            out.append(c)
            i += 1
    return "".join(out)


def use_paths(tree, prefix=""):
    """Expands a `use` tree (`a::{b, c::d}`) into whole paths."""
    tree = tree.strip()
    depth = 0
    for k, ch in enumerate(tree):
        if ch == "{":
            if depth == 0:
                head = tree[:k]
                inner = tree[k + 1:tree.rindex("}")]
                parts, d, start = [], 0, 0
                for j, cj in enumerate(inner):
                    if cj == "{":
                        d += 1
                    elif cj == "}":
                        d -= 1
                    elif cj == "," and d == 0:
                        parts.append(inner[start:j])
                        start = j + 1
                parts.append(inner[start:])
                paths = []
                for p in parts:
                    if p.strip():
                        paths += use_paths(p, prefix + head)
                return paths
            depth += 1
    path = re.sub(r"\s+as\s+\w+$", "", prefix + tree)
    return [re.sub(r"\s+", "", path)]


class Crate:
    def __init__(self, src_dir, roots):
        self.files = {}  # module path tuple -> file
        for root in roots:
            self.walk(os.path.join(src_dir, root), ())

    def walk(self, file, mod):
        if mod in self.files or not os.path.exists(file):
            return
        self.files[mod] = file
        text = strip(open(file, encoding="utf-8").read())
        base = os.path.dirname(file)
        own_dir = base if os.path.basename(file) in ("mod.rs", "lib.rs", "main.rs") or mod == () else os.path.join(base, os.path.basename(file)[:-3])
        for m in re.finditer(r'(#\[path\s*=\s*""\]\s*)?\bmod\s+(\w+)\s*;', text):
            name = m.group(2)
            if m.group(1):
                continue
            for cand in (os.path.join(own_dir, name + ".rs"), os.path.join(own_dir, name, "mod.rs")):
                if os.path.exists(cand):
                    self.walk(cand, mod + (name,))
                    break

    def target(self, mod, path):
        """The deepest module file a path from module `mod` names, or None."""
        segs = path.split("::")
        if segs[0] == "crate":
            cur, segs = (), segs[1:]
        elif segs[0] in ("self", "super"):
            cur = mod
            while segs and segs[0] in ("self", "super"):
                if segs[0] == "super":
                    cur = cur[:-1]
                segs = segs[1:]
        else:
            return None
        best = cur
        for s in segs:
            if cur + (s,) in self.files:
                cur = cur + (s,)
                best = cur
            else:
                break
        return best

    def edges(self):
        graph = {m: set() for m in self.files}
        for mod, file in self.files.items():
            text = strip(open(file, encoding="utf-8").read())
            inline = inline_mods(text)
            refs = [(m.start(), p) for m in re.finditer(r"\buse\s+([^;]+);", text) for p in use_paths(m.group(1))]
            refs += [(m.start(), m.group(0)) for m in re.finditer(r"(?<![\w:])(?:crate|super|self)(?:::\w+)+", text)]
            # A bare path into a child module (`python::files`) uses it too.
            refs += [(m.start(), m.group(0)) for m in re.finditer(r"(?<![\w:])(\w+)(?:::\w+)+", text)
                     if m.group(1) not in ("crate", "super", "self") and mod + (m.group(1),) in self.files]
            for pos, path in refs:
                # Inside an inline `mod tests { ... }`, `super::` first leaves
                # the inline module, which is still this file.
                depth = sum(1 for a, b in inline if a < pos < b)
                segs = path.split("::")
                while depth and segs and segs[0] in ("super", "self"):
                    if segs[0] == "super":
                        depth -= 1
                    segs = segs[1:]
                if depth or not segs:
                    if not segs or segs[0] != "crate":
                        continue
                if segs and segs[0] not in ("crate", "super", "self"):
                    segs = ["self"] + segs
                t = self.target(mod, "::".join(segs))
                if t is not None and t != mod:
                    graph[mod].add(t)
        return graph


def inline_mods(text):
    """(start, end) offsets of each inline `mod name { ... }` block."""
    out = []
    for m in re.finditer(r"\bmod\s+\w+\s*\{", text):
        depth, i = 1, m.end()
        while i < len(text) and depth:
            depth += {"{": 1, "}": -1}.get(text[i], 0)
            i += 1
        out.append((m.start(), i))
    return out


def crates(root):
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in SKIP]
        if "Cargo.toml" in filenames and os.path.isdir(os.path.join(dirpath, "src")):
            src = os.path.join(dirpath, "src")
            roots = [f for f in ("lib.rs", "main.rs") if os.path.exists(os.path.join(src, f))]
            for sub in ("bin",):
                d = os.path.join(src, sub)
                if os.path.isdir(d):
                    roots += [os.path.join(sub, f) for f in os.listdir(d) if f.endswith(".rs")]
            for r in roots:
                yield dirpath, src, r
        tests = os.path.join(dirpath, "tests")
        if "Cargo.toml" in filenames and os.path.isdir(tests):
            for f in sorted(os.listdir(tests)):
                if f.endswith(".rs"):
                    yield dirpath, tests, f


def cycles(graph):
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out, counter = {}, {}, [], set(), [], [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(comp)

    for v in graph:
        if v not in index:
            visit(v)
    return out


def main():
    found = 0
    for crate_dir, src, root in crates(os.path.abspath(ROOT)):
        crate = Crate(src, [root])
        graph = crate.edges()
        for comp in cycles(graph):
            found += 1
            files = sorted(os.path.relpath(crate.files[m], os.path.abspath(ROOT)) for m in comp)
            print("import circle: " + " <-> ".join(files))
            for m in sorted(comp):
                deps = sorted(os.path.relpath(crate.files[t], os.path.abspath(ROOT)) for t in graph[m] if t in comp)
                print("    %s uses %s" % (os.path.relpath(crate.files[m], os.path.abspath(ROOT)), ", ".join(deps)))
    if found:
        print("%d import circle(s)" % found)
        sys.exit(1)
    print("no import circles")


if __name__ == "__main__":
    main()
