#!/usr/bin/env python3
"""Writes the function problems' packages (all but their submissions):
problem.yaml, function.yaml, the statement and the test data, with fixed
seeds so the output is reproducible: python3 problems/generate_functions.py"""
import json
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def dump(v):
    return json.dumps(v, separators=(",", ":"), ensure_ascii=False)


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


def package(pid, name, spec, statement, cases, solve, flags=None):
    root = os.path.join(HERE, pid)
    yaml = f"name: {name}\nsource: judge examples\nlicense: cc0\nlimits:\n  time_limit: 1\n  memory: 256\n"
    if flags:
        yaml += f"validator_flags: {flags}\n"
    write(os.path.join(root, "problem.yaml"), yaml)
    write(os.path.join(root, "function.yaml"), spec)
    write(os.path.join(root, "problem_statement", "problem.en.md"), statement)
    for i, (group, label, args) in enumerate(cases):
        base = os.path.join(root, "data", group, label)
        write(base + ".in", "".join(dump(a) + "\n" for a in args))
        write(base + ".ans", dump(solve(*args)) + "\n")


def named(cases, samples=2):
    out = []
    for i, (label, args) in enumerate(cases):
        if i < samples:
            out.append(("sample", str(i + 1), args))
        else:
            out.append(("secret", f"{i - samples + 1:02d}-{label}", args))
    return out


# ---- two-sum: int[], int -> int[] (any order)
def two_sum(nums, target):
    seen = {}
    for i, x in enumerate(nums):
        if target - x in seen:
            return [seen[target - x], i]
        seen[x] = i


def two_sum_case(rng, n, lo, hi):
    while True:
        nums = rng.sample(range(lo, hi), n)
        i, j = rng.sample(range(n), 2)
        target = nums[i] + nums[j]
        pairs = sum(1 for a in range(n) for b in range(a + 1, n) if nums[a] + nums[b] == target) if n <= 300 else 1
        if pairs == 1:
            return [nums, target]


rng = random.Random(12)
cases = [("", [[2, 7, 11, 15], 9]), ("", [[3, 2, 4], 6]), ("pair", [[3, 3], 6]),
         ("negative", [[-1, -2, -3, -4, -5], -8]), ("zeros", [[0, 4, 3, 0], 0])]
cases += [("random", two_sum_case(rng, 50, -1000, 1000)), ("random-2", two_sum_case(rng, 200, -10**6, 10**6))]
big = list(range(1, 10001))
rng.shuffle(big)
cases += [("large", [big, 19999])]
package("two-sum", "Two Sum", """name: twoSum
params:
  - {name: nums, type: "int[]"}
  - {name: target, type: int}
returns: "int[]"
compare: unordered
""", """# Two Sum

Given an array of integers `nums` and an integer `target`, return the
indices of the two numbers that add up to `target`, in any order. Exactly
one pair adds up to `target`, and the same element may not be used twice.

This is a **function problem**: write `twoSum(nums, target)`; the judge
calls it. The editor (or `judge problem two-sum --stub LANG`) gives the
starting code.

## Input

`nums` ($2 \\le n \\le 10^4$, $|nums_i| \\le 10^9$) and `target`, one per
line in LeetCode's notation.

## Output

The two indices, e.g. `[0,1]`, in any order.
""", named(cases), two_sum)


# ---- max-subarray: int[] -> long
def max_subarray(nums):
    best = cur = nums[0]
    for x in nums[1:]:
        cur = max(x, cur + x)
        best = max(best, cur)
    return best


rng = random.Random(7)
cases = [("", [[-2, 1, -3, 4, -1, 2, 1, -5, 4]]), ("", [[5, 4, -1, 7, 8]]), ("single", [[-7]]),
         ("all-negative", [[-3, -1, -2]]), ("random", [[rng.randint(-100, 100) for _ in range(100)]]),
         ("overflow", [[2 * 10**9] * 20]), ("mixed-large", [[rng.choice([-1, 1]) * rng.randint(0, 2 * 10**9) for _ in range(10**4)]]),
         ("zero", [[0]])]
