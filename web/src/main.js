// The judge's web editor: problems, statement, editor, Run, Submit with live
// per-test progress, and the user's submission history.
import { api, ApiError, store, withToken } from './api.js';
import { createEditor } from './editor.js';
import { escapeHtml, renderStatement } from './statement.js';

const $ = (id) => document.getElementById(id);
const USER_RE = /^[A-Za-z0-9_.-]{1,64}$/;

const VERDICT_NAMES = {
  AC: 'Accepted', WA: 'Wrong Answer', TLE: 'Time Limit Exceeded', MLE: 'Memory Limit Exceeded',
  OLE: 'Output Limit Exceeded', RE: 'Run-Time Error', CE: 'Compilation Error', IE: 'Internal Error',
};
const STATUS_TEXT = { queued: 'Queued', compiling: 'Compiling', running: 'Running', finished: 'Finished' };

const app = {
  problems: [],
  problem: null, // ProblemSummary of the open problem
  languages: [],
  history: new Map(), // id -> SubmissionState, the user's submissions
  shown: null, // SubmissionState in the Result tab
  watcher: null,
  lang: null, // the editor's language id
};

// ---- small helpers ----

function verdictName(v) { return VERDICT_NAMES[v] ?? v; }

function formatMemory(kb) {
  if (kb == null) return '';
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}

function formatLimit(p) {
  const secs = p.time_limit_ms / 1000;
  return `${Number.isInteger(secs) ? secs : secs.toFixed(2)} s · ${p.memory_mb} MB`;
}

function formatWhen(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  const today = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

function languageName(id) { return app.languages.find((l) => l.id === id)?.name ?? id; }

/// A score as people write it: 30, 12.5, 0.333.
function formatScore(x) {
  if (x == null) return '–';
  return String(Math.round(x * 1000) / 1000);
}

/// `30 / 70`, `– / 70` before grading, `30` when unbounded.
function scoreOf(score, max) {
  return max == null ? formatScore(score) : `${formatScore(score)} / ${formatScore(max)}`;
}

/// Test cases judged AC, and how many there are: LeetCode's "n / m passed".
function passedCount(s) {
  return { passed: s.results.filter((r) => r.verdict === 'AC').length, total: Math.max(s.tests_total, s.results.length) };
}

function notice(text, kind = 'info') {
  const el = $('notice');
  el.textContent = text;
  el.className = kind;
  clearTimeout(notice.timer);
  if (text && kind !== 'error') notice.timer = setTimeout(() => { el.textContent = ''; }, 6000);
}

function userId() { return $('user-id').value.trim(); }

function checkUser() {
  const u = userId();
  if (!USER_RE.test(u)) {
    notice('The user id must be 1–64 letters, digits, _ . or -.', 'error');
    $('user-id').focus();
    return null;
  }
  return u;
}

// ---- tabs ----

const TABS = ['result', 'run', 'history'];

function showTab(name, focus = false) {
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
}

function setupTabs() {
  for (const t of TABS) {
    $(`tab-${t}`).addEventListener('click', () => showTab(t));
    $(`tab-${t}`).addEventListener('keydown', (e) => {
      const i = TABS.indexOf(t);
      if (e.key === 'ArrowRight') showTab(TABS[(i + 1) % TABS.length], true);
      else if (e.key === 'ArrowLeft') showTab(TABS[(i + TABS.length - 1) % TABS.length], true);
      else return;
      e.preventDefault();
    });
  }
}

// ---- editor, languages, drafts ----

let editor;
let draftTimer;

function draftKey(lang = app.lang) {
  return `draft.${app.problem?.id ?? '_'}.${lang}`;
}

function saveDraft() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(() => store.set(draftKey(), editor.getCode()), 300);
}

function loadDraft() {
  clearTimeout(draftTimer);
  editor.setCode(store.get(draftKey(), ''));
}

function setLanguage(id, { keepCode = false } = {}) {
  const lang = app.languages.find((l) => l.id === id) ?? app.languages[0];
  if (!lang) return;
  $('language').value = lang.id;
  app.lang = lang.id;
  store.set('language', lang.id);
  editor.setMode(lang.editor_mode);
  if (!keepCode) loadDraft();
}

