// The page's shared state and its small DOM helpers: the status notice and
// the output tabs.
export const $ = (id) => document.getElementById(id);

export const app = {
  problems: [],
  problem: null, // the open problem (GET /api/problems/{id})
  languages: [],
  history: new Map(), // id -> SubmissionState, the user's submissions
  shown: null, // SubmissionState in the Result tab
  watcher: null,
  lang: null, // the editor's language id
  editor: null,
  config: null, // promise of GET /api/config
  contest: null, // { id, name, label } on a contest's problem page: Submit submits to it
};

export function languageName(id) { return app.languages.find((l) => l.id === id)?.name ?? id; }

export function notice(text, kind = 'info') {
  const el = $('notice');
  el.textContent = text;
  el.className = kind;
  clearTimeout(notice.timer);
  if (text && kind !== 'error') notice.timer = setTimeout(() => { el.textContent = ''; }, 6000);
}

const TABS = ['result', 'run', 'history'];

export function showTab(name, focus = false) {
  for (const t of TABS) {
    const tab = $(`tab-${t}`);
    const on = t === name;
    tab.setAttribute('aria-selected', String(on));
    tab.tabIndex = on ? 0 : -1;
    $(`panel-${t}`).hidden = !on;
    if (on && focus) tab.focus();
  }
}

export function setupTabs() {
  for (const t of TABS) {
    $(`tab-${t}`).addEventListener('click', () => showTab(t));
    $(`tab-${t}`).addEventListener('keydown', (e) => {
      const i = TABS.indexOf(t);
      if (e.key === 'ArrowRight') showTab(TABS[(i + 1) % TABS.length], true);
      else if (e.key === 'ArrowLeft') showTab(TABS[(i + TABS.length - 1) % TABS.length], true);
      else return;
      e.preventDefault();
    });
  }
}

/// The page shown: the editor (problems, statement, workspace) or a
/// contest page (`#contest-view`). `dispose` is called when the page is
/// left (its timers and sockets end).
let leaving = null;
export function showView(name, dispose = null) {
  const previous = leaving;
  leaving = dispose;
  previous?.();
  document.querySelector('main.layout').hidden = name !== 'editor';
  $('contest-view').hidden = name !== 'contests';
  $('nav-problems').toggleAttribute('aria-current', name === 'editor');
  $('nav-contests').toggleAttribute('aria-current', name === 'contests');
  document.body.dataset.view = name;
}
