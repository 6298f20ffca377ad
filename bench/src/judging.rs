//! Parts 1-3: the judge's overhead per submission, and the same submission
//! judged by naive `docker run` per test, by DMOJ, and run raw on the host.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::common::*;
use problem_package::source::Program;

/// Compile wall time inside the language's sandbox image, measured by the
/// shell in the container (so container start is not counted): median of 3.
/// The runner does not report compile time in the state, so it is measured here.
pub fn compile_ms_in_container(lang: &Lang) -> Result<f64> {
    compile_in_image(lang, "date +%s%N", "compile timing")
}

/// A shell command printing the CPU time (ns) of the container it runs in,
/// from its cgroup (cgroup v1, under either mount name).
pub const CONTAINER_CPU_NS: &str = "cat /sys/fs/cgroup/cpuacct/cpuacct.usage 2>/dev/null || cat /sys/fs/cgroup/cpu,cpuacct/cpuacct.usage";

/// `docker run --rm --network none ARGS -e ENV... IMAGE sh -c SCRIPT`: a
/// shell in the language's image with its environment, without the judge.
pub fn shell_in_image(
    spec: &problem_package::language::Language,
    args: &[String],
    script: &str,
) -> Command {
    let mut command = Command::new("docker");
    command
        .args(["run", "--rm", "--network", "none"])
        .args(args)
        .args(
            spec.env
                .iter()
                .flat_map(|(k, v)| ["-e".to_string(), format!("{k}={v}")]),
        )
        .args([spec.image, "sh", "-c", script]);
    command
}

/// The language's compile of its benchmark code in its image, `probe`
/// (a shell command printing nanoseconds) read before and after the
/// compiler: the difference in ms, median of 3 `docker run`s. 0 for a
/// language without a compile step.
pub fn compile_in_image(lang: &Lang, probe: &str, what: &str) -> Result<f64> {
    compile_code_in_image(lang.spec(), &lang.code(), probe, what)
}

/// As [`compile_in_image`], for any `code` in the language `spec`.
pub fn compile_code_in_image(
    spec: &problem_package::language::Language,
    code: &str,
    probe: &str,
    what: &str,
) -> Result<f64> {
    if spec.compile.is_empty() {
        return Ok(0.0);
    }
    let dir = tempfile::tempdir()?;
    let program = Program::from_code(spec, code);
    let src = program.entry.clone();
    std::fs::write(dir.path().join(&src), code)?;
    let argv = spec.command(spec.compile, &program, 256).join(" ");
    let script = format!(
        "cp /src/{src} /tmp/ && cd /tmp && s=$({probe}) && {argv} >/dev/null 2>&1; e=$({probe}); echo $(( (e - s) / 1000 ))"
    );
    let mut samples = Vec::new();
    let src = [
        "-v".to_string(),
        format!("{}:/src:ro", dir.path().display()),
    ];
    for _ in 0..3 {
        let out = shell_in_image(spec, &src, &script)
            .output()
            .context("docker run")?;
        let text = String::from_utf8_lossy(&out.stdout);
        let us: f64 = text
            .trim()
            .parse()
            .with_context(|| format!("{what}: {text} {}", String::from_utf8_lossy(&out.stderr)))?;
        samples.push(us / 1000.0);
    }
    Ok(median(&samples))
}

// ---- part 1 ----

