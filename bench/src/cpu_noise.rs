//! The machine's own CPU-time noise, the baseline of the judge's CPU-time
//! spread under load: the benchmark's program run directly in its image
//! (no judge, no runner), pinned to one CPU while an identical copy runs
//! pinned to each other CPU, as two busy slots are.
//!
//! Why it is needed: on a virtual machine the CPU time of the same work
//! moves with the host's other tenants (on the 2-core VM these figures were
//! first taken on, a CPU-bound loop took 1.8 s to 2.7 s of CPU from one
//! minute to the next). The judge cannot measure more steadily than the
//! CPU it runs on; the two spreads side by side say how much it adds.

use std::process::Stdio;

use anyhow::{bail, Context, Result};
use problem_package::source::Program;

use crate::common::*;
use crate::judging::{shell_in_image, CONTAINER_CPU_NS};

/// Σ CPU (ms) of one pass over the benchmark's tests, `passes` times in
/// each of the containers pinned one to each CPU of `cpus` and run at once
/// (as the judge's slots sample every CPU). Each pass's CPU is its
/// container's cgroup usage around it (the program, and the shell that
/// starts it).
pub fn loaded_pass_cpu_ms(lang: &Lang, cpus: &[usize], passes: usize) -> Result<Vec<f64>> {
    let spec = lang.spec();
    let code = lang.code();
    let dir = tempfile::tempdir()?;
    let program = Program::from_code(spec, &code);
    std::fs::write(dir.path().join(&program.entry), &code)?;
    let tests = problems_dir().join(PROBLEM).join("data/secret");
    let compile = if spec.compile.is_empty() {
        String::new()
    } else {
        format!(
            "{} >/dev/null 2>&1 || exit 1;",
            spec.command(spec.compile, &program, 256).join(" ")
        )
    };
    let run = spec.command(spec.run, &program, 256).join(" ");
    let usage = CONTAINER_CPU_NS;
    // Every container compiles first and then waits for the others, so
    // that all the passes run while every CPU is busy.
    let script = format!(
        "cp /src/{entry} /tmp/ && cd /tmp && {compile} touch /sync/ready-$CPU; \
         while [ $(ls /sync | wc -l) -lt {n} ]; do sleep 0.05; done; \
         for p in $(seq {passes}); do s=$({usage}); \
         for f in /tests/*.in; do {run} < $f > /dev/null; done; \
         e=$({usage}); echo $(( (e - s) / 1000 )); done",
        entry = program.entry,
        n = cpus.len(),
    );
    let sync = tempfile::tempdir()?;
    let children = cpus
        .iter()
        .map(|cpu| {
            let args = [
                "--cpuset-cpus".to_string(),
                cpu.to_string(),
                "-e".to_string(),
                format!("CPU={cpu}"),
                "-v".to_string(),
                format!("{}:/src:ro", dir.path().display()),
                "-v".to_string(),
                format!("{}:/tests:ro", tests.display()),
                "-v".to_string(),
                format!("{}:/sync", sync.path().display()),
            ];
            shell_in_image(spec, &args, &script)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .context("docker run")
        })
        .collect::<Result<Vec<_>>>()?;
    let mut samples = Vec::new();
    for child in children {
        let output = child.wait_with_output()?;
        let passes_done: Vec<f64> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .filter_map(|l| l.trim().parse::<f64>().ok())
            .map(|us| us / 1000.0)
            .collect();
        if passes_done.len() != passes {
            bail!(
                "the direct run gave {} of {passes} passes: {}",
                passes_done.len(),
                String::from_utf8_lossy(&output.stderr)
            );
        }
        samples.extend(passes_done);
    }
    Ok(samples)
}
