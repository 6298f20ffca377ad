// The contest pages' clocks: each contest's state (upcoming, running,
// frozen, ended) and its countdown, redrawn every second wherever the
// page put `data-clock="<contest id>"`.
import { STATE_TEXT, contestState, formatCountdown } from './clock.js';
import { escapeHtml } from './statement.js';

/// The state badge and the countdown of contest `c` at `now`.
export function clockHtml(c, now = Date.now()) {
  const { state, countdown } = contestState(c, now);
  const left = countdown
    ? ` <span class="countdown" data-countdown="${escapeHtml(countdown.label)}">${escapeHtml(countdown.label)} ${formatCountdown(countdown.ms)}</span>`
    : '';
  return `<span class="cstate s-${state}" data-state="${state}">${STATE_TEXT[state]}</span>${left}`;
}

/// Redraws the clocks of `contests()` every second; `onChange(c)` when a
/// contest's state changes by the clock (it starts, it ends). Returns the
/// function that stops it.
export function startClock(contests, onChange) {
  const last = new Map();
  const tick = () => {
    const now = Date.now();
    for (const c of contests()) {
      const html = clockHtml(c, now);
      for (const el of document.querySelectorAll(`[data-clock="${CSS.escape(c.id)}"]`)) {
        if (el.innerHTML !== html) el.innerHTML = html;
      }
      const { state } = contestState(c, now);
      if (last.has(c.id) && last.get(c.id) !== state) onChange?.(c);
      last.set(c.id, state);
    }
  };
  tick();
  const timer = setInterval(tick, 1000);
  return () => clearInterval(timer);
}
