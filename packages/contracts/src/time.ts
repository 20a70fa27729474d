/** China Standard Time (UTC+8, no daylight saving): how every time is shown and exported. */
export const CHINA_OFFSET_MS = 8 * 3_600_000;

/** A moment as staff read it, in China time: `2026-12-01 09:14`, or with `seconds` `2026-12-01 09:14:05`. */
export function chinaTime(iso: string | Date, o: { seconds?: boolean } = {}): string {
  const at = typeof iso === 'string' ? new Date(iso).getTime() : iso.getTime();
  return new Date(at + CHINA_OFFSET_MS).toISOString().slice(0, o.seconds ? 19 : 16).replace('T', ' ');
}
