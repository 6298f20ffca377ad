// Statements as their authors wrote them, in a real browser (Debian's
// chromium through playwright-core) against a running stack:
//
//   JUDGE_URL=http://127.0.0.1:8080 node --test tests/browser/statement.test.mjs
//
// Opens problem `figure` (a LaTeX statement in the legacy layout with
// sections, a list, a tabular, a figure with \includegraphics and a
// problemtools \illustration) and `figure-md` (a 2025-09 Markdown statement
// with an SVG image and a table), and checks that the headings, list and
// table are rendered and that every figure is an <img> that really loaded
// from GET /api/problems/{id}/statement/{file}. Keeps screenshots in
// tests/artifacts/statement-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const artifacts = join(here, '..', 'artifacts');
const JUDGE_URL = (process.env.JUDGE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

let browser;
let page;
const problems = []; // console errors, page errors and failed requests

before(async () => {
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  page = await context.newPage();
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  page.on('response', (r) => {
    if (r.request().resourceType() === 'image' && r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(`${JUDGE_URL}/`, { waitUntil: 'domcontentloaded' });
  await page.waitForSelector('body[data-ready="true"]');
});

after(async () => {
  await browser?.close();
});

/// Opens a problem from the list and waits for its title.
async function open(id, title) {
  await page.waitForSelector(`#problem-list a[data-problem="${id}"]`);
  await page.click(`#problem-list a[data-problem="${id}"]`);
  await page.waitForFunction((t) => document.getElementById('problem-title').textContent === t, title);
}

/// Waits until every <img> of the statement has finished loading, then
/// returns {file, src, width} for each (width 0 = broken image).
async function statementImages() {
  await page.waitForFunction(() => [...document.querySelectorAll('#statement img')].every((i) => i.complete),
    null, { timeout: 15_000 });
  return page.$$eval('#statement img', (imgs) => imgs.map((i) => ({
    file: i.dataset.file, src: i.getAttribute('src'), width: i.naturalWidth,
  })));
}

/// The statement's text outside rendered math.
async function prose() {
  return page.$eval('#statement', (el) => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.katex').forEach((k) => k.remove());
    return copy.textContent;
  });
}

test('a LaTeX statement shows its sections, list, table and figures', async () => {
  await open('figure', 'Sum of a List');

  const headings = await page.$$eval('#statement h3, #statement h4', (hs) => hs.map((h) => h.textContent.trim()));
  assert.deepEqual(headings, ['Input', 'Output', 'Limits by test group'], '\\section*{..} and \\subsection*{..} are headings');

  const items = await page.$$eval('#statement ul > li', (lis) => lis.map((li) => li.textContent));
  assert.equal(items.length, 3, 'the itemize has three items');
  assert.match(items[0], /empty/);
  assert.equal(await page.locator('#statement ul em').count(), 1, '\\emph is emphasis');
  assert.equal(await page.textContent('#statement ul code'), 'long long', '\\texttt is code');

  const rows = await page.$$eval('#statement table tr', (trs) => trs.map((tr) => [...tr.cells].map((c) => c.textContent.trim())));
  assert.equal(rows.length, 3, `the tabular has three rows: ${JSON.stringify(rows)}`);
  assert.deepEqual(rows.map((r) => r.length), [3, 3, 3], 'three columns, split at &');
  assert.equal(rows[0][0], 'Group');
  assert.equal(rows[1][0], 'Samples');
  assert.equal(await page.$eval('#statement table td:nth-child(2)', (td) => getComputedStyle(td).textAlign), 'right',
    'the column spec {|l|r|r|} aligns the second column right');
  assert.match(await page.textContent('#statement figure.table figcaption'), /The test data/);

  const images = await statementImages();
  assert.deepEqual(images.map((i) => i.file).sort(), ['bars.png', 'coins.png'],
    '\\includegraphics{bars} (no extension) and \\illustration{..}{coins}{..} are <img>s');
  for (const img of images) {
    assert.ok(img.width > 0, `${img.file} loaded (naturalWidth ${img.width}) from ${img.src}`);
    assert.match(img.src, /^\/api\/problems\/figure\/statement\//);
  }
  const caption = await page.textContent('#statement figure.figure figcaption');
  assert.match(caption, /jars of the first sample/, 'the \\caption is under the figure');
  assert.ok(await page.locator('#statement figure.figure figcaption .katex').count() > 0, 'math in the caption is rendered');
  const barsWidth = await page.$eval('#statement img[data-file="bars.png"]', (i) => i.getBoundingClientRect().width);
  const textWidth = await page.$eval('#statement', (el) => el.getBoundingClientRect().width);
  assert.ok(barsWidth > 0.4 * textWidth && barsWidth < 0.8 * textWidth, `width=0.6\\textwidth: ${barsWidth} of ${textWidth}`);

  const text = await prose();
  assert.doesNotMatch(text, /\\[A-Za-z]+|\\\\|\$|&amp;/, `no raw LaTeX left: ${text}`);
  assert.match(text, /“as is” – no leading zeros/, '`` \'\' and -- become typographic quotes and a dash');
  assert.equal(await page.textContent('#statement p:last-child code'), '+', '\\verb|+| is code');

  await page.screenshot({ path: join(artifacts, 'statement-figure.png') });
  await page.locator('#statement table').scrollIntoViewIfNeeded();
  await page.screenshot({ path: join(artifacts, 'statement-figure-table.png') });
});

test('a Markdown statement shows its image and table', async () => {
  await open('figure-md', 'The Tallest Tower');
  const images = await statementImages();
  assert.equal(images.length, 1);
  assert.equal(images[0].file, 'skyline.svg');
  assert.ok(images[0].width > 0, `the SVG loaded (naturalWidth ${images[0].width})`);
  assert.equal(await page.getAttribute('#statement img', 'alt'),
    'The skyline of the first sample: towers of 3, 1, 4, 1 and 5 metres');
  assert.equal(await page.locator('#statement table tr').count(), 3, 'the Markdown table is a table');
  assert.deepEqual(await page.$$eval('#statement h2', (hs) => hs.map((h) => h.textContent)), ['Input', 'Output']);
  await page.screenshot({ path: join(artifacts, 'statement-figure-md.png') });
});

test('only the statement folder is served', async () => {
  // Checked before the 404s below, which the console reports as errors.
  assert.deepEqual(problems, [], 'no errors in the page and no broken image');
  const answers = await page.evaluate(async () => {
    const get = async (path) => {
      const r = await fetch(path);
      const type = r.headers.get('content-type') ?? '';
      return { status: r.status, type, body: type.includes('json') ? await r.json() : null };
    };
    return {
      svg: await get('/api/problems/figure-md/statement/skyline.svg'),
      escape: await get('/api/problems/figure/statement/..%2Fdata%2Fsecret%2F05-max.ans'),
      tex: await get('/api/problems/figure/statement/problem.en.tex'),
      missing: await get('/api/problems/figure/statement/nothere.png'),
    };
  });
  assert.equal(answers.svg.status, 200);
  assert.equal(answers.svg.type, 'image/svg+xml');
  for (const name of ['escape', 'tex', 'missing']) {
    assert.equal(answers[name].status, 404, name);
    assert.equal(answers[name].body.error.field, 'file', `${name}: ${JSON.stringify(answers[name].body)}`);
  }
});
