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
