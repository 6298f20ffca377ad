//! Part 4, packages like real ones (issue 20): the throughput against the
//! CPU limit on a problem with a custom C++ output validator, an
//! interactive one (C++ interactor) and one of 100 tests and 50 MB of
//! input ([`crate::real_packages`]), each in C++ and Python (PyPy), with
//! 2 slots (the machine's CPUs), side by side with a container per
//! submission (`--sandbox-reuse 1`, which the validators' sandboxes follow
//! too). Each burst is preceded by one judged submission outside the
//! measure: fetching the package and building the validator happen once
//! per problem version and worker, not per submission.

use anyhow::Result;

use crate::burst::{burst, compile_cpu_ms, profile_row, Workload};
use crate::common::*;
use crate::real_packages::{generate_all, PACKAGES};

const PART: &str = "4 throughput, real-like";
const SLOTS: usize = 2;

/// Which bursts of part 4's real-like packages run: each list empty runs all.
#[derive(Debug, Default)]
pub struct Only {
    /// Package ids (`factorpairs`, `factorquery`, `bigsort`).
    pub packages: Vec<String>,
    /// Language ids (`cpp`, `python3`).
    pub languages: Vec<String>,
    /// `new` (a container per submission) or `reused`.
    pub modes: Vec<String>,
}

impl Only {
    fn wants(list: &[String], item: &str) -> bool {
        list.is_empty() || list.iter().any(|x| x == item)
    }
}

pub async fn real_throughput(n: usize, only: &Only) -> Result<Vec<Row>> {
    let (problems, sizes) = generate_all()?;
    let mut rows = Vec::new();
    for (package, bytes) in PACKAGES.iter().zip(sizes) {
        if !Only::wants(&only.packages, package.id) {
            continue;
        }
        let mb = bytes as f64 / 1e6;
        eprintln!(
            "  {} ({}): {} tests, {mb:.1} MB of input",
            package.id, package.label, package.tests
        );
        for (lang, label) in [("cpp", "C++17"), ("python3", "Python 3 (PyPy)")] {
            if !Only::wants(&only.languages, lang) {
                continue;
            }
            let code = package.solution(lang)?;
            let compile_ms = compile_cpu_ms(lang, &code)?;
            let work = Workload {
                problems: &problems,
                problem: package.id,
                lang,
                code: &code,
                warm_up: true,
                // A minute per 20 tests: bigsort's 100 PyPy tests take
                // 5 s of CPU alone, and many times that on a loaded machine.
                secs_each: 60 * package.tests.div_ceil(20) as u64,
            };
            let mut new_each = None;
            for (short, mode, reuse) in [
                ("new", "new container each", "1"),
                ("reused", "reused containers", "100"),
            ] {
                if !Only::wants(&only.modes, short) {
                    continue;
                }
                let metric = format!(
                    "{} ({}), {label}, {mode}, {SLOTS} slots",
                    package.id, package.label
                );
                // One burst failing (a deadline on a loaded machine) leaves
                // the others' rows.
                let b = match burst(&work, n, SLOTS, reuse, compile_ms).await {
                    Ok(b) => b,
                    Err(e) => {
                        eprintln!("  {metric}: failed: {e:#}");
                        let why = format!("{e:#}");
                        rows.push(row(
                            PART,
                            &metric,
                            "failed".into(),
                            "-".into(),
                            "-".into(),
                            &why,
                        ));
                        continue;
                    }
                };
                let (limit_per_min, ratio) = b.limit_and_ratio(n, SLOTS);
                eprintln!(
                    "  {} {label} {mode}: {:.1} verdicts/min, limit {limit_per_min:.1}, ratio {ratio:.2} ({:.1} s)",
                    package.id, b.per_min, b.secs
                );
                let versus = match new_each {
                    None => {
                        new_each = Some(b.per_min);
                        String::new()
                    }
                    Some(base) => format!(
                        "; {:.2}× the verdicts of a new container each",
                        b.per_min / base
                    ),
                };
                let not_ac = if b.not_ac > 0 {
                    format!("; {} NOT accepted (see stderr)", b.not_ac)
                } else {
                    String::new()
                };
                // The judge's whole CPU (everything sampled but the bench
                // and the machine's other work): on an idle machine the
                // ratio cannot pass own ÷ this, however the slots overlap.
                let p = &b.profile;
                let judge_cpu = p.machine - p.bench - p.other();
                let bound = if judge_cpu > 0.0 {
                    b.own_cpu / judge_cpu
                } else {
                    f64::NAN
                };
                rows.push(row(
                    PART,
                    &metric,
                    format!("{:.1} verdicts/min", b.per_min),
                    format!("{limit_per_min:.1} verdicts/min (CPU limit)"),
                    format!("ratio to the CPU limit: {ratio:.2}"),
                    &format!(
                        "{n} submissions × {} tests ({mb:.1} MB of input) queued at once after one warm-up, one worker; own CPU {:.0} ms per submission (compile {compile_ms:.0} ms), the judge's whole CPU {:.0} ms (own ÷ whole: {bound:.2}, the ratio's ceiling where CPU is the bottleneck){versus}{not_ac}",
                        package.tests,
                        b.own_cpu * 1000.0 / n as f64,
                        judge_cpu * 1000.0 / n as f64,
                    ),
                ));
                rows.push(profile_row(
                    PART,
                    &format!("{metric}: CPU ms per submission"),
                    &b,
                    n,
                ));
            }
        }
    }
    Ok(rows)
}
