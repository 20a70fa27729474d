import type { Db } from '../../db/database.ts';
import { areas, type people } from '../../db/schema.ts';
import { authorize, type Actor } from '../../access/actor.ts';
import { areasVisibleTo, visibleTo } from '../../access/scope.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import type { AuditService } from '../audit/audit.service.ts';
import { areasByCodes, areasByIds } from '../areas/areas.repository.ts';
import { readPeopleFile } from './import-people.ts';
import { insertPeople, knownIdIndexes, placesByCode, scopeColumns } from './registry.repository.ts';
import { PERSON_FIELDS, type RegistryService } from './registry.service.ts';

export interface ImportReport {
  rows: number; imported: number; skipped: number; committed: boolean;
  problems: { row: number; field: string; problem: string }[];
}

/**
 * People from a CSV or Excel file, checked row by row (ID number checksum per GB 11643, mobile format,
 * known codes, places and areas inside the importer's jurisdiction, duplicates in the file and in the
 * registry). All or nothing by default: with any problem nothing is written, and the report lists them all.
 */
export function createPeopleImport(deps: { db: Db; keys: KeyRing; audit: AuditService; registry: RegistryService }) {
  const { db, keys, audit, registry } = deps;

  return async function importPeople(actor: Actor, data: Buffer, kind: 'csv' | 'xlsx', opts: { areaId?: number; skipInvalid?: boolean } = {}): Promise<ImportReport> {
    authorize(actor, 'registry.write');
    const rows = await readPeopleFile(data, kind);
    const defaultArea = opts.areaId ? await registry.areaFor(actor, opts.areaId) : null;
    const want = (key: string) => [...new Set(rows.map((r) => r.cells[key]).filter((v): v is string => Boolean(v)))];
    const areaCodes = want('areaCode'); const placeCodes = want('placeCode');
    const areaRows = await areasByCodes(db, areasVisibleTo(actor, areas.path), areaCodes);
    const placeRows = await placesByCode(db, visibleTo(actor, scopeColumns.places), placeCodes);
    const areaByCode = new Map(areaRows.map((a) => [a.code!, a]));
    const placeByCode = new Map(placeRows.map((p) => [p.code, p]));
    const areaById = new Map(areaRows.map((a) => [a.id, a]));
    const placeAreaIds = [...new Set(placeRows.map((p) => p.areaId))].filter((id) => !areaById.has(id));
    for (const a of await areasByIds(db, placeAreaIds)) areaById.set(a.id, a);

    // duplicates already in the registry, by blind index (every key of the ring: rows not yet rotated count too)
    const ids = want('idNumber').map((v) => v.toUpperCase());
    const indexes = ids.flatMap((v) => keys.blindIndexes(PERSON_FIELDS.idNumber, v));
    const known = await knownIdIndexes(db, indexes);

    const problems: ImportReport['problems'] = [];
    const ready: (typeof people.$inferInsert)[] = [];
    const seen = new Map<string, number>();
    for (const r of rows) {
      const rowProblems = [...r.problems];
      const c = r.cells;
      const place = c.placeCode ? placeByCode.get(c.placeCode) : undefined;
      if (c.placeCode && !place) rowProblems.push({ field: 'placeCode', problem: `unknown place “${c.placeCode}”` });
      const area = place ? areaById.get(place.areaId) : c.areaCode ? areaByCode.get(c.areaCode) : defaultArea;
      if (c.areaCode && !areaByCode.get(c.areaCode)) rowProblems.push({ field: 'areaCode', problem: `unknown area “${c.areaCode}” in your jurisdiction` });
      else if (!area && !c.placeCode) rowProblems.push({ field: 'areaCode', problem: 'no area: give 网格编码 / 场所编码, or choose an area for the file' });
      const prepared = registry.preparePerson({
        residency: c.residency ?? '', name: c.name ?? '', idNumber: c.idNumber ?? null, phone: c.phone ?? null, address: c.address ?? null,
        gender: c.gender ?? null, householdNo: c.householdNo ?? null, relationToHead: c.relationToHead ?? null, room: c.room ?? null,
      });
      if (!r.problems.some((p) => p.field === 'idNumber')) rowProblems.push(...prepared.problems);
      else rowProblems.push(...prepared.problems.filter((p) => p.field !== 'idNumber'));
      if (c.idNumber) {
        const id = c.idNumber.toUpperCase();
        if (seen.has(id)) rowProblems.push({ field: 'idNumber', problem: `duplicate of row ${seen.get(id)}` });
        else seen.set(id, r.row);
        if (keys.blindIndexes(PERSON_FIELDS.idNumber, id).some((b) => known.has(b))) rowProblems.push({ field: 'idNumber', problem: 'already in the registry' });
      }
      if (rowProblems.length || !prepared.values || !area) { problems.push(...rowProblems.map((p) => ({ row: r.row, ...p }))); continue; }
      ready.push({ ...prepared.values, areaId: area.id, areaPath: area.path, placeId: place?.id ?? null, createdBy: actor.userId });
    }
    const failedRows = new Set(problems.map((p) => p.row)).size;
    const report: ImportReport = { rows: rows.length, imported: 0, skipped: failedRows, committed: false, problems };
    if ((problems.length && !opts.skipInvalid) || ready.length === 0) return report;
    await db.transaction(async (tx) => {
      await insertPeople(tx, ready);
      await audit.record(actor, { action: 'person.import', targetType: 'person', detail: { rows: rows.length, imported: ready.length, skipped: failedRows } }, tx);
    });
    report.imported = ready.length;
    report.committed = true;
    return report;
  };
}
export type PeopleImport = ReturnType<typeof createPeopleImport>;
