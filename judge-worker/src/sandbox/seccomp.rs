//! The seccomp profile every sandbox runs under (`seccomp.json` beside this
//! file, embedded in the worker binary).
//!
//! It is Docker's default allow-list (of the 20.10 line, which the oldest
//! engine we support ships) minus what a judged program never needs:
//! io_uring, socket families other than AF_UNIX, AF_INET and AF_INET6,
//! keyrings, userfaultfd, perf, bpf, namespaces, mounts, kernel loading,
//! ptrace, and every call Docker allows only with a capability the sandbox
//! drops. Sent as the container's own profile (`seccomp=<JSON>`, as the
//! docker CLI sends a `--security-opt seccomp=file`), so the sandbox is the
//! same whatever default the engine carries. A refused call returns EPERM
//! (clone3: ENOSYS, see its entry), never kills: a runtime that probes for
//! io_uring or a netlink socket falls back and runs on.
//!
//! Each refusal is an entry of its own with a `comment` saying why. They
//! repeat the default action (runc skips a rule equal to the default), so
//! the file reads as the list of what is refused and why, and stays right if
//! the default ever changes.

use std::sync::LazyLock;

/// The profile as kept in the repository (readable, with comments).
pub const PROFILE: &str = include_str!("seccomp.json");

/// The `security_opt` entry that applies the profile.
pub fn security_opt() -> String {
    static OPT: LazyLock<String> = LazyLock::new(|| {
        let profile: serde_json::Value =
            serde_json::from_str(PROFILE).expect("the embedded seccomp profile is JSON");
        format!("seccomp={profile}")
    });
    OPT.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;
    use std::collections::{BTreeSet, HashSet};

    const EPERM: u64 = 1;
    const ENOSYS: u64 = 38;
    const AF_UNIX: u64 = 1;
    const AF_INET: u64 = 2;
    const AF_INET6: u64 = 10;
    /// CLONE_NEWNS | NEWCGROUP | NEWUTS | NEWIPC | NEWUSER | NEWPID | NEWNET.
    const CLONE_NAMESPACES: u64 = 0x7E02_0000;

    /// What the sandbox must refuse, whatever else changes in the profile.
    const REFUSED: &[&str] = &[
        "io_uring_setup",
        "io_uring_enter",
        "io_uring_register",
        "add_key",
        "request_key",
        "keyctl",
        "userfaultfd",
        "perf_event_open",
        "bpf",
        "unshare",
        "setns",
        "clone3",
        "mount",
        "umount",
        "umount2",
        "pivot_root",
        "open_tree",
        "move_mount",
        "fsopen",
        "fsconfig",
        "fsmount",
        "fspick",
        "mount_setattr",
        "kexec_load",
        "kexec_file_load",
        "init_module",
        "finit_module",
        "delete_module",
        "ptrace",
        "process_vm_readv",
        "process_vm_writev",
        "socketcall",
        "chroot",
        "syslog",
        "settimeofday",
        "clock_settime",
    ];

    fn profile() -> Value {
        serde_json::from_str(PROFILE).unwrap()
    }

    fn rules() -> Vec<Value> {
        profile()["syscalls"].as_array().unwrap().clone()
    }

    fn names(rule: &Value) -> Vec<String> {
        rule["names"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_str().unwrap().to_string())
            .collect()
    }

    fn allows(rule: &Value) -> bool {
        rule["action"] == "SCMP_ACT_ALLOW"
    }

    /// The families `socket`-like `call` may be created with; panics on a
    /// rule that allows it without an exact family.
    fn families(call: &str) -> BTreeSet<u64> {
        let mut families = BTreeSet::new();
        for rule in rules().iter().filter(|r| allows(r)) {
            if !names(rule).iter().any(|n| n == call) {
                continue;
            }
            assert_eq!(names(rule), [call], "{call} shares a rule: {rule}");
            let args = rule["args"]
                .as_array()
                .expect("socket rules filter the family");
            assert_eq!(args.len(), 1, "{rule}");
            assert_eq!(args[0]["index"], 0, "{rule}");
            assert_eq!(args[0]["op"], "SCMP_CMP_EQ", "{rule}");
            families.insert(args[0]["value"].as_u64().unwrap());
        }
        families
    }

    #[test]
    fn unlisted_calls_get_eperm_and_nothing_kills() {
        let p = profile();
        assert_eq!(p["defaultAction"], "SCMP_ACT_ERRNO");
        assert_eq!(p["defaultErrnoRet"], EPERM);
        for rule in rules() {
            let action = rule["action"].as_str().unwrap();
            assert!(
                action == "SCMP_ACT_ALLOW" || action == "SCMP_ACT_ERRNO",
                "only allow or errno: {rule}"
            );
            // The same profile on every engine and whatever the capabilities.
            assert!(rule.get("excludes").is_none(), "excludes in {rule}");
            if let Some(includes) = rule.get("includes") {
                let keys: Vec<&String> = includes.as_object().unwrap().keys().collect();
                assert_eq!(keys, ["arches"], "only arch conditions: {rule}");
            }
        }
    }

    #[test]
    fn refused_calls_are_not_allowed_and_each_refusal_says_why() {
        let allowed: HashSet<String> = rules()
            .iter()
            .filter(|r| allows(r))
            .flat_map(names)
            .collect();
        for name in REFUSED {
            assert!(!allowed.contains(*name), "{name} is allowed");
        }
        let mut refused = HashSet::new();
        for rule in rules().iter().filter(|r| !allows(r)) {
            let comment = rule["comment"].as_str().unwrap_or_default();
            assert!(comment.starts_with("REFUSED "), "no reason given: {rule}");
            let expected = if names(rule) == ["clone3"] {
                ENOSYS
            } else {
                EPERM
            };
            assert_eq!(rule["errnoRet"], expected, "{rule}");
            assert!(rule.get("args").is_none(), "{rule}");
            for name in names(rule) {
                assert!(!allowed.contains(&name), "{name} both allowed and refused");
                refused.insert(name);
            }
        }
        for name in REFUSED {
            assert!(refused.contains(*name), "{name} has no refusal entry");
        }
    }

    #[test]
    fn sockets_only_of_the_local_and_loopback_families() {
        assert_eq!(
            families("socket"),
            BTreeSet::from([AF_UNIX, AF_INET, AF_INET6])
        );
        assert_eq!(families("socketpair"), BTreeSet::from([AF_UNIX]));
    }

    #[test]
    fn clone_only_without_namespace_flags() {
        let clones: Vec<Value> = rules()
            .into_iter()
            .filter(|r| allows(r) && names(r).iter().any(|n| n == "clone"))
            .collect();
        assert_eq!(clones.len(), 1);
        assert_eq!(names(&clones[0]), ["clone"]);
        let args = clones[0]["args"].as_array().unwrap();
        assert_eq!(args.len(), 1);
        assert_eq!(args[0]["index"], 0);
        assert_eq!(args[0]["op"], "SCMP_CMP_MASKED_EQ");
        assert_eq!(args[0]["value"], CLONE_NAMESPACES);
        assert_eq!(args[0]["valueTwo"], 0);
    }

    #[test]
    fn what_programs_need_is_allowed() {
        let unconditional: HashSet<String> = rules()
            .iter()
            .filter(|r| allows(r) && r.get("args").is_none() && r.get("includes").is_none())
            .flat_map(names)
            .collect();
        for name in [
            "read",
            "write",
            "openat",
            "mmap",
            "brk",
            "futex",
            "execve",
            "wait4",
            "exit_group",
            "rt_sigaction",
            "kill",
            "clock_gettime",
            "getrandom",
            "connect",
            "sendto",
            "rseq",
        ] {
            assert!(unconditional.contains(name), "{name} is not allowed");
        }
    }

    #[test]
    fn the_option_carries_the_whole_profile() {
        let opt = security_opt();
        let json = opt.strip_prefix("seccomp=").unwrap();
        assert!(!json.contains('\n'));
        assert_eq!(serde_json::from_str::<Value>(json).unwrap(), profile());
    }
}
