//! One CPU per judging slot: every sandbox is pinned (`cpuset_cpus`) to the
//! CPU it leases here, so that two submissions judged at the same time never
//! share a core and each one's CPU time is its own, as DOMjudge recommends
//! for judgehosts. A lease goes to the CPU with the fewest sandboxes judging;
//! with more sandboxes than CPUs (more slots than cores, or a validator's
//! sandbox beside its submission's) CPUs are shared evenly.
//!
//! A used container keeps its CPU while its runner resets it, but only as a
//! *settling* lease ([`CpuLease::settle`]): the next submission goes to a CPU
//! with no sandbox judging before one with a container being reset. Counting
//! the two alike sent the next submission of a slot whose container was
//! still resetting onto the CPU where the other slot was judging, leaving
//! the other CPU idle; with 2 slots that lost about a quarter of the
//! throughput (docs/benchmarks.md).

use std::sync::{Arc, Mutex};

/// The CPUs sandboxes may be pinned to, and what holds each.
#[derive(Debug)]
pub struct CpuSet {
    cpus: Vec<usize>,
    loads: Mutex<Vec<Load>>,
}

/// The leases on one CPU, compared judging first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
struct Load {
    judging: u32,
    settling: u32,
}

/// A sandbox's CPU, given back when dropped.
#[derive(Debug)]
pub struct CpuLease {
    set: Arc<CpuSet>,
    index: usize,
    settling: bool,
}

impl CpuSet {
    /// A set of the given CPU ids (non-empty, as the host numbers them).
    pub fn new(cpus: Vec<usize>) -> Arc<CpuSet> {
        assert!(!cpus.is_empty(), "a CPU set needs a CPU");
        let n = cpus.len();
        Arc::new(CpuSet {
            cpus,
            loads: Mutex::new(vec![Load::default(); n]),
        })
    }

    /// The CPU for the next sandbox: one with the fewest sandboxes judging,
    /// then the fewest settling; among those the one `prefer` likes (an idle
    /// container is already pinned there), else the first.
    pub fn lease(self: &Arc<Self>, prefer: impl Fn(usize) -> bool) -> CpuLease {
        let mut loads = self.loads.lock().unwrap();
        let least = *loads.iter().min().expect("non-empty");
        let candidates: Vec<usize> = (0..self.cpus.len())
            .filter(|&i| loads[i] == least)
            .collect();
        let index = candidates
            .iter()
            .copied()
            .find(|&i| prefer(self.cpus[i]))
            .unwrap_or(candidates[0]);
        loads[index].judging += 1;
        CpuLease {
            set: self.clone(),
            index,
            settling: false,
        }
    }

    /// The CPU a pooled container is created on: the `n`-th of the set, round robin.
    pub fn nth(&self, n: usize) -> usize {
        self.cpus[n % self.cpus.len()]
    }
}

impl CpuLease {
    pub fn cpu(&self) -> usize {
        self.set.cpus[self.index]
    }

    /// The sandbox is done judging and being reset: its CPU is kept, but a
    /// new sandbox prefers it to one where a submission is judged.
    pub fn settle(&mut self) {
        if !self.settling {
            let mut loads = self.set.loads.lock().unwrap();
            loads[self.index].judging -= 1;
            loads[self.index].settling += 1;
            self.settling = true;
        }
    }
}

impl Drop for CpuLease {
    fn drop(&mut self) {
        let mut loads = self.set.loads.lock().unwrap();
        let load = &mut loads[self.index];
        if self.settling {
            load.settling -= 1;
        } else {
            load.judging -= 1;
        }
    }
}

/// Parses a CPU list as the kernel writes it (`0-3,6`).
pub fn parse_list(text: &str) -> Result<Vec<usize>, String> {
    let mut cpus = Vec::new();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let bad = || format!("bad CPU list {text:?}: {part:?} is not N or N-M");
        match part.split_once('-') {
            Some((a, b)) => {
                let (a, b): (usize, usize) = (
                    a.trim().parse().map_err(|_| bad())?,
                    b.trim().parse().map_err(|_| bad())?,
                );
                if a > b {
                    return Err(bad());
                }
                cpus.extend(a..=b);
            }
            None => cpus.push(part.parse().map_err(|_| bad())?),
        }
    }
    cpus.sort_unstable();
    cpus.dedup();
    if cpus.is_empty() {
        return Err(format!("bad CPU list {text:?}: no CPU"));
    }
    Ok(cpus)
}

/// The CPUs this process may run on (`Cpus_allowed_list`); its sandboxes are
/// pinned among them.
pub fn allowed() -> Option<Vec<usize>> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let list = status
        .lines()
        .find_map(|l| l.strip_prefix("Cpus_allowed_list:"))?;
    parse_list(list).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_parse_as_the_kernel_writes_them() {
        assert_eq!(parse_list("0-3,6").unwrap(), vec![0, 1, 2, 3, 6]);
        assert_eq!(parse_list("1").unwrap(), vec![1]);
        assert_eq!(parse_list(" 2,0-1,1 ").unwrap(), vec![0, 1, 2]);
        assert!(parse_list("3-1").is_err());
        assert!(parse_list("x").is_err());
        assert!(parse_list("").is_err());
        assert!(!allowed().unwrap().is_empty());
    }

    #[test]
    fn leases_spread_over_cpus_and_come_back() {
        let set = CpuSet::new(vec![2, 5]);
        let a = set.lease(|_| false);
        let b = set.lease(|_| false);
        assert_ne!(a.cpu(), b.cpu(), "two slots, two CPUs");
        // Both taken: a third shares one.
        let c = set.lease(|cpu| cpu == 5);
        assert_eq!(c.cpu(), 5);
        drop(a);
        drop(c);
        // The freed CPU is the one with the fewest leases again.
        let d = set.lease(|_| false);
        assert_ne!(d.cpu(), b.cpu());
        // Among equals, the preferred one.
        drop(d);
        drop(b);
        assert_eq!(set.lease(|cpu| cpu == 5).cpu(), 5);
        assert_eq!(set.nth(3), 5);
    }

    #[test]
    fn a_cpu_whose_container_is_being_reset_goes_before_one_that_judges() {
        let set = CpuSet::new(vec![0, 1]);
        let judging = set.lease(|_| false);
        let mut resetting = set.lease(|_| false);
        resetting.settle();
        // The next submission of the slot whose container is resetting gets
        // that slot's CPU, even when it would rather have the other one.
        let next = set.lease(|cpu| cpu == judging.cpu());
        assert_eq!(next.cpu(), resetting.cpu());
        drop(resetting);
        drop(next);
        // Settling twice counts once; dropping gives everything back.
        let mut again = set.lease(|cpu| cpu != judging.cpu());
        again.settle();
        again.settle();
        drop(again);
        assert_ne!(set.lease(|_| false).cpu(), judging.cpu());
    }
}
