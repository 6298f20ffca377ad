// HTTP and WebSocket access to the judge, with the optional bearer token.
export const store = {
  get(key, fallback = '') {
    try { return localStorage.getItem(`judge.${key}`) ?? fallback; } catch { return fallback; }
  },
  set(key, value) {
    try { localStorage.setItem(`judge.${key}`, value); } catch { /* private mode */ }
  },
};

export class ApiError extends Error {
  constructor(status, message, body) {
    super(message);
    this.status = status;
    this.body = body;
  }
}

function headers(extra = {}) {
  const h = { Accept: 'application/json', ...extra };
  const token = store.get('token').trim();
  if (token) h.Authorization = `Bearer ${token}`;
  return h;
}

async function request(method, url, body) {
  let res;
  try {
    res = await fetch(url, {
      method,
      headers: headers(body === undefined ? {} : { 'Content-Type': 'application/json' }),
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
    throw new ApiError(res.status, `${res.status === 401 || res.status === 403 ? 'not authorised: ' : ''}${msg}`, data);
  }
  return data;
}

export const api = {
  // With `user`, each problem carries that user's best result (`best`).
  problems: (user) => request('GET', user ? `/api/problems?user=${encodeURIComponent(user)}` : '/api/problems'),
  problem: (id) => request('GET', `/api/problems/${encodeURIComponent(id)}`),
  languages: () => request('GET', '/api/languages'),
  config: () => request('GET', '/api/config'),
  me: () => request('GET', '/api/me'),
  submit: (body) => request('POST', '/api/submissions', body),
  submission: (id) => request('GET', `/api/submissions/${encodeURIComponent(id)}`),
  userSubmissions: (user) => request('GET', `/api/users/${encodeURIComponent(user)}/submissions`),
  submissionCode: (id) => request('GET', `/api/submissions/${encodeURIComponent(id)}/code`),
  run: (body) => request('POST', '/api/run', body),
};

/// Adds `?token=` to a WebSocket URL when a token is stored.
export function withToken(url) {
  const token = store.get('token').trim();
  if (!token) return url;
  const u = new URL(url, location.href);
  u.searchParams.set('token', token);
  return u.toString();
}