pub async fn overhead(count: usize, gap: Duration) -> Result<Vec<Row>> {
    // The worker's warm pool (pre-started sandboxes) if it has one, and the
    // same worker with the pool off, side by side.
    let configs: Vec<(&str, Vec<&str>)> = if worker_has_pool() {
        vec![
            ("warm pool (default)", vec![]),
            ("pool off", vec!["--pool-size", "0"]),
        ]
    } else {
        vec![("", vec![])]
    };
    let mut compile = std::collections::HashMap::new();
    for lang in LANGS {
        compile.insert(lang.id, compile_ms_in_container(&lang)?);
    }
    let mut rows = Vec::new();
    let mut e2e_by = std::collections::HashMap::new();
    for (config, args) in &configs {
        let s = Services::start_with(true, true, 1, args).await?;
        settle_containers().await;
        let client = reqwest::Client::new();
        for lang in LANGS {
            let compile = compile[lang.id];
            let code = lang.code();
            // Warm-up: the worker fetches and caches the package, the page cache fills.
            judge_once(&client, &s, &lang, &code).await?;
            let (mut server, mut observed, mut e2e, mut work) = (vec![], vec![], vec![], vec![]);
            for _ in 0..count {
                tokio::time::sleep(gap).await;
                let (state, elapsed) = judge_once(&client, &s, &lang, &code).await?;
                let run: u64 = state.results.iter().map(|r| r.wall_ms).sum();
                let submission_ms = compile + run as f64;
                let queue_to_verdict = state.finished_at_ms.unwrap_or(state.created_at_ms) as f64
                    - state.created_at_ms as f64;
                server.push(queue_to_verdict - submission_ms);
                observed.push(ms(elapsed) - submission_ms);
                e2e.push(ms(elapsed));
                work.push(submission_ms);
            }
            e2e_by.insert((*config, lang.id), median(&e2e));
            eprintln!(
                "  overhead {} {config}: compile {compile:.0} ms, e2e median {:.0} ms",
                lang.label,
                median(&e2e)
            );
            let part = "1 overhead";
            let label = if config.is_empty() {
                lang.label.to_string()
            } else {
                format!("{}, {config}:", lang.label)
            };
            rows.push(row(
                part,
                &format!("{label} queue→verdict minus own compile+run, median / p90"),
                format!("{:.0} / {:.0} ms", median(&server), percentile(&server, 90.0)),
                format!("own work {:.0} ms", median(&work)),
                format!("{:.2} of e2e", median(&server) / median(&e2e)),
                &format!(
                    "{count} sequential submissions, {} ms apart, 20 tests; compile {compile:.0} ms measured in the image",
                    gap.as_millis()
                ),
            ));
            rows.push(row(
                part,
                &format!(
                    "{label} client-observed (POST→final WS event) minus own work, median / p90"
                ),
                format!(
                    "{:.0} / {:.0} ms",
                    median(&observed),
                    percentile(&observed, 90.0)
                ),
                format!("e2e {:.0} ms", median(&e2e)),
                format!("{:.1}× own work", median(&e2e) / median(&work)),
                "ratio = end-to-end / (compile + Σ test wall)",
            ));
        }
    }
    if configs.len() == 2 {
        for lang in LANGS {
            let on = e2e_by[&(configs[0].0, lang.id)];
            let off = e2e_by[&(configs[1].0, lang.id)];
            rows.push(row(
                "1 overhead",
                &format!("{} end-to-end, warm pool vs pool off, median", lang.label),
                format!("{on:.0} ms"),
                format!("{off:.0} ms"),
                format!("{:.2}× faster", off / on),
                "same worker binary, `--pool-size 0` for the baseline",
            ));
        }
    }
    Ok(rows)
}

// ---- part 2 ----

/// Judges `lang`'s solution with one `docker run` per test case (and one for
/// the compile); checks every answer. Returns the total time.
pub fn naive_docker(lang: &Lang) -> Result<Duration> {
    let spec = lang.spec();
    let code = lang.code();
    let dir = tempfile::tempdir()?;
    let program = Program::from_code(spec, &code);
    let src = program.entry.clone();
    std::fs::write(dir.path().join(&src), &code)?;
    // The container runs as root; make the dir writable for the compile output anyway.
    let mount = format!("{}:/sol", dir.path().display());
    let started = Instant::now();
    if !spec.compile.is_empty() && lang.id != "python3" {
        let argv = spec.command(spec.compile, &program, 256);
        let status = Command::new("docker")
            .args([
                "run",
                "--rm",
                "--network",
                "none",
                "--memory",
                "1g",
                "-w",
                "/sol",
                "-v",
                &mount,
            ])
            .arg(spec.image)
            .args(&argv)
            .stdout(Stdio::null())
            .status()?;
        if !status.success() {
            bail!("naive compile failed");
        }
    }
    let run: Vec<String> = spec
        .command(spec.run, &program, 256)
        .into_iter()
        .map(|a| {
            if a == src || a == "./main" {
                format!("/sol/{}", a.trim_start_matches("./"))
            } else {
                a
            }
        })
        .collect();
    for (name, input, answer) in test_cases() {
        let mut child = Command::new("docker")
            .args([
                "run",
                "--rm",
                "-i",
                "--network",
                "none",
                "--memory",
                "256m",
                "--memory-swap",
                "256m",
                "--pids-limit",
                "64",
                "-v",
            ])
            .arg(format!("{mount}:ro"))
            .args(
                spec.env
                    .iter()
                    .flat_map(|(k, v)| ["-e".to_string(), format!("{k}={v}")]),
            )
            .arg(spec.image)
            .args(&run)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()?;
        let data = std::fs::read(&input)?;
        child.stdin.take().unwrap().write_all(&data)?;
        let out = child.wait_with_output()?;
        if !same_tokens(&String::from_utf8_lossy(&out.stdout), &answer) {
            bail!("naive {}: wrong answer on {name}", lang.label);
        }
    }
    Ok(started.elapsed())
}