async function loadLanguages() {
  app.languages = await api.languages();
  const sel = $('language');
  sel.innerHTML = app.languages
    .map((l) => `<option value="${escapeHtml(l.id)}">${escapeHtml(l.name)}</option>`)
    .join('');
  const saved = store.get('language');
  setLanguage(app.languages.some((l) => l.id === saved) ? saved : (app.languages.find((l) => l.id === 'cpp') ?? app.languages[0]).id);
  sel.addEventListener('change', () => {
    // Save the draft of the language left; keep what is typed if the new
    // language has no draft yet.
    clearTimeout(draftTimer);
    const code = editor.getCode();
    store.set(draftKey(), code);
    const lang = sel.value;
    const hasDraft = store.get(draftKey(lang), '') !== '';
    setLanguage(lang, { keepCode: !hasDraft });
    if (!hasDraft) store.set(draftKey(), code);
  });
}

// ---- problems ----

function renderProblemList() {
  const counts = new Map();
  for (const s of app.history.values()) {
    const c = counts.get(s.problem_id) ?? { ac: 0, tried: 0 };
    c.tried++;
    if (s.verdict === 'AC') c.ac++;
    counts.set(s.problem_id, c);
  }
  const list = $('problem-list');
  if (!app.problems.length) {
    list.innerHTML = '<li class="muted">No problems loaded.</li>';
    return;
  }
  list.innerHTML = app.problems.map((p) => {
    const c = counts.get(p.id);
    const best = p.best;
    // A scoring problem shows the best score (the API keeps it over every
    // submission, rejudges included); a pass-fail one the counts of the
    // loaded history, or the API's solved / tried when the history has none.
    const badge = p.scoring && best
      ? `<span class="${best.solved ? 'solved' : 'tried'} best-score" data-best-score="${best.score ?? 0}" title="your best score">${escapeHtml(scoreOf(best.score ?? 0, best.max_score ?? p.max_score))}</span>`
      : c ? (c.ac ? `<span class="solved" title="${c.ac} accepted of your ${c.tried} submissions">✓ ${c.ac}</span>`
        : `<span class="tried" title="${c.tried} submissions, none accepted">✗ ${c.tried}</span>`)
        : best ? (best.solved ? '<span class="solved" title="you solved it">✓</span>'
          : '<span class="tried" title="tried, not solved">✗</span>') : '';
    const points = p.scoring ? ` · ${p.max_score != null ? `${formatScore(p.max_score)} points` : 'scoring'}` : '';
    const current = app.problem?.id === p.id ? ' aria-current="page"' : '';
    return `<li><a href="#/problem/${encodeURIComponent(p.id)}" data-problem="${escapeHtml(p.id)}"${current}>
      <span class="pname">${escapeHtml(p.name)}</span>${badge}
      <span class="plimits">${escapeHtml(formatLimit(p))} · ${p.tests} tests${escapeHtml(points)}</span></a></li>`;
  }).join('');
}

async function openProblem(id) {
  if (app.problem?.id === id) return;
  let p;
  try {
    p = await api.problem(id);
  } catch (e) {
    notice(`Cannot open problem ${id}: ${e.message}`, 'error');
    return;
  }
  if (app.problem) { clearTimeout(draftTimer); store.set(draftKey(), editor.getCode()); }
  app.problem = p;
  store.set('problem', p.id);
  document.title = `${p.name} · Judge`;
  $('problem-title').textContent = p.name;
  $('problem-limits').textContent = `Time limit ${formatLimit(p).replace(' · ', ' · memory ')} · ${p.tests} test cases`;
  $('statement').innerHTML = renderStatement(p.statement, p.id);
  renderProblemGroups(p);
  renderSamples(p);
  loadDraft();
  if (!$('run-input').value || $('run-input').dataset.sample === 'true') {
    $('run-input').value = p.samples[0]?.input ?? '';
    $('run-input').dataset.sample = 'true';
  }
  renderProblemList();
}

