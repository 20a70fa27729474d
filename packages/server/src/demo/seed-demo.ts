import crypto from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DepartmentTypes, OrgKind, Role } from '@fengqiao/contracts';
import { systemActor } from '../access/actor.ts';
import { systemState } from '../db/schema.ts';
import type { Services } from '../services.ts';
import { importDivisions } from '../modules/areas/divisions.ts';
import { seedDemoBoundaries, seedDemoRegistry } from './registry-demo.ts';

/** The demo jurisdiction: 长春市南关区, its 14 townships/streets and 70 communities/villages (real codes), synthetic grids. */
export const DEMO_COUNTY = '220102';
const HOME_TOWNSHIP = '220102200'; // 幸福乡, the seeds' "幸福·平安港"
const HOME_VILLAGE = '220102200001'; // 惠民嘉苑社区
const OTHER_TOWNSHIP = '220102001'; // 南岭街道, to show that jurisdictions do not see each other
const GRIDS_PER_VILLAGE = 2;

type DemoOrg = 'city' | 'county' | 'township' | 'mediation' | 'village' | 'grid' | 'housing' | 'police' | 'other';
export interface DemoAccount { username: string; roles: Role[]; name: string; org: DemoOrg; organization: string; description: string }

/** One account per role, at the level where that role works. */
export const DEMO_ACCOUNTS: DemoAccount[] = [
  { username: 'admin', roles: ['admin'], name: '李管理', org: 'county', organization: '南关区综治中心', description: 'district administrator' },
  { username: 'leader', roles: ['leader'], name: '赵书记', org: 'county', organization: '南关区综治中心', description: 'district leader (包案, 批示, dashboards)' },
  { username: 'dispatcher', roles: ['dispatcher', 'intake'], name: '王调度', org: 'county', organization: '南关区综治中心', description: 'district intake and dispatch' },
  { username: 'security', roles: ['security_officer'], name: '孙安全', org: 'county', organization: '南关区综治中心', description: 'security officer: audit log, unmasking' },
  { username: 'cityadmin', roles: ['admin'], name: '钱市管', org: 'city', organization: '长春市社会治理综合服务中心', description: 'city administrator: accounts of city-level bodies (e.g. the city operations company)' },
  { username: 'city', roles: ['dispatcher', 'intake', 'leader'], name: '周市级', org: 'city', organization: '长春市社会治理综合服务中心', description: 'city center (跨区 cases)' },
  { username: 'intake', roles: ['intake', 'dispatcher'], name: '何受理', org: 'township', organization: '幸福乡综治中心', description: 'township center intake and dispatch' },
  { username: 'mediator', roles: ['mediator'], name: '庞调解', org: 'mediation', organization: '幸福乡人民调解委员会', description: 'mediator of the township mediation committee' },
  { username: 'village', roles: ['intake', 'dispatcher'], name: '陈社区', org: 'village', organization: '惠民嘉苑社区综治中心', description: 'community center staff' },
  { username: 'gridworker', roles: ['grid_worker'], name: '刘网格', org: 'grid', organization: '惠民嘉苑第1网格工作站', description: 'grid worker of 惠民嘉苑 grid 1' },
  { username: 'housing', roles: ['handler'], name: '吴住建', org: 'housing', organization: '南关区住房和城乡建设局', description: 'department handler (住建)' },
  { username: 'police', roles: ['handler'], name: '郑民警', org: 'police', organization: '长春市公安局南关分局', description: 'department handler (公安)' },
  { username: 'platform', roles: ['integration'], name: '区级对接平台', org: 'county', organization: '南关区综治中心', description: 'integration account: Open311 clients, 12345, police, petitions and device platforms file cases as it' },
  { username: 'nanling', roles: ['intake', 'dispatcher'], name: '冯南岭', org: 'other', organization: '南岭街道综治中心', description: 'another township: sees nothing of 幸福乡' },
];

export async function isDemoSeeded(s: Services): Promise<boolean> {
  const [row] = await s.db.select().from(systemState).where(eq(systemState.key, 'demo_seeded'));
  return Boolean(row);
}

