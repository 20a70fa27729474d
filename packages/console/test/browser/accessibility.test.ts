import fs from 'node:fs';
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { trackingPath } from '@fengqiao/contracts/links';
import { browserAvailable, phone, shot, startHarness, type Harness } from './harness.ts';

/**
 * Accessibility (GB/T 37668-2019 信息无障碍, in line with WCAG 2.x): the pages a resident and a signing-in member
 * of staff meet are checked by axe-core in the browser, at phone and desk sizes, in both languages; no serious or
 * critical violation is allowed.
 */
const AXE = fs.readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
let h: Harness;
let track = '';
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  const r = await h.ctx.services.cases.createPublic({ channel: 'qr_code', placeCode: '220102200001G01', categoryId: 1, description: '单元门禁坏了，陌生人随意进出' }, null);
  track = trackingPath(r.number, r.trackingSecret);
}, 180_000);
afterAll(async () => { await h?.close(); });

interface Violation { id: string; impact: string | null; help: string; nodes: { target: string[] }[] }
/** axe-core's serious and critical findings on the page as it stands (the script is evaluated, not injected, so the page's CSP is untouched). */
async function audit(p: Page): Promise<string[]> {
  await p.evaluate(`${AXE}\n;0`);
  const found = await p.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: Violation[] }> } }).axe;
    const r = await axe.run((globalThis as unknown as { document: unknown }).document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }, resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  });
  return found.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

describe.skipIf(!browserAvailable)('accessibility (axe-core)', () => {
  for (const locale of ['zh-CN', 'en-US']) {
    it(`the resident page (report, receipt lookup, tracking) and the sign-in page, ${locale}`, { timeout: 240_000 }, async () => {
      const context = await phone(h, locale);
      await context.addInitScript({ content: `localStorage.setItem('fq.locale', ${JSON.stringify(locale)});` });
      const p = await context.newPage();
      const pages: [string, string][] = [['/m/?place=220102200001G01', 'm-form'], ['/m/track', 'm-lookup'], [track, 'm-status'], ['/', 'login-form']];
      for (const [path, ready] of pages) {
        await p.goto(path);
        await p.getByTestId(ready).waitFor({ state: 'attached' });
        await p.waitForLoadState('networkidle');
        expect(await audit(p), `${locale} ${path}`).toEqual([]);
      }
      // the sign-in page at a desk as well
      await p.setViewportSize({ width: 1366, height: 900 });
      await p.goto('/');
      await p.getByTestId('login-form').waitFor();
      expect(await audit(p), `${locale} sign-in at a desk`).toEqual([]);
      await shot(p, `a11y-sign-in-${locale}`);
    });
  }
});
