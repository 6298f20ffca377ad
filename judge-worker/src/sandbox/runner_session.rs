//! The worker's end of the runner protocol ([`judge_protocol`]) over
//! a `docker exec`'s stdio: requests written to its stdin, responses and
//! their payloads cut from its multiplexed stdout.

use std::pin::Pin;

use bollard::container::LogOutput;
use bytes::{Buf, BytesMut};
use futures_util::{Stream, StreamExt};
use judge_protocol::{Limits, Report, Request, Response};
use tokio::io::{AsyncWrite, AsyncWriteExt};

use super::error::SandboxError;

/// Longest protocol line accepted from the runner; a longer one is a fault.
const MAX_LINE: usize = 1 << 20;
/// Runner stderr kept to explain a runner that died.
const STDERR_TAIL: usize = 4096;

type OutputStream = Pin<Box<dyn Stream<Item = Result<LogOutput, bollard::errors::Error>> + Send>>;
type InputSink = Pin<Box<dyn AsyncWrite + Send>>;

/// The worker's end of the runner protocol.
///
/// Docker multiplexes the exec's stdout and stderr into frames whose
/// boundaries mean nothing: a JSON line or a payload may span frames and a
/// frame may hold several. So stdout frames are appended to one buffer that
/// lines and payloads are cut from; stderr frames are the runner's
/// diagnostics and are only logged (and remembered, to explain a crash).
pub struct RunnerSession {
    output: OutputStream,
    input: InputSink,
    buffer: BytesMut,
    stderr_tail: String,
    label: String,
}

impl RunnerSession {
    pub fn new(output: OutputStream, input: InputSink, label: String) -> RunnerSession {
        RunnerSession {
            output,
            input,
            buffer: BytesMut::new(),
            stderr_tail: String::new(),
            label,
        }
    }

    /// Sends a request line, then its payload if it announces one.
    pub async fn send(&mut self, request: &Request, payload: &[u8]) -> Result<(), SandboxError> {
        let mut line = serde_json::to_vec(request).expect("requests serialize");
        line.push(b'\n');
        self.input.write_all(&line).await?;
        if !payload.is_empty() {
            self.input.write_all(payload).await?;
        }
        self.input.flush().await?;
        Ok(())
    }

    /// Reads one response and the payload it announces (`Report.stdout_len`,
    /// `Output.len`). A `Response::Error` is returned as it is; the callers
    /// turn it into a fault.
    pub async fn receive(&mut self) -> Result<(Response, Vec<u8>), SandboxError> {
        loop {
            if let Some(message) = self.try_receive()? {
                return Ok(message);
            }
            self.fill().await?;
        }
    }

    /// Cuts one whole response (and its payload) from what has arrived,
    /// without waiting. With [`RunnerSession::fill`], which is cancel-safe,
    /// a caller can wait on several sessions at once (interactive problems).
    pub fn try_receive(&mut self) -> Result<Option<(Response, Vec<u8>)>, SandboxError> {
        let Some(end) = self.buffer.iter().position(|&b| b == b'\n') else {
            if self.buffer.len() > MAX_LINE {
                return Err(SandboxError::Protocol(format!(
                    "a response line longer than {MAX_LINE} bytes"
                )));
            }
            return Ok(None);
        };
        let text = &self.buffer[..end];
        let response: Response = serde_json::from_slice(text).map_err(|e| {
            SandboxError::Protocol(format!(
                "{e} in {:?}",
                String::from_utf8_lossy(&text[..text.len().min(200)])
            ))
        })?;
        let payload_len = response.payload_len() as usize;
        if self.buffer.len() < end + 1 + payload_len {
            return Ok(None);
        }
        self.buffer.advance(end + 1);
        let payload = self.buffer.split_to(payload_len).to_vec();
        Ok(Some((response, payload)))
    }

    /// Whether the runner may still be serving: its output has not ended and
    /// it sent nothing unasked (stderr diagnostics aside). Does not wait.
    pub fn is_alive(&mut self) -> bool {
        use futures_util::FutureExt;
        self.buffer.is_empty() && self.fill().now_or_never().is_none()
    }

