import fs from 'node:fs';
import { expect } from 'vitest';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { createTestContext, type TestContext } from '../../../server/test/helpers/context.ts';
import { DEMO_PASSWORD } from '../../../server/test/helpers/demo.ts';
import { seedDemo } from '../../../server/src/demo/seed-demo.ts';

/**
 * Browser tests: the real server (demo jurisdiction, real migrations, PGlite or PostgreSQL like every
 * other test) listening on a loopback port, driven by Debian's Chromium through playwright-core.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const browserAvailable = fs.existsSync(CHROMIUM);
if (!browserAvailable && process.env.FQ_REQUIRE_BROWSER === '1') throw new Error(`FQ_REQUIRE_BROWSER=1 but there is no Chromium at ${CHROMIUM}`);

export const SHOTS = path.resolve(import.meta.dirname, '../../../../.test-artifacts/screenshots');

/** `cspViolations`: every Content-Security-Policy refusal any page of the run reported (should stay empty). */
export interface Harness { ctx: TestContext; base: string; browser: Browser; cspViolations: string[]; close(): Promise<void> }

export async function startHarness(): Promise<Harness> {
  const ctx = await createTestContext({ sessionIdleMinutes: 24 * 60, sessionMaxHours: 720 });
  await seedDemo(ctx.services, DEMO_PASSWORD);
  await ctx.app.listen({ port: 0, host: '127.0.0.1' });
  const addr = ctx.app.server.address();
  const base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  fs.mkdirSync(SHOTS, { recursive: true });
  return { ctx, base, browser, cspViolations: [], async close() { await browser.close(); await ctx.close(); } };
}

/**
 * How long one wait for a state may take. The tests wait for states, never for time; this only bounds how
 * long a wait may last before it fails, and a shared CI machine under the whole suite can be several times
 * slower than a quiet one.
 */
export const WAIT_MS = 90_000;

/** A phone: 390×844, touch, a mobile user agent. */
export async function phone(h: Harness, locale = 'zh-CN'): Promise<BrowserContext> {
  const context = await h.browser.newContext({ viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale, baseURL: h.base });
  context.setDefaultTimeout(WAIT_MS);
  watchCsp(h, context);
  return context;
}

/** The server's Content-Security-Policy must not refuse anything the console or the resident page does. */
export function watchCsp(h: Harness, context: BrowserContext) {
  context.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) h.cspViolations.push(`${m.location().url}: ${m.text().slice(0, 300)}`); });
}

/** A desk: a signed-in staff member at 1366×900. */
export async function desk(h: Harness, username: string, locale = 'zh-CN'): Promise<Page> {
  const context = await h.browser.newContext({ viewport: { width: 1366, height: 900 }, locale, baseURL: h.base });
  context.setDefaultTimeout(WAIT_MS);
  watchCsp(h, context);
  await context.addInitScript({ content: `if (!localStorage.getItem('fq.locale')) localStorage.setItem('fq.locale', ${JSON.stringify(locale)});` });
  const page = await context.newPage();
  // script errors are worth seeing in the test output; a 401 before signing in is expected
  page.on('console', (m) => { if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) console.log(`[${username}] ${m.text().slice(0, 500)}`); });
  page.on('pageerror', (e) => console.log(`[${username}] page error: ${e.message}`));
  await page.goto('/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.locator('[data-testid=whoami], [data-testid=grid-mode]').first().waitFor();
  return page;
}

/** Signs a demo account in on a page of any context (a phone, a wall screen) and waits for the console. */
export async function signIn(page: Page, username: string): Promise<Page> {
  await page.goto('/');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(DEMO_PASSWORD);
  await page.locator('button[type=submit]').click();
  await page.getByTestId('whoami').waitFor();
  return page;
}

export const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });

/**
 * Picks an option of an antd Select or TreeSelect that is open. An option clicked while its dropdown is still
 * sliding in can be lost (the dropdown then stays open over the dialog): wait until the dropdown has settled,
 * click, and wait until it has closed.
 */
export async function choose(page: Page, text: string) {
  const options = '.ant-select-item-option, .ant-select-tree-node-content-wrapper';
  const dropdown = page.locator('.ant-select-dropdown:visible', { has: page.locator(options, { hasText: text }) }).last();
  const option = dropdown.locator(options, { hasText: text }).first();
  try {
    await dropdown.waitFor();
    await expect.poll(() => dropdown.getAttribute('class')).not.toMatch(/-(enter|appear)/);
    const multiple = (await page.locator('.ant-select-open.ant-select-multiple').count()) > 0;
    await option.click();
    // a single choice closes its dropdown; wait for that, so that nothing is left lying over the dialog's buttons
    if (!multiple) await expect.poll(() => page.locator('.ant-select-open').count()).toBe(0);
  } catch (e) {
    const html = await page.locator('.ant-select-dropdown, .ant-tree-select-dropdown').evaluateAll((els) => els.map((x) => (x as unknown as { outerHTML: string }).outerHTML.slice(0, 3000)));
    throw new Error(`no option "${text}" in the open dropdown: ${html.join('\n---\n')}`, { cause: e });
  }
}

/**
 * The dialog on screen once it has finished opening: a click during its zoom-in animation can land on nothing, so
 * whoever clicks in a dialog waits for this first.
 */
export async function openDialog(p: Page) {
  const dialog = p.locator('.ant-modal:visible');
  await dialog.waitFor();
  await expect.poll(() => dialog.getAttribute('class')).not.toMatch(/zoom-appear|zoom-enter/);
  return dialog;
}

/** 打开案件 on the receipt: waits for the receipt to settle, opens the case and waits for its page. */
export async function openFromReceipt(p: Page) {
  await openDialog(p);
  await p.getByTestId('receipt-open').click();
  await p.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
  await p.getByTestId('actions').waitFor();
}
