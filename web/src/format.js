// How the page writes verdicts, times, sizes and scores.
export const VERDICT_NAMES = {
  AC: 'Accepted', WA: 'Wrong Answer', TLE: 'Time Limit Exceeded', MLE: 'Memory Limit Exceeded',
  OLE: 'Output Limit Exceeded', RE: 'Run-Time Error', CE: 'Compilation Error', IE: 'Internal Error',
};
export const STATUS_TEXT = { queued: 'Queued', compiling: 'Compiling', running: 'Running', finished: 'Finished', cancelled: 'Cancelled' };

/// Whether a state never changes again: finished, or cancelled (no verdict).
export const isFinal = (s) => s.status === 'finished' || s.status === 'cancelled';

export function verdictName(v) { return VERDICT_NAMES[v] ?? v; }

export function formatMemory(kb) {
  if (kb == null) return '';
  return kb >= 1024 ? `${(kb / 1024).toFixed(1)} MB` : `${kb} KB`;
}

export function formatLimit(p) {
  const secs = p.time_limit_ms / 1000;
  return `${Number.isInteger(secs) ? secs : secs.toFixed(2)} s · ${p.memory_mb} MB`;
}

export function formatWhen(ms) {
  if (!ms) return '';
  const d = new Date(ms);
  const today = new Date();
  const time = d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  return d.toDateString() === today.toDateString() ? time : `${d.toLocaleDateString()} ${time}`;
}

/// A score as people write it: 30, 12.5, 0.333.
export function formatScore(x) {
  if (x == null) return '–';
  return String(Math.round(x * 1000) / 1000);
}

/// `30 / 70`, `– / 70` before grading, `30` when unbounded.
export function scoreOf(score, max) {
  return max == null ? formatScore(score) : `${formatScore(score)} / ${formatScore(max)}`;
}

/// Test cases judged AC, and how many there are: LeetCode's "n / m passed".
export function passedCount(s) {
  return { passed: s.results.filter((r) => r.verdict === 'AC').length, total: Math.max(s.tests_total, s.results.length) };
}
