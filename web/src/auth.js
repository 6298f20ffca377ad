// Who the page acts for. Signed in (a session cookie; GET /api/auth/session
// says who, with the CSRF token for state-changing requests), else the
// owner of a bearer token pasted under Settings, else — on an open judge
// only — the user id typed under Settings. A first visit is none of these:
// the page shows the problems and a sign-in prompt, never an error.
import { api, bearerToken, setCsrfToken, store } from './api.js';
import { $, notice } from './ui.js';

const USER_RE = /^[A-Za-z0-9_.-]{1,64}$/;

const auth = {
  session: { signed_in: false },
  tokenUser: null, // the user id of the bearer token, from GET /api/me
  tokenAdmin: false, // whether that token is an admin's
  listeners: [],
};

/// The user the page acts for, or null.
export function currentUser() {
  if (auth.session.signed_in) return auth.session.user_id;
  if (bearerToken()) return auth.tokenUser;
  const typed = $('user-id').value.trim();
  return USER_RE.test(typed) ? typed : null;
}

export function signedIn() { return !!auth.session.signed_in; }

/// Whether the page acts for an admin (the session's, or the token's).
export function isAdmin() {
  if (auth.session.signed_in) return !!auth.session.admin;
  return bearerToken() ? auth.tokenAdmin : false;
}

/// Calls `fn` whenever the user changes (sign-in, sign-out, token, typed id).
export function onUserChange(fn) { auth.listeners.push(fn); }

function changed() {
  renderAccount();
  for (const fn of auth.listeners) fn(currentUser());
}

function applySession(s) {
  auth.session = s?.signed_in ? s : { signed_in: false };
  setCsrfToken(auth.session.signed_in ? auth.session.csrf_token : null);
}

/// Asks the API who the session is. A judge without accounts (404) or any
/// other failure counts as signed out: a visitor sees no error for it.
export async function loadSession() {
  try {
    applySession(await api.session());
  } catch {
    applySession(null);
  }
  await userFromToken();
  renderAccount();
}

function renderAccount() {
  const signed = signedIn();
  $('account-name').textContent = signed ? auth.session.user_id : '';
  $('account-in').hidden = !signed;
  $('account-out').hidden = signed;
  if (signed) $('auth-panel').hidden = true;
  document.body.dataset.signedIn = String(signed);
  const user = currentUser();
  $('signin-prompt').hidden = !!user;
}

function authError(e, signingUp) {
  if (e.status === 401) return 'Wrong user name or password.';
  if (e.status === 429) return `Too many attempts. Try again${e.retryAfter ? ` in ${e.retryAfter} s` : ' later'}.`;
  if (e.status === 409) return 'That user name is taken.';
  if (e.status === 403 && signingUp) return 'Sign-up is closed on this judge (invite only).';
  if (e.status === 404 || e.status === 405) return 'This judge has no accounts; use a token under Settings.';
  return e.message;
}

async function submitAuth(signingUp) {
  const username = $('auth-username').value.trim();
  const password = $('auth-password').value;
  const error = $('auth-error');
  error.textContent = '';
  if (!USER_RE.test(username)) {
    error.textContent = 'The user name must be 1–64 letters, digits, _ . or -.';
    $('auth-username').focus();
    return;
  }
  if (signingUp && password.length < 8) {
    error.textContent = 'The password needs at least 8 characters.';
    $('auth-password').focus();
    return;
  }
  for (const b of ['signin-btn', 'signup-btn']) $(b).disabled = true;
  try {
    const s = await (signingUp ? api.signUp(username, password) : api.signIn(username, password));
    applySession({ ...s, signed_in: true });
    $('auth-password').value = '';
    notice(signingUp ? `Welcome, ${s.user_id}.` : `Signed in as ${s.user_id}.`);
    changed();
  } catch (e) {
    error.textContent = authError(e, signingUp);
  } finally {
    for (const b of ['signin-btn', 'signup-btn']) $(b).disabled = false;
  }
}

async function signOut() {
  try {
    await api.signOut();
  } catch (e) {
    if (e.status !== 401) { notice(`Sign-out failed: ${e.message}`, 'error'); return; }
  }
  applySession(null);
  notice('Signed out.');
  changed();
}

/// Opens the sign-in form (from the prompt, or when an action needs a user).
export function askToSignIn(why) {
  $('auth-panel').hidden = false;
  if (why) $('auth-error').textContent = why;
  $('auth-username').focus();
}

/// With a token, the server decides who the user is.
async function userFromToken() {
  auth.tokenUser = null;
  auth.tokenAdmin = false;
  if (!bearerToken()) return;
  try {
    const me = await api.me();
    auth.tokenUser = me.user_id ?? null;
    auth.tokenAdmin = !!me.admin;
  } catch (e) {
    notice(`Your token was not accepted: ${e.message}`, 'error');
  }
}

export function setupAuth() {
  $('signin-open').addEventListener('click', () => {
    const panel = $('auth-panel');
    panel.hidden = !panel.hidden;
    if (!panel.hidden) $('auth-username').focus();
  });
  $('signin-prompt-btn').addEventListener('click', () => askToSignIn());
  $('auth-form').addEventListener('submit', (e) => { e.preventDefault(); submitAuth(false); });
  $('signup-btn').addEventListener('click', () => submitAuth(true));
  $('auth-cancel').addEventListener('click', () => { $('auth-panel').hidden = true; });
  $('signout-btn').addEventListener('click', signOut);

  // Advanced (Settings): a typed user id on open judges, a bearer token.
  const user = $('user-id');
  user.value = store.get('user', '');
  let timer;
  user.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const typed = user.value.trim();
      if (typed === '' || USER_RE.test(typed)) { store.set('user', typed); changed(); }
    }, 400);
  });
  const token = $('token');
  token.value = store.get('token');
  const save = async () => {
    store.set('token', token.value.trim());
    notice(token.value.trim() ? 'Token saved.' : 'Token cleared.');
    await userFromToken();
    changed();
  };
  $('token-save').addEventListener('click', save);
  token.addEventListener('keydown', (e) => { if (e.key === 'Enter') { e.preventDefault(); save(); } });
  $('token-clear').addEventListener('click', () => { token.value = ''; save(); });
}
