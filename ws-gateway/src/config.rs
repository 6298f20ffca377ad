//! The gateway's flags and environment.

use clap::Parser;
use judge_store::auth::AuthMode;

#[derive(Parser, Clone, Debug)]
#[command(
    name = "judge-gateway",
    about = "WebSocket gateway of the online judge"
)]
pub struct Config {
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    #[arg(long, env = "JUDGE_GATEWAY_ADDR", default_value = "127.0.0.1:8081")]
    pub addr: String,
    /// Seconds between pings to each client; a client silent for three intervals is dropped.
    #[arg(long, env = "JUDGE_GATEWAY_PING_SECS", default_value_t = 20)]
    pub ping_secs: u64,
    /// `required`: a token is needed to watch anything. `open`: INSECURE, for
    /// local development and tests — connections without a token may watch anything.
    #[arg(long, env = "JUDGE_AUTH", value_enum, default_value_t = AuthMode::Required)]
    pub auth: AuthMode,
    /// Origins whose pages may open a socket authenticated by the session
    /// cookie, comma-separated (`https://judge.example.org`); others get
    /// 403. Unset: the origin's host name must be the `Host` the handshake
    /// was sent to. Token handshakes are not checked.
    #[arg(long, env = "JUDGE_ALLOWED_ORIGINS", value_delimiter = ',')]
    pub allowed_origins: Vec<String>,
}
