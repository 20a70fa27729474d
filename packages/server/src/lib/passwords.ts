import { hash, verify, type Algorithm } from '@node-rs/argon2';

const ARGON2ID = 2 as Algorithm; // Algorithm.Argon2id (a const enum, not importable as a value)

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

/** argon2id, memory-hard; parameters are stored in the hash string, so changing them later keeps old hashes valid. */
export function createPasswordHasher(memoryKiB: number, timeCost: number): PasswordHasher {
  const options = { algorithm: ARGON2ID, memoryCost: memoryKiB, timeCost, parallelism: 1 };
  // A hash to check against when the user does not exist, so that a wrong username costs as much as a wrong password.
  const decoy = hash('fengqiao-decoy-password', options);
  return {
    hash: (password) => hash(password, options),
    async verify(hashed, password) {
      try { return await verify(hashed || (await decoy), password); } catch { return false; }
    },
  };
}
