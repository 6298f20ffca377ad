// Drives the web editor in a real browser (Debian's chromium through
// playwright-core; no browser is ever downloaded) against a running stack:
//
//   JUDGE_URL=http://127.0.0.1:8080 node --test tests/browser/
//
// Picks problem aplusb, chooses Python 3, types an accepted solution, submits
// and waits for "Accepted" with a ✓ per test; then submits a wrong one and
// waits for "Wrong Answer"; checks the history, the problem list's solved
// count and the Run panel; keeps a screenshot in tests/artifacts/editor.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { actAs } from './lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, '..', 'artifacts');
const JUDGE_URL = (process.env.JUDGE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const VERDICT_TIMEOUT = Number(process.env.JUDGE_VERDICT_TIMEOUT_MS ?? 120_000);

const ACCEPTED = [
  'import sys',
  'd=sys.stdin.read().split()',
  't=int(d[0])',
  'print("\\n".join(str(int(d[1+2*i])+int(d[2+2*i])) for i in range(t)))',
];
const WRONG = [
  'import sys',
  'd=sys.stdin.read().split()',
  'print("\\n".join("0" for _ in range(int(d[0]))))',
];

let browser;
let page;
const problems = []; // console errors and page errors

before(async () => {
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
});

after(async () => {
  await browser?.close();
});

/// The editor's text, read from CodeMirror's rendered lines.
async function editorText() {
  return page.$$eval('.cm-content .cm-line', (lines) => lines.map((l) => l.textContent).join('\n'));
}

/// Replaces the editor's content by typing `lines` as a person would.
async function typeCode(lines) {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  for (const [i, line] of lines.entries()) {
    await page.keyboard.type(line, { delay: 5 });
    await page.keyboard.press('Escape'); // close an autocompletion popup before Enter
    if (i < lines.length - 1) {
      await page.keyboard.press('Enter');
      await page.keyboard.press('Home'); // drop any auto-indent: each line is typed from column 0
      await page.keyboard.press('Shift+Home');
      await page.keyboard.press('Delete');
    }
  }
  // Auto-closed brackets or quotes may remain after the cursor: cut them.
  await page.keyboard.press('Shift+Control+End');
  await page.keyboard.press('Delete');
  assert.equal(await editorText(), lines.join('\n'), 'the editor holds exactly what was typed');
}

/// Submits and waits for the final verdict; returns what the result panel showed on the way.
async function submitAndWait() {
  await page.evaluate(() => {
    window.__seen = [];
    const box = document.getElementById('result');
    window.__obs?.disconnect();
    window.__obs = new MutationObserver(() => {
      const badge = box.querySelector('.badge');
      if (badge) window.__seen.push(badge.textContent.trim());
    });
    window.__obs.observe(box, { childList: true, subtree: true, characterData: true });
  });
  const before = await page.$eval('#result', (el) => el.querySelector('.sid')?.textContent ?? '');
  await page.click('#submit-btn');
  await page.waitForFunction((prev) => {
    const sid = document.querySelector('#result .sid')?.textContent;
    return sid && sid !== prev && document.querySelector('#result .badge[data-verdict]');
  }, before, { timeout: VERDICT_TIMEOUT });
  return page.evaluate(() => window.__seen);
}

test('solve aplusb in the browser: Accepted, then Wrong Answer', { timeout: 4 * VERDICT_TIMEOUT }, async () => {
  const user = `browser-${Date.now().toString(36)}`;
  await page.goto(`${JUDGE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  // An open judge (no accounts in this test): the user id under Settings.
  await actAs(page, user);

  // Problem list → aplusb.
  await page.waitForSelector('#problem-list a[data-problem="aplusb"]');
  const listText = await page.textContent('#problem-list');
  assert.match(listText, /A plus B/);
  assert.match(listText, /\d+(\.\d+)? s · \d+ MB/, 'the list shows the limits');
  await page.click('#problem-list a[data-problem="aplusb"]');
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'A plus B');
  assert.ok(await page.locator('#statement .katex').count() > 0, 'math is rendered with KaTeX');
  const prose = await page.$eval('#statement', (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.katex').forEach((k) => k.remove());
    return copy.textContent;
  });
  assert.doesNotMatch(prose, /\\le|\\cdot|\$/, 'no raw LaTeX left outside the rendered math');
  assert.ok(await page.locator('#samples pre').count() >= 2, 'samples are shown');

  // Python, remembered.
  await page.selectOption('#language', 'python3');
  assert.equal(await page.evaluate(() => localStorage.getItem('judge.language')), 'python3');
  assert.ok(await page.locator('.cm-editor').count() === 1, 'CodeMirror is there');

  // Accepted.
  await typeCode(ACCEPTED);
  assert.ok(await page.locator('.cm-content .tok-keyword, .cm-content span[class^="ͼ"]').count() > 0,
    'the code is syntax-highlighted');
  const seenAc = await submitAndWait();
  const verdict = await page.textContent('#result .badge[data-verdict]');
  assert.equal(verdict.trim(), 'Accepted', `verdict shown: ${verdict}`);
  const total = await page.locator('#result .marks .mark').count();
  assert.ok(total >= 1, 'one mark per test case');
  assert.equal(await page.locator('#result .marks .mark.ok').count(), total, 'every test has a ✓');
  assert.ok((await page.textContent('#result .marks')).includes('✓'));
  assert.match(await page.textContent('#result .stats'), /max \d+ ms · [\d.]+ (MB|KB)/, 'time and memory shown');
  console.log(`# progress seen while judging the accepted solution: ${[...new Set(seenAc)].join(' → ')}`);
  assert.ok(seenAc.some((t) => !/Accepted/.test(t)), 'a live, unfinished state was shown before the verdict');

  // Wrong answer.
  await typeCode(WRONG);
  await submitAndWait();
  const wa = await page.textContent('#result .badge[data-verdict]');
  assert.equal(wa.trim(), 'Wrong Answer', `verdict shown: ${wa}`);
  assert.ok(await page.locator('#result .marks .mark.bad').count() === 1, 'the failing test has a ✗');

  // The problem list counts the accepted submission; the history lists both.
  await page.waitForFunction(() => /✓ 1/.test(document.querySelector('#problem-list a[data-problem="aplusb"]').textContent));
  await page.click('#tab-history');
  const rows = page.locator('#history-body tr[data-submission]');
  await page.waitForFunction(() => document.querySelectorAll('#history-body tr[data-submission]').length === 2);
  assert.match(await rows.nth(0).textContent(), /Wrong Answer/, 'newest first');
  assert.match(await rows.nth(1).textContent(), /Accepted/);
  await rows.nth(1).click(); // view the accepted one again
  await page.waitForFunction(() => document.querySelector('#result .badge[data-verdict]')?.textContent === 'Accepted');
  // Its code can be loaded back into the editor (if this API serves it).
  await page.click('#result [data-load-code]');
  await page.waitForFunction(() => /Code loaded|cannot return/.test(document.getElementById('notice').textContent));
  if (/Code loaded/.test(await page.textContent('#notice'))) assert.equal(await editorText(), ACCEPTED.join('\n'));
  await typeCode(WRONG); // the Python draft as it was
  // Both were filed under the user id typed in the page.
  const mine = await page.evaluate(async (u) => (await fetch(`/api/users/${u}/submissions`)).json(), user);
  assert.deepEqual(mine.map((s) => s.verdict), ['WA', 'AC']);

  // Run with custom input: the wrong solution's output on typed stdin is shown.
  await page.click('#tab-run');
  await page.fill('#run-input', '2\n1 2\n3 4\n');
  await page.click('#run-custom');
  await page.waitForSelector('#run-output .run-head, #run-output .error', { timeout: VERDICT_TIMEOUT });
  const runText = await page.textContent('#run-output');
  assert.equal(await page.locator('#run-output [data-run-unavailable]').count(), 0, 'POST /api/run is served');
  assert.match(runText, /0\s*\n?\s*0/, `the wrong solution's output is shown: ${runText}`);
  await page.screenshot({ path: join(artifacts, 'editor-run.png') });

  // Final screenshot: the accepted result.
  await page.click('#tab-result');
  await page.screenshot({ path: join(artifacts, 'editor.png') });
  assert.deepEqual(problems.filter((p) => !/api\/run/.test(p) && !/404/.test(p)), [], 'no errors in the page');
});

test('a compilation error shows the compiler output', { timeout: 2 * VERDICT_TIMEOUT }, async () => {
  await page.click('#problem-list a[data-problem="aplusb"]');
  await page.selectOption('#language', 'cpp');
  await typeCode(['int main() { return missing; }']);
  await submitAndWait();
  assert.equal((await page.textContent('#result .badge[data-verdict]')).trim(), 'Compilation Error');
  assert.match(await page.textContent('#result pre.compile'), /missing/, 'the compiler names the error');
  // Back to Python: its draft (the wrong solution) comes back, with Python highlighting.
  await page.selectOption('#language', 'python3');
  assert.equal(await editorText(), WRONG.join('\n'), 'each language keeps its own draft');
});

test('Run and the token: Run shows what the code prints on the samples, and the token is sent', { timeout: VERDICT_TIMEOUT }, async () => {
  // A real user token, made by the test runner through the admin endpoint.
  const token = process.env.JUDGE_TEST_TOKEN;
  assert.ok(token, 'JUDGE_TEST_TOKEN must hold a user token (tests/tests/browser.rs makes one)');
  const seen = { auth: [], runBodies: [], sockets: [] };
  const onRequest = (r) => {
    if (!r.url().includes('/api/')) return;
    seen.auth.push(r.headers().authorization ?? '');
    if (r.url().endsWith('/api/run')) seen.runBodies.push(JSON.parse(r.postData()));
  };
  const onSocket = (ws) => seen.sockets.push(ws.url());
  page.on('request', onRequest);
  page.on('websocket', onSocket);
  try {
    await page.click('#settings summary');
    await page.fill('#token', token);
    await page.click('#token-save');
    assert.equal(await page.evaluate(() => localStorage.getItem('judge.token')), token);
    await page.click('#settings summary');
    // The token decides the user: its history is the one asked for.
    await page.waitForFunction(() => performance.getEntriesByType('resource')
      .some((e) => e.name.includes('/api/users/browser-token-user/submissions')));

    // Run goes through the real POST /api/run: the same sandbox, no submission recorded.
    await typeCode([...ACCEPTED, 'print("debug line", file=sys.stderr)']);
    await page.click('#tab-run');
    await page.click('#run-samples');
    await page.waitForFunction(() => document.querySelectorAll('#run-output .run-case').length >= 2 && !document.querySelector('#run-btn').disabled, null, { timeout: VERDICT_TIMEOUT });
    const out = await page.textContent('#run-output');
    assert.match(out, /Sample 1[\s\S]*matches the expected output/);
    assert.match(out, /debug line/, 'stderr is shown');
    assert.ok(seen.runBodies.length >= 2);
    for (const b of seen.runBodies) assert.deepEqual(Object.keys(b).sort(), ['code', 'input', 'language']);
    assert.equal(seen.runBodies[0].language, 'python3');
    await page.screenshot({ path: join(artifacts, 'editor-run-ok.png') });

    // A submission now carries the token on HTTP and on the WebSocket, and is judged.
    await page.click('#tab-result');
    await typeCode(ACCEPTED);
    await submitAndWait();
    assert.equal((await page.textContent('#result .badge[data-verdict]')).trim(), 'Accepted');
    assert.ok(seen.auth.includes(`Bearer ${token}`), 'Authorization header sent');
    assert.ok(seen.sockets.some((u) => u.includes(`token=${token}`)), `token on the socket: ${seen.sockets}`);
  } finally {
    page.off('request', onRequest);
    page.off('websocket', onSocket);
    await page.evaluate(() => localStorage.removeItem('judge.token'));
  }
});

test('a scoring problem: groups and points on its page, a live group view, n / m passed, the best score in the list', { timeout: 2 * VERDICT_TIMEOUT }, async () => {
  // Right up to 3e9, then wrong: 60 of 100 points (the large group fails).
  const SIXTY = [
    'n = int(input())',
    'print(n * (n + 1) // 2 if n <= 3 * 10**9 else 0)',
  ];
  const user = `browser-score-${Date.now().toString(36)}`;
  await page.evaluate(() => localStorage.removeItem('judge.token'));
  // A hash change is no reload: reload, so the page starts without the token.
  await page.goto(`${JUDGE_URL}/#/problem/subtasks`, { waitUntil: 'domcontentloaded' });
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  await actAs(page, user);
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'Triangle Numbers');

  // The page shows the groups and their points; the list says 100 points.
  assert.equal(await page.isVisible('#problem-groups'), true, 'the groups are shown');
  const groupsText = await page.textContent('#problem-groups');
  assert.match(groupsText, /Scoring · 100 points/);
  assert.match(await page.textContent('#problem-groups tr[data-group="secret/3-large"]'), /secret\/3-large\s*40\s*3/);
  assert.match(await page.textContent('#problem-groups tr[data-group="secret/3-large"]'), /requires secret\/2-medium/);
  assert.match(await page.textContent('#problem-list a[data-problem="subtasks"]'), /100 points/);

  // Submit: the group view is there while judging, and fills in live.
  await page.selectOption('#language', 'python3');
  await typeCode(SIXTY);
  await page.evaluate(() => {
    window.__groups = [];
    const box = document.getElementById('result');
    window.__gobs?.disconnect();
    window.__gobs = new MutationObserver(() => {
      if (box.querySelector('.badge[data-verdict]')) return;
      const graded = box.querySelectorAll('.groups-view .group[data-verdict]:not([data-verdict=""])').length;
      const shown = box.querySelectorAll('.groups-view .group').length;
      window.__groups.push({ shown, graded });
    });
    window.__gobs.observe(box, { childList: true, subtree: true });
  });
  await submitAndWait();
  const live = await page.evaluate(() => window.__groups);
  assert.ok(live.some((g) => g.shown === 5), `the group view was shown while judging: ${JSON.stringify(live)}`);
  console.log(`# groups graded while judging: ${[...new Set(live.map((g) => g.graded))].join(' → ')}`);

  assert.equal((await page.textContent('#result .badge[data-verdict]')).trim(), 'Wrong Answer');
  assert.match(await page.textContent('#result .score'), /60 \/ 100 points/);
  assert.match(await page.textContent('#result .stats'), /\d+ \/ 11 test cases passed/, 'LeetCode-style count');
  const group = (name) => `#result .group[data-group="${name}"]`;
  assert.equal(await page.getAttribute(group('secret/1-small'), 'data-verdict'), 'AC');
  assert.match(await page.textContent(`${group('secret/1-small')} .gscore`), /30 \/ 30/);
  assert.match(await page.textContent(`${group('secret/1-small')} .gpassed`), /3 \/ 3 passed/);
  assert.equal(await page.locator(`${group('secret/1-small')} .mark.ok`).count(), 3, 'a ✓ per test of the group');
  assert.equal(await page.getAttribute(group('secret/3-large'), 'data-verdict'), 'WA');
  assert.match(await page.textContent(`${group('secret/3-large')} .gscore`), /0 \/ 40/);
  assert.ok(await page.locator(`${group('secret/3-large')} .mark.bad`).count() >= 1, 'the failing test has a ✗');
  // The toolbar fits its column at 1280 px: nothing scrolled sideways.
  assert.equal(await page.$eval('.workspace', (w) => w.scrollLeft), 0);
  await page.click('#tab-result');
  await page.screenshot({ path: join(artifacts, 'editor-scoring.png') });

  // The problem list shows the best score, and the history the score.
  await page.waitForFunction(() => /60 \/ 100/.test(document.querySelector('#problem-list a[data-problem="subtasks"]').textContent));
  await page.click('#tab-history');
  assert.match(await page.locator('#history-body tr[data-submission]').nth(0).textContent(), /Wrong Answer\s*60 \/ 100/);
  await page.click('#tab-result');
  assert.deepEqual(problems.filter((p) => !/api\/run/.test(p) && !/404/.test(p)), [], 'no errors in the page');
});

test('pass-fail submissions say "n / m test cases passed"', { timeout: VERDICT_TIMEOUT }, async () => {
  await page.click('#problem-list a[data-problem="aplusb"]');
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'A plus B');
  assert.equal(await page.isVisible('#problem-groups'), false, 'a pass-fail problem has no group table');
  await page.selectOption('#language', 'python3');
  await typeCode(WRONG);
  await submitAndWait();
  assert.match(await page.textContent('#result .stats'), /^\s*\d+ \/ \d+ test cases passed · max \d+ ms/);
  assert.equal(await page.locator('#result .groups-view').count(), 0);
});
