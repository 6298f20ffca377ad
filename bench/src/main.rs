//! Benchmarks of the judge, each reported as a ratio against a baseline
//! measured side by side in the same run. See docs/benchmarks.md and
//! scripts/bench.sh.
//!
//! `cargo run --release -p bench -- overhead|naive|dmoj|throughput|api|gateway|contest|all`
//! (`all` leaves `contest` out)

mod api;
mod burst;
mod common;
mod contest;
mod cpu_noise;
mod cpu_profile;
mod gateway;
mod judging;
mod real_packages;
mod real_throughput;
mod throughput;

use std::path::PathBuf;

use clap::{Parser, ValueEnum};

use common::{markdown_table, print_table, Row};

#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Part {
    Overhead,
    Naive,
    Dmoj,
    Throughput,
    Api,
    Gateway,
    /// A contest's board (not part of `all`).
    Contest,
    All,
}

/// What the throughput part submits.
#[derive(Clone, Copy, Debug, PartialEq, ValueEnum)]
enum Workload {
    /// The benchsum bursts (1 and 2 slots, PyPy, CPython, C++).
    Benchsum,
    /// The packages like real ones (custom validator, interactive, 50 MB).
    Real,
    /// Both.
    All,
}

#[derive(Parser, Debug)]
#[command(
    name = "bench",
    about = "Benchmarks of the judge (ratios against side-by-side baselines)"
)]
struct Args {
    /// Which part to run.
    #[arg(value_enum, default_value = "all")]
    part: Part,
    /// Sequential submissions per language for the overhead part.
    #[arg(long, default_value_t = 20)]
    overhead_submissions: usize,
    /// Pause before each overhead submission, in ms (lets a warm pool refill,
    /// as between the submissions of a judge that is not saturated).
    #[arg(long, default_value_t = 1000)]
    gap_ms: u64,
    /// Alternating repetitions for the naive and DMOJ comparisons.
    #[arg(long, default_value_t = 5)]
    reps: usize,
    /// Submissions in each throughput burst (per language, per mode, for 1
    /// and 2 slots).
    #[arg(long, default_value_t = 100)]
    submissions: usize,
    /// What the throughput part submits.
    #[arg(long, value_enum, default_value = "all")]
    workload: Workload,
    /// Submissions in each throughput burst on a real-like package (per
    /// package, language and mode; 2 slots). 40, so that the burst's start
    /// and drain (one slot idle while the last submission runs) weigh about
    /// 2 % of a C++ burst rather than 4 %.
    #[arg(long, default_value_t = 40)]
    real_submissions: usize,
    /// Only these real-like packages (comma-separated ids; default all).
    #[arg(long, value_delimiter = ',')]
    real_packages: Vec<String>,
    /// Only these languages on the real-like packages (`cpp`, `python3`).
    #[arg(long, value_delimiter = ',')]
    real_languages: Vec<String>,
    /// Only these modes on the real-like packages (`new`, `reused`).
    #[arg(long, value_delimiter = ',')]
    real_modes: Vec<String>,
    /// Submissions POSTed in the API part.
    #[arg(long, default_value_t = 5000)]
    api_submissions: usize,
    /// XADDs sent by redis-benchmark in the API part.
    #[arg(long, default_value_t = 20000)]
    redis_requests: usize,
    /// WebSocket clients in the gateway part.
    #[arg(long, default_value_t = 10000)]
    clients: usize,
    /// Contest part: teams, problems and verdicts of the synthesized contest.
    #[arg(long, default_value_t = 1000)]
    teams: usize,
    #[arg(long, default_value_t = 12)]
    problems: usize,
    #[arg(long, default_value_t = 20000)]
    verdicts: usize,
    /// Contest part: WebSocket viewers of the board, split over two gateways.
    #[arg(long, default_value_t = 5000)]
    viewers: usize,
    /// Contest part: verdicts appended live while the viewers watch.
    #[arg(long, default_value_t = 40)]
    live_verdicts: usize,
    /// Also write the table as Markdown here.
    #[arg(long)]
    markdown: Option<PathBuf>,
}

/// Part 4: the benchsum bursts and/or the real-like packages.
async fn throughput_part(args: &Args) -> anyhow::Result<Vec<Row>> {
    let mut rows = Vec::new();
    if args.workload != Workload::Real {
        rows.extend(throughput::throughput(args.submissions).await?);
    }
    if args.workload != Workload::Benchsum {
        let only = real_throughput::Only {
            packages: args.real_packages.clone(),
            languages: args.real_languages.clone(),
            modes: args.real_modes.clone(),
        };
        rows.extend(real_throughput::real_throughput(args.real_submissions, &only).await?);
    }
    Ok(rows)
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let parts: Vec<Part> = if args.part == Part::All {
        vec![
            Part::Overhead,
            Part::Naive,
            Part::Dmoj,
            Part::Throughput,
            Part::Api,
            Part::Gateway,
        ]
    } else {
        vec![args.part]
    };
    let mut rows: Vec<Row> = Vec::new();
    for part in parts {
        eprintln!("== {part:?}");
        let result = match part {
            Part::Overhead => {
                judging::overhead(
                    args.overhead_submissions,
                    std::time::Duration::from_millis(args.gap_ms),
                )
                .await
            }
            Part::Naive => judging::naive(args.reps).await,
            Part::Dmoj => judging::dmoj(args.reps).await,
            Part::Throughput => throughput_part(&args).await,
            Part::Api => api::api(args.api_submissions, args.redis_requests).await,
            Part::Gateway => gateway::gateway(args.clients).await,
            Part::Contest => {
                contest::contest(contest::Size {
                    teams: args.teams,
                    problems: args.problems,
                    verdicts: args.verdicts,
                    viewers: args.viewers,
                    live: args.live_verdicts,
                })
                .await
            }
            Part::All => unreachable!(),
        };
        match result {
            Ok(mut r) => {
                print_table(&r);
                rows.append(&mut r);
            }
            Err(e) => {
                eprintln!("{part:?} failed: {e:#}");
                rows.push(common::row(
                    &format!("{part:?}").to_lowercase(),
                    "failed",
                    "-".into(),
                    "-".into(),
                    "-".into(),
                    &format!("{e:#}")
                        .lines()
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(160)
                        .collect::<String>(),
                ));
            }
        }
    }
    println!("\n== all results");
    print_table(&rows);
    if let Some(path) = args.markdown {
        std::fs::write(&path, markdown_table(&rows))?;
    }
    Ok(())
}
