//! Who a socket's handshake says it is: the credentials it presented
//! (token or session cookie) and the caller they stand for in the store.

use judge_store::auth::{self, Caller};
use judge_store::{accounts, store};
use tokio_tungstenite::tungstenite::handshake::server::Request;

use crate::context::STORE_TIMEOUT;

/// What a handshake presented.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Credentials {
    /// A bearer token (the CLI, scripts).
    Token(String),
    /// A browser's session id (its cookie).
    Session(String),
}

/// The credentials of a handshake: `?token=` in the query, else
/// `Authorization: Bearer`, else the session cookie.
pub fn handshake_credentials(req: &Request) -> Option<Credentials> {
    let token = req
        .uri()
        .query()
        .and_then(auth::token_from_query)
        .or_else(|| {
            req.headers()
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .and_then(auth::bearer_from_header)
        });
    if let Some(token) = token {
        return Some(Credentials::Token(token));
    }
    req.headers()
        .get_all("cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| auth::cookie_value(v, auth::SESSION_COOKIE))
        .map(Credentials::Session)
}

/// May a handshake that authenticates by the session cookie go on, given
/// its `Origin`? A browser sends the cookie along with any page's WebSocket
/// to the judge, so a page elsewhere could otherwise watch a signed-in
/// user's submissions (cross-site WebSocket hijacking); a browser always
/// sends `Origin` with a WebSocket, and no page can forge it. The origin
/// must be one of `allowed` (`JUDGE_ALLOWED_ORIGINS`, compared whole:
/// scheme, host and port), or, when none are configured, have the host
/// name of the `Host` the handshake was sent to (ports aside: cookies are
/// not kept apart by port, so the API's pages on the same host are the
/// judge's own). No `Origin` at all is not a browser: allowed. Token
/// handshakes are not checked: a page elsewhere cannot add a token.
pub fn cookie_origin_allowed(req: &Request, allowed: &[String]) -> bool {
    let Some(origin) = req.headers().get("origin") else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let origin = origin.trim().trim_end_matches('/').to_ascii_lowercase();
    if !allowed.is_empty() {
        return allowed
            .iter()
            .any(|a| a.trim().trim_end_matches('/').eq_ignore_ascii_case(&origin));
    }
    let Some(origin_host) = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"))
        .map(host_name)
    else {
        return false; // `null` (a sandboxed page, a file) or not a web origin
    };
    req.headers()
        .get("host")
        .and_then(|h| h.to_str().ok())
        .is_some_and(|host| host_name(&host.trim().to_ascii_lowercase()) == origin_host)
}

/// The host name of `host[:port]` (`[v6]:port` keeps its brackets).
fn host_name(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.split_inclusive(']').next().unwrap_or(authority);
    }
    authority.split(':').next().unwrap_or(authority)
}

/// The caller `credentials` stand for; `None` for an unknown token or an
/// ended session, an error if the store did not answer in time.
pub(crate) async fn lookup(
    pool: &store::Pool,
    credentials: &Credentials,
) -> anyhow::Result<Option<Caller>> {
    let mut conn = tokio::time::timeout(STORE_TIMEOUT, pool.get())
        .await
        .map_err(|_| anyhow::anyhow!("timed out waiting for a redis connection"))??;
    let lookup = async {
        Ok::<_, redis::RedisError>(match credentials {
            Credentials::Token(token) => store::lookup_token(&mut conn, token)
                .await?
                .map(Caller::Token),
            Credentials::Session(id) => accounts::lookup_session(&mut conn, id)
                .await?
                .map(|s| Caller::Session(s.info)),
        })
    };
    Ok::<_, anyhow::Error>(
        tokio::time::timeout(STORE_TIMEOUT, lookup)
            .await
            .map_err(|_| anyhow::anyhow!("redis did not answer in time"))??,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(origin: Option<&str>, host: &str) -> Request {
        let mut req = Request::builder().uri("/ws/users/u").header("host", host);
        if let Some(o) = origin {
            req = req.header("origin", o);
        }
        req.body(()).unwrap()
    }

    #[test]
    fn cookie_handshakes_must_come_from_the_judges_own_origin() {
        let none: &[String] = &[];
        // The host's own pages, on any port (the API serves them on another).
        assert!(cookie_origin_allowed(
            &request(Some("http://127.0.0.1:8080"), "127.0.0.1:8081"),
            none
        ));
        assert!(cookie_origin_allowed(
            &request(Some("https://Judge.Example.org"), "judge.example.org"),
            none
        ));
        assert!(cookie_origin_allowed(
            &request(Some("http://[::1]:8080"), "[::1]:8081"),
            none
        ));
        // Another site, a look-alike, `null`, or nothing to compare with.
        for (origin, host) in [
            ("https://evil.example", "judge.example.org"),
            (
                "https://judge.example.org.evil.example",
                "judge.example.org",
            ),
            ("null", "judge.example.org"),
            ("file://", "judge.example.org"),
        ] {
            assert!(
                !cookie_origin_allowed(&request(Some(origin), host), none),
                "{origin}"
            );
        }
        // Not a browser: no Origin.
        assert!(cookie_origin_allowed(
            &request(None, "judge.example.org"),
            none
        ));
        // Configured origins are compared whole, and replace the Host rule.
        let allowed = vec!["https://judge.example.org".to_string()];
        assert!(cookie_origin_allowed(
            &request(Some("https://judge.example.org"), "gw.internal:8081"),
            &allowed
        ));
        assert!(!cookie_origin_allowed(
            &request(Some("http://judge.example.org"), "judge.example.org"),
            &allowed
        ));
        assert!(!cookie_origin_allowed(
            &request(Some("https://judge.example.org:8443"), "judge.example.org"),
            &allowed
        ));
    }
}
