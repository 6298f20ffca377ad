// The contest list (`#/contests`): each contest's name, start, length,
// rules, state with its countdown, and a Register button where
// registration is open and the user is on no team yet.
import { api } from './api.js';
import { askToSignIn, currentUser } from './auth.js';
import { formatDuration, formatStart } from './clock.js';
import { clockHtml, startClock } from './countdown.js';
import { escapeHtml } from './statement.js';
import { $, notice, showView } from './ui.js';

export const RULES_TEXT = { 'pass-fail': 'ICPC', leetcode: 'LeetCode', score: 'IOI (points)' };

let shown = null; // { contests, teams: Map id -> team ref or null }

function rowHtml(c, team) {
  const href = `#/contests/${encodeURIComponent(c.id)}`;
  let action = '';
  if (team) action = `<span class="muted small" data-team="${escapeHtml(team.id)}">you are ${escapeHtml(team.name)}</span>`;
  else if (c.registration_open && c.phase !== 'ended' && c.phase !== 'finalized') {
    action = `<button type="button" class="primary" data-register="${escapeHtml(c.id)}">Register</button>`;
  }
  return `<tr data-contest="${escapeHtml(c.id)}">
    <td><a href="${href}" class="cname">${escapeHtml(c.name)}</a>${c.formal_name && c.formal_name !== c.name ? `<div class="muted small">${escapeHtml(c.formal_name)}</div>` : ''}</td>
    <td>${escapeHtml(formatStart(c.start_time))}</td>
    <td>${escapeHtml(formatDuration(c.duration))}</td>
    <td>${escapeHtml(RULES_TEXT[c.rules] ?? c.rules)}</td>
    <td class="clock" data-clock="${escapeHtml(c.id)}">${clockHtml(c)}</td>
    <td><a href="${href}/scoreboard">scoreboard</a></td>
    <td class="action">${action}</td></tr>`;
}

function render() {
  const box = $('contest-main');
  const { contests, teams } = shown;
  box.innerHTML = `<h1>Contests</h1>
    ${contests.length ? `<table class="contests">
      <thead><tr><th>Contest</th><th>Start</th><th>Length</th><th>Rules</th><th>State</th><th></th><th></th></tr></thead>
      <tbody>${contests.map((c) => rowHtml(c, teams.get(c.id))).join('')}</tbody></table>`
    : '<p class="muted">No contests yet.</p>'}`;
}

/// Registers the user for contest `id` (a team of one).
export async function register(id) {
  if (!currentUser()) { askToSignIn('Sign in or sign up to register.'); return null; }
  try {
    const r = await api.register(id);
    notice(`Registered: you are team ${r.team_id}.`);
    return r;
  } catch (e) {
    if (e.status === 401) askToSignIn('Sign in to register.');
    notice(`Cannot register: ${e.message}`, 'error');
    return null;
  }
}

async function load() {
  const contests = await api.contests();
  // Whether the user is on a team already, where that decides the button.
  const teams = new Map();
  if (currentUser()) {
    await Promise.all(contests.filter((c) => c.registration_open).map(async (c) => {
      try { teams.set(c.id, (await api.contest(c.id)).team); } catch { /* leave the button */ }
    }));
  }
  return { contests, teams };
}

export async function openContests() {
  let stopClock = () => {};
  showView('contests', () => stopClock());
  document.title = 'Contests · Judge';
  const box = $('contest-main');
  box.innerHTML = '<h1>Contests</h1><p class="muted">Loading…</p>';
  try {
    shown = await load();
  } catch (e) {
    box.innerHTML = `<h1>Contests</h1><p class="error">Cannot load the contests: ${escapeHtml(e.message)}</p>`;
    return;
  }
  if (document.body.dataset.view !== 'contests' || !/^#\/contests\/?$/.test(location.hash)) return;
  render();
  box.onclick = async (e) => {
    const id = e.target.closest('[data-register]')?.dataset.register;
    if (!id) return;
    e.target.disabled = true;
    if (await register(id)) { shown = await load().catch(() => shown); render(); } else e.target.disabled = false;
  };
  // A contest that starts or ends by the clock: its row is read again.
  stopClock = startClock(() => shown?.contests ?? [], async () => {
    shown = await load().catch(() => shown);
    render();
  });
}
