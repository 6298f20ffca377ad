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
