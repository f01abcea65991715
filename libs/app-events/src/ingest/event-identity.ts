import { createHash } from 'node:crypto';

/** The parts of an event that make it the same event when sent again. */
export interface EventContent {
  anon: string;
  evt: string;
  millis: number;
  os: string;
  ext: string;
  vscode: string;
  meta: string;
}

/**
 * An event's id: the client's own id when it sends one (the event's `id`, or an Idempotency-Key
 * header for a single event), else a SHA-256 of its content, so an identical resend is one event.
 */
export function eventId(content: EventContent, clientId: string | undefined): string {
  if (clientId !== undefined) return `c:${clientId}`;
  const digest = createHash('sha256')
    .update(
      JSON.stringify([
        content.anon,
        content.evt,
        content.millis,
        content.os,
        content.ext,
        content.vscode,
        content.meta,
      ]),
    )
    .digest('hex');
  return `h:${digest}`;
}

/**
 * JSON text with object keys sorted at every level, so equal metadata gives equal text; undefined
 * when objects and arrays nest deeper than `maxDepth` (`{}` is 1 level), found in the same walk.
 */
export function canonicalJson(value: unknown, maxDepth = Number.POSITIVE_INFINITY): string | undefined {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (maxDepth < 1) return undefined;
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (const item of value as unknown[]) {
      const text = item === undefined ? 'null' : canonicalJson(item, maxDepth - 1);
      if (text === undefined) return undefined;
      parts.push(text);
    }
    return `[${parts.join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  for (const [key, item] of entries) {
    const text = canonicalJson(item, maxDepth - 1);
    if (text === undefined) return undefined;
    parts.push(`${JSON.stringify(key)}:${text}`);
  }
  return `{${parts.join(',')}}`;
}
