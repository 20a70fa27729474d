import crypto from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../../server/src/access/actor.ts';
import { browserAvailable, choose, desk, openDialog, shot, startHarness, type Harness } from './harness.ts';

/**
 * The district administrator connects the 12345 hotline (its secret shown once, a message signed with it taken in),
 * subscribes a URL to case events, and replays a delivery that failed from the delivery log.
 */
let h: Harness;
let receiver: http.Server;
let url = '';
let up = false;
const received: string[] = [];
beforeAll(async () => {
  if (!browserAvailable) return;
  receiver = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString('utf8'); });
    req.on('end', () => { if (up) received.push(body); res.statusCode = up ? 200 : 503; res.end(); });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/events`;
  h = await startHarness();
}, 180_000);
afterAll(async () => { await h?.close(); receiver?.close(); });

describe.skipIf(!browserAvailable)('系统对接 in the console', () => {
  it('connects a platform, subscribes a URL, and replays a failed delivery', { timeout: 300_000 }, async () => {
    const p = await desk(h, 'admin');
    await p.goto('/integrations');
    await p.getByTestId('feed-new').click();
    const feed = await openDialog(p);
    await feed.locator('input#name').fill('南关区 12345 热线');
    await p.getByTestId('feed-account').click();
    await choose(p, 'platform');
    await feed.locator('.ant-modal-footer .ant-btn-primary').first().click();
    const secret = (await p.getByTestId('secret').innerText()).trim();
    expect(secret).toMatch(/^fqs_/);
    await shot(p, 'integrations-secret');
    await p.getByTestId('secret-ok').click();
    const row = p.getByTestId('feeds').locator('tr', { hasText: '南关区 12345 热线' });
    const endpoint = (await row.locator('code').innerText()).trim();

    // the platform signs a work order with the secret it was shown
    const body = JSON.stringify({ 工单编号: 'GD-UI-1', 诉求内容: '惠民嘉苑小区北门路灯不亮，夜间出行不便', 区划代码: '220102200001', 分类: 'A02' });
    const ts = Math.floor(Date.now() / 1000);
    const sig = crypto.createHmac('sha256', secret).update(`${ts}.${body}`).digest('hex');
    const res = await fetch(`${h.base}${endpoint}`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-fq-timestamp': String(ts), 'x-fq-signature': `sha256=${sig}` } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { outcome: string }).outcome).toBe('created');

    // a subscription; the receiver is down, the delivery exhausts its tries
    await p.getByRole('tab', { name: '推送订阅' }).click();
    await p.getByTestId('webhook-new').click();
    await openDialog(p);
    await p.getByTestId('webhook-name').fill('区网格化平台');
    await p.getByTestId('webhook-url').fill(url);
    await p.locator('.ant-modal:has([data-testid=webhook-url]) .ant-modal-footer .ant-btn-primary').click();
    await p.getByTestId('secret').waitFor();
    await p.getByTestId('secret-ok').click();
    const sys = systemActor();
    const area = (await h.ctx.services.areas.list(sys, { q: '220102200001', limit: 5 })).items.find((a) => a.code === '220102200001')!;
    const category = (await h.ctx.services.categories.byCode('A02'))!;
    const made = await h.ctx.services.cases.createByStaff(sys, { channel: 'window', areaId: area.id, categoryId: category.id, description: '惠民嘉苑小区东门井盖缺失' }, null);
    await h.ctx.services.webhooks.delivery.drain();
    await h.ctx.services.outbox.drain();
    // the rest of its twelve tries, as the back-off would spend them over hours
    await h.ctx.database.db.execute(sql`update webhook_deliveries set status = 'dead', attempts = 12 where status = 'pending'`);
    await h.ctx.database.db.execute(sql`update outbox set status = 'failed' where topic = 'webhook' and status = 'pending'`);

    up = true;
    await p.reload();
    await p.getByRole('tab', { name: '推送订阅' }).click();
    await p.getByTestId('webhook-log').first().click();
    await p.getByTestId('deliveries').locator('tr', { hasText: made.case.number }).waitFor();
    expect(await p.getByTestId('delivery-status').first().innerText()).toContain('失败');
    await shot(p, 'integrations-delivery-log');
    await p.getByTestId('replay').first().click();
    await p.getByText('已重新排队投递').waitFor();
    await h.ctx.services.outbox.drain();
    expect(received.map((b) => JSON.parse(b).case.number)).toEqual([made.case.number]);
    expect(h.cspViolations).toEqual([]);
  });

  it('the workbench inbox: unread messages stand out, and all can be marked read', { timeout: 300_000 }, async () => {
    const sys = systemActor();
    const district = (await h.ctx.services.areas.list(sys, { q: '220102', limit: 5 })).items.find((a) => a.code === '220102')!;
    const category = (await h.ctx.services.categories.byCode('A02'))!;
    await h.ctx.services.cases.createByStaff(sys, { channel: 'hotline', areaId: district.id, categoryId: category.id, description: '南关区多处路灯不亮' }, null);
    await h.ctx.services.outbox.drain();
    const p = await desk(h, 'dispatcher');
    await p.getByTestId('inbox-unread').first().waitFor();
    await p.getByTestId('inbox-read-all').click();
    await p.getByTestId('inbox-read').first().waitFor();
    expect(await p.getByTestId('inbox-unread').count()).toBe(0);
    await shot(p, 'workbench-inbox-read');
  });
});
