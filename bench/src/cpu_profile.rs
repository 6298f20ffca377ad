//! Where the CPU goes while the judge works: a sampler thread that reads,
//! every 100 ms and without asking dockerd anything (which would cost the
//! CPU it measures), the CPU time of
//! - dockerd and containerd (their own and their reaped children's),
//! - the containerd shims of the bench's containers (with their reaped
//!   children: every `runc` create, start, exec, update and delete; and the
//!   processes of a container that ends, which its shim reaps: their CPU is
//!   taken off again, as it is already in the container's cgroup),
//! - the bench's sandbox containers (their cgroup's `cpuacct.usage`: the
//!   runner, the compiler, the submission, the reset),
//! - the worker, the API and Redis processes, and the bench itself,
//! - the whole machine (`/proc/stat`), so that what is left over (other
//!   work on a shared machine, the kernel) is visible.
//!
//! Processes and containers that appear during the run count from zero;
//! one that ends is counted up to its last sample (at most 100 ms lost).
//! Containers are told apart by the `judge.worker` label in Docker's own
//! `config.v2.json` of each container, read once per container.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

/// CPU seconds per category, over the sampled interval.
#[derive(Clone, Debug, Default)]
pub struct Profile {
    pub dockerd: f64,
    pub containerd: f64,
    pub shims: f64,
    pub sandboxes: f64,
    pub worker: f64,
    pub api: f64,
    pub redis: f64,
    pub bench: f64,
    pub machine: f64,
    pub seconds: f64,
}

impl Profile {
    /// The machine's CPU not in any listed category.
    pub fn other(&self) -> f64 {
        self.machine
            - (self.dockerd
                + self.containerd
                + self.shims
                + self.sandboxes
                + self.worker
                + self.api
                + self.redis
                + self.bench)
    }
}

/// A running sampler; [`Sampler::stop`] returns the profile.
pub struct Sampler {
    stop: Arc<AtomicBool>,
    thread: JoinHandle<Profile>,
}

/// The pids the bench knows: its services.
#[derive(Clone, Debug, Default)]
pub struct Known {
    pub workers: Vec<u32>,
    pub api: Option<u32>,
    pub redis: Option<u32>,
    /// `judge.worker` labels of the bench's workers.
    pub worker_names: Vec<String>,
}

const TICK: f64 = 0.01; // USER_HZ is 100 on Linux

impl Sampler {
    pub fn start(known: Known) -> Sampler {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || sample_until(known, &flag));
        Sampler { stop, thread }
    }

    pub fn stop(self) -> Profile {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.join().expect("sampler")
    }
}

/// First and last reading of one counter.
#[derive(Default)]
struct Span {
    first: f64,
    last: f64,
}

#[derive(Default)]
struct Counters(HashMap<String, Span>);

impl Counters {
    /// Records `value` for `key`; a key first seen after the start counts from 0.
    fn see(&mut self, key: String, value: f64, at_start: bool) {
        let span = self.0.entry(key).or_insert(Span {
            first: if at_start { value } else { 0.0 },
            last: value,
        });
        span.last = value;
    }

    fn total(&self, prefix: &str) -> f64 {
        self.0
            .iter()
            .filter(|(k, _)| k.starts_with(prefix))
            .map(|(_, s)| (s.last - s.first).max(0.0))
            .sum()
    }
}

