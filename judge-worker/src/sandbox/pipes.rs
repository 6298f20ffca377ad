//! The host directory every sandbox sees at [`PIPES_DIR`], where the two
//! processes of an interactive run find the named pipes that connect them
//! (see `judge_runner`'s `fifo` module and [`crate::interactive`]).
//!
//! One directory for every worker of the host, `/run/judge-pipes` (or
//! `$TMPDIR/judge-pipes` where there is no `/run`), root's with mode 0700:
//! the runner (root in the container, without CAP_DAC_OVERRIDE but the
//! owner) may enter it, the sandbox user never. Not below the worker's cache
//! directory: a container's bind names the directory it was created with,
//! and the workers of one process (tests run several, each with a cache
//! directory of its own that goes away with it) share the mount. Each run gets a fresh
//! subdirectory with a random name holding its two FIFOs (mode 0600), removed
//! when the run is over, whatever happened ([`RunPipes`]'s drop).
//!
//! A bind mount names a path on the engine's host, so this works only when
//! the worker and the engine share a file system: the engine local
//! (`DOCKER_HOST` unset or `unix://`) and the worker root (the runner must
//! own the FIFOs). Otherwise the directory is not made, no container mounts
//! it, and interactive runs are relayed by the worker; [`init`] logs why,
//! once. An engine that turns out not to see the directory (a worker in a
//! container of its own with the host's socket, a Unix socket forwarded
//! from another host) is found at the first run: the runners find no pipes
//! ([`mark_unshared`]), and runs are relayed from then on.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

use judge_protocol::{Fifos, PIPES_DIR};

static HOST_DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
static UNSHARED: AtomicBool = AtomicBool::new(false);

/// The pipe towards the validator, then towards the submission.
const TO_VALIDATOR: &str = "to-validator";
const TO_SUBMISSION: &str = "to-submission";

/// Why named pipes cannot be used here, if they cannot.
fn unusable(docker_host: Option<&str>, euid: u32) -> Option<String> {
    if let Some(host) = docker_host.filter(|h| !h.is_empty() && !h.starts_with("unix://")) {
        return Some(format!(
            "the engine ({host}) is not local, and a bind mount names a path on the engine's host"
        ));
    }
    if euid != 0 {
        return Some("the worker is not root, and the runner must own the pipes".into());
    }
    None
}

/// Decides, once per process, whether sandboxes get the pipe directory,
/// and makes it (root's, mode 0700). Later calls (more workers in one
/// process) keep the first decision.
pub fn init() {
    HOST_DIR.get_or_init(|| {
        let docker_host = std::env::var("DOCKER_HOST").ok();
        let euid = unsafe { libc::geteuid() };
        if let Some(why) = unusable(docker_host.as_deref(), euid) {
            tracing::info!("interactive runs are relayed by the worker: {why}");
            return None;
        }
        let run = Path::new("/run");
        let parent = if run.is_dir() {
            run.to_path_buf()
        } else {
            std::env::temp_dir()
        };
        let dir = parent.join("judge-pipes");
        match ensure_private_dir(&dir) {
            Ok(()) => Some(dir),
            Err(e) => {
                tracing::warn!(
                    "interactive runs are relayed by the worker: cannot make {}: {e}",
                    dir.display()
                );
                None
            }
        }
    });
}

/// `dir` exists, is a directory (not a link) of this user, mode 0700. One
/// that someone else made first (in a world-writable `/tmp`) is refused:
/// the worker relays then.
fn ensure_private_dir(dir: &Path) -> io::Result<()> {
    use std::os::unix::fs::{DirBuilderExt, MetadataExt, PermissionsExt};
    match std::fs::DirBuilder::new().mode(0o700).create(dir) {
        Ok(()) => {}
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => {}
        Err(e) => return Err(e),
    }
    let md = std::fs::symlink_metadata(dir)?;
    if !md.is_dir() || md.uid() != unsafe { libc::geteuid() } {
        return Err(io::Error::other("not a directory of this user"));
    }
    if md.mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700))?;
    }
    Ok(())
}

/// The directory sandboxes mount, if they do.
pub fn host_dir() -> Option<&'static Path> {
    HOST_DIR.get().and_then(|d| d.as_deref())
}

/// The container's bind of the pipe directory (`host:/pipes:rw`), if any.
pub fn bind() -> Option<String> {
    host_dir().map(|d| format!("{}:{PIPES_DIR}:rw", d.display()))
}

/// Whether interactive runs can go through named pipes.
pub fn usable() -> bool {
    host_dir().is_some() && !UNSHARED.load(Ordering::Relaxed)
}

