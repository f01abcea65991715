import { createHash } from 'node:crypto';

/**
 * Event and trace identity exactly as the old PR telemetry service computed them, so ids that
 * clients and archives already hold stay valid.
 */

/**
 * `json.dumps(value, sort_keys=True)` of Python: `", "` and `": "` separators, keys sorted at every
 * level, non-ASCII escaped as `\uXXXX` (ensure_ascii). Integral numbers print as integers: JSON
 * parsing cannot tell `5` from `5.0`, and clients send integers where the payload has counts.
 */
export function pythonJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return pythonString(value);
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (Array.isArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${pythonString(k)}: ${pythonJson(v)}`).join(', ')}}`;
}

function pythonString(text: string): string {
  // JSON.stringify escapes what Python escapes below U+007F; ensure_ascii escapes the rest (DEL too).
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Python's float repr: scientific below 1e-4 (`1e-05`), where JavaScript writes `0.00001`. */
function pythonNumber(n: number): string {
  if (!Number.isFinite(n)) return n > 0 ? 'Infinity' : n < 0 ? '-Infinity' : 'NaN';
  if (Number.isInteger(n)) return Object.is(n, -0) ? '0' : n.toFixed(0);
  const [mantissa, exponent] = n.toExponential().split('e');
  const power = Number(exponent);
  if (power < -4) return `${mantissa}e-${String(-power).padStart(2, '0')}`;
  return String(n);
}

/**
 * SHA-256 hex over trace id, seq (decimal), type and the payload as {@link pythonJson} wrote it,
 * concatenated with no separator. `ts` (as sent) stands in for seq when the client sent none.
 */
export function traceEventId(
  traceId: string,
  seqOrTs: number | string,
  type: string,
  payloadAsPythonJson: string,
): string {
  return createHash('sha256')
    .update(`${traceId}${String(seqOrTs)}${type}${payloadAsPythonJson}`, 'utf8')
    .digest('hex');
}

/** Namespace of the trace ids the hub derives (a fixed, random UUID). */
const TRACE_NAMESPACE = Buffer.from('3f1c2b7e9a4d4e0f8b6a5c1d2e3f4a5b', 'hex');

/**
 * The trace id of a batch sent without one: a name-based UUID (version 5, RFC 9562) of its PR and,
 * when given, its developer, so a resend lands in the same trace (the old service minted a random
 * id per request and never recognised a resend).
 */
export function derivedTraceId(prId: string, developerUserId: string | undefined): string {
  const name = developerUserId === undefined ? prId : `${prId}\n${developerUserId}`;
  const bytes = createHash('sha1').update(TRACE_NAMESPACE).update(name, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
