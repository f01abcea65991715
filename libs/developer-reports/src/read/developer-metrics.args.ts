import { Type } from '@sinclair/typebox';
import { type PageRequest, ValidationFailedError, compileSchema, pageErrors } from '@th/platform';
import type { DeveloperMetricsFilter } from './developer-metrics.repository';

const date = Type.Optional(
  Type.String({ format: 'date', errorMessage: 'must be a real calendar date in YYYY-MM-DD format' }),
);

const validateArgs = compileSchema(
  Type.Object({
    connectionId: Type.Optional(Type.Integer({ minimum: 1, errorMessage: 'must be a positive integer' })),
    developer: Type.Optional(Type.String({ minLength: 1, maxLength: 255 })),
    from: date,
    to: date,
    top: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, errorMessage: 'must be from 1 to 100' })),
  }),
);

/** Checks GraphQL filter arguments beyond their GraphQL types; 400-style errors naming each one. */
export function parseMetricsArgs(
  args: Record<string, unknown>,
  maxPageSize: number,
): { filter: DeveloperMetricsFilter; page: PageRequest } {
  const defined = Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined && v !== null));
  const { limit, offset, ...filters } = defined;
  const page = { limit: Number(limit), offset: Number(offset) };
  const checked = validateArgs(filters);
  const errors = [...(checked.ok ? [] : checked.errors), ...pageErrors(page, maxPageSize)];
  if (!checked.ok || errors.length > 0) throw new ValidationFailedError(errors);
  const { connectionId, developer, from, to } = checked.value;
  if (from && to && from > to)
    throw new ValidationFailedError([{ field: 'from', message: 'must not be after to' }]);
  return { filter: { connectionId, developer, from, to }, page };
}
