// A contest in Debian's chromium against a running stack
// (tests/tests/browser.rs starts one and passes the admin token; or
// JUDGE_URL=… JUDGE_ADMIN_TOKEN=… node --test tests/browser/contest.test.mjs):
// an admin imports a running ICPC contest through the API (a contest
// package as a tar, as tests/tests/contest.rs does) with registration
// open; a user registers from the contest list, opens problem B from the
// contest page and submits it there; a visitor's scoreboard, open all the
// while, shows the solve without a reload. The user asks about problem A
// and the admin answers the team from the contest page. The admin freezes from the
// contest page: the visitor's board shows the frozen banner, and the
// user's next (wrong) submission as a pending cell; the admin thaws and
// the cell shows the wrong try. Live updates come over the gateway's
// /ws/contests/{id}, or by polling while the gateway has no such route.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  JUDGE_URL, VERDICT_TIMEOUT, launch, pasteCode, screenshot, submitAndWait, verdictShown,
} from './lib.mjs';

const ADMIN = process.env.JUDGE_ADMIN_TOKEN;
const CONTEST = `bc${Date.now().toString(36)}`;
const USER = `cu-${Date.now().toString(36)}`;
/// How long a board may take to show a change: a socket's message, or the next poll.
const BOARD_UPDATE = 20_000;

let admin; // { browser, page, problems } with the admin token
let user; // the participant
let visitor; // no credentials: the public scoreboard
let userToken;

