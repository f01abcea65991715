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
 * How one kind of envelope becomes rows. `project` is pure: the same envelope always gives the
 * same rows, which is what makes redelivery harmless. Its payload is validated again on consume
 * with `validatePayload` before `project` sees it. Whatever `project` throws sends that envelope
 * to the dead letters with the error as the reason (unless the error says it is retriable).
 */
export interface Projection<P = unknown> {
  readonly kind: string;
  readonly validatePayload: Validator<P>;
  project(envelope: Envelope<P>): TableRow[];
}
