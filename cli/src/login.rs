//! `judge login` and `judge logout`: the CLI's side of accounts.
//!
//! `judge login` asks for a user name and a password (the password without
//! echo, from the terminal; or the first line of stdin with
//! `--password-stdin`, for scripts), trades them for a bearer token at
//! `POST /api/auth/tokens`, and saves the token where every other command
//! reads it ([`crate::config`]). `judge login --token T` saves a token an
//! admin made. `judge logout` revokes the saved token and forgets it.

use std::io::{BufRead, IsTerminal, Write};

use api_types::{Credentials, TokenCreated};
use reqwest::StatusCode;
use serde_json::json;

use crate::api_client::{error_from_answer, exchange, ApiClient};
use crate::config;
use crate::error::{code, CliError};

/// How `judge login` gets its credentials.
#[derive(Debug, Default)]
pub struct LoginArgs {
    /// The user name; asked for when absent.
    pub username: Option<String>,
    /// Read the password from stdin's first line instead of the terminal.
    pub password_stdin: bool,
}

/// `judge login`: a token for a name and password, or `--token` as given.
pub async fn login(
    url: &str,
    json_output: bool,
    flag_token: Option<&str>,
    args: LoginArgs,
) -> Result<u8, CliError> {
    if let Some(token) = flag_token {
        let path = config::save_token(token.trim())?;
        eprintln!("token saved to {}", path.display());
        return Ok(code::OK);
    }
    let username = match args.username.filter(|u| !u.trim().is_empty()) {
        Some(name) => name.trim().to_string(),
        None if args.password_stdin => {
            return Err(CliError::Usage(
                "--password-stdin needs --username (stdin holds the password)".into(),
            ))
        }
        None => ask_username()?,
    };
    let password = if args.password_stdin {
        password_from_stdin()?
    } else {
        rpassword::prompt_password("password: ").map_err(|e| {
            CliError::Usage(format!(
                "cannot read the password from a terminal ({e}); use --password-stdin"
            ))
        })?
    };
    if password.is_empty() {
        return Err(CliError::Usage("the password is empty".into()));
    }

    let client = ApiClient::new(url)?;
    let endpoint = client.url("api/auth/tokens");
    let request = reqwest::Client::new()
        .post(endpoint.clone())
        .json(&Credentials {
            password: password.clone(),
            username: username.clone(),
        });
    let (status, body) = exchange(&endpoint, request).await?;
    if status == StatusCode::UNAUTHORIZED {
        return Err(CliError::Refused(format!(
            "wrong user name or password for {username}"
        )));
    }
    if !status.is_success() {
        return Err(error_from_answer(&endpoint, status, &body));
    }
    let answer: TokenCreated = serde_json::from_slice(&body).map_err(|e| {
        CliError::Judge(format!(
            "the judge API answered {endpoint} with bad JSON: {e}"
        ))
    })?;
    let path = config::save_token(&answer.token)?;
    let user_id = answer.user_id.as_str();
    if json_output {
        println!(
            "{}",
            json!({ "user_id": user_id, "config": path.display().to_string() })
        );
    } else {
        eprintln!("logged in as {user_id}; token saved to {}", path.display());
    }
    Ok(code::OK)
}

/// `judge logout`: revokes the saved token at the judge (best effort: an
/// unreachable judge only earns a warning) and forgets it.
pub async fn logout(url: &str) -> Result<u8, CliError> {
    let Some(token) = config::load_token() else {
        eprintln!("not logged in: no saved token");
        return Ok(code::OK);
    };
    let endpoint = ApiClient::new(url)?.url("api/auth/signout");
    let request = reqwest::Client::new()
        .post(endpoint.clone())
        .bearer_auth(&token);
    match exchange(&endpoint, request).await {
        Ok((status, _)) if status.is_success() => {}
        Ok((status, body)) => eprintln!(
            "warning: the token was not revoked: {}",
            error_from_answer(&endpoint, status, &body)
        ),
        Err(e) => eprintln!("warning: the token was not revoked: {e}"),
    }
    if let Some(path) = config::forget_token()? {
        eprintln!("logged out: token removed from {}", path.display());
    }
    Ok(code::OK)
}

fn ask_username() -> Result<String, CliError> {
    if !std::io::stdin().is_terminal() {
        return Err(CliError::Usage(
            "no terminal to ask the user name on: pass --username".into(),
        ));
    }
    eprint!("user name: ");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Usage(format!("cannot read the user name: {e}")))?;
    let name = line.trim().to_string();
    if name.is_empty() {
        return Err(CliError::Usage("the user name is empty".into()));
    }
    Ok(name)
}

/// The first line of stdin, without its line ending.
fn password_from_stdin() -> Result<String, CliError> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|e| CliError::Usage(format!("cannot read the password from stdin: {e}")))?;
    Ok(line.trim_end_matches(['\n', '\r']).to_string())
}
