import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import semver from 'semver';

/**
 * The README promises Node 20 (≥ 20.19) and 22. Every installed package must accept both, except the two
 * the README names (they declare Node 22 but work on 20, which this suite proves by running on it).
 */
const ROOT = path.resolve(import.meta.dirname, '../../..');
const NAMED_IN_README = ['cookie', 'content-disposition', 'nanoid'];

describe('Node versions', () => {
  it('every installed package accepts Node 20.19 and 22.20, apart from the ones the README names', () => {
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { engines?: { node?: string } | string[]; optional?: boolean }> };
    const refusing: string[] = [];
    for (const [where, pkg] of Object.entries(lock.packages)) {
      const range = pkg.engines && !Array.isArray(pkg.engines) ? pkg.engines.node : undefined;
      if (!where || !range || !fs.existsSync(path.join(ROOT, where))) continue; // optional builds for other platforms are not installed
      const name = where.slice(where.lastIndexOf('node_modules/') + 'node_modules/'.length);
      for (const v of ['20.19.0', '22.20.0']) {
        if (!semver.satisfies(v, range, { includePrerelease: true }) && !(v === '20.19.0' && NAMED_IN_README.includes(name))) refusing.push(`${name} wants node ${range} (not ${v})`);
      }
    }
    expect(refusing).toEqual([]);
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    for (const name of NAMED_IN_README) expect(readme).toContain(`\`${name}\``);
    expect(JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).engines.node).toBe('>=20.19');
  });
});
