import { and, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.ts';
import { areas, places } from '../../db/schema.ts';


/** A QR code's place and its area (the place decides the area of what is reported there). */
export async function findPlaceWithArea(ex: Executor, code: string) {
  const [r] = await ex.select({ place: places, area: areas }).from(places).innerJoin(areas, eq(areas.id, places.areaId))
    .where(and(eq(places.code, code), eq(places.active, true)));
  return r;
}
