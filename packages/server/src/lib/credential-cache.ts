/**
 * A short-lived cache of what an API token resolves to, so that an integration posting many reports
 * does not pay a database round trip per request only to learn who it is.
 *
 * Any change to accounts or tokens made by this process (a token revoked, a user disabled or given other
 * roles) empties every cache at once, after its transaction has committed: here the change is immediate.
 * A change made by another server process against the same PostgreSQL reaches this one within the TTL
 * (`AUTH_CACHE_SECONDS`, 5 s by default; 0 turns the cache off).
 */
let epoch = 0;

/** Call after committing any change to who a credential belongs to or what it may do. */
export function credentialsChanged(): void {
  epoch++;
}

export function credentialCache<V>(ttlMs: number, now: () => number, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; at: number; epoch: number }>();
  return {
    async get(key: string, load: () => Promise<V>): Promise<V> {
      if (ttlMs <= 0) return load();
      const hit = entries.get(key);
      const t = now();
      if (hit && hit.epoch === epoch && t - hit.at < ttlMs && t >= hit.at) return hit.value;
      const seenEpoch = epoch;
      const value = await load();
      // a change committed while this lookup ran may not be in what it read: keep nothing then
      if (seenEpoch === epoch) {
        if (entries.size >= maxEntries) entries.clear();
        entries.set(key, { value, at: t, epoch: seenEpoch });
      }
      return value;
    },
    clear() { entries.clear(); },
  };
}