/// The engine does not see the pipe directory (the runner found no pipes
/// where the worker made them): relay from now on. Logged once.
pub fn mark_unshared(why: &str) {
    if !UNSHARED.swap(true, Ordering::Relaxed) {
        tracing::warn!(
            "interactive runs are relayed by the worker from now on: the sandboxes do not see the worker's pipe directory ({why})"
        );
    }
}

/// The two FIFOs of one interactive run; the directory goes when dropped.
pub struct RunPipes {
    dir: PathBuf,
    name: String,
}

impl RunPipes {
    /// A fresh directory with its two pipes, below [`host_dir`].
    pub fn create() -> io::Result<RunPipes> {
        let host = host_dir().ok_or_else(|| io::Error::other("no pipe directory"))?;
        Self::create_in(host)
    }

    fn create_in(host: &Path) -> io::Result<RunPipes> {
        ensure_private_dir(host)?;
        let name = random_name()?;
        let dir = host.join(&name);
        {
            use std::os::unix::fs::DirBuilderExt;
            std::fs::DirBuilder::new().mode(0o700).create(&dir)?;
        }
        let pipes = RunPipes { dir, name };
        for fifo in [TO_VALIDATOR, TO_SUBMISSION] {
            mkfifo(&pipes.dir.join(fifo))?;
        }
        Ok(pipes)
    }

    fn inside(&self, fifo: &str) -> String {
        format!("{PIPES_DIR}/{}/{fifo}", self.name)
    }

    /// The validator reads what the submission writes and the other way
    /// round. The validator opens first (see [`Fifos::after_peer`]).
    pub fn validator_side(&self) -> Fifos {
        Fifos {
            stdin: self.inside(TO_VALIDATOR),
            stdout: self.inside(TO_SUBMISSION),
            after_peer: false,
        }
    }

    pub fn submission_side(&self) -> Fifos {
        Fifos {
            stdin: self.inside(TO_SUBMISSION),
            stdout: self.inside(TO_VALIDATOR),
            after_peer: true,
        }
    }
}

impl Drop for RunPipes {
    fn drop(&mut self) {
        if let Err(e) = std::fs::remove_dir_all(&self.dir) {
            tracing::warn!("could not remove {}: {e}", self.dir.display());
        }
    }
}

fn mkfifo(path: &Path) -> io::Result<()> {
    use std::os::unix::ffi::OsStrExt;
    let c = std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(io::Error::other)?;
    if unsafe { libc::mkfifo(c.as_ptr(), 0o600) } < 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}

/// 96 random bits, hex: no run can guess or collide with another's.
fn random_name() -> io::Result<String> {
    use std::io::Read;
    let mut bytes = [0u8; 12];
    std::fs::File::open("/dev/urandom")?.read_exact(&mut bytes)?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pipes_need_a_local_engine_and_root() {
        assert_eq!(unusable(None, 0), None);
        assert_eq!(unusable(Some(""), 0), None);
        assert_eq!(unusable(Some("unix:///run/docker.sock"), 0), None);
        assert!(unusable(Some("tcp://10.0.0.7:2375"), 0)
            .unwrap()
            .contains("not local"));
        assert!(unusable(None, 1000).unwrap().contains("not root"));
    }

    #[test]
    fn the_private_directory_is_made_and_closed_again() {
        use std::os::unix::fs::{MetadataExt, PermissionsExt};
        let base = tempfile::tempdir().unwrap();
        let dir = base.path().join("pipes");
        ensure_private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        ensure_private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().mode() & 0o777, 0o700);
        let pipes = RunPipes::create_in(&dir).unwrap();
        let (v, s) = (pipes.validator_side(), pipes.submission_side());
        assert_eq!(
            (v.stdin.as_str(), v.stdout.as_str()),
            (s.stdout.as_str(), s.stdin.as_str())
        );
        assert!(v.stdin.starts_with("/pipes/") && v.stdin.ends_with("/to-validator"));
        let run_dir = dir.join(&pipes.name);
        for fifo in [TO_VALIDATOR, TO_SUBMISSION] {
            let md = std::fs::symlink_metadata(run_dir.join(fifo)).unwrap();
            assert!(std::os::unix::fs::FileTypeExt::is_fifo(&md.file_type()));
            assert_eq!(md.mode() & 0o777, 0o600);
        }
        let other = RunPipes::create_in(&dir).unwrap();
        assert_ne!(other.name, pipes.name);
        drop(pipes);
        assert!(!run_dir.exists());
        assert!(dir.join(&other.name).exists());
        let link = base.path().join("link");
        std::os::unix::fs::symlink(&dir, &link).unwrap();
        assert!(ensure_private_dir(&link).is_err());
    }
}
