import type { Envelope, EnvelopeKind } from '@th/contracts';
import type { Validator } from '@th/platform';
import type { Row } from '@th/store';

/** One row for one projection table. */
export interface TableRow {
  table: string;
  row: Row;
}

/**
 * How one kind of envelope becomes rows. `project` is pure: the same envelope always gives the
 * same rows, which is what makes redelivery harmless. It throws ProjectionRuleError for an
 * envelope that can never be stored (a poison message), which goes to the dead letters.
 */
export interface Projection<P = unknown> {
  readonly kind: EnvelopeKind;
  readonly validatePayload: Validator<P>;
  project(envelope: Envelope<P>): TableRow[];
}

/** The envelope broke a projection rule; retrying cannot help. */
export class ProjectionRuleError extends Error {}
