//! The API's configuration: command-line flags, each with its environment
//! variable, as deployed by `scripts/up.sh` and the compose files.

use std::path::PathBuf;

use clap::Parser;
use judge_store::auth::AuthMode;

use crate::client_address::IpRange;

/// Default largest problem package upload (`JUDGE_MAX_PACKAGE_BYTES`).
pub const DEFAULT_MAX_PACKAGE_BYTES: usize = 256 << 20;

#[derive(Parser, Clone, Debug)]
#[command(name = "judge-api", about = "HTTP API of the online judge")]
pub struct Config {
    #[arg(long, env = "REDIS_URL", default_value = "redis://127.0.0.1:6379")]
    pub redis_url: String,
    #[arg(long, env = "JUDGE_API_ADDR", default_value = "127.0.0.1:8080")]
    pub addr: String,
    #[arg(long, env = "JUDGE_PROBLEMS_DIR", default_value = "problems")]
    pub problems_dir: PathBuf,
    #[arg(long, env = "JUDGE_MAX_CODE_BYTES", default_value_t = 65536)]
    pub max_code_bytes: usize,
    /// Public WebSocket base URL of the gateway, as clients must use it.
    #[arg(long, env = "JUDGE_GATEWAY_URL", default_value = "ws://127.0.0.1:8081")]
    pub gateway_url: String,
    #[arg(long, env = "JUDGE_WEB_DIR", default_value = "web/dist")]
    pub web_dir: PathBuf,
    /// `required`: submissions and reads of submissions need a bearer token.
    /// `open`: INSECURE, for local development and tests only — no token
    /// needed, the submission's user id comes from the request body.
    #[arg(long, env = "JUDGE_AUTH", value_enum, default_value_t = AuthMode::Required)]
    pub auth: AuthMode,
    /// The admin token. If unset, the one in --admin-token-file is used, and
    /// if that file does not exist a new token is generated and written there.
    #[arg(long, env = "JUDGE_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    #[arg(
        long,
        env = "JUDGE_ADMIN_TOKEN_FILE",
        default_value = ".judge/admin-token"
    )]
    pub admin_token_file: PathBuf,
    /// Largest problem package (tar or tar.gz) an admin may upload, in bytes.
    #[arg(long, env = "JUDGE_MAX_PACKAGE_BYTES", default_value_t = DEFAULT_MAX_PACKAGE_BYTES)]
    pub max_package_bytes: usize,
    /// Back-pressure: with this many jobs waiting or being judged, new
    /// submissions and runs get 503 with Retry-After instead of a place in a
    /// queue that would not be judged in reasonable time.
    #[arg(long, env = "JUDGE_MAX_QUEUE", default_value_t = 10_000)]
    pub max_queue: u64,
    /// Submissions and runs one user may make per minute (429 beyond); 0 turns it off.
    #[arg(long, env = "JUDGE_RATE_LIMIT", default_value_t = 60)]
    pub rate_limit_per_minute: u64,
    /// Whether visitors may sign up (`open`, the default) or only admins make
    /// accounts' tokens (`closed`, invite-only). When given, it is applied at
    /// start-up; an admin may change it at run time (`PUT /api/admin/settings`).
    #[arg(long, env = "JUDGE_SIGNUP", value_enum)]
    pub signup: Option<SignupMode>,
    /// Mark the session cookie `Secure` even when the request did not say it
    /// came over https (`X-Forwarded-Proto: https` does so by itself).
    #[arg(long, env = "JUDGE_COOKIE_SECURE", default_value_t = false, action = clap::ArgAction::Set, value_parser = clap::builder::BoolishValueParser::new())]
    pub cookie_secure: bool,
    /// How long an import waits for a worker to compile a single-file output
    /// validator (it is compiled as a custom run); 0 skips the check.
    #[arg(long, env = "JUDGE_VALIDATOR_CHECK_SECS", default_value_t = 60)]
    pub validator_check_secs: u64,
    /// Package checks (`judge problem add` / `verify`) whose client has not
    /// read their state for this long are cancelled: their client went
    /// away without cancelling them. 0 turns it off.
    #[arg(long, env = "JUDGE_CHECK_LEASE_SECS", default_value_t = 120)]
    pub check_lease_secs: u64,
    /// Reverse proxies whose `X-Forwarded-For` is believed for the
    /// per-address sign-in back-off and sign-up limit: addresses or
    /// networks, comma-separated (`10.0.0.7,10.1.0.0/16`). Unset: the TCP
    /// peer is the client, and the header is ignored.
    #[arg(long, env = "JUDGE_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<IpRange>,
}

/// `JUDGE_SIGNUP`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum SignupMode {
    Open,
    /// Invite-only: sign-up answers 403.
    Closed,
}
