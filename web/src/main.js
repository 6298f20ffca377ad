// The judge's web editor: problems, statement, editor, Run, Submit with live
// per-test progress, the failing case's detail, and the user's history.
// This file only wires the modules together:
//   api.js (HTTP, CSRF, tokens) · auth.js (sign-in, who the page acts for) ·
//   problems.js (list, statement) · drafts.js (languages, drafts, starter
//   code) · run.js · submission.js (submit, follow) · result.js (a state,
//   the failing case) · history.js (filters) · router.js (`#/…` links) ·
//   ui.js (shared state, tabs, notice, which page is shown) · format.js.
// Contests: contests.js (the list) · contest.js (a contest, its problems,
//   admin controls) · scoreboard.js · clarifications.js · contest-feed.js
//   (the live board: WebSocket, else polling) · countdown.js · and the
//   pure board.js (rows, cells) and clock.js (times, states).
import { api } from './api.js';
import { loadSession, onUserChange, setupAuth } from './auth.js';
import { loadLanguages, saveDraftSoon } from './drafts.js';
import { createEditor } from './editor.js';
import { loadHistory, renderHistoryFilters, setupHistory } from './history.js';
import { loadProblems, refreshProblems, renderProblemList } from './problems.js';
import { contestRoute, route, setupRouter } from './router.js';
import { run } from './run.js';
import { escapeHtml } from './statement.js';
import { loadSubmissionCode, openSubmission, submit } from './submission.js';
import { $, app, notice, setupTabs, showTab } from './ui.js';

function setupControls() {
  document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); app.editor.focus(); });
  $('submit-btn').addEventListener('click', submit);
  $('run-btn').addEventListener('click', () => run('auto'));
  $('run-custom').addEventListener('click', () => run('custom'));
  $('run-samples').addEventListener('click', () => run('samples'));
  $('run-input').addEventListener('input', () => { $('run-input').dataset.sample = 'false'; });
  document.addEventListener('keydown', (e) => {
    if (!(e.ctrlKey || e.metaKey) || e.defaultPrevented) return;
    if (e.key === 'Enter') { e.preventDefault(); submit(); }
    else if (e.key === "'") { e.preventDefault(); run('auto'); }
  });
  $('samples').addEventListener('click', (e) => {
    const i = e.target.closest('[data-use-sample]')?.dataset.useSample;
    if (i == null) return;
    $('run-input').value = app.problem.samples[Number(i)].input;
    $('run-input').dataset.sample = 'true';
    showTab('run');
    $('run-input').focus();
  });
  $('result').addEventListener('click', (e) => {
    const id = e.target.closest('[data-load-code]')?.dataset.loadCode;
    if (id) loadSubmissionCode(id);
  });
  setupHistory(openSubmission);
}

async function main() {
  app.editor = createEditor($('editor'), {
    keys: [
      { key: 'Mod-Enter', run: () => { submit(); return true; } },
      { key: "Mod-'", run: () => { run('auto'); return true; } },
    ],
    onChange: saveDraftSoon,
  });
  setupTabs();
  setupAuth();
  setupControls();
  onUserChange(async () => {
    // A contest page depends on who reads it (their team, admin controls).
    if (contestRoute(location.hash)) route();
    await loadHistory();
    renderProblemList();
    refreshProblems();
  });

  app.config = api.config();
  await loadSession();
  try {
    const [problems] = await Promise.all([loadProblems(), loadLanguages()]);
    app.problems = problems;
  } catch (e) {
    notice(`Cannot reach the judge: ${e.message}`, 'error');
    $('problem-list').innerHTML = `<li class="error">${escapeHtml(e.message)}</li>`;
    return;
  }
  renderProblemList();
  renderHistoryFilters();
  setupRouter();
  route();
  await loadHistory();
  renderProblemList();
  document.body.dataset.ready = 'true';
}

main();
