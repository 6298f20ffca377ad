//! Starting the two sides of an interactive run connected by named pipes
//! ([`crate::sandbox::pipes`]): the kernel carries their bytes, the worker
//! only starts, times and ends the run (the same [`super::relay`] loop, to
//! which no `Output` ever comes).
//!
//! Each runner waits, before it starts its process, until the other has
//! opened its end of the pipes, so both requests go out before either
//! answer is awaited. If one side cannot start, the other is stopped and
//! its answer awaited too, so that both sessions are idle again.

use std::time::Duration;

use judge_protocol::{Request, Response};

use crate::sandbox::error::SandboxError;
use crate::sandbox::runner_session::RunnerSession;

/// How long a side stopped at the start may take to answer.
const SETTLE: Duration = Duration::from_secs(30);

/// Why a piped start failed.
#[derive(Debug)]
pub enum StartError {
    Validator(SandboxError),
    Submission(SandboxError),
    /// The runners found no pipes where the worker made them: the engine
    /// does not share the worker's file system. Both sides are idle.
    Unshared(String),
}

/// Sends both `RunInteractive` requests (the validator's first) and waits
/// until both processes have started. The answers are awaited together:
/// when one side fails, the other, which may be waiting for its pipes, is
/// stopped at once rather than at the end of its bound.
pub async fn start_pair(
    submission: &mut RunnerSession,
    validator: &mut RunnerSession,
    submission_request: Request,
    validator_request: Request,
) -> Result<(), StartError> {
    validator
        .send(&validator_request, &[])
        .await
        .map_err(StartError::Validator)?;
    if let Err(e) = submission.send(&submission_request, &[]).await {
        stop(validator, false).await;
        return Err(StartError::Submission(e));
    }
    let mut val: Option<Result<(), SandboxError>> = None;
    let mut sub: Option<Result<(), SandboxError>> = None;
    let mut killed = (false, false);
    loop {
        if val.is_none() {
            val = started(validator).map_err(StartError::Validator)?;
        }
        if sub.is_none() {
            sub = started(submission).map_err(StartError::Submission)?;
        }
        // A failed side: the other is told to stop, once.
        if matches!(val, Some(Err(_))) && sub.is_none() && !killed.0 {
            let _ = submission.send(&Request::Kill, &[]).await;
            killed.0 = true;
        }
        if matches!(sub, Some(Err(_))) && val.is_none() && !killed.1 {
            let _ = validator.send(&Request::Kill, &[]).await;
            killed.1 = true;
        }
        if val.is_some() && sub.is_some() {
            break;
        }
        let filled = tokio::select! {
            r = validator.fill(), if val.is_none() => r.map_err(StartError::Validator),
            r = submission.fill(), if sub.is_none() => r.map_err(StartError::Submission),
        };
        filled?;
    }
    match (val.expect("answered"), sub.expect("answered")) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(e), sub) => {
            if sub.is_ok() {
                // Started before the kill could stop it: ended by it.
                stop(submission, killed.0).await;
            }
            Err(match e {
                SandboxError::Runner(m) if unshared(&m) => StartError::Unshared(m),
                e => StartError::Validator(e),
            })
        }
        (Ok(()), Err(e)) => {
            stop(validator, killed.1).await;
            Err(StartError::Submission(e))
        }
    }
}

/// The runner could not find the pipe the worker made (`ENOENT`).
fn unshared(message: &str) -> bool {
    message.starts_with("pipe ") && message.contains("No such file")
}

/// The side's answer to its start, if it has come: `Err` from the outer
/// result only when the session itself failed.
#[allow(clippy::type_complexity)]
fn started(session: &mut RunnerSession) -> Result<Option<Result<(), SandboxError>>, SandboxError> {
    let Some((response, _)) = session.try_receive()? else {
        return Ok(None);
    };
    Ok(Some(match response {
        Response::Started => Ok(()),
        Response::Error { message } => Err(SandboxError::Runner(message)),
        other => Err(SandboxError::Protocol(format!(
            "expected started, got {other:?}"
        ))),
    }))
}

/// Ends a side that has started (or whose start was sent): `Kill` unless
/// sent already, then its answers up to the `Report` (or an `Error`), so
/// that the session is idle. Best effort: a session that does not settle
/// is left to the caller's fault handling (its container is not reused).
async fn stop(session: &mut RunnerSession, kill_sent: bool) {
    if !kill_sent && session.send(&Request::Kill, &[]).await.is_err() {
        return;
    }
    let settle = async {
        loop {
            match session.receive().await {
                Ok((Response::Report(_) | Response::Error { .. }, _)) | Err(_) => return,
                Ok(_) => {}
            }
        }
    };
    let _ = tokio::time::timeout(SETTLE, settle).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_missing_pipe_means_the_engine_does_not_share_the_directory() {
        assert!(unshared(
            "pipe /pipes/ab12/to-validator: No such file or directory (os error 2)"
        ));
        assert!(!unshared(
            "pipe /pipes/ab12/to-submission: the other side did not open it within 5000 ms"
        ));
        assert!(!unshared(
            "could not start ./a.out: exec failed: No such file or directory"
        ));
    }
}
