//! Admin endpoints (every one takes an [`crate::auth::Admin`], in every `JUDGE_AUTH` mode):
//!
//! * `POST /api/admin/users` `{user_id, admin?}` → `{user_id, token}`: a new token.
//! * `PUT /api/admin/users/{user_id}/admin` `{admin}`: an account's admin right.
//! * `GET`/`PUT /api/admin/settings` `{signup_open}`: sign-up open or invite-only.
//! * `POST /api/admin/languages/{id}/enable`: records the request and names
//!   the command that builds the language's image (see [`languages`]).
//! * `PUT /api/admin/problems/{id}` with a tar / tar.gz body: check, then store
//!   a new version (old versions stay; submissions keep theirs). With
//!   `?draft=true` the version is stored as a draft: not current, so users
//!   neither see nor submit to it; an admin submits against it with
//!   `problem_version` (`judge problem verify`) and publishes it with
//! * `POST /api/admin/problems/{id}/versions/{version}/publish`: makes a
//!   stored version (a draft) current.
//! * `POST /api/admin/problems/{id}/validate`: the same checks, nothing stored.
//! * `POST /api/admin/submissions/{id}/rejudge` and
//!   `POST /api/admin/problems/{id}/rejudge`: re-queue finished submissions,
//!   judged against the problem's *current* version (the record's
//!   `problem_version` is moved to it).

pub mod languages;
pub mod problems;
pub mod settings;
pub mod submissions;
pub mod users;
mod validator_check;
