/** The mediator pool (调解专家库), recommendations for a dispute, and the mediation rooms sessions book. */
import { sql, type SQL } from 'drizzle-orm';
import type { Static } from 'typebox';
import type { DisputeType, MediatorCreate, RoomCreate } from '@fengqiao/contracts';
import type { Db } from '../../db/database.ts';
import { mediationRooms, mediators, organizations } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, assertWithin, onActorsPath, visibleTo } from '../../access/scope.ts';
import { AppError, notFound } from '../../lib/errors.ts';
import { decodeCursor, isoRequired, pageOf } from '../../lib/paging.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { findAreaById } from '../areas/areas.repository.ts';
import { findOrganization } from '../organizations/organizations.repository.ts';
import * as repo from './pool.repository.ts';

type MediatorStats = Awaited<ReturnType<typeof repo.mediatorStats>> & object;

export function presentMediator(r: MediatorStats) {
  return {
    id: r.m.id, name: r.m.name, userId: r.m.userId, organizationId: r.m.organizationId, affiliation: r.m.affiliation,
    specialties: r.m.specialties as DisputeType[], areaId: r.m.areaId, areaPath: r.m.areaPath, certificate: r.m.certificate,
    active: r.m.active, load: Number(r.load), concluded: Number(r.concluded), succeeded: Number(r.succeeded),
  };
}
export const presentRoom = (r: repo.RoomRow) => ({ id: r.id, name: r.name, organizationId: r.organizationId, areaPath: r.areaPath, capacity: r.capacity, active: r.active });

/** The pool an actor works with (access/scope.ts): a shared resource of the area, not personal data. */
export const poolVisibleTo = (actor: Actor): SQL => onActorsPath(actor, mediators.areaPath);

export function createPool(deps: { db: Db; audit: AuditService }) {
  const { db, audit } = deps;

  async function listMediators(actor: Actor, q: { specialty?: DisputeType; limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const where = q.specialty ? sql`${poolVisibleTo(actor)} and ${q.specialty} = any(${mediators.specialties})` : poolVisibleTo(actor);
    const rows = await repo.listMediators(db, where, limit, decodeCursor<number>(q.cursor, 'number'));
    return pageOf(rows.map(presentMediator), limit, (m) => m.id);
  }

  async function createMediator(actor: Actor, body: Static<typeof MediatorCreate>) {
    authorize(actor, 'organization.write');
    const area = await findAreaById(db, body.areaId);
    if (!area) throw notFound('area');
    assertWithin(actor, { areaPath: area.path });
    if (body.organizationId && !(await findOrganization(db, visibleTo(actor, { areaPath: organizations.areaPath, organizationId: organizations.id }), body.organizationId))) throw notFound('organization');
    return db.transaction(async (tx) => {
      const row = await repo.insertMediator(tx, {
        name: body.name.trim(), userId: body.userId ?? null, organizationId: body.organizationId ?? null, affiliation: body.affiliation.trim(),
        specialties: body.specialties, areaId: area.id, areaPath: area.path, certificate: body.certificate ?? null,
      });
      await audit.record(actor, { action: 'mediator.create', targetType: 'mediator', targetId: String(row.id), areaPath: area.path }, tx);
      return presentMediator((await repo.mediatorStats(tx, row.id))!);
    });
  }

  /**
   * Ranks the pool for a dispute: a specialty in its type (+50), nearness in the area tree (+30 at the same area,
   * 8 fewer for each level between), past success (+20 × the share of mediations led that ended in an agreement),
   * and load (−5 for each open mediation). Each reason is a code the console words: specialty, same_area,
   * area_distance:N, success_rate:P, load:N.
   */
  async function recommend(actor: Actor, dispute: { areaPath: string; disputeType: string }, limit = 5) {
    const rows = await repo.mediatorsWithStats(db, poolVisibleTo(actor));
    const depth = (p: string) => p.split('/').filter(Boolean).length;
    const scored = rows.map((r) => {
      const reasons: string[] = [];
      let score = 0;
      if (r.m.specialties.includes(dispute.disputeType)) { score += 50; reasons.push('specialty'); }
      const above = dispute.areaPath.startsWith(r.m.areaPath);
      const distance = above ? depth(dispute.areaPath) - depth(r.m.areaPath) : depth(r.m.areaPath) - commonDepth(r.m.areaPath, dispute.areaPath) + depth(dispute.areaPath) - commonDepth(r.m.areaPath, dispute.areaPath);
      score += Math.max(0, 30 - 8 * distance);
      reasons.push(distance === 0 ? 'same_area' : `area_distance:${distance}`);
      const concluded = Number(r.concluded);
      if (concluded > 0) {
        const rate = Number(r.succeeded) / concluded;
        score += 20 * rate;
        reasons.push(`success_rate:${Math.round(rate * 100)}`);
      }
      score -= 5 * Number(r.load);
      reasons.push(`load:${Number(r.load)}`);
      return { mediator: presentMediator(r), score: Math.round(score * 10) / 10, reasons };
    });
    return scored.sort((a, b) => b.score - a.score || a.mediator.id - b.mediator.id).slice(0, limit);
  }

  async function listRooms(actor: Actor, q: { limit?: number; cursor?: string }) {
    const limit = q.limit ?? 50;
    const rows = await repo.listRooms(db, areasVisibleTo(actor, mediationRooms.areaPath), limit, decodeCursor<number>(q.cursor, 'number'));
    return pageOf(rows.map(presentRoom), limit, (r) => r.id);
  }

  async function createRoom(actor: Actor, body: Static<typeof RoomCreate>) {
    authorize(actor, 'organization.write');
    const org = await findOrganization(db, visibleTo(actor, { areaPath: organizations.areaPath, organizationId: organizations.id }), body.organizationId);
    if (!org) throw notFound('organization');
    return db.transaction(async (tx) => {
      const row = await repo.insertRoom(tx, { name: body.name.trim(), organizationId: org.id, areaPath: org.areaPath, capacity: body.capacity ?? 10 });
      await audit.record(actor, { action: 'mediation_room.create', targetType: 'mediation_room', targetId: String(row.id), areaPath: org.areaPath }, tx);
      return presentRoom(row);
    });
  }

  async function roomBookings(actor: Actor, id: number, from?: string) {
    const room = await repo.roomById(db, id, areasVisibleTo(actor, mediationRooms.areaPath));
    if (!room) throw notFound('room');
    const since = from ? new Date(`${from}T00:00:00+08:00`) : new Date(0);
    if (Number.isNaN(since.getTime())) throw new AppError('VALIDATION_FAILED', { detail: 'from' });
    const rows = await repo.bookingsOf(db, id, since);
    return { items: rows.map((r) => ({ sessionId: r.s.id, caseId: r.s.caseId, caseNumber: r.number ?? '', startsAt: isoRequired(r.s.startsAt), endsAt: isoRequired(r.s.endsAt), roomId: r.s.roomId, mediatorIds: r.s.mediatorIds })) };
  }

  return { listMediators, createMediator, recommend, listRooms, createRoom, roomBookings };
}
export type Pool = ReturnType<typeof createPool>;

function commonDepth(a: string, b: string): number {
  const x = a.split('/').filter(Boolean);
  const y = b.split('/').filter(Boolean);
  let i = 0;
  while (i < x.length && i < y.length && x[i] === y[i]) i++;
  return i;
}
