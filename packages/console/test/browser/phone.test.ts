import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { systemActor } from '../../../server/src/access/actor.ts';
import { DEMO_PASSWORD } from '../../../server/test/helpers/demo.ts';
import { browserAvailable, choose, phone, shot, signIn, startHarness, type Harness } from './harness.ts';

/**
 * The phone as grid workers and leaders meet it (390×844): the patrol report with the phone's location and
 * 已现场处理 in one form; the case and the grid opened from the phone stay in the phone layout and fit its
 * width (no sideways scrolling, no label broken into one character a line); the way back leads to the phone.
 */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
let h: Harness;
let taskId = '';
let inside: { lon: number; lat: number };
beforeAll(async () => {
  if (!browserAvailable) return;
  h = await startHarness();
  const sys = systemActor();
  const grid = (await h.ctx.services.areas.list(sys, { q: '220102200001G01', limit: 5 })).items.find((a) => a.level === 'grid')!;
  const [lon, lat] = (await h.ctx.services.grids.map(sys, grid.id)).features.find((f) => f.properties.id === grid.id)!.properties.center as [number, number];
  inside = { lon, lat };
  // a resident's report waiting in grid 1: a task the grid worker can handle on the spot
  const { number } = await h.ctx.services.cases.createPublic({ channel: 'qr_code', placeCode: '220102200001G01', categoryId: 1, description: '楼道里堆满了纸箱和旧家具，挡住了消防通道' }, null);
  taskId = (await h.ctx.services.cases.list(sys, { number, limit: 1 })).items[0]!.id;
}, 180_000);
afterAll(async () => { await h?.close(); });

/** How far the page reaches past the screen's right edge (0 when it fits). */
const overflow = (p: Page) => p.evaluate(() => {
  const d = (globalThis as unknown as { document: { documentElement: { scrollWidth: number; clientWidth: number } } }).document.documentElement;
  return d.scrollWidth - d.clientWidth;
});
/** The tallest label of a details list: a label broken one character a line is several lines high. */
const tallestLabel = (p: Page, selector = '.ant-descriptions-item-label, .ant-table-thead th') => p.locator(selector).evaluateAll((els) => Math.max(0, ...els.map((e) => (e as unknown as { getBoundingClientRect(): { height: number } }).getBoundingClientRect().height)));