async function call(method, path, { token = ADMIN, body, json } = {}) {
  const headers = { Authorization: `Bearer ${token}` };
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${JUDGE_URL}${path}`, { method, headers, body: json !== undefined ? JSON.stringify(json) : body });
  const text = await res.text();
  let data = text;
  try { data = JSON.parse(text); } catch { /* text */ }
  return { status: res.status, data };
}

/// The contest package as a tar: A = aplusb, B = hello, one team already
/// there (Rival); started a minute ago, five hours long, frozen for the last hour.
function packageTar() {
  const root = mkdtempSync(join(tmpdir(), 'contest-'));
  const dir = join(root, CONTEST);
  mkdirSync(dir);
  const start = new Date(Date.now() - 60_000).toISOString().replace(/\.\d+Z$/, 'Z');
  writeFileSync(join(dir, 'contest.yaml'), `id: ${CONTEST}\nname: Browser Cup\nstart_time: ${start}\nduration: 5:00:00\nscoreboard_freeze_duration: 1:00:00\nscoreboard_type: pass-fail\npenalty_time: 20\n`);
  writeFileSync(join(dir, 'problems.yaml'), "- {id: aplusb, label: A, name: A plus B, ordinal: 1, color: red, rgb: '#e53935'}\n- {id: hello, label: B, name: Hello, ordinal: 2, color: blue, rgb: '#1e88e5'}\n");
  writeFileSync(join(dir, 'teams.json'), '[{"id": "rival", "name": "Rival", "label": "1"}]');
  const tar = execFileSync('tar', ['-cf', '-', '-C', root, CONTEST]);
  rmSync(root, { recursive: true, force: true });
  return tar;
}

/// Opens `hash` with `token` stored (as the Settings field stores it).
async function open(who, hash, token) {
  await who.page.goto(`${JUDGE_URL}/`, { waitUntil: 'domcontentloaded' });
  if (token) await who.page.evaluate((t) => localStorage.setItem('judge.token', t), token);
  await who.page.goto(`${JUDGE_URL}/${hash}`, { waitUntil: 'domcontentloaded' });
  await who.page.reload({ waitUntil: 'domcontentloaded' });
  await who.page.waitForSelector('body[data-ready="true"]');
}

/// Errors the page may log: a socket to /ws/contests/… that the gateway
/// refuses (no such route yet, so the page polls), and 404s.
function unexpected(problems) {
  return problems.filter((p) => !/\/ws\/contests\//.test(p) && !/404/.test(p));
}

const cell = (team, problem) => `#board-table tr[data-team="${team}"] td.cell[data-problem="${problem}"]`;

before(async () => {
  assert.ok(ADMIN, 'JUDGE_ADMIN_TOKEN must hold the admin token (tests/tests/browser.rs passes it)');
  const made = await call('POST', '/api/admin/users', { json: { user_id: USER } });
  assert.equal(made.status, 201, JSON.stringify(made.data));
  userToken = made.data.token;
  const imported = await call('POST', '/api/admin/contests', { body: packageTar() });
  assert.equal(imported.status, 201, JSON.stringify(imported.data));
  const opened = await call('PATCH', `/api/admin/contests/${CONTEST}`, { json: { registration_open: true } });
  assert.equal(opened.status, 200, JSON.stringify(opened.data));
  [admin, user, visitor] = await Promise.all([launch(), launch(), launch()]);
});

after(async () => {
  await Promise.all([admin, user, visitor].map((b) => b?.browser.close()));
});

test('the contest list shows the running contest, and a user registers from it', async () => {
  await open(user, '#/contests', userToken);
  const row = user.page.locator(`tr[data-contest="${CONTEST}"]`);
  await row.waitFor();
  assert.match(await row.textContent(), /Browser Cup/);
  assert.equal(await row.locator('[data-state]').getAttribute('data-state'), 'running');
  assert.match(await row.locator('.countdown').textContent(), /^ends in 4:5\d:\d\d$/);
  await row.locator('[data-register]').click();
  await user.page.waitForSelector(`tr[data-contest="${CONTEST}"] [data-team="${USER}"]`);
  await screenshot(user.page, 'contests.png');
});

test("a visitor's scoreboard shows the teams, then a solve without a reload", async () => {
  await open(visitor, `#/contests/${CONTEST}/scoreboard`);
  await visitor.page.waitForSelector(`#board-table tr[data-team="${USER}"]`);
  await visitor.page.waitForSelector('#board-table tr[data-team="rival"]');
  assert.deepEqual(await visitor.page.$$eval('#board-table th.pcol', (ths) => ths.map((t) => t.textContent.trim())), ['A', 'B']);
  assert.equal(await visitor.page.getAttribute(cell(USER, 'hello'), 'class'), 'cell empty');
  assert.equal(await visitor.page.isVisible('[data-frozen]'), false, 'not frozen yet');
  // Marks this document: a reload would lose it.
  await visitor.page.evaluate(() => { window.stillTheSamePage = true; });

  // The user opens B from the contest page and submits it there.
  await open(user, `#/contests/${CONTEST}`, userToken);
  await user.page.waitForSelector('tr[data-problem="hello"][data-state="not tried"]');
  assert.equal(await user.page.getAttribute('tr[data-problem="aplusb"] .swatch', 'style'), 'background:#e53935');
  await user.page.click('tr[data-problem="hello"] a');
  await user.page.waitForFunction(() => document.getElementById('problem-title').textContent === 'Hello, World!');
  assert.match(await user.page.textContent('#contest-banner'), /B · Contest Browser Cup/);
  await user.page.selectOption('#language', 'python3');
  await pasteCode(user.page, ['print("Hello, World!")']);
  const id = await submitAndWait(user.page);
  assert.equal(await verdictShown(user.page), 'Accepted');
  const state = await call('GET', `/api/submissions/${id}`, { token: userToken });
  assert.equal(state.data.contest_id, CONTEST, 'the submission counts in the contest');

  // The visitor's board: solved, first to solve, 1 try, minute 1 or so; ranked first.
  await visitor.page.waitForSelector(`${cell(USER, 'hello')}.solved.first`, { timeout: BOARD_UPDATE });
  assert.match(await visitor.page.textContent(`${cell(USER, 'hello')} .c-tries`), /^1 try$/);
  assert.match(await visitor.page.textContent(`${cell(USER, 'hello')} .c-time`), /^\d+$/);
  assert.equal(await visitor.page.textContent(`#board-table tr[data-team="${USER}"] .solved-count`), '1');
  assert.equal(await visitor.page.getAttribute('#board-table tbody tr:first-child', 'data-team'), USER);
  assert.equal(await visitor.page.evaluate(() => window.stillTheSamePage), true, 'no reload');
  await screenshot(visitor.page, 'contest-scoreboard.png');

  // The contest page says solved.
  await user.page.goto(`${JUDGE_URL}/#/contests/${CONTEST}`);
  await user.page.waitForSelector('tr[data-problem="hello"][data-state="solved"]');
  await screenshot(user.page, 'contest-page.png');
});

test('a participant asks about a problem; the admin answers that team; the answer reaches the page', async () => {
  await user.page.selectOption('#ask-problem', 'aplusb');
  await user.page.fill('#ask-text', 'Can a and b be negative?');
  await user.page.click('#ask-form button[type=submit]');
  await user.page.waitForSelector('.clar.question >> text=Can a and b be negative?');
  assert.equal(await user.page.inputValue('#ask-text'), '', 'the form is cleared');

  await open(admin, `#/contests/${CONTEST}`, ADMIN);
  const question = admin.page.locator('.clar.question', { hasText: 'Can a and b be negative?' });
  await question.waitFor();
  assert.match(await question.locator('.clar-head').textContent(), /question from [\s\S]*A · A plus B/);
  await question.locator('[data-answer]').click();
  await question.locator('textarea').fill('Yes: both fit in 64 bits.');
  await question.locator('button[type=submit]').click();
  await admin.page.waitForSelector('.clar.reply >> text=Yes: both fit in 64 bits.');

  // The team reads it, addressed to them, under their question (live, or
  // at the page's next read).
  const answer = user.page.locator('.clar.reply', { hasText: 'Yes: both fit in 64 bits.' });
  await answer.waitFor({ timeout: BOARD_UPDATE });
  assert.match(await answer.locator('.clar-who').textContent(), /^to you$/);
  assert.match(await answer.locator('blockquote').textContent(), /Can a and b be negative\?/);
});

test('an admin freezes: a frozen banner, and a submission since is pending until the thaw', async () => {
  await admin.page.goto(`${JUDGE_URL}/#/contests/${CONTEST}`);
  await admin.page.click('.admin-bar [data-action="freeze"]');
  await admin.page.waitForSelector('.admin-bar [data-action="thaw"]:not([disabled])');
  assert.equal(await admin.page.isDisabled('.admin-bar [data-action="freeze"]'), true);

  await visitor.page.waitForSelector('[data-frozen]', { timeout: BOARD_UPDATE });
  assert.match(await visitor.page.textContent('[data-frozen]'), /frozen/);
  assert.equal(await visitor.page.getAttribute(`[data-clock="${CONTEST}"] [data-state]`, 'data-state'), 'frozen');

  // A wrong answer on A after the freeze: pending for the public.
  await user.page.goto(`${JUDGE_URL}/#/contests/${CONTEST}/problems/aplusb`);
  await user.page.waitForFunction(() => document.getElementById('problem-title').textContent === 'A plus B');
  await user.page.selectOption('#language', 'python3');
  await pasteCode(user.page, ['print(0)']);
  await submitAndWait(user.page);
  assert.notEqual(await verdictShown(user.page), 'Accepted');
  await visitor.page.waitForSelector(`${cell(USER, 'aplusb')}.pending`, { timeout: BOARD_UPDATE });
  assert.equal(await visitor.page.textContent(`${cell(USER, 'aplusb')} .c-time`), '?');
  assert.equal(await visitor.page.evaluate(() => window.stillTheSamePage), true, 'no reload');
  await screenshot(visitor.page, 'contest-scoreboard-frozen.png');

  // Thaw: the banner goes, the try shows as wrong.
  await admin.page.click('.admin-bar [data-action="thaw"]');
  await visitor.page.waitForSelector(`${cell(USER, 'aplusb')}.failed`, { timeout: BOARD_UPDATE });
  assert.equal(await visitor.page.isVisible('[data-frozen]'), false);
  for (const who of [admin, user, visitor]) assert.deepEqual(unexpected(who.problems), [], 'no errors in the page');
});
