// The problem list (with the user's results) and the open problem: its
// statement, limits, scoring groups, samples, and for a function problem
// its signature.
import { api, store } from './api.js';
import { currentUser } from './auth.js';
import { loadDraft, renderLanguages, saveDraftNow, setLanguage } from './drafts.js';
import { formatLimit, formatScore, scoreOf } from './format.js';
import { escapeHtml, renderStatement } from './statement.js';
import { $, app, notice } from './ui.js';

export function renderProblemList() {
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
    const kind = p.function ? ' · function' : '';
    const current = app.problem?.id === p.id ? ' aria-current="page"' : '';
    return `<li><a href="#/problem/${encodeURIComponent(p.id)}" data-problem="${escapeHtml(p.id)}"${current}>
      <span class="pname">${escapeHtml(p.name)}</span>${badge}
      <span class="plimits">${escapeHtml(formatLimit(p))} · ${p.tests} tests${escapeHtml(points)}${kind}</span></a></li>`;
  }).join('');
}

/// The problem list with the user's best results; a judge that refuses
/// `?user=` still lists the problems, without results.
export async function loadProblems() {
  const user = currentUser();
  if (!user) return api.problems();
  try {
    return await api.problems(user);
  } catch (e) {
    if (e.status === 401 || e.status === 403 || e.status === 422) return api.problems();
    throw e;
  }
}

/// Reloads the problem list for the user's best results (kept by the API).
let problemsLoad = 0;
export async function refreshProblems() {
  const ticket = ++problemsLoad;
  const problems = await loadProblems().catch(() => null);
  if (problems && ticket === problemsLoad) { app.problems = problems; renderProblemList(); }
}

export async function openProblem(id) {
  if (app.problem?.id === id) return;
  let p;
  try {
    p = await api.problem(id);
  } catch (e) {
    notice(`Cannot open problem ${id}: ${e.message}`, 'error');
    return;
  }
  if (app.problem) saveDraftNow();
  app.problem = p;
  store.set('problem', p.id);
  document.title = `${p.name} · Judge`;
  $('problem-title').textContent = p.name;
  $('problem-limits').textContent = `Time limit ${formatLimit(p).replace(' · ', ' · memory ')} · ${p.tests} test cases`;
  // The header above shows the title: the statement's own is left out.
  $('statement').innerHTML = renderStatement(p.statement, p.id, { title: p.name });
  renderSignature(p);
  renderProblemGroups(p);
  renderSamples(p);
  renderLanguages();
  setLanguage(app.lang, { keepCode: true });
  await loadDraft();
  const input = $('run-input');
  input.placeholder = p.function
    ? 'The arguments, one per line in LeetCode notation, e.g. [2,7,11,15] then 9 (empty: run on the examples)'
    : 'Standard input for Run (empty: run on the samples)';
  if (!input.value || input.dataset.sample === 'true') {
    input.value = p.samples[0]?.input ?? '';
    input.dataset.sample = 'true';
  }
  renderProblemList();
}

/// A function problem's signature: what to implement.
function renderSignature(p) {
  const box = $('problem-function');
  const f = p.function;
  if (!f) { box.hidden = true; box.innerHTML = ''; return; }
  const params = (f.params ?? []).map((x) => `${escapeHtml(x.name)}: ${escapeHtml(x.type)}`).join(', ');
  const order = f.compare === 'unordered' ? ' <span class="muted">(any order)</span>' : '';
  box.innerHTML = `<span class="muted small">Implement</span>
    <code class="signature">${escapeHtml(f.name)}(${params}) → ${escapeHtml(f.returns)}</code>${order}`;
  box.hidden = false;
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
  const [inName, outName] = p.function ? ['Arguments', 'Returns'] : ['Input', 'Output'];
  box.innerHTML = `<h2>${p.function ? 'Examples' : 'Samples'}</h2>` + p.samples.map((s, i) => `
    <div class="sample">
      <div><div class="sample-head">${inName} ${i + 1} <button type="button" class="link" data-use-sample="${i}">use as custom input</button></div>
        <pre>${escapeHtml(s.input)}</pre></div>
      <div><div class="sample-head">${outName} ${i + 1}</div><pre>${escapeHtml(s.output)}</pre></div>
    </div>`).join('');
}
