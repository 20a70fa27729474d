/** The feeds' texts, as data in both languages (feeds.messages.json), and the field name of their secrets. */
import { createRequire } from 'node:module';
import type { Locale } from '@fengqiao/contracts';

const require = createRequire(import.meta.url);
type Texts = Record<string, Record<Locale, string>>;
const messages = require('./feeds.messages.json') as Record<'device' | 'text' | 'status', Texts>;

export const feedText = (group: keyof typeof messages, key: string, locale: Locale, params: Record<string, string> = {}) =>
  (messages[group][key]?.[locale] ?? key).replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');

/** The associated data bound into each platform's encrypted signing secret. */
export const SECRET_FIELD = 'feed_sources.secret';
