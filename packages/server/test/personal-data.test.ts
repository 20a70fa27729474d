import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { maskIdNumber, maskName, maskPhone } from '@fengqiao/contracts';
import { createKeyRing, DecryptionError } from '../src/lib/personal-data.ts';

const SECRET = 'a'.repeat(40);
const OTHER = 'b'.repeat(40);

describe('field encryption', () => {
  const keys = createKeyRing(SECRET);

  it('round-trips any text, with a fresh IV every time', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
      const a = keys.encrypt('people.id_number', text);
      const b = keys.encrypt('people.id_number', text);
      expect(a).not.toBe(b);
      expect(keys.decrypt('people.id_number', a)).toBe(text);
    }));
  });

  it('never uses an IV twice, across the refills of its pool of random bytes', () => {
    const ivs = new Set<string>();
    const n = 341 * 3 + 7; // IVs come 341 to a draw from the generator
    for (let i = 0; i < n; i++) {
      const raw = Buffer.from(keys.encrypt('cases.reporter_phone', '13812345678').split('.')[2]!, 'base64url');
      ivs.add(raw.subarray(0, 12).toString('hex'));
    }
    expect(ivs.size).toBe(n);
  });

  it('never contains the plaintext', () => {
    const ct = keys.encrypt('users.phone', '13812345678');
    expect(ct).not.toContain('13812345678');
    expect(ct).toMatch(/^fq1\.[0-9a-f]{8}\.[\w-]+$/);
  });

  it('detects tampering and a value moved to another field', () => {
    const ct = keys.encrypt('users.phone', '13812345678');
    const [v, id, payload] = ct.split('.') as [string, string, string];
    const raw = Buffer.from(payload, 'base64url');
    raw[14] = raw[14]! ^ 1;
    expect(() => keys.decrypt('users.phone', `${v}.${id}.${raw.toString('base64url')}`)).toThrow(DecryptionError);
    expect(() => keys.decrypt('people.phone', ct)).toThrow(/another field/);
  });

  it('rotation: old ciphertexts stay readable with the previous secret, and are marked stale', () => {
    const old = createKeyRing(OTHER);
    const ct = old.encrypt('users.phone', '13812345678');
    expect(() => keys.decrypt('users.phone', ct)).toThrow(/FENGQIAO_PREVIOUS_SECRETS/);
    const rotated = createKeyRing(SECRET, [OTHER]);
    expect(rotated.decrypt('users.phone', ct)).toBe('13812345678');
    expect(rotated.isStale(ct)).toBe(true);
    expect(rotated.isStale(rotated.encrypt('users.phone', 'x'))).toBe(false);
  });
});

describe('blind index', () => {
  const keys = createKeyRing(SECRET);
  it('is deterministic, normalised, keyed and field-specific', () => {
    expect(keys.blindIndex('people.id_number', '11010119900307001x')).toBe(keys.blindIndex('people.id_number', ' 11010119900307001X '));
    expect(keys.blindIndex('people.id_number', '110101199003070011')).not.toBe(keys.blindIndex('people.id_number', '110101199003070012'));
    expect(keys.blindIndex('users.phone', '13812345678')).not.toBe(keys.blindIndex('people.phone', '13812345678'));
    expect(createKeyRing(OTHER).blindIndex('users.phone', '13812345678')).not.toBe(keys.blindIndex('users.phone', '13812345678'));
  });
  it('during a rotation, lookups try every known key', () => {
    const rotating = createKeyRing(SECRET, [OTHER]);
    expect(rotating.blindIndexes('users.phone', '13812345678')).toEqual([
      keys.blindIndex('users.phone', '13812345678'), createKeyRing(OTHER).blindIndex('users.phone', '13812345678'),
    ]);
  });
});

describe('masking', () => {
  it('masks phones, ID numbers and names as the spec shows', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskIdNumber('110101199003070011')).toBe('110101********0011');
    expect(maskName('张三丰')).toBe('张*丰');
    expect(maskName('张三')).toBe('张*');
    expect(maskName('欧阳娜娜')).toBe('欧**娜');
    expect(maskName('王')).toBe('*');
  });
  it('keeps the length and never shows the middle', () => {
    fc.assert(fc.property(fc.stringMatching(/^1[3-9]\d{9}$/), (p) => {
      const m = maskPhone(p);
      expect(m).toHaveLength(11);
      expect(m.slice(3, 7)).toBe('****');
    }));
    fc.assert(fc.property(fc.stringMatching(/^\d{17}[\dX]$/), (id) => {
      const m = maskIdNumber(id);
      expect(m).toHaveLength(18);
      expect(m.slice(6, 14)).toBe('********');
    }));
  });
});
