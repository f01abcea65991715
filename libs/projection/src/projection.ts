import type { Envelope } from '@th/contracts';
import type { Validator } from '@th/platform';
import type { Row } from '@th/store';

/** One row for one projection table. */
export interface TableRow {
  table: string;
  row: Row;
  /**
   * The row's partition, as the table's PARTITION BY computes it (e.g. `2026-02` for
   * `toYYYYMM(ts)`): rows are inserted in blocks of at most 100 partitions, the most ClickHouse
   * takes in one insert. Leave it out for a table without partitions.
   */
  partition?: string;
}

/**
 * How one kind of envelope becomes rows. `project` is deterministic: the same envelope, with the
 * same stored state, always gives the same rows, which is what makes redelivery harmless. Its
 * payload is validated again on consume with `validatePayload` before `project` sees it. Whatever
 * `project` throws sends that envelope to the dead letters with the error as the reason (unless the
 * error says it is retriable).
 *
 * Most projections need nothing but the envelope. One whose rows depend on what is already stored
 * (a sequence number per key, the rows seen before) gives `prepare`: it reads that state once for
 * the batch's envelopes of its kind, before any is projected; the envelopes are then projected in
 * log order with the context, which `project` updates, so later envelopes of the batch see earlier
 * ones. A retried or split batch is prepared again: the context always starts from the store.
 * A failing `prepare` fails the batch (retried when the error is retriable or transient).
 */
export interface Projection<P = unknown, C = void> {
  readonly kind: string;
  readonly validatePayload: Validator<P>;
  prepare?(envelopes: readonly Envelope<P>[]): Promise<C>;
  project(envelope: Envelope<P>, context: C): TableRow[];
}
