// HTTP and WebSocket access to the judge. A signed-in browser is known by
// its session cookie (HttpOnly, sent by the browser itself) and proves each
// state-changing request with the session's CSRF token in `X-CSRF-Token`;
// a token pasted under Settings (advanced) goes as `Authorization: Bearer`.
export const store = {
  get(key, fallback = '') {
    try { return localStorage.getItem(`judge.${key}`) ?? fallback; } catch { return fallback; }
  },
  set(key, value) {
    try { localStorage.setItem(`judge.${key}`, value); } catch { /* private mode */ }
  },
  remove(key) {
    try { localStorage.removeItem(`judge.${key}`); } catch { /* private mode */ }
  },
};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }

  /// The request field the API named as wrong, if any.
  get field() { return this.body?.error?.field ?? this.body?.field ?? null; }
}

/// The session's CSRF token, from sign-in or `GET /api/auth/session`.
let csrfToken = null;
export function setCsrfToken(token) { csrfToken = token || null; }

export function bearerToken() { return store.get('token').trim(); }

function headers(method, extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const token = bearerToken();
  if (token) h.Authorization = `Bearer ${token}`;
  if (method !== 'GET' && csrfToken) h['X-CSRF-Token'] = csrfToken;
  return h;
}

async function request(method, url, body) {
  let res;
  try {
    res = await fetch(url, {
      method,
      credentials: 'same-origin',
      headers: headers(method, body === undefined ? {} : { 'Content-Type': 'application/json' }),
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, `cannot reach the judge (${e.message})`);
  }
  const text = await res.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
  if (!res.ok) {
    const msg = data?.error?.message ?? data?.message ?? (text.trim() || res.statusText);
    const err = new ApiError(res.status, msg, data);
    err.retryAfter = Number(res.headers.get('Retry-After')) || null;
    throw err;
  }
  return data;
}

const enc = encodeURIComponent;

/// `?a=1&b=2` of the non-empty values of `params`.
function query(params) {
  const q = new URLSearchParams(Object.entries(params).filter(([, v]) => v != null && v !== ''));
  const s = q.toString();
  return s ? `?${s}` : '';
}

export const api = {
  // With `user`, each problem carries that user's best result (`best`).
  problems: (user) => request('GET', `/api/problems${query({ user })}`),
  problem: (id) => request('GET', `/api/problems/${enc(id)}`),
  stub: (id, language) => request('GET', `/api/problems/${enc(id)}/stub/${enc(language)}`),
  languages: () => request('GET', '/api/languages'),
  config: () => request('GET', '/api/config'),
  me: () => request('GET', '/api/me'),
  session: () => request('GET', '/api/auth/session'),
  signUp: (username, password) => request('POST', '/api/auth/signup', { username, password }),
  signIn: (username, password) => request('POST', '/api/auth/signin', { username, password }),
  signOut: () => request('POST', '/api/auth/signout', {}),
  submit: (body) => request('POST', '/api/submissions', body),
  submission: (id) => request('GET', `/api/submissions/${enc(id)}`),
  userSubmissions: (user, filters = {}) => request('GET', `/api/users/${enc(user)}/submissions${query(filters)}`),
  submissionCode: (id) => request('GET', `/api/submissions/${enc(id)}/code`),
  run: (body) => request('POST', '/api/run', body),
  // Contests (docs/api.md#contests).
  contests: () => request('GET', '/api/contests'),
  contest: (id) => request('GET', `/api/contests/${enc(id)}`),
  scoreboard: (id) => request('GET', `/api/contests/${enc(id)}/scoreboard`),
  register: (id) => request('POST', `/api/contests/${enc(id)}/register`, {}),
  clarifications: (id) => request('GET', `/api/contests/${enc(id)}/clarifications`),
  ask: (id, body) => request('POST', `/api/contests/${enc(id)}/clarifications`, body),
  answer: (id, body) => request('POST', `/api/admin/contests/${enc(id)}/clarifications`, body),
  contestAction: (id, action) => request('POST', `/api/admin/contests/${enc(id)}/${enc(action)}`, {}),
};

/// Adds `?token=` to a WebSocket URL when a bearer token is stored (a
/// session's cookie goes with the socket by itself: same host).
export function withToken(url) {
  const token = bearerToken();
  if (!token) return url;
  const u = new URL(url, location.href);
  u.searchParams.set('token', token);
  return u.toString();
}
