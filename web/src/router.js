// Hash routes, so that a reload or a shared link shows the same thing:
// `#/problem/ID` opens a problem, `#/submissions/ID` a submission (and its
// problem beside it); `#/contests` the contest list, `#/contests/ID` a
// contest, `#/contests/ID/scoreboard` its scoreboard and
// `#/contests/ID/problems/PID` a problem with the contest set (Submit
// submits to it); anything else the last problem opened.
import { store } from './api.js';
import { leaveContestProblem, openContest, openContestProblem } from './contest.js';
import { openContests } from './contests.js';
import { openProblem } from './problems.js';
import { openScoreboard } from './scoreboard.js';
import { openSubmission } from './submission.js';
import { app, showView } from './ui.js';

/// The contest route of `hash`, if it is one.
export function contestRoute(hash) {
  const m = /^#\/contests(?:\/([^/]+)(?:\/(scoreboard|problems\/([^/]+)))?)?\/?$/.exec(hash);
  if (!m) return null;
  const id = m[1] && decodeURIComponent(m[1]);
  if (!id) return { page: 'list' };
  if (m[2] === 'scoreboard') return { page: 'scoreboard', id };
  if (m[3]) return { page: 'problem', id, problem: decodeURIComponent(m[3]) };
  return { page: 'contest', id };
}

export function route() {
  const contest = contestRoute(location.hash);
  if (contest) {
    if (contest.page === 'list') openContests();
    else if (contest.page === 'scoreboard') openScoreboard(contest.id);
    else if (contest.page === 'problem') openContestProblem(contest.id, contest.problem);
    else openContest(contest.id);
    return;
  }
  showView('editor');
  const submission = /^#\/submissions\/([^/]+)$/.exec(location.hash);
  if (submission) {
    // The submission opens its own problem beside it; if it cannot be
    // loaded, the last problem opened keeps the page whole. (A contest's
    // problem stays set: its submission's link comes here.)
    openSubmission(decodeURIComponent(submission[1])).then(() => {
      const last = store.get('problem') || app.problems[0]?.id;
      if (!app.problem && last) openProblem(last);
    });
    return;
  }
  leaveContestProblem();
  const problem = /^#\/problem\/([^/]+)$/.exec(location.hash);
  const id = problem ? decodeURIComponent(problem[1]) : store.get('problem') || app.problems[0]?.id;
  if (id) openProblem(id);
}

export function setupRouter() {
  window.addEventListener('hashchange', route);
  window.addEventListener('popstate', route);
}