package("max-subarray", "Maximum Subarray", """name: maxSubArray
params:
  - {name: nums, type: "int[]"}
returns: long
""", """# Maximum Subarray

Given an integer array `nums`, return the largest sum of a non-empty
contiguous subarray. The sum may not fit in 32 bits.

This is a **function problem**: write `maxSubArray(nums)`.

## Input

`nums` ($1 \\le n \\le 10^4$, $|nums_i| \\le 2 \\cdot 10^9$).

## Output

The largest sum (a 64-bit integer).
""", named(cases), max_subarray)


# ---- reverse-words: string -> string
def reverse_words(s):
    return " ".join(reversed(s.split()))


rng = random.Random(3)
words = ["alpha", "beta", "gamma", "judge", "tree", "list", "déjà", "vu", "\"quoted\"", "back\\slash"]
cases = [("", ["the sky is blue"]), ("", ["  hello world  "]), ("one", ["a"]),
         ("spaces", ["a good   example"]), ("unicode", ["déjà vu über"]), ("escapes", ["\"x\" \\ y"]),
         ("random", [" ".join(rng.choice(words) for _ in range(200))]), ("blank", ["   "])]
package("reverse-words", "Reverse Words", """name: reverseWords
params:
  - {name: s, type: string}
returns: string
""", """# Reverse Words

Given a string `s`, return its words in reverse order, separated by single
spaces. A word is a maximal run of non-space characters; `s` may have
leading, trailing or repeated spaces, which the result drops.

This is a **function problem**: write `reverseWords(s)`.

## Input

`s` (at most $10^4$ characters of UTF-8 text) as a JSON string.

## Output

The words in reverse order, as a string.
""", named(cases), reverse_words)


# ---- transpose: int[][] -> int[][]
def transpose(m):
    return [list(r) for r in zip(*m)]


