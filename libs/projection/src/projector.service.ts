import { Injectable } from '@nestjs/common';
import { type Envelope, EnvelopeSchema } from '@th/contracts';
import { compileSchema, counter } from '@th/platform';
import { type Row, RowWriter } from '@th/store';
import type { DeadLetter, MessageOrigin } from './dead-letter';
import { ProjectionRuleError } from './projection';
import { ProjectionRegistry } from './projection-registry';

const validateEnvelope = compileSchema(EnvelopeSchema);

const projectedEnvelopes = counter('projector_envelopes_total', 'Envelopes projected, by kind and outcome', [
  'kind',
  'outcome',
] as const);

/** A message as it came off the bus: the decoded value (undefined when undecodable) and its bytes. */
export interface BusMessage {
  value: unknown;
  original: Buffer;
  origin?: MessageOrigin;
}

/** What happened to a batch: every message was stored, or dead-lettered with its reason. */
export interface ProjectionOutcome {
  stored: number;
  deadLetters: DeadLetter[];
}

/**
 * Turns a batch of envelopes into rows, grouped per table, and stores them with one insert per
 * table. Envelopes are validated on consume as well as at the edge. A store failure is thrown
 * (the caller retries the whole batch with the same deduplication token); an envelope that breaks
 * a projection rule is returned as a dead letter and the rest of the batch is stored.
 */
@Injectable()
export class ProjectorService {
  constructor(
    private readonly registry: ProjectionRegistry,
    private readonly writer: RowWriter,
  ) {}

  async project(messages: readonly BusMessage[], deduplicationToken?: string): Promise<ProjectionOutcome> {
    const rowsByTable = new Map<string, Row[]>();
    const deadLetters: DeadLetter[] = [];
    for (const message of messages) {
      const result = this.rowsOf(message);
      if ('deadLetter' in result) {
        deadLetters.push(result.deadLetter);
        projectedEnvelopes.inc({ kind: result.deadLetter.kind, outcome: 'dead_letter' });
        continue;
      }
      for (const { table, row } of result.rows) {
        const rows = rowsByTable.get(table);
        if (rows) rows.push(row);
        else rowsByTable.set(table, [row]);
      }
      projectedEnvelopes.inc({ kind: result.kind, outcome: 'stored' });
    }
    await Promise.all(
      [...rowsByTable].map(([table, rows]) =>
        this.writer.insert(table, rows, deduplicationToken ? `${deduplicationToken}:${table}` : undefined),
      ),
    );
    return { stored: messages.length - deadLetters.length, deadLetters };
  }

  private rowsOf(
    message: BusMessage,
  ): { kind: string; rows: { table: string; row: Row }[] } | { deadLetter: DeadLetter } {
    const reject = (reason: string, envelopeId = '', kind = 'unknown') => ({
      deadLetter: { envelopeId, kind, reason, original: message.original, origin: message.origin },
    });
    if (message.value === undefined) return reject('not JSON: the message could not be decoded');
    const checked = validateEnvelope(message.value);
    if (!checked.ok) {
      return reject(
        `not a valid envelope: ${checked.errors.map((e) => `${e.field} ${e.message}`).join('; ')}`,
      );
    }
    const envelope = checked.value as Envelope;
    const projection = this.registry.get(envelope.kind);
    if (!projection) return reject(`no projection for kind "${envelope.kind}"`, envelope.id, envelope.kind);
    const payload = projection.validatePayload(envelope.payload);
    if (!payload.ok) {
      const why = payload.errors.map((e) => `${e.field} ${e.message}`).join('; ');
      return reject(`invalid ${envelope.kind} payload: ${why}`, envelope.id, envelope.kind);
    }
    try {
      return { kind: envelope.kind, rows: projection.project({ ...envelope, payload: payload.value }) };
    } catch (error) {
      if (error instanceof ProjectionRuleError) return reject(error.message, envelope.id, envelope.kind);
      throw error;
    }
  }
}