pub async fn naive(reps: usize) -> Result<Vec<Row>> {
    let s = Services::start(true, true, 1).await?;
    let client = reqwest::Client::new();
    let mut rows = Vec::new();
    for lang in LANGS {
        let code = lang.code();
        judge_once(&client, &s, &lang, &code).await?;
        let (mut ours, mut theirs) = (vec![], vec![]);
        for _ in 0..reps {
            ours.push(ms(judge_once(&client, &s, &lang, &code).await?.1));
            theirs.push(ms(naive_docker(&lang)?));
        }
        let (o, t) = (median(&ours), median(&theirs));
        rows.push(row(
            "2 vs naive docker run",
            &format!("{} whole submission (20 tests), median", lang.label),
            format!("{o:.0} ms"),
            format!("{t:.0} ms"),
            format!("{:.1}× faster", t / o),
            &format!(
                "{reps} alternating reps; naive = one `docker run --rm -i --network none --memory 256m` per test{} ({:.0} ms per docker run)",
                if lang.id == "cpp" { " + one to compile" } else { "" },
                t / if lang.id == "cpp" { 21.0 } else { 20.0 }
            ),
        ));
    }
    Ok(rows)
}

// ---- part 3 ----

/// The raw process on the host: compile once (C++), then run each test.
/// Returns (compile, runs) times.
pub fn raw_host(lang: &Lang) -> Result<(Duration, Duration)> {
    let dir = tempfile::tempdir()?;
    let code = lang.code();
    let compile_started = Instant::now();
    let program: Vec<String> = if lang.id == "cpp" {
        let src = dir.path().join("main.cpp");
        std::fs::write(&src, &code)?;
        let bin = dir.path().join("main");
        let status = Command::new("g++")
            .args(["-O2", "-std=gnu++17", "-pipe", "-o"])
            .arg(&bin)
            .arg(&src)
            .status()?;
        if !status.success() {
            bail!("host g++ failed");
        }
        vec![bin.to_string_lossy().into()]
    } else {
        let src = dir.path().join("main.py");
        std::fs::write(&src, &code)?;
        vec![host_python().into(), src.to_string_lossy().into()]
    };
    let compile = compile_started.elapsed();
    let started = Instant::now();
    for (name, input, answer) in test_cases() {
        let out = Command::new(&program[0])
            .args(&program[1..])
            .stdin(std::fs::File::open(&input)?)
            .stderr(Stdio::null())
            .output()?;
        if !same_tokens(&String::from_utf8_lossy(&out.stdout), &answer) {
            bail!("raw {}: wrong answer on {name}", lang.label);
        }
    }
    Ok((compile, started.elapsed()))
}

/// The system Python (what DMOJ is given too), not a shim.
fn host_python() -> &'static str {
    if Path::new("/usr/bin/python3").exists() {
        "/usr/bin/python3"
    } else {
        "python3"
    }
}

