//! The CLI runner: the built `judge` binary with none of the caller's
//! `JUDGE_URL`, `JUDGE_USER` or `JUDGE_TOKEN`, so only what a test sets
//! reaches it.

use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};

use tokio::io::AsyncWriteExt;

/// The directory holding the workspace's built binaries (`target/debug`).
/// `scripts/test.sh` builds them before the tests run.
pub fn bin_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test binary path");
    // target/debug/deps/<test> -> target/debug
    exe.parent()
        .and_then(|p| p.parent())
        .expect("target dir")
        .to_path_buf()
}

/// One run of `judge`.
pub struct Judge {
    command: tokio::process::Command,
}

impl Judge {
    /// The binary at `path` (a CLI test passes `env!("CARGO_BIN_EXE_judge")`).
    pub fn at(path: impl AsRef<OsStr>) -> Judge {
        let mut command = tokio::process::Command::new(path);
        command
            .env_remove("JUDGE_URL")
            .env_remove("JUDGE_USER")
            .env_remove("JUDGE_TOKEN");
        Judge { command }
    }

    /// The workspace's built `judge` (in [`bin_dir`]).
    pub fn built() -> Judge {
        Self::at(bin_dir().join("judge"))
    }

    pub fn args<S: AsRef<OsStr>>(mut self, args: impl IntoIterator<Item = S>) -> Judge {
        self.command.args(args);
        self
    }

    pub fn env(mut self, key: &str, value: impl AsRef<OsStr>) -> Judge {
        self.command.env(key, value);
        self
    }

    /// `JUDGE_URL`.
    pub fn url(self, url: &str) -> Judge {
        self.env("JUDGE_URL", url)
    }

    /// `JUDGE_TOKEN`, if given.
    pub fn token(self, token: Option<&str>) -> Judge {
        match token {
            Some(t) => self.env("JUDGE_TOKEN", t),
            None => self,
        }
    }

    /// A private configuration directory (`XDG_CONFIG_HOME`).
    pub fn config_dir(self, dir: &Path) -> Judge {
        self.env("XDG_CONFIG_HOME", dir)
    }

    /// Runs it to the end.
    pub async fn output(mut self) -> Output {
        self.command.output().await.expect("run judge")
    }

    /// Runs it with `stdin` piped in.
    pub async fn output_with_stdin(mut self, stdin: &str) -> Output {
        let mut child = self
            .command
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run judge");
        let mut pipe = child.stdin.take().unwrap();
        // A usage error exits before reading stdin: the write then meets a
        // closed pipe, which is no failure of the test.
        let _ = pipe.write_all(stdin.as_bytes()).await;
        drop(pipe);
        child.wait_with_output().await.unwrap()
    }

    /// Runs it; returns (exit code, stdout, stderr).
    pub async fn run(self) -> (i32, String, String) {
        let output = self.output().await;
        (
            output.status.code().unwrap_or(-1),
            text(&output.stdout),
            text(&output.stderr),
        )
    }
}

/// Output bytes as text.
pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Runs the built `judge` with `args` against the API at `api_url`, with a
/// home of no one's (no saved token); returns (exit code, stdout, stderr).
pub async fn judge(api_url: &str, args: &[&str]) -> (i32, String, String) {
    Judge::built()
        .args(["--url", api_url])
        .args(args)
        .env("HOME", std::env::temp_dir())
        .run()
        .await
}

/// Runs the built `judge` with `args` against the API at `api_url` with
/// `--token token`, a home of no one's and no colours; returns (exit code,
/// stdout, stderr).
pub async fn judge_with_token(api_url: &str, token: &str, args: &[&str]) -> (i32, String, String) {
    Judge::built()
        .args(["--url", api_url, "--token", token])
        .args(args)
        .env("HOME", std::env::temp_dir())
        .env("NO_COLOR", "1")
        .run()
        .await
}
