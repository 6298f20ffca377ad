// What a new user does, in Debian's chromium against a running stack
// (tests/tests/browser.rs starts one; or JUDGE_URL=… node --test tests/browser/):
// the first visit shows the problems and a sign-in prompt, never an error
// (on an open judge and on one that requires sign-in);
// sign up, sign out, sign in; solve the function problem two-sum in Python
// and C++ with Run and Submit, each language starting from its starter
// code and keeping its draft; see a failing case's detail with its first
// difference; open that submission by its link after a reload; filter the
// history by problem and verdict; sign out.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  JUDGE_URL, VERDICT_TIMEOUT, editorText, launch, pasteCode, screenshot, submitAndWait, verdictShown,
} from './lib.mjs';

const PYTHON = [
  'class Solution:',
  '    def twoSum(self, nums: List[int], target: int) -> List[int]:',
  '        seen = {}',
  '        for i, x in enumerate(nums):',
  '            if target - x in seen:',
  '                return [seen[target - x], i]',
  '            seen[x] = i',
  '        return []',
];
// Right on the first example only: always the first two indices.
const CPP_WRONG = [
  'class Solution {',
  'public:',
  '    vector<int> twoSum(vector<int>& nums, int target) {',
  '        cout << "trying " << nums.size() << endl;',
  '        return {0, 1};',
  '    }',
  '};',
];
const CPP = [
  'class Solution {',
  'public:',
  '    vector<int> twoSum(vector<int>& nums, int target) {',
  '        for (int i = 0; i < (int)nums.size(); i++)',
  '            for (int j = i + 1; j < (int)nums.size(); j++)',
  '                if (nums[i] + nums[j] == target) return {i, j};',
  '        return {};',
  '    }',
  '};',
];

let browser;
let page;
let problems;
const user = `fn-${Date.now().toString(36)}`;
const password = 'correct horse battery';

before(async () => {
  ({ browser, page, problems } = await launch());
});

after(async () => {
  await browser?.close();
});

async function waitSignedIn(on) {
  await page.waitForFunction((v) => document.body.dataset.signedIn === String(v), on);
}

/// Asks for a Run on the examples and waits until each has its result.
async function runExamples() {
  await page.click('#tab-run');
  await page.click('#run-samples');
  await page.waitForFunction(() => document.querySelectorAll('#run-output .run-case').length >= 2
    && !document.getElementById('run-btn').disabled, null, { timeout: VERDICT_TIMEOUT });
  return page.$$eval('#run-output .run-case [data-matches]', (els) => els.map((e) => e.dataset.matches));
}

