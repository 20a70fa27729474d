import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PNG } from 'pngjs';
import jsQRModule from 'jsqr';
import { systemActor } from '../../../server/src/access/actor.ts';
import { browserAvailable, choose, desk, openDialog, openFromReceipt, phone, shot, startHarness, type Harness } from './harness.ts';

// jsqr is CommonJS: its default export is the exports object at run time
const jsQR = ((jsQRModule as unknown as { default?: unknown }).default ?? jsQRModule) as unknown as (data: Uint8ClampedArray, w: number, h: number) => { data: string } | null;

let h: Harness;
beforeAll(async () => { if (browserAvailable) h = await startHarness(); }, 180_000);
afterAll(async () => { await h?.close(); });

const CJK = /[\u3400-\u9fff]/;

describe.skipIf(!browserAvailable)('grid registry in the browser', () => {
  it('the township’s map draws every grid of the township from the stored GeoJSON', async () => {
    const sys = systemActor();
    const township = (await h.ctx.services.areas.list(sys, { q: '幸福乡', limit: 10 })).items.find((a) => a.level === 'township')!;
    const expected = await h.ctx.services.grids.map(sys, township.id);
    expect(expected.features.length).toBeGreaterThan(10);

    const page = await desk(h, 'intake'); // 幸福乡综治中心
    await page.goto('/map');
    const map = page.getByTestId('map');
    await map.waitFor();
    expect(Number(await map.getAttribute('data-grids'))).toBe(expected.features.length);
    // one SVG path per grid polygon at least (ECharts' SVG renderer), plus the legend and markers
    await page.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('[data-testid=map] svg path').length >= n, expected.features.length);
    expect(await page.locator('[data-testid=map] svg path').count()).toBeGreaterThanOrEqual(expected.features.length);
    await expect.poll(() => page.locator('.ant-card-head-title').innerText()).toContain('幸福乡');
    await shot(page, 'map-township');

    // another township's map is not theirs to see
    const nanling = (await h.ctx.services.areas.list(sys, { q: '南岭街道', limit: 10 })).items[0]!;
    await page.goto(`/map?area=${nanling.id}`);
    await page.locator('.ant-alert-error').waitFor();
  });

  it('a window report ends with a receipt whose QR code opens the case on the resident page', async () => {
    const page = await desk(h, 'village');
    await page.goto('/intake');
    await page.getByTestId('intake-form').waitFor();
    await page.getByTestId('intake-category').click();
    await page.keyboard.type('道路');
    await choose(page, '道路与公共设施');
    await page.getByTestId('intake-description').fill('居民到窗口反映：小区东门路灯损坏');
    await page.getByTestId('intake-name').fill('李秀英');
    await page.getByTestId('intake-phone').fill('13811112222');
    await page.getByTestId('intake-accept-now').check(); // 登记并受理: the community accepts its own window report at once
    await page.getByTestId('intake-submit').click();
    const number = (await page.getByTestId('receipt-number').textContent())!.trim();
    // the 查询码 read out in two groups of five, from characters nobody misreads
    const shown = (await page.getByTestId('receipt-secret').textContent())!.trim();
    expect(number).toMatch(/^220102200001-\d{8}-\d{6}$/);
    expect(shown).toMatch(/^[2-9A-HJKMNP-TV-Z]{5}-[2-9A-HJKMNP-TV-Z]{5}$/);
    const secret = shown.replace('-', '');
    const link = `${h.base}/m/track/${number}?s=${encodeURIComponent(secret)}`;
    expect((await page.getByTestId('receipt-link').innerText()).trim()).toBe(link);
    // read the QR code once the dialog has finished opening (while it zooms in, the code is scaled)
    const decodeQr = async () => {
      const png = PNG.sync.read(await page.getByTestId('receipt-qr').screenshot());
      return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
    };
    await expect.poll(decodeQr).toBe(link);
    expect(await page.getByTestId('receipt-due').innerText()).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/); // accepted: the reply date is known
    await shot(page, 'intake-receipt');
    // printed on A5: a document of its own — the center, number, code, masked reporter, clerk, stamp — and no buttons
    // the browser's print dialog would hold the new page; the test reads the page instead of printing it
    await page.context().addInitScript(() => { (globalThis as unknown as { print: () => void }).print = () => {}; });
    const [printout] = await Promise.all([page.context().waitForEvent('page'), page.getByTestId('receipt-print-a5').click()]);
    await printout.waitForLoadState();
    const text = await printout.locator('body').innerText();
    for (const part of ['受理回执', '惠民嘉苑社区综治中心', number, shown, '李*英 138****2222', '待派单', '陈社区', '（受理单位盖章）']) expect(text).toContain(part);
    expect(await printout.locator('button, a').count()).toBe(0);
    expect(await printout.locator('svg').count()).toBe(1);
    expect(await printout.content()).toContain('size: A5');
    await shot(printout, 'receipt-printout-a5');
    await printout.close();

    // the resident, at home, types the receipt's number and code into the resident page
    const resident = await (await phone(h)).newPage();
    await resident.goto('/m/');
    await resident.getByTestId('m-lookup-link').click();
    await resident.getByTestId('m-lookup-number').fill(number);
    await resident.getByTestId('m-lookup-secret').fill(shown.toLowerCase()); // as typed by hand: lower case, the dash kept
    await resident.getByTestId('m-lookup-submit').click();
    await expect.poll(() => resident.getByTestId('m-status').getAttribute('data-status')).toBe('pending_dispatch'); // accepted at the window
    expect(resident.url()).toBe(link);
    // a wrong code finds nothing
    await resident.goto('/m/track');
    await resident.getByTestId('m-lookup-number').fill(number);
    await resident.getByTestId('m-lookup-secret').fill(`${secret}x`);
    await resident.getByTestId('m-lookup-submit').click();
    await resident.getByTestId('m-track-error').waitFor();
    expect(await resident.getByTestId('m-wrong-code').innerText()).toContain('不含 0、1、O、I、L、U');
    // and the console goes on to the case itself
    await openFromReceipt(page);
    expect(await page.locator('body').innerText()).toContain(number);
  });

  it('prints the QR sheet of a community; every code decodes to the resident-page link of its place', async () => {
    const page = await desk(h, 'village'); // 惠民嘉苑社区
    await page.goto('/registry?tab=places');
    const rows = page.getByTestId('places').locator('tbody tr[data-row-key]');
    // the table shows a placeholder row while loading: wait for the places themselves
    await expect.poll(() => rows.count()).toBeGreaterThanOrEqual(10);
    const codes = await rows.locator('td:first-child').allInnerTexts();
    const [sheet] = await Promise.all([page.waitForEvent('popup'), page.getByTestId('qr-sheet').click()]);
    await sheet.waitForLoadState();
    await sheet.setViewportSize({ width: 900, height: 1200 });
    const cells = sheet.locator('g.place');
    expect(await cells.count()).toBe(codes.length);
    await sheet.screenshot({ path: `${process.cwd()}/.test-artifacts/screenshots/qr-sheet.png`, fullPage: true }).catch(() => {});
    for (let i = 0; i < Math.min(4, codes.length); i++) {
      const cell = cells.nth(i);
      const code = (await cell.getAttribute('data-code'))!;
      const png = PNG.sync.read(await cell.locator('svg.qr').screenshot());
      const decoded = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
      expect(decoded?.data).toBe(`${h.base}/m/?place=${code}`);
      expect(codes).toContain(code);
    }
    expect(await cells.first().locator('text').first().textContent()).toMatch(/惠民|幸福|长吉/);
  });

  it('the grid page shows masked residents; revealing an ID number asks for a reason and appears in the audit view', async () => {
    const page = await desk(h, 'village');
    const grid = (await h.ctx.services.areas.list(systemActor(), { q: '惠民嘉苑第1网格', limit: 5 })).items[0]!;
    await page.goto(`/grids/${grid.id}`);
    await page.getByTestId('grid-title').waitFor();
    expect(await page.getByTestId('grid-workers').innerText()).toContain('gridworker');
    const people = page.getByTestId('people');
    await people.locator('tbody tr[data-row-key]').first().waitFor();
    const firstRow = people.locator('tbody tr[data-row-key]').first();
    expect(await firstRow.innerText()).toMatch(/220102\*{8}\d{3}[\dX]/);
    // a grid's page belongs under the map it is opened from: that entry is lit, the tab says so
    expect(await page.locator('[data-testid=menu] .ant-menu-item-selected').innerText()).toBe('防控地图');
    await expect.poll(() => page.title()).toBe('防控地图 · 枫桥 · 综治中心');
    await firstRow.getByTestId('reveal-idNumber').click();
    const reason = await openDialog(page);
    await reason.getByTestId('reveal-reason').fill('核实低保申请人身份');
    await reason.locator('.ant-modal-footer .ant-btn-primary').click();
    const revealed = await firstRow.getByTestId('revealed-idNumber').innerText();
    expect(revealed).toMatch(/^220102\d{11}[\dX]$/);
    await shot(page, 'grid-page');

    const security = await desk(h, 'security');
    // an address the console does not have says so, with the way back, instead of showing the workbench
    await security.goto('/no-such-page');
    await security.getByTestId('not-found').waitFor();
    await expect.poll(() => security.title()).toBe('没有这个页面 · 枫桥 · 综治中心');
    expect(await security.locator('[data-testid=menu] .ant-menu-item-selected').count()).toBe(0);
    await security.goto('/audit');
    await expect.poll(() => security.title()).toBe('审计日志 · 枫桥 · 综治中心');
    await security.getByTestId('audit-action').click();
    await security.keyboard.type('查看个人信息');
    await security.keyboard.press('Enter');
    await security.waitForURL(/action=personal_data\.unmask/);
    // in words: who (by name), what, which person (masked), which field and why; a link to the registry
    const row = security.getByTestId('audit').locator('tbody tr[data-row-key]').first();
    await expect.poll(() => row.innerText()).toContain('身份证号：核实低保申请人身份'); // the filtered list (the sign-in above is newer)
    expect(await row.innerText()).toContain('查看个人信息');
    expect(await row.innerText()).toMatch(/人员 \S+\*/);
    expect(await security.getByTestId('audit').innerText()).not.toContain(revealed);
    // the same question as an Excel file
    const file = await security.evaluate(async (href) => { const r = await fetch(href); return { status: r.status, type: r.headers.get('content-type'), size: (await r.arrayBuffer()).byteLength }; },
      (await security.getByTestId('audit-export').getAttribute('href'))!);
    expect(file).toMatchObject({ status: 200, type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet' });
    expect(file.size).toBeGreaterThan(3000);
    await shot(security, 'audit');
  });

  it('an administrator assigns the grid’s worker from the grid page', async () => {
    const grid = (await h.ctx.services.areas.list(systemActor(), { q: '惠民嘉苑第1网格', limit: 5 })).items[0]!;
    const workers = async () => (await h.ctx.services.grids.overview(systemActor(), grid.id)).workers.map((w) => w.username);
    expect(await workers()).toEqual(['gridworker']);
    const page = await desk(h, 'admin');
    await page.goto(`/grids/${grid.id}`);
    await page.getByTestId('grid-title').waitFor();
    // unassign, then assign again, each through the dialog
    await page.getByTestId('grid-assign').click();
    const select = (await openDialog(page)).locator('.ant-select');
    await expect.poll(() => select.innerText()).toContain('gridworker');
    await select.click();
    await page.keyboard.press('Backspace');
    await expect.poll(() => select.innerText()).not.toContain('gridworker');
    await page.keyboard.press('Escape'); // close the option list; the dialog stays
    await page.getByTestId('grid-assign-ok').click();
    await expect.poll(() => page.getByTestId('grid-workers').innerText()).toBe('未配备');
    expect(await workers()).toEqual([]);
    await page.getByTestId('grid-assign').click();
    await (await openDialog(page)).locator('.ant-select').click();
    await page.keyboard.type('gridworker');
    await page.locator('.ant-select-item-option').filter({ hasText: 'gridworker' }).click();
    await page.keyboard.press('Escape');
    await page.getByTestId('grid-assign-ok').click();
    await expect.poll(() => page.getByTestId('grid-workers').innerText()).toContain('gridworker');
    expect(await workers()).toEqual(['gridworker']);
    // staff without area.write do not get the button
    const village = await desk(h, 'village');
    await village.goto(`/grids/${grid.id}`);
    await village.getByTestId('grid-title').waitFor();
    expect(await village.getByTestId('grid-assign').count()).toBe(0);
  });

  it('the registry screens speak English with no untranslated labels', async () => {
    const page = await desk(h, 'village', 'en-US');
    for (const path of ['/registry?tab=people', '/registry?tab=places', '/registry?tab=organizations', '/registry?tab=visits', '/map']) {
      await page.goto(path);
      await page.getByTestId('menu').waitFor();
      await page.waitForLoadState('networkidle');
      const labels = await page.locator('[data-testid=menu], th, .ant-tabs-tab, .ant-card-head-title .ant-btn, .ant-select-selection-placeholder, .ant-segmented-item-label')
        .evaluateAll((els) => els.map((e) => (e as unknown as { innerText: string }).innerText.trim()).filter(Boolean));
      expect(labels.length, path).toBeGreaterThan(0);
      expect(labels.filter((t) => CJK.test(t)), path).toEqual([]);
    }
    await page.goto('/registry?tab=people');
    await page.getByTestId('import-people').click();
    expect(CJK.test(await page.locator('.ant-modal-title').innerText())).toBe(false);
  });
});
