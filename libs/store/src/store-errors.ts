import { ClickHouseError } from '@clickhouse/client';

/**
 * ClickHouse error codes of a store that is busy, restarting or out of reach for a while: the same
 * insert can succeed later. Every other ClickHouse error is about the rows (or the statement) and
 * will fail again, so the consumer isolates the message that causes it instead of retrying.
 */
const TRANSIENT_CODES = new Set([
  '159', // TIMEOUT_EXCEEDED
  '160', // TOO_SLOW
  '164', // READONLY
  '202', // TOO_MANY_SIMULTANEOUS_QUERIES
  '203', // NO_FREE_CONNECTION
  '209', // SOCKET_TIMEOUT
  '210', // NETWORK_ERROR
  '236', // ABORTED
  '241', // MEMORY_LIMIT_EXCEEDED
  '242', // TABLE_IS_READ_ONLY
  '319', // UNKNOWN_STATUS_OF_INSERT
  '425', // SYSTEM_ERROR
  '999', // KEEPER_EXCEPTION
]);

/** Node socket errors of a server that is not answering. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  'UND_ERR_SOCKET',
]);

/**
 * The ClickHouse error code of an error the store raised, if it is one. By shape, not class: chDB
 * raises the same error from its own copy of the client library, which `instanceof` misses.
 */
export function clickHouseErrorCode(error: unknown): string | undefined {
  if (error instanceof ClickHouseError) return String(error.code);
  if (!(error instanceof Error)) return undefined;
  const { code, type } = error as { code?: unknown; type?: unknown };
  return typeof code === 'string' && /^\d+$/.test(code) && typeof type === 'string' ? code : undefined;
}

/** True when the same insert may succeed later: the store is unreachable, busy or timing out. */
export function isTransientStoreError(error: unknown): boolean {
  const clickHouseCode = clickHouseErrorCode(error);
  if (clickHouseCode !== undefined) return TRANSIENT_CODES.has(clickHouseCode);
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /timeout|timed out|socket hang up/i.test(error.message);
}
