//! Access tokens: what one grants, and the only form in which they are stored.

use serde::{Deserialize, Serialize};

/// What an access token grants, stored under [`crate::keys::token`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenInfo {
    pub user_id: String,
    #[serde(default)]
    pub admin: bool,
}

/// The hex SHA-256 of a bearer token: the only form in which tokens are stored.
pub fn token_hash(token: &str) -> String {
    use sha2::{Digest, Sha256};
    hex::encode(Sha256::digest(token.as_bytes()))
}
