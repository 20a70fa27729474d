import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../../server/src/access/actor.ts';
import { TEXTS } from '../../../server/test/helpers/triage-texts.ts';
import { browserAvailable, desk, openDialog, openFromReceipt, phone, shot, startHarness, type Harness } from './harness.ts';

/** A dispatcher types what a caller says; the form suggests the category, preselects a confident one, and keeps the choice as feedback. */
let h: Harness;
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  await h.ctx.services.triage.trainFromExamples(systemActor(), Object.entries(TEXTS).flatMap(([label, texts]) => texts.map((text) => ({ text, label }))));
}, 180_000);
afterAll(async () => { await h?.close(); });

describe.skipIf(!browserAvailable)('triage at the intake window', () => {
  it('typing a description shows suggestions and preselects a confident one', { timeout: 300_000 }, async () => {
    const p = await desk(h, 'dispatcher');
    await p.goto('/intake');
    await p.getByTestId('intake-description').fill('来电反映：楼上邻居每天深夜装修，噪音吵得老人孩子睡不着觉。');
    await p.getByTestId('triage-A09').waitFor();
    await p.getByTestId('triage-preselected').waitFor();
    expect(await p.getByTestId('intake-form').innerText()).toContain('噪音扰民');
    await shot(p, 'intake-triage');
    await p.getByTestId('intake-submit').click();
    await p.getByTestId('receipt-number').waitFor();
    const r = (await h.ctx.database.db.execute(sql`select f.chosen, c.code from triage_feedback f join categories c on c.id = f.chosen`)) as unknown as { rows: { code: string }[] };
    expect(r.rows.map((x) => x.code)).toEqual(['A09']);
    expect(h.cspViolations).toEqual([]);
  });

  it('the case list’s search finds a case by a word of its description and marks the word', { timeout: 300_000 }, async () => {
    const area = (await h.ctx.services.areas.list(systemActor(), { q: '220102200001', limit: 5 })).items.find((a) => a.code === '220102200001')!;
    const category = (await h.ctx.services.categories.byCode('A02'))!;
    const { case: c } = await h.ctx.services.cases.createByStaff(systemActor(), { channel: 'hotline', areaId: area.id, categoryId: category.id, description: '居民反映小区东门外的路灯已经坏了三天' }, null);
    const p = await desk(h, 'dispatcher');
    await p.goto('/cases');
    await p.getByTestId('case-table').waitFor();
    await p.getByTestId('filter-q').locator('input').fill('东门 路灯');
    await p.getByTestId('filter-q').locator('input').press('Enter');
    await expect.poll(() => p.getByTestId('case-link').allInnerTexts()).toEqual([c.number]);
    expect(await p.getByTestId('hit').allInnerTexts()).toEqual(['东门', '路灯']);
    await shot(p, 'case-search');
  });

  it('a report that repeats a recent case is flagged at intake, merged from its page, and the first case says "reported 2 times"', { timeout: 300_000 }, async () => {
    const area = (await h.ctx.services.areas.list(systemActor(), { q: '220102200001', limit: 5 })).items.find((a) => a.code === '220102200001')!;
    const category = (await h.ctx.services.categories.byCode('A02'))!;
    const { case: first } = await h.ctx.services.cases.createByStaff(systemActor(), {
      channel: 'hotline', areaId: area.id, categoryId: category.id, address: '南湖名都2号楼', description: '南湖名都2号楼门口的井盖丢了，留下一个大洞，晚上很危险',
    }, null);
    const p = await desk(h, 'dispatcher');
    await p.goto('/intake');
    await p.getByTestId('intake-description').fill('紧急！南湖名都2号楼井盖没了，已经有人差点踩空，请赶快补上');
    await p.getByTestId('intake-address').fill('南湖名都2号楼');
    const hint = p.getByTestId('similar').getByTestId('duplicate');
    await hint.first().waitFor();
    expect(await hint.first().getAttribute('data-number')).toBe(first.number);
    expect(await p.getByTestId('duplicate-reasons').first().innerText()).toMatch(/文字相似 \d+% · 地址相同/);
    await shot(p, 'intake-duplicate');
    await p.getByTestId('intake-submit').click();
    await openFromReceipt(p);
    // on the new case's page: what it looks like, and the merge offered with the number filled in
    await p.getByTestId('case-reports').getByTestId('merge-into').first().click();
    const dialog = await openDialog(p);
    expect(await p.getByTestId('field-masterCaseId').inputValue()).toBe(first.number);
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    await dialog.waitFor({ state: 'hidden' });
    await p.getByTestId('status').first().waitFor();
    expect(await p.getByTestId('status').first().getAttribute('data-status')).toBe('merged');
    await p.goto(`/cases/${first.id}`);
    await expect.poll(() => p.getByTestId('reported-times').innerText()).toBe('共反映 2 次');
    await shot(p, 'case-reported-twice');
    expect(h.cspViolations).toEqual([]);
  });

  it('a resident typing on a phone is offered the likely categories, the confident one chosen, another one tap away', { timeout: 300_000 }, async () => {
    const context = await phone(h);
    const p = await context.newPage();
    await p.goto('/m/?place=220102200001G01');
    await p.getByTestId('m-place').waitFor();
    await p.getByTestId('m-description').fill('我家楼上邻居天天半夜装修，电钻噪音吵得孩子睡不着觉');
    await p.getByTestId('m-triage-A09').waitFor();
    await expect.poll(() => p.getByTestId('m-category').innerText()).toContain('噪音扰民');
    await shot(p, 'resident-triage');
    await p.getByTestId('m-triage').locator('.ant-tag').filter({ hasNotText: '噪音扰民' }).first().click();
    await expect.poll(() => p.getByTestId('m-category').innerText()).not.toContain('噪音扰民');
    // without a QR code: the area level by level in the phone's own selects, none wider than the screen
    await p.goto('/m/');
    await p.getByTestId('m-area-0').selectOption({ index: 1 });
    await p.getByTestId('m-area-1').selectOption({ index: 1 });
    await p.getByTestId('m-area-2').waitFor();
    const overflow = await p.evaluate(() => { const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return d.scrollWidth - d.clientWidth; });
    expect(overflow).toBe(0);
    await shot(p, 'resident-area');
    await context.close();
    expect(h.cspViolations).toEqual([]);
  });
});
