// The editor's language and the user's drafts: one per problem and
// language, kept in this browser (localStorage). A function problem starts
// each language from its starter code (GET /api/problems/{id}/stub/{lang})
// and offers only the languages that have a harness; an ordinary problem
// keeps what is typed when switching to a language without a draft.
import { api, store } from './api.js';
import { escapeHtml } from './statement.js';
import { $, app, notice } from './ui.js';

let draftTimer;
/// Starter code by `problem/language`, fetched once.
const stubs = new Map();

export function draftKey(lang = app.lang, problem = app.problem?.id) {
  return `draft.${problem ?? '_'}.${lang}`;
}

/// Saves the draft a moment after the last keystroke.
export function saveDraftSoon() {
  clearTimeout(draftTimer);
  draftTimer = setTimeout(saveDraftNow, 300);
}

/// Saves the current draft at once (before the problem or language changes).
export function saveDraftNow() {
  clearTimeout(draftTimer);
  if (app.editor && app.lang) store.set(draftKey(), app.editor.getCode());
}

function isFunction() { return !!app.problem?.function; }

/// The starter code of the open function problem in `lang`, or '' when it
/// cannot be had (the problem shows why).
async function starter(lang) {
  const key = `${app.problem.id}/${lang}`;
  if (!stubs.has(key)) {
    try {
      stubs.set(key, (await api.stub(app.problem.id, lang)).code ?? '');
    } catch (e) {
      notice(`No starter code for ${lang}: ${e.message}`, 'error');
      return '';
    }
  }
  return stubs.get(key);
}

/// Puts the draft of the current problem and language in the editor; a
/// function problem without a draft gets its starter code.
export async function loadDraft() {
  clearTimeout(draftTimer);
  const problem = app.problem?.id;
  const lang = app.lang;
  let code = store.get(draftKey(), '');
  if (!code && isFunction()) {
    code = await starter(lang);
    // The user moved on while the stub was fetched.
    if (problem !== app.problem?.id || lang !== app.lang) return;
  }
  app.editor.setCode(code);
  clearTimeout(draftTimer); // setting the code is no edit of the user's
}

/// Forgets the draft and starts over from the starter code.
export async function resetToStarter() {
  if (!isFunction()) return;
  store.remove(draftKey());
  await loadDraft();
}

function allowed(lang) {
  const supported = app.problem?.function_languages;
  return !isFunction() || !supported || supported.includes(lang.id);
}

export function setLanguage(id, { keepCode = false } = {}) {
  const lang = app.languages.find((l) => l.id === id && allowed(l))
    ?? app.languages.find(allowed) ?? app.languages[0];
  if (!lang) return;
  $('language').value = lang.id;
  app.lang = lang.id;
  store.set('language', lang.id);
  app.editor.setMode(lang.editor_mode);
  if (!keepCode) loadDraft();
}

/// Fills the language menu: every language, or those a function problem
/// supports (its JSON's `function_languages`, when the API gives them).
export function renderLanguages() {
  const sel = $('language');
  sel.innerHTML = app.languages.filter(allowed)
    .map((l) => `<option value="${escapeHtml(l.id)}">${escapeHtml(l.name)}</option>`)
    .join('');
  $('reset-code').hidden = !isFunction();
}

export async function loadLanguages() {
  app.languages = await api.languages();
  renderLanguages();
  const saved = store.get('language');
  setLanguage(app.languages.some((l) => l.id === saved) ? saved : (app.languages.find((l) => l.id === 'cpp') ?? app.languages[0]).id);
  const sel = $('language');
  sel.addEventListener('change', () => {
    const code = app.editor.getCode();
    saveDraftNow();
    const lang = sel.value;
    const hasDraft = store.get(draftKey(lang), '') !== '';
    // A function problem's languages each start from their own stub.
    const keep = !hasDraft && !isFunction();
    setLanguage(lang, { keepCode: keep });
    if (keep) store.set(draftKey(), code);
  });
  $('reset-code').addEventListener('click', () => resetToStarter());
}
