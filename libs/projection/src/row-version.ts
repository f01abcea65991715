import { createHash } from 'node:crypto';

const TIE_BREAK_BITS = 20n;

/**
 * The ReplacingMergeTree version of a row: the time the gateway received it, in milliseconds,
 * shifted left by 20 bits, plus 20 bits of a hash of its content. A later report wins; two
 * different reports received in the same millisecond are ordered by content, the same way on
 * every replica and every replay, so ties are broken deterministically. Returned as a decimal
 * string because it exceeds 2^53.
 */
export function rowVersion(receivedAt: string, content: unknown): string {
  const millis = BigInt(Date.parse(receivedAt));
  const digest = createHash('sha256').update(JSON.stringify(content)).digest();
  const tieBreak = BigInt(digest.readUInt32BE(0) >>> (32 - Number(TIE_BREAK_BITS)));
  return ((millis << TIE_BREAK_BITS) | tieBreak).toString();
}

const MAX_UINT64 = (1n << 64n) - 1n;

/**
 * The version for a table where the first write wins (ReplacingMergeTree keeps the highest): the
 * complement of {@link rowVersion}, so the row received first has the highest version, on every
 * replica and every replay, whatever order the rows reach the store in.
 */
export function firstWinsVersion(receivedAt: string, content: unknown): string {
  return (MAX_UINT64 - BigInt(rowVersion(receivedAt, content))).toString();
}
