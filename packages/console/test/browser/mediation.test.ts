import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import JSZip from 'jszip';
import { systemActor } from '../../../server/src/access/actor.ts';
import { withCreditCheck, withIdCheck } from '../../../server/src/modules/registry/identifiers.ts';
import { browserAvailable, choose, desk, openDialog, phone, shot, signIn, startHarness, type Harness } from './harness.ts';

/**
 * 南靖县's story in the console: a dispute among a villager, a village committee and a company is registered at
 * the county center's window, accepted, given the two mediators the pool recommends, assessed jointly with a
 * legal opinion, mediated in two sessions, settled; the agreement is downloaded as Word and read; it is referred
 * for judicial confirmation, confirmed, and the mediation closed.
 */
let h: Harness;
const VILLAGER_ID = withIdCheck('22010219700305123');
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  const sys = systemActor();
  const county = (await h.ctx.services.areas.list(sys, { q: '南关区', limit: 5 })).items.find((a) => a.level === 'county')!;
  const orgs = (await h.ctx.services.organizations.list(sys, { limit: 500 })).items;
  await h.ctx.services.mediation.createMediator(sys, { name: '林律师', affiliation: '公益律师', specialties: ['land_acquisition', 'contract'], areaId: county.id });
  await h.ctx.services.mediation.createMediator(sys, { name: '陈调解', affiliation: '南关区司法局', specialties: ['land_acquisition'], areaId: county.id });
  await h.ctx.services.mediation.createMediator(sys, { name: '王调解', affiliation: '南关区妇联', specialties: ['marriage_family'], areaId: county.id });
  await h.ctx.services.mediation.createRoom(sys, { name: '矛盾纠纷调处室', organizationId: orgs.find((o) => o.name === '南关区综治中心')!.id });
}, 180_000);
afterAll(async () => { await h?.close(); });

const status = (p: Page) => p.getByTestId('mediation-status').first().getAttribute('data-status');
/** Opens an action's dialog, waits until it has what it offers, lets `fill` fill it, submits and waits for it to close. */
async function act(p: Page, action: string, fill?: () => Promise<void>) {
  await p.getByTestId(`maction-${action}`).click();
  const dialog = await openDialog(p);
  await dialog.locator('[data-testid=dialog-state][data-ready=true]').waitFor({ state: 'attached' });
  if (fill) await fill();
  await p.getByTestId('mediation-submit').click();
  try {
    await dialog.waitFor({ state: 'hidden' });
  } catch (e) {
    const problems = await dialog.locator('[data-testid=mediation-error], .ant-form-item-explain-error').allTextContents();
    throw new Error(`${action} did not go through: ${problems.join('; ') || 'no message shown'}`, { cause: e });
  }
}
/** Picks an option of the select with this test id (in the open dialog or page). */
async function pick(p: Page, testId: string, text: string) {
  // the previous picker's dropdown must be gone first, or its options would answer for this one; a tree picker may
  // stay open after its pick, and a click on the dialog's title closes it (Escape would close the dialog too)
  const open = p.locator('.ant-select-dropdown:visible');
  if (await open.count()) await p.locator('.ant-modal:visible .ant-modal-title').click();
  await expect.poll(() => open.count()).toBe(0);
  const field = testId.startsWith('mfield-') ? p.locator(`.ant-modal:visible [data-testid=${testId}]`) : p.locator(`[data-testid=${testId}]`).last();
  await field.click();
  // an option clicked while its dropdown is still sliding in can be lost: wait until the dropdown has settled
  const dropdown = p.locator('.ant-select-dropdown:visible').last();
  await dropdown.waitFor();
  await expect.poll(() => dropdown.getAttribute('class')).not.toMatch(/-(enter|appear)/);
  await choose(p, text); // waits for the option in the dropdown that opened
  // an action's field shows what was picked before the dialog is sent
  if (testId.startsWith('mfield-')) {
    try {
      await expect.poll(() => field.innerText(), { timeout: 10_000 }).toContain(text);
    } catch (e) {
      throw new Error(`${testId} does not show "${text}": ${(await field.evaluate((el) => (el as unknown as { outerHTML: string }).outerHTML)).slice(0, 1500)}`, { cause: e });
    }
  }

}
async function typeTime(p: Page, testId: string, value: string) {
  const input = p.locator(`[data-testid=${testId}] input, input[data-testid=${testId}]`).first();
  await input.click();
  await input.fill(value);
  await input.press('Enter');
  await expect.poll(() => input.inputValue()).toBe(value);
  await expect.poll(() => p.locator('.ant-picker-dropdown:visible').count()).toBe(0);
}