    /// Reads one more frame from the exec (cancel-safe).
    pub async fn fill(&mut self) -> Result<(), SandboxError> {
        loop {
            match self.output.next().await {
                Some(Ok(LogOutput::StdOut { message }))
                | Some(Ok(LogOutput::Console { message })) => {
                    self.buffer.extend_from_slice(message.chunk());
                    return Ok(());
                }
                Some(Ok(LogOutput::StdErr { message })) => {
                    let text = String::from_utf8_lossy(&message);
                    for line in text.lines().filter(|l| !l.trim().is_empty()) {
                        tracing::debug!(container = %self.label, "runner: {line}");
                    }
                    self.stderr_tail.push_str(&text);
                    if self.stderr_tail.len() > STDERR_TAIL {
                        let mut cut = self.stderr_tail.len() - STDERR_TAIL;
                        while !self.stderr_tail.is_char_boundary(cut) {
                            cut += 1;
                        }
                        self.stderr_tail.drain(..cut);
                    }
                }
                Some(Ok(LogOutput::StdIn { .. })) => {}
                Some(Err(e)) => return Err(e.into()),
                None => return Err(SandboxError::Closed(self.stderr_tail.clone())),
            }
        }
    }

    async fn expect_report(&mut self) -> Result<(Report, Vec<u8>), SandboxError> {
        match self.receive().await? {
            (Response::Report(report), payload) => Ok((report, payload)),
            (Response::Error { message }, _) => Err(SandboxError::Runner(message)),
            (other, _) => Err(SandboxError::Protocol(format!(
                "expected a report, got {other:?}"
            ))),
        }
    }

    /// Uploads a tar (`build/...`, `tests/...`); returns the number of files.
    pub async fn upload(&mut self, tar: &[u8]) -> Result<usize, SandboxError> {
        self.upload_inputs(tar, None).await
    }

    /// Uploads a tar whose `inputs/...` entries, with `inputs_key`, fill the
    /// runner's input cache as that key's set (see [`Request::Upload`]).
    pub async fn upload_inputs(
        &mut self,
        tar: &[u8],
        inputs_key: Option<String>,
    ) -> Result<usize, SandboxError> {
        self.send_upload(tar, inputs_key).await?;
        self.uploaded().await
    }

    /// Sends an upload without waiting for its answer, which
    /// [`RunnerSession::uploaded`] reads: a caller may send the request that
    /// uses the files right behind it (the runner serves requests in order).
    pub async fn send_upload(
        &mut self,
        tar: &[u8],
        inputs_key: Option<String>,
    ) -> Result<(), SandboxError> {
        let request = Request::Upload {
            len: tar.len() as u64,
            inputs_key,
        };
        self.send(&request, tar).await
    }

    /// Reads the answer to an upload: the number of files written.
    pub async fn uploaded(&mut self) -> Result<usize, SandboxError> {
        match self.receive().await? {
            (Response::Uploaded { files }, _) => Ok(files),
            (Response::Error { message }, _) => Err(SandboxError::Runner(message)),
            (other, _) => Err(SandboxError::Protocol(format!(
                "expected uploaded, got {other:?}"
            ))),
        }
    }

    /// Whether the runner's input cache holds `key`'s set; when not, the
    /// runner has emptied it (see [`Request::Inputs`]).
    pub async fn inputs_held(&mut self, key: Option<String>) -> Result<bool, SandboxError> {
        self.send(&Request::Inputs { key }, &[]).await?;
        match self.receive().await? {
            (Response::Inputs { held }, _) => Ok(held),
            (Response::Error { message }, _) => Err(SandboxError::Runner(message)),
            (other, _) => Err(SandboxError::Protocol(format!(
                "expected inputs, got {other:?}"
            ))),
        }
    }

    pub async fn compile(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        limits: Limits,
    ) -> Result<Report, SandboxError> {
        self.send(&Request::Compile { argv, env, limits }, &[])
            .await?;
        Ok(self.expect_report().await?.0)
    }

    /// Runs one test; returns the report and the captured stdout.
    pub async fn run(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        input: String,
        limits: Limits,
    ) -> Result<(Report, Vec<u8>), SandboxError> {
        let max_output = limits.output_bytes;
        self.request_run(argv, env, input, limits).await?;
        self.run_report(max_output).await
    }

    /// Sends a `Run` without waiting for its report. The runner serves
    /// requests in order, so a caller may send the next test's `Run` before
    /// it has read (and judged) this one's report: the runner then starts the
    /// next test as soon as it has finished this one, and the round trip
    /// through dockerd and the output check happen while it runs.
    pub async fn request_run(
        &mut self,
        argv: Vec<String>,
        env: Vec<(String, String)>,
        input: String,
        limits: Limits,
    ) -> Result<(), SandboxError> {
        self.send(
            &Request::Run {
                argv,
                env,
                input,
                limits,
            },
            &[],
        )
        .await
    }

