import { createHash, timingSafeEqual } from 'node:crypto';
import { UnauthorizedError } from '@th/platform';

/** Injection token of the {@link ExportKey} both receivers check. */
export const OTLP_EXPORT_KEY = Symbol('OTLP_EXPORT_KEY');

/**
 * The old processor's shared key: when OTEL_API_KEY is set, an export must carry it in
 * `x-api-key`. Compared in constant time (on digests, so the length leaks nothing either).
 */
export class ExportKey {
  private readonly expected: Buffer | undefined;

  constructor(key: string | undefined) {
    this.expected = key === undefined ? undefined : digest(key);
  }

  /** Throws a 401 / UNAUTHENTICATED that says what is missing; the key itself is never echoed. */
  check(presented: unknown): void {
    if (this.expected === undefined) return;
    const value: unknown = Array.isArray(presented) ? (presented as unknown[])[0] : presented;
    if (typeof value !== 'string' || value === '') {
      throw new UnauthorizedError(
        'missing x-api-key: this receiver requires the OTLP exporter to send its API key',
      );
    }
    if (!timingSafeEqual(digest(value), this.expected)) throw new UnauthorizedError('invalid x-api-key');
  }
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
