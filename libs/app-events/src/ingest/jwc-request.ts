import { DomainError, ValidationFailedError } from '@th/platform';
import { JWC_SCHEMA } from '../contract/jwc-event.schema';

export class SchemaUnsupportedError extends DomainError {
  readonly code = 'schema_unsupported';
  readonly status = 400;
  constructor(received: unknown) {
    super(
      `schema must be "${JWC_SCHEMA}", got ${received === undefined ? 'none' : JSON.stringify(received)}`,
    );
    this.details.expected = JWC_SCHEMA;
  }
}

export class BatchTooLargeError extends DomainError {
  readonly code = 'batch_too_large';
  readonly status = 413;
  constructor(size: number, max: number) {
    super(`the batch holds ${size} events; at most ${max} are accepted per request`);
    this.details.max = max;
  }
}

/** The events of a `POST /t` body: `{schema, batch: [...]}`, or one event carrying `schema` itself. */
export function eventsOfRequest(body: unknown, maxBatch: number): { events: unknown[]; single: boolean } {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationFailedError([{ field: '(body)', message: 'must be a JSON object' }]);
  }
  const { schema, batch } = body as { schema?: unknown; batch?: unknown };
  if (typeof schema !== 'string' || schema.trim().toLowerCase() !== JWC_SCHEMA)
    throw new SchemaUnsupportedError(schema);
  if (batch === undefined) return { events: [body], single: true };
  if (!Array.isArray(batch))
    throw new ValidationFailedError([{ field: 'batch', message: 'must be an array of events' }]);
  if (batch.length === 0)
    throw new ValidationFailedError([{ field: 'batch', message: 'must hold at least one event' }]);
  if (batch.length > maxBatch) throw new BatchTooLargeError(batch.length, maxBatch);
  return { events: batch, single: false };
}
