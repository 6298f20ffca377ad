// A submission's state as the Result tab shows it: the verdict or live
// progress (with the queue position while queued), a mark per test or the
// scoring groups, the tests' table, and the failing case's detail (input,
// expected, received with its first difference highlighted, stderr) when
// the judge gives one (samples; function problems that allow it).
import { formatMemory, formatWhen, passedCount, scoreOf, verdictName } from './format.js';
import { escapeHtml } from './statement.js';
import { $, languageName } from './ui.js';

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

/// "3 ahead of you" while queued (the API's `queue_position`).
export function queueText(s) {
  const n = s.queue_position;
  if (n == null) return 'In queue…';
  return n === 0 ? 'In queue: next to be judged' : `In queue: ${n} ahead of you`;
}

function progressText(s) {
  switch (s.status) {
    case 'queued': return queueText(s);
    case 'compiling': return 'Compiling…';
    case 'running': return `Running test ${Math.min(s.results.length + 1, s.tests_total)}/${s.tests_total}`;
    default: return '';
  }
}

/// `text` with the first difference (1-based line and column, in
/// characters) marked: the differing token, or a marker where the text
/// ends too early.
export function highlightDifference(text, at) {
  if (!at) return escapeHtml(text);
  const lines = text.split('\n');
  const li = at.line - 1;
  if (li >= lines.length) {
    return `${escapeHtml(text)}<mark class="diff missing" title="the output ends here">␄ ends here</mark>`;
  }
  const chars = Array.from(lines[li]);
  const col = Math.min(at.column - 1, chars.length);
  let end = col;
  while (end < chars.length && !/\s/.test(chars[end])) end++;
  const before = lines.slice(0, li).concat(chars.slice(0, col).join('')).join('\n');
  const token = chars.slice(col, end).join('');
  const after = chars.slice(end).join('') + (li + 1 < lines.length ? `\n${lines.slice(li + 1).join('\n')}` : '');
  const mark = token
    ? `<mark class="diff" title="first difference: line ${at.line}, column ${at.column}">${escapeHtml(token)}</mark>`
    : `<mark class="diff missing" title="first difference: line ${at.line}, column ${at.column}">␄ ends here</mark>`;
  return `${escapeHtml(before)}${mark}${escapeHtml(after)}`;
}

function pre(cls, text, empty = '(empty)') {
  return `<pre class="${cls}">${text ? escapeHtml(text) : `<span class="muted">${empty}</span>`}</pre>`;
}

/// The failing case: what went in, what was expected, what came out.
/// A function problem's detail has the user's `stdout` apart from what the
/// function returned (`received`).
export function detailHtml(r) {
  const d = r.detail;
  if (!d) return '';
  const isFunction = d.stdout != null;
  const at = d.first_difference;
  const where = at ? `<p class="d-where small">First difference: line ${at.line}, column ${at.column}.</p>` : '';
  return `<section class="case-detail" data-test="${escapeHtml(r.name)}" aria-label="Failing case">
    <h3>Failing case: test ${r.index} <span class="muted">(${escapeHtml(r.name)})</span> · <span class="v-text v-${r.verdict}">${verdictName(r.verdict)}</span></h3>
    <div class="detail-grid">
      <div><h4>${isFunction ? 'Arguments' : 'Input'}</h4>${pre('d-input', d.input)}</div>
      <div><h4>Expected</h4>${pre('d-expected', d.expected)}</div>
      <div><h4>${isFunction ? 'Your function returned' : 'Your output'}</h4>
        <pre class="d-received">${d.received || at ? highlightDifference(d.received, at) : '<span class="muted">(empty)</span>'}</pre></div>
    </div>
    ${where}
    ${d.stdout != null ? `<h4>Your stdout</h4>${pre('d-stdout', d.stdout, '(nothing printed)')}` : ''}
    ${d.stderr ? `<h4>Standard error</h4>${pre('stderr d-stderr', d.stderr)}` : ''}
    ${d.truncated ? '<p class="muted small">Long texts are cut to their first 4 KiB.</p>' : ''}
  </section>`;
}

export function renderResult(s) {
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
  const queue = s.status === 'queued' && s.queue_position != null ? ` data-queue-position="${s.queue_position}"` : '';
  const head = s.status === 'cancelled'
    ? `<span class="badge neutral" data-status="cancelled">Cancelled</span>
       <span class="stats">${escapeHtml(s.message ?? 'not judged')}</span>`
    : finished
    ? `<span class="badge v-${s.verdict}" data-verdict="${s.verdict}">${verdictName(s.verdict)}</span>${score}
       <span class="stats"><span class="passed">${passed} / ${total} test cases passed</span> · max ${s.time_ms} ms · ${formatMemory(s.memory_kb)}</span>`
    : `<span class="badge pending" data-status="${s.status}"${queue}><span class="spinner" aria-hidden="true"></span>${escapeHtml(progressText(s))}</span>${score}
       ${s.results.length ? `<span class="stats"><span class="passed">${passed} / ${total} test cases passed</span></span>` : ''}`;
  const rows = s.results.map((r) => `
    <tr class="${r.verdict === 'AC' ? 'ok' : 'bad'}"><td>${r.index}</td><td>${escapeHtml(r.name)}</td>
      <td><span class="v-text v-${r.verdict}">${r.verdict}</span></td><td>${r.time_ms} ms</td>
      <td>${formatMemory(r.memory_kb)}</td><td class="msg">${escapeHtml(r.message ?? '')}</td></tr>`).join('');
  const failing = s.results.find((r) => r.detail && r.verdict !== 'AC');
  const link = `#/submissions/${encodeURIComponent(s.id)}`;
  box.innerHTML = `
    <div class="result-head">${head}</div>
    <div class="result-meta muted small">${escapeHtml(languageName(s.language))} · ${escapeHtml(s.problem_id)} ·
      submitted ${escapeHtml(formatWhen(s.created_at_ms))} · <a class="sid" href="${link}" title="a link to this submission">${escapeHtml(s.id)}</a>
      · <button type="button" class="link" data-load-code="${escapeHtml(s.id)}">load this code into the editor</button></div>
    ${s.message ? `<p class="message">${escapeHtml(s.message)}</p>` : ''}
    ${scoring ? groupsHtml(s) : (s.tests_total || s.results.length ? marksHtml(s) : '')}
    ${s.compile_output ? `<h3>Compiler output</h3><pre class="compile">${escapeHtml(s.compile_output)}</pre>` : ''}
    ${failing ? detailHtml(failing) : ''}
    ${rows ? `<table class="tests"><thead><tr><th>#</th><th>Test</th><th>Verdict</th><th>Time</th><th>Memory</th><th>Message</th></tr></thead><tbody>${rows}</tbody></table>` : ''}`;
}
