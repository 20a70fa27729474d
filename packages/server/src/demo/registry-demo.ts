import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Actor } from '../access/actor.ts';
import { areas } from '../db/schema.ts';
import type { AreaGeometry } from '../lib/geo.ts';
import type { Services } from '../services.ts';
import { withCreditCheck, withIdCheck } from '../modules/registry/identifiers.ts';

type AreaLite = { id: number; code: string | null; parentId: number | null; level: string; name: string };

/** A rectangle as a closed GeoJSON ring (WGS-84). */
const rect = (x0: number, y0: number, x1: number, y1: number): AreaGeometry => ({
  type: 'Polygon', coordinates: [[[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]],
});
const round = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Synthetic boundaries for the demo jurisdiction (real boundaries are not open data): the district's
 * townships tile a lattice around 南关区, each village a strip of its township, each grid half a village.
 * Good enough to show the map, place points in grids and print QR sheets; replace with
 * `fengqiao import grids` for a real installation.
 */
export async function seedDemoBoundaries(s: Services, all: AreaLite[], countyId: number) {
  const townships = all.filter((a) => a.level === 'township' && a.parentId === countyId).sort((a, b) => a.code!.localeCompare(b.code!));
  const W = 0.06; const H = 0.045; const X0 = 125.24; const Y0 = 43.72; const COLS = 4;
  const set = (id: number, g: AreaGeometry) => s.db.update(areas).set({ boundary: g }).where(eq(areas.id, id));
  for (const [i, t] of townships.entries()) {
    const tx = X0 + (i % COLS) * W; const ty = Y0 + Math.floor(i / COLS) * H;
    await set(t.id, rect(round(tx), round(ty), round(tx + W), round(ty + H)));
    const villages = all.filter((a) => a.parentId === t.id && a.level === 'village').sort((a, b) => a.code!.localeCompare(b.code!));
    for (const [j, v] of villages.entries()) {
      const vw = W / villages.length; const vx = tx + j * vw;
      await set(v.id, rect(round(vx), round(ty), round(vx + vw), round(ty + H)));
      const grids = all.filter((a) => a.parentId === v.id && a.level === 'grid').sort((a, b) => a.code!.localeCompare(b.code!));
      for (const [k, g] of grids.entries()) {
        const gh = H / grids.length; const gy = ty + k * gh;
        await set(g.id, rect(round(vx), round(gy), round(vx + vw), round(gy + gh)));
      }
    }
  }
  s.gridLocator.invalidate();
}

const SURNAMES = '王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗';
const GIVEN = ['建国', '秀英', '桂兰', '志强', '海燕', '明', '丽娟', '国华', '文博', '子涵', '雨桐', '浩然', '淑芬', '玉兰', '德明', '春梅'];

/** A resident's record with a valid (synthetic) ID number of the district and a mobile number. */
function demoPerson(i: number) {
  const year = 1940 + ((i * 7) % 66); const month = 1 + ((i * 5) % 12); const day = 1 + ((i * 11) % 28);
  const seq = String(100 + ((i * 37) % 899)).padStart(3, '0');
  return {
    name: SURNAMES[i % SURNAMES.length]! + GIVEN[(i * 3) % GIVEN.length]!,
    idNumber: withIdCheck(`220102${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}${seq}`),
    phone: `139${String(crypto.randomInt(10_000_000, 99_999_999))}`,
  };
}

/**
 * The home grid's registry ("四知四清"): buildings, a shop, a school and a protected line with QR codes,
 * residents with households, special populations with their follow-ups, organisations, visits, and
 * the grid worker assigned — plus a few open cases with points, so the map has something to show.
 */
export async function seedDemoRegistry(s: Services, actor: Actor, home: { villageId: number; gridIds: number[]; gridWorkerId: string; townshipId: number }) {
  const r = s.registry;
  const placeIds: number[] = [];
  for (const [gi, gridId] of home.gridIds.entries()) {
    for (let b = 1; b <= 4; b++) {
      const n = gi * 4 + b;
      placeIds.push((await r.createPlace(actor, {
        kind: 'residential', name: `惠民嘉苑${n}栋`, address: `幸福乡惠民嘉苑小区${n}栋`, areaId: gridId, attributes: { households: 30 + n * 2, floors: 6 },
      })).id);
    }
  }
  const shop = await r.createPlace(actor, { kind: 'shop', name: '惠民便利店', address: '惠民嘉苑小区南门', areaId: home.gridIds[0]!, attributes: { business: '日用百货' } });
  await r.createPlace(actor, {
    kind: 'school', name: '幸福乡中心小学', address: '幸福乡惠民路8号', areaId: home.gridIds[1]!,
    attributes: { schoolType: 'primary', pupils: 620, securityStaff: 4, surroundings: '校门口早晚高峰有流动摊贩' },
  });
  await r.createPlace(actor, { kind: 'road_line', name: '长吉城际铁路幸福乡段', areaId: home.gridIds[1]!, attributes: { lineType: 'railway', lengthKm: 3.2, protector: '幸福乡护路联防队' } });

  const residency = ['registered', 'registered', 'registered', 'floating', 'registered', 'unsettled'];
  const relations = ['head', 'spouse', 'child'];
  const people: string[] = [];
  for (let i = 0; i < 24; i++) {
    const p = demoPerson(i);
    const person = await r.createPerson(actor, {
      residency: residency[i % residency.length]!, ...p, placeId: placeIds[i % placeIds.length]!,
      householdNo: `HM${String(Math.floor(i / 3) + 1).padStart(4, '0')}`, relationToHead: relations[i % 3]!, room: `${1 + (i % 6)}0${1 + (i % 2)}`,
      address: `幸福乡惠民嘉苑小区${(i % placeIds.length) + 1}栋`,
    });
    people.push(person.id);
  }
  await r.putGroup(actor, people[3]!, 'community_correction', { attentionLevel: 'high', details: { correctionType: 'probation', startOn: '2026-03-01', endOn: '2027-02-28', offence: '危险驾驶' } });
  await r.putGroup(actor, people[7]!, 'released_prisoner', { attentionLevel: 'medium', details: { releasedOn: '2025-09-15', offence: '盗窃', resettled: true, reoffendRisk: 'low' } });
  await r.putGroup(actor, people[10]!, 'mental_disorder', { attentionLevel: 'high', details: { diagnosis: '精神分裂症', riskLevel: '2', guardian: '配偶', treatment: '规律服药' } });
  await r.putGroup(actor, people[14]!, 'key_youth', { attentionLevel: 'low', details: { youthType: 'left_behind', guardian: '祖母', helpMeasures: '每周学业辅导' } });

  await r.createOrganization(actor, {
    kind: 'non_public_economic', name: '长春惠民物业服务有限公司', creditCode: withCreditCheck('91220102MA0Y8K3H2'),
    contactName: '高经理', contactPhone: '13944001122', address: '惠民嘉苑小区物业楼', placeId: shop.id,
  });
  await r.createOrganization(actor, { kind: 'social', name: '惠民嘉苑志愿者协会', areaId: home.gridIds[0]!, contactName: '林志愿', contactPhone: '13944003344' });
  await r.recordVisit(actor, { subjectType: 'person', subjectId: people[3]!, kind: 'follow_up', note: '本周报到正常，工作稳定。' });
  await r.recordVisit(actor, { subjectType: 'place', subjectId: String(placeIds[0]), kind: 'inspection', note: '楼道堆放杂物已督促清理。' });
  await s.grids.setWorkers(actor, home.gridIds[0]!, [home.gridWorkerId]);
}
