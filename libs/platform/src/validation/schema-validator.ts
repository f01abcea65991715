import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { illFormedTextPath } from './well-formed';
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** One problem with one field of a request, as shown to the client. */
export interface FieldError {
  /** Dotted path of the offending field (`metrics.active_hours`), or `(body)` for the whole value. */
  field: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; errors: FieldError[] };

/** A compiled validator: checks an unknown value against a schema and types it on success. */
export type Validator<T> = (value: unknown) => ValidationResult<T>;

/**
 * One Ajv instance for the process. Schemas may carry an `errorMessage` string that replaces
 * Ajv's generic wording for that field (kept next to the rule it explains).
 */
const ajv = addFormats(new Ajv({ allErrors: true, verbose: true, strict: true, coerceTypes: false }), {
  mode: 'full',
  // formatMinimum / formatMaximum: e.g. a date inside the store's Date range.
  keywords: true,
});
ajv.addKeyword({ keyword: 'errorMessage', schemaType: 'string' });

/**
 * A string that is one of `values`, refused with a message listing them (a union of literals
 * would say "must be equal to constant").
 */
export function oneOf<const T extends readonly string[]>(values: T) {
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    errorMessage: `must be one of ${values.join(', ')}`,
  });
}

const ILL_FORMED = 'must be valid Unicode text (it holds an unpaired surrogate such as \\ud800)';

export interface CompileOptions {
  /**
   * `decoded-utf8`: the values come from a binary format's UTF-8 decoder (protobuf), which cannot
   * produce an unpaired surrogate, so the well-formedness walk is skipped. Default: `check`.
   */
  readonly text?: 'check' | 'decoded-utf8';
}

/**
 * Compiles a TypeBox schema once; the returned function validates and narrows to `Static<S>`.
 * Every string in the value, keys included, must also be well-formed Unicode.
 */
export function compileSchema<S extends TSchema>(
  schema: S,
  options: CompileOptions = {},
): Validator<Static<S>> {
  const validate: ValidateFunction = ajv.compile(schema);
  const checkText = options.text !== 'decoded-utf8';
  return (value: unknown) => {
    if (!validate(value)) return { ok: false, errors: toFieldErrors(validate.errors ?? []) };
    const illFormed = checkText ? illFormedTextPath(value) : undefined;
    if (illFormed !== undefined) return { ok: false, errors: [{ field: illFormed, message: ILL_FORMED }] };
    return { ok: true, value: value as Static<S> };
  };
}

function toFieldErrors(errors: ErrorObject[]): FieldError[] {
  const seen = new Map<string, FieldError>();
  for (const error of errors) {
    const fieldError = toFieldError(error);
    // One message per field: the first (most specific) wins; anyOf/oneOf noise is dropped.
    if (!seen.has(fieldError.field)) seen.set(fieldError.field, fieldError);
  }
  return [...seen.values()];
}

function toFieldError(error: ErrorObject): FieldError {
  const path = error.instancePath
    .split('/')
    .filter(Boolean)
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') {
    const missing = (error.params as { missingProperty: string }).missingProperty;
    return { field: [...path, missing].join('.'), message: 'is required' };
  }
  if (error.keyword === 'additionalProperties') {
    const extra = (error.params as { additionalProperty: string }).additionalProperty;
    return { field: [...path, extra].join('.'), message: 'is not a known field' };
  }
  const custom = (error.parentSchema as { errorMessage?: unknown } | undefined)?.errorMessage;
  const message = typeof custom === 'string' ? custom : (error.message ?? 'is invalid');
  return { field: path.length > 0 ? path.join('.') : '(body)', message };
}
