import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { systemActor } from '../../../server/src/access/actor.ts';
import { browserAvailable, choose, desk, openDialog, phone, shot, startHarness, type Harness } from './harness.ts';

/**
 * The closed loop through the real UI: a resident reports from a QR code on a phone → the community
 * accepts and sets the tier → its dispatcher dispatches to the housing bureau → the bureau signs for it,
 * handles and replies → the resident rates 不满意 → the case reopens → is handled again → 满意 → closed.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
let h: Harness;
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  // the community center's dispatcher, so that accepting and dispatching are two people as in the seeds
  const orgs = await h.ctx.services.organizations.list(systemActor(), { limit: 500 });
  const community = orgs.items.find((o) => o.name === '惠民嘉苑社区综治中心')!;
  await h.ctx.services.users.create(systemActor(), { username: 'village.dispatch', displayName: '陈调度', organizationId: community.id, roles: ['dispatcher'], password: 'Demo-password-2026' });
}, 180_000);
afterAll(async () => { await h?.close(); });

async function openFromQueue(page: Page, queue: string, number: string) {
  await page.goto('/');
  const card = page.getByTestId(`queue-${queue}`);
  await expect.poll(async () => Number((await card.locator('.ant-statistic-content-value').textContent()) ?? 0)).toBeGreaterThan(0);
  await card.click();
  await page.getByTestId('case-link').filter({ hasText: number }).click();
  await page.getByTestId('case-number').filter({ hasText: number }).waitFor();
}
async function act(page: Page, action: string, fill?: (p: Page) => Promise<void>) {
  await page.getByTestId(`action-${action}`).click();
  const dialog = await openDialog(page);
  await dialog.locator('[data-testid=dialog-state][data-ready=true]').waitFor({ state: 'attached' });
  if (fill) await fill(page);
  await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
  try {
    await dialog.waitFor({ state: 'hidden' });
  } catch (e) {
    const problems = await dialog.locator('[data-testid=action-error], .ant-form-item-explain-error').allTextContents();
    throw new Error(`${action} did not go through: ${problems.join('; ') || 'no message shown'}`, { cause: e });
  }
}
/** An element's attributes, without the DOM library in the test's types. */
interface Attr { getAttribute(name: string): string | null }
const statusOf = (page: Page) => page.getByTestId('status').first().getAttribute('data-status');
/** What the screen offers equals what the API says this user may do now. */
async function actionsMatchApi(page: Page, id: string) {
  const shown = await page.getByTestId('actions').locator('button').evaluateAll((bs) => bs.map((b) => (b as unknown as Attr).getAttribute('data-testid')!.replace('action-', '')));
  const api = await page.evaluate(async (caseId) => ((await (await fetch(`/api/v1/cases/${caseId}`)).json()) as { case: { allowedActions: string[] } }).case.allowedActions, id);
  expect([...shown].sort()).toEqual([...api].sort());
}

