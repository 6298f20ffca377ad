// The user's submissions (the Submissions tab), newest first, filtered by
// problem and verdict: the API filters (`?problem=&verdict=`), and the
// page applies the same filter to submissions made since, so a new one
// that matches appears live.
import { api } from './api.js';
import { currentUser } from './auth.js';
import { STATUS_TEXT, VERDICT_NAMES, formatMemory, formatWhen, scoreOf, verdictName } from './format.js';
import { escapeHtml } from './statement.js';
import { $, app, languageName, notice } from './ui.js';

/// Submissions the API returned for the current filter (beyond the
/// unfiltered list it returned, which may stop at the newest ones).
const filtered = new Map();

function filters() {
  return { problem: $('history-problem').value, verdict: $('history-verdict').value };
}

function matches(s, f) {
  return (!f.problem || s.problem_id === f.problem) && (!f.verdict || s.verdict === f.verdict);
}

export function renderHistory() {
  const body = $('history-body');
  const f = filters();
  const byId = new Map(filtered);
  for (const s of app.history.values()) {
    const other = byId.get(s.id);
    if (!other || s.seq >= other.seq) byId.set(s.id, s);
  }
  const list = [...byId.values()].filter((s) => matches(s, f))
    .sort((a, b) => (b.created_at_ms - a.created_at_ms) || (a.id < b.id ? 1 : -1));
  if (!list.length) {
    const why = !currentUser() ? 'Sign in to see your submissions.'
      : f.problem || f.verdict ? 'No submissions match these filters.' : 'No submissions yet.';
    body.innerHTML = `<tr><td colspan="6" class="muted">${why}</td></tr>`;
    return;
  }
  body.innerHTML = list.map((s) => {
    const name = app.problems.find((p) => p.id === s.problem_id)?.name ?? s.problem_id;
    const verdict = s.status === 'finished'
      ? `<span class="v-text v-${s.verdict}">${verdictName(s.verdict)}</span>${s.groups?.length ? ` <span class="muted">${escapeHtml(scoreOf(s.score ?? 0, s.max_score))}</span>` : ''}`
      : `<span class="muted">${STATUS_TEXT[s.status] ?? s.status}${s.status === 'running' ? ` ${s.results.length}/${s.tests_total}` : ''}</span>`;
    const sel = app.shown?.id === s.id ? ' aria-selected="true"' : '';
    return `<tr tabindex="0" data-submission="${escapeHtml(s.id)}" data-problem="${escapeHtml(s.problem_id)}" data-verdict="${s.verdict ?? ''}"${sel}>
      <td><a href="#/submissions/${encodeURIComponent(s.id)}" tabindex="-1">${escapeHtml(formatWhen(s.created_at_ms))}</a></td><td>${escapeHtml(name)}</td>
      <td>${escapeHtml(languageName(s.language))}</td><td>${verdict}</td>
      <td>${s.status === 'finished' ? `${s.time_ms} ms` : ''}</td>
      <td>${s.status === 'finished' ? formatMemory(s.memory_kb) : ''}</td></tr>`;
  }).join('');
}

/// The problem filter's choices follow the problem list.
export function renderHistoryFilters() {
  const sel = $('history-problem');
  const current = sel.value;
  sel.innerHTML = '<option value="">All problems</option>' + app.problems
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)}</option>`).join('');
  sel.value = app.problems.some((p) => p.id === current) ? current : '';
  const verdicts = $('history-verdict');
  if (verdicts.options.length <= 1) {
    verdicts.innerHTML = '<option value="">All verdicts</option>' + Object.entries(VERDICT_NAMES)
      .map(([code, name]) => `<option value="${code}">${escapeHtml(name)}</option>`).join('');
  }
}

let historyLoad = 0;
/// Loads the user's submissions: all of them (for the problem list's
/// counts), and those of the filter when one is set.
export async function loadHistory() {
  const user = currentUser();
  const ticket = ++historyLoad;
  app.history.clear();
  filtered.clear();
  if (!user) { renderHistory(); return; }
  try {
    const f = filters();
    const [all, some] = await Promise.all([
      api.userSubmissions(user),
      f.problem || f.verdict ? api.userSubmissions(user, f) : Promise.resolve([]),
    ]);
    if (ticket !== historyLoad) return;
    for (const s of all) app.history.set(s.id, s);
    for (const s of some) filtered.set(s.id, s);
  } catch (e) {
    if (e.status !== 401 && e.status !== 403) notice(`Cannot load your submissions: ${e.message}`, 'error');
  }
  renderHistory();
}

/// A filter changed: ask the API for the matching submissions.
async function loadFiltered() {
  const user = currentUser();
  const f = filters();
  filtered.clear();
  renderHistory();
  if (!user || !(f.problem || f.verdict)) return;
  const ticket = ++historyLoad;
  try {
    const some = await api.userSubmissions(user, f);
    if (ticket !== historyLoad) return;
    for (const s of some) filtered.set(s.id, s);
  } catch (e) {
    notice(`Cannot filter your submissions: ${e.message}`, 'error');
  }
  renderHistory();
}

export function setupHistory(open) {
  renderHistoryFilters();
  $('history-problem').addEventListener('change', loadFiltered);
  $('history-verdict').addEventListener('change', loadFiltered);
  const body = $('history-body');
  body.addEventListener('click', (e) => {
    const id = e.target.closest('tr[data-submission]')?.dataset.submission;
    if (id) { e.preventDefault(); open(id); }
  });
  body.addEventListener('keydown', (e) => {
    if (e.key !== 'Enter' && e.key !== ' ') return;
    const id = e.target.closest('tr[data-submission]')?.dataset.submission;
    if (id) { e.preventDefault(); open(id); }
  });
}
