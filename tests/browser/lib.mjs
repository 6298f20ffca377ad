// What the browser tests share: Debian's chromium (never a downloaded
// browser), a page that records its errors, and the editor driven as a
// person would (typing, or pasting a whole solution).
import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
export const artifacts = join(here, '..', 'artifacts');
export const JUDGE_URL = (process.env.JUDGE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const VERDICT_TIMEOUT = Number(process.env.JUDGE_VERDICT_TIMEOUT_MS ?? 120_000);
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/// A browser with one fresh context (no cookies, no storage) and its page;
/// `problems` collects page errors and console errors.
export async function launch() {
  assert.ok(existsSync(CHROMIUM), `no chromium at ${CHROMIUM}: apt-get install -y chromium`);
  mkdirSync(artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console: ${m.text()}`); });
  return { browser, context, page, problems };
}

/// The editor's text, read from CodeMirror's rendered lines.
export async function editorText(page) {
  return page.$$eval('.cm-content .cm-line', (lines) => lines.map((l) => l.textContent).join('\n'));
}

/// Replaces the editor's content with `lines` as a paste would (no
/// auto-indent or auto-closed brackets in the way).
export async function pasteCode(page, lines) {
  await page.click('.cm-content');
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  await page.keyboard.insertText(lines.join('\n'));
  assert.equal(await editorText(page), lines.join('\n'), 'the editor holds exactly what was pasted');
}

/// Submits and waits for the final verdict of the new submission; returns its id.
export async function submitAndWait(page) {
  const before = await page.$eval('#result', (el) => el.querySelector('.sid')?.textContent ?? '');
  await page.click('#submit-btn');
  await page.waitForFunction((prev) => {
    const sid = document.querySelector('#result .sid')?.textContent;
    return sid && sid !== prev && document.querySelector('#result .badge[data-verdict]');
  }, before, { timeout: VERDICT_TIMEOUT });
  return (await page.textContent('#result .sid')).trim();
}

/// The verdict the Result tab shows.
export async function verdictShown(page) {
  return (await page.textContent('#result .badge[data-verdict]')).trim();
}

/// Acts as `user` on an open judge: the user id under Settings (advanced).
export async function actAs(page, user) {
  await page.click('#settings summary');
  await page.fill('#user-id', user);
  await page.waitForFunction((u) => localStorage.getItem('judge.user') === u, user);
  await page.click('#settings summary');
}

export function screenshot(page, name) {
  return page.screenshot({ path: join(artifacts, name) });
}
