import { Injectable } from '@nestjs/common';
import { type MessageOutcome, OK, deadLetter, retry } from '@th/bus';
import { type Envelope, EnvelopeSchema } from '@th/contracts';
import { compileSchema, counter, describeError, isRetriable, mapSliced } from '@th/platform';
import { type Row, RowWriter } from '@th/store';
import type { Projection, TableRow } from './projection';
import { ProjectionRegistry } from './projection-registry';

const validateEnvelope = compileSchema(EnvelopeSchema);

const projectedEnvelopes = counter('projector_envelopes_total', 'Envelopes projected, by kind and outcome', [
  'kind',
  'outcome',
] as const);

/** A message as it came off the bus, decoded (undefined when its bytes are not JSON). */
export interface BusMessage {
  value: unknown;
}

/** The rows for one table, each with its partition. */
interface TableRows {
  rows: Row[];
  partitions: string[];
}

/** Rows of the messages that projected, grouped per table, and every message's outcome so far. */
interface ProjectedBatch {
  rowsByTable: Map<string, TableRows>;
  outcomes: MessageOutcome[];
}

/**
 * Turns a batch of envelopes into rows, grouped per table, and stores them with one insert per
 * table. Envelopes are validated on consume as well as at the edge. Per message: invalid envelope
 * or payload, unknown kind, or anything the projection throws is that message's dead letter (a
 * retriable error its retry); the other messages are stored. A failing insert is thrown as it
 * came: the caller decides between retrying the batch and isolating the message that caused it.
 */
@Injectable()
export class ProjectorService {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly writer: RowWriter,
  ) {}

  async project(messages: readonly BusMessage[], deduplicationToken: string): Promise<MessageOutcome[]> {
    const { rowsByTable, outcomes } = await this.rowsOf(messages);
    await Promise.all(
      [...rowsByTable].map(([table, { rows, partitions }]) =>
        this.writer.insert(table, rows, `${deduplicationToken}:${table}`, partitions),
      ),
    );
    return outcomes;
  }

  /** Sliced per message: a batch of many envelopes must not hold the thread in one go. */
  private async rowsOf(messages: readonly BusMessage[]): Promise<ProjectedBatch> {
    const rowsByTable = new Map<string, TableRows>();
    const checked = await mapSliced(messages, (message) => this.check(message));
    const contexts = await this.prepare(checked);
    const outcomes = await mapSliced(checked, (one): MessageOutcome => {
      const projected = 'type' in one ? one : this.projectOne(one, contexts.get(one.projection));
      if ('type' in projected) {
        if (projected.type === 'dlq')
          projectedEnvelopes.inc({ kind: projected.kind, outcome: 'dead_letter' });
        return projected;
      }
      for (const { table, row, partition = '' } of projected.rows) {
        let rows = rowsByTable.get(table);
        if (!rows) rowsByTable.set(table, (rows = { rows: [], partitions: [] }));
        rows.rows.push(row);
        rows.partitions.push(partition);
      }
      projectedEnvelopes.inc({ kind: projected.kind, outcome: 'stored' });
      return OK;
    });
    return { rowsByTable, outcomes };
  }

  /** The context of each stateful projection for its envelopes of this batch, in log order. */
  private async prepare(
    checked: readonly (Checked | MessageOutcome)[],
  ): Promise<Map<AnyProjection, unknown>> {
    const byProjection = new Map<AnyProjection, Envelope[]>();
    for (const one of checked) {
      if ('type' in one || !one.projection.prepare) continue;
      const envelopes = byProjection.get(one.projection) ?? [];
      envelopes.push(one.envelope);
      byProjection.set(one.projection, envelopes);
    }
    const contexts = new Map<AnyProjection, unknown>();
    for (const [projection, envelopes] of byProjection)
      contexts.set(projection, await projection.prepare?.(envelopes));
    return contexts;
  }

  /** The envelope and its projection, or the message's dead letter when it cannot be projected. */
  private check(message: BusMessage): Checked | MessageOutcome {
    if (message.value === undefined) return deadLetter('not JSON: the message could not be decoded');
    const checked = validateEnvelope(message.value);
    if (!checked.ok) {
      return deadLetter(
        `not a valid envelope: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      );
    }
    const envelope: Envelope = checked.value;
    const projection = this.registry.get(envelope.kind);
    if (!projection)
      return deadLetter(`no projection for kind "${envelope.kind}"`, envelope.id, envelope.kind);
    const payload = projection.validatePayload(envelope.payload);
    if (!payload.ok) {
      const why = payload.errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return deadLetter(`invalid ${envelope.kind} payload: ${why}`, envelope.id, envelope.kind);
    }
    return { envelope: { ...envelope, payload: payload.value }, projection };
  }

  private projectOne(
    { envelope, projection }: Checked,
    context: unknown,
  ): { kind: string; rows: TableRow[] } | MessageOutcome {
    try {
      return { kind: envelope.kind, rows: projection.project(envelope, context) };
    } catch (error) {
      if (isRetriable(error)) return retry(error);
      return deadLetter(
        `the ${envelope.kind} projection failed: ${describeError(error)}`,
        envelope.id,
        envelope.kind,
      );
    }
  }
}

type AnyProjection = Projection<unknown, unknown>;

/** A message whose envelope and payload are valid, with the projection of its kind. */
interface Checked {
  envelope: Envelope;
  projection: AnyProjection;
}
