/** The interface's texts, as data in both languages (open311.messages.json). */
import { createRequire } from 'node:module';
import type { Locale } from '@fengqiao/contracts';

const require = createRequire(import.meta.url);
type Texts = Record<string, Record<Locale, string>>;
export const messages = require('./open311.messages.json') as { notice: Texts; discovery: Texts; attribute: Texts; status: Texts };

export const text = (group: Texts, key: string, locale: Locale, params: Record<string, string> = {}) =>
  group[key]![locale].replace(/\{(\w+)\}/g, (_, k: string) => params[k] ?? '');
