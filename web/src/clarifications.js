// A contest's clarifications, on its page: a participant asks about a
// problem (or in general) while it runs, and reads what is addressed to
// their team or to everyone; an admin reads them all and answers one team
// or everyone. New ones arrive by the contest's live feed
// (`addClarification`) or by reading the list again.
import { api } from './api.js';
import { isAdmin } from './auth.js';
import { formatDuration } from './clock.js';
import { escapeHtml } from './statement.js';
import { $, notice } from './ui.js';

let shown = null; // { contest, list, teams: Map id -> name }

function teamName(id) { return shown.teams.get(id) ?? id; }

/// Who a clarification is from and to, as the reader sees it.
export function audience(c, myTeam) {
  if (c.from_team_id) return c.from_team_id === myTeam ? 'your question' : `question from ${teamName(c.from_team_id)}`;
  const to = c.to_team_ids;
  if (!to) return 'to everyone';
  if (myTeam && to.includes(myTeam)) return 'to you';
  return `to ${to.map(teamName).join(', ')}`;
}

function problemLabel(id) {
  if (!id) return 'General';
  const p = shown.contest.problems.find((x) => x.id === id);
  return p ? `${p.label} · ${p.name}` : id;
}

function itemHtml(c, byId) {
  const mine = shown.contest.team?.id;
  const question = c.reply_to_id ? byId.get(c.reply_to_id) : null;
  const answer = isAdmin() && c.from_team_id
    ? `<button type="button" class="link" data-answer="${escapeHtml(c.id)}">Answer</button>
       <form class="answer-form" data-answer-form="${escapeHtml(c.id)}" hidden>
         <textarea rows="2" required aria-label="Answer"></textarea>
         <label><input type="radio" name="to-${escapeHtml(c.id)}" value="team" checked> to ${escapeHtml(teamName(c.from_team_id))}</label>
         <label><input type="radio" name="to-${escapeHtml(c.id)}" value="all"> to everyone</label>
         <button type="submit" class="primary">Send</button></form>`
    : '';
  return `<li class="clar${c.from_team_id ? ' question' : ' reply'}" data-clarification="${escapeHtml(c.id)}">
    <div class="clar-head"><span class="clar-who">${escapeHtml(audience(c, mine))}</span>
      <span class="muted small">${escapeHtml(problemLabel(c.problem_id))} · ${escapeHtml(formatDuration(c.contest_time))}</span></div>
    ${question ? `<blockquote class="muted small">${escapeHtml(question.text)}</blockquote>` : ''}
    <div class="clar-text">${escapeHtml(c.text)}</div>${answer}</li>`;
}

function renderList() {
  const box = $('clar-list');
  if (!box || !shown) return;
  // Keep the answers being typed.
  const typing = new Map([...box.querySelectorAll('[data-answer-form]:not([hidden])')]
    .map((f) => [f.dataset.answerForm, f.querySelector('textarea').value]));
  const byId = new Map(shown.list.map((c) => [c.id, c]));
  const list = [...shown.list].reverse();
  box.innerHTML = list.length ? list.map((c) => itemHtml(c, byId)).join('')
    : '<li class="muted">No clarifications yet.</li>';
  for (const [id, text] of typing) {
    const f = box.querySelector(`[data-answer-form="${CSS.escape(id)}"]`);
    if (f) { f.hidden = false; f.querySelector('textarea').value = text; }
  }
}

function askFormHtml(c) {
  if (!c.team || c.phase !== 'running') return '';
  const options = c.problems.map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.label)} · ${escapeHtml(p.name)}</option>`).join('');
  return `<form id="ask-form" class="clar-form">
    <label class="field">About <select id="ask-problem"><option value="">General</option>${options}</select></label>
    <textarea id="ask-text" rows="2" placeholder="Your question to the jury" required></textarea>
    <button type="submit" class="primary">Ask</button></form>`;
}

function announceFormHtml() {
  if (!isAdmin()) return '';
  return `<form id="announce-form" class="clar-form">
    <label class="field">To everyone, about <select id="announce-problem"><option value="">General</option>${shown.contest.problems
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.label)}</option>`).join('')}</select></label>
    <textarea id="announce-text" rows="2" placeholder="An announcement to every team" required></textarea>
    <button type="submit">Announce</button></form>`;
}

/// Draws the clarifications of contest `c` (a contest page's detail) and
/// reads them.
export function setupClarifications(c) {
  const body = $('clar-body');
  if (!body) return;
  shown = { contest: c, list: shown?.contest.id === c.id ? shown.list : [], teams: shown?.contest.id === c.id ? shown.teams : new Map() };
  const canRead = c.team || isAdmin();
  body.innerHTML = canRead
    ? `${askFormHtml(c)}${announceFormHtml()}<ul id="clar-list" class="clar-list"></ul>`
    : '<p class="muted">Participants and the jury see clarifications here.</p>';
  if (!canRead) return;
  renderList();
  body.onsubmit = onSubmit;
  body.onclick = (e) => {
    const id = e.target.closest('[data-answer]')?.dataset.answer;
    if (!id) return;
    const form = body.querySelector(`[data-answer-form="${CSS.escape(id)}"]`);
    form.hidden = !form.hidden;
    if (!form.hidden) form.querySelector('textarea').focus();
  };
  if (isAdmin() && !shown.teams.size) {
    api.scoreboard(c.id).then((v) => {
      if (shown?.contest.id !== c.id) return;
      shown.teams = new Map(v.teams.map((t) => [t.id, t.name]));
      renderList();
    }).catch(() => {});
  }
  loadClarifications();
}

/// Reads the list again.
export async function loadClarifications() {
  if (!shown || !$('clar-list')) return;
  const id = shown.contest.id;
  try {
    const list = await api.clarifications(id);
    if (shown?.contest.id !== id) return;
    shown.list = list;
    renderList();
  } catch { /* kept as shown */ }
}

/// One clarification from the live feed.
export function addClarification(c) {
  if (!shown || !c || shown.list.some((x) => x.id === c.id)) return;
  shown.list.push(c);
  renderList();
}

async function send(call, form, done) {
  const button = form.querySelector('button[type=submit]');
  button.disabled = true;
  try {
    const c = await call();
    done();
    addClarification(c);
  } catch (e) {
    notice(`Not sent: ${e.message}`, 'error');
  } finally {
    button.disabled = false;
  }
}

async function onSubmit(e) {
  e.preventDefault();
  const form = e.target;
  const id = shown.contest.id;
  if (form.id === 'ask-form') {
    const text = $('ask-text').value.trim();
    if (!text) return;
    await send(() => api.ask(id, { text, problem_id: $('ask-problem').value || undefined }), form,
      () => { $('ask-text').value = ''; notice('Your question went to the jury.'); });
  } else if (form.id === 'announce-form') {
    const text = $('announce-text').value.trim();
    if (!text) return;
    await send(() => api.answer(id, { text, problem_id: $('announce-problem').value || undefined }), form,
      () => { $('announce-text').value = ''; notice('Announced to everyone.'); });
  } else if (form.dataset.answerForm) {
    const q = shown.list.find((c) => c.id === form.dataset.answerForm);
    const text = form.querySelector('textarea').value.trim();
    if (!q || !text) return;
    const toAll = form.querySelector('input[value=all]').checked;
    await send(() => api.answer(id, {
      text, reply_to_id: q.id, problem_id: q.problem_id ?? undefined, to_team_id: toAll ? undefined : q.from_team_id,
    }), form, () => { form.hidden = true; form.querySelector('textarea').value = ''; notice('Answer sent.'); });
  }
}
