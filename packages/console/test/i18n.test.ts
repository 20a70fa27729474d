import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messages, translate } from '../src/i18n.ts';

const src = path.resolve(import.meta.dirname, '../src');
const files = (dir: string): string[] => fs.readdirSync(dir, { withFileTypes: true })
  .flatMap((f) => (f.isDirectory() ? files(path.join(dir, f.name)) : /\.tsx?$/.test(f.name) ? [path.join(dir, f.name)] : []));

describe('console translations', () => {
  it('every language has every key, none empty', () => {
    const zh = Object.keys(messages['zh-CN']).sort();
    for (const [locale, table] of Object.entries(messages)) {
      expect(Object.keys(table).sort(), locale).toEqual(zh);
      for (const [k, v] of Object.entries(table)) expect(v.trim(), `${locale} ${k}`).not.toBe('');
    }
  });

  it('every key the source uses exists', () => {
    const used = new Set<string>();
    for (const f of files(src)) {
      const text = fs.readFileSync(f, 'utf8');
      for (const m of text.matchAll(/\bt\('([\w.]+)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/label: '([\w.]+)'/g)) used.add(m[1]!);
      // template keys such as t(`role.${r}`): every value of the enumerations must be there
      for (const m of text.matchAll(/t\(`(\w+)\.\$\{/g)) expect(Object.keys(messages['zh-CN']).some((k) => k.startsWith(`${m[1]}.`)), m[1]).toBe(true);
    }
    expect(used.size).toBeGreaterThan(20);
    for (const k of used) expect(Object.keys(messages['zh-CN']), k).toContain(k);
  });

  it('covers every role, area level and organisation kind of the contracts', async () => {
    const { Roles, AreaLevels, OrgKinds } = await import('@fengqiao/contracts');
    for (const r of Roles) expect(messages['en-US']).toHaveProperty(`role.${r}`);
    for (const l of AreaLevels) expect(messages['en-US']).toHaveProperty(`area.${l}`);
    for (const k of OrgKinds) expect(messages['en-US']).toHaveProperty(`org.${k}`);
  });

  it('every field of every case action has a label, and the case vocabulary is complete in every language', async () => {
    const c = await import('@fengqiao/contracts');
    for (const a of c.CaseActions) {
      for (const f of c.actionFields(a)) expect(Object.keys(messages['zh-CN']), `field.${f.name}`).toContain(`field.${f.name}`);
    }
    const groups: [keyof (typeof c.caseLabels)['zh-CN'], readonly string[]][] = [
      ['caseType', c.CaseTypes], ['channel', c.Channels], ['tier', c.Tiers], ['status', c.CaseStatuses], ['queue', c.Queues],
      ['supervision', c.SupervisionLevels], ['visit', c.VisitResults], ['action', [...c.CaseActions, 'create', 'deadline_warning']],
    ];
    for (const locale of ['zh-CN', 'en-US'] as const) {
      for (const [group, values] of groups) {
        for (const v of values) expect(c.label(locale, group, v), `${locale} ${group}.${v}`).not.toBe(v);
      }
    }
  });

  it('fills parameters', () => {
    expect(translate('zh-CN', 'workbench.welcome', { name: '张*丰' })).toBe('您好，张*丰');
    expect(translate('en-US', 'workbench.idle', { minutes: 30 })).toBe('Signed out after 30 minutes without activity');
  });
});