describe.skipIf(!browserAvailable)('dispute mediation in the console', () => {
  it('南靖县: register, accept, assign the recommended pair, assess, two sessions, agreement as Word, judicial confirmation, close', { timeout: 600_000 }, async () => {
    const p = await desk(h, 'dispatcher'); // 南关区综治中心
    await p.goto('/mediations');
    await p.getByTestId('mediation-queues').waitFor();
    await p.getByTestId('register-dispute').click();
    const dialog = await openDialog(p);
    await pick(p, 'reg-area', '南关区');
    await pick(p, 'reg-category', '征地拆迁纠纷');
    await pick(p, 'reg-type', '征地拆迁');
    await p.getByTestId('reg-description').fill('村民、村委会与企业因征地补偿款分配发生纠纷');
    await p.getByTestId('party-name-0').fill('黄国明');
    await p.getByTestId('party-id-0').fill(VILLAGER_ID);
    await p.getByTestId('party-phone-0').fill('13912340001');
    await pick(p, 'party-kind-1', '法人或组织');
    await p.getByTestId('party-name-1').fill('长春某置业有限公司');
    await p.getByTestId('party-id-1').fill(withCreditCheck('91220102MA0000001'));
    await p.getByTestId('add-party').click();
    await pick(p, 'party-kind-2', '法人或组织');
    await p.getByTestId('party-name-2').fill('惠民嘉苑社区居民委员会');
    await dialog.locator('.ant-modal-footer .ant-btn-primary').click();
    try {
      await p.getByTestId('mediation-number').waitFor({ timeout: 30_000 });
    } catch (e) {
      await shot(p, 'mediation-register-failed');
      const problems = await dialog.locator('[data-testid=register-error], .ant-form-item-explain-error').allTextContents();
      throw new Error(`registering did not go through: ${problems.join('; ') || 'no message shown'}`, { cause: e });
    }
    expect(await status(p)).toBe('applied');
    expect(await p.getByTestId('parties').innerText()).toContain('黄*明');

    await act(p, 'accept');
    await expect.poll(() => status(p)).toBe('accepted');
    await expect.poll(() => p.getByTestId('recommendation').count()).toBeGreaterThanOrEqual(2);
    const top2 = (await p.getByTestId('recommendation').allInnerTexts()).slice(0, 2).join(' ');
    expect(top2).toContain('陈调解');
    expect(top2).toContain('林律师');
    await act(p, 'assign', async () => {
      await pick(p, 'mfield-leadMediatorId', '陈调解');
      await pick(p, 'mfield-teamIds', '林律师');
      await p.keyboard.press('Escape'); // a multiple select stays open after a pick
    });
    await expect.poll(() => status(p)).toBe('in_mediation');
    await expect.poll(() => p.getByTestId('mediation-team').innerText()).toContain('林律师');
    await act(p, 'assess', async () => {
      const tags = p.locator('[data-testid=mfield-participants] input').first();
      for (const who of ['南关区自然资源局', '南关区司法局', '公益律师']) { await tags.fill(who); await tags.press('Enter'); }
      await p.getByTestId('mfield-opinion').fill('依据《土地管理法》第四十八条，征地补偿款应依法足额支付并按集体决议分配。');
    });
    await p.getByTestId('assessment').waitFor();
    for (const [start, end] of [['2030-01-07 09:00', '2030-01-07 11:00'], ['2030-01-14 09:00', '2030-01-14 11:00']] as const) {
      await act(p, 'schedule_session', async () => {
        await typeTime(p, 'mfield-startsAt', start);
        await typeTime(p, 'mfield-endsAt', end);
        await pick(p, 'mfield-roomId', '矛盾纠纷调处室');
      });
    }
    await expect.poll(() => p.getByTestId('session-status').count()).toBe(2);
    for (let i = 0; i < 2; i++) {
      await act(p, 'record_session', async () => {
        await expect.poll(() => p.locator('.ant-select-dropdown:visible').count()).toBe(0);
        await p.locator('.ant-modal:visible [data-testid=mfield-sessionId]').click();
        const dropdown = p.locator('.ant-select-dropdown:visible').last();
        await dropdown.waitFor();
        await expect.poll(() => dropdown.getAttribute('class')).not.toMatch(/-(enter|appear)/);
        const option = dropdown.locator('.ant-select-item-option').first();
        const when = (await option.innerText()).trim();
        await option.click();
        await expect.poll(() => p.locator('.ant-modal:visible [data-testid=mfield-sessionId]').innerText()).toContain(when);
        const who = p.locator('[data-testid=mfield-attendance] input').first();
        for (const x of ['申请人', '被申请人代理人']) { await who.fill(x); await who.press('Enter'); }
        await p.getByTestId('mfield-minutes').fill('各方陈述意见，调解员释法说理。');
      });
    }
    await expect.poll(async () => (await p.getByTestId('session-status').evaluateAll((els) => els.map((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-status')))).join(',')).toBe('held,held');
    await shot(p, 'mediation-dispute-in-session');
    await act(p, 'conclude', async () => {
      await pick(p, 'mfield-outcome', '调解成功');
      await p.getByTestId('mfield-terms').fill('一、被申请人于2027年1月31日前支付补偿款人民币86万元；二、第三人按村民会议决议分配。');
    });
    await expect.poll(() => status(p)).toBe('agreed');
    const number = (await p.getByTestId('agreement-number').innerText()).trim();
    expect(number).toMatch(/^〔\d{4}〕南调字第\d+号$/);

    // the Word file, fetched as the browser would download it, holds the parties, the number and the terms
    const href = (await p.getByTestId('agreement-docx').getAttribute('href'))!;
    const base64 = await p.evaluate(async (u) => {
      const buf = new Uint8Array(await (await fetch(u)).arrayBuffer());
      let s = '';
      for (const b of buf) s += String.fromCharCode(b);
      return btoa(s);
    }, href);
    const xml = await (await JSZip.loadAsync(Buffer.from(base64, 'base64'))).file('word/document.xml')!.async('string');
    for (const text of ['人民调解协议书', number, '黄国明', '长春某置业有限公司', '惠民嘉苑社区居民委员会', '86万元', '陈调解']) expect(xml, text).toContain(text);

    await act(p, 'refer_confirmation', async () => { await pick(p, 'mfield-courtOrgId', '南关区人民法院'); });
    await p.getByTestId('confirmation').waitFor();
    await act(p, 'record_ruling', async () => { await pick(p, 'mfield-ruling', '确认有效'); });
    await expect.poll(() => p.getByTestId('confirmation').innerText()).toContain('确认有效');
    // the signed paper comes back as a scan
    await act(p, 'file_signed_agreement', async () => {
      await p.locator('.ant-modal:visible input[type=file]').setInputFiles({ name: '签署协议.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n') });
      await p.locator('.ant-modal:visible .ant-upload-list-item-done, .ant-modal:visible .ant-upload-list-item-error').first().waitFor();
      expect(await p.locator('.ant-modal:visible .ant-upload-list-item-error').count()).toBe(0);
    });
    await expect.poll(() => p.getByTestId('signed-scan').innerText()).toContain('已上传签署的协议');
    await shot(p, 'mediation-dispute-page');
    await act(p, 'close');
    await expect.poll(() => status(p)).toBe('closed');

    const disputePath = new URL(p.url()).pathname;
    await p.goto('/mediations');
    await expect.poll(() => p.getByTestId('mediation-link').count()).toBeGreaterThanOrEqual(1);
    await shot(p, 'mediation-workbench');

    // on a phone (390 px) the workbench, the dispute page, the pool and the sweeps fit the screen's width
    const mobile = await signIn(await (await phone(h)).newPage(), 'dispatcher');
    for (const [path, ready] of [['/mediations', 'mediation-link'], [disputePath, 'agreement-number'], ['/mediation-pool', 'mediator-pool'], ['/sweeps', 'sweeps-page']] as const) {
      await mobile.goto(path);
      await mobile.getByTestId(ready).first().waitFor();
      const overflow = await mobile.evaluate(() => { const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement; return d.scrollWidth - d.clientWidth; });
      expect(overflow, path).toBeLessThanOrEqual(0);
      await shot(mobile, `mediation-phone-${path.split('/')[1]}${path.split('/').length > 2 ? '-page' : ''}`);
    }
    expect(h.cspViolations).toEqual([]);
  });
});
