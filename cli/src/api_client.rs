//! The judge's HTTP API, as the CLI uses it.
//!
//! Every failure becomes a [`CliError`] whose message names the URL:
//! 4xx answers are [`CliError::Refused`] with the API's own message,
//! everything else (unreachable, 5xx, timeouts, unexpected JSON) is
//! [`CliError::Judge`].

use std::time::Duration;

use api_types::{
    ContestImported, ErrorBody, ImportAnswer, LanguageInfo, ProblemDetail, ProblemListEntry,
    Submitted, ValidateAnswer,
};
use problem_package::source::SourceFile;
use reqwest::{StatusCode, Url};
use serde::Serialize;
use submission::SubmissionState;

use crate::error::CliError;
use crate::sources::Submission;

/// Connecting must not take long for a local judge.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// No single request should take longer than this.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The body of `POST /api/submissions`: named files, so that file names
/// (Java classes, Kotlin's `<File>Kt`, `argv[0]`) reach the judge.
#[derive(Debug, Clone, Serialize)]
pub struct NewSubmission<'a> {
    pub user_id: &'a str,
    pub problem_id: &'a str,
    pub language: &'a str,
    pub files: &'a [SourceFile],
    #[serde(skip_serializing_if = "Option::is_none")]
    pub entry_point: Option<&'a str>,
}

impl<'a> NewSubmission<'a> {
    pub fn of(user_id: &'a str, problem_id: &'a str, submission: &'a Submission) -> Self {
        NewSubmission {
            user_id,
            problem_id,
            language: &submission.language,
            files: &submission.files,
            entry_point: submission.entry_point.as_deref(),
        }
    }
}

pub struct ApiClient {
    base: Url,
    http: reqwest::Client,
    /// Sent as `Authorization: Bearer` on every request and `?token=` on WebSockets.
    token: Option<String>,
    /// `judge submit --contest ID`: sent as the submission's `contest`.
    pub contest: Option<String>,
}

/// The answer to a package upload: accepted ([`ImportAnswer`] or
/// [`ValidateAnswer`]), or refused with every problem.
pub enum PackageAnswer<T> {
    Ok(T),
    /// 422 with `problems: [{file, line, message}]`.
    Invalid(ErrorBody),
}

/// How long a problem package upload may take.
const UPLOAD_TIMEOUT: Duration = Duration::from_secs(600);

impl ApiClient {
    /// `base` is the API's root URL, e.g. `http://127.0.0.1:8080`.
    #[allow(dead_code)] // used by tests
    pub fn new(base: &str) -> Result<Self, CliError> {
        Self::with_token(base, None)
    }