/// `dmoj-cli`: `BENCH_DMOJ_CLI`, else `target/bench/dmoj-venv/bin/dmoj-cli`
/// (where scripts/bench.sh installs it), else on the PATH.
fn dmoj_cli() -> Option<PathBuf> {
    if let Ok(p) = std::env::var("BENCH_DMOJ_CLI") {
        return Some(PathBuf::from(p));
    }
    let venv = repo_dir().join("target/bench/dmoj-venv/bin/dmoj-cli");
    if venv.exists() {
        return Some(venv);
    }
    Command::new("sh")
        .args(["-c", "command -v dmoj-cli"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| PathBuf::from(String::from_utf8_lossy(&o.stdout).trim()))
}

/// The benchmark problem as a DMOJ problem and a judge config, in `dir`.
fn dmoj_setup(dir: &Path) -> Result<PathBuf> {
    let problem = dir.join("problems").join(PROBLEM);
    std::fs::create_dir_all(&problem)?;
    let mut init = String::from("test_cases:\n");
    for (name, input, answer) in test_cases() {
        std::fs::copy(&input, problem.join(format!("{name}.in")))?;
        std::fs::write(problem.join(format!("{name}.ans")), answer)?;
        init.push_str(&format!(
            "- {{in: {name}.in, out: {name}.ans, points: 1}}\n"
        ));
    }
    std::fs::write(problem.join("init.yml"), init)?;
    let config = dir.join("judge.yml");
    std::fs::write(
        &config,
        format!(
            "problem_storage_globs:\n  - {}/problems/*\nruntime:\n  g++17: /usr/bin/g++\n  python3: {}\n",
            dir.display(),
            host_python()
        ),
    )?;
    Ok(config)
}

/// One `dmoj-cli submit`: (process total, grading from "Start grading" to
/// "Done grading" as seen on its output).
fn dmoj_once(
    cli: &Path,
    config: &Path,
    lang: &Lang,
    source: &Path,
) -> Result<(Duration, Duration)> {
    let dmoj_lang = if lang.id == "cpp" { "CPP17" } else { "PY3" };
    let started = Instant::now();
    let mut child = Command::new(cli)
        .args(["-c"])
        .arg(config)
        .args([
            "--no-ansi",
            "--skip-self-test",
            "-e",
            "CPP17,PY3",
            "--history",
        ])
        .arg(config.with_file_name("history"))
        .args(["--", "submit", PROBLEM, dmoj_lang])
        .arg(source)
        .args(["-tl", "2", "-ml", "262144"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .context("spawn dmoj-cli")?;
    let stdout = child.stdout.take().unwrap();
    let (mut begin, mut end, mut accepted, mut text) = (None, None, 0, String::new());
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if line.starts_with("Start grading") {
            begin = Some(Instant::now());
        } else if line.starts_with("Done grading") {
            end = Some(Instant::now());
        } else if line.starts_with("Test case") && line.contains(" AC ") {
            accepted += 1;
        }
        text.push_str(&line);
        text.push('\n');
    }
    let status = child.wait()?;
    let total = started.elapsed();
    match (begin, end) {
        (Some(b), Some(e)) if accepted == 20 && status.success() => Ok((total, e - b)),
        _ => {
            let mut err = String::new();
            use std::io::Read;
            let _ = child.stderr.take().map(|mut s| s.read_to_string(&mut err));
            bail!("dmoj-cli did not accept all 20 cases ({accepted} AC, {status}):\n{text}{err}")
        }
    }
}

pub async fn dmoj(reps: usize) -> Result<Vec<Row>> {
    let s = Services::start(true, true, 1).await?;
    let client = reqwest::Client::new();
    let dmoj = dmoj_cli();
    let dir = tempfile::tempdir()?;
    let config = dmoj_setup(dir.path())?;
    let mut rows = Vec::new();
    for lang in LANGS {
        let code = lang.code();
        let source = dir.path().join(lang.file);
        std::fs::write(&source, &code)?;
        judge_once(&client, &s, &lang, &code).await?;
        let (mut ours, mut d_total, mut d_grading, mut raw, mut raw_run) =
            (vec![], vec![], vec![], vec![], vec![]);
        let mut dmoj_error = None;
        for _ in 0..reps {
            ours.push(ms(judge_once(&client, &s, &lang, &code).await?.1));
            if let (Some(cli), None) = (&dmoj, &dmoj_error) {
                match dmoj_once(cli, &config, &lang, &source) {
                    Ok((t, g)) => {
                        d_total.push(ms(t));
                        d_grading.push(ms(g));
                    }
                    Err(e) => dmoj_error = Some(format!("{e:#}")),
                }
            }
            let (c, r) = raw_host(&lang)?;
            raw.push(ms(c + r));
            raw_run.push(ms(r));
        }
        let o = median(&ours);
        let part = "3 vs DMOJ / raw";
        let note = format!("{reps} alternating reps");
        match (&dmoj, &dmoj_error) {
            (Some(_), None) => {
                let (t, g) = (median(&d_total), median(&d_grading));
                rows.push(row(
                    part,
                    &format!("{} e2e vs `dmoj-cli submit` (whole process)", lang.label),
                    format!("{o:.0} ms"),
                    format!("{t:.0} ms"),
                    format!("{:.2}× (dmoj/ours)", t / o),
                    &format!("{note}; dmoj-cli run includes its own start (~executors load, self-test skipped)"),
                ));
                rows.push(row(
                    part,
                    &format!(
                        "{} e2e vs DMOJ grading only (Start→Done grading)",
                        lang.label
                    ),
                    format!("{o:.0} ms"),
                    format!("{g:.0} ms"),
                    format!("{:.2}× (dmoj/ours)", g / o),
                    "DMOJ: ptrace+seccomp sandbox on the host, no container",
                ));
            }
            (None, _) => rows.push(row(
                part,
                &format!("{} vs DMOJ", lang.label),
                format!("{o:.0} ms"),
                "not measured".into(),
                "-".into(),
                "dmoj-cli not found (scripts/bench.sh installs it into target/bench/dmoj-venv)",
            )),
            (Some(_), Some(e)) => {
                eprintln!("dmoj failed: {e}");
                rows.push(row(
                    part,
                    &format!("{} vs DMOJ", lang.label),
                    format!("{o:.0} ms"),
                    "failed".into(),
                    "-".into(),
                    &e.lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(120)
                        .collect::<String>(),
                ))
            }
        }
        let (r, rr) = (median(&raw), median(&raw_run));
        rows.push(row(
            part,
            &format!(
                "{} e2e vs raw host process ({}20 × `< in`)",
                lang.label,
                if lang.id == "cpp" { "g++ + " } else { "" }
            ),
            format!("{o:.0} ms"),
            format!("{r:.0} ms (runs {rr:.0})"),
            format!("{:.1}× (ours/raw)", o / r),
            "raw = no sandbox, no queue, no limits",
        ));
    }
    Ok(rows)
}
