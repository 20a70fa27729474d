import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, desk, phone, SHOTS, signIn, startHarness, type Harness } from './harness.ts';

/**
 * A tour for reviewers: every page of the console each kind of user reaches from the menu (plus the wall screen
 * and the leader's phone view), at a desk (1366×900) and on a phone (390×844), saved under
 * .test-artifacts/screenshots/tour/, so that the whole product can be looked at in a minute. Every page must
 * render without a script error and show its content, not the 404 page.
 */
let h: Harness;
beforeAll(async () => { if (browserAvailable) h = await startHarness(); }, 180_000);
afterAll(async () => { await h?.close(); });

/** The pages in the menu of the signed-in user, by the path each entry opens. */
const menuPaths = (p: Page) => p.locator('[data-testid=menu] [data-menu-id]').evaluateAll((els) =>
  els.map((e) => { const id = (e as unknown as { getAttribute(n: string): string }).getAttribute('data-menu-id'); return id.slice(id.indexOf('/')); }));
const fileName = (user: string, size: string, route: string) => path.join('tour', `${user}-${size}-${route === '/' ? 'workbench' : route.slice(1).replaceAll('/', '-')}`);

describe.skipIf(!browserAvailable)('the product tour (screenshots of every page)', () => {
  // between them these three reach every page of the menu
  for (const user of ['admin', 'dispatcher', 'leader']) {
    it(`${user}: every menu page at a desk and on a phone`, { timeout: 300_000 }, async () => {
      const d = await desk(h, user);
      const errors: string[] = [];
      d.on('pageerror', (e) => errors.push(e.message));
      const routes = [...await menuPaths(d), ...(user === 'leader' ? ['/leader', '/screen'] : [])];
      expect(routes.length).toBeGreaterThan(1);
      const m = await signIn(await (await phone(h)).newPage(), user);
      m.on('pageerror', (e) => errors.push(e.message));
      for (const [page, size] of [[d, 'desk'], [m, 'phone']] as const) {
        for (const route of routes) {
          await page.goto(route);
          await page.waitForLoadState('networkidle');
          await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => {});
          expect(await page.getByTestId('not-found').count(), route).toBe(0);
          await page.screenshot({ path: path.join(SHOTS, `${fileName(user, size, route)}.png`), fullPage: route !== '/screen' });
        }
      }
      expect(errors).toEqual([]);
    });
  }
});
