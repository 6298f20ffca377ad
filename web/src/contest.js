// One contest (`#/contests/ID`): its state and countdown, registration,
// its problems A-Z with the user's state on each (linking to the problem
// page with the contest set: `#/contests/ID/problems/PID`, where Submit
// submits to the contest), its clarifications, and for admins start,
// freeze, thaw and finalize. Kept current by the contest's live feed, or
// by reading it again every few seconds while the feed is down.
import { api } from './api.js';
import { isAdmin } from './auth.js';
import { problemState } from './board.js';
import { formatDuration, formatStart } from './clock.js';
import { ContestFeed } from './contest-feed.js';
import { clockHtml, startClock } from './countdown.js';
import { RULES_TEXT, register } from './contests.js';
import { addClarification, loadClarifications, setupClarifications } from './clarifications.js';
import { openProblem } from './problems.js';
import { escapeHtml } from './statement.js';
import { $, app, notice, showView } from './ui.js';

const REFRESH_MS = 8000;
const STATE_LABEL = { solved: '✓ solved', pending: '… pending', tried: '✗ tried', 'not tried': 'not tried' };

let page = null; // { id, contest }

/// A problem's colour swatch: the package's `rgb`, with its `color` name.
export function swatchHtml(p) {
  if (!p.rgb) return '';
  return `<span class="swatch" style="background:${escapeHtml(p.rgb)}" title="${escapeHtml(p.color ?? p.rgb)}"></span>`;
}

function headHtml(c) {
  const id = encodeURIComponent(c.id);
  const team = c.team ? `<span class="team-ref" data-team="${escapeHtml(c.team.id)}">You are <strong>${escapeHtml(c.team.name)}</strong></span>` : '';
  const canRegister = !c.team && c.registration_open && c.phase !== 'ended' && c.phase !== 'finalized';
  return `<div class="contest-head">
      <div><h1 id="contest-title">${escapeHtml(c.name)}</h1>
        ${c.formal_name && c.formal_name !== c.name ? `<div class="muted">${escapeHtml(c.formal_name)}</div>` : ''}
        <div class="muted small">${escapeHtml(RULES_TEXT[c.rules] ?? c.rules)} · starts ${escapeHtml(formatStart(c.start_time))} · ${escapeHtml(formatDuration(c.duration))} long${c.scoreboard_freeze_duration ? ` · frozen for the last ${escapeHtml(formatDuration(c.scoreboard_freeze_duration))}` : ''}</div></div>
      <span class="spacer"></span>
      <div class="clock big" data-clock="${escapeHtml(c.id)}">${clockHtml(c)}</div>
    </div>
    <div class="contest-links"><a href="#/contests/${id}/scoreboard" class="button-link">Scoreboard</a>
      <button type="button" class="link" data-scroll="clarifications">Clarifications</button>
      <a href="#/contests">All contests</a>
      <span class="spacer"></span>${team}
      ${canRegister ? `<button type="button" class="primary" id="register-btn">Register</button>` : ''}</div>`;
}

function adminHtml(c) {
  if (!isAdmin()) return '';
  const running = c.phase === 'running';
  const can = {
    start: c.phase === 'scheduled',
    freeze: running && !c.frozen,
    thaw: c.frozen,
    finalize: c.phase === 'ended',
  };
  const buttons = Object.entries(can).map(([action, ok]) =>
    `<button type="button" data-action="${action}"${ok ? '' : ' disabled'}>${action[0].toUpperCase()}${action.slice(1)}</button>`).join('');
  return `<div class="admin-bar" aria-label="Admin"><span class="muted small">Admin</span>${buttons}</div>`;
}