    /// Reads the report of the oldest `Run` sent and not yet answered, and
    /// the program's stdout (at most `max_output` bytes, plus one for OLE).
    pub async fn run_report(&mut self, max_output: u64) -> Result<(Report, Vec<u8>), SandboxError> {
        let (report, stdout) = self.expect_report().await?;
        // One byte over the limit is how the runner detects OLE; more is a runner bug.
        if stdout.len() as u64 > max_output + 1 {
            return Err(SandboxError::Protocol(format!(
                "the runner returned {} bytes of output, above the limit of {max_output}",
                stdout.len()
            )));
        }
        Ok((report, stdout))
    }

    /// Asks the runner to reset the sandbox for the next submission
    /// ([`Request::Reset`]) and waits for its answer: the new generation.
    /// Reports of runs still pending (pipelined ahead of the verdict) are
    /// read and dropped on the way; anything else is a fault, and so is a
    /// runner that cannot reset (an older one answers `Error`). The caller
    /// bounds the wait.
    pub async fn reset(&mut self) -> Result<u64, SandboxError> {
        self.send(&Request::Reset, &[]).await?;
        loop {
            match self.receive().await? {
                (Response::Reset { generation }, _) => return Ok(generation),
                (Response::Report(_), _) | (Response::Feedback { .. }, _) => continue,
                (Response::Error { message }, _) => return Err(SandboxError::Runner(message)),
                (other, _) => {
                    return Err(SandboxError::Protocol(format!(
                        "expected reset, got {other:?}"
                    )))
                }
            }
        }
    }

    /// Asks the runner to end; errors are irrelevant, the container goes anyway.
    pub async fn exit(mut self) {
        let _ = self.send(&Request::Exit, &[]).await;
        let _ = self.input.shutdown().await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;
    use judge_protocol::Termination;

    fn session(frames: Vec<LogOutput>) -> RunnerSession {
        let stream = futures_util::stream::iter(frames.into_iter().map(Ok));
        RunnerSession::new(Box::pin(stream), Box::pin(tokio::io::sink()), "test".into())
    }

    fn stdout(bytes: &[u8]) -> LogOutput {
        LogOutput::StdOut {
            message: Bytes::copy_from_slice(bytes),
        }
    }

    #[tokio::test]
    async fn responses_and_payloads_are_cut_across_frames() {
        let report = Report {
            termination: Termination::Exited,
            exit_code: Some(0),
            signal: None,
            cpu_ms: 5,
            wall_ms: 7,
            memory_kb: 1000,
            stdout_len: 6,
            stderr: String::new(),
        };
        let mut wire = serde_json::to_vec(&Response::Ready {
            version: "1".into(),
        })
        .unwrap();
        wire.push(b'\n');
        wire.extend(serde_json::to_vec(&Response::Report(report.clone())).unwrap());
        wire.extend(b"\nhello\n");
        wire.extend(serde_json::to_vec(&Response::Uploaded { files: 2 }).unwrap());
        wire.push(b'\n');
        // Frames split at awkward places, with diagnostics in between.
        let mut frames: Vec<LogOutput> = wire.chunks(5).map(stdout).collect();
        frames.insert(
            3,
            LogOutput::StdErr {
                message: Bytes::from_static(b"note\n"),
            },
        );
        let mut s = session(frames);
        assert_eq!(
            s.receive().await.unwrap().0,
            Response::Ready {
                version: "1".into()
            }
        );
        let (response, payload) = s.receive().await.unwrap();
        assert_eq!(response, Response::Report(report));
        assert_eq!(payload, b"hello\n");
        assert_eq!(
            s.receive().await.unwrap().0,
            Response::Uploaded { files: 2 }
        );
        let err = s.receive().await.unwrap_err();
        assert!(
            matches!(err, SandboxError::Closed(ref tail) if tail.contains("note")),
            "{err}"
        );
    }

    #[tokio::test]
    async fn runner_errors_and_garbage_are_faults() {
        let mut line = serde_json::to_vec(&Response::Error {
            message: "no such file".into(),
        })
        .unwrap();
        line.push(b'\n');
        let mut s = session(vec![stdout(&line)]);
        let err = s.compile(vec![], vec![], limits()).await.unwrap_err();
        assert!(matches!(err, SandboxError::Runner(ref m) if m == "no such file"));

        let mut s = session(vec![stdout(b"not json\n")]);
        assert!(matches!(s.receive().await, Err(SandboxError::Protocol(_))));
    }

    fn limits() -> Limits {
        Limits {
            cpu_ms: 1,
            wall_ms: 1,
            memory_kb: 1,
            output_bytes: 1,
            file_size_bytes: 1,
            open_files: 1,
        }
    }
}