export async function seedDemo(s: Services, password: string): Promise<DemoAccount[]> {
  const actor = systemActor('seed-demo');
  const { cityId, countyId } = await importDivisions(s.db, s.areas, actor, DEMO_COUNTY);
  const all = (await s.areas.list(actor, { limit: 500 })).items;
  const byCode = (code: string) => all.find((a) => a.code === code)!;
  const townships = all.filter((a) => a.level === 'township');
  const villages = all.filter((a) => a.level === 'village');

  const org = (kind: OrgKind, name: string, areaId: number, departmentType: (typeof DepartmentTypes)[number] | null = null) =>
    s.organizations.create(actor, { kind, name, areaId, departmentType });

  const cityCenter = await org('center', '长春市社会治理综合服务中心', cityId);
  await org('department', '长春市城市运营公司', cityId, 'operations_company');
  const countyCenter = await org('center', '南关区综治中心', countyId);
  const countyDepts: [string, (typeof DepartmentTypes)[number]][] = [
    ['长春市公安局南关分局', 'police'], ['南关区司法局', 'justice'], ['南关区人力资源和社会保障局', 'hrss'],
    ['南关区住房和城乡建设局', 'housing'], ['南关区信访局', 'petition'], ['南关区人民法院', 'court'],
    ['南关区民政局', 'civil_affairs'], ['南关区城市管理执法局', 'urban_management'],
  ];
  const depts = new Map<string, number>();
  for (const [name, type] of countyDepts) depts.set(type, (await org('department', name, countyId, type)).id);

  const centers = new Map<string, number>();
  for (const t of townships) {
    centers.set(t.code!, (await org('center', `${t.name}综治中心`, t.id)).id);
    await org('department', `${t.name.replace(/(街道|乡)$/, '')}派出所`, t.id, 'police');
    await org('department', `${t.name}司法所`, t.id, 'justice');
    centers.set(`${t.code}-mediation`, (await org('mediation_committee', `${t.name}人民调解委员会`, t.id)).id);
  }
  let firstGridId = 0;
  const homeGrids: number[] = [];
  const gridAreas: { id: number; code: string | null; parentId: number | null; level: string; name: string }[] = [];
  for (const v of villages) {
    centers.set(v.code!, (await org('center', `${v.name}综治中心`, v.id)).id);
    for (let g = 1; g <= GRIDS_PER_VILLAGE; g++) {
      const grid = await s.areas.create(actor, { parentId: v.id, level: 'grid', code: `${v.code}G${String(g).padStart(2, '0')}`, official: false, name: `${v.name.replace(/(社区|村委会|村)$/, '')}第${g}网格` });
      if (v.code === HOME_VILLAGE && g === 1) firstGridId = grid.id;
      if (v.code === HOME_VILLAGE) homeGrids.push(grid.id);
      gridAreas.push(grid);
    }
  }
  const gridCenter = (await org('center', `${byCode(HOME_VILLAGE).name}第1网格工作站`, firstGridId)).id;

  const orgIds: Record<DemoOrg, number> = {
    city: cityCenter.id, county: countyCenter.id, township: centers.get(HOME_TOWNSHIP)!, mediation: centers.get(`${HOME_TOWNSHIP}-mediation`)!,
    village: centers.get(HOME_VILLAGE)!, grid: gridCenter, housing: depts.get('housing')!, police: depts.get('police')!,
    other: centers.get(OTHER_TOWNSHIP)!,
  };
  const userIds = new Map<string, string>();
  for (const a of DEMO_ACCOUNTS) {
    const u = await s.users.create(actor, {
      username: a.username, displayName: a.name, organizationId: orgIds[a.org], roles: a.roles, password,
      phone: `139${crypto.randomInt(10_000_000, 99_999_999)}`,
    });
    userIds.set(a.username, u.id);
  }
  await seedDemoBoundaries(s, [...all, ...gridAreas], countyId);
  await seedDemoRegistry(s, actor, { villageId: byCode(HOME_VILLAGE).id, gridIds: homeGrids, gridWorkerId: userIds.get('gridworker')!, townshipId: byCode(HOME_TOWNSHIP).id });
  await s.db.insert(systemState).values({ key: 'demo_seeded', value: { county: DEMO_COUNTY, at: new Date().toISOString() } });
  return DEMO_ACCOUNTS;
}