describe.skipIf(!browserAvailable)('the closed loop in a real browser', () => {
  it('QR report → accept → dispatch → sign for → reply → 不满意 → reopened → reply → 满意 → closed', { timeout: 600_000 }, async () => {
    // ── a resident scans the QR code of grid 1 of 惠民嘉苑 on a phone
    const residentCtx = await phone(h);
    const resident = await residentCtx.newPage();
    await resident.goto('/m/?place=220102200001G01');
    await expect.poll(() => resident.getByTestId('m-place').textContent()).toContain('幸福乡');
    await resident.getByTestId('m-category').click();
    await choose(resident, '道路与公共设施');
    await resident.getByTestId('m-description').fill('小区门口路灯坏了一个月，晚上很黑，老人出门不安全');
    await resident.getByTestId('m-photo-input').setInputFiles({ name: 'lamp.png', mimeType: 'image/png', buffer: PNG });
    await resident.locator('[data-testid=m-photo-item][data-state=done]').waitFor();
    await resident.getByTestId('m-phone').fill('13912345678');
    await shot(resident, '01-resident-report');
    await resident.getByTestId('m-submit').click();
    const numberEl = resident.getByTestId('m-number');
    await numberEl.waitFor();
    const number = (await numberEl.textContent())!.trim();
    expect(number).toMatch(/^220102200001-\d{8}-\d{6}$/);
    expect(await resident.getByTestId('m-status').getAttribute('data-status')).toBe('pending_acceptance');
    expect(await resident.getByTestId('m-now').innerText()).toBe('已收到，等待受理'); // in a resident's words, not the office's
    const trackUrl = resident.url().replace(/&new=1$/, '');
    // the 查询码 in plain sight, and the receipt as a picture to keep in the album
    const code = (await resident.getByTestId('m-code').textContent())!.trim();
    expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    expect(trackUrl).toContain(`?s=${code.replace('-', '')}`);
    await resident.getByTestId('m-save-image').click();
    const picture = resident.getByTestId('m-receipt-image');
    await picture.waitFor();
    expect(await picture.evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(720);
    expect(await resident.evaluate(() => { const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return d.scrollWidth - d.clientWidth; })).toBeLessThanOrEqual(0);
    await shot(resident, '02-resident-received');

    // ── the community center accepts it as 一般 (the community owns it)
    const intake = await desk(h, 'village');
    await openFromQueue(intake, 'to_accept', number);
    expect(await intake.getByTestId('reporter-phone').textContent()).toBe('139****5678');
    await expect.poll(() => intake.getByTestId('attachments').locator('img').count()).toBe(1);
    const id = intake.url().split('/').pop()!;
    await actionsMatchApi(intake, id);
    await shot(intake, '03-intake-case');
    await act(intake, 'accept'); // the tier defaults to 一般
    await expect.poll(() => statusOf(intake)).toBe('pending_dispatch');
    expect(await intake.getByTestId('tier').textContent()).toBe('一般');

    // ── its dispatcher sends it to the district housing bureau
    const dispatcher = await desk(h, 'village.dispatch');
    await openFromQueue(dispatcher, 'to_dispatch', number);
    await act(dispatcher, 'dispatch', async (p) => {
      // the dialog is settled and its targets have loaded (act waited for both): one click opens the picker
      await p.locator('.ant-modal:visible .ant-select').click();
      await p.locator('.ant-select-dropdown:visible').waitFor();
      await choose(p, '南关区住房和城乡建设局');
    });
    await expect.poll(() => statusOf(dispatcher)).toBe('pending_signoff');
    expect(await dispatcher.getByTestId('assignee-org').textContent()).toBe('南关区住房和城乡建设局');
    await shot(dispatcher, '04-dispatched');

    // ── the bureau signs for it, handles it and replies
    const housing = await desk(h, 'housing');
    await openFromQueue(housing, 'to_sign', number);
    await actionsMatchApi(housing, id);
    expect(await housing.getByTestId('action-dispatch').count()).toBe(0); // a handler is never offered a dispatcher's action
    await act(housing, 'sign_for');
    await expect.poll(() => statusOf(housing)).toBe('in_progress');
    await act(housing, 'reply', async (p) => { await p.getByTestId('field-result').fill('已联系供电所更换灯泡'); });
    await expect.poll(() => statusOf(housing)).toBe('replied');

    // ── the resident is not satisfied: the light went out again
    await resident.goto(trackUrl);
    await expect.poll(() => resident.getByTestId('m-result').textContent()).toContain('更换灯泡');
    await resident.getByTestId('m-rating').getByText('不满意').click();
    await resident.getByTestId('m-comment').fill('第二天又不亮了');
    await shot(resident, '05-resident-rates');
    await resident.getByTestId('m-rate').click();
    await expect.poll(() => resident.getByTestId('m-status').getAttribute('data-status')).toBe('in_progress');
    // who has it now and what happened, as a resident would say it
    expect(await resident.getByTestId('m-now').innerText()).toBe('正在由 南关区住房和城乡建设局 办理');
    expect(await resident.getByTestId('m-event').last().innerText()).toMatch(/^您不满意，重新办理 · \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);

    // ── handled again: the reopened case is back with the bureau, on the timeline
    await housing.reload();
    await expect.poll(() => statusOf(housing)).toBe('in_progress');
    expect(await housing.locator('[data-testid=timeline-item][data-action=return_visit]').count()).toBe(1);
    await act(housing, 'reply', async (p) => {
      await p.getByTestId('field-result').fill('更换整套灯具并检修线路，已连续三晚正常');
      // a photo of the repaired lamp goes with the result
      await p.locator('.ant-modal:visible input[type=file]').setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: PNG });
      await expect.poll(() => p.locator('.ant-modal:visible .ant-upload-list-item-done').count()).toBe(1);
    });
    await expect.poll(() => statusOf(housing)).toBe('replied');
    await expect.poll(() => housing.getByTestId('attachments').locator('img').count()).toBe(2);
    await shot(housing, '06-replied-again');

    // ── the resident sees the reply with the photo of the repaired lamp, then is satisfied: closed
    await resident.goto(trackUrl);
    const photo = resident.getByTestId('m-result-photos').locator('img');
    await expect.poll(() => photo.count()).toBe(1);
    await expect.poll(() => photo.evaluate((e) => (e as unknown as { complete: boolean; naturalWidth: number }).complete && (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(1);
    await resident.getByTestId('m-rating').getByText('满意', { exact: true }).click();
    await resident.getByTestId('m-rate').click();
    await expect.poll(() => resident.getByTestId('m-status').getAttribute('data-status')).toBe('closed');
    expect(await resident.getByTestId('m-visit').textContent()).toBe('满意');
    await shot(resident, '07-resident-closed');

    await intake.reload();
    await expect.poll(() => statusOf(intake)).toBe('closed');
    const timeline = await intake.locator('[data-testid=timeline-item]').evaluateAll((els) => els.map((e) => (e as unknown as Attr).getAttribute('data-action')));
    expect(timeline).toEqual(['create', 'accept', 'dispatch', 'sign_for', 'reply', 'return_visit', 'reply', 'return_visit']);
    await shot(intake, '08-closed-timeline');
    expect(h.cspViolations).toEqual([]); // the security headers refused nothing the loop needed
  });
});
