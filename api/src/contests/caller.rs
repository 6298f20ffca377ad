//! Who calls a contest route: an admin, a participant (with a team), or
//! anyone. Contest routes are public to read, so missing credentials are
//! no error there.

use contest::views::Audience;
use judge_store::contest::registry;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::state::{timed, AppState};

/// The caller as a contest sees them.
#[derive(Debug, Clone, Default)]
pub struct ContestCaller {
    pub admin: bool,
    pub user_id: Option<String>,
    /// The caller's team in this contest.
    pub team_id: Option<String>,
}

impl ContestCaller {
    pub async fn of(
        app: &AppState,
        caller: Result<Caller, ApiError>,
        contest_id: &str,
    ) -> Result<ContestCaller, ApiError> {
        let caller = match caller {
            Ok(c) => c,
            // Unknown credentials are refused; missing ones read publicly.
            Err(e @ ApiError::Unauthorized(_)) if !e.to_string().contains("sign in,") => {
                return Err(e)
            }
            Err(_) => return Ok(ContestCaller::default()),
        };
        let user_id = caller.user_id().map(str::to_string);
        let team_id = match &user_id {
            Some(u) => {
                let mut conn = app.conn().await?;
                timed(registry::team_of(&mut conn, contest_id, u)).await?
            }
            None => None,
        };
        Ok(ContestCaller {
            admin: caller.is_admin(),
            user_id,
            team_id,
        })
    }

    /// Whose view of the board the caller gets.
    pub fn audience(&self) -> Audience<'_> {
        match (self.admin, self.team_id.as_deref()) {
            (true, _) => Audience::Admin,
            (false, Some(t)) => Audience::Team(t),
            (false, None) => Audience::Public,
        }
    }
}
