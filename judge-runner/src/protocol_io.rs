//! Framing of the runner protocol (see `judge_protocol`): one JSON line
//! per message, optionally followed by a raw payload of announced length.

use std::io::{self, BufRead, Read, Write};

use judge_protocol::{Request, Response, MAX_INPUT_CHUNK};

/// Largest request line accepted (a `Run` with a long argv and env is still tiny).
const MAX_LINE: usize = 1 << 20;
/// Largest upload accepted in one request.
pub const MAX_UPLOAD: u64 = 1 << 30;

/// What reading the next request produced.
#[derive(Debug)]
pub enum Incoming {
    /// A request; for `Upload` and `Input`, the payload has been read into `payload`.
    Request(Request, Vec<u8>),
    /// A line that is not a valid request (the reader stays in sync: the line was consumed).
    Invalid(String),
    /// The worker closed stdin.
    Eof,
}

/// Reads one request line (and an upload's payload) from `r`.
pub fn read_request<R: BufRead>(r: &mut R) -> io::Result<Incoming> {
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Incoming::Eof);
        }
        if line.len() > MAX_LINE && !line.ends_with(b"\n") {
            // Discard the rest of the oversized line to resynchronise.
            let mut rest = Vec::new();
            r.read_until(b'\n', &mut rest)?;
            return Ok(Incoming::Invalid("request line too long".into()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim();
        if text.is_empty() {
            continue;
        }
        let req: Request = match serde_json::from_str(text) {
            Ok(req) => req,
            Err(e) => return Ok(Incoming::Invalid(format!("invalid request: {e}"))),
        };
        let mut payload = Vec::new();
        let (len, max) = match req {
            Request::Upload { len, .. } => (len, MAX_UPLOAD),
            Request::Input { len } => (len, MAX_INPUT_CHUNK),
            _ => (0, 0),
        };
        if len > 0 {
            if len > max {
                // Still consume the bytes so the stream stays in sync.
                io::copy(&mut r.by_ref().take(len), &mut io::sink())?;
                return Ok(Incoming::Invalid(format!(
                    "a payload of {len} bytes exceeds the {max} byte maximum"
                )));
            }
            payload.reserve_exact(len as usize);
            let got = r.by_ref().take(len).read_to_end(&mut payload)?;
            if (got as u64) < len {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    format!("a request announced {len} bytes, stream ended after {got}"),
                ));
            }
        }
        return Ok(Incoming::Request(req, payload));
    }
}

/// Writes one response line followed by `payload` (the program's stdout for a
/// `Run` report; empty otherwise) and flushes.
pub fn write_response<W: Write>(w: &mut W, resp: &Response, payload: &[u8]) -> io::Result<()> {
    let mut line = serde_json::to_vec(resp).map_err(io::Error::other)?;
    line.push(b'\n');
    w.write_all(&line)?;
    w.write_all(payload)?;
    w.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use judge_protocol::{Limits, Report, Termination};
    use std::io::Cursor;

    fn limits() -> Limits {
        Limits {
            cpu_ms: 1000,
            wall_ms: 3000,
            memory_kb: 262144,
            output_bytes: 1 << 20,
            file_size_bytes: 1 << 20,
            open_files: 64,
        }
    }

    #[test]
    fn requests_with_and_without_payload_round_trip() {
        let run = Request::Run {
            argv: vec!["./main".into()],
            env: vec![("A".into(), "b".into())],
            input: "1.in".into(),
            limits: limits(),
        };
        let mut stream = Vec::new();
        let upload = Request::Upload {
            len: 5,
            inputs_key: Some("p/v".into()),
        };
        stream.extend(serde_json::to_vec(&upload).unwrap());
        stream.extend(b"\nab\ncd");
        stream.extend(b"\n\n"); // blank lines are skipped
        stream.extend(serde_json::to_vec(&run).unwrap());
        stream.push(b'\n');
        stream.extend(b"{\"op\":\"nope\"}\n");
        stream.extend(serde_json::to_vec(&Request::Exit).unwrap());
        stream.push(b'\n');
        let mut r = Cursor::new(stream);
        match read_request(&mut r).unwrap() {
            Incoming::Request(req, p) => {
                assert_eq!(req, upload);
                assert_eq!(p, b"ab\ncd");
            }
            other => panic!("{other:?}"),
        }
        match read_request(&mut r).unwrap() {
            Incoming::Request(req, p) => {
                assert_eq!(req, run);
                assert!(p.is_empty());
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_request(&mut r).unwrap(),
            Incoming::Invalid(_)
        ));
        assert!(matches!(
            read_request(&mut r).unwrap(),
            Incoming::Request(Request::Exit, _)
        ));
        assert!(matches!(read_request(&mut r).unwrap(), Incoming::Eof));
    }

    #[test]
    fn short_upload_is_an_error() {
        let mut r = Cursor::new(b"{\"op\":\"upload\",\"len\":10}\nabc".to_vec());
        assert!(read_request(&mut r).is_err());
    }

    #[test]
    fn report_is_followed_by_exactly_its_payload() {
        let report = Report {
            termination: Termination::Exited,
            exit_code: Some(0),
            signal: None,
            cpu_ms: 1,
            wall_ms: 2,
            memory_kb: 3,
            stdout_len: 4,
            stderr: String::new(),
        };
        let mut out = Vec::new();
        write_response(&mut out, &Response::Report(report.clone()), b"a\nb\n").unwrap();
        write_response(
            &mut out,
            &Response::Ready {
                version: "x".into(),
            },
            b"",
        )
        .unwrap();
        let mut r = Cursor::new(out);
        let mut line = String::new();
        r.read_line(&mut line).unwrap();
        let back: Response = serde_json::from_str(&line).unwrap();
        assert_eq!(back, Response::Report(report));
        let mut payload = [0u8; 4];
        r.read_exact(&mut payload).unwrap();
        assert_eq!(&payload, b"a\nb\n");
        line.clear();
        r.read_line(&mut line).unwrap();
        assert_eq!(
            serde_json::from_str::<Response>(&line).unwrap(),
            Response::Ready {
                version: "x".into()
            }
        );
    }
}