function problemsHtml(c) {
  if (!c.problems.length) {
    return `<p class="muted" data-no-problems>${c.phase === 'scheduled' ? 'The problems appear when the contest starts.' : 'No problems.'}</p>`;
  }
  const rows = c.problems.map((p) => {
    const state = c.team ? problemState(p.status) : null;
    const href = `#/contests/${encodeURIComponent(c.id)}/problems/${encodeURIComponent(p.id)}`;
    const score = p.status?.score != null && c.rules !== 'pass-fail' ? ` · ${p.status.score}` : '';
    return `<tr data-problem="${escapeHtml(p.id)}"${state ? ` data-state="${state}"` : ''}>
      <td class="plabel">${swatchHtml(p)}<strong>${escapeHtml(p.label)}</strong></td>
      <td><a href="${href}">${escapeHtml(p.name)}</a></td>
      <td>${state ? `<span class="pstate p-${state.replace(' ', '-')}">${STATE_LABEL[state]}${escapeHtml(score)}</span>` : ''}</td></tr>`;
  }).join('');
  return `<table class="contest-problems"><thead><tr><th></th><th>Problem</th><th>${c.team ? 'You' : ''}</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function render() {
  const c = page.contest;
  $('contest-main').innerHTML = `${headHtml(c)}${adminHtml(c)}
    <section aria-labelledby="problems-h"><h2 id="problems-h">Problems</h2><div id="contest-problems">${problemsHtml(c)}</div></section>
    <section id="clarifications" class="clarifications" aria-labelledby="clar-h"><h2 id="clar-h">Clarifications</h2><div id="clar-body"></div></section>`;
}

/// Reads the contest again; redraws the problems (and the head when
/// something there changed), keeping the clarification forms as typed.
async function refresh() {
  if (!page) return;
  const id = page.id;
  let c;
  try { c = await api.contest(id); } catch { return; }
  if (page?.id !== id) return;
  const before = page.contest;
  page.contest = c;
  const same = ['phase', 'frozen', 'registration_open', 'start_time', 'end_time'].every((k) => before[k] === c[k])
    && before.team?.id === c.team?.id && before.problems.length === c.problems.length;
  if (!same) { render(); setupClarifications(c); return; }
  $('contest-problems').innerHTML = problemsHtml(c);
}

async function act(action) {
  const id = page.id;
  try {
    await api.contestAction(id, action);
    notice(`Contest: ${action} done.`);
  } catch (e) {
    notice(`Cannot ${action}: ${e.message}`, 'error');
  }
  try {
    const c = await api.contest(id);
    if (page?.id !== id) return;
    page.contest = c;
  } catch { /* keep what is shown */ }
  render();
  setupClarifications(page.contest);
}

export async function openContest(id) {
  let feed = null;
  let stopClock = () => {};
  let timer = null;
  showView('contests', () => { feed?.stop(); stopClock(); clearInterval(timer); page = null; });
  const box = $('contest-main');
  box.innerHTML = '<p class="muted">Loading…</p>';
  let c;
  try {
    c = await api.contest(id);
  } catch (e) {
    box.innerHTML = `<p class="error" data-missing-contest>Contest ${escapeHtml(id)}: ${e.status === 404 ? 'there is no such contest' : escapeHtml(e.message)}.</p>`;
    return;
  }
  if (document.body.dataset.view !== 'contests' || location.hash !== `#/contests/${encodeURIComponent(id)}`) return;
  page = { id, contest: c };
  document.title = `${c.name} · Judge`;
  render();
  setupClarifications(c);
  box.onclick = async (e) => {
    const action = e.target.closest('[data-action]')?.dataset.action;
    if (action) { e.target.disabled = true; await act(action); return; }
    if (e.target.id === 'register-btn') {
      e.target.disabled = true;
      if (await register(id)) await refresh(); else e.target.disabled = false;
    }
    const scroll = e.target.closest('[data-scroll]')?.dataset.scroll;
    if (scroll) { e.preventDefault(); $(scroll)?.scrollIntoView({ behavior: 'smooth' }); }
  };
  stopClock = startClock(() => (page ? [page.contest] : []), refresh);
  // Live: a clarification or state change at once, the user's own row as
  // it changes; otherwise read again every few seconds.
  let live = false;
  feed = new ContestFeed(id, {
    mode: (m) => { live = m === 'live'; },
    clarification: (m) => addClarification(m.clarification),
    state: () => refresh(),
    rows: (m) => { if (m.rows?.some((r) => r.team_id === page?.contest.team?.id)) refresh(); },
  });
  timer = setInterval(() => { if (!live) { refresh(); loadClarifications(); } }, REFRESH_MS);
}

/// The problem page with the contest set: a banner names the contest, and
/// Submit submits to it (`contest` in POST /api/submissions).
export async function openContestProblem(contestId, problemId) {
  showView('editor');
  if (app.contest?.id !== contestId) app.contest = { id: contestId, name: contestId, label: null };
  renderContestBanner();
  const opened = openProblem(problemId);
  try {
    const c = await api.contest(contestId);
    if (app.contest?.id === contestId) {
      const p = c.problems.find((x) => x.id === problemId);
      app.contest = { id: contestId, name: c.name, label: p?.label ?? null };
      renderContestBanner();
    }
  } catch { /* the banner keeps the id */ }
  await opened;
}

/// Leaves a contest's problem: Submit is practice again.
export function leaveContestProblem() {
  app.contest = null;
  renderContestBanner();
}

export function renderContestBanner() {
  const el = $('contest-banner');
  const c = app.contest;
  el.hidden = !c;
  if (!c) { el.innerHTML = ''; return; }
  const id = encodeURIComponent(c.id);
  el.innerHTML = `${c.label ? `<strong>${escapeHtml(c.label)}</strong> · ` : ''}Contest <a href="#/contests/${id}" data-contest-link>${escapeHtml(c.name)}</a>: submissions count in it ·
    <a href="#/contests/${id}/scoreboard">scoreboard</a>`;
  el.dataset.contest = c.id;
}
