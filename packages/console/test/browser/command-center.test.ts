import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { systemActor } from '../../../server/src/access/actor.ts';
import { browserAvailable, desk, phone, shot, signIn, startHarness, type Harness } from './harness.ts';

/**
 * The command center as a district leader meets it: figures that open the cases behind them, the ranking as
 * Excel, the big screen at 1920×1080 that counts a new case without reloading, and the leader's phone view.
 */
let h: Harness;
const sys = systemActor();
async function report(areaCode: string, categoryCode: string, extra: Record<string, unknown> = {}) {
  const area = (await h.ctx.services.areas.list(sys, { q: areaCode, limit: 5 })).items.find((a) => a.code === areaCode)!;
  const category = (await h.ctx.services.categories.byCode(categoryCode))!;
  return h.ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: area.id, categoryId: category.id, description: '市民反映问题', ...extra }, null);
}
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  for (const [area, category] of [['220102200001', 'A01'], ['220102200001', 'A02'], ['220102001001', 'A01'], ['220102002001', 'H01']] as const) await report(area, category);
  await report('220102200001', 'D10', { description: '工人讨薪聚集', peopleInvolved: 40 });
  await h.ctx.services.commandCenter.warnings.evaluateAll();
}, 180_000);
afterAll(async () => { await h?.close(); });

const count = (v: string | null) => Number(v ?? 'NaN');

describe.skipIf(!browserAvailable)('the command center in the console', () => {
  it('figures open their cases; the ranking exports to Excel; the warning is acknowledged', { timeout: 300_000 }, async () => {
    const p = await desk(h, 'leader');
    await p.goto('/command');
    const n = p.getByTestId('figure-n');
    await n.waitFor();
    const received = Number(await n.innerText());
    expect(received).toBeGreaterThanOrEqual(5);
    await shot(p, 'command-center');
    await n.click();
    await p.getByTestId('metric-filter').waitFor();
    await expect.poll(() => p.getByTestId('case-link').count()).toBe(received); // the number shown = the list's length
    await p.goBack();
    await p.getByTestId('ranking').waitFor();
    const href = (await p.getByTestId('ranking-export').getAttribute('href'))!;
    const bytes = await p.evaluate(async (u) => Array.from(new Uint8Array(await (await fetch(u)).arrayBuffer())), href);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(bytes) as never);
    const ws = wb.worksheets[0]!;
    expect(String(ws.getRow(2).getCell(1).value)).toBe('排名');
    const units = ws.getRows(3, ws.rowCount - 2)?.map((r) => String(r.getCell(2).value)) ?? [];
    expect(units.length).toBeGreaterThanOrEqual(1);
    const warning = p.getByTestId('warning').first();
    await warning.waitFor();
    expect(await warning.getAttribute('data-level')).toBe('red');
    await warning.getByText('认领').click();
    await expect.poll(() => warning.innerText()).toContain('已认领');
    expect(h.cspViolations).toEqual([]);
  });

  it('the big screen at 1920×1080 counts a new case without reloading', { timeout: 300_000 }, async () => {
    const context = await h.browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'zh-CN', baseURL: h.base });
    const p = await signIn(await context.newPage(), 'leader');
    await p.goto('/screen');
    const today = p.getByTestId('screen-today');
    await expect.poll(() => today.getAttribute('data-value')).toMatch(/^\d+$/);
    const before = count(await today.getAttribute('data-value'));
    await p.getByTestId('screen-connection').and(p.locator('[data-connected=true]')).waitFor();
    const navigations: string[] = [];
    p.on('framenavigated', (f) => { if (f === p.mainFrame()) navigations.push(f.url()); });
    await report('220102200001', 'A03');
    await expect.poll(async () => count(await today.getAttribute('data-value')), { timeout: 30_000 }).toBe(before + 1);
    expect(navigations).toEqual([]); // no reload
    await shot(p, 'big-screen');
    await context.close();
  });

  it('the leader’s phone view: today, my cases, red and orange warnings, at 390 px', { timeout: 300_000 }, async () => {
    const mobile = await signIn(await (await phone(h)).newPage(), 'leader');
    await mobile.goto('/leader');
    await mobile.getByTestId('leader-today').waitFor();
    await expect.poll(() => mobile.getByTestId('leader-warnings').locator('.ant-list-item').count()).toBeGreaterThanOrEqual(1);
    const overflow = await mobile.evaluate(() => { const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return d.scrollWidth - d.clientWidth; });
    expect(overflow).toBeLessThanOrEqual(0);
    await shot(mobile, 'leader-phone');
    expect(h.cspViolations).toEqual([]);
  });
});
