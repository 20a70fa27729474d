/**
 * Open311's two formats. XML is the specification's own; JSON is its programmatic mapping (the Spark
 * convention): a list is a JSON array where XML has a wrapper element holding one element per item.
 */
import { XMLBuilder } from 'fast-xml-parser';

export type Format = 'json' | 'xml';
export const CONTENT_TYPES: Record<Format, string> = { json: 'application/json; charset=utf-8', xml: 'text/xml; charset=utf-8' };

/** The element of each item inside a wrapper element, for every list the specification has. */
const ITEM_OF: Record<string, string> = {
  services: 'service', service_requests: 'request', attributes: 'attribute', values: 'value', errors: 'error',
  endpoints: 'endpoint', formats: 'format',
};

const builder = new XMLBuilder({ format: true, indentBy: '  ', suppressEmptyNode: false, processEntities: true });

/** Arrays inside objects become `<list><item/>…</list>`; absent values are left out, as in the JSON. */
function spark(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) {
    const item = (key && ITEM_OF[key]) ?? 'item';
    return { [item]: value.map((v) => spark(v, item)) };
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined && v !== null).map(([k, v]) => [k, spark(v, k)]));
  }
  return typeof value === 'boolean' || typeof value === 'number' ? String(value) : value;
}

/**
 * One document in the chosen format. `root` names the XML root (`services`, `service_requests`, …);
 * a top-level array is the root's items, an object its children.
 */
export function render(format: Format, root: string, body: unknown): string {
  if (format === 'json') return JSON.stringify(body, (_k, v: unknown) => (v === null ? undefined : v));
  const content = spark(body, root);
  return `<?xml version="1.0" encoding="utf-8"?>\n${builder.build({ [root]: content }) as string}`;
}

/** `services.xml` → ['services', 'xml']; null for another extension. */
export function splitFormat(file: string): [string, Format] | null {
  const m = /^(.+)\.(json|xml)$/i.exec(file);
  return m ? [m[1]!, m[2]!.toLowerCase() as Format] : null;
}
