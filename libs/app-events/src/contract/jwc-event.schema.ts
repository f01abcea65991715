import { type Static, Type } from '@sinclair/typebox';

/** Bounds of one `jwc.v1` event; documented in the README. The batch size is configurable. */
export const JWC_LIMITS = {
  anonLength: 256,
  evtLength: 128,
  labelLength: 64,
  idLength: 128,
  metadataBytes: 8_192,
  metadataKeys: 64,
  /** `m` itself is level 1; `{"a":{"b":1}}` is 2. */
  metadataDepth: 8,
} as const;

export const JWC_SCHEMA = 'jwc.v1';

const label = Type.String({
  maxLength: JWC_LIMITS.labelLength,
  errorMessage: `must be a string of at most ${JWC_LIMITS.labelLength} characters`,
});

/**
 * One app usage event in the `jwc.v1` format, as editor extensions send it. `t` is Unix
 * milliseconds, Unix seconds (below 10^12) or an ISO-8601 string; `m` is free-form metadata.
 * Unknown fields are ignored.
 */
export const JwcEventSchema = Type.Object({
  anon: Type.String({
    minLength: 1,
    maxLength: JWC_LIMITS.anonLength,
    errorMessage: `must be a non-empty string of at most ${JWC_LIMITS.anonLength} characters`,
  }),
  evt: Type.String({
    minLength: 1,
    maxLength: JWC_LIMITS.evtLength,
    pattern: '\\S',
    errorMessage: `must be a non-empty string of at most ${JWC_LIMITS.evtLength} characters`,
  }),
  t: Type.Union([Type.Number(), Type.String({ minLength: 1, maxLength: 64 })], {
    errorMessage: 'must be Unix milliseconds, Unix seconds or an ISO-8601 date-time string',
  }),
  os: Type.Optional(label),
  ext: Type.Optional(label),
  vscode: Type.Optional(label),
  m: Type.Optional(
    Type.Record(Type.String({ maxLength: 128 }), Type.Unknown(), {
      maxProperties: JWC_LIMITS.metadataKeys,
      errorMessage: `must be an object of at most ${JWC_LIMITS.metadataKeys} keys`,
    }),
  ),
  id: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: JWC_LIMITS.idLength,
      errorMessage: `must be a non-empty string of at most ${JWC_LIMITS.idLength} characters`,
    }),
  ),
});

export type JwcEvent = Static<typeof JwcEventSchema>;