describe.skipIf(!browserAvailable)('the phone', () => {
  it('a grid worker reports from patrol with the phone’s location and handles it on the spot; the case and the grid fit the phone', { timeout: 300_000 }, async () => {
    const context = await phone(h);
    await context.grantPermissions(['geolocation']);
    await context.setGeolocation({ longitude: inside.lon, latitude: inside.lat, accuracy: 10 });
    const p = await context.newPage();
    await p.goto('/');
    await p.locator('#username').fill('gridworker');
    await p.locator('#password').fill(DEMO_PASSWORD);
    await p.locator('button[type=submit]').click();
    await p.getByTestId('grid-mode').waitFor();
    await expect.poll(() => p.getByTestId('grid-case').count()).toBeGreaterThanOrEqual(1);
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    await shot(p, 'phone-grid-tasks');

    // the patrol form: no reporter fields, the phone's location, the result and its photo in the same form
    await p.locator('.ant-tabs-tab', { hasText: '上报' }).click();
    const form = p.getByTestId('patrol-form');
    await form.waitFor();
    expect(await form.locator('[data-testid=intake-name], [data-testid=intake-phone], [data-testid=intake-channel]').count()).toBe(0);
    await p.locator('[data-testid=patrol-photos]').locator('xpath=ancestor::span[contains(@class,"ant-upload")]').locator('input[type=file]').first()
      .setInputFiles({ name: 'found.png', mimeType: 'image/png', buffer: PNG });
    await p.getByTestId('patrol-description').fill('3号楼东侧窨井盖破损，晚上有行人踩空的危险');
    await p.getByTestId('patrol-category').click();
    await p.keyboard.type('道路');
    await choose(p, '道路与公共设施');
    await p.getByTestId('patrol-locate').click();
    await expect.poll(() => p.getByTestId('patrol-grid').textContent()).toContain('第1网格');
    expect(await p.getByTestId('patrol-spot').textContent()).toContain(inside.lon.toFixed(6));
    // a tap on the map moves the spot
    const before = await p.getByTestId('patrol-spot').textContent();
    const box = (await p.getByTestId('patrol-map').boundingBox())!;
    await p.mouse.click(box.x + box.width / 2 + 6, box.y + box.height / 2 + 4);
    await expect.poll(() => p.getByTestId('patrol-spot').textContent()).not.toBe(before);
    await p.getByTestId('patrol-handled').check();
    await p.getByTestId('patrol-result').fill('已联系物业更换井盖并设置警示');
    await p.locator('[data-testid=patrol-result-photos]').locator('xpath=ancestor::span[contains(@class,"ant-upload")]').locator('input[type=file]').first()
      .setInputFiles({ name: 'fixed.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => p.locator('.ant-upload-list-item-done').count()).toBe(2);
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    await shot(p, 'phone-patrol-form');
    await p.getByTestId('patrol-submit').click();
    await expect.poll(() => p.getByTestId('patrol-done').getAttribute('data-status')).toBe('replied');
    await shot(p, 'phone-patrol-done');

    // the case opens in the phone layout: labels above values, photos of the find and of the result, the step on the timeline
    await p.getByTestId('patrol-open').click();
    await p.getByTestId('phone-shell').locator('[data-testid=case-number]').waitFor();
    await expect.poll(() => p.locator('[data-testid=timeline-item][data-action=handle_on_spot]').count()).toBe(1);
    expect(await p.locator('[data-testid=attachments] img').count()).toBe(2);
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    expect(await tallestLabel(p)).toBeLessThan(40);
    await shot(p, 'phone-case-on-spot');
    await p.getByTestId('back-to-list').click();
    await p.getByTestId('grid-mode').waitFor();

    // a task: the resident's report, handled from the case page
    await p.goto(`/cases/${taskId}`);
    await p.getByTestId('phone-shell').locator('[data-testid=action-handle_on_spot]').waitFor();
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    expect(await tallestLabel(p)).toBeLessThan(40);
    await shot(p, 'phone-case-task');

    // my grid's registry, and the way back
    await p.getByTestId('phone-back').click();
    await p.getByTestId('grid-mode').waitFor();
    await p.locator('.ant-tabs-tab', { hasText: '我的网格' }).click();
    await p.getByTestId('my-grid-registry').click();
    await p.getByTestId('grid-title').waitFor();
    await p.getByTestId('grid-workers').waitFor();
    expect(await overflow(p)).toBeLessThanOrEqual(0);
    expect(await tallestLabel(p)).toBeLessThan(48);
    // the grid's name is shown whole, not cut to 惠民嘉苑第…
    expect(await p.getByTestId('grid-title').evaluate((e) => { const x = e as unknown as { scrollWidth: number; clientWidth: number }; return x.scrollWidth - x.clientWidth; })).toBeLessThanOrEqual(0);
    await shot(p, 'phone-grid-registry');
    await p.getByTestId('phone-back').click();
    await p.getByTestId('grid-mode').waitFor();
    expect(h.cspViolations).toEqual([]);
  });

  it('a leader on a phone: the leader view, a case from it, the workbench, the case list and the command center fit 390 px', { timeout: 300_000 }, async () => {
    const p = await signIn(await (await phone(h)).newPage(), 'leader');
    for (const [path, ready] of [['/leader', 'leader-view'], [`/cases/${taskId}`, 'case-number'], ['/', 'whoami'], ['/cases', 'case-table'], ['/command', 'whoami']] as const) {
      await p.goto(path);
      await p.getByTestId(ready).first().waitFor();
      expect(await tallestLabel(p), path).toBeLessThan(48);
      await p.waitForLoadState('networkidle');
      expect(await overflow(p), path).toBeLessThanOrEqual(0);
      await shot(p, `phone-leader-${path === '/' ? 'workbench' : path.split('/')[1]}${path.split('/').length > 2 ? '-page' : ''}`);
    }
  });
});
