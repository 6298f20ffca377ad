//! Cancelling submissions: `judge admin cancel ID` (any queued or running
//! submission), and the package checks a `judge problem add` / `verify`
//! still waits for when it is interrupted (see `verify::run`).

use api_types::SubmissionCancelled;
use futures_util::future::join_all;

use crate::commands::{print_answer, Context};
use crate::error::{code, CliError};

/// `judge admin cancel ID`: the submission ends cancelled and is not
/// judged. Exit 4 if the API refuses (unknown, already final).
pub async fn admin_cancel(ctx: &Context, id: &str) -> Result<u8, CliError> {
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return Err(CliError::Usage(
            "a submission id is letters, digits, - and _".into(),
        ));
    }
    let path = format!("api/admin/submissions/{id}/cancel");
    let answer: SubmissionCancelled = ctx.client.post_json(&path, None).await?;
    if ctx.json {
        return print_answer(&answer).map(|_| code::OK);
    }
    let where_ = if answer.was_waiting {
        "it was still queued"
    } else {
        "its worker stops judging it"
    };
    println!("submission {id} cancelled ({where_})");
    Ok(code::OK)
}

/// Cancels each of `ids` (the owner's route: the CLI's own package checks),
/// a few at a time; returns how many it cancelled. One already final, or
/// one the API cannot cancel, is left as it is.
pub async fn cancel_own(ctx: &Context, ids: &[String]) -> usize {
    let mut cancelled = 0;
    for chunk in ids.chunks(8) {
        let answers = join_all(chunk.iter().map(|id| {
            let path = format!("api/submissions/{id}/cancel");
            async move {
                ctx.client
                    .post_json::<SubmissionCancelled>(&path, None)
                    .await
            }
        }))
        .await;
        cancelled += answers.iter().filter(|a| a.is_ok()).count();
    }
    cancelled
}
