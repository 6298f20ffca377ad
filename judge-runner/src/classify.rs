//! Turning what the runner measured into a [`Termination`]: a pure function.

use judge_protocol::{Limits, Termination};

/// How the child ended, per `wait4`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Ended {
    Exited(i32),
    Signaled(i32),
}

/// Everything measured about one process.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Measured {
    pub ended: Ended,
    pub cpu_ms: u64,
    pub wall_ms: u64,
    pub memory_kb: u64,
    /// The runner killed the process group at the wall-clock limit.
    pub wall_killed: bool,
    /// The runner killed the process group for writing too much stdout.
    pub output_killed: bool,
    /// The cgroup's `oom_kill` counter went up during the run.
    pub oom_killed: bool,
    /// The container's memory cgroup limit, if known.
    pub cgroup_limit_kb: Option<u64>,
}

/// The classification: termination plus exit code / signal when known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Outcome {
    pub termination: Termination,
    pub exit_code: Option<i32>,
    pub signal: Option<i32>,
}

/// Precedence: time (CPU, then wall), memory, output, then signal/exit;
/// except that a SIGKILL the runner did not send, with the cgroup OOM killer
/// active or peak memory near the effective limit, is memory first: a
/// program thrashing at the cgroup limit burns (system) CPU time before the
/// OOM killer ends it, but memory is what killed it.
pub fn classify(limits: &Limits, m: &Measured) -> Outcome {
    let (exit_code, signal) = match m.ended {
        Ended::Exited(c) => (Some(c), None),
        Ended::Signaled(s) => (None, Some(s)),
    };
    let by_runner = m.wall_killed || m.output_killed;
    let sigkill_not_ours = signal == Some(libc::SIGKILL) && !by_runner;
    let effective_kb = m
        .cgroup_limit_kb
        .map_or(limits.memory_kb, |c| c.min(limits.memory_kb));
    let near_limit = m.memory_kb.saturating_mul(10) >= effective_kb.saturating_mul(9);
    let oom_kill = sigkill_not_ours && (m.oom_killed || near_limit);
    let termination = if oom_kill {
        Termination::MemoryLimit
    } else if m.cpu_ms > limits.cpu_ms
        || signal == Some(libc::SIGXCPU)
        || (sigkill_not_ours && m.cpu_ms >= limits.cpu_ms)
    {
        Termination::CpuLimit
    } else if m.wall_killed {
        Termination::WallLimit
    } else if m.memory_kb > limits.memory_kb || m.oom_killed {
        Termination::MemoryLimit
    } else if m.output_killed {
        Termination::OutputLimit
    } else if signal.is_some() {
        Termination::Signaled
    } else {
        Termination::Exited
    };
    Outcome {
        termination,
        exit_code,
        signal,
    }
}

/// Whether a program's stderr says its runtime gave up for lack of memory.
///
/// Runtimes with their own heap limit fail before the kernel does, with a
/// small resident size: the JVM at `-Xmx` (the memory limit) throws
/// `OutOfMemoryError` and exits 1; Node aborts with "JavaScript heap out of
/// memory"; a single huge request fails at once (`new long[1 << 30]`,
/// `[0] * 10**12`, `new char[1L << 40]`). Without this those would be run-time
/// errors. The runner sees no language, so it goes by these messages, which a
/// program can print itself, but only to get MLE instead of RE for a run that
/// failed anyway: only a process that did not exit 0 is reclassified.
pub fn runtime_out_of_memory(stderr: &[u8]) -> bool {
    const MARKERS: &[&[u8]] = &[
        b"java.lang.OutOfMemoryError",
        b"JavaScript heap out of memory",
        b"fatal error: runtime: out of memory",
        b"std::bad_alloc",
    ];
    let text = stderr;
    let found = |m: &[u8]| text.windows(m.len()).any(|w| w == m);
    if MARKERS.iter().any(|m| found(m)) {
        return true;
    }
    // Python: the traceback's last line is the exception.
    String::from_utf8_lossy(stderr)
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| l.starts_with("MemoryError"))
}

/// A run's classification with [`runtime_out_of_memory`] applied: a run that
/// crashed or exited non-zero saying it ran out of memory is MLE.
pub fn classify_run(limits: &Limits, m: &Measured, stderr: &[u8]) -> Outcome {
    let mut o = classify(limits, m);
    let failed = match o.termination {
        Termination::Exited => o.exit_code != Some(0),
        Termination::Signaled => true,
        _ => false,
    };
    if failed && runtime_out_of_memory(stderr) {
        o.termination = Termination::MemoryLimit;
    }
    o
}

