/**
 * Outbox topics: each module registers the messages it sends — how each is delivered, its retry policy — and
 * the templates of its texts, as data in zh-CN and en-US. The worker (outbox.ts) knows no topic by name: SMS
 * providers, webhooks and warnings plug in by registering a topic.
 */
import type { Locale } from '@fengqiao/contracts';
import type { Executor } from '../../db/database.ts';

export interface RetryPolicy {
  /** Attempts before the message is marked failed. */
  maxAttempts: number;
  /** Seconds to wait before attempt `attempt + 1`. */
  backoffSeconds(attempt: number): number;
}
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 8, backoffSeconds: (attempt) => 2 ** attempt };

export interface TopicDefinition<P = Record<string, unknown>> {
  topic: string;
  /** What reaches whom: an in-app message, a text to a phone, a call to another platform. */
  channel: 'in_app' | 'sms' | 'webhook';
  retry?: RetryPolicy;
  /**
   * A delivery that only writes to this database runs in the transaction that marks the message done, so it
   * happens exactly once; any other delivery is at least once (the message is marked done after it returns).
   */
  local: boolean;
  deliver(payload: P, ex: Executor): Promise<void>;
}

export interface TopicRegistry {
  register<P>(def: TopicDefinition<P>): void;
  get(topic: string): TopicDefinition | undefined;
  topics(): string[];
}

export function createTopicRegistry(): TopicRegistry {
  const defs = new Map<string, TopicDefinition>();
  return {
    register(def) {
      if (defs.has(def.topic)) throw new Error(`outbox topic ${def.topic} registered twice`);
      defs.set(def.topic, def as unknown as TopicDefinition);
    },
    get: (topic) => defs.get(topic),
    topics: () => [...defs.keys()],
  };
}

/** A text in both languages; `{name}` is replaced by the message's parameter of that name. */
export type Template = Record<Locale, string>;
export type Templates = Record<string, Template>;

export interface MessageCatalog {
  add(group: string, templates: Templates): void;
  has(group: string, key: string): boolean;
  render(group: string, key: string, locale: Locale, params: Record<string, unknown>): string;
}

export function createMessageCatalog(): MessageCatalog {
  const groups = new Map<string, Templates>();
  return {
    add(group, templates) {
      for (const [key, t] of Object.entries(templates)) {
        if (typeof t['zh-CN'] !== 'string' || typeof t['en-US'] !== 'string') throw new Error(`template ${group}.${key} needs zh-CN and en-US`);
      }
      groups.set(group, { ...(groups.get(group) ?? {}), ...templates });
    },
    has: (group, key) => Boolean(groups.get(group)?.[key]),
    render(group, key, locale, params) {
      const t = groups.get(group)?.[key];
      if (!t) throw new Error(`no template ${group}.${key}`);
      return t[locale].replace(/\{(\w+)\}/g, (_, name: string) => (params[name] === undefined || params[name] === null ? '' : String(params[name])));
    },
  };
}
