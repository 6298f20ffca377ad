// A contest's live board: the gateway's WebSocket `/ws/contests/{id}`
// (first `board`, then `rows` (changed rows whole, `ranks` of rows that
// only moved), `state` and `clarification` messages; docs/api.md), and
// polling `GET /api/contests/{id}/scoreboard` whenever the socket is down.
// As submission.js's Watcher does: the gateway's URL from /api/config, the
// token as `?token=`, and polling when the socket does not open within a
// few seconds or closes; while polling, the socket is tried again now and
// then, and polling stops once it is back.
import { api, withToken } from './api.js';
import { app } from './ui.js';

const POLL_MS = 3000;
const OPEN_WITHIN_MS = 4000;
const RETRY_SOCKET_MS = 20000;

export class ContestFeed {
  /// `on`: `{ view(scoreboardView) , board(msg), rows(msg), state(msg),
  /// clarification(msg), mode(live|polling) }`, each optional. Without
  /// `view`, nothing is polled: the page reads what it needs itself while
  /// the mode is `polling`.
  constructor(contestId, on) {
    this.id = contestId;
    this.on = on;
    this.stopped = false;
    this.pollTimer = null;
    this.retryTimer = null;
    this.ws = null;
    this.mode = null;
    this.start();
  }

  async start() {
    const cfg = await app.config?.catch(() => null);
    if (this.stopped) return;
    const base = cfg?.gateway_url?.replace(/\/$/, '');
    this.url = base ? `${base}/ws/contests/${encodeURIComponent(this.id)}` : null;
    if (this.url) this.connect(); else this.poll();
  }

  setMode(mode) {
    if (this.mode === mode) return;
    this.mode = mode;
    this.on.mode?.(mode);
  }

  connect() {
    if (this.stopped || !this.url) return;
    let ws;
    try {
      ws = new WebSocket(withToken(this.url));
    } catch {
      this.poll();
      return;
    }
    this.ws = ws;
    let live = false;
    const fallback = setTimeout(() => { if (!live) { ws.close(); this.poll(); } }, OPEN_WITHIN_MS);
    ws.onmessage = (e) => {
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg.error) { ws.close(); return; }
      if (msg.type === 'board') {
        // Live from here on: polling stops.
        live = true;
        clearTimeout(fallback);
        this.stopPolling();
        this.setMode('live');
      }
      if (!live) return;
      this.on[msg.type]?.(msg);
    };
    ws.onclose = () => {
      clearTimeout(fallback);
      if (this.ws === ws) this.ws = null;
      if (!this.stopped) this.poll();
    };
    ws.onerror = () => {};
  }

  poll() {
    if (this.stopped) return;
    this.setMode('polling');
    if (!this.polling && this.on.view) {
      this.polling = true;
      const tick = async () => {
        if (this.stopped || !this.polling) return;
        try { this.on.view?.(await api.scoreboard(this.id)); } catch { /* try again */ }
        if (!this.stopped && this.polling) this.pollTimer = setTimeout(tick, POLL_MS);
      };
      tick();
    }
    if (this.url && !this.retryTimer) {
      this.retryTimer = setTimeout(() => { this.retryTimer = null; if (!this.ws) this.connect(); }, RETRY_SOCKET_MS);
    }
  }

  stopPolling() {
    this.polling = false;
    clearTimeout(this.pollTimer);
    clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  stop() {
    this.stopped = true;
    this.stopPolling();
    if (this.ws && this.ws.readyState <= WebSocket.OPEN) this.ws.close();
  }
}
