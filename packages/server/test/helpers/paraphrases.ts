/**
 * A generated set for measuring duplicate detection (docs/triage.md): incidents at places, each reported several
 * times in different words by different people standing a few metres apart, among unrelated reports — the same
 * problem at another place, another problem at the same place, and others. Seeded: the same seed, the same set.
 * Used by the duplicate test and by `npm run bench:duplicates` (which tunes on one seed and reports on another).
 */
import { rng, shuffle } from '../../src/modules/triage/random.ts';

/**
 * Each kind of problem: ways to say it, the specifics one incident has (each report of the incident says its own
 * incident's, or leaves them out), and what it leads to. Two reports of one kind at two places rarely share their
 * words; two reports of one incident share the place and the specifics.
 */
const KINDS: Record<string, { say: string[]; specifics: string[]; effect: string[] }> = {
  light: { say: ['路灯坏了', '路灯不亮', '街灯一到晚上就不亮', '晚上没有照明，路灯坏了', '路灯晚上不亮了'],
    specifics: ['已经三天了', '坏了一个多星期', '一整排五六盏都不亮', '从上周下雨后就不亮', '只有靠近路口那盏不亮'], effect: ['晚上黑漆漆的，老人孩子出门不安全', '晚上走路看不清', '请派人来修一下', '夜里出行很不方便'] },
  manhole: { say: ['井盖丢了', '下水道井盖缺失', '井盖没了', '窨井盖被偷', '井盖不见了'],
    specifics: ['留下一个大洞', '洞口有一米多深', '就在公交站旁边', '昨天晚上还在，今天早上没了', '旁边只放了一个破桶'], effect: ['很危险', '晚上容易掉进去', '已经有人差点踩空', '请赶快补上'] },
  noise: { say: ['楼上深夜装修', '有住户晚上还在装修', '夜间施工扰民', '装修噪音从早到晚', '半夜装修电锯响个不停'],
    specifics: ['晚上十一点还在打电钻', '凌晨一点还有敲打声', '连续一个星期了', '周末早上六点就开始', '是1203室'], effect: ['吵得全家睡不着', '严重影响休息', '孩子没法写作业', '希望有人管管'] },
  garbage: { say: ['垃圾堆了好多天没人清运', '垃圾桶满了溢出来', '生活垃圾长期无人收', '垃圾站好几天没清', '垃圾成堆无人处理'],
    specifics: ['已经五天了', '堆到路中间了', '就在幼儿园门口', '有好几袋建筑垃圾', '上周起清运车就没来过'], effect: ['臭气熏天', '苍蝇很多', '味道很大', '夏天特别臭'] },
  water: { say: ['停水了', '一整天都没来水', '突然停水', '自来水停了', '断水了'],
    specifics: ['从昨天下午三点开始', '已经两天了', '没有任何通知', '物业说是管道爆了', '只有高层没水'], effect: ['生活很不方便', '老人做饭都没法做', '什么时候能恢复供水', '孩子没法洗漱'] },
  wages: { say: ['工地老板拖欠工资', '包工头欠薪', '拖欠农民工工资', '欠了工人工钱', '老板拖着工资不发'],
    specifics: ['三个月了', '一共十四个人', '总共二十多万', '老板电话也打不通了', '说好年底结清一直没给'], effect: ['讨要无果', '工人们急着回家过年', '求帮助', '生活都成问题了'] },
  parking: { say: ['消防通道被私家车堵死了', '有车长期占用消防通道', '车辆乱停堵塞消防通道', '消防通道天天停满车', '有人把车停在消防车道上'],
    specifics: ['是一辆白色面包车', '车牌尾号是386', '已经停了半个月', '每天晚上七点以后', '有三四辆车'], effect: ['万一着火消防车进不来', '存在安全隐患', '物业也不管', '请尽快处理'] },
  stall: { say: ['占道经营的摊贩很多', '流动摊点占用人行道', '早市摊位摆到马路上', '小贩占道摆摊', '人行道上全是卖菜的摊子'],
    specifics: ['每天早上五点到九点', '有二十多个摊位', '卖水果的三轮车', '周末最严重', '就在学校门口'], effect: ['堵得走不动', '行人只能走机动车道', '交通很乱', '影响通行'] },
  tree: { say: ['大树被风刮断了', '行道树倒了', '树被吹倒了', '一棵树折断了', '大树倒伏'],
    specifics: ['昨晚大风', '压在一辆电动车上', '砸坏了围墙', '树干有一人粗', '电线也被压住了'], effect: ['横在路上', '车过不去', '挡住了道路', '存在危险'] },
  dog: { say: ['有人遛狗不牵绳', '大型犬经常不拴绳乱跑', '住户养狗不拴', '有条狗天天在楼下乱窜', '遛狗不拴绳'],
    specifics: ['是一条黑色的大狗', '已经咬伤过一个小孩', '每天早上七点左右', '狗主人住二单元', '有两条金毛'], effect: ['孩子被吓哭了', '没人管', '狗粪也不清理', '老人都不敢下楼'] },
  elevator: { say: ['电梯坏了', '电梯经常停运', '电梯故障一直没修好', '电梯老是出故障', '电梯停了'],
    specifics: ['一周了', '今天又把人困在里面了', '二单元那部', '修了三次还是坏', '物业说在等配件'], effect: ['老人上下楼很困难', '住在高层的老人出不了门', '物业维修不及时', '请督促物业维修'] },
  smoke: { say: ['烧烤店油烟直排', '饭馆油烟太大', '餐馆油烟扰民', '烧烤摊烟雾缭绕', '餐饮店排油烟直冲居民窗户'],
    specifics: ['每天晚上到凌晨', '没有装净化器', '就在一楼门面房', '排烟管正对着三楼', '开业两个月了'], effect: ['熏得开不了窗', '全楼都是味', '衣服都晾不了', '希望整治'] },
};
/** How a report is put together: where, what, the specifics, what it leads to — in several orders. */
const FORMS = ['{p}{say}，{specifics}，{effect}', '{p}{say}，{effect}，{specifics}', '反映一下，{p}那边{say}，{specifics}，{effect}',
  '{say}，地点在{p}，{specifics}，{effect}', '{p}附近{say}，{effect}', '投诉{p}{say}，{specifics}'];
