// Browser harness: Debian's Chromium through playwright-core, axe-core for WCAG 2.1 A/AA,
// screenshots into tests/browser/screenshots/. The server is the real `granslos serve`.
import { chromium } from 'playwright-core';
import { AxeBuilder } from '@axe-core/playwright';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
export { startServer } from '../http/lib.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const SHOTS = join(here, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export const VIEWPORTS = {
  desktop: { viewport: { width: 1366, height: 768 } },
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 },
};

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

export async function newPage(browser, vp, locale = 'sv-SE') {
  const context = await browser.newContext({ ...VIEWPORTS[vp], locale });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (e) => problems.push('page error: ' + e.message));
  // a 4xx answer is logged by Chromium as a console error; the flows provoke some on purpose
  page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) problems.push('console: ' + m.text()); });
  page.problems = problems;
  return page;
}

// a11y: axe with the WCAG 2.1 A and AA rules; zero violations allowed
export async function a11y(page, label) {
  const r = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const v = r.violations.map((x) => `${x.id} (${x.impact}): ${x.help}\n    ` + x.nodes.slice(0, 3).map((n) => n.target.join(' ') + ' :: ' + (n.failureSummary || '').split('\n').join(' ')).join('\n    '));
  assert.deepEqual(v, [], `axe violations on ${label} (${page.url()}):\n` + v.join('\n'));
  assert.deepEqual(page.problems, [], 'no script errors');
}

export async function shot(page, name, vp) {
  await page.screenshot({ path: join(SHOTS, `${name}-${vp}.png`), fullPage: true });
}

// lang: the document language the page declares
export const htmlLang = (page) => page.evaluate(() => document.documentElement.lang);

// openFilters: the facets are folded on phones; a person taps "Filters" first
export async function openFilters(page) {
  const d = page.locator('details.facets');
  if (!(await d.evaluate((e) => e.open))) await d.locator('summary').click();
}

// logIn: log in through the English login form and wait for the confirmation
export async function logIn(page, base, email, password) {
  await page.goto(base + '/login');
  await page.getByLabel('E-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByText('You are logged in.').waitFor();
}
