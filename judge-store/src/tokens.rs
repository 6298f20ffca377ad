//! Access tokens: what one stands for, the only form in which they are
//! stored, and their life (creation with an optional expiry, lookup,
//! listing and revocation by their owner).
//!
//! A token's rights are read when it is used, never frozen into it: its
//! user's account says whether it is an admin (`admin` in
//! [`keys::account`]), so taking admin from a user takes it from every
//! token of theirs at once. Only a user without that flag (the configured
//! admin token's `admin`, which no account may take, and tokens stored
//! before this rule) falls back to the flag stored with the token.

use redis::aio::ConnectionLike;
use redis::AsyncCommands;
use serde::{Deserialize, Serialize};

use crate::keys;

/// Who a token or session stands for, as resolved at this request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub user_id: String,
    #[serde(default)]
    pub admin: bool,
}

/// What is stored for a token under [`keys::token`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredToken {
    pub user_id: String,
    /// Its public id ([`token_id`]); empty in tokens stored before ids,
    /// which get one at their next use.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub id: String,
    #[serde(default)]
    pub created_at_ms: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at_ms: Option<u64>,
    /// Used only when the user's account has no admin flag (see the module).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub admin: bool,
}

/// The hex SHA-256 of a bearer token: the only form in which tokens are stored.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// A token's public id: the first 16 hex digits of its SHA-256. It names
/// the token in a listing and for revocation; it cannot be used as one, and
/// says nothing about the token (256 random bits) but which one it is.
pub fn token_id(hash: &str) -> String {
    hash.chars().take(16).collect()
}

/// Is `id` shaped as a [`token_id`]?
pub fn is_token_id(id: &str) -> bool {
    id.len() == 16
        && id
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// Stores a new token for `user_id`, expiring `expires_in_secs` from now
/// if given (the key goes with it); `admin` is the fallback flag (see the
/// module): only the configured admin token sets it.
pub async fn create<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
    user_id: &str,
    admin: bool,
    expires_in_secs: Option<u64>,
    now_ms: u64,
) -> redis::RedisResult<StoredToken> {
    let hash = token_hash(token);
    let stored = StoredToken {
        user_id: user_id.to_string(),
        id: token_id(&hash),
        created_at_ms: now_ms,
        expires_at_ms: expires_in_secs.map(|s| now_ms.saturating_add(s.saturating_mul(1000))),
        admin,
    };
    let json = serde_json::to_string(&stored).expect("a token serializes");
    let mut pipe = redis::pipe();
    pipe.atomic();
    match expires_in_secs {
        Some(secs) => pipe.set_ex(keys::token(&hash), json, secs.max(1)),
        None => pipe.set(keys::token(&hash), json),
    }
    .ignore()
    .hset(keys::user_tokens(user_id), &stored.id, &hash)
    .ignore();
    pipe.query_async::<()>(conn).await?;
    Ok(stored)
}

/// Who `token` stands for now: `None` when it is unknown, revoked or
/// expired; its admin right read from its user's account (see the module).
pub async fn lookup<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
    now_ms: u64,
) -> redis::RedisResult<Option<TokenInfo>> {
    let hash = token_hash(token);
    let json: Option<String> = conn.get(keys::token(&hash)).await?;
    let Some(mut stored) = json.and_then(|j| serde_json::from_str::<StoredToken>(&j).ok()) else {
        return Ok(None);
    };
    if stored.expires_at_ms.is_some_and(|at| at <= now_ms) {
        return Ok(None);
    }
    if stored.id.is_empty() {
        // Stored before ids: give it one so its owner can list and revoke it.
        stored.id = token_id(&hash);
        let json = serde_json::to_string(&stored).expect("a token serializes");
        redis::pipe()
            .cmd("SET")
            .arg(keys::token(&hash))
            .arg(json)
            .arg("XX")
            .arg("KEEPTTL")
            .ignore()
            .hset(keys::user_tokens(&stored.user_id), &stored.id, &hash)
            .ignore()
            .query_async::<()>(conn)
            .await?;
    }
    let account_admin: Option<String> = conn.hget(keys::account(&stored.user_id), "admin").await?;
    let admin = match account_admin {
        Some(flag) => flag == "1",
        None => stored.admin,
    };
    Ok(Some(TokenInfo {
        user_id: stored.user_id,
        admin,
    }))
}

/// A user's live tokens, oldest first (entries of expired or vanished
/// tokens are dropped from the index on the way).
pub async fn list<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    now_ms: u64,
) -> redis::RedisResult<Vec<StoredToken>> {
    let index: Vec<(String, String)> = conn.hgetall(keys::user_tokens(user_id)).await?;
    let mut live = Vec::new();
    let mut gone = Vec::new();
    for (id, hash) in index {
        let json: Option<String> = conn.get(keys::token(&hash)).await?;
        match json.and_then(|j| serde_json::from_str::<StoredToken>(&j).ok()) {
            Some(t) if t.user_id == user_id && t.expires_at_ms.is_none_or(|at| at > now_ms) => {
                live.push(StoredToken { id, ..t })
            }
            _ => gone.push(id),
        }
    }
    if !gone.is_empty() {
        let _: () = conn.hdel(keys::user_tokens(user_id), gone).await?;
    }
    live.sort_by(|a, b| (a.created_at_ms, &a.id).cmp(&(b.created_at_ms, &b.id)));
    Ok(live)
}

/// Revokes `user_id`'s token with this id; false when they have none such.
pub async fn revoke_by_id<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
    id: &str,
) -> redis::RedisResult<bool> {
    let hash: Option<String> = conn.hget(keys::user_tokens(user_id), id).await?;
    let Some(hash) = hash else {
        return Ok(false);
    };
    let (removed, _): (u64, u64) = redis::pipe()
        .atomic()
        .del(keys::token(&hash))
        .hdel(keys::user_tokens(user_id), id)
        .query_async(conn)
        .await?;
    Ok(removed > 0)
}

/// Revokes a token by its value (`judge logout`); false when it was not known.
pub async fn revoke<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    token: &str,
) -> redis::RedisResult<bool> {
    let hash = token_hash(token);
    let json: Option<String> = conn.get(keys::token(&hash)).await?;
    let removed: u64 = conn.del(keys::token(&hash)).await?;
    if let Some(stored) = json.and_then(|j| serde_json::from_str::<StoredToken>(&j).ok()) {
        let _: () = conn
            .hdel(keys::user_tokens(&stored.user_id), token_id(&hash))
            .await?;
    }
    Ok(removed > 0)
}

/// Does `user_id` have a token index (any token made since ids)?
pub async fn has_tokens<C: ConnectionLike + Send + Sync>(
    conn: &mut C,
    user_id: &str,
) -> redis::RedisResult<bool> {
    conn.exists(keys::user_tokens(user_id)).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_a_hash_prefix_and_stored_tokens_read_old_records() {
        let hash = token_hash("secret");
        let id = token_id(&hash);
        assert_eq!(id.len(), 16);
        assert!(hash.starts_with(&id));
        assert!(is_token_id(&id));
        assert!(!is_token_id("xyz"));
        assert!(!is_token_id(&id.to_uppercase()));
        // A record stored before ids and expiry: the user and flag only.
        let old: StoredToken = serde_json::from_str(r#"{"user_id":"u","admin":true}"#).unwrap();
        assert_eq!(
            (old.id.as_str(), old.admin, old.expires_at_ms),
            ("", true, None)
        );
    }
}
