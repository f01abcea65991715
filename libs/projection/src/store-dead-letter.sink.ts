import { Injectable } from '@nestjs/common';
import type { DeadLetter, DeadLetterSink } from '@th/bus';
import { RowWriter } from '@th/store';

/** Embedded mode's dead-letter queue: the dead_letters table. */
@Injectable()
export class StoreDeadLetterSink implements DeadLetterSink {
  constructor(private readonly writer: RowWriter) {}

  async send(letters: DeadLetter[]): Promise<void> {
    if (letters.length === 0) return;
    const failedAt = new Date().toISOString();
    await this.writer.insert(
      'dead_letters',
      letters.map((l) => ({
        envelope_id: l.envelopeId,
        kind: l.kind,
        reason: l.reason,
        original: l.original.toString('utf8'),
        failed_at: failedAt,
      })),
    );
  }
}