rng = random.Random(5)
cases = [("", [[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]), ("", [[[1, 2, 3], [4, 5, 6]]]), ("single", [[[42]]]),
         ("row", [[[1, 2, 3, 4]]]), ("column", [[[1], [2], [3]]]),
         ("random", [[[rng.randint(-10**9, 10**9) for _ in range(30)] for _ in range(20)]]),
         ("large", [[[rng.randint(-100, 100) for _ in range(300)] for _ in range(300)]])]
package("transpose", "Transpose Matrix", """name: transpose
params:
  - {name: matrix, type: "int[][]"}
returns: "int[][]"
""", """# Transpose Matrix

Given an $m \\times n$ integer matrix, return its transpose: the
$n \\times m$ matrix whose row $i$ is column $i$ of the input.

This is a **function problem**: write `transpose(matrix)`.

## Input

`matrix` ($1 \\le m, n \\le 300$) as a list of rows.

## Output

The transposed matrix.
""", named(cases), transpose)


# ---- std-dev: double[] -> double (float tolerance)
def std_dev(xs):
    mean = sum(xs) / len(xs)
    return math.sqrt(sum((x - mean) ** 2 for x in xs) / len(xs))


rng = random.Random(9)
cases = [("", [[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]]), ("", [[1.5, 2.5]]), ("single", [[3.25]]),
         ("same", [[7.0] * 10]), ("random", [[round(rng.uniform(-100, 100), 3) for _ in range(1000)]]),
         ("wide", [[round(rng.uniform(-1e6, 1e6), 2) for _ in range(10**4)]]), ("small", [[1e-3, 2e-3, 4e-3]])]
package("std-dev", "Standard Deviation", """name: standardDeviation
params:
  - {name: values, type: "double[]"}
returns: double
""", """# Standard Deviation

Given a list of real numbers, return their (population) standard
deviation: the square root of the mean squared distance to their mean.

This is a **function problem**: write `standardDeviation(values)`.
Answers within an absolute or relative error of $10^{-6}$ are accepted.

## Input

`values` ($1 \\le n \\le 10^4$, $|v_i| \\le 10^6$).

## Output

The standard deviation.
""", named(cases), std_dev, flags="float_tolerance 1e-6")


# ---- filter-words: string[], char, bool -> string[]
def filter_words(words, letter, ignore_case):
    if ignore_case:
        return [w for w in words if w[:1].lower() == letter.lower()]
    return [w for w in words if w[:1] == letter]


rng = random.Random(11)
pool = ["Apple", "apricot", "banana", "Berry", "avocado", "cherry", "", "Ant", "b", "a b"]
cases = [("", [["apple", "Banana", "avocado", "Apricot"], "a", False]), ("", [["apple", "Banana", "avocado", "Apricot"], "A", True]),
         ("none", [["x", "y"], "z", True]), ("empty", [[], "a", False]), ("empty-word", [["", "a"], "a", False]),
         ("random", [[rng.choice(pool) for _ in range(500)], "a", True]), ("random-strict", [[rng.choice(pool) for _ in range(500)], "B", False])]
package("filter-words", "Words by First Letter", """name: filterWords
params:
  - {name: words, type: "string[]"}
  - {name: letter, type: char}
  - {name: ignoreCase, type: bool}
returns: "string[]"
""", """# Words by First Letter

Given a list of words, a letter and a flag, return the words that start
with that letter, in their order. With `ignoreCase`, the letter's case
does not matter.

This is a **function problem**: write `filterWords(words, letter, ignoreCase)`.

## Input

`words` (at most 1000 strings), `letter` (one ASCII letter, as a string)
and `ignoreCase` (`true` or `false`), one per line.

## Output

The words that start with the letter.
""", named(cases), filter_words)


# ---- invert-tree: TreeNode -> TreeNode
def build(level):
    if not level:
        return None
    nodes = [None if v is None else [v, None, None] for v in level]
    child = 1
    for node in nodes:
        if child >= len(nodes):
            break
        if node is None:
            continue
        node[1] = nodes[child]; child += 1
        if child < len(nodes):
            node[2] = nodes[child]; child += 1
    return nodes[0]


def level_order(root):
    out, queue, i = [], [root] if root else [], 0
    while i < len(queue):
        n = queue[i]; i += 1
        if n is None:
            out.append(None); continue
        out.append(n[0]); queue += [n[1], n[2]]
    while out and out[-1] is None:
        out.pop()
    return out


def invert(level):
    def inv(n):
        if n:
            n[1], n[2] = inv(n[2]), inv(n[1])
        return n
    return level_order(inv(build(level)))


def random_tree(rng, n):
    level, slots = [rng.randint(-100, 100)], 2
    while len([v for v in level if v is not None]) < n:
        level.append(None if rng.random() < 0.3 and slots > 1 else rng.randint(-100, 100))
        slots += 1 if level[-1] is not None else -1
    return level_order(build(level))


rng = random.Random(13)
cases = [("", [[4, 2, 7, 1, 3, 6, 9]]), ("", [[2, 1, 3]]), ("empty", [[]]), ("single", [[1]]),
         ("left-chain", [[1, 2, None, 3, None, 4]]), ("random", [random_tree(rng, 50)]), ("large", [random_tree(rng, 3000)])]
package("invert-tree", "Invert a Binary Tree", """name: invertTree
params:
  - {name: root, type: TreeNode}
returns: TreeNode
show_all_cases: true
""", """# Invert a Binary Tree

Given the root of a binary tree, swap the left and right child of every
node and return the root.

This is a **function problem**: write `invertTree(root)`. Trees are
written in level order as LeetCode does, `null` for a missing child:
`[4,2,7,1,3,6,9]`. Every failing case shows its input.

## Input

The tree (at most 3000 nodes), e.g. `[2,1,3]`.

## Output

The inverted tree, e.g. `[2,3,1]`.
""", named(cases), invert)


# ---- reverse-list: ListNode -> ListNode
rng = random.Random(17)
cases = [("", [[1, 2, 3, 4, 5]]), ("", [[1, 2]]), ("empty", [[]]), ("single", [[7]]),
         ("random", [[rng.randint(-1000, 1000) for _ in range(100)]]), ("large", [[rng.randint(-10**9, 10**9) for _ in range(5000)]]),
         ("same", [[3] * 10])]
package("reverse-list", "Reverse a Linked List", """name: reverseList
params:
  - {name: head, type: ListNode}
returns: ListNode
""", """# Reverse a Linked List

Given the head of a singly linked list, reverse the list and return its
new head.

This is a **function problem**: write `reverseList(head)`. Lists are
written as LeetCode does: `[1,2,3]`.

## Input

The list (at most 5000 nodes).

## Output

The reversed list.
""", named(cases), lambda xs: xs[::-1])
