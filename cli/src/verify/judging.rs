//! Judging a package's submissions over the API: uploading draft versions,
//! submitting against one, polling until every verdict is in, and the
//! progress bar over it all.

use std::time::Duration;

use api_types::{ImportAnswer, Submitted};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::json;
use submission::SubmissionState;
use tokio::time::Instant;

use super::ended::Ended;
use super::planned::Planned;
use super::rules::{format_verdict, with_score};
use crate::api_client::PackageAnswer;
use crate::commands::{self, Context};
use crate::error::CliError;
use crate::sources;

/// After this long with every submission still queued, the CLI says so.
const STALL_NOTICE: Duration = Duration::from_secs(60);
/// How often pending submissions are polled.
const POLL_EVERY: Duration = Duration::from_millis(400);
/// While a long batch is being submitted, how often the ones already
/// submitted are read: the server cancels a check whose client has not read
/// it for its lease (`JUDGE_CHECK_LEASE_SECS`, 120 s by default), taking
/// the client for gone. Polling reads every pending check far more often.
const RENEW_EVERY: Duration = Duration::from_secs(15);

/// What judging one planned submission gave.
#[derive(Clone, Debug)]
pub(super) enum Judged {
    Done {
        state: Box<SubmissionState>,
        limit_ms: u64,
    },
    NotJudged(String),
}

/// A submission being judged: where its state will come from.
struct Pending {
    index: usize,
    id: String,
    limit_ms: u64,
}

/// The judging of one package's submissions: what each got so far, and
/// the progress bar over all that are to be judged.
pub(super) struct Judging<'a> {
    ctx: &'a Context,
    problem_id: &'a str,
    planned: &'a [Planned],
    /// When waiting for verdicts gives up (`--timeout`).
    deadline: Instant,
    pub bar: ProgressBar,
    /// What each planned submission got, once judged.
    pub judged: Vec<Option<Judged>>,
    /// Submitted and not seen final yet: what an interrupted check cancels.
    outstanding: Vec<String>,
    /// How many submissions the command judges (the progress lines' total).
    total: usize,
}

