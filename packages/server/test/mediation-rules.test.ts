import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTestContext, snapshot, type TestContext } from './helpers/context.ts';
import { demoWorld } from './helpers/demo.ts';
import { testDbKind } from './helpers/db.ts';
import { ids, mediationApi } from './helpers/mediation.ts';
import type { Session } from './helpers/world.ts';

/** What mediation refuses, each with its own code and nothing written; parties masked, revealed with a reason, never stored in clear. */
let ctx: TestContext;
let dataDir: string | undefined;
let d: Awaited<ReturnType<typeof demoWorld>>;
let m: ReturnType<typeof mediationApi>;
let mediator: Session;
let lead = 0;
const PEOPLE = { name: '韩秀英', phone: '13912349901', mother: '韩老太', motherPhone: '13912349902' };
const DAY = 86_400_000;
beforeAll(async () => {
  if (testDbKind === 'pglite') dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-med-'));
  ctx = await createTestContext({ sessionIdleMinutes: 24 * 60 * 60, sessionMaxHours: 24 * 90 }, { dataDir });
  d = await demoWorld(ctx);
  m = mediationApi(ctx);
  mediator = await d.as('mediator');
  const admin = await d.as('admin');
  lead = (await m.call(admin, 'POST', '/api/v1/mediators', { name: '金调解', affiliation: '幸福乡司法所', specialties: ['marriage_family'], areaId: d.area('220102200').id }, 201)).id;
}, 180_000);
afterAll(() => ctx?.close());

/** 金滩司法所's story: an old mother and her daughter. */
async function familyDispute(extra: Record<string, unknown> = {}) {
  return m.call(mediator, 'POST', '/api/v1/mediations', {
    areaId: d.area('220102200001').id, categoryId: (await d.category('D01')).id, description: '母女因赡养及房屋居住问题发生纠纷', disputeType: 'marriage_family', source: 'application',
    parties: [
      { role: 'applicant', kind: 'person', name: PEOPLE.mother, idNumber: ids.mother, phone: PEOPLE.motherPhone, address: '幸福乡惠民嘉苑5栋' },
      { role: 'respondent', kind: 'person', name: PEOPLE.name, idNumber: ids.daughter, phone: PEOPLE.phone },
    ],
    ...extra,
  }, 201);
}
const count = async (table: string) => Number(((await ctx.database.db.execute(sql.raw(`select count(*)::int as n from ${table}`))) as unknown as { rows: { n: number }[] }).rows[0]!.n);

