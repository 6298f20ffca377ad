// A contest's times as the page shows them: the Contest API's RELTIME
// (`h:mm:ss(.uuu)`), countdowns, and where a contest is now (upcoming,
// running, frozen, ended). Pure: no DOM, no requests (tested in Node).

/// Milliseconds of a RELTIME (`1:02:03.500`, `-0:00:05`); null when not one.
export function parseRelTime(text) {
  if (typeof text !== 'string') return null;
  const m = /^(-?)(\d+):(\d{2}):(\d{2})(?:\.(\d{1,3}))?$/.exec(text.trim());
  if (!m) return null;
  const frac = m[5] ? Number(m[5].padEnd(3, '0')) : 0;
  const ms = ((Number(m[2]) * 60 + Number(m[3])) * 60 + Number(m[4])) * 1000 + frac;
  return m[1] ? -ms : ms;
}

/// Whole minutes of a RELTIME, rounded down as the ICPC rules count them.
export function minutesOf(reltime) {
  const ms = parseRelTime(reltime);
  return ms == null ? null : Math.floor(ms / 60000);
}

/// A countdown: `4:05`, `1:02:03`, `2d 03:04:05`; never negative.
export function formatCountdown(ms) {
  const total = Math.max(0, Math.floor(ms / 1000));
  const d = Math.floor(total / 86400);
  const h = Math.floor(total / 3600) % 24;
  const m = Math.floor(total / 60) % 60;
  const s = total % 60;
  const two = (n) => String(n).padStart(2, '0');
  if (d) return `${d}d ${two(h)}:${two(m)}:${two(s)}`;
  if (h) return `${h}:${two(m)}:${two(s)}`;
  return `${m}:${two(s)}`;
}

/// A RELTIME as people read a duration: `5:00` for five hours, `0:30`.
export function formatDuration(reltime) {
  const ms = parseRelTime(reltime);
  if (ms == null) return reltime ?? '';
  const mins = Math.floor(ms / 60000);
  return `${Math.floor(mins / 60)}:${String(mins % 60).padStart(2, '0')}`;
}

function timeOf(iso) {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

export const STATE_TEXT = {
  upcoming: 'upcoming', running: 'running', frozen: 'frozen', ended: 'ended', final: 'final',
};

/// Where contest `c` (a `/api/contests` item) is at `now` (ms): its state
/// and the countdown to show. The API's `phase` and `frozen` are as of
/// when `c` was read; the clock moves an upcoming contest to running and a
/// running one to ended when their times pass, so a page that ticks shows
/// the right state before it reloads.
/// `{ state: 'upcoming'|'running'|'frozen'|'ended'|'final', countdown: {label, ms}|null }`
export function contestState(c, now) {
  const start = timeOf(c.start_time);
  const end = timeOf(c.end_time);
  let phase = c.phase;
  if (phase === 'scheduled' && start != null && now >= start) phase = 'running';
  if (phase === 'running' && end != null && now >= end) phase = 'ended';
  if (phase === 'finalized') return { state: 'final', countdown: null };
  if (phase === 'ended') return { state: 'ended', countdown: null };
  if (phase === 'running') {
    return {
      state: c.frozen ? 'frozen' : 'running',
      countdown: end != null ? { label: 'ends in', ms: end - now } : null,
    };
  }
  return { state: 'upcoming', countdown: start != null ? { label: 'starts in', ms: start - now } : null };
}

/// A contest's next moment (its start, or its end) in ms, if one is coming:
/// the page reloads the contest then.
export function nextChange(c, now) {
  const { countdown } = contestState(c, now);
  return countdown ? now + countdown.ms : null;
}

/// `Sat 1 Mar, 10:00` in the viewer's time zone; `not scheduled` for none.
export function formatStart(iso) {
  const t = timeOf(iso);
  if (t == null) return 'not scheduled';
  return new Date(t).toLocaleString([], {
    weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit',
  });
}
