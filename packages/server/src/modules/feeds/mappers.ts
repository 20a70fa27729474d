/**
 * Each platform's message as it sends it (contracts/feeds.ts), checked and read into what intake needs: the
 * sender's id, the text, where, who, and the category as the platform names it. The maps are data: a platform
 * whose field names differ gets a mapper here, not a change to intake.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { DeviceAlarm, HotlineOrder, PetitionItem, PoliceIncident, type FeedKind } from '@fengqiao/contracts';
import { AppError } from '../../lib/errors.ts';
import { mobileNumber } from '../open311/requests.ts';
import { bodyAjv } from '../cases/intake-check.ts';

const check = { hotline: bodyAjv.compile(HotlineOrder), police: bodyAjv.compile(PoliceIncident), petition: bodyAjv.compile(PetitionItem), iot: bodyAjv.compile(DeviceAlarm) };

/** A report from a platform, ready for intake (the category still as the platform names it). */
export interface FeedReport {
  /** The platform's deadline for the handling (a 12345 work order's 办理时限). */
  dueBy?: Date;
  externalId: string; text: string; reference: { template: 'hotline' | 'police' | 'petition'; params: Record<string, string> };
  category?: string; areaCode?: string; address?: string; location?: { lon: number; lat: number };
  reporter?: { name?: string; phone?: string }; peopleInvolved?: number;
}
export type FeedAlarm = { externalId: string; deviceCode: string; type?: string; event: 'alarm' | 'clear'; at: Date; detail?: string };

function valid<T>(v: ValidateFunction, body: unknown): T {
  if (!v(body)) {
    const e = v.errors![0] as ErrorObject;
    const extra = e.params && 'missingProperty' in e.params ? ` (${String(e.params.missingProperty)})` : '';
    throw new AppError('VALIDATION_FAILED', { detail: `body${e.instancePath} ${e.message ?? 'invalid'}${extra}` });
  }
  return body as T;
}
/**
 * A hotline's deadline as platforms write it: a date-time with its zone, or a China-time date-time
 * ("2026-12-08 18:00"), or a day (the end of that day, China time).
 */
export function deadline(raw: string): Date {
  const s = raw.trim();
  let t = NaN;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) t = Date.parse(s);
  else if (/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?$/.test(s)) t = Date.parse(`${s.replace(' ', 'T')}+08:00`);
  else if (/^\d{4}-\d{2}-\d{2}$/.test(s)) t = Date.parse(`${s}T23:59:59+08:00`);
  if (Number.isNaN(t)) throw new AppError('VALIDATION_FAILED', { detail: 'body/办理时限 must be a date-time (2026-12-08T18:00:00+08:00, 2026-12-08 18:00) or a day (2026-12-08)' });
  return new Date(t);
}

const person = (name?: string, phone?: string) => (name || phone ? { ...(name ? { name } : {}), ...(phone ? { phone: mobileNumber(phone) } : {}) } : undefined);
const point = (lon?: number, lat?: number) => (lon !== undefined && lat !== undefined ? { lon, lat } : undefined);

export function readReport(kind: Exclude<FeedKind, 'iot'>, body: unknown): FeedReport {
  if (kind === 'hotline') {
    const m = valid<HotlineOrder>(check.hotline, body);
    return {
      ...(m.办理时限 ? { dueBy: deadline(m.办理时限) } : {}),
      externalId: m.工单编号, text: m.诉求内容, reference: { template: 'hotline', params: { id: m.工单编号, due: m.办理时限 ?? '' } },
      category: m.分类, areaCode: m.区划代码, address: m.地址, location: point(m.经度, m.纬度), reporter: person(m.来电人, m.来电号码),
    };
  }
  if (kind === 'police') {
    const m = valid<PoliceIncident>(check.police, body);
    return {
      externalId: m.警情编号, text: m.简要案情, reference: { template: 'police', params: { id: m.警情编号, kind: m.类别 } },
      category: m.类别, areaCode: m.区划代码, address: m.地点, location: point(m.经度, m.纬度), reporter: person(m.报警人, m.报警电话),
      peopleInvolved: m.涉及人数,
    };
  }
  const m = valid<PetitionItem>(check.petition, body);
  return {
    externalId: m.信访件编号, text: m.事项, reference: { template: 'petition', params: { id: m.信访件编号 } },
    category: m.分类, areaCode: m.区划代码, address: m.地址, reporter: person(m.信访人, m.联系电话), peopleInvolved: m.信访人数,
  };
}

export function readAlarm(body: unknown): FeedAlarm {
  const m = valid<DeviceAlarm>(check.iot, body);
  return { externalId: m.messageId, deviceCode: m.deviceId, type: m.type, event: m.event, at: new Date(m.at), detail: m.detail };
}

/** The sender's id of any kind's message, read before the whole message is checked (to answer a replay as one). */
export function senderId(kind: FeedKind, body: unknown): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const field = { hotline: '工单编号', police: '警情编号', petition: '信访件编号', iot: 'messageId' }[kind];
  const v = (body as Record<string, unknown>)[field];
  return typeof v === 'string' && v.length <= 64 ? v : undefined;
}