test('the first visit shows the problems and a sign-in prompt, never an error', async () => {
  await page.goto(`${JUDGE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  assert.ok(await page.locator('#problem-list a[data-problem]').count() >= 5, 'the problems are listed');
  assert.equal(await page.isVisible('#signin-prompt'), true, 'a sign-in prompt');
  assert.equal(await page.isVisible('#signin-open'), true);
  assert.equal(await page.getAttribute('#notice', 'class') === 'error' ? await page.textContent('#notice') : '', '',
    'no error notice');
  const errors = await page.$$eval('.error', (els) => els.filter((e) => e.offsetParent && e.textContent.trim()).map((e) => e.textContent));
  assert.deepEqual(errors, [], 'no error shown');
  assert.doesNotMatch(await page.textContent('body'), /not authori[sz]ed|unauthori[sz]ed/i);
  await page.click('#tab-history');
  assert.match(await page.textContent('#history-body'), /Sign in to see your submissions/);
  await page.click('#tab-result');
  await screenshot(page, 'first-visit.png');
  assert.deepEqual(problems, [], 'no errors in the page');
});

test('on a judge that requires sign-in, the first visit shows no error either, and sign-up works there', async () => {
  const url = (process.env.JUDGE_URL_SIGNIN_REQUIRED ?? JUDGE_URL).replace(/\/$/, '');
  const other = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const fresh = await other.newPage();
  const seen = [];
  fresh.on('pageerror', (e) => seen.push(`page error: ${e.message}`));
  fresh.on('console', (m) => { if (m.type() === 'error') seen.push(`console: ${m.text()}`); });
  try {
    await fresh.goto(`${url}/`, { waitUntil: 'domcontentloaded' });
    await fresh.waitForSelector('body[data-ready="true"]');
    assert.ok(await fresh.locator('#problem-list a[data-problem]').count() >= 5, 'the problems are listed');
    assert.equal(await fresh.isVisible('#signin-prompt'), true, 'a sign-in prompt');
    const errors = await fresh.$$eval('.error', (els) => els.filter((e) => e.offsetParent && e.textContent.trim()).map((e) => e.textContent));
    assert.deepEqual(errors, [], 'no error shown');
    assert.doesNotMatch(await fresh.textContent('body'), /not authori[sz]ed|unauthori[sz]ed/i);
    await fresh.click('#signin-open');
    await fresh.fill('#auth-username', `${user}-r`);
    await fresh.fill('#auth-password', password);
    await fresh.click('#signup-btn');
    await fresh.waitForFunction(() => document.body.dataset.signedIn === 'true');
    await fresh.click('#tab-history');
    await fresh.waitForFunction(() => /No submissions yet/.test(document.getElementById('history-body').textContent));
    assert.deepEqual(seen, [], 'no errors in the page');
  } finally {
    await other.close();
  }
});

test('sign up, sign out, sign in', async () => {
  await page.click('#signin-open');
  await page.fill('#auth-username', user);
  await page.fill('#auth-password', 'short');
  await page.click('#signup-btn');
  assert.match(await page.textContent('#auth-error'), /8 characters/, 'a short password is refused on the page');
  await page.fill('#auth-password', password);
  await page.click('#signup-btn');
  await waitSignedIn(true);
  assert.equal(await page.textContent('#account-name'), user);
  assert.equal(await page.isVisible('#signin-prompt'), false);
  // The session is an HttpOnly cookie: the page's script cannot read it.
  assert.doesNotMatch(await page.evaluate(() => document.cookie), /judge_session/);

  await page.click('#signout-btn');
  await waitSignedIn(false);
  assert.equal(await page.isVisible('#signin-prompt'), true);

  await page.click('#signin-open');
  await page.fill('#auth-username', user);
  await page.fill('#auth-password', 'wrong password');
  await page.click('#signin-btn');
  await page.waitForFunction(() => /Wrong user name or password/.test(document.getElementById('auth-error').textContent));
  // The browser logs that refused sign-in (401) as a failed load: expected.
  const refused = problems.findIndex((p) => /status of 401/.test(p));
  if (refused >= 0) problems.splice(refused, 1);
  await page.fill('#auth-password', password);
  await page.click('#signin-btn');
  await waitSignedIn(true);
  // A reload keeps the session.
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  assert.equal(await page.textContent('#account-name'), user);
});

test('solve a function problem in Python and C++; a failing case shows its diff, by its link too; the history filters', { timeout: 8 * VERDICT_TIMEOUT }, async () => {
  await page.click('#problem-list a[data-problem="two-sum"]');
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'Two Sum');
  assert.match(await page.textContent('#problem-function'), /twoSum\(nums: int\[\], target: int\) → int\[\]/);
  // The language menu offers exactly the languages with a harness.
  const offered = await page.$$eval('#language option', (os) => os.map((o) => o.value));
  const served = await page.evaluate(() => fetch('/api/problems/two-sum').then((r) => r.json()));
  assert.deepEqual([...offered].sort(), [...served.function_languages].sort());
  assert.ok(offered.includes('haskell') && offered.includes('c'), offered.join(' '));

  // Python: the starter code, then a solution; Run on the examples; Submit.
  await page.selectOption('#language', 'python3');
  await page.waitForFunction(() => /def twoSum/.test(document.querySelector('.cm-content').textContent));
  await pasteCode(page, PYTHON);
  await submitAndWait(page);
  assert.equal(await verdictShown(page), 'Accepted');

  // C++: its own starter code, not the Python draft.
  await page.selectOption('#language', 'cpp');
  await page.waitForFunction(() => /twoSum/.test(document.querySelector('.cm-content').textContent)
    && !/def twoSum/.test(document.querySelector('.cm-content').textContent));
  await pasteCode(page, CPP_WRONG);
  // Submitted, it fails the second example, whose detail is shown.
  await page.click('#tab-result');
  const wrongId = await submitAndWait(page);
  assert.equal(await verdictShown(page), 'Wrong Answer');
  const detail = '#result .case-detail';
  await page.waitForSelector(detail);
  assert.equal((await page.textContent(`${detail} .d-input`)).trim(), '[3,2,4]\n6');
  assert.equal((await page.textContent(`${detail} .d-expected`)).trim(), '[1,2]');
  assert.equal((await page.textContent(`${detail} .d-received`)).trim(), '[0,1]');
  assert.match(await page.textContent(`${detail} .d-stdout`), /trying 3/, "the user's stdout apart");
  assert.equal(await page.locator(`${detail} .d-received mark.diff`).count(), 1, 'the first difference is highlighted');
  assert.match(await page.textContent(`${detail} .d-where`), /line 1, column 2/);
  await screenshot(page, 'function-wrong-answer.png');

  // Fixed, accepted: the problem is solved in two languages.
  await pasteCode(page, CPP);
  await submitAndWait(page);
  assert.equal(await verdictShown(page), 'Accepted');

  // Each language kept its draft.
  await page.selectOption('#language', 'python3');
  await page.waitForFunction(() => /def twoSum/.test(document.querySelector('.cm-content').textContent));
  assert.equal(await editorText(page), PYTHON.join('\n'));

  // The wrong submission's link, after a reload, shows its failing case.
  await page.goto(`${JUDGE_URL}/#/submissions/${wrongId}`, { waitUntil: 'domcontentloaded' });
  await page.reload({ waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
  await page.waitForFunction((id) => document.querySelector('#result .sid')?.textContent === id
    && document.querySelector('#result .badge[data-verdict]'), wrongId);
  assert.equal(await verdictShown(page), 'Wrong Answer');
  assert.equal(await page.locator('#result .case-detail mark.diff').count(), 1);
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'Two Sum');

  // The history, filtered by problem and verdict.
  await page.click('#tab-history');
  await page.waitForFunction(() => document.querySelectorAll('#history-body tr[data-submission]').length === 3);
  await page.selectOption('#history-problem', 'two-sum');
  await page.selectOption('#history-verdict', 'WA');
  await page.waitForFunction(() => document.querySelectorAll('#history-body tr[data-submission]').length === 1);
  assert.equal(await page.getAttribute('#history-body tr[data-submission]', 'data-submission'), wrongId);
  await page.selectOption('#history-verdict', 'AC');
  await page.waitForFunction(() => document.querySelectorAll('#history-body tr[data-submission]').length === 2);
  await page.selectOption('#history-problem', 'aplusb');
  await page.waitForFunction(() => /No submissions match/.test(document.getElementById('history-body').textContent));
  await page.selectOption('#history-problem', '');
  await page.selectOption('#history-verdict', '');
  assert.deepEqual(problems, [], 'no errors in the page');
});

test('Run a function problem on its examples and on a case typed in LeetCode notation', { timeout: 4 * VERDICT_TIMEOUT }, async () => {
  await page.click('#problem-list a[data-problem="two-sum"]');
  await page.waitForFunction(() => document.getElementById('problem-title').textContent === 'Two Sum');
  await page.selectOption('#language', 'python3');
  await page.waitForFunction(() => /def twoSum/.test(document.querySelector('.cm-content').textContent));
  assert.deepEqual(await runExamples(), ['true', 'true'], 'both examples match');
  await page.selectOption('#language', 'cpp');
  await page.waitForFunction(() => /twoSum/.test(document.querySelector('.cm-content').textContent)
    && !/def twoSum/.test(document.querySelector('.cm-content').textContent));
  await pasteCode(page, CPP_WRONG);
  // Run on a case typed in LeetCode's notation: the returned value and
  // the stdout are shown apart.
  await page.click('#tab-run');
  await page.fill('#run-input', '[3,2,4]\n6');
  await page.click('#run-custom');
  await page.waitForSelector('#run-output .run-head', { timeout: VERDICT_TIMEOUT });
  assert.equal((await page.textContent('#run-output pre.returned')).trim(), '[0,1]');
  assert.match(await page.textContent('#run-output pre.stdout'), /trying 3/);
  await screenshot(page, 'function-run.png');
  assert.deepEqual(problems, [], 'no errors in the page');
});

test('sign out: the prompt again, and no history', async () => {
  await page.click('#signout-btn');
  await waitSignedIn(false);
  assert.equal(await page.isVisible('#signin-prompt'), true);
  await page.click('#tab-history');
  assert.match(await page.textContent('#history-body'), /Sign in to see your submissions/);
  // A signed-out page cannot submit: it asks to sign in.
  await page.click('#tab-result');
  await page.click('#submit-btn');
  await page.waitForFunction(() => !document.getElementById('auth-panel').hidden);
  assert.match(await page.textContent('#auth-error'), /Sign in or sign up to submit/);
});
