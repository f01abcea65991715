import { type ConfigOf, type ConfigVariables, intVar } from '@th/platform';

/** The pr-traces domain's environment variables (POST /ingest, /traces). */
export const PR_TRACES_CONFIG = {
  TRACE_MAX_EVENTS: intVar('Most events in one POST /ingest trace batch', 1000, { min: 1, max: 100_000 }),
  TRACE_MAX_PAYLOAD_BYTES: intVar('Largest payload of one trace event, as JSON', 65_536, {
    min: 1024,
    max: 16 * 1_048_576,
  }),
  TRACE_MAX_STRING_LENGTH: intVar(
    'Longest string in a trace event payload (diff snippets, stdout samples, messages), in characters',
    16_384,
    { min: 256, max: 16 * 1_048_576 },
  ),
} satisfies ConfigVariables;

export type PrTracesConfig = ConfigOf<typeof PR_TRACES_CONFIG>;

/** Injection token of {@link PrTracesConfig}. */
export const PR_TRACES_SETTINGS = Symbol('PR_TRACES_SETTINGS');
