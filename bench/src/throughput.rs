//! Part 4: throughput against the CPU limit.
//!
//! A burst of `n` short submissions (the benchsum solution, 20 tests) is
//! queued at once and judged by one worker with 1 and with 2 slots
//! (`--concurrency`), with a new container per submission
//! (`--sandbox-reuse 1`, as before containers were reused) and with the
//! default reuse, in Python (PyPy, the judge's `python3`, and CPython) and
//! C++. For each burst:
//! - verdicts per minute, first `created_at` to last `finished_at`;
//! - the CPU limit: the submissions' own CPU work (Σ of their tests' CPU
//!   time from the states, plus their compile's CPU measured in the image)
//!   divided by the slots, as verdicts per minute, and the ratio to it;
//! - for 2 slots, the CPU-time spread of 20 of the submissions judged while
//!   both slots were busy (the same program each time): median ± half the
//!   range, in per cent of the median, beside the machine's own spread for
//!   the same tests run without the judge ([`crate::cpu_noise`]);
//! - the per-process CPU breakdown ([`crate::cpu_profile`]) per submission.
//!
//! A burst itself is [`crate::burst`]; the same measure on packages like
//! real ones is [`crate::real_throughput`].

use anyhow::Result;

use crate::burst::{burst, compile_cpu_ms, profile_row, Workload};
use crate::common::*;
use crate::cpu_noise;

/// A sample's centre and spread: the median, and half the range and half
/// the 10th-to-90th percentile range, both in per cent of the median (the
/// first is what "± x %" promises; the second shows whether one or two
/// outliers make it).
struct Spread {
    median: f64,
    range_pct: f64,
    p10_90_pct: f64,
}

impl Spread {
    fn of(values: &[f64]) -> Spread {
        let median = median(values);
        let pct = |lo: f64, hi: f64| {
            if median > 0.0 {
                (hi - lo) / 2.0 / median * 100.0
            } else {
                0.0
            }
        };
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(0.0, f64::max);
        Spread {
            median,
            range_pct: pct(min, max),
            p10_90_pct: pct(percentile(values, 10.0), percentile(values, 90.0)),
        }
    }
}

impl std::fmt::Display for Spread {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{:.0} ms ± {:.1} % (p10-p90 ± {:.1} %)",
            self.median, self.range_pct, self.p10_90_pct
        )
    }
}

pub async fn throughput(n: usize) -> Result<Vec<Row>> {
    let mut rows = Vec::new();
    for lang in [LANGS[0], CPYTHON, LANGS[1]] {
        let code = lang.code();
        let compile_ms = compile_cpu_ms(lang.id, &code)?;
        let problems = problems_dir();
        let work = Workload {
            problems: &problems,
            problem: PROBLEM,
            lang: lang.id,
            code: &code,
            warm_up: false,
            secs_each: 15,
        };
        eprintln!("  {}: compile CPU {compile_ms:.0} ms", lang.label);
        for (mode, reuse) in [("new container each", "1"), ("reused containers", "100")] {
            let mut one_slot = None;
            for slots in [1usize, 2] {
                let b = burst(&work, n, slots, reuse, compile_ms).await?;
                let (limit_per_min, ratio) = b.limit_and_ratio(n, slots);
                eprintln!(
                    "  {} {mode}, {slots} slot(s): {:.1} verdicts/min, limit {limit_per_min:.1}, ratio {ratio:.2} ({:.1} s)",
                    lang.label, b.per_min, b.secs
                );
                let base = *one_slot.get_or_insert(b.per_min);
                let not_ac = if b.not_ac > 0 {
                    format!("; {} NOT accepted (see stderr)", b.not_ac)
                } else {
                    String::new()
                };
                rows.push(row(
                    "4 throughput",
                    &format!("{} {mode}, {slots} slot(s)", lang.label),
                    format!("{:.1} verdicts/min", b.per_min),
                    format!("{limit_per_min:.1} verdicts/min (CPU limit)"),
                    format!("{ratio:.2} of the CPU limit"),
                    &format!(
                        "{n} submissions × 20 tests queued at once, one worker; own CPU {:.0} ms per submission (compile {compile_ms:.0} ms); {:.2}× the 1-slot rate{not_ac}",
                        b.own_cpu * 1000.0 / n as f64,
                        b.per_min / base
                    ),
                ));
                let judged = Spread::of(&b.loaded_cpu_ms);
                // Tests' CPU comes in whole milliseconds: a spread of a few is noise.
                if slots == 2 && judged.median >= 50.0 {
                    // The machine's own noise, measured right after the burst.
                    let direct = Spread::of(&cpu_noise::loaded_pass_cpu_ms(&lang, &[0, 1], 10)?);
                    rows.push(row(
                        "4 throughput",
                        &format!("{} {mode}, CPU time under full load", lang.label),
                        judged.to_string(),
                        format!("direct run {direct}"),
                        format!(
                            "{:.2}× the direct spread",
                            judged.range_pct / direct.range_pct.max(0.1)
                        ),
                        &format!(
                            "Σ test CPU of {} identical submissions judged mid-burst with 2 slots busy: median ± half the range; direct run: the same 20 tests run 10 times in the image on each of CPUs 0 and 1 at once, no judge",
                            b.loaded_cpu_ms.len()
                        ),
                    ));
                }
                rows.push(profile_row(
                    "4 throughput",
                    &format!(
                        "{} {mode}, {slots} slot(s): CPU ms per submission",
                        lang.label
                    ),
                    &b,
                    n,
                ));
            }
        }
    }
    Ok(rows)
}
