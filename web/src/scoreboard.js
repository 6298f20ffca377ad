// A contest's scoreboard (`#/contests/ID/scoreboard`), live. Pass-fail
// (ICPC): a grid of tries and minutes per problem, the first to solve
// each problem marked, pending cells (judging, or hidden by the freeze),
// and a banner while the board is frozen. LeetCode and score (IOI): a
// table of points. The rows come from GET /api/contests/{id}/scoreboard,
// then from the contest's live feed (changed rows replace their team's),
// or from reading the scoreboard again while the feed is down.
import { api } from './api.js';
import {
  isPassFail, mergeRows, passFailCell, rowTotals, scoreCell, sortRows, teamNames,
} from './board.js';
import { ContestFeed } from './contest-feed.js';
import { swatchHtml } from './contest.js';
import { clockHtml, startClock } from './countdown.js';
import { escapeHtml } from './statement.js';
import { $, showView } from './ui.js';

let board = null; // { id, contest, view, rows, names, frozen, mode }

function frozenFor(state) { return !!state?.frozen && !state?.thawed && !state?.finalized; }

function bannerHtml() {
  const { view, contest } = board;
  if (board.frozen && view.view !== 'admin') {
    return `<div class="frozen-banner" data-frozen role="status">❄ The scoreboard is frozen: submissions made since the freeze show as pending until the jury thaws it.</div>`;
  }
  if (contest.frozen && view.view === 'admin') {
    return '<div class="frozen-banner admin" data-frozen-admin role="status">❄ Frozen for the public. You see through the freeze (admin).</div>';
  }
  return '';
}

function headerCells(problems) {
  return problems.map((p) => `<th class="pcol" data-problem="${escapeHtml(p.id)}" title="${escapeHtml(p.name)}">${swatchHtml(p)}${escapeHtml(p.label)}</th>`).join('');
}

function passFailRow(row, problems, mine) {
  const cells = new Map(row.problems.map((c) => [c.problem_id, c]));
  const t = rowTotals(row);
  const tds = problems.map((p) => {
    const cell = passFailCell(cells.get(p.id));
    return `<td class="cell ${cell.cls}" data-problem="${escapeHtml(p.id)}" title="${escapeHtml(cell.title)}">${
      cell.cls === 'empty' ? '' : `<span class="c-time">${escapeHtml(cell.time)}</span><span class="c-tries">${escapeHtml(cell.tries)}</span>`}</td>`;
  }).join('');
  return `<tr data-team="${escapeHtml(row.team_id)}"${mine ? ' class="mine"' : ''}><td class="rank">${row.rank}</td>
    <td class="tname">${escapeHtml(board.names.get(row.team_id) ?? row.team_id)}</td>
    <td class="num solved-count">${t.solved}</td><td class="num penalty">${t.penalty}</td>${tds}</tr>`;
}

function scoreRow(row, problems, mine) {
  const cells = new Map(row.problems.map((c) => [c.problem_id, c]));
  const t = rowTotals(row);
  const tds = problems.map((p) => {
    const cell = scoreCell(cells.get(p.id));
    return `<td class="cell ${cell.cls}" data-problem="${escapeHtml(p.id)}" title="${escapeHtml(cell.title)}">${
      cell.cls === 'empty' ? '' : `<span class="c-points">${escapeHtml(cell.points)}</span><span class="c-tries">${escapeHtml(cell.time ? `${cell.tries} · ${cell.time}′` : cell.tries)}</span>`}</td>`;
  }).join('');
  return `<tr data-team="${escapeHtml(row.team_id)}"${mine ? ' class="mine"' : ''}><td class="rank">${row.rank}</td>
    <td class="tname">${escapeHtml(board.names.get(row.team_id) ?? row.team_id)}</td>
    <td class="num points">${escapeHtml(t.points)}</td><td class="num">${t.time ?? ''}</td>${tds}</tr>`;
}

function tableHtml() {
  const { view, rows } = board;
  const problems = view.problems;
  const passFail = isPassFail(view.rules);
  const mine = board.contest.team?.id;
  const head = passFail ? '<th>Solved</th><th title="penalty minutes">Time</th>' : '<th>Points</th><th title="minutes of the last improvement">Time</th>';
  const body = rows.length
    ? rows.map((r) => (passFail ? passFailRow : scoreRow)(r, problems, r.team_id === mine)).join('')
    : `<tr><td colspan="${4 + problems.length}" class="muted">No teams yet.</td></tr>`;
  return `<table class="scoreboard ${passFail ? 'pass-fail' : 'points'}" data-rules="${escapeHtml(view.rules)}">
    <thead><tr><th>#</th><th>Team</th>${head}${headerCells(problems)}</tr></thead><tbody>${body}</tbody></table>
    ${problems.length ? '' : '<p class="muted">The problems appear when the contest starts.</p>'}`;
}

