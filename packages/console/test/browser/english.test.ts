import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { browserAvailable, desk, phone, shot, startHarness, type Harness } from './harness.ts';

/**
 * Every screen in en-US: the interface itself (menus, labels, column heads, buttons, tabs, titles) shows
 * no Chinese — the data (names of places and organisations) of course may.
 */
const CHROME = [
  '[data-testid=menu]', '.ant-form-item-label', 'th', '.ant-btn', '.ant-tabs-tab', '.ant-card-head-title', '.ant-descriptions-item-label',
  '.ant-statistic-title', '.ant-modal-title', '.ant-select-selection-placeholder', '.ant-empty-description', 'h1',
].join(', ');
const CJK = /[\u3400-\u9fff]/;

let h: Harness;
beforeAll(async () => { if (browserAvailable) h = await startHarness(); }, 180_000);
afterAll(async () => { await h?.close(); });

async function chromeText(page: Page): Promise<string[]> {
  await page.waitForLoadState('networkidle');
  // the language switch names the other language in that language (中文): it is not a translation
  return page.locator(CHROME).evaluateAll((els) => els
    .filter((e) => (e as unknown as { getAttribute(n: string): string | null }).getAttribute('data-testid') !== 'language')
    .map((e) => (e as unknown as { innerText: string }).innerText.trim()).filter(Boolean));
}
async function expectEnglish(page: Page, where: string) {
  const texts = await chromeText(page);
  expect(texts.length, where).toBeGreaterThan(0);
  expect(texts.filter((t) => CJK.test(t)), where).toEqual([]);
}

describe.skipIf(!browserAvailable)('English interface', () => {
  it('every console page of an administrator and of intake staff', async () => {
    const admin = await desk(h, 'admin', 'en-US');
    for (const [path, name] of [['/', 'workbench'], ['/cases', 'cases'], ['/areas', 'areas'], ['/organizations', 'organizations'], ['/users', 'users'], ['/audit', 'audit']] as const) {
      await admin.goto(path);
      await admin.getByTestId('menu').waitFor();
      await expectEnglish(admin, path);
      if (name === 'workbench') await shot(admin, `en-${name}`);
    }
    await admin.goto('/settings');
    for (const tab of ['Categories', 'Deadlines', 'Working-day calendar']) {
      await admin.locator('.ant-tabs-tab', { hasText: tab }).click();
      await expectEnglish(admin, `/settings ${tab}`);
    }
    await shot(admin, 'en-settings');

    const intake = await desk(h, 'village', 'en-US');
    await intake.goto('/intake');
    await intake.getByTestId('intake-form').waitFor();
    await expectEnglish(intake, '/intake');
    await shot(intake, 'en-intake');
    // a case and its action dialog
    const created = await h.ctx.services.cases.createPublic({ channel: 'mobile_web', placeCode: '220102200001G01', categoryId: 1, description: 'English check' }, null);
    await intake.goto(`/cases?number=${created.number}`);
    // the case's category is named in English in the list and on the case, not only in the pickers
    await expect.poll(() => intake.locator('[data-testid=case-table] tr.ant-table-row').first().innerText()).toContain('Appeals');
    await intake.getByTestId('case-link').click();
    await intake.getByTestId('actions').waitFor();
    await expectEnglish(intake, 'case detail');
    await expect.poll(() => intake.getByTestId('case-category').innerText()).not.toMatch(CJK);

    await intake.getByTestId('action-accept').click();
    await intake.locator('.ant-modal:visible').waitFor();
    await expectEnglish(intake, 'accept dialog');
    await shot(intake, 'en-case-accept');
  }, 180_000);

  it('the resident page and the grid worker’s phone', async () => {
    const resident = await (await phone(h, 'en-US')).newPage();
    await resident.goto('/m/?place=220102200001G01');
    await resident.getByTestId('m-form').waitFor();
    await expect.poll(() => resident.getByTestId('m-report-title').textContent()).toBe('Report a problem');
    await expectEnglish(resident, '/m/');
    await shot(resident, 'en-resident');

    const grid = await desk(h, 'gridworker', 'en-US');
    await grid.setViewportSize({ width: 390, height: 844 });
    await grid.getByTestId('grid-mode').waitFor();
    await expectEnglish(grid, 'grid worker');
    await grid.locator('.ant-tabs-tab', { hasText: 'Report' }).click();
    await expectEnglish(grid, 'grid worker report');
    await shot(grid, 'en-grid-report');
  }, 120_000);

  it('the API reference at /docs renders under the same Content-Security-Policy, and no page of the run was refused anything', async () => {
    const page = await (await phone(h, 'en-US')).newPage();
    await page.setViewportSize({ width: 1366, height: 900 });
    await page.goto('/docs/');
    await page.locator('.swagger-ui .opblock').first().waitFor();
    // Swagger UI renders the operations near the viewport only: its title and the first operations show it works
    await expect.poll(() => page.locator('section.swagger-ui .info .title').innerText()).toContain('Fengqiao API');
    expect(await page.locator('.swagger-ui .opblock').count()).toBeGreaterThan(3);
    expect(h.cspViolations).toEqual([]);
  });
});