/// RLIMIT_CPU (soft, hard) in seconds for a CPU limit in milliseconds: the
/// soft limit is the first whole second strictly above the limit (SIGXCPU
/// arrives there), the hard limit (SIGKILL) one second later.
///
/// Not "rounded up": with a 1 s limit and a 1 s soft limit the kernel sent
/// SIGXCPU when rusage showed only 934 ms (its tick-based accounting runs
/// ahead of rusage), which would be an unfair TLE. The exact verdict comes
/// from `cpu_ms > limit`; the rlimit only stops a runaway shortly after.
pub fn cpu_rlimit(cpu_ms: u64) -> (u64, u64) {
    let soft = cpu_ms / 1000 + 1;
    (soft, soft + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits() -> Limits {
        Limits {
            cpu_ms: 1000,
            wall_ms: 3000,
            memory_kb: 256 * 1024,
            output_bytes: 1 << 20,
            file_size_bytes: 1 << 20,
            open_files: 64,
        }
    }

    fn ok() -> Measured {
        Measured {
            ended: Ended::Exited(0),
            cpu_ms: 10,
            wall_ms: 20,
            memory_kb: 3000,
            wall_killed: false,
            output_killed: false,
            oom_killed: false,
            cgroup_limit_kb: Some(512 * 1024),
        }
    }

    fn t(m: Measured) -> Termination {
        classify(&limits(), &m).termination
    }

    #[test]
    fn normal_exits_and_signals() {
        let o = classify(&limits(), &ok());
        assert_eq!(o.termination, Termination::Exited);
        assert_eq!(o.exit_code, Some(0));
        let o = classify(
            &limits(),
            &Measured {
                ended: Ended::Exited(3),
                ..ok()
            },
        );
        assert_eq!((o.termination, o.exit_code), (Termination::Exited, Some(3)));
        let o = classify(
            &limits(),
            &Measured {
                ended: Ended::Signaled(6),
                ..ok()
            },
        );
        assert_eq!((o.termination, o.signal), (Termination::Signaled, Some(6)));
        // A SIGKILL far from every limit (e.g. kill -9 self) is just a signal.
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                ..ok()
            }),
            Termination::Signaled
        );
    }

    #[test]
    fn time_limits() {
        assert_eq!(
            t(Measured {
                cpu_ms: 1001,
                ..ok()
            }),
            Termination::CpuLimit
        );
        assert_eq!(
            t(Measured {
                cpu_ms: 1000,
                ..ok()
            }),
            Termination::Exited
        );
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(libc::SIGXCPU),
                cpu_ms: 999,
                ..ok()
            }),
            Termination::CpuLimit
        );
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                cpu_ms: 1000,
                ..ok()
            }),
            Termination::CpuLimit
        );
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                wall_killed: true,
                ..ok()
            }),
            Termination::WallLimit
        );
        // CPU over the limit wins over the wall clock.
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                wall_killed: true,
                cpu_ms: 2500,
                ..ok()
            }),
            Termination::CpuLimit
        );
    }

    #[test]
    fn memory_output_and_precedence() {
        assert_eq!(
            t(Measured {
                memory_kb: 256 * 1024 + 1,
                ..ok()
            }),
            Termination::MemoryLimit
        );
        assert_eq!(
            t(Measured {
                oom_killed: true,
                ended: Ended::Signaled(9),
                ..ok()
            }),
            Termination::MemoryLimit
        );
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                memory_kb: 250 * 1024,
                ..ok()
            }),
            Termination::MemoryLimit
        );
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                output_killed: true,
                ..ok()
            }),
            Termination::OutputLimit
        );
        // Memory beats output, time beats memory.
        assert_eq!(
            t(Measured {
                output_killed: true,
                memory_kb: 1 << 30,
                ..ok()
            }),
            Termination::MemoryLimit
        );
        assert_eq!(
            t(Measured {
                cpu_ms: 5000,
                memory_kb: 1 << 30,
                ..ok()
            }),
            Termination::CpuLimit
        );
        // An output kill's SIGKILL is not mistaken for the OOM killer.
        assert_eq!(
            t(Measured {
                ended: Ended::Signaled(9),
                output_killed: true,
                memory_kb: 250 * 1024,
                ..ok()
            }),
            Termination::OutputLimit
        );
    }

    #[test]
    fn oom_kill_beats_cpu_time_spent_thrashing() {
        let m = Measured {
            ended: Ended::Signaled(9),
            cpu_ms: 1257,
            memory_kb: 522_932,
            ..ok()
        };
        let big = Limits {
            memory_kb: 1 << 20,
            ..limits()
        };
        assert_eq!(classify(&big, &m).termination, Termination::MemoryLimit);
        let m = Measured {
            oom_killed: true,
            memory_kb: 100,
            ..m
        };
        assert_eq!(classify(&big, &m).termination, Termination::MemoryLimit);
        // SIGXCPU is never memory.
        let m = Measured {
            ended: Ended::Signaled(libc::SIGXCPU),
            ..m
        };
        assert_eq!(classify(&big, &m).termination, Termination::CpuLimit);
    }

    #[test]
    fn runtimes_that_say_out_of_memory_are_mle() {
        let java = b"Exception in thread \"main\" java.lang.OutOfMemoryError: Java heap space\n\tat Solution.main(Solution.java:5)\n";
        let failed = Measured {
            ended: Ended::Exited(1),
            ..ok()
        };
        assert_eq!(
            classify_run(&limits(), &failed, java).termination,
            Termination::MemoryLimit
        );
        let py = b"Traceback (most recent call last):\n  File \"main.py\", line 1, in <module>\nMemoryError\n";
        assert_eq!(
            classify_run(&limits(), &failed, py).termination,
            Termination::MemoryLimit
        );
        let node =
            b"FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory\n";
        let aborted = Measured {
            ended: Ended::Signaled(libc::SIGABRT),
            ..ok()
        };
        assert_eq!(
            classify_run(&limits(), &aborted, node).termination,
            Termination::MemoryLimit
        );
        // A clean exit stays clean, other errors stay errors, time stays time.
        assert_eq!(
            classify_run(&limits(), &ok(), java).termination,
            Termination::Exited
        );
        assert_eq!(
            classify_run(&limits(), &failed, b"ValueError: MemoryError\n").termination,
            Termination::Exited
        );
        let slow = Measured {
            cpu_ms: 5000,
            ..failed
        };
        assert_eq!(
            classify_run(&limits(), &slow, java).termination,
            Termination::CpuLimit
        );
    }

    #[test]
    fn cpu_rlimit_is_just_above_the_limit() {
        assert_eq!(cpu_rlimit(1000), (2, 3));
        assert_eq!(cpu_rlimit(999), (1, 2));
        assert_eq!(cpu_rlimit(1001), (2, 3));
        assert_eq!(cpu_rlimit(1500), (2, 3));
        assert_eq!(cpu_rlimit(0), (1, 2));
    }
}
