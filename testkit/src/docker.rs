//! The Docker containers of the worker, through the `docker` CLI: what a
//! submission left behind, what a worker has and created ([`Creations`]),
//! and clean-up of a test worker's containers.

use std::process::Command;
use std::time::{Duration, Instant};

/// How long a finished submission's sandbox may take to be removed.
pub const REMOVAL_GRACE: Duration = Duration::from_secs(5);

/// Ids of the containers (running or not) of this submission: created for it
/// (labelled `judge.submission=<id>`) or taken from a worker's warm pool for
/// it (renamed `judge-sub-<id>.<n>`).
///
/// A worker removes a used sandbox in the background just after storing the
/// final state (the verdict does not wait for the removal), so a non-empty
/// answer is re-checked for up to [`REMOVAL_GRACE`] before it is returned:
/// containers that are on their way out count as gone, containers that stay
/// (an orphan nobody removes) are still reported.
pub fn containers_of(submission_id: &str) -> Vec<String> {
    let deadline = Instant::now() + REMOVAL_GRACE;
    loop {
        let found = containers_now(submission_id);
        if found.is_empty() || Instant::now() >= deadline {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

/// [`containers_of`] without the grace: what Docker lists right now.
pub fn containers_now(submission_id: &str) -> Vec<String> {
    let name = submission_id
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .take(64)
        .collect::<String>();
    let mut ids: Vec<String> = [
        format!("label=judge.submission={submission_id}"),
        format!("name=^/judge-sub-{name}\\."),
    ]
    .iter()
    .flat_map(|filter| {
        let output = Command::new("docker")
            .args(["ps", "-aq", "--no-trunc", "--filter", filter])
            .output()
            .expect("docker ps");
        String::from_utf8_lossy(&output.stdout)
            .split_whitespace()
            .map(String::from)
            .collect::<Vec<_>>()
    })
    .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// Removes every container a worker created (its sandboxes and idle pool),
/// with their anonymous volumes. Errors are ignored: this is clean-up.
///
/// A worker killed while its pool was filling may have a create request in
/// flight that dockerd completes after the listing, so the listing is
/// repeated (a few times, 300 ms apart) until it comes back empty.
pub fn remove_worker_containers(worker_name: &str) {
    for round in 0..4 {
        if round > 0 {
            std::thread::sleep(Duration::from_millis(300));
        }
        let listed = Command::new("docker")
            .args([
                "ps",
                "-aq",
                "--filter",
                &format!("label=judge.worker={worker_name}"),
            ])
            .output();
        let Ok(listed) = listed else {
            return;
        };
        let ids: Vec<String> = String::from_utf8_lossy(&listed.stdout)
            .split_whitespace()
            .map(String::from)
            .collect();
        if ids.is_empty() && round > 0 {
            return;
        }
        if !ids.is_empty() {
            let _ = Command::new("docker")
                .args(["rm", "-f", "-v"])
                .args(&ids)
                .output();
        }
    }
}

/// Fails the test (never skips it) when the sandbox image of a language
/// (by id: `python3` runs in `judge-lang-pypy3`) is not built.
pub fn require_images(languages: &[&str]) {
    for lang in languages {
        let image = problem_package::language::by_id(lang)
            .map(|l| format!("{}:latest", l.image))
            .unwrap_or_else(|| panic!("unknown language id {lang}"));
        let ok = Command::new("docker")
            .args(["image", "inspect", &image])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .map(|s| s.success())
            .unwrap_or(false);
        assert!(
            ok,
            "sandbox image {image} is missing: build images with scripts/build-images.sh"
        );
    }
}

/// `docker` with `args`; its stdout, trimmed. A failing command fails the test.
pub fn docker(args: &[&str]) -> String {
    let out = Command::new("docker").args(args).output().expect("docker");
    assert!(
        out.status.success(),
        "docker {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_string()
}

/// Every container (running or not) of a worker, by full id, sorted;
/// `filters` narrow it (`label=judge.pool=IMAGE`).
pub fn worker_containers(worker: &str, filters: &[&str]) -> Vec<String> {
    let mut args = vec![
        "ps".to_string(),
        "-aq".into(),
        "--no-trunc".into(),
        "--filter".into(),
        format!("label=judge.worker={worker}"),
    ];
    for f in filters {
        args.extend(["--filter".to_string(), f.to_string()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut ids: Vec<String> = docker(&args).lines().map(str::to_string).collect();
    ids.sort();
    ids
}

/// Watches Docker create containers for a worker: which it created between
/// [`Creations::since_now`] and [`Creations::list`], from `docker events`
/// (so a container created and already removed counts too). Proof that a
/// submission ran in a pooled container: none was created meanwhile.
pub struct Creations {
    worker: String,
    since: String,
}

impl Creations {
    /// Starts watching, from Docker's clock now.
    pub fn since_now(worker: &str) -> Creations {
        Creations {
            worker: worker.to_string(),
            since: docker_now(),
        }
    }

    /// The containers created since then: `ID POOL` a line (the pool label
    /// empty for a container of no pool).
    pub fn list(&self) -> String {
        let until = docker_now();
        docker(&[
            "events",
            "--since",
            &self.since,
            "--until",
            &until,
            "--filter",
            "type=container",
            "--filter",
            "event=create",
            "--filter",
            &format!("label=judge.worker={}", self.worker),
            "--format",
            "{{.ID}} {{index .Actor.Attributes \"judge.pool\"}}",
        ])
    }
}

/// The Docker daemon's clock, as `docker events --since/--until` take it.
fn docker_now() -> String {
    docker(&["system", "info", "--format", "{{.SystemTime}}"])
}
