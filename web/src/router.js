// Hash routes, so that a reload or a shared link shows the same thing:
// `#/problem/ID` opens a problem, `#/submissions/ID` a submission (and its
// problem beside it); anything else the last problem opened.
import { store } from './api.js';
import { openProblem } from './problems.js';
import { openSubmission } from './submission.js';
import { app } from './ui.js';

export function route() {
  const submission = /^#\/submissions\/([^/]+)$/.exec(location.hash);
  if (submission) {
    // The submission opens its own problem beside it; if it cannot be
    // loaded, the last problem opened keeps the page whole.
    openSubmission(decodeURIComponent(submission[1])).then(() => {
      const last = store.get('problem') || app.problems[0]?.id;
      if (!app.problem && last) openProblem(last);
    });
    return;
  }
  const problem = /^#\/problem\/([^/]+)$/.exec(location.hash);
  const id = problem ? decodeURIComponent(problem[1]) : store.get('problem') || app.problems[0]?.id;
  if (id) openProblem(id);
}

export function setupRouter() {
  window.addEventListener('hashchange', route);
  window.addEventListener('popstate', route);
}
