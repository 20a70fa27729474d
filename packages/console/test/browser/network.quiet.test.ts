import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, phone, shot, startHarness, type Harness } from './harness.ts';

/**
 * A resident scanning a QR code on a phone network, with Chromium's own network emulation (DevTools protocol):
 * 1.44 Mbit/s down, 675 kbit/s up, 562.5 ms round trips, the preset DevTools called "Fast 3G" (now "Slow 4G").
 * The one it called "Slow 3G" (now "3G": 50 KB/s, 2 s round trips) needs 4 s for the page's 200 KB alone, so no
 * page of this size can be ready in 3 s on it. The form must be usable, the description ready for typing, soon
 * after the page is asked for, from an empty cache. The QR code's place is named when its answer comes.
 * The target is 3 s; this machine measures about 2.6 s (README). The bound here is 4.5 s, so that a slower
 * machine passes but a page sent uncompressed (6 s and more) does not.
 */
let h: Harness;
beforeAll(async () => { if (browserAvailable) h = await startHarness(); }, 180_000);
afterAll(async () => { await h?.close(); });

describe.skipIf(!browserAvailable)('the resident page on a phone network', () => {
  it('is usable seconds after the request, from an empty cache', { timeout: 300_000 }, async () => {
    const context = await phone(h);
    const p = await context.newPage();
    const cdp = await context.newCDPSession(p);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 562.5, downloadThroughput: (1_440_000 / 8), uploadThroughput: (675_000 / 8) });
    let bytes = 0;
    cdp.on('Network.loadingFinished', (e: { encodedDataLength: number }) => { bytes += e.encodedDataLength; });
    // the clock starts when the browser asks for the page (not while it opens a tab)
    let started = 0;
    cdp.on('Network.requestWillBeSent', (e: { type?: string }) => { if (!started && e.type === 'Document') started = Date.now(); });
    await p.goto('/m/?place=220102200001G01', { waitUntil: 'commit' });
    await p.getByTestId('m-description').waitFor();
    const usable = Date.now() - started;
    await p.getByTestId('m-description').fill('路灯坏了'); // it takes typing
    await p.getByTestId('m-place').filter({ hasText: '幸福乡' }).waitFor();
    const named = Date.now() - started;
    await shot(p, 'resident-3g');
    console.log(`resident page on emulated Fast 3G: usable after ${usable} ms, the place named after ${named} ms, ${(bytes / 1024).toFixed(1)} KB received`);
    expect(usable).toBeLessThan(4500);
    await context.close();
  });
});
