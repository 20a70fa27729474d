/**
 * Addresses an administrator may have Fengqiao call (webhooks, a hotline's status callback). Other platforms of a
 * government network live on private addresses, so those are allowed; what is refused is what no platform is:
 * the unspecified address and link-local ones (169.254.0.0/16, fe80::/10 — where cloud machines answer with
 * their credentials). Redirects are never followed when calling.
 */
import { AppError } from './errors.ts';

export function checkOutboundUrl(raw: string, field: string): void {
  let u: URL;
  try { u = new URL(raw); } catch { throw new AppError('VALIDATION_FAILED', { detail: `${field}: not a URL` }); }
  const host = u.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  const refused = (u.protocol !== 'http:' && u.protocol !== 'https:') || u.username || u.password
    || /^0\.|^169\.254\./.test(host) || host === '0.0.0.0' || host === '::' || /^fe[89ab][0-9a-f]?:/.test(host) || host === 'metadata.google.internal';
  if (refused) throw new AppError('VALIDATION_FAILED', { detail: `${field}: this address cannot be called (credentials in the URL, or an unspecified or link-local host)` });
}
