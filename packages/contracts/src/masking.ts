/**
 * Masking rules for personal data shown by default (PIPL art. 28 "sensitive personal information").
 * Shared so that the server, exports and the console mask the same way.
 */

/** 13812345678 → 138****5678; other numbers keep their first 3 and last 4 characters. */
export function maskPhone(phone: string): string {
  const p = phone.trim();
  if (p.length <= 7) return '*'.repeat(p.length);
  return p.slice(0, 3) + '*'.repeat(p.length - 7) + p.slice(-4);
}

/** 11010119900307001X → 110101********001X (region code and last four kept). */
export function maskIdNumber(id: string): string {
  const v = id.trim();
  if (v.length <= 10) return '*'.repeat(v.length);
  return v.slice(0, 6) + '*'.repeat(v.length - 10) + v.slice(-4);
}

/** 张三 → 张*, 张三丰 → 张*丰, 欧阳娜娜 → 欧**娜; Latin names keep their first letter. */
export function maskName(name: string): string {
  const chars = Array.from(name.trim());
  if (chars.length === 0) return '';
  if (chars.length === 1) return '*';
  if (chars.length === 2) return chars[0] + '*';
  return chars[0] + '*'.repeat(chars.length - 2) + chars[chars.length - 1];
}
