/** Checks for the identifiers the registry stores. */

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

/**
 * Citizen ID number per GB 11643-1999: 17 digits (6-digit region, 8-digit birth date, 3-digit sequence)
 * and an ISO 7064 MOD 11-2 check character. Returns the reason when invalid, null when valid.
 */
export function idNumberProblem(raw: string): string | null {
  const v = raw.trim().toUpperCase();
  if (!/^\d{17}[\dX]$/.test(v)) return 'format';
  const y = Number(v.slice(6, 10)); const m = Number(v.slice(10, 12)); const d = Number(v.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'birth_date';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(v[i]) * ID_WEIGHTS[i]!;
  return ID_CHECK[sum % 11] === v[17] ? null : 'checksum';
}

/** Gender code (GB/T 2261.1: 1 male, 2 female) and birth year from a valid ID number. */
export function idNumberFacts(v: string): { gender: '1' | '2'; birthYear: number } {
  return { gender: Number(v.trim()[16]) % 2 === 1 ? '1' : '2', birthYear: Number(v.trim().slice(6, 10)) };
}

/** Appends the check character to 17 digits (for generating valid demo and test data). */
export function withIdCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(first17[i]) * ID_WEIGHTS[i]!;
  return first17 + ID_CHECK[sum % 11];
}

/** Mainland mobile numbers: 11 digits starting 13–19. */
export const isMobile = (v: string) => /^1[3-9]\d{9}$/.test(v.trim());

const CREDIT_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/** Unified social credit code (统一社会信用代码) per GB 32100-2015: 18 characters with a MOD 31 check. */
export function isCreditCode(raw: string): boolean {
  const v = raw.trim().toUpperCase();
  if (!/^[0-9A-HJ-NPQRTUWXY]{18}$/.test(v)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(v[i]!) * CREDIT_WEIGHTS[i]!;
  const check = (31 - (sum % 31)) % 31;
  return CREDIT_CHARS[check] === v[17];
}

/** Appends the check character to 17 characters of a credit code (for demo and test data). */
export function withCreditCheck(first17: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += CREDIT_CHARS.indexOf(first17[i]!) * CREDIT_WEIGHTS[i]!;
  return first17 + CREDIT_CHARS[(31 - (sum % 31)) % 31];
}
