//! Packages like real contest ones (issue 20), generated at bench time: the
//! sources in `bench/real/<id>/` (problem.yaml, statement, validator or
//! interactor, accepted solutions) are copied into a problems directory
//! under `target/bench`, and `data/secret/` is written there from a fixed
//! seed, so the 50 MB of `bigsort` are never committed.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::common::repo_dir;

/// One generated package.
#[derive(Clone, Copy, Debug)]
pub struct RealPackage {
    pub id: &'static str,
    /// What about it is like a real package, for the table.
    pub label: &'static str,
    pub tests: usize,
    generate: fn(&mut Rng, usize) -> (String, String),
}

pub const PACKAGES: [RealPackage; 3] = [
    RealPackage {
        id: "factorpairs",
        label: "custom C++ validator",
        tests: 20,
        generate: factor_case,
    },
    RealPackage {
        id: "factorquery",
        label: "interactive (C++ interactor)",
        tests: 20,
        generate: factor_case,
    },
    RealPackage {
        id: "bigsort",
        label: "100 tests, 50 MB input",
        tests: 100,
        generate: sort_case,
    },
];

/// Numbers per factoring test case (6 trial divisions of 10^6 to 3·10^6
/// steps each: tens of ms in C++ and PyPy alike).
const FACTOR_QUERIES: usize = 6;
/// Integers per sorting test case: about 500 KB of input each.
const SORT_VALUES: usize = 48_000;

impl RealPackage {
    /// The accepted solution in `lang` (`cpp` or `python3`).
    pub fn solution(&self, lang: &str) -> Result<String> {
        let dir = sources_dir().join(self.id).join("submissions/accepted");
        let ending = match lang {
            "cpp" => ".cpp",
            "python3" | "cpython3" => ".py",
            other => bail!("no {other} solution of {}", self.id),
        };
        let file = std::fs::read_dir(&dir)
            .with_context(|| format!("read {}", dir.display()))?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.to_string_lossy().ends_with(ending))
            .with_context(|| format!("no *{ending} in {}", dir.display()))?;
        Ok(std::fs::read_to_string(file)?)
    }
}

fn sources_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("real")
}

/// Writes every package into `target/bench/real-problems` (replacing what a
/// previous run left) and returns that directory and the input bytes per
/// package.
pub fn generate_all() -> Result<(PathBuf, Vec<u64>)> {
    let root = repo_dir().join("target/bench/real-problems");
    if root.exists() {
        std::fs::remove_dir_all(&root)?;
    }
    let mut sizes = Vec::new();
    for package in PACKAGES {
        let dir = root.join(package.id);
        copy_tree(&sources_dir().join(package.id), &dir)?;
        let secret = dir.join("data/secret");
        std::fs::create_dir_all(&secret)?;
        let seed = package
            .id
            .bytes()
            .fold(0x5eed_u64, |h, b| h.wrapping_mul(31) ^ b as u64);
        let mut rng = Rng(seed);
        let mut bytes = 0;
        for case in 1..=package.tests {
            let (input, answer) = (package.generate)(&mut rng, case);
            bytes += input.len() as u64;
            std::fs::write(secret.join(format!("{case:03}.in")), input)?;
            std::fs::write(secret.join(format!("{case:03}.ans")), answer)?;
        }
        sizes.push(bytes);
    }
    Ok((root, sizes))
}

fn copy_tree(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from).with_context(|| format!("read {}", from.display()))? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

/// splitmix64: the same data on every run, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn between(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
}

fn is_prime(n: u64) -> bool {
    n >= 2
        && (2..)
            .take_while(|d| d * d <= n)
            .all(|d| !n.is_multiple_of(d))
}

fn prime_from(mut n: u64) -> u64 {
    while !is_prime(n) {
        n += 1;
    }
    n
}

/// `q`, then `q` products of two primes, the smaller in [10^6, 3·10^6]
/// (what trial division walks to); the answer is the pairs.
fn factor_case(rng: &mut Rng, _case: usize) -> (String, String) {
    let (mut input, mut answer) = (format!("{FACTOR_QUERIES}\n"), String::new());
    for _ in 0..FACTOR_QUERIES {
        let p = prime_from(rng.between(1_000_000, 3_000_000));
        let r = prime_from(rng.between(p, 10_000_000));
        let _ = writeln!(input, "{}", p * r);
        let _ = writeln!(answer, "{p} {r}");
    }
    (input, answer)
}

/// `n`, then `n` integers in [-10^9, 10^9] (a few repeated, so that the
/// distinct count is not just `n`); the answer is the distinct count and
/// the median.
fn sort_case(rng: &mut Rng, _case: usize) -> (String, String) {
    let n = SORT_VALUES;
    let mut values: Vec<i64> = (0..n)
        .map(|_| rng.between(0, 2_000_000_000) as i64 - 1_000_000_000)
        .collect();
    for i in 0..n / 100 {
        values[i * 100] = values[i];
    }
    let mut input = String::with_capacity(n * 12);
    let _ = writeln!(input, "{n}");
    for (i, v) in values.iter().enumerate() {
        input.push_str(if i == 0 { "" } else { " " });
        let _ = write!(input, "{v}");
    }
    input.push('\n');
    values.sort_unstable();
    let median = values[n.div_ceil(2) - 1];
    values.dedup();
    (input, format!("{}\n{median}\n", values.len()))
}