/// A scoring problem's groups and their points, above the statement.
function renderProblemGroups(p) {
  const box = $('problem-groups');
  if (!p.scoring || !p.groups?.length) { box.hidden = true; box.innerHTML = ''; return; }
  const rows = p.groups.map((g) => {
    const depth = g.name.split('/').length - 1;
    const requires = g.require_pass?.length ? `requires ${g.require_pass.join(', ')}` : '';
    return `<tr data-group="${escapeHtml(g.name)}"><td style="padding-left:${8 + 14 * depth}px">${escapeHtml(g.name)}</td>
      <td>${g.max_score != null ? escapeHtml(formatScore(g.max_score)) : '–'}</td><td>${g.tests.length}</td>
      <td>${escapeHtml(g.aggregation ?? '')}</td><td class="muted">${escapeHtml(requires)}</td></tr>`;
  }).join('');
  box.innerHTML = `<h2>Scoring · ${p.max_score != null ? `${escapeHtml(formatScore(p.max_score))} points` : 'unbounded'}</h2>
    <table class="groups"><thead><tr><th>Group</th><th>Points</th><th>Tests</th><th>Aggregation</th><th></th></tr></thead>
    <tbody>${rows}</tbody></table>`;
  box.hidden = false;
}

function renderSamples(p) {
  const box = $('samples');
  if (!p.samples.length) { box.innerHTML = ''; return; }
  box.innerHTML = '<h2>Samples</h2>' + p.samples.map((s, i) => `
    <div class="sample">
      <div><div class="sample-head">Input ${i + 1} <button type="button" class="link" data-use-sample="${i}">use as custom input</button></div>
        <pre>${escapeHtml(s.input)}</pre></div>
      <div><div class="sample-head">Output ${i + 1}</div><pre>${escapeHtml(s.output)}</pre></div>
    </div>`).join('');
}

function route() {
  const m = /^#\/problem\/([^/]+)$/.exec(location.hash);
  const id = m ? decodeURIComponent(m[1]) : store.get('problem') || app.problems[0]?.id;
  if (id) openProblem(id);
}

// ---- submission results ----

/// The mark of test `index` (1-based): ✓, ✗, running, or not yet.
function markHtml(s, byIndex, index) {
  const r = byIndex.get(index);
  if (r) {
    const ok = r.verdict === 'AC';
    return `<li class="mark ${ok ? 'ok' : 'bad'}" title="Test ${r.index} (${escapeHtml(r.name)}): ${verdictName(r.verdict)}, ${r.time_ms} ms">${ok ? '✓' : '✗'}</li>`;
  }
  if (index === s.results.length + 1 && s.status === 'running') {
    return `<li class="mark busy" title="Test ${index}: running">●</li>`;
  }
  return `<li class="mark todo" title="Test ${index}: ${s.status === 'finished' ? 'not run' : 'waiting'}">·</li>`;
}

function resultsByIndex(s) {
  return new Map(s.results.map((r, i) => [r.index ?? i + 1, r]));
}

function marksHtml(s) {
  const total = Math.max(s.tests_total, s.results.length);
  const byIndex = resultsByIndex(s);
  const cells = [];
  for (let i = 1; i <= total; i++) cells.push(markHtml(s, byIndex, i));
  return `<ol class="marks" aria-label="Test cases">${cells.join('')}</ol>`;
}