const COMMUNITIES = ['幸福小区', '阳光花园', '和平新村', '建设里', '滨河苑', '翠竹园', '金桥家园', '东风小区', '南湖名都', '光明里', '春晖苑', '锦绣华庭'];
const STREETS = ['解放路', '人民路', '中山街', '新华路', '胜利街', '文化路', '青年路', '东环路'];
/** What people add around a report, or leave out. */
const OPENERS = ['', '', '你好，', '您好，', '我想反映个问题，', '再次反映：'];
const CLOSERS = ['', '', '', '谢谢！', '麻烦尽快处理。', '希望有关部门重视。', '请尽快解决，谢谢。'];

export interface GeneratedReport {
  id: number; incident: number; kind: string; text: string; lon: number; lat: number; phone: string; at: number;
  /** The address as typed, when it was (a resident's phone report often has none). */
  address: string | null;
  /** The grid: the community, or the street. */
  grid: string;
}

/**
 * `incidents` incidents, each reported 1–4 times (about half more than once), spread over a township of the given
 * places; `at` is an hour number, reports of one incident within two days. Duplicates are reports of one incident.
 */
export function generateReports(seed: number, incidents = 300): GeneratedReport[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(r() * xs.length)]!;
  const kinds = Object.keys(KINDS);
  // a place: a community's building, or a street's section, at a point (a township about 4 km across)
  const grids = [...COMMUNITIES.map((c) => ({ grid: c, parts: [1, 2, 3, 5, 8].map((b) => `${b}号楼`) })), ...STREETS.map((s) => ({ grid: s, parts: ['与建设路交叉口', '北段', '南段', '菜市场'] }))];
  const places = grids.flatMap(({ grid, parts }) => {
    const lon = 117 + r() * 0.04, lat = 36 + r() * 0.036; // a grid's places within about 300 m of each other
    return parts.map((x) => ({ name: grid + x, grid, lon: lon + (r() - 0.5) * 0.006, lat: lat + (r() - 0.5) * 0.005 }));
  });
  const out: GeneratedReport[] = [];
  const used = new Set<string>(); // one incident per problem and place: two would be one
  for (let i = 0; i < incidents; i++) {
    let kind: string, place: (typeof places)[number];
    do { kind = pick(kinds); place = pick(places); } while (used.has(`${kind}@${place.name}`));
    used.add(`${kind}@${place.name}`);
    const start = Math.floor(r() * 24 * 30);
    const times = r() < 0.5 ? 1 : 2 + Math.floor(r() * 3);
    const k0 = KINDS[kind]!;
    const specifics = pick(k0.specifics); // this incident's
    const forms = shuffle([...FORMS], r);
    for (let k = 0; k < times; k++) {
      const text = pick(OPENERS) + forms[k % forms.length]!.replace('{p}', place.name).replace('{say}', pick(k0.say))
        .replace('{specifics}', specifics).replace('{effect}', pick(k0.effect)) + pick(CLOSERS);
      out.push({
        id: 0, incident: i, kind, text, grid: place.grid, address: r() < 0.7 ? place.name : null, at: start + Math.floor(r() * 48),
        lon: place.lon + (r() - 0.5) * 0.0008, lat: place.lat + (r() - 0.5) * 0.0008, // within about 40 m
        phone: `13${String(Math.floor(r() * 1e9)).padStart(9, '0')}`,
      });
    }
  }
  out.sort((a, b) => a.at - b.at);
  out.forEach((x, i) => { x.id = i; });
  return out;
}
