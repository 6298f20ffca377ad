//! The progress of a followed submission: finished tests and graded groups
//! as lines, and (on a terminal) a bar or spinner below them.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use submission::{GroupResult, Status, SubmissionState, TestResult};

use super::groups::group_line;
use super::verdict::{queued_line, status_text, test_line};

/// Prints the progress of a followed submission: finished tests as lines,
/// and (on a terminal) a bar or spinner below them.
pub struct Reporter {
    bar: Option<ProgressBar>,
    color: bool,
    quiet: bool,
    /// Without a bar, the wait in the queue is told once (on stderr), not
    /// at every step of a long queue.
    queued_told: std::cell::Cell<bool>,
}

impl Reporter {
    /// `interactive`: stdout is a terminal and output is not JSON.
    /// `quiet`: print nothing at all (JSON mode).
    pub fn new(interactive: bool, color: bool, quiet: bool) -> Self {
        let bar = (interactive && !quiet).then(|| {
            let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stdout());
            bar.set_style(
                ProgressStyle::with_template(
                    "{spinner:.cyan} {msg} {wide_bar:.cyan/blue} {pos}/{len} {elapsed}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_spinner())
                .progress_chars("=> "),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(100));
            bar.set_message("submitted");
            bar
        });
        Reporter {
            bar,
            color,
            quiet,
            queued_told: std::cell::Cell::new(false),
        }
    }

    pub fn line(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.println(text),
            None => println!("{text}"),
        }
    }

    /// A note for the user that is not part of the result (reconnecting, ...): stderr.
    pub fn note(&self, text: &str) {
        if self.quiet {
            return;
        }
        match &self.bar {
            Some(bar) => bar.suspend(|| eprintln!("{text}")),
            None => eprintln!("{text}"),
        }
    }

    /// Shows the newly finished tests, then the groups they completed, and
    /// moves the bar.
    pub fn update(
        &self,
        state: &SubmissionState,
        new_results: &[TestResult],
        new_groups: &[GroupResult],
    ) {
        for result in new_results {
            self.line(&test_line(result, self.color));
        }
        for group in new_groups {
            self.line(&group_line(group, self.color));
        }
        if self.bar.is_none() && !self.queued_told.get() {
            if let Some(line) = queued_line(state).filter(|_| state.queue_position > Some(0)) {
                self.queued_told.set(true);
                self.note(&line);
            }
        }
        if let Some(bar) = &self.bar {
            bar.set_length(state.tests_total as u64);
            bar.set_position(state.results.len() as u64);
            let message = match state.status {
                Status::Queued => status_text(state),
                Status::Compiling => "compiling".to_string(),
                Status::Running => format!(
                    "running test {}",
                    (state.results.len() + 1).min(state.tests_total.max(1))
                ),
                Status::Finished => "finished".to_string(),
                Status::Cancelled => "cancelled".to_string(),
            };
            bar.set_message(message);
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Reporter {
    fn drop(&mut self) {
        self.finish();
    }
}
