import type { Db } from '../../db/database.ts';
import { insertSmsRecord } from './outbox.repository.ts';
import type { KeyRing } from '../../lib/personal-data.ts';
import { maskPhone } from '@fengqiao/contracts';

/**
 * A text: its words (as the recording sender keeps them), and the template and variables a real gateway sends —
 * Chinese providers send only templates approved beforehand, never free text.
 */
export interface SmsMessage { text: string; template: string; params: Record<string, string> }
/** Where texts go: the recording sender below by default; the gateways of modules/sms implement the same interface. */
export interface SmsSender { readonly name: string; send(phone: string, message: SmsMessage): Promise<void> }

/** A text as it may be kept or logged: a tracking link's secret is a credential, and is left out. */
export const redactTracking = (body: string) => body.replace(/([?&]s=)[^&\s]+/g, '$1***');

/** The field name bound into the recorded phone's ciphertext. */
export const SMS_FIELDS = { phone: 'sms.phone' } as const;

/**
 * The default sender: records each message (phone encrypted, tracking secret left out) and logs it with the
 * phone masked.
 */
export function createRecordingSmsSender(deps: { db: Db; keys: KeyRing; log: (msg: string) => void }): SmsSender {
  return {
    name: 'log',
    async send(phone, message) {
      const kept = redactTracking(message.text);
      await insertSmsRecord(deps.db, { phoneEnc: deps.keys.encrypt(SMS_FIELDS.phone, phone), body: kept, provider: 'log', template: message.template });
      deps.log(`SMS to ${maskPhone(phone)}: ${kept}`);
    },
  };
}
