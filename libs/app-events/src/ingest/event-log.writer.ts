import { appendFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { APP_EVENTS_SETTINGS, type AppEventsConfig } from '../config';
import type { AppEvent } from '../contract/app-event-batch.schema';

/**
 * With LOG_DIR set, every accepted event is also appended to LOG_DIR/YYYY-MM-DD.ndjson (the UTC
 * day it was received), one JSON object a line: the stored event, anon hashed, no IP. A failing
 * write is logged and does not fail the request: the event is already durable in the log.
 */
@Injectable()
export class EventLogWriter {
  private readonly logger = new Logger('event-log');
  private ready: Promise<unknown> | undefined;

  constructor(@Inject(APP_EVENTS_SETTINGS) private readonly config: AppEventsConfig) {}

  async append(events: AppEvent[]): Promise<void> {
    const dir = this.config.LOG_DIR;
    if (!dir || events.length === 0) return;
    try {
      this.ready ??= mkdir(dir, { recursive: true });
      await this.ready;
      const day = new Date().toISOString().slice(0, 10);
      const lines = events.map(
        (event) => `${JSON.stringify({ ...event, m: JSON.parse(event.meta) as unknown, meta: undefined })}\n`,
      );
      await appendFile(join(dir, `${day}.ndjson`), lines.join(''));
    } catch (error) {
      this.logger.error({
        msg: 'could not write the NDJSON event log',
        dir,
        err: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