describe('mediation refuses, with its own code, and writes nothing', () => {
  it('a party’s ID number with a bad checksum: no case, no mediation', async () => {
    const before = [await count('cases'), await count('mediations'), await count('mediation_parties')];
    const bad = `${ids.daughter.slice(0, 17)}${ids.daughter[17] === '1' ? '2' : '1'}`;
    const res = await ctx.app.inject({ method: 'POST', url: '/api/v1/mediations', headers: mediator.headers, payload: {
      areaId: d.area('220102200001').id, categoryId: (await d.category('D01')).id, description: '赡养纠纷', disputeType: 'marriage_family', source: 'application',
      parties: [{ role: 'applicant', kind: 'person', name: PEOPLE.mother, idNumber: bad }, { role: 'respondent', kind: 'person', name: PEOPLE.name }],
    } });
    expect([res.statusCode, res.json().error.code]).toEqual([422, 'MEDIATION_PARTY_INVALID']);
    expect(res.json().error.message).toContain('checksum');
    expect(res.body).not.toContain(bad); // the error names the party and the check, not the number
    expect([await count('cases'), await count('mediations'), await count('mediation_parties')]).toEqual(before);
  });

  it('a mediator or a room booked twice at the same time', async () => {
    const room = (await m.call(await d.as('admin'), 'POST', '/api/v1/mediation-rooms', { name: '金滩调解室', organizationId: d.org('幸福乡人民调解委员会').id }, 201)).id;
    const first = (await familyDispute()).caseId;
    const second = (await familyDispute()).caseId;
    for (const id of [first, second]) { await m.act(mediator, id, 'accept'); await m.act(mediator, id, 'assign', { leadMediatorId: lead }); }
    const start = new Date(ctx.clock.now().getTime() + DAY);
    const slot = (h: number) => new Date(start.getTime() + h * 3_600_000).toISOString();
    const backwards = await m.tryAct(mediator, first, 'schedule_session', { startsAt: slot(2), endsAt: slot(0), roomId: room });
    expect([backwards.statusCode, backwards.json().error.code]).toEqual([422, 'MEDIATION_SESSION_TIME']);
    const nowhere = await m.tryAct(mediator, first, 'schedule_session', { startsAt: slot(0), endsAt: slot(2) });
    expect([nowhere.statusCode, nowhere.json().error.code]).toEqual([422, 'MEDIATION_SESSION_PLACE']);
    await m.act(mediator, first, 'schedule_session', { startsAt: slot(0), endsAt: slot(2), roomId: room });
    const admin = await d.as('admin');
    const other = (await m.call(admin, 'POST', '/api/v1/mediators', { name: '许调解', affiliation: '幸福乡司法所', specialties: ['other'], areaId: d.area('220102200').id }, 201)).id;
    const before = await snapshot(ctx, ['sessions', 'audit_log']);
    const sameMediator = await m.tryAct(mediator, second, 'schedule_session', { startsAt: slot(1), endsAt: slot(3), online: true });
    expect([sameMediator.statusCode, sameMediator.json().error.code]).toEqual([409, 'MEDIATION_DOUBLE_BOOKED']);
    const sameRoom = await m.tryAct(mediator, second, 'schedule_session', { startsAt: slot(1.5), endsAt: slot(2.5), roomId: room, mediatorIds: [other] });
    expect([sameRoom.statusCode, sameRoom.json().error.code]).toEqual([409, 'MEDIATION_DOUBLE_BOOKED']);
    expect(sameRoom.json().error.message).toContain('金滩调解室');
    expect(await snapshot(ctx, ['sessions', 'audit_log'])).toBe(before);
    // back to back is not a clash
    await m.act(mediator, second, 'schedule_session', { startsAt: slot(2), endsAt: slot(3), roomId: room, mediatorIds: [other] });
    const bookings = await m.call(mediator, 'GET', `/api/v1/mediation-rooms/${room}/bookings`);
    expect(bookings.items).toHaveLength(2);
  });

  it('an agreement before a successful outcome, and a successful outcome without terms', async () => {
    const id = (await familyDispute()).caseId;
    await m.act(mediator, id, 'accept');
    await m.act(mediator, id, 'assign', { leadMediatorId: lead });
    const doc = await ctx.app.inject({ method: 'GET', url: `/api/v1/mediations/${id}/agreement`, headers: mediator.headers });
    expect([doc.statusCode, doc.json().error.code]).toEqual([422, 'MEDIATION_NO_AGREEMENT']);
    const noTerms = await m.tryAct(mediator, id, 'conclude', { outcome: 'success' });
    expect([noTerms.statusCode, noTerms.json().error.code]).toEqual([422, 'MEDIATION_TERMS_REQUIRED']);
    expect((await m.get(mediator, id)).status).toBe('in_mediation');
  });

  it('judicial confirmation after 30 days, unless a reason is given; a warning comes before the window closes', async () => {
    const id = (await familyDispute()).caseId;
    await m.act(mediator, id, 'accept');
    await m.act(mediator, id, 'assign', { leadMediatorId: lead });
    await m.act(mediator, id, 'conclude', { outcome: 'success', terms: '被申请人每月支付赡养费800元，申请人继续居住原房屋。', performBy: null });
    ctx.clock.advance(27 * DAY);
    const warned = await ctx.services.mediation.scanDeadlines();
    expect(warned.confirmationsDue).toBeGreaterThanOrEqual(1);
    await ctx.services.mediation.scanDeadlines(); // a second scan sends nothing new
    const notices = Number(((await ctx.database.db.execute(sql`select count(*)::int as n from outbox where dedupe_key = ${`mediation-confirmation-due:${id}`}`)) as unknown as { rows: { n: number }[] }).rows[0]!.n);
    expect(notices).toBe(1);
    ctx.clock.advance(4 * DAY);
    const court = d.org('南关区人民法院').id;
    const before = (await m.get(mediator, id)).version;
    const late = await m.tryAct(mediator, id, 'refer_confirmation', { courtOrgId: court });
    expect([late.statusCode, late.json().error.code]).toEqual([422, 'MEDIATION_CONFIRMATION_LATE']);
    expect((await m.get(mediator, id)).version).toBe(before);
    const notCourt = await m.tryAct(mediator, id, 'refer_confirmation', { courtOrgId: d.org('南关区住房和城乡建设局').id, lateReason: '当事人住院' });
    expect(notCourt.json().error.code).toBe('CASE_INVALID_TARGET');
    const overridden = await m.act(mediator, id, 'refer_confirmation', { courtOrgId: court, lateReason: '申请人住院治疗，出院后即申请' });
    expect(overridden.confirmation).toMatchObject({ courtOrgId: court, lateReason: '申请人住院治疗，出院后即申请', ruling: null });
    const early = await m.tryAct(mediator, id, 'close');
    expect(early.json().error.code).toBe('MEDIATION_INVALID_TRANSITION'); // not before the court rules
  });

  it('a stale version is a conflict; an action from the wrong state says so', async () => {
    const opened = await familyDispute();
    const stale = await ctx.app.inject({ method: 'POST', url: `/api/v1/mediations/${opened.caseId}/accept`, headers: mediator.headers, payload: { version: opened.version - 1 } });
    expect(stale.json().error.code).toBe('CONFLICT');
    const wrong = await m.tryAct(mediator, opened.caseId, 'conclude', { outcome: 'failed', reason: '不适用' });
    expect([wrong.statusCode, wrong.json().error.code]).toEqual([409, 'MEDIATION_INVALID_TRANSITION']);
  });
});

