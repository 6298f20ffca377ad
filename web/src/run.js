// Run: the code on the samples or on a typed input, without a submission
// (POST /api/run). For a function problem the input is its arguments, one
// per line in LeetCode's notation, the request names the problem (whose
// signature the harness follows), and the output is the user's stdout
// then `returned: VALUE`, shown apart.
import { api, ApiError } from './api.js';
import { formatMemory, verdictName } from './format.js';
import { escapeHtml } from './statement.js';
import { $, app, notice, showTab } from './ui.js';

/// The line before the returned value in a function run's output.
const RETURNED = 'returned: ';

function normalise(out) {
  return out.split('\n').map((l) => l.trim().split(/\s+/).join(' ')).join('\n').trim();
}

/// A function run's stdout split into what the user printed and the value returned.
export function splitReturned(stdout) {
  const lines = stdout.replace(/\n$/, '').split('\n');
  const last = lines[lines.length - 1] ?? '';
  if (!last.startsWith(RETURNED)) return { printed: stdout, returned: null };
  return { printed: lines.slice(0, -1).join('\n'), returned: last.slice(RETURNED.length) };
}

/// Two values in JSON notation are the same (spacing aside).
function sameValue(a, b) {
  try { return JSON.stringify(JSON.parse(a)) === JSON.stringify(JSON.parse(b)); } catch { return normalise(a) === normalise(b); }
}

function runResultHtml(r, expected) {
  const parts = [];
  const isFunction = !!app.problem?.function;
  const verdict = r.verdict ?? (r.compile_output && r.status !== 'finished' ? 'CE' : null);
  const { printed, returned } = isFunction && r.stdout != null ? splitReturned(r.stdout) : { printed: r.stdout, returned: null };
  let head = verdict
    ? `<span class="badge small v-${verdict}">${verdictName(verdict)}</span>`
    : `<span class="badge small neutral">${escapeHtml(r.status ?? 'finished')}</span>`;
  if (expected != null && r.stdout != null && (!verdict || verdict === 'AC')) {
    const same = isFunction ? returned != null && sameValue(returned, expected) : normalise(r.stdout) === normalise(expected);
    head += same ? ' <span class="v-text v-AC" data-matches="true">matches the expected output</span>'
      : ' <span class="v-text v-WA" data-matches="false">differs from the expected output</span>';
  }
  parts.push(`<div class="run-head">${head} <span class="stats">${r.time_ms ?? '?'} ms · ${formatMemory(r.memory_kb ?? 0)}</span></div>`);
  if (r.compile_output) parts.push(`<h4>Compiler output</h4><pre class="compile">${escapeHtml(r.compile_output)}</pre>`);
  if (isFunction) {
    parts.push(`<h4>Your function returned</h4><pre class="returned">${returned != null ? escapeHtml(returned) : '<span class="muted">(nothing: the program ended first)</span>'}</pre>`);
    if (expected != null) parts.push(`<h4>Expected</h4><pre>${escapeHtml(expected)}</pre>`);
    parts.push(`<h4>Your stdout</h4><pre class="stdout">${printed ? escapeHtml(printed) : '<span class="muted">(nothing printed)</span>'}</pre>`);
  } else {
    parts.push(`<h4>Output</h4><pre class="stdout">${r.stdout ? escapeHtml(r.stdout) : '<span class="muted">(empty)</span>'}</pre>`);
    if (expected != null) parts.push(`<h4>Expected</h4><pre>${escapeHtml(expected)}</pre>`);
  }
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
export async function run(mode) {
  if (running || !app.problem) return;
  const code = app.editor.getCode();
  if (!code.trim()) { notice('Write some code first.', 'error'); app.editor.focus(); return; }
  const input = $('run-input').value;
  const samples = mode === 'samples' || (mode === 'auto' && !input.trim())
    ? app.problem.samples : null;
  const out = $('run-output');
  showTab('run');
  running = true;
  for (const b of ['run-btn', 'run-custom', 'run-samples']) $(b).disabled = true;
  const language = app.lang;
  const body = (stdin) => (app.problem.function
    ? { language, code, input: stdin, problem_id: app.problem.id }
    : { language, code, input: stdin });
  try {
    if (samples) {
      if (!samples.length) { out.innerHTML = '<p class="muted">This problem has no samples; enter an input.</p>'; return; }
      out.innerHTML = '<p><span class="spinner"></span> Running on the samples…</p>';
      const html = [];
      for (const [i, s] of samples.entries()) {
        const r = await api.run(body(s.input));
        html.push(`<section class="run-case"><h3>${app.problem.function ? 'Example' : 'Sample'} ${i + 1}</h3>${runResultHtml(r, s.output)}</section>`);
        out.innerHTML = html.join('');
      }
    } else {
      out.innerHTML = '<p><span class="spinner"></span> Running…</p>';
      const r = await api.run(body(input));
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