    pub fn with_token(base: &str, token: Option<String>) -> Result<Self, CliError> {
        let mut base = Url::parse(base.trim())
            .map_err(|e| CliError::Usage(format!("--url {base:?} is not a valid URL: {e}")))?;
        if !matches!(base.scheme(), "http" | "https") {
            return Err(CliError::Usage(format!(
                "--url {base}: expected an http:// URL"
            )));
        }
        if !base.path().ends_with('/') {
            let path = format!("{}/", base.path());
            base.set_path(&path);
        }
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .user_agent(concat!("judge-cli/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CliError::Judge(format!("cannot set up the HTTP client: {e}")))?;
        Ok(ApiClient {
            base,
            http,
            token,
            contest: None,
        })
    }

    /// `path` relative to the base, e.g. `api/problems`.
    pub fn url(&self, path: &str) -> Url {
        self.base
            .join(path.trim_start_matches('/'))
            .unwrap_or_else(|_| self.base.clone())
    }

    /// The WebSocket URL to follow a submission: the API's `watch_url`, made
    /// absolute against the base URL (http→ws) when it is a bare path.
    pub fn websocket_url(&self, watch_url: &str) -> Option<String> {
        if watch_url.starts_with("ws://") || watch_url.starts_with("wss://") {
            return Some(watch_url.to_string());
        }
        let mut url = self.base.join(watch_url).ok()?;
        let scheme = match url.scheme() {
            "http" => "ws",
            "https" => "wss",
            _ => return None,
        };
        url.set_scheme(scheme).ok()?;
        Some(url.to_string())
    }

    /// [`Self::websocket_url`] with `?token=` when a token is set.
    pub fn authenticated_websocket_url(&self, watch_url: &str) -> Option<String> {
        let url = self.websocket_url(watch_url)?;
        Some(match &self.token {
            Some(token) => {
                let sep = if url.contains('?') { '&' } else { '?' };
                format!("{url}{sep}token={}", encode_segment(token))
            }
            None => url,
        })
    }

    fn request(&self, method: reqwest::Method, url: Url) -> reqwest::RequestBuilder {
        let request = self.http.request(method, url);
        match &self.token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// POSTs JSON (or nothing) to an admin endpoint and returns the answer, as `T`.
    pub async fn post_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> Result<T, CliError> {
        let url = self.url(path);
        let mut request = self.request(reqwest::Method::POST, url.clone());
        if let Some(body) = body {
            request = request.json(&body);
        }
        self.send(url, request).await
    }

    /// Uploads a problem package: `PUT api/admin/problems/{id}`.
    pub async fn upload_problem(
        &self,
        id: &str,
        tar: Vec<u8>,
    ) -> Result<PackageAnswer<ImportAnswer>, CliError> {
        let path = format!("api/admin/problems/{}", encode_segment(id));
        self.send_package(reqwest::Method::PUT, &path, tar).await
    }

    /// Checks a problem package without storing it:
    /// `POST api/admin/problems/{id}/validate`.
    pub async fn validate_problem(
        &self,
        id: &str,
        tar: Vec<u8>,
    ) -> Result<PackageAnswer<ValidateAnswer>, CliError> {
        let path = format!("api/admin/problems/{}/validate", encode_segment(id));
        self.send_package(reqwest::Method::POST, &path, tar).await
    }

    /// `PUT api/admin/problems/{id}?draft=true`: stores the package as a
    /// draft version, which users do not see (`judge problem verify`).
    pub async fn upload_problem_draft(
        &self,
        id: &str,
        tar: Vec<u8>,
    ) -> Result<PackageAnswer<ImportAnswer>, CliError> {
        let path = format!("api/admin/problems/{}?draft=true", encode_segment(id));
        self.send_package(reqwest::Method::PUT, &path, tar).await
    }

    async fn send_package<T: serde::de::DeserializeOwned>(
        &self,
        method: reqwest::Method,
        path: &str,
        tar: Vec<u8>,
    ) -> Result<PackageAnswer<T>, CliError> {
        let url = self.url(path);
        let request = self
            .request(method, url.clone())
            .timeout(UPLOAD_TIMEOUT)
            .header("content-type", "application/x-tar")
            .body(tar);
        let (status, body) = exchange(&url, request).await?;
        if status.is_success() {
            return parse(&url, status, &body).map(PackageAnswer::Ok);
        }
        match serde_json::from_slice::<ErrorBody>(&body) {
            Ok(refused)
                if status == StatusCode::UNPROCESSABLE_ENTITY && refused.problems.is_some() =>
            {
                Ok(PackageAnswer::Invalid(refused))
            }
            _ => Err(self.error_from_answer(&url, status, &body)),
        }
    }

    /// A non-2xx answer as a CLI error; 401 / 403 get a hint about the token.
    fn error_from_answer(&self, url: &Url, status: StatusCode, body: &[u8]) -> CliError {
        let error = error_from_answer(url, status, body);
        match status {
            StatusCode::UNAUTHORIZED if self.token.is_none() => CliError::Refused(format!(
                "not logged in: run `judge login --token <TOKEN>` or set JUDGE_TOKEN ({})",
                error.message()
            )),
            StatusCode::UNAUTHORIZED => CliError::Refused(format!(
                "the token was not accepted: run `judge login --token <TOKEN>` with a valid token ({})",
                error.message()
            )),
            StatusCode::FORBIDDEN => CliError::Refused(format!(
                "forbidden: your token may not do this ({})",
                error.message()
            )),
            _ => error,
        }
    }

    pub async fn submit(&self, submission: &NewSubmission<'_>) -> Result<Submitted, CliError> {
        let url = self.url("api/submissions");
        let mut body = serde_json::to_value(submission)
            .map_err(|e| CliError::Judge(format!("cannot encode the submission: {e}")))?;
        if let Some(contest) = &self.contest {
            body["contest"] = serde_json::Value::String(contest.clone());
        }
        let request = self.request(reqwest::Method::POST, url.clone()).json(&body);
        self.send(url, request).await
    }

    /// GETs `path` and returns the JSON answer, as `T`.
    pub async fn get_json<T: serde::de::DeserializeOwned>(
        &self,
        path: &str,
    ) -> Result<T, CliError> {
        let url = self.url(path);
        self.send(url.clone(), self.request(reqwest::Method::GET, url))
            .await
    }

    /// `POST api/admin/contests`: uploads a contest package (a tar).
    pub async fn upload_contest(&self, tar: Vec<u8>) -> Result<ContestImported, CliError> {
        let url = self.url("api/admin/contests");
        let request = self
            .request(reqwest::Method::POST, url.clone())
            .timeout(UPLOAD_TIMEOUT)
            .header("content-type", "application/x-tar")
            .body(tar);
        self.send(url, request).await
    }

    pub async fn submission(&self, id: &str) -> Result<SubmissionState, CliError> {
        let url = self.url(&format!("api/submissions/{}", encode_segment(id)));
        let request = self.request(reqwest::Method::GET, url.clone());
        self.send(url, request).await
    }

    /// With `user`, each problem carries that user's best result.
    pub async fn problems(&self, user: Option<&str>) -> Result<Vec<ProblemListEntry>, CliError> {
        let url = match user {
            Some(user) => self.url(&format!("api/problems?user={}", encode_segment(user))),
            None => self.url("api/problems"),
        };
        self.send(url.clone(), self.request(reqwest::Method::GET, url))
            .await
    }

    pub fn has_token(&self) -> bool {
        self.token.is_some()
    }

    pub async fn problem(&self, id: &str) -> Result<ProblemDetail, CliError> {
        let url = self.url(&format!("api/problems/{}", encode_segment(id)));
        self.send(url.clone(), self.request(reqwest::Method::GET, url))
            .await
    }

    pub async fn languages(&self) -> Result<Vec<LanguageInfo>, CliError> {
        let url = self.url("api/languages");
        self.send(url.clone(), self.request(reqwest::Method::GET, url))
            .await
    }

    async fn send<T: serde::de::DeserializeOwned>(
        &self,
        url: Url,
        request: reqwest::RequestBuilder,
    ) -> Result<T, CliError> {
        let (status, body) = exchange(&url, request).await?;
        if status.is_success() {
            return parse(&url, status, &body);
        }
        Err(self.error_from_answer(&url, status, &body))
    }
}

/// A 2xx answer as `T`; one that is not is a judge error (exit 5).
fn parse<T: serde::de::DeserializeOwned>(
    url: &Url,
    status: StatusCode,
    body: &[u8],
) -> Result<T, CliError> {
    serde_json::from_slice(body).map_err(|e| {
        CliError::Judge(format!(
            "unexpected answer from {url} (HTTP {}): {e}",
            status.as_u16()
        ))
    })
}

/// The CLI error for a non-2xx answer.
pub(crate) fn error_from_answer(url: &Url, status: StatusCode, body: &[u8]) -> CliError {
    // The judge's own errors are `api_types::ErrorBody`; anything else
    // (a proxy's page, a cut answer) is shown as text.
    let detail = match serde_json::from_slice::<ErrorBody>(body) {
        Ok(ErrorBody { error, .. }) => {
            let mut text = Some(error.message)
                .filter(|m| !m.is_empty())
                .unwrap_or(error.code);
            if let Some(field) = error.field.filter(|f| !f.is_empty()) {
                text.push_str(&format!(" (field {field})"));
            }
            text
        }
        Err(_) => {
            let text = String::from_utf8_lossy(body);
            let text = one_line(&text, 200);
            if text.is_empty() {
                status_text(status)
            } else {
                format!("{}: {text}", status_text(status))
            }
        }
    };
    if status.is_client_error() {
        CliError::Refused(format!(
            "the judge API refused the request ({url}, HTTP {}): {detail}",
            status.as_u16()
        ))
    } else {
        CliError::Judge(format!(
            "the judge API failed ({url}, HTTP {}): {detail}",
            status.as_u16()
        ))
    }
}

fn status_text(status: StatusCode) -> String {
    status
        .canonical_reason()
        .map(str::to_string)
        .unwrap_or_else(|| format!("HTTP {}", status.as_u16()))
}

/// Sends `request` and reads the whole answer; failing to reach the API or
/// to read its answer is a judge/connection error (exit 5).
pub(crate) async fn exchange(
    url: &Url,
    request: reqwest::RequestBuilder,
) -> Result<(StatusCode, bytes::Bytes), CliError> {
    let response = request.send().await.map_err(|e| {
        CliError::Judge(format!(
            "cannot reach the judge API at {url}: {}",
            describe(&e)
        ))
    })?;
    let status = response.status();
    let body = response.bytes().await.map_err(|e| {
        CliError::Judge(format!(
            "reading the answer from {url} failed: {}",
            describe(&e)
        ))
    })?;
    Ok((status, body))
}

/// The most specific cause of a reqwest error, on one line.
pub fn describe(error: &reqwest::Error) -> String {
    if error.is_timeout() {
        return "timed out".into();
    }
    let mut innermost: &dyn std::error::Error = error;
    while let Some(source) = innermost.source() {
        innermost = source;
    }
    let text = innermost.to_string();
    let text = if text.is_empty() {
        error.to_string()
    } else {
        text
    };
    one_line(&text, 300)
}

fn one_line(text: &str, max: usize) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.chars().count() > max {
        format!("{}…", joined.chars().take(max).collect::<String>())
    } else {
        joined
    }
}

/// Percent-encodes a path segment (ids are `[a-z0-9_-]` in practice).
fn encode_segment(segment: &str) -> String {
    let mut out = String::new();
    for b in segment.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_joined_below_the_base() {
        let c = ApiClient::new("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            c.url("api/problems").as_str(),
            "http://127.0.0.1:8080/api/problems"
        );
        let c = ApiClient::new("http://host/judge").unwrap();
        assert_eq!(
            c.url("/api/languages").as_str(),
            "http://host/judge/api/languages"
        );
    }

    #[test]
    fn bad_urls_are_usage_errors() {
        assert_eq!(ApiClient::new("not a url").err().unwrap().exit_code(), 2);
        assert_eq!(ApiClient::new("ftp://x").err().unwrap().exit_code(), 2);
    }

    #[test]
    fn watch_urls_become_websocket_urls() {
        let c = ApiClient::new("http://127.0.0.1:8080").unwrap();
        assert_eq!(
            c.websocket_url("ws://127.0.0.1:8081/ws/submissions/1")
                .unwrap(),
            "ws://127.0.0.1:8081/ws/submissions/1"
        );
        assert_eq!(
            c.websocket_url("/ws/submissions/1").unwrap(),
            "ws://127.0.0.1:8080/ws/submissions/1"
        );
    }

    #[test]
    fn api_errors_keep_the_message_and_field() {
        let url = Url::parse("http://x/api/submissions").unwrap();
        let body = br#"{"error":{"code":"unknown_problem","message":"no problem \"nope\"","field":"problem_id"}}"#;
        let e = error_from_answer(&url, StatusCode::NOT_FOUND, body);
        assert_eq!(e.exit_code(), 4);
        assert!(
            e.message()
                .contains("no problem \"nope\" (field problem_id)"),
            "{e}"
        );
        assert!(e.message().contains("http://x/api/submissions"), "{e}");

        let e = error_from_answer(
            &url,
            StatusCode::PAYLOAD_TOO_LARGE,
            b"length limit exceeded",
        );
        assert_eq!(e.exit_code(), 4);
        assert!(e.message().contains("length limit exceeded"), "{e}");

        let e = error_from_answer(&url, StatusCode::INTERNAL_SERVER_ERROR, b"");
        assert_eq!(e.exit_code(), 5);
        assert!(e.message().contains("Internal Server Error"), "{e}");
    }

    #[test]
    fn segments_are_encoded() {
        assert_eq!(encode_segment("abc-1_2"), "abc-1_2");
        assert_eq!(encode_segment("a/b c"), "a%2Fb%20c");
    }
}