/// A scoring submission's groups as they are judged: each group's verdict,
/// score out of its points, "n / m passed", and its tests' marks (a group
/// with subgroups shows theirs below it, indented, not the same marks twice).
function groupsHtml(s) {
  const byIndex = resultsByIndex(s);
  const names = s.groups.map((g) => g.name);
  const rows = s.groups.map((g) => {
    const depth = g.name.split('/').length - 1;
    const parent = names.some((n) => n.startsWith(`${g.name}/`));
    let state;
    if (g.verdict) state = `<span class="v-text v-${g.verdict}">${escapeHtml(g.verdict)}</span>`;
    else if (s.status === 'finished') state = '<span class="muted">not judged</span>';
    else if (g.tests.some((i) => byIndex.has(i) || (i === s.results.length + 1 && s.status === 'running'))) state = '<span class="muted">running</span>';
    else state = '<span class="muted">waiting</span>';
    const marks = parent ? '' : `<ol class="marks small" aria-label="Tests of ${escapeHtml(g.name)}">${g.tests.map((i) => markHtml(s, byIndex, i)).join('')}</ol>`;
    return `<div class="group${g.verdict ? ` g-${g.verdict === 'AC' ? 'ok' : 'bad'}` : ''}" data-group="${escapeHtml(g.name)}" data-verdict="${g.verdict ?? ''}" style="margin-left:${14 * depth}px">
      <div class="group-head"><span class="gname">${escapeHtml(g.name)}</span> ${state}
        <span class="gscore" data-score="${g.score ?? ''}">${escapeHtml(scoreOf(g.score, g.max_score))}</span>
        <span class="gpassed">${g.passed} / ${g.total} passed</span></div>
      ${marks}${g.message ? `<div class="gmsg muted small">${escapeHtml(g.message)}</div>` : ''}</div>`;
  }).join('');
  return `<div class="groups-view" aria-label="Test groups">${rows}</div>`;
}

function progressText(s) {
  switch (s.status) {
    case 'queued': return 'In queue…';
    case 'compiling': return 'Compiling…';
    case 'running': return `Running test ${Math.min(s.results.length + 1, s.tests_total)}/${s.tests_total}`;
    default: return '';
  }
}

function renderResult(s) {
  const box = $('result');
  if (!s) return;
  const finished = s.status === 'finished';
  const scoring = s.groups?.length > 0;
  const { passed, total } = passedCount(s);
  // The total is known once graded (groups may aggregate by min, so graded
  // groups do not simply add up); until then each group shows its own.
  const score = scoring
    ? `<span class="score" data-score="${s.score ?? ''}">${escapeHtml(scoreOf(finished ? (s.score ?? 0) : s.score, s.max_score))} points</span>`
    : '';
  const head = finished
    ? `<span class="badge v-${s.verdict}" data-verdict="${s.verdict}">${verdictName(s.verdict)}</span>${score}
       <span class="stats"><span class="passed">${passed} / ${total} test cases passed</span> · max ${s.time_ms} ms · ${formatMemory(s.memory_kb)}</span>`
    : `<span class="badge pending" data-status="${s.status}"><span class="spinner" aria-hidden="true"></span>${escapeHtml(progressText(s))}</span>${score}
       ${s.results.length ? `<span class="stats"><span class="passed">${passed} / ${total} test cases passed</span></span>` : ''}`;
  const rows = s.results.map((r) => `
    <tr class="${r.verdict === 'AC' ? 'ok' : 'bad'}"><td>${r.index}</td><td>${escapeHtml(r.name)}</td>
      <td><span class="v-text v-${r.verdict}">${r.verdict}</span></td><td>${r.time_ms} ms</td>
      <td>${formatMemory(r.memory_kb)}</td><td class="msg">${escapeHtml(r.message ?? '')}</td></tr>`).join('');
  box.innerHTML = `
    <div class="result-head">${head}</div>
    <div class="result-meta muted small">${escapeHtml(languageName(s.language))} · ${escapeHtml(s.problem_id)} ·
      submitted ${escapeHtml(formatWhen(s.created_at_ms))} · <span class="sid">${escapeHtml(s.id)}</span>
      · <button type="button" class="link" data-load-code="${escapeHtml(s.id)}">load this code into the editor</button></div>
    ${s.message ? `<p class="message">${escapeHtml(s.message)}</p>` : ''}
    ${scoring ? groupsHtml(s) : (s.tests_total || s.results.length ? marksHtml(s) : '')}
    ${s.compile_output ? `<h3>Compiler output</h3><pre class="compile">${escapeHtml(s.compile_output)}</pre>` : ''}
    ${rows ? `<table class="tests"><thead><tr><th>#</th><th>Test</th><th>Verdict</th><th>Time</th><th>Memory</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>` : ''}`;
}

