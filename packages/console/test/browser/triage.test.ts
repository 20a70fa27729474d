import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { systemActor } from '../../../server/src/access/actor.ts';
import { TEXTS } from '../../../server/test/helpers/triage-texts.ts';
import { browserAvailable, desk, shot, startHarness, type Harness } from './harness.ts';

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
});
