// Submitting and following a submission: the gateway's WebSocket (or
// polling when it fails), the Result tab kept current, and a submission
// opened by its link (`#/submissions/ID`) or from the history.
import { api, withToken } from './api.js';
import { askToSignIn, currentUser } from './auth.js';
import { saveDraftNow, setLanguage } from './drafts.js';
import { renderHistory } from './history.js';
import { openProblem, renderProblemList, refreshProblems } from './problems.js';
import { isFinal } from './format.js';
import { renderResult } from './result.js';
import { $, app, notice, showTab } from './ui.js';

/// Takes a state from any source; ignores anything older than what is known.
export function applyState(s) {
  const known = app.history.get(s.id);
  // The server files it under the signed-in user: keep what we submitted.
  if (known ? s.seq >= known.seq : s.user_id === currentUser()) app.history.set(s.id, s);
  if (app.shown?.id === s.id && s.seq >= app.shown.seq) {
    app.shown = s;
    renderResult(s);
  }
  renderHistory();
  if (s.status === 'finished') { renderProblemList(); refreshProblems(); }
}

/// Follows one submission: the gateway's WebSocket, or polling if that fails.
class Watcher {
  constructor(id, watchUrl) {
    this.id = id;
    this.done = false;
    this.pollTimer = null;
    if (watchUrl) this.connect(watchUrl); else this.poll();
  }

  connect(url) {
    let ws;
    try {
      ws = new WebSocket(withToken(url));
    } catch {
      this.poll();
      return;
    }
    this.ws = ws;
    const fallback = setTimeout(() => { if (ws.readyState !== WebSocket.OPEN) { ws.close(); this.poll(); } }, 4000);
    ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.error) { notice(`Live updates: ${msg.error}`, 'error'); return; }
      if (msg.state) this.update(msg.state);
    };
    ws.onclose = () => { clearTimeout(fallback); if (!this.done && !this.stopped) this.poll(); };
    ws.onerror = () => {};
  }

  update(s) {
    applyState(s);
    if (isFinal(s)) this.finish(s);
  }

  finish() {
    this.done = true;
    clearTimeout(this.pollTimer);
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close();
    if (app.watcher === this) app.watcher = null;
    $('submit-btn').disabled = false;
  }

  poll() {
    if (this.done || this.stopped || this.polling) return;
    this.polling = true;
    const tick = async () => {
      if (this.done || this.stopped) return;
      try { this.update(await api.submission(this.id)); } catch { /* try again */ }
      if (!this.done && !this.stopped) this.pollTimer = setTimeout(tick, 1000);
    };
    tick();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.pollTimer);
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close();
  }
}

/// The submission's link, without a reload or a second load by the router.
function linkTo(id) {
  const hash = `#/submissions/${encodeURIComponent(id)}`;
  if (location.hash !== hash) history.pushState(null, '', hash);
}

function showSubmission(s, watchUrl) {
  app.watcher?.stop();
  app.watcher = null;
  app.shown = s;
  renderResult(s);
  renderHistory();
  showTab('result');
  linkTo(s.id);
  if (!isFinal(s)) app.watcher = new Watcher(s.id, watchUrl);
}

export async function submit() {
  if (!app.problem) return;
  const user = currentUser();
  if (!user) { askToSignIn('Sign in or sign up to submit.'); return; }
  const code = app.editor.getCode();
  if (!code.trim()) { notice('Write some code first.', 'error'); app.editor.focus(); return; }
  const btn = $('submit-btn');
  btn.disabled = true;
  try {
    // On a contest's problem page (`#/contests/ID/problems/PID`) it counts in the contest.
    const contest = app.contest ? { contest: app.contest.id } : {};
    const res = await api.submit({ user_id: user, problem_id: app.problem.id, language: app.lang, code, ...contest });
    notice('Submitted.');
    app.history.set(res.id, res.state);
    showSubmission(res.state, res.watch_url);
    if (isFinal(res.state)) btn.disabled = false;
  } catch (e) {
    btn.disabled = false;
    if (e.status === 401) askToSignIn('Sign in to submit.');
    notice(`Submit failed: ${e.message}`, 'error');
  }
}

function watchUrlOf(cfg, id) {
  return cfg?.gateway_url ? `${cfg.gateway_url.replace(/\/$/, '')}/ws/submissions/${encodeURIComponent(id)}` : null;
}

/// Shows submission `id` (from the history or its link), following it if
/// it is not finished; its problem is opened beside it.
export async function openSubmission(id) {
  if (app.shown?.id === id) { showTab('result'); return; }
  const cached = app.history.get(id);
  if (cached) showSubmission(cached, null);
  try {
    const s = await api.submission(id);
    if (app.shown && app.shown.id !== id && cached) return; // another was opened since
    if (!cached || s.seq >= cached.seq) {
      app.watcher?.stop();
      app.watcher = null;
      app.shown = s;
      renderResult(s);
      renderHistory();
      showTab('result');
      linkTo(s.id);
    }
    if (!isFinal(s)) {
      app.watcher?.stop();
      app.watcher = new Watcher(id, watchUrlOf(await app.config?.catch(() => null), id));
    }
    if (s.problem_id && app.problem?.id !== s.problem_id && app.problems.some((p) => p.id === s.problem_id)) {
      await openProblem(s.problem_id);
    }
  } catch (e) {
    if (!cached) {
      const why = e.status === 404 ? 'there is no such submission' : e.status === 401 || e.status === 403 ? 'sign in to see it' : e.message;
      $('result').innerHTML = `<p class="muted" data-missing-submission>Submission ${id}: ${why}.</p>`;
      showTab('result');
    }
  }
}

/// Puts a past submission's code (GET /api/submissions/{id}/code) into the editor.
export async function loadSubmissionCode(id) {
  let rec;
  try {
    rec = await api.submissionCode(id);
  } catch (e) {
    notice(e.status === 404 ? 'This judge cannot return the code of past submissions.' : `Cannot load the code: ${e.message}`, 'error');
    return;
  }
  if (rec.problem_id !== app.problem?.id) await openProblem(rec.problem_id);
  saveDraftNow();
  setLanguage(rec.language, { keepCode: true });
  app.editor.setCode(rec.code);
  notice('Code loaded into the editor.');
  app.editor.focus();
}