describe('parties’ personal data', () => {
  it('is masked, revealed one field at a time with a reason, each reveal audited', async () => {
    const opened = await familyDispute();
    expect(opened.parties.map((p: { name: string }) => p.name)).toEqual(['韩*太', '韩*英']);
    const party = opened.parties[1];
    const url = `/api/v1/mediations/${opened.caseId}/parties/${party.id}/unmask`;
    const noReason = await ctx.app.inject({ method: 'POST', url, headers: mediator.headers, payload: { field: 'phone', reason: ' ' } });
    expect(noReason.statusCode).toBe(422);
    const shown = await m.call(mediator, 'POST', url, { field: 'phone', reason: '通知参加调解' });
    expect(shown.value).toBe(PEOPLE.phone);
    const audit = await ctx.services.audit.list((await import('../src/access/actor.ts')).systemActor(), { limit: 20 });
    expect(audit.items.find((e) => e.id === shown.auditId)).toMatchObject({ action: 'personal_data.unmask', targetType: 'mediation_party' });
    const police = await d.as('police');
    const outsider = await ctx.app.inject({ method: 'POST', url, headers: police.headers, payload: { field: 'phone', reason: '看看' } });
    expect(outsider.statusCode).toBe(403);
  });

  it('a dump of the database holds no party’s name, ID number or phone, nor the minutes', async () => {
    const id = (await familyDispute()).caseId;
    await m.act(mediator, id, 'accept');
    await m.act(mediator, id, 'assign', { leadMediatorId: lead });
    await m.act(mediator, id, 'schedule_session', { startsAt: new Date(ctx.clock.now().getTime() + 90 * DAY).toISOString(), endsAt: new Date(ctx.clock.now().getTime() + 90 * DAY + 3_600_000).toISOString(), online: true });
    const s = (await m.get(mediator, id)).sessions[0];
    await m.act(mediator, id, 'record_session', { sessionId: s.id, attendance: ['申请人', '被申请人'], minutes: '韩秀英表示愿意每月探望母亲' });
    await ctx.services.outbox.drain();
    let dump: Buffer;
    if (ctx.database.kind === 'postgres') {
      const bin = process.env.FQ_PG_BIN ? path.join(process.env.FQ_PG_BIN, 'pg_dump') : 'pg_dump';
      dump = execFileSync(bin, [ctx.database.url!], { maxBuffer: 256 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
    } else {
      await ctx.database.close();
      const chunks: Buffer[] = [];
      const walk = (dir: string) => { for (const f of fs.readdirSync(dir, { withFileTypes: true })) { const p = path.join(dir, f.name); if (f.isDirectory()) walk(p); else chunks.push(fs.readFileSync(p)); } };
      walk(dataDir!);
      dump = Buffer.concat(chunks);
    }
    expect(dump.includes(Buffer.from('金滩调解室'))).toBe(true); // the dump is real
    for (const secret of [PEOPLE.name, PEOPLE.phone, PEOPLE.mother, PEOPLE.motherPhone, ids.mother, ids.daughter, '愿意每月探望母亲']) expect(dump.includes(Buffer.from(secret)), secret).toBe(false);
  });
});
