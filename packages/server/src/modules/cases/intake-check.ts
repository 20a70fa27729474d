/** Staff intake's own rules (lengths, ranges, the phone's form) for reports that arrive other than as the JSON API's bodies. */
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { StaffIntake } from '@fengqiao/contracts';
import { AppError } from '../../lib/errors.ts';

const addFormats = addFormatsModule as unknown as (ajv: Ajv) => Ajv;
/** A body read other than by the HTTP layer, checked the way it checks bodies: formats, no coercion. */
export const bodyAjv = addFormats(new Ajv({ allErrors: false, strict: false }));
const check = bodyAjv.compile(StaffIntake);

export function checkStaffIntake(input: unknown): void {
  if (check(input)) return;
  const e = check.errors?.[0];
  throw new AppError('VALIDATION_FAILED', { detail: `${e?.instancePath.replace(/^\//, '') || 'request'} ${e?.message ?? 'invalid'}` });
}