impl<'a> Judging<'a> {
    /// Nothing judged yet; the bar counts to `total`.
    pub fn new(
        ctx: &'a Context,
        problem_id: &'a str,
        planned: &'a [Planned],
        total: usize,
        deadline: Instant,
    ) -> Judging<'a> {
        Judging {
            ctx,
            problem_id,
            planned,
            deadline,
            bar: progress(ctx, total),
            judged: vec![None; planned.len()],
            outstanding: Vec::new(),
            total,
        }
    }

    /// The submissions made and not judged yet (to cancel on Ctrl-C).
    pub fn outstanding(&self) -> &[String] {
        &self.outstanding
    }

    /// Takes the progress bar off the screen.
    pub fn clear(&self) {
        self.bar.finish_and_clear();
    }

    /// The submissions not judged yet.
    pub fn not_judged(&self) -> Vec<usize> {
        (0..self.planned.len())
            .filter(|&i| self.judged[i].is_none())
            .collect()
    }

    /// The final state of the submission `index`, if it was judged.
    pub fn state(&self, index: usize) -> Option<&SubmissionState> {
        match &self.judged[index] {
            Some(Judged::Done { state, .. }) => Some(state),
            _ => None,
        }
    }

    /// Tells the admin what is being done (not with `--json`), above the
    /// progress bar.
    pub fn note(&self, text: &str) {
        if !self.ctx.json {
            say(&self.bar, text);
        }
    }

    /// Uploads `tar` as a draft; a refused package ends the command (exit 4).
    pub async fn upload_draft(&self, tar: Vec<u8>) -> Result<ImportAnswer, Ended> {
        let (ctx, id) = (self.ctx, self.problem_id);
        match ctx.client.upload_problem_draft(id, tar).await {
            Ok(PackageAnswer::Ok(answer)) => Ok(answer),
            Ok(PackageAnswer::Invalid(answer)) => {
                Err(Ended::Early(commands::report_invalid(ctx, id, &answer)))
            }
            Err(e) => Err(Ended::Early(Err(e))),
        }
    }

    /// Submits `which` of the planned submissions against `version`, whose
    /// time limit is `limit_ms`, and waits for every verdict.
    pub async fn judge(
        &mut self,
        version: &str,
        limit_ms: u64,
        which: &[usize],
    ) -> Result<(), CliError> {
        self.judge_until(version, limit_ms, which, &|_, _| None)
            .await
            .map(|_| ())
    }

    /// As [`Judging::judge`], but stops as soon as `decides` says of a
    /// judged submission (its index) that the outcome is decided: the
    /// judgings still pending are cancelled and marked not judged with the
    /// reason, which is returned.
    pub async fn judge_until(
        &mut self,
        version: &str,
        limit_ms: u64,
        which: &[usize],
        decides: &dyn Fn(&Judging<'_>, usize) -> Option<String>,
    ) -> Result<Option<String>, CliError> {
        let pending = self.submit_all(version, limit_ms, which).await?;
        self.bar.set_message("judging");
        self.wait_for_verdicts(pending, decides).await
    }

    /// Submits each of `which`; one that cannot be submitted is judged
    /// [`Judged::NotJudged`] at once.
    async fn submit_all(
        &mut self,
        version: &str,
        limit_ms: u64,
        which: &[usize],
    ) -> Result<Vec<Pending>, CliError> {
        let mut pending = Vec::new();
        let mut renewed = Instant::now();
        for &index in which {
            if renewed.elapsed() >= RENEW_EVERY {
                self.renew(&pending).await;
                renewed = Instant::now();
            }
            match self.submit(&self.planned[index], version).await? {
                Ok(id) => {
                    self.outstanding.push(id.clone());
                    pending.push(Pending {
                        index,
                        id,
                        limit_ms,
                    })
                }
                Err(reason) => {
                    self.bar.inc(1);
                    self.judged[index] = Some(Judged::NotJudged(reason));
                }
            }
        }
        Ok(pending)
    }

    /// Reads the state of each of `pending` once, which renews their leases;
    /// what they say is for the polling, and a failed read is its business.
    async fn renew(&self, pending: &[Pending]) {
        for p in pending {
            let _ = self.ctx.client.submission(&p.id).await;
        }
    }

    /// Submits `p` against `version`: its submission id, or why it was not
    /// submitted (its sources cannot be read, or the API refused them: an
    /// entry point it cannot find, a file too large), which makes a row
    /// with the reason, not the end of the check.
    async fn submit(&self, p: &Planned, version: &str) -> Result<Result<String, String>, CliError> {
        let submission = match sources::collect(
            std::slice::from_ref(&p.path),
            p.language.as_deref(),
            p.entry_point.as_deref(),
        ) {
            Ok(s) => s,
            Err(e) => return Ok(Err(e.message().to_string())),
        };
        self.bar.set_message(format!("submitting {}", p.name));
        let body = json!({
            "user_id": self.ctx.user,
            "problem_id": self.problem_id,
            "language": submission.language,
            "files": submission.files,
            "entry_point": submission.entry_point,
            "problem_version": version,
        });
        match self
            .ctx
            .client
            .post_json::<Submitted>("api/submissions", Some(body))
            .await
        {
            Ok(answer) => Ok(Ok(answer.id)),
            Err(CliError::Refused(message)) => Ok(Err(message)),
            Err(e) => Err(e),
        }
    }

    /// Polls `pending` until each is judged (or `decides` stops it), or
    /// the deadline passes.
    async fn wait_for_verdicts(
        &mut self,
        mut pending: Vec<Pending>,
        decides: &dyn Fn(&Judging<'_>, usize) -> Option<String>,
    ) -> Result<Option<String>, CliError> {
        let started = Instant::now();
        let mut warned = false;
        while !pending.is_empty() {
            if Instant::now() >= self.deadline {
                return Err(self.timed_out(&pending));
            }
            tokio::time::sleep(POLL_EVERY).await;
            let (still, all_queued, newly) = self.poll(pending).await?;
            if let Some(reason) = newly.into_iter().find_map(|i| decides(self, i)) {
                self.stop_early(&still, &reason).await;
                return Ok(Some(reason));
            }
            // Nothing taken after a while: say so once, since the likely cause
            // (no worker running) is not something waiting longer fixes.
            if !warned && all_queued && !still.is_empty() && started.elapsed() > STALL_NOTICE {
                warned = true;
                say(
                    &self.bar,
                    &format!(
                        "note: {} submission(s) still queued after {} s; is a judge worker running? (waiting up to --timeout)",
                        still.len(),
                        STALL_NOTICE.as_secs()
                    ),
                );
            }
            pending = still;
        }
        Ok(None)
    }

    /// Cancels the judgings of `pending`, now that the outcome is decided
    /// (`reason`); they become not judged, with the reason.
    async fn stop_early(&mut self, pending: &[Pending], reason: &str) {
        let ids: Vec<String> = pending.iter().map(|p| p.id.clone()).collect();
        let cancelled = crate::cancel::cancel_own(self.ctx, &ids).await;
        self.outstanding.retain(|id| !ids.contains(id));
        for p in pending {
            self.bar.inc(1);
            self.judged[p.index] = Some(Judged::NotJudged(format!(
                "not judged (cancelled): decided earlier, {reason}"
            )));
        }
        if !pending.is_empty() {
            self.note(&format!(
                "decided: {reason}; cancelled {cancelled} judging(s) still pending"
            ));
        }
    }

    /// Asks for each pending submission's state once and records those
    /// judged: the ones still pending, whether all of them were queued, and
    /// the indices judged now (each reported on its own line).
    async fn poll(
        &mut self,
        pending: Vec<Pending>,
    ) -> Result<(Vec<Pending>, bool, Vec<usize>), CliError> {
        let mut still = Vec::new();
        let mut all_queued = true;
        let mut newly = Vec::new();
        for p in pending {
            let state = self.ctx.client.submission(&p.id).await?;
            all_queued &= state.status == submission::Status::Queued;
            if state.is_final() {
                self.outstanding.retain(|id| id != &p.id);
                self.bar.inc(1);
                self.bar.set_message(format!(
                    "{} {}",
                    self.planned[p.index].name,
                    verdict_text(&state)
                ));
                self.note(&progress_line(
                    self.judged_count() + 1,
                    self.total,
                    &self.planned[p.index].name,
                    &state,
                    p.limit_ms,
                ));
                self.judged[p.index] = Some(Judged::Done {
                    state: Box::new(state),
                    limit_ms: p.limit_ms,
                });
                newly.push(p.index);
            } else {
                still.push(p);
            }
        }
        Ok((still, all_queued, newly))
    }

    /// How many submissions have a result (judged or not judged) so far.
    fn judged_count(&self) -> usize {
        self.judged.iter().filter(|j| j.is_some()).count()
    }

    fn timed_out(&self, pending: &[Pending]) -> CliError {
        let left: Vec<&str> = pending
            .iter()
            .map(|p| self.planned[p.index].name.as_str())
            .collect();
        CliError::Judge(format!(
            "timed out waiting for the verdicts of {} (raise --timeout)",
            left.join(", ")
        ))
    }
}

/// The progress bar, drawn only on an interactive terminal.
fn progress(ctx: &Context, total: usize) -> ProgressBar {
    if !ctx.interactive || total == 0 {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template(
            "{spinner:.cyan} {msg} {wide_bar:.cyan/blue} {pos}/{len} {elapsed}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_millis(100));
    bar
}

/// Prints `text` on stderr, above the progress bar if one is drawn.
fn say(bar: &ProgressBar, text: &str) {
    if bar.is_hidden() {
        eprintln!("{text}");
    } else {
        bar.println(text);
    }
}

/// One judged submission, as the check goes: `[3/12] accepted/a.py: AC,
/// 0.31 s (limit 10 s)`.
fn progress_line(
    done: usize,
    total: usize,
    name: &str,
    state: &SubmissionState,
    limit_ms: u64,
) -> String {
    let got = match state.verdict {
        Some(_) => verdict_text(state),
        None => format!("{:?}", state.status).to_lowercase(),
    };
    format!(
        "[{done}/{total}] {name}: {got}, {} (limit {})",
        problem_package::timelimit::seconds(state.time_ms as f64 / 1000.0),
        problem_package::timelimit::seconds(limit_ms as f64 / 1000.0)
    )
}

fn verdict_text(state: &SubmissionState) -> String {
    state
        .verdict
        .map(|v| with_score(format_verdict(v), state))
        .unwrap_or_default()
}
