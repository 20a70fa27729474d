import crypto from 'node:crypto';

/**
 * Personal-data primitives (PIPL art. 28, 等保 2.0 level 3):
 *  - field encryption: AES-256-GCM with a random 96-bit IV, the field name bound as additional data,
 *    so a ciphertext copied into another column or table does not decrypt;
 *  - blind index: HMAC-SHA-256 of the normalised value, for exact lookups without plaintext;
 *  - key ring: keys derive (HKDF-SHA-256) from FENGQIAO_SECRET; previous secrets stay readable
 *    during a rotation, and `fengqiao rotate-keys` re-encrypts everything under the current key.
 *
 * Ciphertext format: `fq1.<keyId>.<base64url(iv ‖ ciphertext ‖ tag)>`.
 */
export interface KeyRing {
  currentId: string;
  encrypt(field: string, plaintext: string): string;
  decrypt(field: string, ciphertext: string): string;
  /** True when the value was written under an older key. */
  isStale(ciphertext: string): boolean;
  /** Blind index under the current key. */
  blindIndex(field: string, value: string): string;
  /** Blind indexes under every known key, to find rows not yet rotated. */
  blindIndexes(field: string, value: string): string[];
  /** Keyed hash for bearer secrets (API tokens, session ids). */
  tokenHash(token: string): string;
}

interface Key { id: string; enc: crypto.KeyObject; idx: crypto.KeyObject }

function derive(secret: string): Key {
  const ikm = Buffer.from(secret, 'utf8');
  const salt = Buffer.from('fengqiao/v1', 'utf8');
  const enc = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, 'field-encryption', 32));
  const idx = Buffer.from(crypto.hkdfSync('sha256', ikm, salt, 'blind-index', 32));
  const id = crypto.createHash('sha256').update(enc).digest('hex').slice(0, 8);
  // key objects: the cipher does not import the raw key again on every call
  return { id, enc: crypto.createSecretKey(enc), idx: crypto.createSecretKey(idx) };
}

export class DecryptionError extends Error {
  constructor(reason: string) { super(`Cannot decrypt personal data: ${reason}`); this.name = 'DecryptionError'; }
}

/**
 * Random IVs drawn from the CSPRNG 4 KB at a time and handed out once each: one call to the generator per
 * 341 values instead of one per value (the call cost more than the encryption of a phone number).
 */
function ivSource(): () => Buffer {
  let pool = Buffer.alloc(0);
  let at = 0;
  return () => {
    if (at + 12 > pool.length) { pool = crypto.randomBytes(12 * 341); at = 0; }
    return pool.subarray(at, (at += 12));
  };
}

/** The field names (a few dozen constants), as the bytes bound to each ciphertext. */
const aadOf = (() => {
  const m = new Map<string, Buffer>();
  return (field: string) => {
    let b = m.get(field);
    if (!b) { b = Buffer.from(field, 'utf8'); if (m.size < 1000) m.set(field, b); }
    return b;
  };
})();

export function createKeyRing(secret: string, previousSecrets: string[] = []): KeyRing {
  const current = derive(secret);
  const all = [current, ...previousSecrets.map(derive)];
  const byId = new Map(all.map((k) => [k.id, k]));
  const nextIv = ivSource();
  const tokenKey = Buffer.from(crypto.hkdfSync('sha256', Buffer.from(secret), Buffer.from('fengqiao/v1'), 'token-hash', 32));
  const normalise = (v: string) => v.normalize('NFKC').trim().toUpperCase();
  const hmac = (k: Key, field: string, value: string) =>
    crypto.createHmac('sha256', k.idx).update(field).update('\0').update(normalise(value)).digest('base64url');

  return {
    currentId: current.id,
    encrypt(field, plaintext) {
      const iv = nextIv();
      const cipher = crypto.createCipheriv('aes-256-gcm', current.enc, iv);
      cipher.setAAD(aadOf(field));
      const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return `fq1.${current.id}.${Buffer.concat([iv, ct, cipher.getAuthTag()]).toString('base64url')}`;
    },
    decrypt(field, ciphertext) {
      const [version, keyId, payload] = ciphertext.split('.');
      if (version !== 'fq1' || !keyId || !payload) throw new DecryptionError('unknown format');
      const key = byId.get(keyId);
      if (!key) throw new DecryptionError(`key ${keyId} is not configured (add the old secret to FENGQIAO_PREVIOUS_SECRETS)`);
      const raw = Buffer.from(payload, 'base64url');
      if (raw.length < 28) throw new DecryptionError('truncated');
      const decipher = crypto.createDecipheriv('aes-256-gcm', key.enc, raw.subarray(0, 12));
      decipher.setAAD(aadOf(field));
      decipher.setAuthTag(raw.subarray(raw.length - 16));
      try {
        return Buffer.concat([decipher.update(raw.subarray(12, raw.length - 16)), decipher.final()]).toString('utf8');
      } catch {
        throw new DecryptionError('authentication failed (tampered, or another field’s value)');
      }
    },
    isStale(ciphertext) { return ciphertext.split('.')[1] !== current.id; },
    blindIndex(field, value) { return hmac(current, field, value); },
    blindIndexes(field, value) { return all.map((k) => hmac(k, field, value)); },
    tokenHash(token) { return crypto.createHmac('sha256', tokenKey).update(token).digest('base64url'); },
  };
}