function render() {
  const { contest } = board;
  const id = encodeURIComponent(contest.id);
  $('contest-main').innerHTML = `<div class="contest-head">
      <div><h1>${escapeHtml(contest.name)} <span class="muted">· scoreboard</span></h1>
        <div class="contest-links"><a href="#/contests/${id}">Contest page</a><a href="#/contests">All contests</a></div></div>
      <span class="spacer"></span>
      <div class="clock big" data-clock="${escapeHtml(contest.id)}">${clockHtml(contest)}</div>
    </div>
    <div id="board-banner">${bannerHtml()}</div>
    <div id="board-table">${tableHtml()}</div>
    <p class="muted small" id="board-mode" data-mode="${board.mode ?? ''}">${board.mode === 'live' ? '● live' : board.mode === 'polling' ? `updated every few seconds · ${new Date().toLocaleTimeString()}` : ''}</p>`;
}

/// Redraws what a change touches: the banner, the table, the mode line.
function redraw() {
  if (!$('board-table')) { render(); return; }
  $('board-banner').innerHTML = bannerHtml();
  for (const el of document.querySelectorAll('#contest-main [data-clock]')) el.innerHTML = clockHtml(board.contest);
  $('board-table').innerHTML = tableHtml();
  const mode = $('board-mode');
  mode.dataset.mode = board.mode ?? '';
  mode.textContent = board.mode === 'live' ? '● live' : board.mode === 'polling' ? `updated every few seconds · ${new Date().toLocaleTimeString()}` : '';
}

function applyView(v) {
  board.view = v;
  board.names = teamNames(v.teams);
  board.rows = sortRows(v.scoreboard.rows, board.names);
  board.frozen = v.frozen;
  // The clock's state follows the freeze at once; an admin's view does
  // not say whether the public's is frozen: read the contest.
  if (v.view === 'admin') reloadContest();
  else if (v.frozen !== board.contest.frozen) board.contest = { ...board.contest, frozen: v.frozen };
}

/// The freeze as a live message tells it (`frozen` and not thawed).
function setFrozen(frozen) {
  if (board.view.view === 'admin') return;
  board.frozen = frozen;
  board.contest = { ...board.contest, frozen };
}

async function reloadContest() {
  const id = board?.id;
  try {
    const c = await api.contest(id);
    if (board?.id !== id) return;
    board.contest = c;
    redraw();
  } catch { /* keep it */ }
}

/// A team the board does not name yet: read the view again (names, problems).
let viewReload = null;
function reloadViewSoon() {
  if (viewReload) return;
  viewReload = setTimeout(async () => {
    viewReload = null;
    const id = board?.id;
    try {
      const v = await api.scoreboard(id);
      if (board?.id !== id) return;
      board.names = teamNames(v.teams);
      board.view = { ...v, scoreboard: board.view.scoreboard };
      redraw();
    } catch { /* later */ }
  }, 500);
}

export async function openScoreboard(id) {
  let feed = null;
  let stopClock = () => {};
  showView('contests', () => { feed?.stop(); stopClock(); board = null; });
  const box = $('contest-main');
  box.innerHTML = '<p class="muted">Loading…</p>';
  let contest;
  let view;
  try {
    [contest, view] = await Promise.all([api.contest(id), api.scoreboard(id)]);
  } catch (e) {
    box.innerHTML = `<p class="error" data-missing-contest>Contest ${escapeHtml(id)}: ${e.status === 404 ? 'there is no such contest' : escapeHtml(e.message)}.</p>`;
    return;
  }
  if (document.body.dataset.view !== 'contests' || location.hash !== `#/contests/${encodeURIComponent(id)}/scoreboard`) return;
  board = { id, contest, mode: null };
  applyView(view);
  document.title = `${contest.name} · scoreboard · Judge`;
  render();
  stopClock = startClock(() => (board ? [board.contest] : []), async () => {
    await reloadContest();
    try { applyView(await api.scoreboard(id)); redraw(); } catch { /* the feed goes on */ }
  });
  feed = new ContestFeed(id, {
    mode: (m) => { if (board) { board.mode = m; redraw(); } },
    view: (v) => { if (board) { applyView(v); redraw(); } },
    board: (m) => {
      if (!board) return;
      board.rows = sortRows(m.scoreboard?.rows ?? [], board.names);
      if (m.state) setFrozen(frozenFor(m.state));
      if (board.rows.some((r) => !board.names.has(r.team_id))) reloadViewSoon();
      redraw();
    },
    rows: (m) => {
      if (!board) return;
      board.rows = mergeRows(board.rows, m.rows, board.names, m.ranks);
      if ((m.rows ?? []).some((r) => !board.names.has(r.team_id))) reloadViewSoon();
      redraw();
    },
    state: (m) => {
      if (!board) return;
      if (m.state) setFrozen(frozenFor(m.state));
      reloadContest().then(() => {
        // The problems appear at the start: read the view again.
        if (board && !board.view.problems.length) reloadViewSoon();
        if (board) redraw();
      });
    },
  });
}
