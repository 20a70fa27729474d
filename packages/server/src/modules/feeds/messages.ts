/** The feeds' texts, as data in both languages (feeds.messages.json), rendered by the outbox's message catalog. */
import { createRequire } from 'node:module';
import type { Locale } from '@fengqiao/contracts';
import { createMessageCatalog, type Templates } from '../outbox/topics.ts';

const require = createRequire(import.meta.url);
const groups = require('./feeds.messages.json') as Record<'device' | 'text' | 'status', Templates>;
const catalog = createMessageCatalog();
for (const [group, templates] of Object.entries(groups)) catalog.add(`feeds.${group}`, templates);

export const feedText = (group: keyof typeof groups, key: string, locale: Locale, params: Record<string, string> = {}) =>
  catalog.render(`feeds.${group}`, key, locale, params);

/** The associated data bound into each platform's encrypted signing secret. */
export const SECRET_FIELD = 'feed_sources.secret';
