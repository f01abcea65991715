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

/** JSON text with object keys sorted at every level, so equal metadata gives equal text. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) {
    return `[${value.map((item: unknown) => (item === undefined ? 'null' : canonicalJson(item))).join(',')}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}
