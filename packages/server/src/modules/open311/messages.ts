/** The interface's texts, as data in both languages (open311.messages.json), rendered by the outbox's message catalog. */
import { createRequire } from 'node:module';
import type { Locale } from '@fengqiao/contracts';
import { createMessageCatalog, type Templates } from '../outbox/topics.ts';

const require = createRequire(import.meta.url);
const groups = require('./open311.messages.json') as Record<'notice' | 'discovery' | 'attribute' | 'status', Templates>;
const catalog = createMessageCatalog();
for (const [group, templates] of Object.entries(groups)) catalog.add(`open311.${group}`, templates);

export const text = (group: keyof typeof groups, key: string, locale: Locale, params: Record<string, string> = {}) =>
  catalog.render(`open311.${group}`, key, locale, params);
