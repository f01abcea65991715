import { Readable } from 'node:stream';
import { Controller, Get, Header, Param } from '@nestjs/common';
import { Access, NotFoundError, ValidationFailedError } from '@th/platform';
import { archiveLine, traceDocument } from './trace-view';
import { TraceRepository } from './trace.repository';

const TRACE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Trace replay: the whole trace, and its archive as NDJSON. */
@Controller('traces')
@Access('read')
export class TracesController {
  constructor(private readonly traces: TraceRepository) {}

  @Get(':traceId')
  async trace(@Param('traceId') traceId: string): Promise<ReturnType<typeof traceDocument>> {
    const id = checkedTraceId(traceId);
    const found = await this.traces.traceWithEvents(id);
    if (!found) throw new NotFoundError(`trace ${id} not found`);
    return traceDocument(found.summary, found.events);
  }

  @Get(':traceId/events.ndjson')
  @Header('content-type', 'application/x-ndjson; charset=utf-8')
  async archive(@Param('traceId') traceId: string): Promise<Readable> {
    const id = checkedTraceId(traceId);
    const found = await this.traces.traceWithEvents(id);
    if (!found) throw new NotFoundError(`trace ${id} not found`);
    return Readable.from(found.events.map((event) => archiveLine(id, event)));
  }
}

function checkedTraceId(traceId: string): string {
  const id = traceId.toLowerCase();
  if (!TRACE_ID.test(id)) throw new ValidationFailedError([{ field: 'traceId', message: 'must be a UUID' }]);
  return id;
}
