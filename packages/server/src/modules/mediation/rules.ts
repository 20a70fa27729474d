/** The mediation module's fixed rules: its deadlines, and how agreements are numbered. */

/** A mediation is normally finished within 30 days of accepting it (人民调解法 practice), extendable with a reason. */
export const MEDIATION_DAYS = 30;
/** The parties must apply for judicial confirmation within 30 days of the agreement taking effect (民事诉讼法). */
export const CONFIRMATION_DAYS = 30;
/** A warning this many days before the confirmation window closes. */
export const CONFIRMATION_WARN_DAYS = 5;

import { chinaDay } from '../calendar/working-time.ts';

/** The last day to apply for judicial confirmation of an agreement that took effect at `agreedAt`. */
export function confirmationDeadline(agreedAt: Date): string {
  return chinaDay(new Date(agreedAt.getTime() + CONFIRMATION_DAYS * 86_400_000));
}

/**
 * 〔2026〕幸调字第12号: the year, the committee's short name (the first character of its name, as committees
 * abbreviate their township) with 调字, and the serial of the committee's agreements that year.
 */
export function agreementNumber(committeeName: string, at: Date, serial: number): string {
  return `〔${chinaDay(at).slice(0, 4)}〕${[...committeeName][0] ?? ''}调字第${serial}号`;
}

/** The default category (data/categories.json) of a dispute type, for disputes a sweep finds. */
export const DISPUTE_CATEGORY_CODES: Record<string, string> = {
  marriage_family: 'D01', neighbourhood: 'D02', housing_homestead: 'D03', contract: 'D04', business: 'D05', damages: 'D06', forest_land: 'D07',
  land_acquisition: 'D08', environment: 'D09', labour: 'D10', wage_arrears: 'D10', consumer: 'D11', medical: 'D12', traffic: 'D13', property: 'D14', other: 'D99',
};
