import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export interface CodeItem { code: string; zh: string; en: string }
export interface FieldDef { key: string; zh: string; en: string; required: boolean; type?: 'date' | 'boolean' | 'integer' | 'number'; options?: CodeItem[] }
export interface KindDef extends CodeItem { fields: FieldDef[]; followUpDays?: number }
export interface CodeTables {
  version: string; source: string;
  residency: CodeItem[]; gender: CodeItem[]; relationToHead: CodeItem[]; attentionLevels: CodeItem[];
  groups: KindDef[]; placeKinds: KindDef[]; organizationKinds: CodeItem[]; visitKinds: CodeItem[];
}

/** The registry's code tables: a versioned data file that states its source (see code-tables.json). */
export const codeTables = require('./code-tables.json') as CodeTables;

export const codeOf = (table: CodeItem[], value: string): string | null => {
  const v = value.trim();
  return table.find((i) => i.code === v || i.zh === v || i.en.toLowerCase() === v.toLowerCase())?.code ?? null;
};

/**
 * Checks the extra fields of a group or place kind against its definition: required ones present,
 * options from their list, dates, numbers and booleans well-formed, nothing undefined. Returns clean values.
 */
export function checkFields(fields: FieldDef[], input: Record<string, unknown>): { values: Record<string, unknown>; problems: string[] } {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const key of Object.keys(input)) if (!fields.some((f) => f.key === key)) problems.push(`${key}: unknown field`);
  for (const f of fields) {
    const v = input[f.key];
    if (v === undefined || v === null || v === '') { if (f.required) problems.push(`${f.key}: required`); continue; }
    if (f.options) {
      const code = typeof v === 'string' ? codeOf(f.options, v) : null;
      if (!code) problems.push(`${f.key}: not one of ${f.options.map((o) => o.code).join(', ')}`); else values[f.key] = code;
    } else if (f.type === 'date') {
      if (typeof v !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(v))) problems.push(`${f.key}: date YYYY-MM-DD`); else values[f.key] = v;
    } else if (f.type === 'boolean') {
      if (typeof v !== 'boolean') problems.push(`${f.key}: true or false`); else values[f.key] = v;
    } else if (f.type === 'integer' || f.type === 'number') {
      const n = typeof v === 'number' ? v : Number(v);
      if (!Number.isFinite(n) || (f.type === 'integer' && !Number.isInteger(n)) || n < 0) problems.push(`${f.key}: ${f.type}`); else values[f.key] = n;
    } else if (typeof v !== 'string' || v.length > 500) problems.push(`${f.key}: text up to 500 characters`);
    else values[f.key] = v.trim();
  }
  return { values, problems };
}
