//! What a socket asks for, from its request path.

use judge_store::auth;

/// What a socket asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Route {
    Submission(String),
    User(String),
    /// A contest's live scoreboard.
    Contest(String),
}

/// Parses a request path; `None` means 404.
pub fn parse_route(path: &str) -> Option<Route> {
    let path = path.strip_suffix('/').unwrap_or(path);
    if let Some(id) = path.strip_prefix("/ws/submissions/") {
        return auth::is_plausible_submission_id(id).then(|| Route::Submission(id.to_string()));
    }
    if let Some(user) = path.strip_prefix("/ws/users/") {
        return auth::is_valid_user_id(user).then(|| Route::User(user.to_string()));
    }
    if let Some(id) = path.strip_prefix("/ws/contests/") {
        return contest::ids::is_valid_id(id).then(|| Route::Contest(id.to_string()));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes() {
        assert_eq!(
            parse_route("/ws/submissions/0192-ab"),
            Some(Route::Submission("0192-ab".into()))
        );
        assert_eq!(
            parse_route("/ws/users/al.ice_1"),
            Some(Route::User("al.ice_1".into()))
        );
        assert_eq!(
            parse_route("/ws/contests/wf-2026"),
            Some(Route::Contest("wf-2026".into()))
        );
        assert_eq!(parse_route("/ws/contests/a/b"), None);
        assert_eq!(parse_route("/ws/submissions/"), None);
        assert_eq!(parse_route("/ws/submissions/a/b"), None);
        assert_eq!(parse_route("/ws/other/x"), None);
        assert_eq!(parse_route("/"), None);
    }
}
