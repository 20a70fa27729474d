/** Open311's arguments, read and checked: every one optional means "absent when empty" (the specification's rule). */
import { OpenStatuses } from '@fengqiao/contracts';
import { AppError } from '../../lib/errors.ts';

/** A form or query string: each name with its value, or its values when repeated. */
export type Form = Record<string, string | string[] | undefined>;

const bad = (detail: string) => new AppError('VALIDATION_FAILED', { detail });
const one = (f: Form, name: string): string | undefined => {
  const v = f[name];
  const s = (Array.isArray(v) ? v[0] : v)?.trim();
  return s ? s : undefined;
};
const number = (f: Form, name: string, min: number, max: number): number | undefined => {
  const s = one(f, name);
  if (s === undefined) return undefined;
  const n = Number(s);
  if (!Number.isFinite(n) || n < min || n > max) throw bad(`${name} must be a number from ${min} to ${max}`);
  return n;
};
const list = (f: Form, name: string): string[] | undefined => {
  const v = f[name];
  const items = (Array.isArray(v) ? v : v === undefined ? [] : [v]).flatMap((x) => x.split(',')).map((x) => x.trim()).filter(Boolean);
  return items.length ? items : undefined;
};

/** A mainland mobile number as people write it: spaces, dashes, a +86 or 0086 in front. */
export function mobileNumber(raw: string): string {
  const digits = raw.replace(/[\s-]/g, '').replace(/^(\+86|0086)/, '');
  if (!/^1[3-9]\d{9}$/.test(digits)) throw bad('phone must be a mainland mobile number');
  return digits;
}

export function parseFilingForm(f: Form) {
  const serviceCode = one(f, 'service_code');
  if (!serviceCode) throw bad('service_code was not provided');
  const lat = number(f, 'lat', -90, 90);
  const lon = number(f, 'long', -180, 180);
  if ((lat === undefined) !== (lon === undefined)) throw bad('lat and long must be sent together');
  const addressString = one(f, 'address_string');
  const addressId = one(f, 'address_id');
  if (lat === undefined && !addressString && !addressId) throw bad('a location is required: lat and long, address_string or address_id');
  const mediaUrl = one(f, 'media_url');
  if (mediaUrl && (!/^https?:\/\/\S+$/i.test(mediaUrl) || mediaUrl.length > 500)) throw bad('media_url must be an http(s) URL');
  const first = one(f, 'first_name');
  const last = one(f, 'last_name');
  // Chinese order: family name first; a name in Latin letters keeps a space
  const name = first && last ? (/^[\p{Script=Han}]+$/u.test(first + last) ? `${last}${first}` : `${first} ${last}`) : first ?? last;
  const phone = one(f, 'phone');
  const reporter = name || phone ? { ...(name ? { name } : {}), ...(phone ? { phone: mobileNumber(phone) } : {}) } : undefined;
  const people = one(f, 'attribute[people_involved]');
  const anonymous = one(f, 'attribute[anonymous]');
  if (anonymous !== undefined && anonymous !== 'true' && anonymous !== 'false') throw bad('attribute[anonymous] must be true or false');
  const peopleInvolved = people === undefined ? undefined : Number(people);
  if (peopleInvolved !== undefined && (!Number.isInteger(peopleInvolved) || peopleInvolved < 1 || peopleInvolved > 100000)) {
    throw bad('attribute[people_involved] must be a whole number from 1 to 100000');
  }
  const known = new Set(['jurisdiction_id', 'service_code', 'lat', 'long', 'address_string', 'address_id', 'email', 'device_id', 'account_id',
    'first_name', 'last_name', 'phone', 'description', 'media_url', 'api_key', 'attribute[people_involved]', 'attribute[anonymous]']);
  const unknownAttribute = Object.keys(f).find((k) => k.startsWith('attribute[') && !known.has(k));
  if (unknownAttribute) throw bad(`${unknownAttribute.slice(0, 60)} is not an attribute of this service`);
  return {
    jurisdictionId: one(f, 'jurisdiction_id'), serviceCode, description: one(f, 'description'), mediaUrl, addressId,
    address: addressString, location: lat !== undefined && lon !== undefined ? { lon, lat } : undefined,
    reporter, anonymous: anonymous === undefined ? undefined : anonymous === 'true', peopleInvolved,
  };
}

/** W3C date-times with their zone, as the specification requires. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
const date = (f: Form, name: string) => {
  const s = one(f, name);
  if (s === undefined) return undefined;
  const t = DATE_TIME.test(s) ? Date.parse(s) : NaN;
  if (Number.isNaN(t)) throw bad(`${name} must be a date-time with its zone, e.g. 2026-12-01T09:00:00+08:00`);
  return new Date(t);
};
const SPAN = 90 * 86_400_000;

export function parseListQuery(f: Form, now: Date) {
  const numbers = list(f, 'service_request_id');
  if (numbers && numbers.length > 100) throw bad('at most 100 service_request_id at once');
  const statusWords = list(f, 'status');
  if (statusWords?.some((s) => s !== 'open' && s !== 'closed')) throw bad('status must be open or closed');
  let statuses: readonly string[] | undefined;
  if (statusWords && new Set(statusWords).size === 1) {
    statuses = statusWords[0] === 'open' ? OpenStatuses : ['closed', 'archived', 'rejected', 'merged'];
  }
  let from = date(f, 'start_date');
  let to = date(f, 'end_date');
  // no more than 90 days at once; the most recent 90 days when no range is given
  if (from && to && (to.getTime() - from.getTime() > SPAN || to < from)) throw bad('start_date to end_date may not span more than 90 days');
  if (from && !to) to = new Date(Math.min(from.getTime() + SPAN, now.getTime() + 1));
  if (!from) { to ??= new Date(now.getTime() + 1); from = new Date(to.getTime() - SPAN); }
  return { jurisdictionId: one(f, 'jurisdiction_id'), numbers, serviceCodes: list(f, 'service_code'), statuses, from, to };
}
