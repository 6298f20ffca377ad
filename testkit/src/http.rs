//! One HTTP request as the accounts tests make it: bearer tokens, cookies
//! and CSRF headers set per request, answers as status, headers and JSON.

use serde_json::{json, Value};

pub struct Answer {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Value,
}

impl Answer {
    /// The `judge_session=...` pair of the answer's Set-Cookie.
    pub fn session_cookie(&self) -> String {
        let set = self.headers["set-cookie"].to_str().unwrap();
        set.split(';').next().unwrap().to_string()
    }

    /// The error's `field`, if the answer is an error naming one.
    pub fn field(&self) -> Option<&str> {
        self.body["error"]["field"].as_str()
    }
}

/// One request's credentials and body.
#[derive(Default)]
pub struct Req<'a> {
    bearer: Option<&'a str>,
    cookie: Option<&'a str>,
    csrf: Option<&'a str>,
    body: Option<Value>,
    /// A body as it is, and its `Content-Type` if it has one.
    raw: Option<(Option<&'static str>, reqwest::Body)>,
}

impl<'a> Req<'a> {
    pub fn bearer(token: &'a str) -> Self {
        Req {
            bearer: Some(token),
            ..Req::default()
        }
    }

    /// A bearer token if there is one, nothing otherwise.
    pub fn token(token: Option<&'a str>) -> Self {
        Req {
            bearer: token,
            ..Req::default()
        }
    }

    /// `cookie` is a `Cookie` header value (`judge_session=...`).
    pub fn cookie(cookie: &'a str) -> Self {
        Req {
            cookie: Some(cookie),
            ..Req::default()
        }
    }

    pub fn and_bearer(mut self, token: &'a str) -> Self {
        self.bearer = Some(token);
        self
    }

    pub fn csrf(mut self, token: &'a str) -> Self {
        self.csrf = Some(token);
        self
    }

    /// A JSON body, sent as `application/json`.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// A body as it is, with no `Content-Type`.
    pub fn raw(mut self, body: Option<reqwest::Body>) -> Self {
        self.raw = body.map(|b| (None, b));
        self
    }

    /// A body that may be no JSON, sent as `application/json`.
    pub fn text(mut self, text: impl Into<String>) -> Self {
        self.raw = Some((Some("application/json"), text.into().into()));
        self
    }

    /// A problem package, sent as `application/x-tar`.
    pub fn tar(mut self, tar: Vec<u8>) -> Self {
        self.raw = Some((Some("application/x-tar"), tar.into()));
        self
    }
}

/// `{"username", "password"}` as a body.
pub fn creds(user: &str, password: &str) -> Req<'static> {
    Req::default().body(json!({ "username": user, "password": password }))
}

/// The request `req` describes, to send with `http`: for a caller that
/// wants its own client (a timeout) or the answer's bytes.
pub fn request(
    http: &reqwest::Client,
    method: &str,
    url: &str,
    req: Req<'_>,
) -> reqwest::RequestBuilder {
    let mut r = http.request(method.parse().unwrap(), url);
    if let Some(t) = req.bearer {
        r = r.bearer_auth(t);
    }
    if let Some(c) = req.cookie {
        r = r.header("cookie", c);
    }
    if let Some(c) = req.csrf {
        r = r.header("x-csrf-token", c);
    }
    if let Some(b) = req.body {
        r = r
            .header("content-type", "application/json")
            .body(b.to_string());
    }
    if let Some((kind, b)) = req.raw {
        if let Some(kind) = kind {
            r = r.header("content-type", kind);
        }
        r = r.body(b);
    }
    r
}

pub async fn call(base: &str, method: &str, path: &str, req: Req<'_>) -> Answer {
    let (status, headers, text) = send(base, method, path, req).await;
    Answer {
        status,
        headers,
        body: serde_json::from_str(&text).unwrap_or(Value::String(text)),
    }
}

/// As [`call`], for an answer that must be JSON (an error's shape under
/// test): a body of another kind fails the test.
pub async fn call_json(base: &str, method: &str, path: &str, req: Req<'_>) -> Answer {
    let (status, headers, text) = send(base, method, path, req).await;
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    Answer {
        status,
        headers,
        body,
    }
}

async fn send(
    base: &str,
    method: &str,
    path: &str,
    req: Req<'_>,
) -> (u16, reqwest::header::HeaderMap, String) {
    let url = format!("{base}{path}");
    let response = request(&reqwest::Client::new(), method, &url, req)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    (status, headers, response.text().await.unwrap())
}
