import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where attachment bytes live. The disk store is the default; an S3-compatible store implements the
 * same four calls (keys are opaque, at most 200 characters of [a-z0-9/-]).
 */
export interface BlobStorage {
  readonly kind: string;
  put(key: string, data: Buffer): Promise<void>;
  get(key: string): Promise<Buffer | null>;
  delete(key: string): Promise<void>;
  /** Bytes still free where the files are written, when the store can tell (for /metrics). */
  freeBytes?(): Promise<number | null>;
}

/** Files under one directory; a write goes to a temporary name first, so a crash never leaves half a file under a real key. */
export function createDiskStorage(root: string): BlobStorage {
  const file = (key: string) => {
    if (!/^[a-z0-9][a-z0-9/-]{0,199}$/.test(key) || key.includes('..')) throw new Error(`invalid storage key ${key}`);
    return path.join(root, key);
  };
  return {
    kind: 'disk',
    async put(key, data) {
      const target = file(key);
      await fs.promises.mkdir(path.dirname(target), { recursive: true, mode: 0o700 });
      const tmp = `${target}.${crypto.randomBytes(6).toString('hex')}.tmp`;
      await fs.promises.writeFile(tmp, data, { mode: 0o600 });
      await fs.promises.rename(tmp, target);
    },
    async get(key) {
      try {
        return await fs.promises.readFile(file(key));
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw e;
      }
    },
    async delete(key) {
      await fs.promises.rm(file(key), { force: true });
    },
    async freeBytes() {
      // the directory may not exist before the first upload: ask the nearest one that does
      for (let dir = root; ; dir = path.dirname(dir)) {
        try {
          const st = await fs.promises.statfs(dir);
          return st.bavail * st.bsize;
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'ENOENT' || path.dirname(dir) === dir) return null;
        }
      }
    },
  };
}