/// Takes a state from any source; ignores anything older than what is known.
function applyState(s) {
  const known = app.history.get(s.id);
  // With a token the server may file it under another user id: keep what we submitted.
  if (known ? s.seq >= known.seq : s.user_id === userId()) app.history.set(s.id, s);
  if (app.shown?.id === s.id && s.seq >= app.shown.seq) {
    app.shown = s;
    renderResult(s);
  }
  renderHistory();
  if (s.status === 'finished') { renderProblemList(); refreshProblems(); }
}

/// Reloads the problem list for the users' best results (kept by the API).
let problemsLoad = 0;
async function refreshProblems() {
  const ticket = ++problemsLoad;
  const problems = await loadProblems().catch(() => null);
  if (problems && ticket === problemsLoad) { app.problems = problems; renderProblemList(); }
}

/// The problem list with the user's best results: the token's user, or
/// without a token the id typed in the page (`?user=`, open mode); a judge
/// that refuses that still lists the problems, without results.
async function loadProblems() {
  const user = userId();
  if (store.get('token').trim() || !USER_RE.test(user)) return api.problems();
  try {
    return await api.problems(user);
  } catch (e) {
    if (e.status === 401 || e.status === 403) return api.problems();
    throw e;
  }
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
    if (s.status === 'finished') this.finish(s);
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

function showSubmission(s, watchUrl) {
  app.watcher?.stop();
  app.watcher = null;
  app.shown = s;
  renderResult(s);
  showTab('result');
  if (s.status !== 'finished') app.watcher = new Watcher(s.id, watchUrl);
}

async function submit() {
  const user = checkUser();
  if (!user || !app.problem) return;
  const code = editor.getCode();
  if (!code.trim()) { notice('Write some code first.', 'error'); editor.focus(); return; }
  const btn = $('submit-btn');
  btn.disabled = true;
  try {
    const res = await api.submit({ user_id: user, problem_id: app.problem.id, language: app.lang, code });
    notice('Submitted.');
    app.history.set(res.id, res.state);
    showSubmission(res.state, res.watch_url);
    renderHistory();
    if (res.state.status === 'finished') btn.disabled = false;
  } catch (e) {
    btn.disabled = false;
    notice(`Submit failed: ${e.message}`, 'error');
  }
}

async function openSubmission(id) {
  const cached = app.history.get(id);
  if (cached) showSubmission(cached, null);
  try {
    const s = await api.submission(id);
    if (!cached || s.seq >= cached.seq) showSubmission(s, null);
    if (s.status !== 'finished') {
      app.watcher?.stop();
      const cfg = await configPromise.catch(() => null);
      app.watcher = new Watcher(id, cfg?.gateway_url ? `${cfg.gateway_url.replace(/\/$/, '')}/ws/submissions/${id}` : null);
    }
  } catch (e) {
    if (!cached) notice(`Cannot load submission: ${e.message}`, 'error');
  }
}

/// Puts a past submission's code (GET /api/submissions/{id}/code) into the editor.
async function loadSubmissionCode(id) {
  let rec;
  try {
    rec = await api.submissionCode(id);
  } catch (e) {
    notice(e.status === 404 ? 'This judge cannot return the code of past submissions.' : `Cannot load the code: ${e.message}`, 'error');
    return;
  }
  if (rec.problem_id !== app.problem?.id) {
    location.hash = `#/problem/${encodeURIComponent(rec.problem_id)}`;
    await openProblem(rec.problem_id);
  }
  clearTimeout(draftTimer);
  store.set(draftKey(), editor.getCode());
  setLanguage(rec.language, { keepCode: true });
  editor.setCode(rec.code);
  notice('Code loaded into the editor.');
  editor.focus();
}

// ---- history ----

function renderHistory() {
  const body = $('history-body');
  const list = [...app.history.values()].sort((a, b) => (b.created_at_ms - a.created_at_ms) || (a.id < b.id ? 1 : -1));
  if (!list.length) {
    body.innerHTML = '<tr><td colspan="6" class="muted">No submissions yet.</td></tr>';
    return;
  }
  body.innerHTML = list.map((s) => {
    const name = app.problems.find((p) => p.id === s.problem_id)?.name ?? s.problem_id;
    const verdict = s.status === 'finished'
      ? `<span class="v-text v-${s.verdict}">${verdictName(s.verdict)}</span>${s.groups?.length ? ` <span class="muted">${escapeHtml(scoreOf(s.score ?? 0, s.max_score))}</span>` : ''}`
      : `<span class="muted">${STATUS_TEXT[s.status] ?? s.status}${s.status === 'running' ? ` ${s.results.length}/${s.tests_total}` : ''}</span>`;
    const sel = app.shown?.id === s.id ? ' aria-selected="true"' : '';
    return `<tr tabindex="0" data-submission="${escapeHtml(s.id)}"${sel}>
      <td>${escapeHtml(formatWhen(s.created_at_ms))}</td><td>${escapeHtml(name)}</td>
      <td>${escapeHtml(languageName(s.language))}</td><td>${verdict}</td>
      <td>${s.status === 'finished' ? `${s.time_ms} ms` : ''}</td>
      <td>${s.status === 'finished' ? formatMemory(s.memory_kb) : ''}</td></tr>`;
  }).join('');
}

let historyLoad = 0;
async function loadHistory() {
  const user = userId();
  const ticket = ++historyLoad;
  app.history.clear();
  if (!USER_RE.test(user)) { renderHistory(); renderProblemList(); return; }
  try {
    const list = await api.userSubmissions(user);
    if (ticket !== historyLoad) return;
    for (const s of list) app.history.set(s.id, s);
  } catch (e) {
    notice(`Cannot load your submissions: ${e.message}`, 'error');
  }
  renderHistory();
  renderProblemList();
  refreshProblems();
}

// ---- Run ----

function normalise(out) {
  return out.split('\n').map((l) => l.trim().split(/\s+/).join(' ')).join('\n').trim();
}

function runResultHtml(r, expected) {
  const parts = [];
  const verdict = r.verdict ?? (r.compile_output && r.status !== 'finished' ? 'CE' : null);
  let head = verdict
    ? `<span class="badge small v-${verdict}">${verdictName(verdict)}</span>`
    : `<span class="badge small neutral">${escapeHtml(r.status ?? 'finished')}</span>`;
  if (expected != null && r.stdout != null && (!verdict || verdict === 'AC')) {
    const same = normalise(r.stdout) === normalise(expected);
    head += same ? ' <span class="v-text v-AC">matches the expected output</span>'
      : ' <span class="v-text v-WA">differs from the expected output</span>';
  }
  parts.push(`<div class="run-head">${head} <span class="stats">${r.time_ms ?? '?'} ms · ${formatMemory(r.memory_kb ?? 0)}</span></div>`);
  if (r.compile_output) parts.push(`<h4>Compiler output</h4><pre class="compile">${escapeHtml(r.compile_output)}</pre>`);
  parts.push(`<h4>Output</h4><pre class="stdout">${r.stdout ? escapeHtml(r.stdout) : '<span class="muted">(empty)</span>'}</pre>`);
  if (expected != null) parts.push(`<h4>Expected</h4><pre>${escapeHtml(expected)}</pre>`);
  if (r.stderr) parts.push(`<h4>Standard error</h4><pre class="stderr">${escapeHtml(r.stderr)}</pre>`);
  return parts.join('');
}

function runErrorHtml(e) {
  if (e instanceof ApiError && (e.status === 404 || e.status === 405 || e.status === 501)) {
    return `<p class="error" data-run-unavailable>Run is not available on this judge yet: the API has no
      <code>POST /api/run</code> (HTTP ${e.status}). Use <strong>Submit</strong> to judge your code on the tests.</p>`;
  }
  return `<p class="error">Run failed: ${escapeHtml(e.message)}</p>`;
}

let running = false;
async function run(mode) {
  if (running || !app.problem) return;
  const code = editor.getCode();
  if (!code.trim()) { notice('Write some code first.', 'error'); editor.focus(); return; }
  const input = $('run-input').value;
  const samples = mode === 'samples' || (mode === 'auto' && !input.trim())
    ? app.problem.samples : null;
  const out = $('run-output');
  showTab('run');
  running = true;
  for (const b of ['run-btn', 'run-custom', 'run-samples']) $(b).disabled = true;
  const language = app.lang;
  try {
    if (samples) {
      if (!samples.length) { out.innerHTML = '<p class="muted">This problem has no samples; enter an input.</p>'; return; }
      out.innerHTML = '<p><span class="spinner"></span> Running on the samples…</p>';
      const html = [];
      for (const [i, s] of samples.entries()) {
        const r = await api.run({ language, code, input: s.input });
        html.push(`<section class="run-case"><h3>Sample ${i + 1}</h3>${runResultHtml(r, s.output)}</section>`);
        out.innerHTML = html.join('');
      }
    } else {
      out.innerHTML = '<p><span class="spinner"></span> Running…</p>';
      const r = await api.run({ language, code, input });
      const sample = app.problem.samples.find((s) => s.input === input);
      out.innerHTML = runResultHtml(r, sample ? sample.output : null);
    }
  } catch (e) {
    out.innerHTML = runErrorHtml(e);
  } finally {
    running = false;
    for (const b of ['run-btn', 'run-custom', 'run-samples']) $(b).disabled = false;
  }
}

// ---- settings ----

function setupSettings() {
  const user = $('user-id');
  user.value = store.get('user', 'guest');
  let timer;
  user.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (USER_RE.test(userId())) { store.set('user', userId()); loadHistory(); }
    }, 400);
  });
  const token = $('token');
  token.value = store.get('token');
  const save = async () => {
    store.set('token', token.value.trim());
    notice(token.value.trim() ? 'Token saved.' : 'Token cleared.');
    await userFromToken();
    loadHistory();
  };
  $('token-save').addEventListener('click', save);
  token.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); save(); } });
  $('token-clear').addEventListener('click', () => { token.value = ''; save(); });
  if (store.get('token')) $('settings').open = false;
}

