//! A user's history, filtered: the newest submissions of one problem and/or
//! with one verdict. The user's index ([`keys::user_submissions`]) is read in
//! pages, newest first, until enough states match or a bound on how many are
//! read is reached (so a filter that matches nothing costs a bounded scan).

use redis::aio::ConnectionLike;
use redis::AsyncCommands;

use crate::keys;
use submission::{SubmissionState, Verdict};

/// How many index entries one page reads.
const PAGE: isize = 200;

/// What to keep; `None` keeps any.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub problem_id: Option<String>,
    pub verdict: Option<Verdict>,
}

impl Filter {
    pub fn keeps(&self, state: &SubmissionState) -> bool {
        self.problem_id
            .as_deref()
            .is_none_or(|p| state.problem_id == p)
            && self.verdict.is_none_or(|v| state.verdict == Some(v))
    }
}

/// Parses a verdict code as the API shows it (`AC`, `WA`, ...).
pub fn parse_verdict(code: &str) -> Option<Verdict> {
    serde_json::from_value(serde_json::Value::String(code.to_string())).ok()
}

/// The newest `limit` states of `user_id` that `filter` keeps, reading at
/// most `scan_cap` index entries.
pub async fn user_states<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    filter: &Filter,
    limit: usize,
    scan_cap: isize,
) -> redis::RedisResult<Vec<SubmissionState>> {
    let mut kept = Vec::new();
    let mut start = 0isize;
    while kept.len() < limit && start < scan_cap {
        let ids: Vec<String> = conn
            .zrevrange(keys::user_submissions(user_id), start, start + PAGE - 1)
            .await?;
        if ids.is_empty() {
            break;
        }
        let mut pipe = redis::pipe();
        for id in &ids {
            pipe.hget(keys::submission(id), keys::FIELD_STATE);
        }
        let states: Vec<Option<String>> = pipe.query_async(conn).await?;
        kept.extend(
            states
                .into_iter()
                .flatten()
                .filter_map(|j| serde_json::from_str::<SubmissionState>(&j).ok())
                .filter(|s| filter.keeps(s))
                .take(limit - kept.len()),
        );
        start += PAGE;
    }
    Ok(kept)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdict_codes_parse() {
        assert_eq!(parse_verdict("WA"), Some(Verdict::WA));
        assert_eq!(parse_verdict("TLE"), Some(Verdict::TLE));
        assert_eq!(parse_verdict("wa"), None);
        assert_eq!(parse_verdict("XYZ"), None);
    }
}
