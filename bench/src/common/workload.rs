//! The benchmark problem (benchsum) and the languages it is solved in.

use std::path::{Path, PathBuf};

/// The benchmark problem (Kattis layout), 20 secret test cases.
pub const PROBLEM: &str = "benchsum";

pub fn problems_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("problems")
}

pub fn repo_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// A language the benchmark submits in, with its accepted solution.
#[derive(Clone, Copy, Debug)]
pub struct Lang {
    pub id: &'static str,
    pub label: &'static str,
    pub file: &'static str,
}

pub const LANGS: [Lang; 2] = [
    Lang {
        id: "python3",
        label: "Python 3 (PyPy)",
        file: "sum.py",
    },
    Lang {
        id: "cpp",
        label: "C++17",
        file: "sum.cpp",
    },
];

/// The same Python solution judged by CPython (`cpython3`), which starts
/// far faster than PyPy: the short Python submission of the throughput
/// part, where the judge's own costs weigh most.
pub const CPYTHON: Lang = Lang {
    id: "cpython3",
    label: "Python 3 (CPython)",
    file: "sum.py",
};

impl Lang {
    pub fn code(&self) -> String {
        let path = problems_dir()
            .join(PROBLEM)
            .join("submissions/accepted")
            .join(self.file);
        std::fs::read_to_string(&path).expect("bench solution")
    }
    pub fn spec(&self) -> &'static problem_package::language::Language {
        problem_package::language::by_id(self.id).expect("known language")
    }
}

/// The test cases of the benchmark problem: (name, input, answer), sorted.
pub fn test_cases() -> Vec<(String, PathBuf, String)> {
    let dir = problems_dir().join(PROBLEM).join("data/secret");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("bench problem data")
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str().map(String::from))
        .filter_map(|n| n.strip_suffix(".in").map(String::from))
        .collect();
    names.sort();
    names
        .into_iter()
        .map(|n| {
            let ans = std::fs::read_to_string(dir.join(format!("{n}.ans"))).unwrap();
            (n.clone(), dir.join(format!("{n}.in")), ans)
        })
        .collect()
}

/// Whitespace-separated tokens equal: the default validator's rule for this problem.
pub fn same_tokens(a: &str, b: &str) -> bool {
    a.split_whitespace().eq(b.split_whitespace())
}