/// With a token, the server decides who the user is: show that id and lock
/// the field, so the history asked for is the token's own.
async function userFromToken() {
  const field = $('user-id');
  if (!store.get('token').trim()) {
    field.readOnly = false;
    field.title = '';
    return;
  }
  try {
    const me = await api.me();
    if (me.user_id) {
      field.value = me.user_id;
      field.readOnly = true;
      field.title = 'set by your token';
    }
  } catch (e) {
    notice(`Your token was not accepted: ${e.message}`, 'error');
  }
}

// ---- start ----

let configPromise;

async function main() {
  editor = createEditor($('editor'), {
    keys: [
      { key: 'Mod-Enter', run: () => { submit(); return true; } },
      { key: "Mod-'", run: () => { run('auto'); return true; } },
    ],
    onChange: saveDraft,
  });
  setupTabs();
  setupSettings();
  document.querySelector('.skip').addEventListener('click', (e) => { e.preventDefault(); editor.focus(); });

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
  const historyBody = $('history-body');
  historyBody.addEventListener('click', (e) => {
    const id = e.target.closest('tr[data-submission]')?.dataset.submission;
    if (id) openSubmission(id);
  });
  historyBody.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const id = e.target.closest('tr[data-submission]')?.dataset.submission;
    if (id) { e.preventDefault(); openSubmission(id); }
  });

  configPromise = api.config();
  try {
    const [problems] = await Promise.all([loadProblems(), loadLanguages()]);
    app.problems = problems;
  } catch (e) {
    notice(`Cannot reach the judge: ${e.message}`, 'error');
    $('problem-list').innerHTML = `<li class="error">${escapeHtml(e.message)}</li>`;
    return;
  }
  renderProblemList();
  window.addEventListener('hashchange', route);
  route();
  await userFromToken();
  await loadHistory();
  document.body.dataset.ready = 'true';
}

main();
