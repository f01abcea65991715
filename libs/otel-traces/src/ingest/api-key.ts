import { UnauthorizedError, sameSecret } from '@th/platform';

/** Injection token of the {@link ExportKey} both receivers check. */
export const OTLP_EXPORT_KEY = Symbol('OTLP_EXPORT_KEY');

/**
 * The old processor's shared key: when OTEL_API_KEY is set, an export must carry it in
 * `x-api-key`, compared in constant time.
 */
export class ExportKey {
  constructor(private readonly expected: string | undefined) {}

  /** Throws a 401 / UNAUTHENTICATED that says what is missing; the key itself is never echoed. */
  check(presented: unknown): void {
    if (this.expected === undefined) return;
    const value: unknown = Array.isArray(presented) ? (presented as unknown[])[0] : presented;
    if (typeof value !== 'string' || value === '') {
      throw new UnauthorizedError(
        'missing x-api-key: this receiver requires the OTLP exporter to send its API key',
      );
    }
    if (!sameSecret(value, this.expected)) throw new UnauthorizedError('invalid x-api-key');
  }
}
