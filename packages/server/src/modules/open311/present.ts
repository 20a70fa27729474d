/** A case as an Open311 service request: the public tracking page's fields, and more for a reader with a key. */
import { OpenStatuses, type Locale } from '@fengqiao/contracts';
import { text } from './messages.ts';
import type { RequestRow } from './open311.repository.ts';

/** A W3C date-time in China time: 2026-12-01T09:14:00+08:00. */
export function w3(d: Date): string {
  return `${new Date(d.getTime() + 8 * 3600_000).toISOString().slice(0, 19)}+08:00`;
}

/** Open311 knows two states: a case is open until it is closed, archived, rejected or merged into another. */
export const isOpen = (status: string) => (OpenStatuses as readonly string[]).includes(status);

/** What is happening, in the words of the resident's tracking page; a result's text where there is one. */
function statusNotes(r: RequestRow, locale: Locale): string {
  const org = r.assigneeOrgName ?? r.owningOrgName;
  return text('status', r.status, locale, { org, result: r.resultText ?? '', merged: r.mergedIntoNumber ?? '' }).replace(/[:：]\s*$/, '');
}

export function presentRequest(r: RequestRow, locale: Locale) {
  const open = isOpen(r.status);
  return {
    service_request_id: r.number,
    status: open ? 'open' : 'closed',
    status_notes: statusNotes(r, locale),
    service_name: locale === 'en-US' ? r.categoryNameEn : r.categoryName,
    service_code: r.categoryCode,
    // the text, the address typed and the point are the reporter's words and place: only for a reader with a key
    description: r.full ? r.description : undefined,
    agency_responsible: r.assigneeOrgName ?? r.owningOrgName,
    requested_datetime: w3(r.createdAt),
    updated_datetime: w3(!open && r.closedAt ? r.closedAt : r.updatedAt),
    expected_datetime: open && r.handleDueAt ? w3(r.handleDueAt) : undefined,
    address: r.full ? r.address ?? r.areaName : r.areaName,
    lat: r.full && r.lat !== null ? r.lat : undefined,
    long: r.full && r.lon !== null ? r.lon : undefined,
  };
}
