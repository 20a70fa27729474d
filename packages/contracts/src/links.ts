/**
 * Addresses of the resident page that leave the system — printed in QR codes and receipts, sent in texts —
 * and that the resident page's router must keep answering. Plain functions, no schema library: the resident
 * page imports them without growing.
 */

/** The report form for a place (码上反映): the place decides the area. */
export const placePath = (code: string) => `/m/?place=${encodeURIComponent(code)}`;

/** A case as its reporter follows it, without an account: the number and the tracking secret. */
export const trackingPath = (number: string, secret: string) =>
  `/m/track/${encodeURIComponent(number)}?s=${encodeURIComponent(secret)}`;

/**
 * The 查询码 a resident reads off a receipt or a text and types back: ten characters from thirty that cannot be
 * mistaken for one another (no 0/O, 1/I/L, U/V pairs: no 0, 1, O, I, L or U), shown in two groups of five
 * (`K7QM3-XRDPA`), typed in either case, with or without the dash or spaces. 30^10 ≈ 5.9 × 10^14 codes.
 */
export const TRACKING_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_LENGTH = 10;
const CODE = new RegExp(`^[${TRACKING_CODE_ALPHABET}]{${TRACKING_CODE_LENGTH}}$`);

/** What was typed, as the code it means: upper case, no dashes or spaces. A code of older cases is kept as it is. */
export function normalizeTrackingCode(input: string): string {
  const compact = input.trim().toUpperCase().replace(/[\s\-－—_.·]/g, '');
  return CODE.test(compact) ? compact : input.trim();
}

/** `K7QM3XRDPA` → `K7QM3-XRDPA` for reading out; an older code as it is. */
export function formatTrackingCode(code: string): string {
  return CODE.test(code) ? `${code.slice(0, 5)}-${code.slice(5)}` : code;
}
