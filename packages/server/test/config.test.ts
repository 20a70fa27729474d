import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';
import { resolveDemoSecrets } from '../src/server.ts';

const secret = 's'.repeat(32);

describe('configuration', () => {
  it('has the documented defaults', () => {
    const c = parseConfig({ FENGQIAO_SECRET: secret });
    expect(c).toMatchObject({ port: 3000, host: '127.0.0.1', databaseUrl: null, demo: false, sessionIdleMinutes: 30, loginMaxFailures: 5, cookieSecure: true });
    expect(c.dataDir).toBe(path.resolve('./data'));
    expect(c.databasePoolSize).toBe(10);
    expect(parseConfig({ FENGQIAO_SECRET: secret, DATABASE_POOL_SIZE: '40' }).databasePoolSize).toBe(40);
    expect(() => parseConfig({ FENGQIAO_SECRET: secret, DATABASE_POOL_SIZE: '0' })).toThrow(/DATABASE_POOL_SIZE/);
  });

  it('lets flags override the environment', () => {
    const c = parseConfig({ FENGQIAO_SECRET: secret, PORT: '4000' }, { port: '5000', dataDir: '/tmp/x' });
    expect(c.port).toBe(5000);
    expect(c.dataDir).toBe('/tmp/x');
  });

  it('has no default secret outside demo mode', () => {
    expect(() => parseConfig({})).toThrow(/FENGQIAO_SECRET is required/);
    expect(() => parseConfig({ FENGQIAO_SECRET: 'short' })).toThrow(/at least 32/);
    expect(parseConfig({ FENGQIAO_DEMO: '1' }).secret).toBe('');
  });

  it('maps tiers to owning levels, Baiyin’s rule unless told otherwise', () => {
    expect(parseConfig({ FENGQIAO_SECRET: secret }).tierLevels).toEqual({ general: 'village', major: 'township', difficult: 'county', cross_region: 'city' });
    const c = parseConfig({ FENGQIAO_SECRET: secret, CASE_TIER_LEVELS: 'general=township, difficult=city' });
    expect(c.tierLevels).toMatchObject({ general: 'township', major: 'township', difficult: 'city' });
    expect(() => parseConfig({ FENGQIAO_SECRET: secret, CASE_TIER_LEVELS: 'general=grid' })).toThrow(/CASE_TIER_LEVELS/);
  });

  it('reports every problem at once', () => {
    try {
      parseConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', LOG_LEVEL: 'loud', SESSION_IDLE_MINUTES: '0' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems.join('\n');
      for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'SESSION_IDLE_MINUTES', 'FENGQIAO_SECRET']) expect(problems).toContain(name);
    }
  });

  it('demo mode keeps one generated secret and password per data directory', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fq-cfg-'));
    try {
      const c1 = resolveDemoSecrets(parseConfig({ FENGQIAO_DEMO: 'true', DATA_DIR: dir }));
      const c2 = resolveDemoSecrets(parseConfig({ FENGQIAO_DEMO: 'true', DATA_DIR: dir }));
      expect(c1.secret.length).toBeGreaterThanOrEqual(32);
      expect(c2.secret).toBe(c1.secret);
      expect(c2.demoPassword).toBe(c1.demoPassword);
      expect(resolveDemoSecrets(parseConfig({ FENGQIAO_DEMO: 'true', DATA_DIR: dir, FENGQIAO_DEMO_PASSWORD: 'Chosen-pass-1' })).demoPassword).toBe('Chosen-pass-1');
      expect(() => parseConfig({ FENGQIAO_DEMO: 'true', FENGQIAO_DEMO_PASSWORD: 'weak' })).toThrow(/FENGQIAO_DEMO_PASSWORD/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