fn sample_until(known: Known, stop: &AtomicBool) -> Profile {
    let started = std::time::Instant::now();
    let mut counters = Counters::default();
    let mut ours: HashMap<String, bool> = HashMap::new();
    let mut shim_of: HashMap<u32, Option<String>> = HashMap::new();
    let daemons = [
        ("dockerd", find_pid("dockerd")),
        ("containerd", find_pid("containerd")),
    ];
    let me = std::process::id();
    let mut first = true;
    let mut seen_now: Vec<String> = Vec::new();
    loop {
        let last = stop.load(Ordering::Relaxed);
        for (name, pid) in &daemons {
            if let Some(pid) = pid {
                if let Some(t) = proc_cpu(*pid, true) {
                    counters.see(format!("{name}/{pid}"), t, first);
                }
            }
        }
        let singles = known
            .workers
            .iter()
            .map(|p| ("worker", *p))
            .chain(known.api.map(|p| ("api", p)))
            .chain(known.redis.map(|p| ("redis", p)))
            .chain(std::iter::once(("bench", me)));
        for (name, pid) in singles {
            if let Some(t) = proc_cpu(pid, true) {
                counters.see(format!("{name}/{pid}"), t, first);
            }
        }
        // Shims of our containers (a shim's command line names its container).
        for pid in pids_named("containerd-shim") {
            let container = shim_of
                .entry(pid)
                .or_insert_with(|| shim_container(pid))
                .clone();
            let Some(container) = container else { continue };
            let is_ours = *ours
                .entry(container.clone())
                .or_insert_with(|| labelled_ours(&container, &known.worker_names));
            if is_ours {
                if let Some(t) = proc_cpu(pid, true) {
                    counters.see(format!("shim/{pid}"), t, first);
                }
            }
        }
        // Our containers' cgroups.
        seen_now.clear();
        if let Ok(rd) = std::fs::read_dir("/sys/fs/cgroup/cpuacct/docker") {
            for e in rd.flatten() {
                let id = e.file_name().to_string_lossy().to_string();
                if id.len() != 64 {
                    continue;
                }
                let is_ours = *ours
                    .entry(id.clone())
                    .or_insert_with(|| labelled_ours(&id, &known.worker_names));
                if !is_ours {
                    continue;
                }
                if let Some(ns) = std::fs::read_to_string(e.path().join("cpuacct.usage"))
                    .ok()
                    .and_then(|t| t.trim().parse::<f64>().ok())
                {
                    counters.see(format!("sandbox/{id}"), ns / 1e9, first);
                    seen_now.push(format!("sandbox/{id}"));
                }
            }
        }
        if let Some(t) = machine_busy() {
            counters.see("machine".into(), t, true);
        }
        first = false;
        if last {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    // Containers that ended: their processes were reaped by their shims.
    let ended: f64 = counters
        .0
        .iter()
        .filter(|(k, _)| k.starts_with("sandbox/") && !seen_now.contains(k))
        .map(|(_, s)| (s.last - s.first).max(0.0))
        .sum();
    Profile {
        dockerd: counters.total("dockerd/"),
        containerd: counters.total("containerd/"),
        shims: (counters.total("shim/") - ended).max(0.0),
        sandboxes: counters.total("sandbox/"),
        worker: counters.total("worker/"),
        api: counters.total("api/"),
        redis: counters.total("redis/"),
        bench: counters.total("bench/"),
        machine: counters.total("machine"),
        seconds: started.elapsed().as_secs_f64(),
    }
}

/// utime + stime (+ cutime + cstime with `children`) of a process, in seconds.
fn proc_cpu(pid: u32, children: bool) -> Option<f64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest = stat.rsplit_once(')')?.1;
    let f: Vec<f64> = rest
        .split_whitespace()
        .skip(11)
        .take(4)
        .filter_map(|v| v.parse().ok())
        .collect();
    if f.len() < 4 {
        return None;
    }
    let ticks = f[0] + f[1] + if children { f[2] + f[3] } else { 0.0 };
    Some(ticks * TICK)
}

/// Busy CPU seconds of the whole machine (all but idle and iowait).
fn machine_busy() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let line = stat.lines().next()?;
    let v: Vec<f64> = line
        .split_whitespace()
        .skip(1)
        .filter_map(|x| x.parse().ok())
        .collect();
    let total: f64 = v.iter().take(8).sum();
    let idle = v.get(3)? + v.get(4)?;
    Some((total - idle) * TICK)
}

fn pids_named(comm: &str) -> Vec<u32> {
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/comm")).is_ok_and(|c| c.trim() == comm)
        })
        .collect()
}

fn find_pid(comm: &str) -> Option<u32> {
    pids_named(comm).into_iter().min()
}

/// The container a shim serves: the value after `-id` on its command line.
fn shim_container(pid: u32) -> Option<String> {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).ok()?;
    let args: Vec<String> = cmdline
        .split(|b| *b == 0)
        .map(|a| String::from_utf8_lossy(a).into_owned())
        .collect();
    let at = args.iter().position(|a| a == "-id")?;
    args.get(at + 1).cloned()
}

/// Whether Docker's record of container `id` carries one of our worker labels.
fn labelled_ours(id: &str, workers: &[String]) -> bool {
    let path = Path::new("/var/lib/docker/containers")
        .join(id)
        .join("config.v2.json");
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&text) else {
        return false;
    };
    let label = json["Config"]["Labels"]["judge.worker"].as_str();
    label.is_some_and(|l| workers.iter().any(|w| w == l))
}
